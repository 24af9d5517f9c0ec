"""How milestone and check-in events read in a startup's history (core/history.py)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says
from accelerator.core.i18n import gettext as _
from accelerator.milestones.models import Health


def _day(value) -> str:
    """A day as every page writes one (2026-11-06: the app's one date format)."""
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        return str(value or "")


def _with(text: str, data: dict, key: str, label: str) -> str:
    extra = (data.get(key) or "").strip()
    return f"{text} {label} {extra}" if extra else text


def _health(value) -> str:
    try:
        return Health(value).label
    except ValueError:
        return str(value)


def _approved(who: str, d: dict) -> str:
    text = _("%(who)s approved the milestone “%(title)s”.", who=who, title=d.get("title", ""))
    if d.get("disbursement_id"):
        text += " " + _("Its grant tranche was requested for payment.")
    return text


def _on_checkin(text, older) -> Sentence:
    """An act on a check-in, naming its period (`text`, lazy); events recorded before the
    period was kept in their data read as `older`."""

    def sentence(who: str, d: dict) -> str:
        if d.get("period"):
            return str(text) % {"who": who, "period": _day(d["period"])}
        return str(older) % {"who": who}

    return sentence


_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "milestone.added": says(
            _l("%(who)s added the milestone “%(title)s”, due %(due)s."),
            title="title",
            due=lambda d: _day(d.get("due_on")),
        ),
        "milestone.moved": lambda who, d: _with(
            _(
                "%(who)s moved the milestone “%(title)s” from %(before)s to %(after)s.",
                who=who,
                title=d.get("title", ""),
                before=_day(d.get("from")),
                after=_day(d.get("to")),
            ),
            d,
            "reason",
            _("Reason:"),
        ),
        "milestone.dropped": lambda who, d: _with(
            _("%(who)s dropped the milestone “%(title)s”.", who=who, title=d.get("title", "")),
            d,
            "reason",
            _("Reason:"),
        ),
        "milestone.submitted": says(
            _l("%(who)s submitted the milestone “%(title)s” for review."), title="title"
        ),
        "milestone.approved": _approved,
        "milestone.sent_back": lambda who, d: _with(
            _(
                "%(who)s sent the milestone “%(title)s” back for more work.",
                who=who,
                title=d.get("title", ""),
            ),
            d,
            "comment",
            _("Comment:"),
        ),
        "checkin.submitted": says(
            _l(
                "%(who)s sent the check-in for the period starting %(period)s (health: %(health)s)."
            ),
            period=lambda d: _day(d.get("period")),
            health=lambda d: _health(d.get("health")),
        ),
        "checkin.edited": _on_checkin(
            _l("%(who)s edited the check-in for the period starting %(period)s."),
            _l("%(who)s edited a check-in."),
        ),
        "checkin.commented": _on_checkin(
            _l("%(who)s commented on the check-in for the period starting %(period)s."),
            _l("%(who)s commented on a check-in."),
        ),
        "checkin.mentor_requested": _on_checkin(
            _l(
                "%(who)s asked for a mentor's help in the check-in for the period starting "
                "%(period)s."
            ),
            _l("%(who)s asked for a mentor's help in a check-in."),
        ),
    }
)

_ACTIONS.update(
    {
        "milestone_plan.line_added": says(
            _l("%(who)s added “%(title)s” to the cohort's milestone plan (week %(week)s)."),
            title="title",
            week="week",
        ),
        "milestone_plan.line_changed": says(
            _l("%(who)s changed a line of the cohort's milestone plan.")
        ),
        "milestone_plan.line_removed": says(
            _l("%(who)s removed “%(title)s” from the cohort's milestone plan."), title="title"
        ),
        "milestone_plan.defaulted": says(_l("%(who)s gave the cohort the default milestone plan.")),
        "milestone_plan.copied": says(
            _l("%(who)s copied the milestone plan of %(cohort)s."), cohort="from"
        ),
        "milestones.created_for_enrolled": says(
            _l("%(who)s created the milestones of the enrolled startups (%(created)s)."),
            created=lambda d: d.get("created", 0),
        ),
        "checkin.cadence_set": says(_l("%(who)s changed how often startups check in.")),
    }
)

SENTENCES = Sentences(
    _ACTIONS,
)
