"""The alumni seed: Season 11's six startups are alumni with their 6-month answers (one
acquired, one closed, four operating), four listed publicly, the 12-month survey not due;
acts dated in the past, no mail, idempotent."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from accelerator import cli
from accelerator.alumni import queries, reminders
from accelerator.alumni.models import Alumnus, Outcome, Survey, SurveyStatus
from accelerator.alumni.seed import seed
from accelerator.config import ROOT
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort

SEED_DIR = ROOT / "seed_data"


def _quiet(*_args, **_kwargs) -> None:
    return None


@pytest.fixture
def demo(db):
    """`flask seed` up to this domain's seed."""
    for name, step in cli._seeders():
        step(SEED_DIR, _quiet)
        if name == "alumni":
            break
    db.session.flush()


def _season_11() -> Cohort:
    return db.session.scalar(select(Cohort).where(Cohort.name == "Season 11"))


def _counts() -> tuple:
    return (
        db.session.scalar(select(func.count(Alumnus.id))),
        db.session.scalar(select(func.count(Survey.id))),
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action.like("alumni.%"))
        ),
        db.session.scalar(select(func.count(OutboxEmail.id))),
    )


def test_season_11_startups_are_alumni_with_their_six_month_answers(demo):
    cohort = _season_11()
    rows = queries.latest_answers([cohort.id])
    assert len(rows) == 6
    assert {row.months for row in rows} == {6}
    outcomes = Counter(row.outcome for row in rows)
    assert outcomes == {Outcome.OPERATING: 4, Outcome.ACQUIRED: 1, Outcome.CLOSED: 1}
    assert sum(row.listed_at is not None for row in rows) == 4
    by_name = {row.startup_name: row for row in rows}
    assert by_name["Kestrel Security"].raised_cents == 650_000_000
    assert by_name["Maillon Logistics"].outcome == Outcome.CLOSED
    today = local_today("Europe/Paris")
    surveys = db.session.scalars(select(Survey).where(Survey.cohort_id == cohort.id)).all()
    for survey in surveys:
        if survey.months == 6:
            assert survey.due_on <= today and survey.sent_at is not None
            assert survey.answered_at < utcnow()
        else:
            assert survey.due_on > today and survey.status == SurveyStatus.DUE
            assert survey.sent_at is None


def test_the_seed_mails_nothing_and_the_daily_run_after_it_neither(demo):
    assert not db.session.scalar(
        select(func.count(OutboxEmail.id)).where(OutboxEmail.body.contains("/alumni/surveys/"))
    )
    assert reminders.send_surveys(utcnow()) == 0


def test_the_seed_is_idempotent(demo):
    before = _counts()
    assert seed(SEED_DIR, _quiet) == 0
    db.session.flush()
    assert _counts() == before
