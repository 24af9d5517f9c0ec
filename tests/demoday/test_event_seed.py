"""The demo-day seed (the event): Season 11's demo day in the past, published, with materials
for most startups; Season 12's about 40 days ahead (its Demo day milestone's day), published,
with some; through the services (audited, dated before the event), no mail, idempotent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accelerator import cli
from accelerator.config import ROOT
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.timeutil import local_today, to_local
from accelerator.core.types import utcnow
from accelerator.demoday import queries
from accelerator.demoday.models import DemoDay, Slot
from accelerator.demoday.seed import seed
from accelerator.extensions import db
from accelerator.programs import queries as program_queries
from accelerator.programs.models import Cohort

SEED_DIR = ROOT / "seed_data"
TZ = "Europe/Paris"


def _quiet(*_args, **_kwargs) -> None:
    return None


@pytest.fixture
def demo(db):
    """`flask seed` up to this domain's seed."""
    for name, step in cli._seeders():
        step(SEED_DIR, _quiet)
        if name == "demoday":
            break
    db.session.flush()


def _demo_day(cohort_name: str) -> tuple[Cohort, DemoDay]:
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == cohort_name))
    return cohort, db.session.scalar(select(DemoDay).where(DemoDay.cohort_id == cohort.id))


def test_the_seeded_demo_days(demo):
    now = utcnow()
    cohort, past = _demo_day("Season 11")
    assert past.is_published and past.starts_at < now
    assert past.published_at < past.starts_at
    lines = queries.running_order(past)
    pitches = [line for line in lines if not line.is_break]
    assert len(pitches) == 6 and [line.title for line in lines].count("Coffee break") == 1
    assert sum(1 for line in pitches if line.slot.pitch) == 5
    assert sum(1 for line in pitches if line.has_deck) == 4
    assert program_queries.demo_day(cohort) == to_local(past.starts_at, TZ).date()

    cohort, coming = _demo_day("Season 12")
    assert coming.is_published
    # About 40 days ahead: the day its Demo day milestone already named (45 days).
    days = (to_local(coming.starts_at, TZ).date() - local_today(TZ)).days
    assert 35 <= days <= 50
    assert to_local(coming.starts_at, TZ).strftime("%H:%M") == "15:00"
    pitches = [line for line in queries.running_order(coming) if not line.is_break]
    assert len(pitches) == 6 and 0 < sum(1 for line in pitches if line.slot.pitch) < 6
    events = list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("demo_day.%")))
    )
    assert events and all(event.created_at <= now for event in events)
    assert not db.session.scalar(
        select(func.count(OutboxEmail.id)).where(OutboxEmail.subject.ilike("%demo%"))
    )


def test_seeding_twice_changes_nothing(demo):
    counts = (
        db.session.scalar(select(func.count(DemoDay.id))),
        db.session.scalar(select(func.count(Slot.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
    )
    assert seed(SEED_DIR, _quiet) == 0
    db.session.flush()
    assert counts == (
        db.session.scalar(select(func.count(DemoDay.id))),
        db.session.scalar(select(func.count(Slot.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
    )
