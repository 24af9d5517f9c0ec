"""How mentoring's events (profiles, conflicts, preferences, matches) read in a startup's
history (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, person, says
from accelerator.core.i18n import gettext as _


def _with(text: str, data: dict, key: str, label: str) -> str:
    extra = (data.get(key) or "").strip()
    return f"{text} {label} {extra}" if extra else text


def _mentor(data: dict) -> str:
    return person(data, "mentor_id")


_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "match.proposed": says(_l("%(who)s proposed %(mentor)s as a mentor."), mentor=_mentor),
        "match.added": says(_l("%(who)s matched %(mentor)s with the startup."), mentor=_mentor),
        "match.swapped": says(
            _l("%(who)s replaced %(before)s with %(after)s as a mentor."),
            before=lambda d: person(d, "from_mentor_id"),
            after=lambda d: person(d, "to_mentor_id"),
        ),
        "match.removed": says(
            _l("%(who)s removed %(mentor)s from the startup's mentors."), mentor=_mentor
        ),
        "match.confirmed": says(
            _l("%(who)s confirmed the match with %(mentor)s and asked the mentor to accept."),
            mentor=_mentor,
        ),
        "match.accepted": says(_l("%(who)s accepted to mentor the startup.")),
        "match.declined": lambda who, d: _with(
            _("%(who)s declined to mentor the startup.", who=who), d, "reason", _("Reason:")
        ),
        "mentor_conflict.declared": lambda who, d: _with(
            _(
                "%(who)s recorded that %(mentor)s has a conflict of interest with the startup.",
                who=who,
                mentor=_mentor(d),
            ),
            d,
            "reason",
            _("Reason:"),
        ),
        "mentor_conflict.removed": says(
            _l("%(who)s removed the conflict of interest recorded for %(mentor)s."),
            mentor=_mentor,
        ),
        "mentor_preference.added": says(
            _l("%(who)s ranked %(mentor)s as mentor choice number %(rank)s."),
            mentor=_mentor,
            rank="rank",
        ),
        "mentor_preference.removed": says(
            _l("%(who)s removed %(mentor)s from the startup's mentor choices."), mentor=_mentor
        ),
    }
)

_ACTIONS.update(
    {
        "matching.run": says(
            _l("%(who)s ran the mentor matching: %(proposed)s pairs proposed."),
            proposed=lambda d: d.get("proposed", 0),
        ),
        "matches.exported": says(_l("%(who)s exported the mentor matches.")),
        "mentor_profile.created": says(
            _l("%(who)s created the mentor profile of %(mentor)s."), mentor=_mentor
        ),
        "mentor_profile.updated": says(
            _l("%(who)s updated the mentor profile of %(mentor)s."), mentor=_mentor
        ),
    }
)

SENTENCES = Sentences(
    _ACTIONS,
    people=(
        "mentor_id",
        "from_mentor_id",
        "to_mentor_id",
    ),
)
