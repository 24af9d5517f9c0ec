"""How mentoring's events (profiles, conflicts, preferences, matches) read in a startup's
history (core/history.py)."""

from __future__ import annotations

from flask_babel import gettext as _

from accelerator.core.history import Sentence, Sentences, person


def _with(text: str, data: dict, key: str, label: str) -> str:
    extra = (data.get(key) or "").strip()
    return f"{text} {label} {extra}" if extra else text


_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "match.proposed": lambda who, d: _(
            "%(who)s proposed %(mentor)s as a mentor.", who=who, mentor=person(d, "mentor_id")
        ),
        "match.added": lambda who, d: _(
            "%(who)s matched %(mentor)s with the startup.", who=who, mentor=person(d, "mentor_id")
        ),
        "match.swapped": lambda who, d: _(
            "%(who)s replaced %(before)s with %(after)s as a mentor.",
            who=who,
            before=person(d, "from_mentor_id"),
            after=person(d, "to_mentor_id"),
        ),
        "match.removed": lambda who, d: _(
            "%(who)s removed %(mentor)s from the startup's mentors.",
            who=who,
            mentor=person(d, "mentor_id"),
        ),
        "match.confirmed": lambda who, d: _(
            "%(who)s confirmed the match with %(mentor)s and asked the mentor to accept.",
            who=who,
            mentor=person(d, "mentor_id"),
        ),
        "match.accepted": lambda who, d: _("%(who)s accepted to mentor the startup.", who=who),
        "match.declined": lambda who, d: _with(
            _("%(who)s declined to mentor the startup.", who=who), d, "reason", _("Reason:")
        ),
        "mentor_conflict.declared": lambda who, d: _with(
            _(
                "%(who)s recorded that %(mentor)s has a conflict of interest with the startup.",
                who=who,
                mentor=person(d, "mentor_id"),
            ),
            d,
            "reason",
            _("Reason:"),
        ),
        "mentor_conflict.removed": lambda who, d: _(
            "%(who)s removed the conflict of interest recorded for %(mentor)s.",
            who=who,
            mentor=person(d, "mentor_id"),
        ),
        "mentor_preference.added": lambda who, d: _(
            "%(who)s ranked %(mentor)s as mentor choice number %(rank)s.",
            who=who,
            mentor=person(d, "mentor_id"),
            rank=d.get("rank", ""),
        ),
        "mentor_preference.removed": lambda who, d: _(
            "%(who)s removed %(mentor)s from the startup's mentor choices.",
            who=who,
            mentor=person(d, "mentor_id"),
        ),
    }
)

_ACTIONS.update(
    {
        "matching.run": lambda who, d: _(
            "%(who)s ran the mentor matching: %(proposed)s pairs proposed.",
            who=who,
            proposed=d.get("proposed", 0),
        ),
        "matches.exported": lambda who, d: _("%(who)s exported the mentor matches.", who=who),
        "mentor_profile.created": lambda who, d: _(
            "%(who)s created the mentor profile of %(mentor)s.",
            who=who,
            mentor=person(d, "mentor_id"),
        ),
        "mentor_profile.updated": lambda who, d: _(
            "%(who)s updated the mentor profile of %(mentor)s.",
            who=who,
            mentor=person(d, "mentor_id"),
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
