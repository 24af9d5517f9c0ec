"""The ranking, pipeline and decisions pages keep their content as rendered for every staff
member (core.cache.kept_body): a second view reads no more than the viewer, the cohort and what
must be read on each view (the stored ranking's state, the offers overdue now); a change
committed in between shows on the next view; the forms' tokens stay each viewer's own."""

from __future__ import annotations

import re
from datetime import timedelta

from accelerator.applications.models import Startup
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.reviews import decision_views
from tests.auth.helpers import text
from tests.pages import unsigned


def _token(page: str) -> str:
    """The token of the page's last form (the layout's sign-out form comes first)."""
    return re.findall(r'name="csrf_token"[^>]* value="([^"]+)"', page)[-1]


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


def test_the_pipeline_is_kept_until_an_application_or_a_review_changes(
    app, login_as, staff, make, cohort, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    reviewer = make.make_user(role="staff", name="Rita Reviewer")
    application = make.make_application(
        cohort=cohort, status="in_review", startup=make.make_startup(name="Ondine Labs")
    )
    assignment = make.make_assignment(application=application, reviewer=reviewer)
    db.session.commit()
    url = f"/reviews/cohorts/{cohort.id}/pipeline"
    client = login_as(staff)
    first = client.get(url).get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(url).get_data(as_text=True)
    # The viewer and the cohort; the same page, but for the tokens' time.
    assert unsigned(again) == unsigned(first) and counter.count <= 2, counter.statements
    assert "Ondine Labs" in first and "0/1" in first
    # The bulk-move form carries each viewer's own token, kept page or not: another's fails.
    other = login_as(reviewer)
    page = other.get(url).get_data(as_text=True)
    assert "Ondine Labs" in page
    moving = {"target": "shortlisted", "application_ids": [str(application.id)]}
    assert (
        other.post(f"{url}/move", data={**moving, "csrf_token": _token(first)}).status_code == 400
    )
    assert other.post(f"{url}/move", data={**moving, "csrf_token": _token(page)}).status_code == 302
    # The move committed: the next view shows it; so does a review, and a new application.
    page = other.get(url).get_data(as_text=True)
    assert "1 application(s) moved to shortlisted." in page
    assert "Shortlisted <span" in page and "In review <span" not in page
    make.make_review(assignment=assignment, scores=3)
    make.make_application(
        cohort=cohort, status="submitted", startup=make.make_startup(name="Société Éclair")
    )
    db.session.commit()
    page = other.get(url).get_data(as_text=True)
    assert "1/1" in page and "Société Éclair" in page
    assert "Ondine Labs" not in other.get(f"{url}?status=submitted").get_data(as_text=True)


def test_the_decisions_page_is_kept_until_an_offer_changes_or_passes_its_deadline(
    app, login_as, staff, make, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    cohort = make.make_cohort(phase="reviewing", capacity=2)
    offered = make.make_application(
        cohort=cohort, status="in_review", startup=make.make_startup(name="Ondine Labs")
    )
    make.make_offer(offered, days_left=2)
    waiting = make.make_application(
        cohort=cohort, status="waitlisted", startup=make.make_startup(name="Kestrel Security")
    )
    db.session.commit()
    url = f"/reviews/cohorts/{cohort.id}/decisions"
    client = login_as(staff)
    first = client.get(url).get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(url).get_data(as_text=True)
    # The viewer, the cohort, the stored ranking's state and the number of offers overdue now.
    assert unsigned(again) == unsigned(first) and counter.count <= 4, counter.statements
    assert "Offer the free place to Kestrel Security" in first and ">overdue<" not in first
    # No write, but the offer's deadline passes: the page says so.
    later = utcnow() + timedelta(days=3)
    monkeypatch.setattr(decision_views, "utcnow", lambda: later)
    page = text(client.get(url))
    assert "overdue" in page and "Mark them declined" in page
    # The promote button carries this viewer's token, and works.
    html = client.get(url).get_data(as_text=True)
    response = client.post(
        f"/reviews/cohorts/{cohort.id}/promote", data={"csrf_token": _token(html)}
    )
    assert response.status_code == 302
    page = text(client.get(url))
    assert "Kestrel Security" in page and "Nobody is on the waitlist." in page
    assert db.session.get(type(waiting), waiting.id).status.value == "accepted"


def test_the_decision_dialog_is_kept_until_a_review_or_an_offer_changes(
    app, login_as, staff, make, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    cohort = make.make_cohort(phase="reviewing", capacity=1)
    application = make.make_application(
        cohort=cohort, status="in_review", startup=make.make_startup(name="Société Éclair")
    )
    other = make.make_application(cohort=cohort, status="in_review")
    db.session.commit()
    url = f"/reviews/applications/{application.id}/decide"
    client = login_as(staff)
    first = client.get(url).get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(url).get_data(as_text=True)
    # The viewer, the application and the stored ranking's state: no ranking line, no places.
    assert unsigned(again) == unsigned(first) and counter.count <= 3, counter.statements
    assert "Decide on Société Éclair" in first and "Nobody has reviewed" in first
    assert "0 of 1 places offered or taken" in first
    # A review and an offer elsewhere in the cohort: both show on the next view.
    make.make_review(application=application, reviewer=staff, scores=4)
    make.make_offer(other, days_left=2)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "1 review(s)" in page and "Nobody has reviewed" not in page
    assert "1 of 1 places offered or taken" in page and "The cohort is full" in page
    # The form carries this viewer's token: the decision posts (to the waitlist, as it is full).
    response = client.post(url, data={"outcome": "waitlisted", "csrf_token": _token(page)})
    assert response.status_code == 302
    # A refused decision comes back with its message, rendered for its sender, not the kept one.
    refused = client.post(url, data={"outcome": "accepted", "csrf_token": _token(page)})
    assert refused.status_code in (409, 422)
    html = refused.get_data(as_text=True)
    assert "The cohort is full: all 1 places are offered or taken" in html
    assert re.search(r'<input checked[^>]*value="accepted"', html)  # what was chosen stays
