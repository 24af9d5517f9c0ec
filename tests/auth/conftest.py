"""Fixtures for the auth tests: a second browser for the same user."""

from __future__ import annotations

import pytest


@pytest.fixture
def other_client(app, client):
    """Another browser (its own cookies) on the same test database."""
    return app.test_client()
