"""Rules that change the demoday domain's state: check, change, audit, queue mail, flush;
never commit.

The event (this part): a cohort's demo day planned by staff (when, where, pitch length,
seats), its running order (a slot per enrolled startup, breaks staff insert, moved up and
down), each startup's materials (final deck, one-paragraph pitch) and its publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import format_decimal
from sqlalchemy import func, select, update

from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.files import store_pdf_upload
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import guarded, lock
from accelerator.core.permissions import require_staff
from accelerator.core.text import checked_text
from accelerator.core.timeutil import local_to_utc
from accelerator.core.types import utcnow
from accelerator.core.unique import add_unique
from accelerator.demoday import guests, links
from accelerator.demoday.models import MAX_PLUS_ONES, PITCH_MAX_CHARS, DemoDay, Guest, Slot
from accelerator.demoday.policies import can_edit_materials
from accelerator.demoday.queries import demo_day_date
from accelerator.extensions import db
from accelerator.milestones import queries as milestone_queries
from accelerator.milestones import services as milestone_services
from accelerator.programs.models import Cohort, Enrollment
from accelerator.programs.queries import cohort_timezone

MAX_DESCRIPTION = 10_000
MAX_CAPACITY = 100_000
MAX_BREAK_MINUTES = 240
#: The ranges the database holds (CHECK constraints of DemoDay), for the refusals' words.
RANGES = {
    "pitch_minutes": (1, 60),
    "changeover_minutes": (0, 60),
    "capacity": (1, MAX_CAPACITY),
    "plus_ones_max": (0, MAX_PLUS_ONES),
}


@dataclass(frozen=True)
class EventFields:
    """What staff type about a demo day (the form, the service and the seed read it).

    `starts_at` is the wall time typed in the program's timezone (naive), or an aware time."""

    starts_at: datetime | None
    venue: str = ""
    online_url: str = ""
    description: str = ""
    pitch_minutes: int | None = None
    changeover_minutes: int | None = None
    capacity: int | None = None
    plus_ones_max: int | None = None


def _text(value, *, field: str, limit: int) -> str:
    too_long = _("Please keep this under %(limit)s characters.", limit=format_decimal(limit))
    return checked_text(value, field=field, limit=limit, too_long=too_long)


def _checked(fields: EventFields, tz: str) -> dict:
    """The columns of a demo day from what was typed; every wrong field refused at once."""
    errors: dict[str, str] = {}
    values: dict = {}
    if fields.starts_at is None:
        errors["starts_at"] = _("Give the date and time the first pitch starts.")
    else:
        values["starts_at"] = (
            local_to_utc(fields.starts_at, tz)
            if fields.starts_at.tzinfo is None
            else fields.starts_at.astimezone(UTC)
        ).replace(microsecond=0)
    for name, limit in (("venue", 300), ("online_url", 500), ("description", MAX_DESCRIPTION)):
        try:
            values[name] = _text(getattr(fields, name), field=name, limit=limit)
        except ValidationFailed as error:
            errors[name] = error.message
    url = values.get("online_url", "")
    if url and not (url.startswith("https://") or url.startswith("http://")) or " " in url:
        errors["online_url"] = _("Give a web address starting with https://.")
    for name, (low, high) in RANGES.items():
        number = getattr(fields, name)
        if number is None or not low <= number <= high:
            errors[name] = _("Give a number from %(low)d to %(high)d.", low=low, high=high)
        else:
            values[name] = number
    if errors:
        error = ValidationFailed(next(iter(errors.values())), field=next(iter(errors)))
        error.errors = errors
        raise error
    return values


def _startups_enrolled(cohort_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Enrollment.startup_id)
            .where(Enrollment.cohort_id == cohort_id)
            .order_by(Enrollment.created_at, Enrollment.id)
        )
    )


def plan_demo_day(cohort: Cohort, *, fields: EventFields, actor: User) -> DemoDay:
    """Plan a cohort's demo day (staff), with a slot per enrolled startup in enrollment order."""
    require_staff(actor)
    values = _checked(fields, cohort_timezone(cohort.id))
    demo_day = DemoDay(cohort_id=cohort.id, created_by_id=actor.id, **values)
    if not add_unique(demo_day):
        raise Conflict(_("This cohort already has a demo day."))
    for position, startup_id in enumerate(_startups_enrolled(cohort.id)):
        db.session.add(Slot(demo_day_id=demo_day.id, position=position, startup_id=startup_id))
    audit.record(
        "demo_day.planned",
        demo_day,
        actor=actor,
        data={"cohort": cohort.name, "starts_at": demo_day.starts_at.isoformat()},
    )
    db.session.flush()
    _align_milestones(demo_day, actor=actor)
    return demo_day


