"""Access expectations for office hours, sessions, action items, ratings, red flags, the
calendar and the engagement page.

build() reuses world.startup (the founder's) and world.match (the mentor matched with it, made
by tests/mentoring/access.py) or makes them. Roles act in order (anonymous, founder,
other_founder, mentor, other_mentor, staff, admin): where an earlier role's act changed the
object, the later role meets the new state (409), and the expectation says so.
"""

from __future__ import annotations

from datetime import timedelta

from tests.access import LOGIN, Case, expect, public, signed_in, staff_only


def build(world) -> None:
    from accelerator.core.types import utcnow
    from accelerator.sessions import calendar
    from tests import factories
    from tests.sessions.builders import make_pair, make_session, make_slot

    users = world.users
    try:
        startup = world.startup
    except AttributeError:
        startup = factories.make_startup(name="Matrix Sessions", founders=[users["founder"]])
        world.startup = startup
    try:
        match = world.match
    except AttributeError:
        match = make_pair(mentor=users["mentor"], startup=startup)
        world.match = match
    mentor, founder = users["mentor"], users["founder"]
    world.ms_session = make_session(match, items=("Send the deck",), red_flag="Team conflict")
    world.ms_item = world.ms_session_item = _first_item(world.ms_session.id)
    world.ms_pending = make_session(match, pending=True)
    world.ms_to_rate = make_session(match)
    world.ms_flagged = make_session(match, red_flag="Runway under two months")
    world.ms_free_slot = make_slot(mentor, in_hours=30)
    world.ms_slot_to_withdraw = make_slot(mentor, in_hours=40)
    world.ms_booked_slot = make_slot(mentor, in_hours=50, startup=startup, booker=founder)
    world.ms_slot_ids = {
        name: getattr(world, name).id
        for name in ("ms_free_slot", "ms_slot_to_withdraw", "ms_booked_slot")
    }
    world.ms_tokens = {}
    for role, user in users.items():
        world.ms_tokens[role] = calendar.issue_token(actor=user)
    world.ms_revoked_token = calendar.issue_token(actor=factories.make_user(role="founder"))
    calendar.revoke_token(actor=_owner_of(world.ms_revoked_token))
    world.ms_day = (utcnow() - timedelta(days=1)).date().isoformat()
    world.ms_slot_day = (utcnow() + timedelta(days=9)).date().isoformat()


def _first_item(session_id: int):
    from sqlalchemy import select

    from accelerator.extensions import db
    from accelerator.sessions.models import ActionItem

    return db.session.scalar(select(ActionItem).where(ActionItem.session_id == session_id))


def _owner_of(token: str):
    from accelerator.sessions import calendar

    # Revoking needs the owner: look them up by the token, as the feed does.
    _state, user = calendar.user_for_token(token)
    return user


def _session(attr: str, path: str = ""):
    return lambda w: f"/mentoring/sessions/{getattr(w, attr).id}{path}"


def _slot(attr: str, action: str):
    # By id: the withdrawn slot is gone after the first role's attempt.
    return lambda w: f"/mentoring/office-hours/{w.ms_slot_ids[attr]}/{action}"


def _log_data(w) -> dict:
    return {
        "startup": str(w.startup.id),
        "mentor": str(w.users["mentor"].id),
        "held_on": w.ms_day,
        "start_time": "10:00",
        "duration": "45",
        "format": "video",
        "summary": "Matrix",
    }


def _slot_data(w) -> dict:
    return {
        "starts_on": w.ms_slot_day,
        "start_time": "09:00",
        "duration": "30",
        "location": "Room 4.12",
    }


#: Business-unit partners read no session, note or office hour: their role is refused.
PARTNERS_403 = {"partner": 403, "other_partner": 403}
MEMBERS = signed_in(200) | PARTNERS_403
PAIR_ONLY = expect(
    404, anonymous=LOGIN, founder=200, mentor=200, staff=200, admin=200, **PARTNERS_403
)

