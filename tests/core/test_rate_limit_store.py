"""A lost rate-limit store (Redis down) locks nobody out: limits fall back to each process's
memory, /healthz says "degraded" (still 200), and it says "ok" again once the store answers."""

from __future__ import annotations

import logging

import pytest

from accelerator.extensions import limiter
from tests.auth.helpers import sign_in

UNREACHABLE = "redis://127.0.0.1:1"  # nothing listens on port 1: refused at once


@pytest.fixture
def store_at(build_app):
    """`store_at(uri)`: an app with rate limits on, counting in the store at `uri`."""

    def build(uri: str):
        return build_app(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=uri,
            LOGIN_RATE_LIMIT="3 per minute",
            SIGNUP_RATE_LIMIT="3 per minute",
        )

    yield build
    # The limiter object is shared by every app of the process: give it back a store that
    # answers (build_app resets it afterwards) and forget that this app's store was lost.
    build_app(RATELIMIT_ENABLED=True)  # init_app leaves the storage alone when limits are off
    limiter._storage_dead = False


def test_sign_in_works_while_the_store_is_unreachable(store_at, founder, caplog):
    client = store_at(UNREACHABLE).test_client()
    with caplog.at_level(logging.WARNING):
        response = sign_in(client, founder.email)
    assert response.status_code == 302, response.status_code
    assert client.get("/account").status_code == 200  # signed in
    assert any("falling back to in-memory storage" in r.getMessage() for r in caplog.records)


def test_limits_still_apply_per_process_while_the_store_is_unreachable(store_at, founder):
    client = store_at(UNREACHABLE).test_client()
    statuses = [sign_in(client, founder.email, "wrong password").status_code for _ in range(4)]
    assert 429 not in statuses[:3] and statuses[3] == 429, statuses  # 3 per minute


def test_signup_reset_and_feeds_work_while_the_store_is_unreachable(store_at, founder):
    client = store_at(UNREACHABLE).test_client()
    data = {"name": "Nora", "email": "nora@example.com", "password": "a long passphrase"}
    assert client.post("/signup", data={**data, "confirm": data["password"]}).status_code == 302
    assert client.post("/password/forgot", data={"email": founder.email}).status_code == 302
    # The calendar feed is limited too: its limit is checked, then the unknown token is a 404.
    assert client.get("/mentoring/calendar/not-a-token.ics").status_code == 404


def test_healthz_says_degraded_while_the_store_is_unreachable(store_at):
    response = store_at(UNREACHABLE).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["database"] == "ok" and response.json["rate_limits"] == "unreachable"
    assert "rate-limit store does not answer" in response.json["reason"]


def test_healthz_recovers_by_itself_when_the_store_comes_back(store_at, redis_server, founder):
    port, start = redis_server
    client = store_at(f"redis://127.0.0.1:{port}").test_client()
    assert client.get("/healthz").json["status"] == "degraded"
    assert sign_in(client, founder.email).status_code == 302
    start()
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}
    assert client.post("/logout").status_code == 302
    assert sign_in(client, founder.email).status_code == 302
