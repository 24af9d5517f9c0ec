"""After a demo day: a guest's "I'd like an introduction" to startups of the running order, and
the introductions staff record.

Rules:
* a guest asks through their personal link (`links.guest_for`), from the moment the event
  starts (409 before) until the link expires; only startups of the running order (slots with
  a startup) may be asked; one ask per guest and startup (UNIQUE, `core.unique.add_unique`);
* the note is optional, short (`NOTE_MAX_CHARS`); a guest may change it or withdraw the ask
  until staff record the introduction (a guarded DELETE / UPDATE: 409 afterwards);
* a guest never sees other guests; founders see who asked for their startup by name and firm
  only (never the e-mail); staff see everything, with the e-mail;
* staff record an introduction once (guarded UPDATE, 409 the second time), with a note; it is
  audited and the startup's founders are mailed "staff introduced you to X".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_emails
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import InvalidState, NotFound, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import guarded
from accelerator.core.mailing import mail_each
from accelerator.core.permissions import require_staff
from accelerator.core.text import checked_text
from accelerator.core.timeutil import format_dt
from accelerator.core.types import utcnow
from accelerator.core.unique import add_unique
from accelerator.core.urls import external_url
from accelerator.demoday.models import DemoDay, Guest, Interest, Slot
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.programs.queries import cohort_timezone

NOTE_MAX_CHARS = 500
INTRODUCTION_NOTE_MAX_CHARS = 2000


# --- Reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pitched:
    """A startup of the running order."""

    startup_id: int
    name: str
    pitch: str


def pitched_startups(demo_day_id: int) -> list[Pitched]:
    """The startups of the running order, in position order (one statement)."""
    rows = db.session.execute(
        select(Slot.startup_id, Startup.name, Slot.pitch)
        .join(Startup, Startup.id == Slot.startup_id)
        .where(Slot.demo_day_id == demo_day_id, Slot.startup_id.is_not(None))
        .order_by(Slot.position, Slot.id)
    )
    return [Pitched(*row) for row in rows]


def guest_interests(guest: Guest) -> dict[int, Interest]:
    """The guest's own asks, by startup (one statement)."""
    return {
        interest.startup_id: interest
        for interest in db.session.scalars(select(Interest).where(Interest.guest_id == guest.id))
    }


@dataclass(frozen=True)
class StaffRow:
    interest: Interest
    guest_name: str
    guest_email: str
    guest_firm: str
    introduced_by: str | None


@dataclass(frozen=True)
class StartupInterest:
    startup_id: int
    name: str
    rows: list[StaffRow]

    @property
    def introduced(self) -> int:
        return sum(1 for row in self.rows if row.interest.introduced_at is not None)


def staff_view(demo_day_id: int) -> list[StartupInterest]:
    """Every ask of the demo day's guests, by startup in running order (startups without asks
    included), each with the guest's name, e-mail and firm (two statements)."""
    by_startup = {
        p.startup_id: StartupInterest(p.startup_id, p.name, [])
        for p in pitched_startups(demo_day_id)
    }
    rows = db.session.execute(
        select(Interest, Guest.name, Guest.email, Guest.firm, Startup.name, User.name)
        .join(Guest, Guest.id == Interest.guest_id)
        .join(Startup, Startup.id == Interest.startup_id)
        .outerjoin(User, User.id == Interest.introduced_by_id)
        .where(Guest.demo_day_id == demo_day_id)
        .order_by(Interest.created_at, Interest.id)
    )
    for interest, name, email, firm, startup_name, introducer in rows:
        group = by_startup.get(interest.startup_id)
        if group is None:  # a startup taken out of the running order after the ask
            group = by_startup[interest.startup_id] = StartupInterest(
                interest.startup_id, startup_name, []
            )
        group.rows.append(StaffRow(interest, name, email, firm, introducer))
    return list(by_startup.values())


@dataclass(frozen=True)
class FounderRow:
    """What a founder sees of an ask: the guest's name and firm, never their e-mail."""

    guest_name: str
    guest_firm: str
    asked_at: datetime
    introduced_at: datetime | None
    cohort_name: str
    timezone: str


def founder_view(startup_id: int, limit: int | None = None, offset: int = 0) -> list[FounderRow]:
    """Who asked for an introduction to the startup, newest first, at every demo day (one
    statement, plus the timezones of the cohorts, asked once per request)."""
    statement = (
        select(
            Guest.name,
            Guest.firm,
            Interest.created_at,
            Interest.introduced_at,
            Cohort.name,
            DemoDay.cohort_id,
        )
        .join(Guest, Guest.id == Interest.guest_id)
        .join(DemoDay, DemoDay.id == Guest.demo_day_id)
        .join(Cohort, Cohort.id == DemoDay.cohort_id)
        .where(Interest.startup_id == startup_id)
        .order_by(Interest.created_at.desc(), Interest.id.desc())
    )
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    rows = list(db.session.execute(statement))
    return [
        FounderRow(name, firm, asked, introduced, cohort, cohort_timezone(cohort_id))
        for name, firm, asked, introduced, cohort, cohort_id in rows
    ]


def founder_count_statement(startup_id: int):
    return select(func.count()).select_from(Interest).where(Interest.startup_id == startup_id)


def founder_counts(startup_id: int) -> tuple[int, int]:
    """How many asked for the startup, and how many were introduced (one statement)."""
    asked, introduced = db.session.execute(
        select(func.count(), func.count(Interest.introduced_at)).where(
            Interest.startup_id == startup_id
        )
    ).one()
    return int(asked or 0), int(introduced or 0)


# --- The guest's asks -----------------------------------------------------------------------


