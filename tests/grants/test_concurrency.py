"""The cap under real concurrency: many simultaneous requests, real commits, several threads.

On PostgreSQL the grant's row lock and the guarded UPDATE serialise the requests; on SQLite
every transaction takes the write lock first (BEGIN IMMEDIATE). Either way: exactly as many
requests succeed as fit under the grant, and a duplicated idempotency key makes one row.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, func, select

from accelerator.auth.models import User
from accelerator.core.errors import Conflict
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.grants import services
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from tests import factories
from tests.grants.helpers import new_key

GRANT = 2_000_000  # $20,000
ALREADY = 500_000  # $5,000 committed before the burst
EACH = 100_000  # $1,000 per request
THREADS = 50
BURSTS = 5


def _setup(app) -> tuple[int, list[int]]:
    """A $20,000 grant with $5,000 requested, and two staff members; committed for real."""
    with app.app_context():
        staff = [factories.make_user(role="staff") for _ in range(2)]
        grant = factories.make_grant(amount_cents=GRANT)
        services.request_disbursement(
            grant,
            actor=staff[0],
            tranche_key="kickoff",
            amount_cents=ALREADY,
            idempotency_key=new_key(),
        )
        db.session.commit()
        ids = grant.id, [user.id for user in staff]
        db.session.remove()
        return ids


def _attempt(app, grant_id: int, staff_id: int, key: str, barrier: threading.Barrier) -> str:
    with app.app_context():
        try:
            actor = db.session.get(User, staff_id)
            grant = db.session.get(Grant, grant_id)
            db.session.rollback()  # start the request with a fresh transaction, as a view does
            barrier.wait(timeout=30)
            _row, created = services.request_disbursement(
                grant, actor=actor, tranche_key="midpoint", amount_cents=EACH, idempotency_key=key
            )
            db.session.commit()
            return "created" if created else "replayed"
        except Conflict:
            db.session.rollback()
            return "refused"
        finally:
            db.session.remove()


def _committed_total(app, grant_id: int) -> tuple[int, int, int]:
    with app.app_context():
        try:
            live = db.session.scalar(
                select(func.coalesce(func.sum(Disbursement.amount_cents), 0)).where(
                    Disbursement.grant_id == grant_id,
                    Disbursement.status != DisbursementStatus.CANCELLED,
                )
            )
            rows = db.session.scalar(select(func.count()).where(Disbursement.grant_id == grant_id))
            committed = db.session.get(Grant, grant_id).committed_cents
            return int(live), int(rows), committed
        finally:
            db.session.remove()


def _burst(app, keys: list[str]) -> tuple[Counter, int, int]:
    grant_id, staff_ids = _setup(app)
    barrier = threading.Barrier(len(keys))
    highest = [0]
    stop = threading.Event()

    def watch():  # the total, read while the burst runs, never passes the grant
        while not stop.is_set():
            highest[0] = max(highest[0], _committed_total(app, grant_id)[0])

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        outcomes = Counter(
            pool.map(
                lambda i: _attempt(app, grant_id, staff_ids[i % 2], keys[i], barrier),
                range(len(keys)),
            )
        )
    stop.set()
    watcher.join(timeout=30)
    live, rows, committed = _committed_total(app, grant_id)
    assert live == committed <= GRANT and highest[0] <= GRANT
    return outcomes, live, rows


@pytest.fixture
def burst_app(committed, is_postgres):
    """The committed app; on PostgreSQL with a pool as large as the burst, so all fifty
    requests really are in flight at once (the app's default pool holds fifteen)."""
    app = committed
    if not is_postgres:
        yield app
        return
    engines = db._app_engines[app]
    original = engines[None]
    engines[None] = create_engine(
        original.url, pool_size=THREADS + 2, max_overflow=0, pool_timeout=60
    )
    try:
        yield app
    finally:
        engines[None].dispose()
        engines[None] = original


def _run_bursts(app, bursts: int, *, keys_per_burst) -> list[tuple[Counter, int, int]]:
    return [_burst(app, keys_per_burst()) for _ in range(bursts)]


@pytest.mark.postgres_only
def test_fifty_simultaneous_requests_fill_the_grant_exactly(burst_app, is_postgres):
    if not is_postgres:
        pytest.skip("the PostgreSQL burst needs TEST_DATABASE_URL")
    for outcomes, total, rows in _run_bursts(
        burst_app, BURSTS, keys_per_burst=lambda: [new_key() for _ in range(THREADS)]
    ):
        assert outcomes == Counter(created=15, refused=35)
        assert total == GRANT and rows == 16


@pytest.mark.postgres_only
def test_duplicated_keys_make_one_row_per_key(burst_app, is_postgres):
    if not is_postgres:
        pytest.skip("the PostgreSQL burst needs TEST_DATABASE_URL")

    def keys():
        distinct = [new_key() for _ in range(10)]
        return [distinct[i % 10] for i in range(THREADS)]

    for outcomes, total, rows in _run_bursts(burst_app, BURSTS, keys_per_burst=keys):
        assert outcomes == Counter(created=10, replayed=40)
        assert total == ALREADY + 10 * EACH and rows == 11


def test_the_cap_holds_with_threads_on_any_database(burst_app):
    """The same invariant on SQLite (BEGIN IMMEDIATE) or PostgreSQL, one burst with replays."""
    distinct = [new_key() for _ in range(20)]
    keys = [distinct[i % 20] for i in range(40)]
    outcomes, total, rows = _burst(burst_app, keys)
    assert outcomes["created"] == 15 and total == GRANT and rows == 16
    assert outcomes["created"] + outcomes["replayed"] + outcomes["refused"] == 40


def test_many_clicks_on_mark_paid_record_one_payment(burst_app):
    """Ten staff members record the same transfer at once: one wins, the rest are told."""
    from datetime import date

    from accelerator.core.errors import DomainError

    app = burst_app
    grant_id, staff_ids = _setup(app)
    with app.app_context():
        row = db.session.scalar(select(Disbursement).where(Disbursement.grant_id == grant_id))
        services.approve_disbursement(
            row, actor=db.session.get(User, staff_ids[1]), seen_amount_cents=row.amount_cents
        )
        db.session.commit()
        row_id = row.id
        db.session.remove()
    barrier = threading.Barrier(10)

    def pay(i: int) -> str:
        with app.app_context():
            try:
                target = db.session.get(Disbursement, row_id)
                actor = db.session.get(User, staff_ids[i % 2])
                db.session.rollback()
                barrier.wait(timeout=30)
                services.mark_paid(
                    target, actor=actor, paid_on=date.today(), payment_reference=f"T-{i}"
                )
                db.session.commit()
                return "paid"
            except DomainError:
                db.session.rollback()
                return "refused"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = Counter(pool.map(pay, range(10)))
    assert outcomes == Counter(paid=1, refused=9)
    with app.app_context():
        audit_count = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "grant.disbursement_paid")
        )
        db.session.remove()
    assert audit_count == 1