def _align_milestones(demo_day: DemoDay, *, actor: User) -> int:
    """Move the startups' Demo day milestones still due to the demo day's local date, so every
    page names one date (each move recorded with its reason). A day outside the cohort's dates,
    where milestones cannot go, leaves them where they are. Returns how many moved."""
    cohort = db.session.get(Cohort, demo_day.cohort_id)
    day = demo_day_date(cohort)
    if day is None or not cohort.starts_on <= day <= cohort.ends_on:
        return 0
    moved = 0
    for milestone in milestone_queries.demo_day_milestones(cohort.id):
        if milestone.due_on != day:
            milestone_services.move_milestone(
                milestone,
                actor=actor,
                due_on=day,
                reason=_("Demo day planned for %(day)s.", day=day.isoformat()),
            )
            moved += 1
    return moved


def update_demo_day(demo_day: DemoDay, *, fields: EventFields, actor: User) -> list[str]:
    """Change a demo day's details (staff); returns the names of the fields that changed.

    The capacity never goes below the seats guests already hold: a guarded UPDATE, so a guest
    answering yes at the same moment cannot leave the seats over the capacity."""
    require_staff(actor)
    demo_day = lock(DemoDay, demo_day.id)
    values = _checked(fields, cohort_timezone(demo_day.cohort_id))
    capacity = values.pop("capacity")
    changed = [k for k, v in values.items() if getattr(demo_day, k) != v]
    if capacity != demo_day.capacity:
        guarded(
            update(DemoDay)
            .where(DemoDay.id == demo_day.id, DemoDay.seats_taken <= capacity)
            .values(capacity=capacity),
            lambda: _below_seats(demo_day),
            expire=demo_day,
            attributes=["capacity", "seats_taken"],
        )
        changed.append("capacity")
    for key, value in values.items():
        setattr(demo_day, key, value)
    if "starts_at" in changed:
        # The guests' links keep working for the same time after the event, wherever it moved.
        db.session.execute(
            update(Guest)
            .where(Guest.demo_day_id == demo_day.id, Guest.token_hash.is_not(None))
            .values(expires_at=demo_day.starts_at + timedelta(days=links.LINK_DAYS_AFTER))
            .execution_options(synchronize_session=False)
        )
    if changed:
        audit.record("demo_day.updated", demo_day, actor=actor, data={"fields": changed})
    db.session.flush()
    if "capacity" in changed:
        guests.promote(demo_day)  # more seats: the waitlist, in order, gets them
    if "starts_at" in changed:
        _align_milestones(demo_day, actor=actor)
    return changed


def _below_seats(demo_day: DemoDay) -> ValidationFailed:
    taken = db.session.scalar(select(DemoDay.seats_taken).where(DemoDay.id == demo_day.id))
    return ValidationFailed(
        _(
            "Guests already hold %(taken)d seats: the capacity cannot be lower.",
            taken=taken or 0,
        ),
        field="capacity",
    )


# --- The running order -----------------------------------------------------------------------


def add_startup_slot(demo_day_id: int, startup_id: int, *, actor: User | None) -> Slot | None:
    """A slot at the end of the running order for a startup enrolled after the demo day was
    planned; None when it has one already."""
    exists = db.session.scalar(
        select(Slot.id).where(Slot.demo_day_id == demo_day_id, Slot.startup_id == startup_id)
    )
    if exists is not None:
        return None
    slot = Slot(
        demo_day_id=demo_day_id, position=_next_position(demo_day_id), startup_id=startup_id
    )
    if not add_unique(slot):
        return None
    audit.record(
        "demo_day.slot_added",
        db.session.get(DemoDay, demo_day_id),
        actor=actor,
        data={"startup_id": startup_id},
        startup=startup_id,
    )
    return slot


def slot_for_enrollment(enrollment: Enrollment, *, actor: User | None = None) -> Slot | None:
    """`hooks.enrollment_created`: a startup enrolled in a cohort that has a demo day pitches."""
    demo_day_id = db.session.scalar(
        select(DemoDay.id).where(DemoDay.cohort_id == enrollment.cohort_id)
    )
    if demo_day_id is None:
        return None
    return add_startup_slot(demo_day_id, enrollment.startup_id, actor=actor)


def _next_position(demo_day_id: int) -> int:
    last = db.session.scalar(select(func.max(Slot.position)).where(Slot.demo_day_id == demo_day_id))
    return 0 if last is None else last + 1


def _ordered(demo_day_id: int) -> list[Slot]:
    return list(
        db.session.scalars(
            select(Slot).where(Slot.demo_day_id == demo_day_id).order_by(Slot.position, Slot.id)
        )
    )


def _renumber(slots: list[Slot]) -> None:
    for position, slot in enumerate(slots):
        if slot.position != position:
            slot.position = position


