"""The grants seed: Season 11 fully paid, Season 12 kickoffs paid, idempotent, quiet."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from accelerator.core.models import OutboxEmail
from accelerator.grants.queries import ledger_of, load_context
from accelerator.grants.seed import seed
from tests import factories


def test_nothing_to_seed_without_grants(db):
    said = []
    assert seed(Path("."), said.append) == 0
    assert "no ledger seeded" in said[0]


def test_seeded_ledgers(db):
    factories.make_user(role="staff")
    factories.make_user(role="staff")
    program = factories.make_program(name="Orange Fab France")
    past = factories.make_cohort(program=program, phase="completed", name="Season 11")
    running = factories.make_cohort(program=program, phase="running", name="Season 12")
    old = [factories.make_grant(cohort=past) for _ in range(2)]
    new = [factories.make_grant(cohort=running) for _ in range(2)]
    mails_before = db.session.scalar(select(func.count(OutboxEmail.id)))

    assert seed(Path("."), print) == 2 * 3 + 2
    for grant in old:
        ledger = ledger_of(load_context(grant.id))
        assert ledger.totals.paid == grant.amount_cents and ledger.remaining == 0
        assert all(t.state == "paid" for t in ledger.tranches)
        assert all(row.paid_on <= past.ends_on for row in ledger.payments)
    for grant in new:
        ledger = ledger_of(load_context(grant.id))
        assert [t.state for t in ledger.tranches] == ["paid", "planned", "planned"]
        assert ledger.payments[0].paid_on > running.starts_on
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == mails_before

    assert seed(Path("."), print) == 0  # idempotent
