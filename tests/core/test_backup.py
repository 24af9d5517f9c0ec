"""The restore drill: back up a seeded database, restore it into a fresh one, compare them."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from accelerator import create_app
from accelerator.config import TestConfig
from accelerator.core import backup
from accelerator.extensions import db as _db


def _ledger() -> dict:
    from accelerator.grants.models import Disbursement

    rows = _db.session.execute(
        select(
            Disbursement.grant_id, Disbursement.status, func.sum(Disbursement.amount_cents)
        ).group_by(Disbursement.grant_id, Disbursement.status)
    ).all()
    return {(grant, status.value): int(total) for grant, status, total in rows}


def _snapshot(app) -> tuple[dict, dict]:
    with app.app_context():
        try:
            return backup.row_counts(), _ledger()
        finally:
            _db.session.remove()


@pytest.fixture
def fresh_database(app, tmp_path):
    """The URL of an empty database of the same kind as the test database."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield str(url.set(database=str(tmp_path / "restored.db")))
        return
    name = f"{url.database}_drill"
    admin = url.set(drivername="postgresql", database="postgres")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield str(url.set(database=name))
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_drill(committed, fresh_database, tmp_path):
    app = committed
    seeded = app.test_cli_runner().invoke(args=["seed"])
    assert seeded.exit_code == 0, seeded.output
    counts, ledger = _snapshot(app)
    assert counts["applications"] > 0 and counts["disbursements"] > 0 and ledger

    target = tmp_path / "drill.backup"
    made = app.test_cli_runner().invoke(args=["backup", "--to", str(target)])
    assert made.exit_code == 0, made.output
    assert target.stat().st_size > 0

    restored = create_app(
        type("RestoredConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": fresh_database})
    )
    result = restored.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"{sum(counts.values()):,} rows" in result.output
    assert _snapshot(restored) == (counts, ledger)
    with restored.app_context():
        _db.engine.dispose()


def test_restore_refuses_a_missing_file(app, tmp_path):
    with pytest.raises(backup.BackupError, match="No backup"), app.app_context():
        backup.restore(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "none.dump")


def test_an_in_memory_database_cannot_be_backed_up(tmp_path):
    with pytest.raises(backup.BackupError, match="in-memory"):
        backup.backup("sqlite://", tmp_path / "x.sqlite3")
