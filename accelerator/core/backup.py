"""Backups of the whole database and restores from them: `flask backup`, `flask restore`.

SQLite is copied with its online backup API (a consistent copy while the app keeps running).
PostgreSQL is dumped by `pg_dump --format=custom` (consistent, compressed, restorable table by
table with `pg_restore`), and restored with `pg_restore --clean --if-exists`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL, make_url

from accelerator.extensions import db


class BackupError(Exception):
    """The backup or restore could not be made; the message says why."""


def _kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A connection string pg_dump understands, and the password passed in the environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def default_path(folder: Path, url: URL) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if _kind(url) == "sqlite" else "dump"
    return folder / f"accelerator-{stamp}.{suffix}"


def backup(url: URL | str, target: Path) -> Path:
    """Write a consistent copy of the database at `url` to `target`; returns the path."""
    url = make_url(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if _kind(url) == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    dsn, env = _libpq(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", dsn]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return target


def restore(url: URL | str, source: Path) -> None:
    """Replace the contents of the database at `url` with the backup in `source`."""
    url = make_url(url)
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database open
    if _kind(url) == "sqlite":
        backup_copy = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(url))
        try:
            with live:
                backup_copy.backup(live)
        finally:
            live.close()
            backup_copy.close()
        return
    dsn, env = _libpq(url)
    command = [
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={dsn}",
        str(source),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def row_counts() -> dict[str, int]:
    """Rows per table of the current database (what a restore drill compares)."""
    names = set(inspect(db.engine).get_table_names())
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name in names
    }
