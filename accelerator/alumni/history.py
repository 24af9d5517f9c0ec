"""How the alumni domain's audit actions read as sentences (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.alumni.models import Outcome
from accelerator.core.history import Sentence, Sentences, says
from accelerator.core.money import format_cents


def _raised(data: dict) -> str:
    return format_cents(data.get("raised_cents") or 0, data.get("currency") or "USD")


def _outcome(data: dict) -> str:
    value = data.get("outcome")
    return str(Outcome(value).label) if value in Outcome._value2member_map_ else ""


_ACTIONS: dict[str, Sentence] = {
    "alumni.exported": says(
        _l("%(who)s downloaded the alumni directory (%(rows)s rows)."), rows="rows"
    ),
    "alumni.became": says(
        _l(
            "The startup completed %(cohort)s and became one of its alumni: its surveys are "
            "due 6, 12 and 24 months later."
        ),
        cohort="cohort",
    ),
    "alumni.survey_answered": says(
        _l(
            "%(who)s answered the %(months)s-month alumni survey: %(raised)s raised since the "
            "program, %(headcount)s people, %(outcome)s."
        ),
        months="months",
        raised=_raised,
        headcount="headcount",
        outcome=_outcome,
    ),
    "alumni.survey_corrected": says(
        _l(
            "%(who)s corrected the %(months)s-month alumni survey: now %(raised)s raised since "
            "the program, %(headcount)s people, %(outcome)s."
        ),
        months="months",
        raised=_raised,
        headcount="headcount",
        outcome=_outcome,
    ),
    "alumni.listed": says(
        _l("%(who)s agreed to list the startup on the program's public transparency page.")
    ),
    "alumni.unlisted": says(
        _l("%(who)s took the startup off the program's public transparency page.")
    ),
}

SENTENCES = Sentences(_ACTIONS)
