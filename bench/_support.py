"""Shared benchmark helpers: an app on a scratch database and a SQL statement counter."""

from __future__ import annotations

import contextlib
import os
import tempfile

from sqlalchemy import event

from accelerator import create_app
from accelerator.config import TestConfig
from accelerator.extensions import db


def scratch_app():
    """A test-configured app on BENCH_DATABASE_URL or a fresh temporary SQLite file."""
    url = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp(prefix='accelerator-bench-')}/bench.db"
    )
    app = create_app(type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


@contextlib.contextmanager
def count_statements():
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
