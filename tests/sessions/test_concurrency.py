"""Ten founders click the same office hour at once, with real commits from ten threads: the
database lets exactly one booking through, the others are told someone else booked it."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from accelerator.auth.models import User
from accelerator.core.errors import Conflict
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.extensions import db
from accelerator.sessions import office_hours
from accelerator.sessions.models import OfficeHourSlot
from tests import factories
from tests.sessions.builders import make_pair, make_slot

FOUNDERS = 10


def _setup(app) -> tuple[int, list[int]]:
    """One mentor matched with ten startups (one founder each) and one free slot, committed."""
    with app.app_context():
        mentor = factories.make_user(role="mentor")
        cohort = factories.make_cohort(phase="running")
        founders = []
        for _ in range(FOUNDERS):
            founder = factories.make_user(role="founder")
            make_pair(
                mentor=mentor, startup=factories.make_startup(founders=[founder]), cohort=cohort
            )
            founders.append(founder)
        slot = make_slot(mentor)
        db.session.commit()
        ids = slot.id, [f.id for f in founders]
        db.session.remove()
        return ids


def _click(app, slot_id: int, founder_id: int, barrier: threading.Barrier) -> str:
    with app.app_context():
        try:
            actor = db.session.get(User, founder_id)
            slot = db.session.get(OfficeHourSlot, slot_id)
            office_hours.bookable_startup_id(actor, slot)  # warm the reads, as a view would
            db.session.rollback()  # start the click with a fresh transaction
            barrier.wait(timeout=30)
            office_hours.book_slot(slot, actor=actor)
            db.session.commit()
            return "booked"
        except Conflict as error:
            db.session.rollback()
            assert "Someone else booked" in error.message
            return "refused"
        finally:
            db.session.remove()


def _burst(app) -> tuple[Counter, int]:
    slot_id, founder_ids = _setup(app)
    barrier = threading.Barrier(FOUNDERS)
    with ThreadPoolExecutor(max_workers=FOUNDERS) as pool:
        outcomes = Counter(pool.map(lambda fid: _click(app, slot_id, fid, barrier), founder_ids))
    return outcomes, slot_id


def _after(app, slot_id: int) -> tuple[OfficeHourSlot, int, int]:
    with app.app_context():
        try:
            slot = db.session.get(OfficeHourSlot, slot_id)
            db.session.expunge(slot)
            audits = db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "mentoring.slot_booked")
            )
            mails = db.session.scalar(select(func.count()).select_from(OutboxEmail))
            return slot, audits, mails
        finally:
            db.session.remove()


@pytest.mark.postgres_only
def test_ten_founders_click_the_same_slot_one_wins_on_postgresql(committed, is_postgres):
    if not is_postgres:
        pytest.skip("the PostgreSQL burst needs TEST_DATABASE_URL")
    for _ in range(3):
        outcomes, slot_id = _burst(committed)
        assert outcomes == Counter(booked=1, refused=FOUNDERS - 1)
        slot, audits, _mails = _after(committed, slot_id)
        assert slot.is_booked
    assert audits == 3  # one audit event per burst's single booking


def test_simultaneous_clicks_book_once_on_any_database(committed):
    """The same invariant on SQLite, where each transaction takes the write lock first."""
    outcomes, slot_id = _burst(committed)
    assert outcomes == Counter(booked=1, refused=FOUNDERS - 1)
    slot, audits, mails = _after(committed, slot_id)
    assert slot.is_booked and audits == 1
    assert mails == 2  # the mentor and the winning startup's founder
