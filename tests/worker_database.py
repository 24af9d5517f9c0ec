"""One PostgreSQL database per pytest-xdist worker.

Workers share nothing else that matters: SQLite files live in each worker's own temporary
directory, live servers bind port 0 and the Redis-backed tests start their own server. A
database, though, is one per URL, and tests that commit for real (`committed`) empty every table.
"""

from __future__ import annotations

import atexit
import os

MARK = "_TEST_DATABASE_WORKER"


def isolate_worker() -> None:
    """Point TEST_DATABASE_URL at `<name>_<worker>` (e.g. `test_gw0`), made empty now and
    dropped when the worker exits. Subprocesses the tests start inherit the worker's URL."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not worker or not url.startswith("postgresql") or os.environ.get(MARK):
        return

    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    dsn = base.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )

    def drop() -> None:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    atexit.register(drop)
    os.environ["TEST_DATABASE_URL"] = base.set(database=name).render_as_string(hide_password=False)
    os.environ[MARK] = worker
