"""The applications seed: Season 13's startups, founders and applications, idempotent."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.applications.seed import demo_pdf, seed
from accelerator.auth.models import User
from accelerator.cli import SEED_DIR
from accelerator.core.files import is_pdf
from tests import factories


def test_seed_fills_season_13_and_runs_twice_without_creating_anything(db):
    program = factories.make_program(name="Orange Fab France")
    cohort = factories.make_cohort(program=program, name="Season 13", phase="open")
    factories.make_tag("telecom networks")
    messages: list[str] = []
    assert seed(SEED_DIR, messages.append) >= 12
    statuses = Counter(
        db.session.scalars(select(Application.status).where(Application.cohort_id == cohort.id))
    )
    assert sum(statuses.values()) >= 12 and len(statuses) >= 5
    assert statuses[ApplicationStatus.DRAFT] and statuses[ApplicationStatus.SUBMITTED]
    founder = db.session.scalar(select(User).where(User.email == "hello@nimbus-edge.example.org"))
    assert founder is not None and founder.check_password("accelerator-demo")
    counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (Startup, User)]
    assert seed(SEED_DIR, messages.append) == 0
    assert counts == [
        db.session.scalar(select(func.count()).select_from(m)) for m in (Startup, User)
    ]


def test_seed_skips_without_the_cohort(db):
    messages: list[str] = []
    assert seed(SEED_DIR, messages.append) == 0
    assert "skipped" in messages[0] and "Season 13" in messages[0]


def test_demo_decks_are_pdfs():
    data = demo_pdf("Mosaïque (Health)")
    assert is_pdf(data) and data.rstrip().endswith(b"%%EOF")
