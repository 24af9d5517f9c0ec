"""SUS and NPS against worked examples, the interval against its formula, bad answers refused."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st

from accelerator.testers.scores import SUS_ITEMS, Nps, SusSummary, nps, sus_score, sus_summary

# --- SUS: one person ----------------------------------------------------------------------------


def test_neutral_answers_score_50():
    assert sus_score([3] * 10) == 50.0


def test_the_best_answers_score_100_and_the_worst_0():
    assert sus_score([5, 1] * 5) == 100.0
    assert sus_score([1, 5] * 5) == 0.0


def test_brookes_scored_example():
    # Brooke's sample questionnaire, reprinted in Tullis & Albert, "Measuring the User
    # Experience", figure 6.8: item contributions 4, 1, 1, 4, 1, 2, 1, 1, 4, 3 total 22, and
    # "SUS Score = 22 * 2.5 = 55". Odd items contribute (answer - 1), even ones (5 - answer).
    answers = [5, 4, 2, 1, 2, 3, 2, 4, 5, 2]
    assert sus_score(answers) == 55.0


def test_each_statement_moves_the_score_its_own_way():
    # Agreeing more with a positive (odd) statement raises the score by 2.5; with a negative
    # (even) one it lowers it by 2.5.
    for item in range(10):
        answers = [3] * 10
        answers[item] = 4
        assert sus_score(answers) == (52.5 if item % 2 == 0 else 47.5)


@given(st.lists(st.integers(1, 5), min_size=10, max_size=10))
def test_a_score_is_a_step_of_2_5_between_0_and_100(answers):
    score = sus_score(answers)
    assert 0 <= score <= 100
    assert (score / 2.5).is_integer()
    assert isinstance(score, float)


@pytest.mark.parametrize(
    "answers",
    [
        [3] * 9,
        [3] * 11,
        [],
        [3] * 9 + [0],
        [3] * 9 + [6],
        [3] * 9 + [3.0],
        [3] * 9 + [True],
        [3] * 9 + ["3"],
        [3] * 9 + [None],
    ],
)
def test_anything_but_ten_answers_from_1_to_5_is_refused(answers):
    with pytest.raises(ValueError):
        sus_score(answers)


def test_numpy_integers_are_answers_too():
    assert sus_score(np.array([3] * 10)) == 50.0


# --- SUS: a campaign --------------------------------------------------------------------------


def test_the_interval_follows_students_t():
    scores = [62.5, 70.0, 72.5, 85.0, 90.0]
    # Computed apart: the mean, the sample standard deviation (n - 1), and the two-sided 95 %
    # critical value of Student's t with 4 degrees of freedom from the tables, 2.776445.
    mean = sum(scores) / len(scores)
    margin = 2.776445 * statistics.stdev(scores) / math.sqrt(len(scores))
    summary = sus_summary(scores)
    assert summary.n == 5
    assert summary.mean == pytest.approx(76.0)
    assert summary.low == pytest.approx(mean - margin, abs=1e-4)
    assert summary.high == pytest.approx(mean + margin, abs=1e-4)
    assert summary.low == pytest.approx(62.014, abs=1e-3)  # 76 - 13.986
    assert summary.high == pytest.approx(89.986, abs=1e-3)


def test_the_interval_stays_within_0_and_100():
    # 80 +- 4.302653 (t, 2 degrees of freedom) x 10 / sqrt(3) = 80 +- 24.84: capped at 100.
    summary = sus_summary([70.0, 80.0, 90.0])
    assert summary.low == pytest.approx(80 - 4.302653 * 10 / math.sqrt(3), abs=1e-4)
    assert summary.high == 100.0
    assert sus_summary([0.0, 0.0, 10.0]).low == 0.0


def test_one_score_has_no_interval_and_none_has_no_mean():
    assert sus_summary([72.5]) == SusSummary(n=1, mean=72.5, low=None, high=None)
    assert sus_summary([]) == SusSummary(n=0, mean=None, low=None, high=None)


def test_identical_scores_have_an_interval_of_no_width():
    assert sus_summary([55.0, 55.0, 55.0, 55.0]) == SusSummary(4, 55.0, 55.0, 55.0)


@given(st.lists(st.sampled_from([2.5 * k for k in range(41)]), min_size=2, max_size=60))
def test_the_interval_holds_the_mean_within_the_scale(scores):
    summary = sus_summary(scores)
    assert summary.n == len(scores)
    assert 0 <= summary.low <= summary.mean <= summary.high <= 100
    assert summary.mean == pytest.approx(statistics.fmean(scores))


@pytest.mark.parametrize("score", [-2.5, 102.5, math.nan, math.inf, "50", None, True])
def test_a_sus_score_outside_0_to_100_is_refused(score):
    with pytest.raises(ValueError):
        sus_summary([50.0, score])


# --- NPS ----------------------------------------------------------------------------------------


def test_five_promoters_three_passives_two_detractors_score_30():
    answers = [10, 9, 9, 10, 9, 8, 7, 7, 6, 0]
    assert nps(answers) == Nps(n=10, promoters=5, passives=3, detractors=2, score=30)


def test_the_boundaries_of_each_kind():
    assert nps([9, 10]) == Nps(2, 2, 0, 0, 100)
    assert nps([7, 8]) == Nps(2, 0, 2, 0, 0)
    assert nps([0, 6]) == Nps(2, 0, 0, 2, -100)


def test_no_answers_have_no_score():
    assert nps([]) == Nps(0, 0, 0, 0, None)


def test_the_score_is_rounded_to_a_whole_number_halves_away_from_zero():
    # 1 promoter, 2 passives of 3: 33.33 -> 33; 2 promoters of 3: 66.67 -> 67.
    assert nps([9, 7, 7]).score == 33
    assert nps([9, 10, 7]).score == 67
    # 1 promoter of 8: 12.5 -> 13, and 1 detractor of 8: -12.5 -> -13.
    assert nps([10] + [8] * 7).score == 13
    assert nps([3] + [8] * 7).score == -13


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_the_score_is_promoters_minus_detractors_in_percent(answers):
    result = nps(answers)
    assert result.n == len(answers) == result.promoters + result.passives + result.detractors
    exact = 100 * (result.promoters - result.detractors) / result.n
    assert abs(result.score - exact) <= 0.5
    assert -100 <= result.score <= 100


@pytest.mark.parametrize("answer", [-1, 11, 7.5, "9", None, True])
def test_anything_but_a_whole_number_from_0_to_10_is_refused(answer):
    with pytest.raises(ValueError):
        nps([9, answer])


# --- the statements ---------------------------------------------------------------------------


def test_the_ten_statements_in_brookes_wording(app):
    with app.test_request_context(), force_locale("en"):
        statements = [str(item) for item in SUS_ITEMS]
    assert len(statements) == 10
    assert statements[0] == "I think that I would like to use this system frequently."
    assert statements[3] == (
        "I think that I would need the support of a technical person to be able to use this system."
    )
    assert statements[9] == (
        "I needed to learn a lot of things before I could get going with this system."
    )
    assert len(set(statements)) == 10
