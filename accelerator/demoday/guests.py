"""The guests of a demo day: the list, invitations and links, answers, seats and the waitlist.

Seats are held by the database. `DemoDay.seats_taken` moves only here, by a guarded UPDATE
(`seats_taken + n <= capacity`, backed by the CHECK seats_within_capacity), after the demo
day's row lock (core/locking.py, the grants' pattern): every act that moves seats or the
waitlist of one demo day runs one after the other, so the waitlist's order holds too. A yes
takes 1 + plus-ones seats; when they do not fit the guest waits (`Rsvp.WAITLISTED`, in the
order of `waitlisted_at`, then id). Seats freed (a no, a maybe, fewer plus-ones, a guest
removed) promote the head of the waitlist while it fits, strictly in order (a smaller party
behind never jumps the queue), and each promoted guest is mailed.

A guest changes their answer until the event starts; after, 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select, update

from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotFound, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.i18n import ngettext
from accelerator.core.locking import guarded, lock
from accelerator.core.permissions import require_staff
from accelerator.core.text import checked_text, clean_text
from accelerator.core.types import utcnow
from accelerator.demoday import links, notify
from accelerator.demoday.models import DemoDay, Guest, GuestKind, Rsvp
from accelerator.extensions import db

NAME_MAX, FIRM_MAX, EMAIL_MAX, DIETARY_MAX = 120, 160, 254, 300
#: The answers a guest gives on their page.
ANSWERS = (Rsvp.YES, Rsvp.MAYBE, Rsvp.NO)


# --- Checking what staff type ------------------------------------------------------------------


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def check_email(value: Any, *, field: str = "email") -> str:
    text = clean_text(value).lower()
    if not text:
        raise ValidationFailed(_("Give the guest's e-mail address."), field=field)
    try:
        text = validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValidationFailed(_("This is not an e-mail address."), field=field) from error
    if len(text) > EMAIL_MAX:
        raise ValidationFailed(_("This address is too long."), field=field)
    return text


def check_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A guest's name, e-mail, firm, kind and language, cleaned; every refusal beside its
    field at once (`error.errors`)."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    checks = {
        "name": lambda v: checked_text(
            v,
            field="name",
            limit=NAME_MAX,
            required=_("Give the guest's name."),
            too_long=_("At most %(n)d characters.", n=NAME_MAX),
        ),
        "email": check_email,
        "firm": lambda v: checked_text(
            v, field="firm", limit=FIRM_MAX, too_long=_("At most %(n)d characters.", n=FIRM_MAX)
        ),
        "kind": _kind,
        "locale": _locale,
    }
    for name, check in checks.items():
        try:
            clean[name] = check(fields.get(name))
        except ValidationFailed as error:
            errors[name] = error.message
    if errors:
        error = ValidationFailed(next(iter(errors.values())), field=next(iter(errors)))
        error.errors = errors
        raise error
    return clean


def _kind(value: Any) -> GuestKind:
    try:
        return GuestKind(str(value or GuestKind.INVESTOR.value))
    except ValueError:
        raise ValidationFailed(_("Choose a kind of guest."), field="kind") from None


def _locale(value: Any) -> str:
    text = str(value or "en")[:2].lower()
    if text not in languages():
        raise ValidationFailed(_("Choose a language."), field="locale")
    return text


def _existing(demo_day_id: int, email: str, *, other_than: int | None = None) -> Guest | None:
    statement = select(Guest).where(Guest.demo_day_id == demo_day_id, Guest.email == email)
    if other_than is not None:
        statement = statement.where(Guest.id != other_than)
    return db.session.scalar(statement)


# --- The list ----------------------------------------------------------------------------------


def add_guest(demo_day: DemoDay, *, fields: dict[str, Any], actor) -> Guest:
    require_staff(actor)
    clean = check_fields(fields)
    if _existing(demo_day.id, clean["email"]) is not None:
        raise ValidationFailed(_("This address is already on the guest list."), field="email")
    guest = Guest(demo_day_id=demo_day.id, added_by_id=getattr(actor, "id", None), **clean)
    audit.record_new(
        "guest.added", guest, actor=actor, data={"name": guest.name, "demo_day_id": demo_day.id}
    )
    return guest


def update_guest(guest: Guest, *, fields: dict[str, Any], actor) -> Guest:
    require_staff(actor)
    clean = check_fields(fields)
    if _existing(guest.demo_day_id, clean["email"], other_than=guest.id) is not None:
        raise ValidationFailed(_("This address is already on the guest list."), field="email")
    for name, value in clean.items():
        setattr(guest, name, value)
    audit.record("guest.updated", guest, actor=actor, data={"name": guest.name})
    db.session.flush()
    return guest


def remove_guest(guest: Guest, *, actor) -> list[Guest]:
    """Take a guest off the list: their seats are freed and the waitlist promoted (returned)."""
    require_staff(actor)
    demo_day = lock_demo_day(guest.demo_day_id)
    guest = _fresh(guest.id)
    if guest.seats:
        _free(demo_day, guest.seats)
    audit.record(
        "guest.removed", guest, actor=actor, data={"name": guest.name, "demo_day_id": demo_day.id}
    )
    db.session.delete(guest)
    db.session.flush()
    return promote(demo_day)


# --- Invitations and links ---------------------------------------------------------------------


def invite(demo_day: DemoDay, *, actor, guest_ids: list[int] | None = None) -> int:
    """Invite the guests chosen (or every guest not invited yet): a personal link each, mailed
    in the guest's language. A guest already invited is left alone (`renew_link` re-sends)."""
    require_staff(actor)
    if utcnow() >= demo_day.starts_at:
        raise InvalidState(_("The demo day has started: it is too late to invite."))
    statement = select(Guest).where(
        Guest.demo_day_id == demo_day.id, Guest.rsvp == Rsvp.NOT_INVITED.value
    )
    if guest_ids is not None:
        statement = statement.where(Guest.id.in_(guest_ids))
    guests = db.session.scalars(statement.order_by(Guest.id).with_for_update()).all()
    if not guests:
        raise InvalidState(_("Nobody to invite: every guest chosen is already invited."))
    now = utcnow()
    tokens = {}
    for guest in guests:
        tokens[guest.id] = links.issue(guest, demo_day, now=now)
        guest.rsvp = Rsvp.INVITED
    db.session.flush()
    notify.invitations(demo_day, guests, tokens)
    audit.record(
        "guests.invited",
        demo_day,
        actor=actor,
        data={"count": len(guests), "demo_day_id": demo_day.id},
    )
    return len(guests)


