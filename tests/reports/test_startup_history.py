"""The staff startup page tells the startup's story from the audit log, as sentences."""

from __future__ import annotations

import re

import pytest

from accelerator.core import history
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.grants import services as grant_services
from accelerator.grants.models import Grant
from accelerator.mentoring import services
from accelerator.milestones import services as milestone_services
from accelerator.programs.models import Cohort, Enrollment
from tests import factories
from tests.factories.milestones import make_enrolled
from tests.grants.helpers import new_key

EVENT_CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")


def _history(page: str) -> list[str]:
    block = page.split('<ol class="list-unstyled mb-2 history">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


@pytest.fixture
def story(db):
    """An enrolled startup whose grant, milestones and mentors moved through the services."""
    rita = factories.make_user(role="staff", name="Rita Requester")
    sophie = factories.make_user(role="staff", name="Sophie Martin")
    founder = factories.make_user(role="founder", name="Fiona Founder")
    startup = factories.make_startup(founders=[founder], name="Société Éclair")
    enrollment = make_enrolled(startup=startup)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    grant = db.session.scalar(db.select(Grant).where(Grant.enrollment_id == enrollment.id))
    row, _created = grant_services.request_disbursement(
        grant,
        actor=rita,
        tranche_key="kickoff",
        amount_cents=1_000_000,
        idempotency_key=new_key(),
    )
    grant_services.approve_disbursement(row, actor=sophie, seen_amount_cents=1_000_000)
    milestone_services.add_milestone(
        enrollment, actor=rita, title="First pilot signed", due_on=cohort.ends_on
    )
    mentor = factories.make_mentor(name="Claire Dubois")
    services.add_match(cohort, startup_id=startup.id, mentor_id=mentor.id, actor=sophie)
    db.session.commit()
    return startup, enrollment


def test_the_startup_page_tells_the_story_in_sentences(login_as, staff, story):
    startup, enrollment = story
    ends_on = db.session.get(Cohort, enrollment.cohort_id).ends_on
    page = login_as(staff).get(f"/reports/startups/{startup.id}").get_data(as_text=True)
    entries = _history(page)
    sentences = " | ".join(entries)
    assert "Sophie Martin approved the Kickoff tranche, $10,000.00." in sentences
    assert "Rita Requester requested the Kickoff tranche, $10,000.00." in sentences
    assert (
        f"Rita Requester added the milestone “First pilot signed”, due {ends_on.isoformat()}."
        in sentences
    )
    assert "Sophie Martin matched Claire Dubois with the startup." in sentences
    # Newest first; a time a person reads carries its zone.
    assert "matched Claire Dubois" in entries[0]
    assert all(re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+ ", e) for e in entries)
    # Never an event code in what people read.
    assert not EVENT_CODE.search(sentences.replace("$10,000.00.", ""))


def test_the_story_reads_in_french_with_french_money(login_as, staff, story):
    startup, _enrollment = story
    client = login_as(staff)
    page = client.get(
        f"/reports/startups/{startup.id}", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    sentences = " | ".join(_history(page))
    assert "Sophie Martin a approuvé la tranche Kickoff, 10 000,00 $US." in sentences.replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    assert "Sophie Martin a associé Claire Dubois à la startup." in sentences


def test_every_event_filed_under_a_startup_reads_as_a_sentence(story):
    actions = set(
        db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.startup_id.is_not(None)))
    )
    assert {"grant.disbursement_approved", "milestone.added", "match.added"} <= actions
    assert all(history.described(action) for action in actions), sorted(
        a for a in actions if not history.described(a)
    )


def test_events_are_filed_under_the_startup_they_concern(story):
    startup, enrollment = story
    other = make_enrolled()
    rows = db.session.execute(
        db.select(AuditEvent.action, AuditEvent.startup_id).where(
            AuditEvent.action.in_(
                ["grant.disbursement_requested", "milestone.added", "match.added"]
            )
        )
    ).all()
    assert {startup_id for _action, startup_id in rows} == {startup.id}
    assert db.session.get(Enrollment, other.id).startup_id != startup.id


def test_the_whole_history_pages_and_the_preview_links_to_it(login_as, staff, story):
    startup, enrollment = story
    sophie = factories.make_user(role="staff", name="Sam Staff")
    for day in range(60):
        milestone_services.add_milestone(
            enrollment,
            actor=sophie,
            title=f"Step {day}",
            due_on=db.session.get(Cohort, enrollment.cohort_id).ends_on,
        )
    db.session.commit()
    client = login_as(staff)
    page = client.get(f"/reports/startups/{startup.id}").get_data(as_text=True)
    assert len(_history(page)) == 12
    assert f"/reports/startups/{startup.id}/history" in page
    first = client.get(f"/reports/startups/{startup.id}/history").get_data(as_text=True)
    second = client.get(f"/reports/startups/{startup.id}/history?page=2").get_data(as_text=True)
    assert len(_history(first)) == 50
    assert "Step 59" in _history(first)[0]
    assert any("Rita Requester requested" in e for e in _history(second))
    total = db.session.scalar(
        db.select(db.func.count(AuditEvent.id)).where(AuditEvent.startup_id == startup.id)
    )
    assert total > 60 and f">{total} in all<" in second


def test_a_startup_with_no_history_says_so(login_as, staff, db):
    startup = factories.make_startup(name="Quiet Startup")
    page = login_as(staff).get(f"/reports/startups/{startup.id}/history").get_data(as_text=True)
    assert "Nothing has happened yet." in page


def test_confirming_a_place_and_the_enrolment_it_makes_read_as_one_act(login_as, staff, make):
    from tests.factories import founder_of

    cohort = make.make_cohort(phase="reviewing")
    application = make.make_application(cohort=cohort, status="in_review")
    make.make_offer(application)
    founder = founder_of(application)
    response = login_as(founder).post(f"/reviews/offers/{application.id}/confirm")
    assert response.status_code in (200, 302)
    actions = set(
        db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.startup_id == application.startup_id)
        )
    )
    assert {"offer.confirmed", "enrollment.created"} <= actions
    page = login_as(staff).get(f"/reports/startups/{application.startup_id}")
    entries = _history(page.get_data(as_text=True))
    confirmed = [e for e in entries if "confirmed the offered place" in e]
    assert len(confirmed) == 1 and founder.name in confirmed[0]
    assert not any("enrolled the startup in the cohort" in e for e in entries)


def test_the_history_page_is_kept_until_an_act_is_recorded(login_as, staff, story, count_queries):
    """Kept as rendered for every staff member asking for the same page (core.cache.kept_body):
    a second view reads no event; the next act recorded shows on the view after it."""
    startup, enrollment = story
    client = login_as(staff)
    url = f"/reports/startups/{startup.id}/history"
    first = client.get(url).get_data(as_text=True)
    with count_queries() as counter:
        again = client.get(url).get_data(as_text=True)
    assert not any("FROM audit_events" in s for s in counter.statements), counter.statements
    assert counter.count <= 3 and _history(again) == _history(first)
    assert "matched Claire Dubois" in _history(first)[0]
    milestone_services.add_milestone(
        enrollment, actor=staff, title="Premier pilote signé", due_on=startup.created_at.date()
    )
    db.session.commit()
    assert "Premier pilote signé" in _history(client.get(url).get_data(as_text=True))[0]
