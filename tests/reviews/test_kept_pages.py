"""The ranking page keeps its table as rendered for every staff member (core.cache.kept_body):
a second view reads no more than the viewer, the cohort and the stored ranking's state; a change
committed in between shows on the next view."""

from __future__ import annotations

from accelerator.applications.models import Startup
from accelerator.extensions import db


def test_the_ranking_is_kept_until_a_review_or_a_startup_changes(
    login_as, staff, admin, make, cohort, reviewed, count_queries
):
    db.session.commit()
    client = login_as(staff)
    url = f"/reviews/cohorts/{cohort.id}/ranking"
    first = client.get(url).get_data(as_text=True)  # brings the stored ranking up to date
    with count_queries() as counter:
        again = client.get(url).get_data(as_text=True)
    # The viewer, the cohort and the stored ranking's state (a review changed? recompute).
    assert again == first and counter.count <= 3, counter.statements
    assert first.count(">Decide<") == 2
    # A new review: the stored ranking is recomputed on the next view, and shown.
    newcomer = make.make_application(
        cohort=cohort, status="in_review", startup=make.make_startup(name="Société Éclair")
    )
    make.make_review(application=newcomer, reviewer=staff, scores=4)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Société Éclair" in page and page.count(">Decide<") == 3
    db.session.get(Startup, newcomer.startup_id).name = "Éclair Océan"
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Éclair Océan" in page and "Société Éclair" not in page
    # Another order is its own page, and an admin sees the same rows.
    by_name = client.get(f"{url}?sort=name&dir=asc").get_data(as_text=True)
    assert "Éclair Océan" in by_name and by_name != page
    assert "Éclair Océan" in login_as(admin).get(url).get_data(as_text=True)
