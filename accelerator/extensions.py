"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

import selectors
import sqlite3
import time

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidatePoolError, SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool
from sqlalchemy.schema import CreateIndex

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def rollback_quietly() -> SQLAlchemyError | None:
    """Roll back the session's transaction; never raises, returns the error if it could not.

    A ROLLBACK fails when the connection died mid-request (the server dropped the transaction
    with it): the session's connections are then invalidated (never back to the pool) and the
    session forgotten, so the next use of `db.session` starts clean on a fresh connection.
    """
    try:
        db.session.rollback()
    except SQLAlchemyError as error:
        _discard_session()
        return error
    return None


def close_session() -> SQLAlchemyError | None:
    """End the session (roll back what was not committed, give its connection back).

    Never raises, as `rollback_quietly`: the error of a ROLLBACK that failed is returned.
    """
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        _discard_session()
        return error
    return None


def _discard_session() -> None:
    try:
        if db.session.registry.has():
            db.session.registry().invalidate()
    except SQLAlchemyError:
        pass  # its connections are already unusable; what matters is that none is reused
    db.session.registry.clear()


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record) -> None:
    """Make SQLite behave: foreign keys on, and transactions we begin ourselves."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None  # let the "begin" hook below emit BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


@event.listens_for(Pool, "connect")
def _note_a_new_postgresql_connection(dbapi_connection, record) -> None:
    """A new PostgreSQL connection needs no ping; later checkouts wait as long as connecting."""
    if hasattr(dbapi_connection, "pgconn"):  # psycopg
        timeout = dbapi_connection.info.get_parameters().get("connect_timeout")
        record.info["ping_timeout"] = float(timeout) if timeout else None
        record.info["fresh"] = True


@event.listens_for(Pool, "checkout")
def _ping_on_checkout(dbapi_connection, record, _proxy) -> None:
    """The pre-ping of PostgreSQL connections, with a deadline: the connect timeout.

    SQLAlchemy's pre-ping waits for an answer as long as it takes; when the server stops
    answering without closing the connection (a frozen network), every request would hang
    until gunicorn killed its worker. Unanswered in time, every pooled connection is dropped
    and the pool connects anew, itself bounded by connect_timeout: the page answers 503
    within seconds, and the first request after the server is back is served.
    """
    if "ping_timeout" not in record.info or record.info.pop("fresh", False):
        return
    if not _answers_within(dbapi_connection.pgconn, record.info["ping_timeout"]):
        raise InvalidatePoolError("PostgreSQL did not answer the pre-ping in time")


def _answers_within(pgconn, seconds: float | None) -> bool:
    """Whether the server answers `SELECT 1` within `seconds` (libpq, non-blocking)."""
    deadline = None if seconds is None else time.monotonic() + seconds

    def ready(events: int) -> bool:
        remaining = None if deadline is None else max(deadline - time.monotonic(), 0)
        with selectors.DefaultSelector() as selector:
            selector.register(pgconn.socket, events)
            return bool(selector.select(remaining))

    try:
        pgconn.send_query(b"SELECT 1")
        while pgconn.flush():
            if not ready(selectors.EVENT_WRITE):
                return False
        pgconn.consume_input()
        while pgconn.is_busy():
            if not ready(selectors.EVENT_READ):
                return False
            pgconn.consume_input()
        answered = True
        while (result := pgconn.get_result()) is not None:
            answered = answered and result.error_message == b""
        return answered
    except Exception:  # noqa: BLE001  (any failure: the connection is not usable)
        return False


@event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(conn) -> None:
    """On SQLite every transaction takes the write lock up front (BEGIN IMMEDIATE).

    That serialises writers for real, so capacity and grant-cap checks made inside a
    transaction cannot race, as row locks (SELECT ... FOR UPDATE) guarantee on PostgreSQL.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@compiles(CreateIndex, "sqlite")
def _sqlite_create_index(element, compiler, **kw) -> str:
    """SQLite takes no NULLS LAST in an index; its DESC already puts NULLs last, as the
    PostgreSQL index for `ORDER BY ... DESC NULLS LAST` needs to say explicitly."""
    return compiler.visit_create_index(element, **kw).replace(" NULLS LAST", "")
