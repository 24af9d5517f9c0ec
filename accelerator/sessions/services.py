"""Session rules: log (mentor, founder, or from a booked office hour), confirm, red flags,
action items carried forward, and founder ratings. Services take the actor, never commit.
Office hours have their own rules (office_hours.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import update

from accelerator.applications.models import Startup
from accelerator.auth.models import Role
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import guarded
from accelerator.core.types import utcnow
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.mentoring.queries import active_match
from accelerator.programs.services import chosen_tags
from accelerator.sessions import notify
from accelerator.sessions.models import (
    ActionItem,
    ItemOwner,
    MentorSession,
    OfficeHourSlot,
    SessionFormat,
    SessionRating,
    SessionState,
)
from accelerator.sessions.office_hours import check_duration
from accelerator.sessions.policies import can_change_item, founder_of

MAX_TEXT = 10_000
MAX_ITEM = 500
#: A session is logged after it happened; a day of slack covers every timezone.
FUTURE_SLACK = timedelta(days=1)
OLDEST = timedelta(days=2 * 366)


@dataclass(frozen=True)
class NewItem:
    text: str
    owner: str
    due_on: date | None = None


def _text(value: str | None, *, field: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").replace("\x00", "").strip()
    if len(value) > limit:
        raise ValidationFailed(_("Please keep this under %(n)d characters.", n=limit), field=field)
    return value


def check_when(starts_at: datetime | None) -> datetime:
    if starts_at is None:
        raise ValidationFailed(_("Enter the date of the session."), field="held_on")
    now = utcnow()
    if starts_at > now + FUTURE_SLACK:
        raise ValidationFailed(
            _("A session is logged once it has happened: this date is in the future."),
            field="held_on",
        )
    if starts_at < now - OLDEST:
        raise ValidationFailed(_("This date is too far in the past."), field="held_on")
    return starts_at


def _items(items: Sequence[NewItem]) -> list[NewItem]:
    kept = []
    for item in items:
        text = _text(item.text, field="items", limit=MAX_ITEM)
        if not text:
            continue
        if item.owner not in {o.value for o in ItemOwner}:
            raise ValidationFailed(_("Choose who owns each action item."), field="items")
        if item.due_on is not None and not (date(2000, 1, 1) <= item.due_on <= date(2100, 1, 1)):
            raise ValidationFailed(_("Enter a sensible due date."), field="items")
        kept.append(NewItem(text, item.owner, item.due_on))
    return kept


def _resolve_pair(actor, *, startup_id: int | None, mentor_id: int | None):
    """(match, state) for who logs: a mentor with a matched startup, or a founder of the
    startup with one of its mentors (the mentor then confirms)."""
    if actor is None or actor.role not in (Role.MENTOR, Role.FOUNDER):
        raise NotAllowed(_("Only mentors and founders log sessions."))
    if startup_id is None:
        raise ValidationFailed(_("Choose the startup."), field="startup")
    if actor.role == Role.MENTOR:
        match = active_match(actor.id, startup_id)
        if match is None:
            raise ValidationFailed(
                _("You are not matched with this startup, so you cannot log a session with it."),
                field="startup",
            )
        return match, SessionState.CONFIRMED
    if not founder_of(actor, startup_id):
        raise NotAllowed(_("You can only log sessions for your own startup."))
    if mentor_id is None:
        raise ValidationFailed(_("Choose your mentor."), field="mentor")
    match = active_match(mentor_id, startup_id)
    if match is None:
        raise ValidationFailed(_("This mentor is not matched with your startup."), field="mentor")
    return match, SessionState.PENDING


def _check_slot(slot_id: int | None, match) -> OfficeHourSlot | None:
    if slot_id is None:
        return None
    slot = db.session.get(OfficeHourSlot, slot_id)
    if slot is None or slot.mentor_id != match.mentor_id or slot.startup_id != match.startup_id:
        raise ValidationFailed(_("This office hour is not one of this pair's bookings."))
    return slot


def log_session(
    *,
    actor,
    startup_id: int | None,
    starts_at: datetime | None,
    duration_minutes: int | None,
    format: str | None,
    mentor_id: int | None = None,
    topic_ids: Iterable[int] = (),
    summary: str | None = "",
    private_notes: str | None = "",
    red_flag_reason: str | None = "",
    new_items: Sequence[NewItem] = (),
    done_item_ids: Iterable[int] = (),
    slot_id: int | None = None,
) -> MentorSession:
    """Record a session of a matched pair: its notes, new action items, and the carried-forward
    items ticked off. A founder's session waits for the mentor; a red flag alerts staff."""
    match, state = _resolve_pair(actor, startup_id=startup_id, mentor_id=mentor_id)
    slot = _check_slot(slot_id, match)
    starts_at = check_when(starts_at)
    minutes = check_duration(duration_minutes)
    if format not in {f.value for f in SessionFormat}:
        raise ValidationFailed(_("Choose how you met."), field="format")
    summary = _text(summary, field="summary")
    is_mentor = actor.role == Role.MENTOR
    # Private notes and red flags are the mentor's; a founder's form has neither.
    notes = _text(private_notes, field="private_notes") if is_mentor else ""
    flag = _text(red_flag_reason, field="red_flag_reason", limit=2000) if is_mentor else ""
    topics = chosen_tags(topic_ids, field="topics", message=_("Choose topics from the list."))
    items = _items(new_items)
    now = utcnow()
    session = MentorSession(
        match_id=match.id,
        cohort_id=match.cohort_id,
        mentor_id=match.mentor_id,
        startup_id=match.startup_id,
        slot_id=slot.id if slot else None,
        starts_at=starts_at,
        duration_minutes=minutes,
        format=SessionFormat(format),
        summary=summary,
        private_notes=notes,
        state=state,
        logged_by_id=actor.id,
        confirmed_at=now if state == SessionState.CONFIRMED else None,
        red_flag_reason=flag or None,
        red_flag_at=now if flag else None,
    )
    session.topics = topics
    if not add_unique(session):
        raise Conflict(_("A session was already logged from this office hour."))
    for item in items:
        db.session.add(
            ActionItem(
                session_id=session.id,
                mentor_id=session.mentor_id,
                startup_id=session.startup_id,
                text=item.text,
                owner=ItemOwner(item.owner),
                due_on=item.due_on,
            )
        )
    ticked = _tick(session, done_item_ids, actor=actor, now=now)
    db.session.flush()
    startup = db.session.get(Startup, session.startup_id)
    audit.record(
        "mentoring.session_logged",
        session,
        actor=actor,
        data={
            "startup_id": session.startup_id,
            "mentor_id": session.mentor_id,
            "minutes": minutes,
            "state": state.value,
            "slot_id": session.slot_id,
            "new_items": len(items),
            "items_done": ticked,
        },
    )
    if flag:
        audit.record(
            "mentoring.red_flag_raised",
            session,
            actor=actor,
            data={"startup_id": session.startup_id, "reason": flag},
        )
        notify.red_flag_raised(session, actor=actor, startup=startup)
    if state == SessionState.PENDING or summary:
        notify.session_logged(session, actor=actor, startup=startup)
    db.session.flush()
    return session


