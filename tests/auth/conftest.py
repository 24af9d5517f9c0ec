"""Fixtures for the auth tests: a second browser for the same user; the fake OpenID provider."""

from __future__ import annotations

import pytest


@pytest.fixture
def other_client(app, client):
    """Another browser (its own cookies) on the same test database."""
    return app.test_client()


@pytest.fixture(scope="session")
def oidc_server():
    """The fake OpenID provider, served for the whole session (tests/auth/oidc_fake.py)."""
    from tests.auth.oidc_fake import running_issuer

    with running_issuer() as issuer:
        yield issuer


@pytest.fixture
def oidc(app, oidc_server, monkeypatch):
    """Single sign-on pointed at the fake provider, which forgets the previous test."""
    from tests.auth.oidc_fake import configure

    oidc_server.reset()
    configure(app, oidc_server, monkeypatch)
    return oidc_server
