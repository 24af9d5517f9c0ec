"""Database faults: timeouts in the engine options, and pages that need no database still answer."""

from __future__ import annotations

import pytest

from accelerator import create_app
from accelerator.config import TestConfig, engine_options

DOWN = {
    # A PostgreSQL server that is not there (port 9 refuses at once) and a SQLite file that
    # cannot be opened.
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:9/none",
    "sqlite": "sqlite:////nonexistent-directory/accelerator.db",
}


def test_postgresql_gets_connect_and_statement_timeouts():
    options = engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/db",
            "DATABASE_CONNECT_TIMEOUT": 3,
            "DATABASE_STATEMENT_TIMEOUT_MS": 1500,
        }
    )
    assert options["pool_pre_ping"] is True
    assert options["connect_args"] == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=1500",
    }
    sqlite = engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "DATABASE_CONNECT_TIMEOUT": 3,
            "DATABASE_STATEMENT_TIMEOUT_MS": 1500,
        }
    )
    assert sqlite == {"pool_pre_ping": True}


def test_the_statement_timeout_is_in_force(app, db, is_postgres):
    if not is_postgres:
        pytest.skip("statement timeouts are a PostgreSQL setting")
    from sqlalchemy import text

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
        from accelerator.extensions import db

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