def move_slot(slot: Slot, *, direction: str, actor: User) -> bool:
    """Move a line of the running order one place up or down (staff); False at either end."""
    require_staff(actor)
    lock(DemoDay, slot.demo_day_id)
    slots = _ordered(slot.demo_day_id)
    index = next(i for i, s in enumerate(slots) if s.id == slot.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(slots):
        return False
    slots[index], slots[other] = slots[other], slots[index]
    _renumber(slots)
    audit.record(
        "demo_day.slot_moved",
        db.session.get(DemoDay, slot.demo_day_id),
        actor=actor,
        data={"line": _line_name(slot), "position": other + 1, "direction": direction},
    )
    db.session.flush()
    return True


def _line_name(slot: Slot) -> str:
    if slot.startup_id is None:
        return slot.break_title
    from accelerator.applications.models import Startup

    return db.session.scalar(select(Startup.name).where(Startup.id == slot.startup_id)) or ""


def add_break(
    demo_day: DemoDay, *, title: str, minutes: int | None, position: int | None, actor: User
) -> Slot:
    """Insert a break of `minutes` before the line at `position` (0: first; the number of
    lines: last) (staff)."""
    require_staff(actor)
    lock(DemoDay, demo_day.id)
    errors = {}
    try:
        title = checked_text(
            title,
            field="title",
            limit=120,
            too_long=_("Please keep this under %(limit)s characters.", limit=120),
            required=_("Name the break (Coffee, Lunch, Networking)."),
        )
    except ValidationFailed as error:
        errors["title"] = error.message
    if minutes is None or not 1 <= minutes <= MAX_BREAK_MINUTES:
        errors["minutes"] = _(
            "Give a number from %(low)d to %(high)d.", low=1, high=MAX_BREAK_MINUTES
        )
    slots = _ordered(demo_day.id)
    if position is None or not 0 <= position <= len(slots):
        errors["position"] = _("Choose where the break goes.")
    if errors:
        error = ValidationFailed(next(iter(errors.values())), field=next(iter(errors)))
        error.errors = errors
        raise error
    slot = Slot(demo_day_id=demo_day.id, position=len(slots), break_minutes=minutes)
    slot.break_title = title
    db.session.add(slot)
    slots.insert(position, slot)
    _renumber(slots)
    db.session.flush()
    audit.record(
        "demo_day.break_added",
        demo_day,
        actor=actor,
        data={"title": title, "minutes": minutes, "position": position + 1},
    )
    return slot


def remove_break(slot: Slot, *, actor: User) -> None:
    """Take a break out of the running order (staff); a startup's slot is never removed."""
    require_staff(actor)
    lock(DemoDay, slot.demo_day_id)
    if slot.startup_id is not None:
        raise InvalidState(_("Only a break can be removed from the running order."))
    demo_day = db.session.get(DemoDay, slot.demo_day_id)
    audit.record_removal(
        "demo_day.break_removed",
        slot,
        actor=actor,
        data={"title": slot.break_title, "minutes": slot.break_minutes},
        about=demo_day,
    )
    _renumber(_ordered(demo_day.id))
    db.session.flush()


# --- Materials -------------------------------------------------------------------------------


def update_materials(slot: Slot, *, pitch: str | None, deck=None, actor: User) -> list[str]:
    """Save a startup's pitch paragraph and, when a file is given, its final deck (a PDF
    checked by content, as an application's deck); staff or the startup's founders. Returns
    what changed ("pitch", "deck")."""
    if not can_edit_materials(actor, slot):
        raise NotAllowed(_("Only the startup's founders and program staff can do this."))
    slot = lock(Slot, slot.id)
    text = checked_text(
        pitch,
        field="pitch",
        limit=PITCH_MAX_CHARS,
        too_long=_(
            "Please keep your pitch under %(limit)s characters.",
            limit=format_decimal(PITCH_MAX_CHARS),
        ),
    )
    changed = []
    if deck is not None and getattr(deck, "filename", None):
        stored = store_pdf_upload(
            deck,
            max_bytes=current_app.config["PITCH_DECK_MAX_BYTES"],
            uploaded_by=actor,
            field="deck",
        )
        slot.deck_file_id = stored.id
        changed.append("deck")
    if text != slot.pitch:
        slot.pitch = text
        changed.append("pitch")
    if changed:
        slot.materials_updated_at = utcnow()
        slot.materials_updated_by_id = actor.id
        audit.record(
            "demo_day.materials_updated",
            slot,
            actor=actor,
            data={"fields": changed, "startup_id": slot.startup_id},
            startup=slot.startup_id,
        )
    db.session.flush()
    return changed


# --- Publication -----------------------------------------------------------------------------


def publish(demo_day: DemoDay, *, actor: User) -> None:
    """Show the demo day on its public page (staff)."""
    require_staff(actor)
    guarded(
        update(DemoDay)
        .where(DemoDay.id == demo_day.id, DemoDay.published_at.is_(None))
        .values(published_at=utcnow(), published_by_id=actor.id),
        InvalidState(_("This demo day is already published.")),
        expire=demo_day,
    )
    audit.record("demo_day.published", demo_day, actor=actor)
    db.session.flush()


def unpublish(demo_day: DemoDay, *, actor: User) -> None:
    """Take the public page down (staff); it answers 404 again."""
    require_staff(actor)
    guarded(
        update(DemoDay)
        .where(DemoDay.id == demo_day.id, DemoDay.published_at.is_not(None))
        .values(published_at=None, published_by_id=None),
        InvalidState(_("This demo day is not published.")),
        expire=demo_day,
    )
    audit.record("demo_day.unpublished", demo_day, actor=actor)
    db.session.flush()
