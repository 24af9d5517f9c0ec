"""History as sentences a person reads: one sentence per act, never an event code.

Each domain says how its audit actions read in its own `history` module (a `Sentences`),
connected in its `hooks.py`; pages that show a history (an application's, a startup's, the audit
log) call `entries` or `sentence` and know no domain. A status move recorded beside the act
that caused it (submitting, deciding) can be folded into that act's sentence (`Sentences.folds`).

A sentence function takes the actor's name and the event's data and returns the sentence
(`says` builds one from a message and the data it reads); it must read only the event (no
queries), so a page of history costs the same statements whatever it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from accelerator.core import hooks
from accelerator.core.i18n import gettext as _
from accelerator.core.models import AuditEvent
from accelerator.extensions import db

Sentence = Callable[[str, dict[str, Any]], str]
#: (act action, an event it causes, what that event's data["to"] is for the act, or None)
Fold = tuple[str, str, Callable[[dict[str, Any]], Any] | None]
_PEOPLE = "_people"
_SAME_ACT = timedelta(seconds=5)


@dataclass(frozen=True)
class Sentences:
    """How one domain's audit actions read (connected with `hooks.history.connect`).

    `actions`: action -> sentence function. `folds`: a status move recorded beside an act
    (same actor, within seconds) is folded into the act, whose sentence tells both; with a
    target function, only a move whose data["to"] is target(act's data). `people`: data keys
    holding a user id whose name a sentence shows (see `person`).
    """

    actions: dict[str, Sentence]
    folds: tuple[Fold, ...] = ()
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    sentence: str
    event: AuditEvent


@dataclass(frozen=True)
class _Book:
    version: int
    sentences: dict[str, Sentence]
    folds: dict[str, list[tuple[str, Callable[[dict[str, Any]], Any] | None]]]
    people: frozenset[str]


_book: _Book | None = None


def _read() -> _Book:
    """Every domain's sentences in one lookup, built again when a domain connects more."""
    global _book
    if _book is None or _book.version != hooks.history.version:
        sentences: dict[str, Sentence] = {}
        folds: dict[str, list] = {}
        people: set[str] = set()
        for name, book in hooks.history.entries():
            for action, render in book.actions.items():
                if sentences.get(action, render) is not render:
                    raise ValueError(f"audit action {action!r} is described twice ({name})")
                sentences[action] = render
            for act, move, target in book.folds:
                folds.setdefault(act, []).append((move, target))
            people.update(book.people)
        _book = _Book(hooks.history.version, sentences, folds, frozenset(people))
    return _book


def says(message: Any, **fields: str | Callable[[dict[str, Any]], Any]) -> Sentence:
    """The sentence of an act that reads as `message` (lazy, `_l`): %(who)s is the actor, and
    each other placeholder is filled from the event's data, by a data key (a missing one reads
    as "") or by a function of the data (`lambda d: person(d, "mentor_id")`)."""

    def sentence(who: str, data: dict[str, Any]) -> str:
        values = {
            name: field(data) if callable(field) else data.get(field, "")
            for name, field in fields.items()
        }
        return str(message) % {"who": who, **values}

    return sentence


def person(data: dict[str, Any], key: str) -> str:
    """The name of the user whose id is `data[key]`, as looked up by `entries`."""
    name = data.get(_PEOPLE, {}).get(data.get(key))
    return name or _("someone no longer registered")


def described(action: str) -> bool:
    return action in _read().sentences


def actor_name(event: AuditEvent) -> str:
    return event.actor.name if event.actor is not None else _("The system")


def sentence(event: AuditEvent, people: dict[int, str] | None = None) -> str:
    """The event as a sentence (its actor loaded); an undescribed action still reads as words."""
    who = actor_name(event)
    render = _read().sentences.get(event.action)
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
        if key in _read().people and isinstance(value, int)
    }
    if not ids:
        return {}
    user = AuditEvent.actor.property.mapper.class_  # core does not import the auth layer
    return dict(db.session.execute(select(user.id, user.name).where(user.id.in_(ids))).all())


def _folded(events: list[AuditEvent]) -> set[int]:
    """Ids of status moves that belong to an act recorded beside them."""
    folded: set[int] = set()
    for act in events:
        for move_action, target in _read().folds.get(act.action, ()):
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
