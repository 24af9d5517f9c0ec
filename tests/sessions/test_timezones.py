"""A time is typed, stored and shown in the zone of the program it belongs to (issue 18, items 1
and 2): an office hour in the zone of the mentor's startups' program (chosen when they follow
startups in two programs), a session in its pair's program, the red-flag stamp and the home's
"last session" in the startup's program, and the calendar feed at the typed instant with the
program's TZID and VTIMEZONE."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from accelerator.core.errors import ValidationFailed
from accelerator.core.timeutil import to_local
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.sessions import calendar, office_hours
from accelerator.sessions.models import MentorSession, OfficeHourSlot
from tests import factories
from tests.sessions.builders import make_pair, make_session

PARIS, LOS_ANGELES = "Europe/Paris", "America/Los_Angeles"


def _winter_day() -> date:
    """A day in January within the year office hours may be published ahead (UTC+1 in Paris,
    UTC-8 in Los Angeles)."""
    today = utcnow().date()
    year = today.year if (today.month, today.day) < (1, 10) else today.year + 1
    return date(year, 1, 15)


def _program_cohort(zone: str, *, newest: bool = False):
    program = factories.make_program(timezone=zone, name=f"Program in {zone}")
    cohort = factories.make_cohort(program=program, phase="running")
    if newest:  # a cohort that starts later than any other: the newest in the app
        cohort.starts_on = cohort.starts_on + timedelta(days=20)
        db.session.flush()
    return program, cohort


@pytest.fixture
def paris_pair(db, pair_mentor, startup):
    """The mentor follows a startup of a Paris program; the newest cohort is in Los Angeles."""
    _paris, cohort = _program_cohort(PARIS)
    _program_cohort(LOS_ANGELES, newest=True)
    return make_pair(mentor=pair_mentor, startup=startup, cohort=cohort)


def test_a_paris_mentor_s_office_hour_is_read_in_paris_time_whatever_the_newest_cohort(
    paris_pair, pair_mentor
):
    day = _winter_day()
    slot = office_hours.publish_slot(
        actor=pair_mentor,
        starts_local=datetime.combine(day, datetime.min.time()).replace(hour=17, minute=15),
        duration_minutes=30,
        location="Orange Gardens",
    )
    assert slot.timezone == PARIS
    assert slot.starts_at == datetime(day.year, day.month, day.day, 16, 15, tzinfo=UTC)


def test_a_mentor_with_startups_in_two_programs_chooses_the_program(db, pair_mentor, startup):
    paris, paris_cohort = _program_cohort(PARIS)
    los_angeles, la_cohort = _program_cohort(LOS_ANGELES)
    make_pair(mentor=pair_mentor, startup=startup, cohort=paris_cohort)
    make_pair(mentor=pair_mentor, startup=factories.make_startup(), cohort=la_cohort)
    day = _winter_day()
    typed = datetime(day.year, day.month, day.day, 17, 15)
    publish = dict(actor=pair_mentor, duration_minutes=30, location="Room 1")
    with pytest.raises(ValidationFailed) as caught:
        office_hours.publish_slot(starts_local=typed, **publish)
    assert caught.value.field == "program"
    with pytest.raises(ValidationFailed) as caught:
        office_hours.publish_slot(starts_local=typed, program_id=999999, **publish)
    assert caught.value.field == "program"
    in_la = office_hours.publish_slot(starts_local=typed, program_id=los_angeles.id, **publish)
    assert in_la.timezone == LOS_ANGELES
    assert in_la.starts_at == datetime(day.year, day.month, day.day + 1, 1, 15, tzinfo=UTC)
    in_paris = office_hours.publish_slot(
        starts_local=typed - timedelta(hours=3), program_id=paris.id, **publish
    )
    assert (in_paris.timezone, to_local(in_paris.starts_at, PARIS).hour) == (PARIS, 14)


def test_the_slot_form_names_the_zone_or_offers_the_programs(login_as, db, pair_mentor, startup):
    paris, paris_cohort = _program_cohort(PARIS)
    make_pair(mentor=pair_mentor, startup=startup, cohort=paris_cohort)
    client = login_as(pair_mentor)
    page = client.get("/mentoring/office-hours").get_data(as_text=True)
    assert "In Europe/Paris." in page and 'name="program"' not in page
    los_angeles, la_cohort = _program_cohort(LOS_ANGELES)
    make_pair(mentor=pair_mentor, startup=factories.make_startup(), cohort=la_cohort)
    page = client.get("/mentoring/office-hours").get_data(as_text=True)
    assert 'name="program"' in page
    assert (
        f"{paris.name} (Europe/Paris)" in page
        and f"{los_angeles.name} (America/Los_Angeles)" in page
    )
    day = _winter_day().isoformat()
    typed = {"starts_on": day, "start_time": "17:15", "duration": "30", "location": "Room 1"}
    refused = client.post("/mentoring/office-hours", data=typed)
    assert refused.status_code == 422 and "Choose the program" in refused.get_data(as_text=True)
    assert (
        client.post(
            "/mentoring/office-hours", data={**typed, "program": los_angeles.id}
        ).status_code
        == 302
    )
    slot = db.session.scalar(select(OfficeHourSlot))
    assert slot.timezone == LOS_ANGELES and to_local(slot.starts_at, LOS_ANGELES).hour == 17


def test_the_office_hours_page_names_each_slot_s_zone_not_another_program_s(
    login_as, paris_pair, pair_mentor, pair_founder
):
    day = _winter_day()
    office_hours.publish_slot(
        actor=pair_mentor,
        starts_local=datetime(day.year, day.month, day.day, 17, 15),
        duration_minutes=30,
        location="Orange Gardens",
    )
    page = login_as(pair_founder).get("/mentoring/office-hours").get_data(as_text=True)
    assert f"{day.isoformat()} 17:15 CET" in page
    assert "America/Los_Angeles" not in page and "Times are in" not in page


def test_a_session_is_typed_and_shown_in_its_program_s_zone(login_as, db, pair_mentor, startup):
    _la, cohort = _program_cohort(LOS_ANGELES)
    _program_cohort(PARIS, newest=True)
    pair = make_pair(mentor=pair_mentor, startup=startup, cohort=cohort)
    client = login_as(pair_mentor)
    form = client.get(f"/mentoring/sessions/new?startup={startup.id}").get_data(as_text=True)
    assert "In America/Los_Angeles." in form
    held_on = to_local(utcnow() - timedelta(days=2), LOS_ANGELES).date()
    response = client.post(
        "/mentoring/sessions/new",
        data={
            "startup": pair.startup_id,
            "mentor": pair.mentor_id,
            "held_on": held_on.isoformat(),
            "start_time": "17:15",
            "duration": "60",
            "format": "video",
            "red_flag_reason": "Runway under two months",
        },
    )
    assert response.status_code == 302
    session = db.session.scalar(select(MentorSession))
    local = to_local(session.starts_at, LOS_ANGELES)
    assert (local.date(), local.hour, local.minute) == (held_on, 17, 15)
    page = client.get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)
    assert f"{held_on.isoformat()} 17:15 P" in page  # PST or PDT, the program's wall clock
    flagged = to_local(session.red_flag_at, LOS_ANGELES).strftime("%Y-%m-%d %H:%M %Z")
    assert f"({flagged})" in page  # the red-flag stamp, in the program's zone too


def test_the_founder_home_dates_the_last_session_in_the_startup_s_zone(
    login_as, db, pair_mentor, pair_founder, startup
):
    _la, cohort = _program_cohort(LOS_ANGELES)
    pair = make_pair(mentor=pair_mentor, startup=startup, cohort=cohort)
    session = make_session(pair)
    # 03:00 UTC is still the evening before in Los Angeles.
    session.starts_at = session.starts_at.replace(hour=3, minute=0, second=0, microsecond=0)
    db.session.flush()
    evening = to_local(session.starts_at, LOS_ANGELES).date()
    assert evening != session.starts_at.date()
    home = login_as(pair_founder).get("/").get_data(as_text=True)
    assert f"Last session: {evening.isoformat()}" in home


def _feed_events(client, token) -> dict:
    body = client.get(f"/mentoring/calendar/{token}.ics").data
    parsed = Calendar.from_ical(body)
    return body, {str(e["uid"]).split("@")[0]: e for e in parsed.walk("VEVENT")}


def test_the_feed_carries_the_program_zone_at_the_typed_instant(client, paris_pair, pair_mentor):
    day = _winter_day()
    slot = office_hours.publish_slot(
        actor=pair_mentor,
        starts_local=datetime(day.year, day.month, day.day, 17, 15),
        duration_minutes=30,
        location="Orange Gardens",
    )
    token = calendar.issue_token(actor=pair_mentor)
    db.session.flush()
    body, events = _feed_events(client, token)
    event = events[f"slot-{slot.id}"]
    assert event["dtstart"].params["TZID"] == PARIS
    assert f"DTSTART;TZID=Europe/Paris:{day:%Y%m%d}T171500".encode() in body
    start = event.decoded("dtstart")
    assert start.astimezone(UTC) == datetime(day.year, day.month, day.day, 16, 15, tzinfo=UTC)
    assert event.decoded("dtend") - start == timedelta(minutes=30)
    zones = [str(tz["tzid"]) for tz in Calendar.from_ical(body).walk("VTIMEZONE")]
    assert zones == [PARIS]


def test_a_session_in_the_feed_and_its_ics_file_keep_its_program_zone(
    client, login_as, db, pair_mentor, pair_founder, startup
):
    _la, cohort = _program_cohort(LOS_ANGELES)
    session = make_session(make_pair(mentor=pair_mentor, startup=startup, cohort=cohort))
    token = calendar.issue_token(actor=pair_founder)
    db.session.flush()
    _body, events = _feed_events(client, token)
    start = events[f"session-{session.id}"].decoded("dtstart")
    assert str(start.tzinfo) == LOS_ANGELES
    assert start == session.starts_at.replace(microsecond=0)  # the same instant, to the second
    ics = login_as(pair_founder).get(f"/mentoring/sessions/{session.id}.ics").data
    assert b"DTSTART;TZID=America/Los_Angeles:" in ics and b"BEGIN:VTIMEZONE" in ics
