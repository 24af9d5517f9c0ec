"""The demo seed: programs, cohorts in each phase, and the tag vocabulary; idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator import ROOT
from accelerator.programs.models import Cohort, ExpertiseTag, Phase, Program
from accelerator.programs.seed import seed


def test_seed_creates_the_demo_programs_once(db):
    created = seed(ROOT / "seed_data", print)
    assert created == 2 + 4 + 18
    assert seed(ROOT / "seed_data", print) == 0

    programs = {p.name: p for p in db.session.scalars(select(Program))}
    assert programs["Orange Fab France"].timezone == "Europe/Paris"
    assert programs["Orange Fab Silicon Valley"].timezone == "America/Los_Angeles"
    phases = {c.name: c.phase for c in db.session.scalars(select(Cohort))}
    assert phases == {
        "Season 11": Phase.COMPLETED,
        "Season 12": Phase.RUNNING,
        "Season 13": Phase.OPEN,
        "Cohort 8": Phase.UPCOMING,
    }
    tags = set(db.session.scalars(select(ExpertiseTag.name)))
    assert {"go-to-market", "AI/ML", "partnerships with business units"} <= tags
    assert db.session.scalar(select(func.count()).select_from(ExpertiseTag)) == 18


def test_seed_keeps_what_staff_already_made(db, make):
    make.make_program(name="Orange Fab France", location="Lyon")
    make.make_tag("IOT")
    seed(ROOT / "seed_data", print)
    assert (
        db.session.scalar(select(Program.location).where(Program.name == "Orange Fab France"))
        == "Lyon"
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(ExpertiseTag)
            .where(func.lower(ExpertiseTag.name) == "iot")
        )
        == 1
    )
