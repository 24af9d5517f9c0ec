"""Fixtures for the core tests: extra apps with their own settings on the test's database."""

from __future__ import annotations

import pytest

from accelerator import create_app
from accelerator.config import TestConfig
from accelerator.extensions import limiter
from tests.conftest import IsolatedClient


@pytest.fixture
def build_app(app, db):
    """`build_app(CSRF_ENABLED=True, ...)`: a second app, as create_app() makes it.

    Its requests run on the test's connection (rolled back afterwards). The rate limiter
    object is shared by every app of the process, so its switch is put back afterwards.
    """
    enabled = limiter.enabled

    def build(base: type = TestConfig, blueprint=None, **settings):
        settings.setdefault("SQLALCHEMY_DATABASE_URI", app.config["SQLALCHEMY_DATABASE_URI"])
        other = create_app(type("BuiltConfig", (base,), settings))
        if blueprint is not None:
            other.register_blueprint(blueprint)
        other.test_client_class = IsolatedClient
        return other

    yield build
    limiter.enabled = enabled
    if limiter.initialized:
        limiter.reset()
