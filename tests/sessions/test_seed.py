"""The sessions seed: Season 12's sessions, items, office hours and a red flag; idempotent."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from accelerator import ROOT
from accelerator.core.models import OutboxEmail
from accelerator.core.risk import flags_for
from accelerator.core.types import utcnow
from accelerator.sessions.models import ActionItem, MentorSession, OfficeHourSlot
from accelerator.sessions.seed import seed
from tests import factories
from tests.sessions.builders import make_pair

SEED = ROOT / "seed_data"


def test_nothing_to_seed_without_the_cohort(db):
    assert seed(SEED, print) == 0
    assert seed(Path("/nonexistent"), print) == 0


def test_seeded_sessions_and_office_hours(db):
    program = factories.make_program(name="Orange Fab France")
    cohort = factories.make_cohort(program=program, phase="running", name="Season 12")
    karim = factories.make_user(role="mentor", email="mentor@example.org")
    ines = factories.make_user(role="mentor", email="ines.garcia@example.org")
    lumen = factories.make_startup(name="Lumen Networks")
    orbite = factories.make_startup(name="Orbite Data")
    make_pair(mentor=karim, startup=lumen, cohort=cohort)
    make_pair(mentor=ines, startup=orbite, cohort=cohort)
    mails = db.session.scalar(select(func.count(OutboxEmail.id)))

    created = seed(SEED, print)
    assert created == 2 + 1 + 3  # Karim's two sessions, Inès's one, Karim's three slots
    assert db.session.scalar(select(func.count(MentorSession.id))) == 3
    sessions = db.session.scalars(select(MentorSession)).all()
    assert all(cohort.starts_on < s.starts_at.date() <= utcnow().date() for s in sessions)
    open_items = db.session.scalar(
        select(func.count(ActionItem.id)).where(ActionItem.done_at.is_(None))
    )
    assert open_items == 4
    booked = db.session.scalars(
        select(OfficeHourSlot).where(OfficeHourSlot.startup_id.is_not(None))
    ).all()
    assert [s.startup_id for s in booked] == [lumen.id]
    flags = flags_for(cohort.id, [lumen.id, orbite.id])
    assert flags[lumen.id] == [] and [f.rule for f in flags[orbite.id]] == ["mentor_red_flag"]
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == mails

    assert seed(SEED, print) == 0  # idempotent
