"""How session events (office hours, sessions, action items, ratings, red flags, calendar
addresses) read in a startup's history (core/history.py).

The actions keep the names they were recorded under (`mentoring.*`) before sessions became a
domain of its own: the audit log already holds them, and their history must still read.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, person, says
from accelerator.core.i18n import gettext as _


def _with(text: str, data: dict, key: str, label: str) -> str:
    extra = (data.get(key) or "").strip()
    return f"{text} {label} {extra}" if extra else text


def _session_logged(who: str, d: dict) -> str:
    minutes = d.get("minutes")
    if minutes:
        return _(
            "%(who)s logged a %(minutes)d-minute session with %(mentor)s.",
            who=who,
            minutes=minutes,
            mentor=person(d, "mentor_id"),
        )
    return _("%(who)s logged a session with %(mentor)s.", who=who, mentor=person(d, "mentor_id"))


_ACTIONS: dict[str, Sentence] = {
    "mentoring.session_logged": _session_logged,
    "mentoring.session_confirmed": says(
        _l("%(who)s confirmed that a mentoring session took place.")
    ),
    "mentoring.session_rated": says(_l("%(who)s rated a mentoring session.")),
    "mentoring.red_flag_raised": lambda who, d: _with(
        _("%(who)s raised a red flag.", who=who), d, "reason", _("Reason:")
    ),
    "mentoring.red_flag_resolved": lambda who, d: _with(
        _("%(who)s resolved the red flag.", who=who), d, "note", _("Note:")
    ),
    "mentoring.action_item_done": says(_l("%(who)s ticked off an action item.")),
    "mentoring.action_item_reopened": says(_l("%(who)s reopened an action item.")),
    "mentoring.slot_booked": says(_l("%(who)s booked an office hour.")),
    "mentoring.slot_cancelled": says(_l("%(who)s cancelled an office-hour booking.")),
    "mentoring.calendar_token_issued": says(_l("%(who)s created a private calendar address.")),
    "mentoring.calendar_token_revoked": says(
        _l("%(who)s turned off their private calendar address.")
    ),
    "mentoring.slot_published": says(_l("%(who)s published an office hour.")),
    "mentoring.slot_withdrawn": says(_l("%(who)s withdrew an office hour.")),
}

SENTENCES = Sentences(_ACTIONS, people=("mentor_id",))
