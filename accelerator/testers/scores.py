"""The System Usability Scale (Brooke, 1996) and the Net Promoter Score, by their standard rules."""

# SUS: ten statements answered 1 (strongly disagree) to 5 (strongly agree). Odd statements are
# positive and score (answer - 1), even ones negative and score (5 - answer); the sum (0-40)
# times 2.5 gives 0-100. A campaign reports the mean with a 95 % interval by Student's t, the
# usual choice for the small samples of usability tests.
# NPS: "how likely are you to recommend...", 0 to 10. Promoters answer 9-10, passives 7-8 and
# detractors 0-6; the score is % promoters - % detractors, from -100 to 100.

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from flask_babel import lazy_gettext as _l

# The ten statements in Brooke's wording, in order: the scoring depends on their order.
SUS_ITEMS = (
    _l("I think that I would like to use this system frequently."),
    _l("I found the system unnecessarily complex."),
    _l("I thought the system was easy to use."),
    _l(
        "I think that I would need the support of a technical person to be able to use this system."
    ),
    _l("I found the various functions in this system were well integrated."),
    _l("I thought there was too much inconsistency in this system."),
    _l("I would imagine that most people would learn to use this system very quickly."),
    _l("I found the system very cumbersome to use."),
    _l("I felt very confident using the system."),
    _l("I needed to learn a lot of things before I could get going with this system."),
)

CONFIDENCE = 0.95


class SusSummary(NamedTuple):
    """SUS scores of a campaign: their count, mean and 95 % interval (None where undefined)."""

    n: int
    mean: float | None
    low: float | None
    high: float | None


class Nps(NamedTuple):
    """Net Promoter Score: counts of each kind of answer and the score (None with no answers)."""

    n: int
    promoters: int
    passives: int
    detractors: int
    score: int | None


def sus_score(answers: Sequence[int]) -> float:
    """The SUS score (0-100) of one person's ten answers, each 1-5; ValueError otherwise."""
    answers = list(answers)
    if len(answers) != len(SUS_ITEMS):
        raise ValueError(f"SUS takes {len(SUS_ITEMS)} answers, got {len(answers)}")
    for answer in answers:
        if not _is_integer(answer) or not 1 <= answer <= 5:
            raise ValueError(f"SUS answers are whole numbers from 1 to 5, got {answer!r}")
    # Items are numbered from 1: the odd ones sit at even indexes.
    contributions = [
        answer - 1 if index % 2 == 0 else 5 - answer for index, answer in enumerate(answers)
    ]
    return float(sum(contributions) * 2.5)


def sus_summary(scores: Sequence[float]) -> SusSummary:
    """Count, mean and 95 % Student's t interval of SUS scores, the interval kept within 0-100."""
    values = np.array([_sus_value(score) for score in scores], dtype=float)
    n = int(values.size)
    if n == 0:
        return SusSummary(0, None, None, None)
    mean = float(values.mean())
    if n < 2:
        return SusSummary(n, mean, None, None)

    from scipy.stats import t  # imported here: scipy.stats takes a while, results pages only

    margin = float(t.ppf((1 + CONFIDENCE) / 2, n - 1)) * float(values.std(ddof=1)) / math.sqrt(n)
    # The scale stops at 0 and 100: an interval reaching past them says nothing more.
    return SusSummary(n, mean, max(0.0, mean - margin), min(100.0, mean + margin))


def nps(scores: Sequence[int]) -> Nps:
    """Promoters (9-10), passives (7-8), detractors (0-6) and the score, of 0-10 answers."""
    promoters = passives = detractors = 0
    for score in scores:
        if not _is_integer(score) or not 0 <= score <= 10:
            raise ValueError(f"NPS answers are whole numbers from 0 to 10, got {score!r}")
        if score >= 9:
            promoters += 1
        elif score >= 7:
            passives += 1
        else:
            detractors += 1
    n = promoters + passives + detractors
    if n == 0:
        return Nps(0, 0, 0, 0, None)
    # Whole-number arithmetic, halves rounded away from zero (12.5 -> 13, -12.5 -> -13): float
    # percentages and round() (halves to even) would call the same answers differently.
    difference = 100 * (promoters - detractors)
    magnitude = (2 * abs(difference) + n) // (2 * n)
    return Nps(n, promoters, passives, detractors, magnitude if difference >= 0 else -magnitude)


def _is_integer(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _sus_value(score) -> float:
    if isinstance(score, bool | np.bool_) or not isinstance(score, int | float | np.number):
        raise ValueError(f"SUS scores are numbers from 0 to 100, got {score!r}")
    value = float(score)
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise ValueError(f"SUS scores are numbers from 0 to 100, got {score!r}")
    return value
