"""History as sentences a person reads: one sentence per act, never an event code.

Each domain registers how its audit actions read (`describe`) in its own `history` module,
imported by its package; pages that show a history (an application's, a startup's, the audit
log) call `entries` or `sentence` and know no domain. A status move recorded beside the act
that caused it (submitting, deciding) can be folded into that act's sentence (`fold`).

A sentence function takes the actor's name and the event's data and returns the sentence;
it must read only the event (no queries), so a page of history costs the same statements
whatever it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from accelerator.core.models import AuditEvent
from accelerator.extensions import db

Sentence = Callable[[str, dict[str, Any]], str]

_SENTENCES: dict[str, Sentence] = {}
#: act action -> [(an event it causes, what that event's data["to"] is for the act, or None)]
_FOLDS: dict[str, list[tuple[str, Callable[[dict[str, Any]], Any] | None]]] = {}
#: data keys that name a user by id (a mentor, say); `entries` looks their names up at once.
_PEOPLE_KEYS: set[str] = set()
_PEOPLE = "_people"
_SAME_ACT = timedelta(seconds=5)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    sentence: str
    event: AuditEvent


def describe(sentences: dict[str, Sentence]) -> None:
    """Register how audit actions read; an action is described by one domain only."""
    for action, render in sentences.items():
        if _SENTENCES.get(action, render) is not render:
            raise ValueError(f"audit action {action!r} is already described")
        _SENTENCES[action] = render


def fold(act: str, move: str, target: Callable[[dict[str, Any]], Any] | None = None) -> None:
    """Fold the `move` event recorded beside `act` (same actor, within seconds) into it: the
    act's sentence tells both. With `target`, only a move whose data["to"] is target(act)."""
    _FOLDS.setdefault(act, []).append((move, target))


def people_keys(*keys: str) -> None:
    """Data keys holding a user id whose name a sentence shows (see `person`)."""
    _PEOPLE_KEYS.update(keys)


def person(data: dict[str, Any], key: str) -> str:
    """The name of the user whose id is `data[key]`, as looked up by `entries`."""
    name = data.get(_PEOPLE, {}).get(data.get(key))
    return name or _("someone no longer registered")


def described(action: str) -> bool:
    return action in _SENTENCES


def actor_name(event: AuditEvent) -> str:
    return event.actor.name if event.actor is not None else _("The system")


def sentence(event: AuditEvent, people: dict[int, str] | None = None) -> str:
    """The event as a sentence (its actor loaded); an undescribed action still reads as words."""
    who = actor_name(event)
    render = _SENTENCES.get(event.action)
    if render is None:
        words = event.action.replace(".", ": ", 1).replace("_", " ")
        return _("%(who)s made a change (%(what)s).", who=who, what=words)
    return render(who, {**(event.data or {}), _PEOPLE: people or {}})


def _people(events: list[AuditEvent]) -> dict[int, str]:
    """Names of the users the events' data name, in one statement (none if nobody is named)."""
    ids = {
        value
        for event in events
        for key, value in (event.data or {}).items()
        if key in _PEOPLE_KEYS and isinstance(value, int)
    }
    if not ids:
        return {}
    user = AuditEvent.actor.property.mapper.class_  # core does not import the auth layer
    return dict(db.session.execute(select(user.id, user.name).where(user.id.in_(ids))).all())


def _folded(events: list[AuditEvent]) -> set[int]:
    """Ids of status moves that belong to an act recorded beside them."""
    folded: set[int] = set()
    for act in events:
        for move_action, target in _FOLDS.get(act.action, ()):
            for move in events:
                if (
                    move.action == move_action
                    and move.id not in folded
                    and (target is None or (move.data or {}).get("to") == target(act.data or {}))
                    and move.actor_id == act.actor_id
                    and abs(move.created_at - act.created_at) <= _SAME_ACT
                ):
                    folded.add(move.id)
                    break
    return folded


def entries(events: list[AuditEvent], *, folding: bool = True) -> list[HistoryEntry]:
    """One sentence per act, in the order given (events with their actor loaded).

    With `folding`, a status move recorded beside its act reads as part of it; the audit log
    shows every event and passes False.
    """
    events = list(events)
    folded = _folded(events) if folding else set()
    people = _people(events)
    return [
        HistoryEntry(e.created_at, sentence(e, people), e) for e in events if e.id not in folded
    ]
