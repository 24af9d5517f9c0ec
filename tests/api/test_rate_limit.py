"""Rate limits count per token (API_RATE_LIMIT): over it, 429 with Retry-After, as a problem."""

from __future__ import annotations

import pytest

from accelerator import create_app
from accelerator.config import TestConfig
from accelerator.extensions import db as _db
from accelerator.extensions import limiter
from tests import factories


@pytest.fixture
def limited_app(tmp_path):
    """An app with API_RATE_LIMIT "3 per minute" on its own database; the limiter object is
    shared by every app of the process, so its switch is put back afterwards."""
    enabled = limiter.enabled
    config = type(
        "LimitedConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limited.db'}",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "API_RATE_LIMIT": "3 per minute",
        },
    )
    app = create_app(config)
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()
    limiter.enabled = enabled
    limiter.reset()


def test_each_token_has_its_own_limit_and_429_says_when_to_retry(limited_app):
    first = factories.bearer(factories.make_user(role="staff"), scopes=["read"])
    second = factories.bearer(factories.make_user(role="founder"), scopes=["read"])
    _db.session.commit()
    client = limited_app.test_client()
    statuses = [client.get("/api/v1/cohorts", headers=first).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/cohorts", headers=first)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.mimetype == "application/problem+json"
    assert client.get("/api/v1/cohorts", headers=second).status_code == 200
