"""The calendar feed: a private address per user, without login, revocable; what it holds."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from sqlalchemy import select

from accelerator.core.errors import InvalidState
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.sessions import calendar
from accelerator.sessions.models import CalendarToken
from tests.sessions.builders import make_session, make_slot


def _events(body: bytes) -> dict[str, str]:
    parsed = Calendar.from_ical(body)
    return {str(e["uid"]): str(e["summary"]) for e in parsed.walk("VEVENT")}


def test_only_the_hash_is_kept_and_a_new_address_replaces_the_old(pair_founder):
    first = calendar.issue_token(actor=pair_founder)
    row = db.session.scalar(select(CalendarToken))
    assert first not in row.token_hash and len(row.token_hash) == 64
    second = calendar.issue_token(actor=pair_founder)
    assert calendar.user_for_token(first) == ("revoked", None)
    assert calendar.user_for_token(second) == ("ok", pair_founder)
    calendar.revoke_token(actor=pair_founder)
    assert calendar.user_for_token(second) == ("revoked", None)
    with pytest.raises(InvalidState):
        calendar.revoke_token(actor=pair_founder)
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("mentoring.calendar_token_issued") == 2
    assert "mentoring.calendar_token_revoked" in actions


def test_the_feed_holds_sessions_booked_office_hours_items_and_key_dates(
    client, pair, pair_mentor, pair_founder, startup
):
    session = make_session(pair, days_ago=2, private_notes="never in a feed")
    slot = make_slot(pair_mentor, startup=startup, booker=pair_founder)
    free = make_slot(pair_mentor, in_hours=96)
    token = calendar.issue_token(actor=pair_founder)
    db.session.flush()
    response = client.get(f"/mentoring/calendar/{token}.ics")  # no login
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert b"never in a feed" not in response.data
    events = _events(response.data)
    assert f"session-{session.id}@accelerator" in events
    assert f"slot-{slot.id}@accelerator" in events
    assert f"slot-{free.id}@accelerator" not in events  # a founder sees bookings, not free slots
    kinds = {uid.split("@")[0].rsplit("-", 1)[-1] for uid in events if uid.startswith("cohort-")}
    assert kinds == {"kickoff", "mid", "demo"}


def test_a_mentor_feed_shows_their_free_slots_too(client, pair, pair_mentor):
    free = make_slot(pair_mentor)
    token = calendar.issue_token(actor=pair_mentor)
    events = _events(client.get(f"/mentoring/calendar/{token}.ics").data)
    assert events[f"slot-{free.id}@accelerator"] == "Office hour (open)"


def test_another_user_s_sessions_never_appear(client, pair, stranger_founder):
    make_session(pair)
    token = calendar.issue_token(actor=stranger_founder)
    events = _events(client.get(f"/mentoring/calendar/{token}.ics").data)
    assert not [uid for uid in events if uid.startswith("session-")]


def test_revoked_and_unknown_addresses(client, login_as, pair_founder):
    token = calendar.issue_token(actor=pair_founder)
    calendar.revoke_token(actor=pair_founder)
    assert client.get(f"/mentoring/calendar/{token}.ics").status_code == 410
    assert client.get("/mentoring/calendar/nope.ics").status_code == 404
    assert client.get(f"/mentoring/calendar/{'x' * 300}.ics").status_code == 404


def test_the_calendar_page_shows_a_new_address_once(login_as, pair_founder):
    client = login_as(pair_founder)
    made = client.post("/mentoring/calendar/address").get_data(as_text=True)
    assert "/mentoring/calendar/" in made and "shown only once" in made
    later = client.get("/mentoring/calendar").get_data(as_text=True)
    assert "shown only once" not in later and "Revoke address" in later
    assert client.post("/mentoring/calendar/address/revoke").status_code == 302
    again = client.post("/mentoring/calendar/address/revoke")
    assert again.status_code == 409


def test_a_deactivated_user_s_feed_stops(client, pair_founder):
    token = calendar.issue_token(actor=pair_founder)
    pair_founder.active = False
    db.session.flush()
    assert client.get(f"/mentoring/calendar/{token}.ics").status_code == 410


def test_key_dates_include_the_application_deadline_for_staff(staff, pair):
    from accelerator.programs.models import Cohort
    from accelerator.programs.queries import demo_day

    cohort = db.session.get(Cohort, pair.cohort_id)
    dates = calendar.key_dates(cohort, staff=True)
    assert [d.uid.rsplit("-", 1)[-1] for d in dates] == ["kickoff", "mid", "demo", "close"]
    assert dates[0].day == cohort.starts_on and dates[2].day == demo_day(cohort)
    assert cohort.starts_on < dates[1].day < cohort.ends_on
