"""Fixtures: app, db (each test in a rolled-back transaction), client, login_as, builders.

The same suite runs on SQLite (a temporary file) and, with TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import contextvars
import os

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from accelerator import create_app
from accelerator.auth.step_up import SESSION_KEY as STEP_UP_KEY
from accelerator.config import TestConfig
from accelerator.core import types
from accelerator.core.types import utcnow
from accelerator.extensions import db as _db
from accelerator.jobs import queue
from tests import factories


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    config = type(
        "SessionTestConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        },
    )
    app = create_app(config)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _jobs_run_at_once():
    """The job queue is one per process, pointed by the last app made: a test that builds an
    app of another config (development, production) would leave tasks queued in a file. Every
    test starts and ends with tasks run when sent (tests/jobs/worker.py runs a real worker)."""
    queue.configure("immediate")
    yield
    queue.configure("immediate")


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production (its own session and `g`),
    on the test's connection, at the test's clock (`clock_at`); afterwards the test's session
    forgets what it had loaded."""

    def open(self, *args, **kwargs):
        context = contextvars.Context()
        moment = types._NOW.get()
        if moment is not None:
            context.run(types._NOW.set, moment)
        response = context.run(super().open, *args, **kwargs)
        if has_app_context():  # not inside a redirect followed by an outer open()
            _db.session.expire_all()
        return response


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy picks the engine itself; here every session uses the test's connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, bind)


@pytest.fixture
def db(app):
    """A database session whose work is rolled back after the test (commits become savepoints)."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {
                "class_": ConnectionBoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        app.extensions["mail_delivered"] = []
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, db):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Sign the test client in as `user` (or anonymous with None) and return the client."""

    def _login(user, *, second_factor: bool | str = False):
        """`second_factor=True`: the user has a second factor (enrolled if need be) verified in
        this session a moment ago; "stale": enrolled, not verified in this session."""
        if user is not None and second_factor and not user.has_second_factor:
            factories.enrol_second_factor(user)
        with client.session_transaction() as session:
            session.clear()
            if user is not None:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
                if second_factor is True:
                    session[STEP_UP_KEY] = {"user": user.id, "at": utcnow().timestamp()}
        return client

    return _login


@pytest.fixture
def make(db):
    """The builders of tests/factories.py, bound to the test's database."""
    return factories


@pytest.fixture
def staff(db):
    return factories.make_user(role="staff", name="Sam Staff")


@pytest.fixture
def admin(db):
    return factories.make_user(role="admin", name="Ada Admin")


@pytest.fixture
def founder(db):
    return factories.make_user(role="founder", name="Fay Founder")


@pytest.fixture
def mentor(db):
    return factories.make_user(role="mentor", name="Max Mentor")


def wipe_database(app) -> None:
    """Delete every row (children first); for tests that commit for real."""
    with app.app_context():
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()


@pytest.fixture
def committed(app):
    """For concurrency tests: real commits from several threads, tables emptied before and after.

    Use `with app.app_context():` in each thread; never combine with the `db` fixture.
    """
    wipe_database(app)
    yield app
    wipe_database(app)


@pytest.fixture
def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app, db):
    """`with count_queries() as counter: client.get(...)`; then `counter.count`."""
    import contextlib

    from sqlalchemy import event

    @contextlib.contextmanager
    def counting():
        counter = QueryCounter()
        engine = _db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def computed_figures(app, monkeypatch):
    """Nothing kept between views (core/cache.py): a test comparing the statements of a view
    of little data with one of much data compares views that compute their figures."""
    monkeypatch.delitem(app.extensions, "accelerator.cache")


@pytest.fixture
def full_page_counts(monkeypatch):
    """List pages skip their count when the page is short (it is the last, and shows the
    total); a test comparing a small list with a large one compares what a full page costs."""
    from accelerator.core import pagination

    monkeypatch.setattr(pagination, "_total_shown", lambda _page: None)