CASES = {
    "sessions.office_hours_page": [Case("/mentoring/office-hours", MEMBERS)],
    "sessions.publish_slot": [
        Case(
            "/mentoring/office-hours",
            expect(403, anonymous=LOGIN, mentor=302, other_mentor=302),
            method="POST",
            data=_slot_data,
        ),
        Case(
            "/mentoring/office-hours",
            expect(403, anonymous=LOGIN, mentor=422, other_mentor=422),
            method="POST",
            data={"duration": "0"},
            note="bad input comes back beside the fields",
        ),
    ],
    # Only a founder of a startup matched with the slot's mentor books it.
    "sessions.book_slot": [
        Case(
            _slot("ms_free_slot", "book"),
            expect(403, anonymous=LOGIN, founder=302),
            method="POST",
            data={},
        ),
    ],
    # The founder cancels first; afterwards there is no booking left to cancel (409).
    "sessions.cancel_booking": [
        Case(
            _slot("ms_booked_slot", "cancel"),
            expect(
                409,
                anonymous=LOGIN,
                founder=302,
                other_founder=404,
                other_mentor=404,
                **PARTNERS_403,
            ),
            method="POST",
            data={},
        ),
    ],
    "sessions.withdraw_slot": [
        Case(
            _slot("ms_slot_to_withdraw", "withdraw"),
            expect(403, anonymous=LOGIN, mentor=302, other_mentor=404),
            method="POST",
            data={},
        ),
    ],
    "sessions.sessions_list": [
        Case("/mentoring/sessions", MEMBERS),
        Case("/mentoring/sessions?flag=open&cohort=abc&page=-1", MEMBERS),
    ],
    "sessions.new_session": [
        Case(
            "/mentoring/sessions/new",
            expect(200, anonymous=LOGIN, staff=403, admin=403, **PARTNERS_403),
        ),
        Case(
            lambda w: f"/mentoring/sessions/new?startup={w.startup.id}&mentor=x",
            expect(200, anonymous=LOGIN, staff=403, admin=403, **PARTNERS_403),
        ),
    ],
    # Matched mentor and the startup's founder log; the others' startup is not theirs (422).
    "sessions.log_session": [
        Case(
            "/mentoring/sessions/new",
            expect(
                403, anonymous=LOGIN, founder=302, other_founder=422, mentor=302, other_mentor=422
            ),
            method="POST",
            data=_log_data,
        ),
    ],
    "sessions.session_detail": [
        Case(_session("ms_session"), PAIR_ONLY),
        Case("/mentoring/sessions/999999", expect(404, anonymous=LOGIN, **PARTNERS_403)),
    ],
    "sessions.session_ics": [Case(_session("ms_session", ".ics"), PAIR_ONLY)],
    "sessions.confirm_session": [
        Case(
            _session("ms_pending", "/confirm"),
            expect(403, anonymous=LOGIN, mentor=302, other_mentor=404),
            method="POST",
            data={},
        ),
    ],
    "sessions.rate_session": [
        Case(
            _session("ms_to_rate", "/rate"),
            expect(403, anonymous=LOGIN, founder=302, other_founder=404),
            method="POST",
            data={"score": "4", "comment": "Useful"},
        ),
    ],
    # Staff resolve it; admin then finds it resolved (409).
    "sessions.resolve_red_flag": [
        Case(
            _session("ms_flagged", "/resolve-flag"),
            staff_only(302) | {"admin": 409},
            method="POST",
            data={"note": "Talked to the founders."},
        ),
    ],
    # The founder ticks it off; the mentor then finds it done (409); others never see it.
    "sessions.change_item": [
        Case(
            lambda w: f"/mentoring/action-items/{w.ms_item.id}/done",
            expect(
                403, anonymous=LOGIN, founder=302, other_founder=404, mentor=409, other_mentor=404
            ),
            method="POST",
            data={},
        ),
    ],
    "sessions.calendar_page": [Case("/mentoring/calendar", MEMBERS)],
    "sessions.issue_calendar_token": [
        Case("/mentoring/calendar/address", MEMBERS, method="POST", data={}),
    ],
    "sessions.revoke_calendar_token": [
        Case(
            "/mentoring/calendar/address/revoke",
            signed_in(302) | PARTNERS_403,
            method="POST",
            data={},
        ),
    ],
    # No login: the token is the credential; revoked 410, unknown 404.
    "sessions.calendar_feed": [
        Case(lambda w: f"/mentoring/calendar/{w.ms_tokens['founder']}.ics", public(200)),
        Case(lambda w: f"/mentoring/calendar/{w.ms_revoked_token}.ics", public(410)),
        Case(
            lambda w: f"/mentoring/calendar/{w.ms_tokens['partner']}.ics",
            public(410),
            note="a partner has no mentoring calendar, whatever address they hold",
        ),
        Case("/mentoring/calendar/not-a-token.ics", public(404)),
    ],
    "sessions.engagement_page": [
        Case("/mentoring/engagement", staff_only(200)),
        Case("/mentoring/engagement?cohort=999999", staff_only(200)),
    ],
}
