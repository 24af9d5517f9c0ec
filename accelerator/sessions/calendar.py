"""Calendars: a private, revocable iCal feed per user, and one session as a .ics file.

The feed address holds a random token; only its SHA-256 is stored, so the address is shown
once, when it is made. Revoking keeps the row (the address then answers 410 Gone) and a user
holds at most one live token (a partial unique index).

A timed event is written at the instant it was typed, in the zone of its program (DTSTART with
its TZID, and the zone's VTIMEZONE in the calendar), so a calendar app shows 17:15 Paris time
for an office hour typed 17:15 in a Paris program, wherever it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select, update

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id, timezone_of
from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState
from accelerator.core.i18n import gettext as _
from accelerator.core.timeutil import to_local
from accelerator.core.tokens import hash_token, new_token
from accelerator.core.types import utcnow
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.mentoring.models import Match
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.programs.models import Cohort, CohortState, Enrollment
from accelerator.programs.queries import demo_day
from accelerator.sessions.models import ActionItem, CalendarToken, MentorSession, OfficeHourSlot

PRODID = "-//Accelerator//Mentoring//EN"
#: How far back the feed reaches: recent history is useful, years of it only slow clients.
HISTORY = timedelta(days=180)


# --- tokens ---------------------------------------------------------------------------------


def live_token(user_id: int) -> CalendarToken | None:
    return db.session.scalar(
        select(CalendarToken).where(
            CalendarToken.user_id == user_id, CalendarToken.revoked_at.is_(None)
        )
    )


def _revoke_live(user_id: int) -> int:
    result = db.session.execute(
        update(CalendarToken)
        .where(CalendarToken.user_id == user_id, CalendarToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def issue_token(*, actor) -> str:
    """A new feed address for the actor; the previous one stops working. Returns the token."""
    replaced = _revoke_live(actor.id)
    token, digest = new_token()
    if not add_unique(CalendarToken(user_id=actor.id, token_hash=digest)):
        raise Conflict(_("Your calendar address changed a moment ago. Reload the page."))
    audit.record("mentoring.calendar_token_issued", actor, actor=actor, data={"replaced": replaced})
    return token


def revoke_token(*, actor) -> None:
    if not _revoke_live(actor.id):
        raise InvalidState(_("You have no calendar address to revoke."))
    audit.record("mentoring.calendar_token_revoked", actor, actor=actor)


def user_for_token(token: str) -> tuple[str, User | None]:
    """("ok", user), ("revoked", None) or ("unknown", None) for a feed address's token."""
    if not token or len(token) > 100:
        return "unknown", None
    row = db.session.scalar(
        select(CalendarToken)
        .where(CalendarToken.token_hash == hash_token(token))
        .execution_options(populate_existing=True)
    )
    if row is None:
        return "unknown", None
    if row.revoked_at is not None:
        return "revoked", None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active or user.role == Role.PARTNER:
        # A business-unit partner has no mentoring calendar, even one they made before an
        # administrator changed their role.
        return "revoked", None
    return "ok", user


# --- what a user's calendar holds ----------------------------------------------------------


@dataclass(frozen=True)
class KeyDate:
    uid: str
    day: date
    title: str


def _cohorts_of(user: User) -> list[Cohort]:
    today = utcnow().date()
    statement = select(Cohort).where(Cohort.ends_on >= today - HISTORY)
    if user.role == Role.FOUNDER:
        mine = founder_startup_id(user)
        statement = statement.where(
            Cohort.id.in_(select(Enrollment.cohort_id).where(Enrollment.startup_id == mine))
            | Cohort.id.in_(
                select(Match.cohort_id).where(
                    Match.startup_id == mine, Match.status.in_(ACTIVE_MATCH)
                )
            )
        )
    elif user.role == Role.MENTOR:
        statement = statement.where(
            Cohort.id.in_(
                select(Match.cohort_id).where(
                    Match.mentor_id == user.id, Match.status.in_(ACTIVE_MATCH)
                )
            )
        )
    else:
        statement = statement.where(Cohort.state == CohortState.PUBLISHED)
    return list(db.session.scalars(statement.order_by(Cohort.starts_on, Cohort.id)))


def key_dates(cohort: Cohort, *, staff: bool = False) -> list[KeyDate]:
    """Kickoff, mid-program, demo day; for staff also the application deadline."""
    middle = cohort.starts_on + (cohort.ends_on - cohort.starts_on) / 2
    dates = [
        KeyDate(
            f"cohort-{cohort.id}-kickoff", cohort.starts_on, _("%(c)s: kickoff", c=cohort.name)
        ),
        KeyDate(f"cohort-{cohort.id}-mid", middle, _("%(c)s: mid-program review", c=cohort.name)),
        KeyDate(f"cohort-{cohort.id}-demo", demo_day(cohort), _("%(c)s: demo day", c=cohort.name)),
    ]
    if staff:
        dates.append(
            KeyDate(
                f"cohort-{cohort.id}-close",
                cohort.applications_close_at.date(),
                _("%(c)s: applications close", c=cohort.name),
            )
        )
    return dates


