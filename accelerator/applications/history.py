"""How an application's and its startup's audit events read, with field labels, one per act.

Registered with core/history.py. A status move recorded beside the act that caused it
(submitting, withdrawing, deciding) is folded into that act's sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from accelerator.applications import fields
from accelerator.applications.models import ApplicationStatus
from accelerator.core.history import Sentences, entries, says
from accelerator.core.i18n import gettext as _


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
    "application.started": says(_l("%(who)s started the application.")),
    "application.draft_saved": _draft_saved,
    "application.deck_uploaded": lambda who, d: (
        _("%(who)s replaced the pitch deck.", who=who)
        if d.get("replaced")
        else _("%(who)s uploaded the pitch deck.", who=who)
    ),
    "application.submitted": says(_l("%(who)s submitted the application.")),
    "application.withdrawn": says(_l("%(who)s withdrew the application.")),
    "application.imported": lambda who, d: (
        _(
            "%(who)s imported the application from line %(line)s of a CSV file.",
            who=who,
            line=d["line"],
        )
        if d.get("line")
        else _("%(who)s imported the application from a CSV file.", who=who)
    ),
    "application.status_changed": says(
        _l("%(who)s moved the application from “%(before)s” to “%(after)s”."),
        before=lambda d: _status(d.get("from")),
        after=lambda d: _status(d.get("to")),
    ),
    "application.decided": _decided,
    "offer.confirmed": says(_l("%(who)s confirmed the offered place: the startup is enrolled.")),
    "offer.declined": says(_l("%(who)s declined the offered place.")),
    "applications.import_uploaded": says(
        _l("%(who)s uploaded a CSV file of %(rows)s applications to import."),
        rows=lambda d: d.get("rows", 0),
    ),
    "applications.imported": says(
        _l(
            "%(who)s imported %(imported)s applications from a CSV file (%(skipped)s rows skipped)."
        ),
        imported=lambda d: d.get("imported", 0),
        skipped=lambda d: d.get("skipped", 0),
    ),
    "startup.created": says(_l("%(who)s created the startup's profile.")),
    "startup.updated": lambda who, d: (
        _(
            "%(who)s updated the profile, changing: %(fields)s.",
            who=who,
            fields=_labels(d["fields"]),
        )
        if d.get("fields")
        else _("%(who)s updated the profile.", who=who)
    ),
    "startup.cofounder_invited": says(
        _l("%(who)s invited %(email)s to join the team."), email="email"
    ),
    "startup.founder_joined": says(_l("%(who)s joined the team.")),
    "startup.invitation_revoked": says(
        _l("%(who)s withdrew the invitation to %(email)s."), email="email"
    ),
    "offer.expired": says(_l("%(who)s closed the offer: the deadline to confirm had passed.")),
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