def _tick(session: MentorSession, item_ids: Iterable[int], *, actor, now: datetime) -> list[int]:
    """Mark the pair's open items done in this session; ids of other pairs are ignored."""
    wanted = {int(i) for i in item_ids}
    if not wanted:
        return []
    result = db.session.execute(
        update(ActionItem)
        .where(
            ActionItem.id.in_(wanted),
            ActionItem.mentor_id == session.mentor_id,
            ActionItem.startup_id == session.startup_id,
            ActionItem.done_at.is_(None),
            ActionItem.session_id != session.id,
        )
        .values(done_at=now, done_by_id=actor.id, done_in_session_id=session.id)
        .returning(ActionItem.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(result.scalars())


def confirm_session(session: MentorSession, *, actor) -> MentorSession:
    """The mentor confirms a session a founder logged."""
    if actor is None or actor.id != session.mentor_id:
        raise NotAllowed(_("Only the session's mentor can confirm it."))
    now = utcnow()
    guarded(
        update(MentorSession)
        .where(MentorSession.id == session.id, MentorSession.state == SessionState.PENDING)
        .values(state=SessionState.CONFIRMED, confirmed_at=now),
        InvalidState(_("This session is already confirmed.")),
        expire=session,
    )
    audit.record("mentoring.session_confirmed", session, actor=actor)
    db.session.flush()
    return session


def resolve_red_flag(session: MentorSession, *, actor, note: str | None) -> MentorSession:
    """Staff close a red flag once they have dealt with it; the startup leaves the at-risk list."""
    if actor is None or not actor.is_staff:
        raise NotAllowed(_("Only program staff resolve red flags."))
    note = _text(note, field="note", limit=2000)
    if not note:
        raise ValidationFailed(_("Say what was done about it."), field="note")
    guarded(
        update(MentorSession)
        .where(
            MentorSession.id == session.id,
            MentorSession.red_flag_at.is_not(None),
            MentorSession.red_flag_resolved_at.is_(None),
        )
        .values(
            red_flag_resolved_at=utcnow(),
            red_flag_resolved_by_id=actor.id,
            red_flag_resolution=note,
        ),
        InvalidState(_("This session has no open red flag.")),
        expire=session,
    )
    audit.record(
        "mentoring.red_flag_resolved",
        session,
        actor=actor,
        data={"startup_id": session.startup_id, "note": note},
    )
    db.session.flush()
    return session


def rate_session(
    session: MentorSession, *, actor, score: int | None, comment: str | None
) -> SessionRating:
    """A founder of the startup rates a session once; only staff read ratings."""
    if not founder_of(actor, session.startup_id):
        raise NotAllowed(_("Only the startup's founders rate its sessions."))
    if session.state != SessionState.CONFIRMED:
        raise InvalidState(_("A session can be rated once the mentor has confirmed it."))
    if score is None or not 1 <= score <= 5:
        raise ValidationFailed(_("Choose a rating from 1 to 5."), field="score")
    comment = _text(comment, field="comment", limit=2000)
    rating = SessionRating(session_id=session.id, rater_id=actor.id, score=score, comment=comment)
    if not add_unique(rating):
        raise Conflict(_("You have already rated this session."))
    audit.record("mentoring.session_rated", session, actor=actor, data={"rating_id": rating.id})
    return rating


def set_item_done(item: ActionItem, *, actor, done: bool) -> ActionItem:
    """Tick an action item off (or reopen it): the pair's mentor or the startup's founders."""
    if not can_change_item(actor, item):
        raise NotAllowed(_("Only the mentor and the startup of this pair change its items."))
    if item.is_done == done:
        raise InvalidState(
            _("This action item is already done.") if done else _("This action item is open.")
        )
    values = (
        {"done_at": utcnow(), "done_by_id": actor.id}
        if done
        else {"done_at": None, "done_by_id": None, "done_in_session_id": None}
    )
    guarded(
        update(ActionItem)
        .where(
            ActionItem.id == item.id,
            ActionItem.done_at.is_(None) if done else ActionItem.done_at.is_not(None),
        )
        .values(**values),
        InvalidState(_("This action item changed a moment ago. Reload the page.")),
        expire=item,
    )
    audit.record(
        "mentoring.action_item_done" if done else "mentoring.action_item_reopened",
        item,
        actor=actor,
        data={"session_id": item.session_id},
    )
    db.session.flush()
    return item