def interest_open(demo_day: DemoDay, *, now: datetime | None = None) -> None:
    """Refuse (409) before the event starts."""
    if (now or utcnow()) < demo_day.starts_at:
        raise InvalidState(
            _(
                "Asking for introductions opens when the demo day starts, %(when)s.",
                when=format_dt(demo_day.starts_at, cohort_timezone(demo_day.cohort_id)),
            )
        )


def _note(value: str | None, startup_id: int) -> str:
    return checked_text(
        value,
        field=f"note_{startup_id}",
        limit=NOTE_MAX_CHARS,
        too_long=_("Keep the note to %(n)d characters at most.", n=NOTE_MAX_CHARS),
    )


def _introduced_refusal(name: str) -> InvalidState:
    return InvalidState(
        _("The program team has already introduced you to %(startup)s.", startup=name)
    )


def save_choices(
    guest: Guest, demo_day: DemoDay, choices: dict[int, tuple[bool, str]]
) -> tuple[int, int]:
    """Apply the guest's ticks: startup_id -> (wanted, note) for startups of the running order.
    A new tick asks, an untick withdraws, a changed note is saved; an introduced ask is left
    as it is (its tick and note cannot change). Returns (asked, withdrawn). Notes too long are
    refused together, beside their fields (422)."""
    interest_open(demo_day)
    pitched = {p.startup_id: p for p in pitched_startups(demo_day.id)}
    errors: dict[str, str] = {}
    notes: dict[int, str] = {}
    for startup_id, (wanted, note) in choices.items():
        if startup_id not in pitched:
            raise NotFound(_("This startup did not pitch at this demo day."))
        if wanted:
            try:
                notes[startup_id] = _note(note, startup_id)
            except ValidationFailed as error:
                errors[error.field] = error.message
    if errors:
        error = ValidationFailed(next(iter(errors.values())), field=next(iter(errors)))
        error.errors = errors
        raise error
    mine = guest_interests(guest)
    asked = withdrawn = 0
    for startup_id, (wanted, _typed) in choices.items():
        current = mine.get(startup_id)
        name = pitched[startup_id].name
        if current is not None and current.introduced_at is not None:
            continue
        if wanted and current is None:
            asked += ask(guest, demo_day, startup_id, note=notes[startup_id], name=name)
        elif wanted and current.note != notes[startup_id]:
            _change_note(guest, current, notes[startup_id], name)
        elif not wanted and current is not None:
            withdraw(guest, demo_day, startup_id, name=name)
            withdrawn += 1
    db.session.flush()
    return asked, withdrawn


def ask(guest: Guest, demo_day: DemoDay, startup_id: int, *, note: str, name: str) -> int:
    """Ask for an introduction (1), or nothing when the ask is already there (0)."""
    interest = Interest(guest_id=guest.id, startup_id=startup_id, note=note, created_at=utcnow())
    if not add_unique(interest):
        return 0
    audit.record(
        "demoday.interest_asked",
        interest,
        actor=None,
        data={"demo_day_id": demo_day.id, "guest": guest.name, "startup": name},
    )
    return 1


def _change_note(guest: Guest, interest: Interest, note: str, name: str) -> None:
    guarded(
        update(Interest)
        .where(Interest.id == interest.id, Interest.introduced_at.is_(None))
        .values(note=note),
        lambda: _introduced_refusal(name),
        expire=interest,
    )


def withdraw(guest: Guest, demo_day: DemoDay, startup_id: int, *, name: str) -> None:
    """Withdraw the ask while staff have not introduced the guest (409 after)."""
    interest = db.session.scalar(
        select(Interest).where(Interest.guest_id == guest.id, Interest.startup_id == startup_id)
    )
    if interest is None:
        raise NotFound(_("You had not asked for an introduction to %(startup)s.", startup=name))
    audit.record(
        "demoday.interest_withdrawn",
        interest,
        actor=None,
        data={"demo_day_id": demo_day.id, "guest": guest.name, "startup": name},
    )
    guarded(
        delete(Interest).where(Interest.id == interest.id, Interest.introduced_at.is_(None)),
        lambda: _introduced_refusal(name),
    )
    db.session.expunge(interest)


# --- Staff: the introductions made ----------------------------------------------------------


def record_introduction(interest: Interest, *, actor: User, note: str | None) -> Interest:
    """Record that staff introduced the guest to the startup: once (409 after), with a note;
    the startup's founders are mailed."""
    require_staff(actor)
    note = checked_text(
        note,
        field="note",
        limit=INTRODUCTION_NOTE_MAX_CHARS,
        too_long=_("Keep the note to %(n)d characters at most.", n=INTRODUCTION_NOTE_MAX_CHARS),
    )
    guest = db.session.get(Guest, interest.guest_id)
    startup = db.session.get(Startup, interest.startup_id)
    guarded(
        update(Interest)
        .where(Interest.id == interest.id, Interest.introduced_at.is_(None))
        .values(introduced_at=utcnow(), introduced_by_id=actor.id, introduction_note=note),
        InvalidState(
            _(
                "The introduction of %(guest)s to %(startup)s is already recorded.",
                guest=guest.name,
                startup=startup.name,
            )
        ),
        expire=interest,
    )
    audit.record(
        "demoday.introduction_recorded",
        interest,
        actor=actor,
        data={
            "demo_day_id": guest.demo_day_id,
            "guest": guest.name,
            "startup": startup.name,
            "note": note,
        },
    )
    mail_each(
        founder_emails(startup.id),
        _l("Demo day: staff introduced you to %(guest)s", guest=guest.name),
        "demoday_followup_introduced.txt",
        guest_name=guest.name,
        guest_firm=guest.firm,
        startup_name=startup.name,
        note=note,
        actor_name=actor.name,
        link=external_url("demoday.founder_interest"),
    )
    db.session.flush()
    return interest