def renew_link(guest: Guest, demo_day: DemoDay, *, actor) -> str:
    """A new link for an invited guest, mailed again; the old one stops working."""
    require_staff(actor)
    if guest.rsvp == Rsvp.NOT_INVITED:
        raise InvalidState(_("Invite this guest first."))
    token = links.issue(guest, demo_day)
    db.session.flush()
    notify.invitations(demo_day, [guest], {guest.id: token}, renewed=True)
    audit.record("guest.link_renewed", guest, actor=actor, data={"name": guest.name})
    return token


def revoke_link(guest: Guest, *, actor) -> None:
    require_staff(actor)
    """The guest's link stops working (their answer and seats stand)."""
    if guest.token_hash is None:
        raise InvalidState(_("This guest has no link yet."))
    if guest.revoked_at is not None:
        raise InvalidState(_("This guest's link is already revoked."))
    guest.revoked_at = utcnow()
    audit.record("guest.link_revoked", guest, actor=actor, data={"name": guest.name})
    db.session.flush()


def unsubscribe(guest: Guest) -> None:
    """No more reminders (one click from a mail); the answer stands. Twice is harmless."""
    if guest.unsubscribed_at is None:
        guest.unsubscribed_at = utcnow()
        audit.record("guest.unsubscribed", guest, data={"demo_day_id": guest.demo_day_id})
        db.session.flush()


# --- Seats, answers and the waitlist -----------------------------------------------------------


def lock_demo_day(demo_day_id: int) -> DemoDay:
    return lock(DemoDay, demo_day_id, missing=NotFound(_("This demo day no longer exists.")))


