"""A home card's first rows and how many there are in all (pilots.queries._listed): the count
is read only when the first rows fill the card."""

from __future__ import annotations

from accelerator.extensions import db
from accelerator.pilots import queries
from accelerator.programs.models import Cohort
from tests import factories


def _startup_with_introductions(count: int):
    enrollment = factories.make_enrollment()
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    for _ in range(count):
        factories.make_introduction(
            unit=factories.make_unit(cohort=cohort), startup=enrollment.startup_id, cohort=cohort
        )
    db.session.commit()
    return enrollment.startup_id


def test_a_full_card_counts_what_it_leaves_out(db):
    startup_id = _startup_with_introductions(queries.HOME_CARD_CAP + 1)
    home = queries.founder_home(startup_id)
    assert len(home.introductions.rows) == queries.HOME_CARD_CAP
    assert home.introductions.total == queries.HOME_CARD_CAP + 1


def test_a_card_with_room_left_is_its_rows_without_a_count(db, count_queries):
    startup_id = _startup_with_introductions(3)
    with count_queries() as counter:
        home = queries.founder_home(startup_id)
    assert len(home.introductions.rows) == 3 and home.introductions.total == 3
    assert home.pilots.rows == [] and home.pilots.total == 0
    assert not any("count(" in s.lower() for s in counter.statements), counter.statements
