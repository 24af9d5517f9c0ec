"""How an application's and its startup's audit events read, with field labels, one per act.

Registered with core/history.py. A status move recorded beside the act that caused it
(submitting, withdrawing, deciding) is folded into that act's sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accelerator.applications import fields
from accelerator.applications.models import ApplicationStatus
from accelerator.core.history import Sentences, entries


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
    "applications.import_uploaded": lambda who, d: _(
        "%(who)s uploaded a CSV file of %(rows)s applications to import.",
        who=who,
        rows=d.get("rows", 0),
    ),
    "applications.imported": lambda who, d: _(
        "%(who)s imported %(imported)s applications from a CSV file (%(skipped)s rows skipped).",
        who=who,
        imported=d.get("imported", 0),
        skipped=d.get("skipped", 0),
    ),
    "startup.created": lambda who, d: _("%(who)s created the startup's profile.", who=who),
    "startup.updated": lambda who, d: (
        _(
            "%(who)s updated the profile, changing: %(fields)s.",
            who=who,
            fields=_labels(d["fields"]),
        )
        if d.get("fields")
        else _("%(who)s updated the profile.", who=who)
    ),
    "startup.cofounder_invited": lambda who, d: _(
        "%(who)s invited %(email)s to join the team.", who=who, email=d.get("email", "")
    ),
    "startup.founder_joined": lambda who, d: _("%(who)s joined the team.", who=who),
    "startup.invitation_revoked": lambda who, d: _(
        "%(who)s withdrew the invitation to %(email)s.", who=who, email=d.get("email", "")
    ),
    "offer.expired": lambda who, d: _(
        "%(who)s closed the offer: the deadline to confirm had passed.", who=who
    ),
}
SENTENCES = Sentences(
    _SENTENCES,
    folds=(
        (
            "application.submitted",
            "application.status_changed",
            lambda d: ApplicationStatus.SUBMITTED.value,
        ),
        (
            "application.withdrawn",
            "application.status_changed",
            lambda d: ApplicationStatus.WITHDRAWN.value,
        ),
        ("application.decided", "application.status_changed", lambda d: d.get("to")),
    ),
)
#: Acts whose status move is recorded as a separate event are folded into them (above).
history_entries = entries
