"""An application's history as sentences a person reads, with field labels, one per act.

A small renderer keyed by the audit action. A status move recorded beside the act that caused
it (submitting, withdrawing, deciding) is folded into that act's sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accelerator.applications import fields
from accelerator.applications.models import ApplicationStatus
from accelerator.core.models import AuditEvent


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    sentence: str
    event: AuditEvent


def _status(value) -> str:
    try:
        return ApplicationStatus(value).label
    except ValueError:
        return str(value)


def _labels(keys) -> str:
    return ", ".join(fields.label(key) for key in keys or ())


def _draft_saved(who: str, data: dict) -> str:
    changed = _labels(data.get("fields"))
    if not changed:
        return _("%(who)s saved the draft.", who=who)
    return _("%(who)s saved the draft, changing: %(fields)s.", who=who, fields=changed)


def _decided(who: str, data: dict) -> str:
    sentences = {
        "accepted": _l("%(who)s offered the startup a place"),
        "waitlisted": _l("%(who)s put the application on the waitlist"),
        "rejected": _l("%(who)s decided not to select the application"),
    }
    sentence = str(sentences.get(data.get("outcome"), _l("%(who)s decided"))) % {"who": who}
    if data.get("promoted"):
        sentence += " " + _("(from the waitlist)")
    return sentence + "."


_SENTENCES: dict[str, Callable[[str, dict], str]] = {
    "application.started": lambda who, d: _("%(who)s started the application.", who=who),
    "application.draft_saved": _draft_saved,
    "application.deck_uploaded": lambda who, d: (
        _("%(who)s replaced the pitch deck.", who=who)
        if d.get("replaced")
        else _("%(who)s uploaded the pitch deck.", who=who)
    ),
    "application.submitted": lambda who, d: _("%(who)s submitted the application.", who=who),
    "application.withdrawn": lambda who, d: _("%(who)s withdrew the application.", who=who),
    "application.imported": lambda who, d: (
        _(
            "%(who)s imported the application from line %(line)s of a CSV file.",
            who=who,
            line=d["line"],
        )
        if d.get("line")
        else _("%(who)s imported the application from a CSV file.", who=who)
    ),
    "application.status_changed": lambda who, d: _(
        "%(who)s moved the application from “%(before)s” to “%(after)s”.",
        who=who,
        before=_status(d.get("from")),
        after=_status(d.get("to")),
    ),
    "application.decided": _decided,
    "offer.confirmed": lambda who, d: _(
        "%(who)s confirmed the offered place: the startup is enrolled.", who=who
    ),
    "offer.declined": lambda who, d: _("%(who)s declined the offered place.", who=who),
    "offer.expired": lambda who, d: _(
        "%(who)s closed the offer: the deadline to confirm had passed.", who=who
    ),
}
#: Acts whose status move is recorded as a separate event: status it leads to.
_ACTS_WITH_A_MOVE = {
    "application.submitted": lambda d: ApplicationStatus.SUBMITTED.value,
    "application.withdrawn": lambda d: ApplicationStatus.WITHDRAWN.value,
    "application.decided": lambda d: d.get("to"),
}
_SAME_ACT = timedelta(seconds=5)


def sentence(event: AuditEvent) -> str:
    who = event.actor.name if event.actor is not None else _("The system")
    render = _SENTENCES.get(event.action)
    if render is None:
        return _("%(who)s: %(action)s.", who=who, action=event.action)
    return render(who, event.data or {})


def _folded_moves(events: list[AuditEvent]) -> set[int]:
    """Ids of status moves that belong to an act recorded beside them."""
    folded: set[int] = set()
    moves = [e for e in events if e.action == "application.status_changed"]
    for act in events:
        target = _ACTS_WITH_A_MOVE.get(act.action)
        if target is None:
            continue
        to = target(act.data or {})
        for move in moves:
            if (
                move.id not in folded
                and (move.data or {}).get("to") == to
                and move.actor_id == act.actor_id
                and abs(move.created_at - act.created_at) <= _SAME_ACT
            ):
                folded.add(move.id)
                break
    return folded


def history_entries(events: list[AuditEvent]) -> list[HistoryEntry]:
    """One sentence per act, oldest first (events with their actor loaded)."""
    folded = _folded_moves(events)
    return [HistoryEntry(e.created_at, sentence(e), e) for e in events if e.id not in folded]
