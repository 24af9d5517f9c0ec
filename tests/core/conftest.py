"""Fixtures for the core tests: extra apps with their own settings on the test's database."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server():
    """(port, start): a Redis that is not running until `start()`; stopped afterwards."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    port = _free_port()
    started: list[subprocess.Popen] = []

    def start() -> None:
        command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        started.append(
            subprocess.Popen([*command, "--appendonly", "no"], stdout=subprocess.DEVNULL)
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    yield port, start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