def _own(statement, model, user: User):
    """`statement` narrowed to the user's own rows of `model` (a mentor's, or their startup's
    for a founder), or None for staff, who follow these on the engagement page."""
    if user.role == Role.MENTOR:
        return statement.where(model.mentor_id == user.id)
    if user.role == Role.FOUNDER:
        return statement.where(model.startup_id == founder_startup_id(user))
    return None


def _timed_of(model, user: User, since: datetime) -> list:
    """The user's own sessions or office hours (`model`) from `since`, each with its startup's
    name (None for a slot nobody booked), by start."""
    statement = _own(
        select(model, Startup.name)
        .outerjoin(Startup, Startup.id == model.startup_id)
        .where(model.starts_at >= since),
        model,
        user,
    )
    if statement is None:
        return []
    return list(db.session.execute(statement.order_by(model.starts_at)))


def _items_of(user: User) -> list[ActionItem]:
    statement = _own(
        select(ActionItem).where(ActionItem.done_at.is_(None), ActionItem.due_on.is_not(None)),
        ActionItem,
        user,
    )
    if statement is None:
        return []
    return list(db.session.scalars(statement.order_by(ActionItem.due_on)))


def _names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _finish(calendar: Calendar) -> bytes:
    """The calendar as iCal, with a VTIMEZONE for every zone its events name (covering a year
    around them, so the definitions stay short)."""
    times = [
        component.decoded("dtstart")
        for component in calendar.walk("VEVENT")
        if isinstance(component.decoded("dtstart"), datetime)
    ]
    if times:
        year = timedelta(days=366)
        calendar.add_missing_timezones(
            first_date=(min(times) - year).date(), last_date=(max(times) + year).date()
        )
    return calendar.to_ical()


def _timed(start: datetime, minutes: int, tz: str) -> tuple[datetime, datetime]:
    """Start and end at the same instant, on the wall clock of the program's zone."""
    local = to_local(start, tz)
    return local, local + timedelta(minutes=minutes)


def _event(uid: str, summary: str, start, end=None, *, location: str = "", description: str = ""):
    event = Event()
    event.add("uid", f"{uid}@accelerator")
    event.add("dtstamp", utcnow())
    event.add("summary", summary)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    return event


def session_event(session: MentorSession, startup_name: str, mentor_name: str, *, viewer):
    """One session as an event; the private notes never leave the app."""
    description = session.summary if viewer.role != Role.FOUNDER or not session.is_pending else ""
    start, end = _timed(session.starts_at, session.duration_minutes, timezone_of(session))
    return _event(
        f"session-{session.id}",
        _("Mentoring: %(startup)s with %(mentor)s", startup=startup_name, mentor=mentor_name),
        start,
        end,
        description=description,
    )


def feed(user: User) -> bytes:
    """The user's calendar: sessions, booked office hours (mentors: all their slots), action
    items due, and the key dates of their cohorts."""
    since = utcnow() - HISTORY
    calendar = _calendar(_("Accelerator: %(name)s", name=user.name))
    sessions = _timed_of(MentorSession, user, since)
    slots = _timed_of(OfficeHourSlot, user, since)
    names = _names([s.mentor_id for s, _n in sessions] + [s.mentor_id for s, _n in slots])
    for session, startup_name in sessions:
        mentor = names.get(session.mentor_id, "")
        calendar.add_component(session_event(session, startup_name, mentor, viewer=user))
    for slot, startup_name in slots:
        if startup_name:
            title = _(
                "Office hour: %(startup)s with %(mentor)s",
                startup=startup_name,
                mentor=names.get(slot.mentor_id, ""),
            )
        else:
            title = _("Office hour (open)")
        start, end = _timed(slot.starts_at, slot.duration_minutes, slot.timezone)
        calendar.add_component(_event(f"slot-{slot.id}", title, start, end, location=slot.location))
    for item in _items_of(user):
        calendar.add_component(
            _event(
                f"item-{item.id}",
                _("Due: %(text)s", text=item.text),
                item.due_on,
                item.due_on + timedelta(days=1),
            )
        )
    for cohort in _cohorts_of(user):
        for key in key_dates(cohort, staff=user.is_staff):
            calendar.add_component(_event(key.uid, key.title, key.day, key.day + timedelta(days=1)))
    return _finish(calendar)


def session_ics(session: MentorSession, *, viewer) -> bytes:
    startup = db.session.get(Startup, session.startup_id)
    mentor = db.session.get(User, session.mentor_id)
    calendar = _calendar(_("Mentoring session"))
    calendar.add_component(session_event(session, startup.name, mentor.name, viewer=viewer))
    return _finish(calendar)
