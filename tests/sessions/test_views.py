"""Session and office-hour pages over HTTP: what each role sees, bad input answers 422 beside
the field, refused state 409 with the message, and never a 500."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from accelerator.applications.models import Startup, StartupMember
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.sessions import services
from accelerator.sessions.models import MentorSession, OfficeHourSlot, SessionState
from tests import factories
from tests.pages import unsigned
from tests.sessions.builders import make_pair, make_session, make_slot


def _day(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def _log_form(pair, **overrides) -> dict:
    data = {
        "startup": str(pair.startup_id),
        "mentor": str(pair.mentor_id),
        "held_on": _day(-1),
        "start_time": "10:00",
        "duration": "60",
        "format": "video",
        "summary": "Shared summary text",
        "private_notes": "Secret mentor note",
        "items-0-text": "Send the pricing sheet",
        "items-0-owner": "startup",
        "items-0-due_on": _day(7),
    }
    data.update(overrides)
    return data


def test_the_founder_sees_the_summary_but_never_the_private_notes(
    login_as, pair, pair_founder, pair_mentor, staff
):
    session = make_session(
        pair, summary="Shared summary text", private_notes="Secret mentor note", red_flag="Hush"
    )
    page = login_as(pair_founder).get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)
    assert "Shared summary text" in page
    assert "Secret mentor note" not in page and "Hush" not in page
    for viewer in (pair_mentor, staff):
        page = login_as(viewer).get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)
        assert "Secret mentor note" in page and "Hush" in page


def test_another_mentor_of_the_same_startup_does_not_see_the_pair_s_sessions(
    login_as, pair, startup
):
    colleague = factories.make_user(role="mentor")
    make_pair(mentor=colleague, startup=startup, cohort=db.session.get(Cohort, pair.cohort_id))
    session = make_session(pair)
    assert login_as(colleague).get(f"/mentoring/sessions/{session.id}").status_code == 404
    listing = login_as(colleague).get("/mentoring/sessions").get_data(as_text=True)
    assert f"/mentoring/sessions/{session.id}" not in listing


def test_ratings_are_for_staff_only(login_as, pair, pair_founder, pair_mentor, staff):
    cofounder = factories.make_user(role="founder", name="Cleo Cofounder")
    db.session.add(StartupMember(startup_id=pair.startup_id, user_id=cofounder.id))
    session = make_session(pair)
    services.rate_session(session, actor=cofounder, score=2, comment="Cofounder's private view")
    db.session.flush()
    page = login_as(pair_founder).get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)
    assert "Cofounder&#39;s private view" not in page and "2/5" not in page
    assert "Cofounder" not in login_as(pair_mentor).get(
        f"/mentoring/sessions/{session.id}"
    ).get_data(as_text=True)
    page = login_as(staff).get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)
    assert "2/5" in page and "Cofounder&#39;s private view" in page


def test_the_mentor_logs_a_session_and_the_next_form_carries_its_item(login_as, pair, pair_mentor):
    client = login_as(pair_mentor)
    response = client.post("/mentoring/sessions/new", data=_log_form(pair))
    assert response.status_code == 302
    form = client.get(f"/mentoring/sessions/new?startup={pair.startup_id}").get_data(as_text=True)
    assert "Send the pricing sheet" in form and 'name="done_items"' in form


def test_bad_session_input_answers_422_beside_the_field_and_keeps_what_was_typed(
    login_as, pair, pair_mentor
):
    client = login_as(pair_mentor)
    for overrides, message in [
        ({"duration": "0"}, "between 1 minute and 12 hours"),
        ({"duration": "721"}, "between 1 minute and 12 hours"),
        ({"duration": "abc"}, "Duration"),
        ({"held_on": _day(400)}, "in the future"),
        ({"held_on": "31/02/2026"}, "Date"),
        ({"format": "smoke"}, "Format"),
    ]:
        response = client.post("/mentoring/sessions/new", data=_log_form(pair, **overrides))
        page = response.get_data(as_text=True)
        assert response.status_code == 422, overrides
        assert message in page and "Secret mentor note" in page, overrides
    assert db.session.scalar(select(func.count(MentorSession.id))) == 0


def test_a_session_for_an_unmatched_startup_is_refused(login_as, pair, stranger_mentor):
    response = login_as(stranger_mentor).post("/mentoring/sessions/new", data=_log_form(pair))
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(MentorSession.id))) == 0


def test_a_founder_logs_and_the_mentor_confirms(login_as, pair, pair_founder, pair_mentor):
    response = login_as(pair_founder).post(
        "/mentoring/sessions/new", data=_log_form(pair, private_notes="")
    )
    assert response.status_code == 302
    session = db.session.scalar(select(MentorSession))
    assert session.state == SessionState.PENDING
    client = login_as(pair_mentor)
    assert "Confirm session" in client.get(f"/mentoring/sessions/{session.id}").get_data(
        as_text=True
    )
    assert client.post(f"/mentoring/sessions/{session.id}/confirm").status_code == 302
    again = client.post(f"/mentoring/sessions/{session.id}/confirm")
    assert again.status_code == 409 and "already confirmed" in again.get_data(as_text=True)


def test_publishing_a_slot_and_its_errors(login_as, pair_mentor):
    client = login_as(pair_mentor)
    good = {"starts_on": _day(3), "start_time": "10:00", "duration": "30", "location": "Room 1"}
    assert client.post("/mentoring/office-hours", data=good).status_code == 302
    for overrides, message, status in [
        ({"starts_on": _day(-2)}, "already passed", 422),
        ({"start_time": "10:15"}, "overlaps", 409),  # the input is fine; another slot is there
        ({"duration": "0"}, "between 1 minute and 12 hours", 422),
        ({"duration": "800"}, "between 1 minute and 12 hours", 422),
        ({"location": ""}, "Say where you meet", 422),
    ]:
        response = client.post("/mentoring/office-hours", data={**good, **overrides})
        assert response.status_code == status, overrides
        assert message in response.get_data(as_text=True), overrides
    assert db.session.scalar(select(func.count(OfficeHourSlot.id))) == 1


def test_booking_over_http_and_the_clear_refusals(
    login_as, pair, pair_mentor, pair_founder, stranger_mentor
):
    slot = make_slot(pair_mentor)
    client = login_as(pair_founder)
    page = client.get("/mentoring/office-hours").get_data(as_text=True)
    assert f"/mentoring/office-hours/{slot.id}/book" in page
    assert client.post(f"/mentoring/office-hours/{slot.id}/book").status_code == 302
    again = client.post(f"/mentoring/office-hours/{slot.id}/book")
    assert again.status_code == 409 and "Someone else booked" in again.get_data(as_text=True)
    foreign = make_slot(stranger_mentor)
    refused = client.post(f"/mentoring/office-hours/{foreign.id}/book")
    assert refused.status_code == 403
    assert "your startup&#39;s own mentors" in refused.get_data(as_text=True)
    assert f"/mentoring/office-hours/{foreign.id}/book" not in page  # never offered
    past = make_slot(pair_mentor, in_hours=-2)
    assert client.post(f"/mentoring/office-hours/{past.id}/book").status_code == 409


def test_a_mentor_logs_a_session_from_a_booked_office_hour(
    login_as, pair, startup, pair_mentor, pair_founder
):
    slot = make_slot(pair_mentor, in_hours=-1, startup=startup, booker=pair_founder)
    client = login_as(pair_mentor)
    form = client.get(f"/mentoring/sessions/new?slot={slot.id}").get_data(as_text=True)
    assert f'value="{slot.id}"' in form
    response = client.post(
        "/mentoring/sessions/new", data=_log_form(pair, slot_id=str(slot.id), held_on=_day(0))
    )
    assert response.status_code == 302
    assert db.session.scalar(select(MentorSession.slot_id)) == slot.id
    assert login_as(pair_mentor).get("/mentoring/sessions/new?slot=999999").status_code == 404


def test_staff_resolve_a_red_flag_and_see_flags_on_their_pages(login_as, pair, staff):
    session = make_session(pair, red_flag="Founders splitting")
    client = login_as(staff)
    assert "Founders splitting" in client.get("/").get_data(as_text=True)
    assert "Founders splitting" in client.get("/mentoring/engagement").get_data(as_text=True)
    flagged = client.get("/mentoring/sessions?flag=open").get_data(as_text=True)
    assert f"/mentoring/sessions/{session.id}" in flagged
    empty = client.post(f"/mentoring/sessions/{session.id}/resolve-flag", data={"note": ""})
    assert empty.status_code == 422
    done = client.post(f"/mentoring/sessions/{session.id}/resolve-flag", data={"note": "Met them"})
    assert done.status_code == 302
    assert "Founders splitting" not in client.get("/").get_data(as_text=True)


def test_home_panels(login_as, pair, pair_mentor, pair_founder):
    make_slot(pair_mentor)
    make_session(pair, items=("Ship the beta",))
    mentor_home = login_as(pair_mentor).get("/").get_data(as_text=True)
    assert "Your office hours" in mentor_home and "Log a session" in mentor_home
    founder_home = login_as(pair_founder).get("/").get_data(as_text=True)
    assert "Ship the beta" in founder_home and "Read the summary" in founder_home


def test_ics_download_of_one_session(login_as, pair, pair_founder):
    session = make_session(pair, summary="Summary for the calendar", private_notes="not for ics")
    response = login_as(pair_founder).get(f"/mentoring/sessions/{session.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and "Summary for the calendar" in body
    assert "not for ics" not in body


def test_the_staff_cohort_page_shows_engagement(login_as, pair, staff):
    make_session(pair, red_flag="Runway")
    page = login_as(staff).get(f"/cohorts/{pair.cohort_id}").get_data(as_text=True)
    assert "mentoring-engagement-panel" in page
    assert f"/mentoring/engagement?cohort={pair.cohort_id}" in page


def test_an_unmatched_mentor_without_office_hours_gets_no_sessions_panel(login_as, mentor):
    assert "Your office hours" not in login_as(mentor).get("/").get_data(as_text=True)


def test_the_staff_list_is_kept_until_a_session_or_startup_changes(
    login_as, pair, pair_mentor, staff, admin, count_queries
):
    """The staff's list is kept as rendered for every staff member asking the same
    (core.cache.kept_body): a second view reads nothing but its user, and a change committed
    in between shows on the next. A mentor's own list is never the staff's."""
    make_session(pair, days_ago=2)
    db.session.commit()
    client = login_as(staff)
    first = client.get("/mentoring/sessions").get_data(as_text=True)
    with count_queries() as counter:
        again = client.get("/mentoring/sessions").get_data(as_text=True)
    assert (
        unsigned(again) == unsigned(first) and counter.count <= 2
    )  # the session's user, nothing of the list
    assert "Lumen Networks" in first and "Red flag" not in first
    flagged = make_session(pair, days_ago=1, red_flag="Founders splitting")
    db.session.commit()
    page = client.get("/mentoring/sessions").get_data(as_text=True)
    assert f"/mentoring/sessions/{flagged.id}" in page and "Red flag" in page
    db.session.get(Startup, pair.startup_id).name = "Société Éclair"
    db.session.commit()
    page = client.get("/mentoring/sessions").get_data(as_text=True)
    assert "Société Éclair" in page and "Lumen Networks" not in page
    # A filter is its own page; an admin sees the same rows; a mentor sees their own list.
    assert f"/mentoring/sessions/{flagged.id}" in client.get("/mentoring/sessions?flag=open").text
    assert "Société Éclair" in login_as(admin).get("/mentoring/sessions").text
    other = factories.make_user(role="mentor")
    db.session.commit()
    assert "Société Éclair" not in login_as(other).get("/mentoring/sessions").text
    assert "Société Éclair" in login_as(pair_mentor).get("/mentoring/sessions").text


def test_a_mentors_office_hours_read_the_same_statements_however_many_slots(
    login_as, pair, startup, pair_mentor, pair_founder, count_queries
):
    """The mentor's own list: their name is known (no statement for it), and the statements
    do not grow with the rows."""
    make_slot(pair_mentor, in_hours=30, startup=startup, booker=pair_founder)
    for hours in (50, 70):
        make_slot(pair_mentor, in_hours=hours)
    db.session.commit()
    client = login_as(pair_mentor)
    client.get("/mentoring/office-hours")
    with count_queries() as few:
        page = client.get("/mentoring/office-hours").get_data(as_text=True)
    assert page.count("/withdraw") == 2 and page.count("/cancel") == 1
    for hours in range(90, 290, 20):
        make_slot(pair_mentor, in_hours=hours)
    db.session.commit()
    with count_queries() as many:
        page = client.get("/mentoring/office-hours").get_data(as_text=True)
    assert page.count("/withdraw") == 12
    assert many.count == few.count <= 5


def test_each_office_hour_button_posts_with_the_pages_token(
    app, monkeypatch, login_as, pair_mentor
):
    """The rows' buttons write the page's CSRF token rendered once: each one posts."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    kept = make_slot(pair_mentor, in_hours=50).id
    removed = make_slot(pair_mentor, in_hours=70).id
    db.session.commit()
    client = login_as(pair_mentor)
    page = client.get("/mentoring/office-hours").get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert len(tokens) == 3 and len(set(tokens)) == 1  # two buttons and the publishing form
    response = client.post(
        f"/mentoring/office-hours/{removed}/withdraw", data={"csrf_token": tokens[0]}
    )
    assert response.status_code == 302
    assert db.session.get(OfficeHourSlot, removed) is None
    assert db.session.get(OfficeHourSlot, kept) is not None