def _fresh(guest_id: int) -> Guest:
    guest = db.session.execute(
        select(Guest).where(Guest.id == guest_id).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if guest is None:
        raise NotFound(_("This guest is no longer on the list."))
    return guest


def _take(demo_day: DemoDay, seats: int) -> bool:
    """Take `seats` seats if they fit: one guarded UPDATE; False when they do not."""
    result = db.session.execute(
        update(DemoDay)
        .where(DemoDay.id == demo_day.id, DemoDay.seats_taken + seats <= DemoDay.capacity)
        .values(seats_taken=DemoDay.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(demo_day, ["seats_taken"])
    return result.rowcount == 1


def _free(demo_day: DemoDay, seats: int) -> None:
    guarded(
        update(DemoDay)
        .where(DemoDay.id == demo_day.id, DemoDay.seats_taken >= seats)
        .values(seats_taken=DemoDay.seats_taken - seats),
        InvalidState(_("The seat count is out of step; ask the program team.")),
        expire=demo_day,
        attributes=["seats_taken"],
    )


def check_open(demo_day: DemoDay, now: datetime) -> None:
    if now >= demo_day.starts_at:
        raise InvalidState(_("The demo day has started: answers can no longer be changed."))


def _plus_ones(value: Any, demo_day: DemoDay) -> int:
    try:
        number = int(str(value if value not in (None, "") else 0).strip())
    except ValueError:
        raise ValidationFailed(_("Give a number."), field="plus_ones") from None
    if number < 0 or number > demo_day.plus_ones_max:
        raise ValidationFailed(
            ngettext(
                "You may bring at most %(num)d person.",
                "You may bring at most %(num)d people.",
                demo_day.plus_ones_max,
            ),
            field="plus_ones",
        )
    return number


@dataclass(frozen=True)
class Outcome:
    guest: Guest
    rsvp: Rsvp
    promoted: list[Guest]


def respond(
    guest: Guest, *, answer: Any, plus_ones: Any = 0, dietary: Any = "", now=None
) -> Outcome:
    """The guest's answer through their link: yes (seats taken or the waitlist), maybe or no
    (seats freed, the waitlist promoted). Refused after the event has started (409)."""
    now = now or utcnow()
    demo_day = lock_demo_day(guest.demo_day_id)
    check_open(demo_day, now)
    try:
        wanted = Rsvp(str(answer or ""))
    except ValueError:
        wanted = None
    errors: dict[str, str] = {}
    if wanted not in ANSWERS:
        errors["answer"] = _("Choose yes, no or maybe.")
    extra = 0
    try:
        extra = _plus_ones(plus_ones, demo_day) if wanted == Rsvp.YES else 0
    except ValidationFailed as error:
        errors["plus_ones"] = error.message
    try:
        diet = checked_text(
            dietary,
            field="dietary",
            limit=DIETARY_MAX,
            too_long=_("At most %(n)d characters.", n=DIETARY_MAX),
        )
    except ValidationFailed as error:
        errors["dietary"] = error.message
    if errors:
        error = ValidationFailed(next(iter(errors.values())), field=next(iter(errors)))
        error.errors = errors
        raise error

    guest = _fresh(guest.id)
    old, held = guest.rsvp, guest.seats
    if wanted == Rsvp.YES:
        needed = 1 + extra
        if old == Rsvp.YES:
            if needed > held and not _take(demo_day, needed - held):
                raise Conflict(
                    _(
                        "There are not enough seats left for that many people. "
                        "Your %(n)d seats are kept.",
                        n=held,
                    ),
                    field="plus_ones",
                )
            if needed < held:
                _free(demo_day, held - needed)
            _set(guest, Rsvp.YES, extra, needed)
        elif old == Rsvp.WAITLISTED:
            guest.plus_ones = extra  # keeps their place in the queue
        elif not _waitlist_exists(demo_day) and _take(demo_day, needed):
            _set(guest, Rsvp.YES, extra, needed)
        else:
            _set(guest, Rsvp.WAITLISTED, extra, 0, waitlisted_at=now)
    else:
        if held:
            _free(demo_day, held)
        _set(guest, wanted, 0, 0)
    guest.dietary = diet
    guest.responded_at = now
    db.session.flush()
    audit.record(
        "guest.answered",
        guest,
        data={
            "name": guest.name,
            "answer": guest.rsvp.value,
            "plus_ones": guest.plus_ones,
            "demo_day_id": demo_day.id,
        },
    )
    promoted = promote(demo_day, now=now)
    db.session.flush()
    return Outcome(guest, guest.rsvp, promoted)


def _set(guest: Guest, rsvp: Rsvp, plus_ones: int, seats: int, waitlisted_at=None) -> None:
    guest.rsvp, guest.plus_ones, guest.seats = rsvp, plus_ones, seats
    guest.waitlisted_at = waitlisted_at


def _waitlist_exists(demo_day: DemoDay) -> bool:
    return (
        db.session.scalar(
            select(Guest.id)
            .where(Guest.demo_day_id == demo_day.id, Guest.rsvp == Rsvp.WAITLISTED.value)
            .limit(1)
        )
        is not None
    )


def promote(demo_day: DemoDay, *, now=None) -> list[Guest]:
    """Seat the waitlist's head while it fits, strictly in order (waitlisted_at, id); each
    promoted guest is mailed. The caller holds the demo day's lock (`lock_demo_day`)."""
    db.session.flush()
    waiting = db.session.scalars(
        select(Guest)
        .where(Guest.demo_day_id == demo_day.id, Guest.rsvp == Rsvp.WAITLISTED.value)
        .order_by(Guest.waitlisted_at, Guest.id)
    ).all()
    promoted = []
    for guest in waiting:
        seats = 1 + guest.plus_ones
        if not _take(demo_day, seats):
            break
        _set(guest, Rsvp.YES, guest.plus_ones, seats)
        audit.record(
            "guest.promoted",
            guest,
            data={"name": guest.name, "seats": seats, "demo_day_id": demo_day.id},
        )
        promoted.append(guest)
    if promoted:
        db.session.flush()
        notify.promoted(demo_day, promoted)
    return promoted


def reopen_seats(demo_day: DemoDay) -> list[Guest]:
    """For the event's settings: after the capacity grew, seat whom the waitlist can."""
    return promote(lock_demo_day(demo_day.id))


# --- Reads -------------------------------------------------------------------------------------


def counts(demo_day_id: int) -> dict[str, int]:
    """Guests per answer and the seats they hold (one statement)."""
    rows = db.session.execute(
        select(Guest.rsvp, func.count(Guest.id), func.coalesce(func.sum(Guest.seats), 0))
        .where(Guest.demo_day_id == demo_day_id)
        .group_by(Guest.rsvp)
    ).all()
    found = {Rsvp(rsvp).value: count for rsvp, count, _seats in rows}
    total = sum(found.values())
    return {
        "total": total,
        "invitations": total - found.get(Rsvp.NOT_INVITED.value, 0),
        **{rsvp.value: found.get(rsvp.value, 0) for rsvp in Rsvp},
    }
