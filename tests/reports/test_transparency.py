"""A program's transparency page: staff write and publish it (audited, with history
sentences), the public reads it without signing in, its figures are the staff reports' and no
group of fewer than 5 is shown."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.core.errors import InvalidState, NotAllowed, ValidationFailed
from accelerator.core.history import entries
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.reports import services
from accelerator.reports.overview import program_overview
from accelerator.reports.transparency import transparency
from tests import factories
from tests.reports import builders


@pytest.fixture
def world(db):
    return builders.make_impact_program(alumni=6)


def _published(program, staff):
    services.edit_transparency(program, actor=staff, introduction="Comment nous choisissons.")
    services.publish_transparency(program, actor=staff)
    db.session.commit()


def _events(action):
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == action)
            .options(selectinload(AuditEvent.actor))
        )
    )


# ---------------------------------------------------------------------------- services


def test_edit_publish_withdraw_are_audited_with_sentences(world, staff):
    program, _past, _call = world
    page = services.edit_transparency(program, actor=staff, introduction="  Hello  ")
    assert page.introduction == "Hello" and not page.is_published
    services.publish_transparency(program, actor=staff)
    assert page.is_published and page.published_by_id == staff.id
    services.withdraw_transparency(program, actor=staff)
    assert not page.is_published and page.introduction == "Hello"
    for action, words in (
        ("transparency.edited", "edited the introduction"),
        ("transparency.published", "published the transparency page"),
        ("transparency.withdrawn", "withdrew the transparency page"),
    ):
        [event] = _events(action)
        assert event.actor_id == staff.id
        [entry] = entries([event])
        text = entry.sentence
        assert words in text and program.name in text


def test_saving_the_same_text_records_nothing(world, staff):
    program, _past, _call = world
    services.edit_transparency(program, actor=staff, introduction="Same")
    services.edit_transparency(program, actor=staff, introduction="Same")
    assert len(_events("transparency.edited")) == 1


def test_refusals(world, staff, founder):
    program, _past, _call = world
    with pytest.raises(NotAllowed):
        services.edit_transparency(program, actor=founder, introduction="Hi")
    with pytest.raises(InvalidState):
        services.publish_transparency(program, actor=staff)  # no introduction yet
    with pytest.raises(ValidationFailed) as empty:
        services.edit_transparency(program, actor=staff, introduction="  \x00 ")
    assert empty.value.field == "introduction"
    with pytest.raises(ValidationFailed):
        services.edit_transparency(program, actor=staff, introduction="x" * 5001)
    services.edit_transparency(program, actor=staff, introduction="Hi")
    with pytest.raises(InvalidState):
        services.withdraw_transparency(program, actor=staff)
    services.publish_transparency(program, actor=staff)
    with pytest.raises(InvalidState):
        services.publish_transparency(program, actor=staff)
    with pytest.raises(NotAllowed):
        services.withdraw_transparency(program, actor=founder)


# ---------------------------------------------------------------------------- staff pages


def test_staff_write_publish_and_withdraw_through_the_page(world, login_as, staff):
    program, _past, _call = world
    client = login_as(staff)
    url = f"/reports/programs/{program.id}/transparency"
    assert client.get(url).status_code == 200
    saved = client.post(url, data={"introduction": "Nos chiffres, sans fard."})
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Nos chiffres, sans fard." in page and f"{url}/publish" in page
    assert client.post(f"{url}/publish").status_code == 302
    assert client.get(f"/transparency/{program.id}").status_code == 200
    again = client.post(f"{url}/publish", headers={"Referer": f"http://localhost{url}"})
    assert again.status_code == 409
    assert client.post(f"{url}/withdraw").status_code == 302
    assert "Not published" in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    "typed,message",
    [
        ("   ", "Write a few words introducing the page."),
        ("Trop long " * 600, "At most 5000 characters."),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_kept(world, login_as, staff, typed, message):
    program, _past, _call = world
    client = login_as(staff)
    response = client.post(
        f"/reports/programs/{program.id}/transparency", data={"introduction": typed}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    field = re.search(r'<textarea[^>]*name="introduction"[^>]*>(.*?)</textarea>', html, re.S)
    assert field and "is-invalid" in field.group(0)
    assert message in html
    assert typed.strip()[:40] in field.group(1)
    assert services.transparency_page(program) is None  # nothing saved


# ---------------------------------------------------------------------------- the public page


def test_the_public_page_answers_404_until_published(world, client, login_as, staff, founder):
    program, _past, _call = world
    url = f"/transparency/{program.id}"
    assert client.get(url).status_code == 404
    assert login_as(founder).get(url).status_code == 404
    preview = login_as(staff).get(url)
    assert preview.status_code == 200 and "data-preview" in preview.get_data(as_text=True)
    _published(program, staff)
    login_as(None)
    public = client.get(url)
    assert public.status_code == 200
    html = public.get_data(as_text=True)
    assert "data-preview" not in html and "Comment nous choisissons." in html
    assert client.get("/transparency/999999").status_code == 404


def test_how_selection_works(world, client, staff):
    program, _past, call = world
    call.review_criteria = [
        {"key": "team", "name": "Équipe", "weight": 3},
        {"key": "market", "name": "Marché", "weight": 1},
    ]
    call.reviewers_per_application = 4
    _published(program, staff)
    html = client.get(f"/transparency/{program.id}").get_data(as_text=True)
    assert "Équipe" in html and "75%" in html and "25%" in html
    assert "read by 4 reviewers" in html
    assert call.name in html
    timeline = html.split('id="timeline"', 1)[1].split("</dl>", 1)[0]
    assert call.starts_on.strftime("%B") in timeline  # program start, written in words
    assert timeline.count("<dd") == 4  # opens, closes, program start, demo day


def _cells(html: str, cohort_id: int) -> dict[str, str]:
    row = re.search(rf'<tr data-cohort="{cohort_id}">(.*?)</tr>', html, re.S).group(1)
    return {
        name: " ".join(re.sub(r"<[^>]+>", " ", value).split())
        for name, value in re.findall(r"<td[^>]*data-([a-z-]+)>(.*?)</td>", row, re.S)
    }


def test_the_public_figures_are_the_staff_reports(world, client, login_as, staff):
    program, past, call = world
    _published(program, staff)
    public = _cells(client.get(f"/transparency/{program.id}").get_data(as_text=True), past.id)
    [figures] = program_overview(program, cohort_ids=[past.id]).cohorts
    assert figures.submitted == 7 and figures.shortlisted == 4 and figures.offered == 4
    assert public["received"] == "7"
    assert public["shortlisted"] == public["selected"] == "fewer than 5"
    assert public["deadline-days"] == f"{figures.median_deadline_days:g}" == "6"
    assert public["feedback-share"] == "42.9%"  # 3 of 7 reviews carry feedback tags
    # The same figures on the staff overview, for the same data.
    staff_html = (
        login_as(staff)
        .get(f"/reports/?program={program.id}&cohort={past.id}")
        .get_data(as_text=True)
    )
    staff_deadline = re.search(r"<td[^>]*data-deadline-days>(.*?)</td>", staff_html).group(1)
    staff_feedback = re.search(r"<td[^>]*data-feedback-share>(.*?)</td>", staff_html).group(1)
    assert (staff_deadline, staff_feedback) == (public["deadline-days"], public["feedback-share"])
    assert call.id not in [p.cohort.id for p in transparency(program, None).past]  # not past


def test_medians_and_shares_over_fewer_than_5_are_hidden(db, client, staff):
    cohort = factories.make_cohort(phase="completed")
    from accelerator.programs.models import Program

    program = db.session.get(Program, cohort.program_id)
    for _ in range(3):
        factories.make_application(cohort=cohort)
    _published(program, staff)
    cells = _cells(client.get(f"/transparency/{program.id}").get_data(as_text=True), cohort.id)
    assert cells["received"] == "fewer than 5"
    assert cells["deadline-days"] == "—" and cells["feedback-share"] == "—"


def test_alumni_listed_with_consent_and_aggregates_only_from_5(world, client, staff):
    program, past, _call = world
    other = factories.make_cohort(program=program, phase="completed")
    few = [builders.make_alumnus(other, listed=True, name=f"Petite Pousse {i}") for i in range(3)]
    for alumnus in few:
        builders.make_survey(alumnus, raised_cents=99_999_00, outcome="acquired")
    builders.make_alumnus(other, listed=False, name="Secrète SAS")
    _published(program, staff)
    html = client.get(f"/transparency/{program.id}").get_data(as_text=True)
    assert "Société Éclair 0" in html and "Petite Pousse 2" in html
    assert "Secrète SAS" not in html
    assert f'data-aggregates="{past.id}"' in html  # six listed: raised and jobs shown
    assert "€210,000.00" in html
    assert f'data-aggregates="{other.id}"' not in html and "€99,999.00" not in html


def test_unlisted_alumni_make_a_small_listed_group(db, client, staff):
    program, past, _call = builders.make_impact_program(alumni=6, listed=4)
    _published(program, staff)
    html = client.get(f"/transparency/{program.id}").get_data(as_text=True)
    assert "Société Éclair 3" in html and "Société Éclair 4" not in html
    assert f'data-aggregates="{past.id}"' not in html


def test_the_public_page_reads_in_french(world, client, staff):
    program, _past, _call = world
    _published(program, staff)
    response = client.get(f"/transparency/{program.id}", headers={"Accept-Language": "fr"})
    assert response.status_code == 200


def _grow(program, past, n: int) -> None:
    more = factories.make_cohort(program=program, phase="completed")
    factories.make_pilot(
        status="decided", introduction=factories.make_introduction(cohort=more, status="accepted")
    )
    for cohort in (past, more):
        for i in range(n):
            alumnus = builders.make_alumnus(cohort, team_size=2, listed=True)
            builders.make_survey(alumnus, months=6, currency="USD" if i % 2 else "EUR")
            builders.make_survey(alumnus, months=24, outcome="closed")
            application = factories.make_application(cohort=cohort)
            factories.make_review(application=application, feedback_tags=["team"])
    factories.make_cohort(program=program, phase="running")


def test_public_statements_do_not_grow_with_the_data(
    world, client, staff, count_queries, computed_figures
):
    program, past, _call = world
    _published(program, staff)
    url = f"/transparency/{program.id}"
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(program, past, 8)
    db.session.commit()
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, (small.count, large.count)


def test_days_to_decision_start_at_the_deadline(db):
    cohort = factories.make_cohort(phase="completed")
    from accelerator.programs.models import Program
    from accelerator.reviews.models import Decision, Outcome

    for days in (-2, 1, 5):  # a decision before the deadline counts as 0 days
        application = factories.make_application(cohort=cohort)
        db.session.add(
            Decision(
                application_id=application.id,
                outcome=Outcome.REJECTED,
                decided_at=cohort.applications_close_at + timedelta(days=days),
            )
        )
    db.session.flush()
    [figures] = program_overview(db.session.get(Program, cohort.program_id)).cohorts
    assert sorted(round(d, 3) for d in figures.deadline_days) == [0, 1, 5]
    assert figures.median_deadline_days == 1


def test_visitors_find_the_published_pages_from_the_navigation(world, client, staff):
    program, _past, _call = world
    page = client.get("/")
    assert 'href="/transparency"' in page.get_data(as_text=True)
    listing = client.get("/transparency").get_data(as_text=True)
    assert "No program has published its transparency page yet." in listing
    _published(program, staff)
    listing = client.get("/transparency").get_data(as_text=True)
    assert f'href="/transparency/{program.id}"' in listing and program.name in listing
