"""Database faults: timeouts in the engine options, pages that need no database still answer,
and a connection that dies mid-request answers the 503 page."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeout

from accelerator import create_app
from accelerator.config import TestConfig, engine_options
from accelerator.extensions import db

DOWN = {
    # A PostgreSQL server that is not there (port 9 refuses at once) and a SQLite file that
    # cannot be opened.
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:9/none",
    "sqlite": "sqlite:////nonexistent-directory/accelerator.db",
}


TIMEOUTS = {
    "DATABASE_CONNECT_TIMEOUT": 3,
    "DATABASE_STATEMENT_TIMEOUT_MS": 1500,
    "DATABASE_KEEPALIVES_IDLE": 4,
    "DATABASE_KEEPALIVES_INTERVAL": 1,
    "DATABASE_KEEPALIVES_COUNT": 2,
    "DATABASE_TCP_USER_TIMEOUT_MS": 6000,
}


def test_postgresql_gets_connect_and_statement_timeouts_and_keepalives():
    options = engine_options({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/db", **TIMEOUTS})
    # The pre-ping is extensions._ping_on_checkout's, bounded by the connect timeout.
    assert options["pool_pre_ping"] is False
    assert options["connect_args"] == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=1500",
        "keepalives": 1,
        "keepalives_idle": 4,
        "keepalives_interval": 1,
        "keepalives_count": 2,
        "tcp_user_timeout": 6000,
    }
    sqlite = engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite://", **TIMEOUTS})
    assert sqlite == {"pool_pre_ping": True}


def test_the_network_timeouts_default_to_a_few_seconds():
    from accelerator.config import Config

    assert 2 <= Config.DATABASE_CONNECT_TIMEOUT <= 5
    assert (
        Config.DATABASE_KEEPALIVES_IDLE
        + Config.DATABASE_KEEPALIVES_INTERVAL * (Config.DATABASE_KEEPALIVES_COUNT)
        < 30
    )  # found dead before gunicorn's 30 s timeout kills the worker
    assert 1000 <= Config.DATABASE_TCP_USER_TIMEOUT_MS <= 10_000


def test_the_statement_timeout_is_in_force(app, db, is_postgres):
    if not is_postgres:
        pytest.skip("statement timeouts are a PostgreSQL setting")
    assert db.session.execute(text("SHOW statement_timeout")).scalar() == "30s"


@pytest.fixture(params=sorted(DOWN))
def down_app(request):
    app = create_app(
        type(
            "DownConfig",
            (TestConfig,),
            {"SQLALCHEMY_DATABASE_URI": DOWN[request.param], "DATABASE_CONNECT_TIMEOUT": 1},
        )
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def test_pages_that_need_no_database_answer_when_it_is_down(down_app):
    client = down_app.test_client()
    assert client.get("/").status_code == 200
    login = client.get("/login")
    assert login.status_code == 200 and b'name="password"' in login.data
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json == {"status": "error", "database": "unreachable"}


def test_a_page_that_needs_the_database_says_so_with_a_503(down_app):
    client = down_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "some-session-token"
    response = client.get("/applications")
    assert response.status_code == 503
    assert b"The database is not answering right now." in response.data


# A connection that dies mid-request --------------------------------------------------------


def _dying_blueprint() -> Blueprint:
    probe = Blueprint("dying", __name__)

    @probe.route("/read-then-lose-the-connection")
    def read_then_lose_the_connection():
        # The page has what it needs; then the connection dies under the open transaction, so
        # the ROLLBACK that ends the request fails.
        db.session.execute(text("SELECT 1"))
        db.session.connection().connection.dbapi_connection.close()
        return "all read"

    @probe.route("/terminated-by-the-server")
    def terminated_by_the_server():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return "all read"

    @probe.route("/pool-exhausted")
    def pool_exhausted():
        raise PoolTimeout("QueuePool limit reached, connection timed out")

    return probe


@pytest.fixture
def dying_app(app):
    """An app of its own on the test database (not the test's connection: it breaks one)."""
    config = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    dying = create_app(type("DyingConfig", (TestConfig,), config))
    dying.register_blueprint(_dying_blueprint())
    yield dying
    with dying.app_context():
        db.engine.dispose()


def test_a_connection_lost_before_the_rollback_answers_the_503_page(dying_app, caplog):
    client = dying_app.test_client()
    with caplog.at_level(logging.WARNING, logger=dying_app.logger.name):
        response = client.get("/read-then-lose-the-connection")
    assert response.status_code == 503
    assert b"The database is not answering right now." in response.data
    assert response.headers["X-Frame-Options"] == "DENY"  # the page is an ordinary answer
    assert any("Database unavailable" in record.getMessage() for record in caplog.records)
    # The dead connection never goes back to the pool: the next request is served.
    assert client.get("/healthz").status_code == 200


def test_a_lost_connection_answers_json_clients_with_a_problem(dying_app):
    response = dying_app.test_client().get(
        "/read-then-lose-the-connection", headers={"Accept": "application/json"}
    )
    assert response.status_code == 503
    assert response.json["title"] == "Temporarily unavailable"


def test_no_free_connection_in_the_pool_answers_503(dying_app):
    response = dying_app.test_client().get("/pool-exhausted")
    assert response.status_code == 503
    assert b"The database is not answering right now." in response.data


@pytest.mark.postgres_only
def test_a_backend_terminated_mid_request_answers_503_then_recovers(dying_app, is_postgres):
    if not is_postgres:
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    client = dying_app.test_client()
    response = client.get("/terminated-by-the-server")
    assert response.status_code == 503
    assert b"The database is not answering right now." in response.data
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_the_teardown_never_raises_when_the_rollback_fails(dying_app, caplog):
    # Outside a request (a CLI command, a worker) the app context's teardown ends the session.
    with caplog.at_level(logging.WARNING, logger=dying_app.logger.name), dying_app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.connection().connection.dbapi_connection.close()
    assert any("Closing the database session failed" in r.getMessage() for r in caplog.records)
    with dying_app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1
