"""A PostgreSQL server that stops answering without closing its connections (a frozen
network): pages answer 503 within seconds, not when gunicorn kills the worker, and the first
request after it answers again is served."""

from __future__ import annotations

import selectors
import socket
import threading
import time

import pytest
from sqlalchemy.engine import make_url

from accelerator import create_app
from accelerator.config import TestConfig
from accelerator.extensions import db

CONNECT_TIMEOUT = 2  # seconds (libpq's smallest)
#: A frozen server costs one pre-ping and one connection attempt, each bounded by the timeout.
BOUND = 2 * CONNECT_TIMEOUT + 2


class FreezableProxy:
    """A TCP proxy in a thread, forwarding a local port to PostgreSQL.

    `freeze()` stops forwarding without closing anything: connections stay open and new ones
    are accepted by the kernel, but no byte goes through, as when a network freezes.
    """

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.flowing = threading.Event()
        self.flowing.set()
        self.stopped = threading.Event()
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, None)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self) -> None:
        self.flowing.set()

    def stop(self) -> None:
        self.stopped.set()
        self.flowing.set()
        self.thread.join(timeout=5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            if not self.flowing.is_set():
                self.flowing.wait(0.05)
                continue
            for key, _events in self.selector.select(0.05):
                if key.data is None:
                    self._accept()
                elif key.fileobj.fileno() != -1:  # not closed with its pair earlier in the batch
                    self._pump(key.fileobj, key.data)

    def _accept(self) -> None:
        client, _address = self.listener.accept()
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        self.selector.register(client, selectors.EVENT_READ, upstream)
        self.selector.register(upstream, selectors.EVENT_READ, client)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            data = source.recv(65536)
            if data:
                sink.sendall(data)
                return
        except OSError:
            pass
        for end in (source, sink):  # one side closed: close the pair
            if end.fileno() != -1:
                self.selector.unregister(end)
                end.close()


@pytest.fixture
def frozen_app(app, is_postgres):
    """An app whose PostgreSQL connections go through a FreezableProxy: (app, proxy)."""
    if not is_postgres:
        pytest.skip("the frozen network is PostgreSQL's (TEST_DATABASE_URL)")
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    proxy = FreezableProxy((url.host or "127.0.0.1", url.port or 5432))
    through_proxy = url.set(host="127.0.0.1", port=proxy.port)
    settings = {
        "SQLALCHEMY_DATABASE_URI": through_proxy.render_as_string(hide_password=False),
        "DATABASE_CONNECT_TIMEOUT": CONNECT_TIMEOUT,
    }
    frozen = create_app(type("FrozenConfig", (TestConfig,), settings))
    yield frozen, proxy
    proxy.thaw()
    with frozen.app_context():
        db.engine.dispose()
    proxy.stop()


def _timed(client, url: str):
    """(response, seconds); fails, rather than hangs, if no answer comes within the bound."""
    answer: list = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: answer.append(client.get(url)), daemon=True)
    worker.start()
    worker.join(timeout=BOUND * 3)
    assert answer, f"{url} still had no answer after {BOUND * 3}s"
    return answer[0], time.monotonic() - started


@pytest.mark.postgres_only
def test_a_frozen_database_answers_503_within_seconds_and_recovers_at_once(frozen_app):
    app, proxy = frozen_app
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # a pooled connection through the proxy
    assert client.get("/calls").status_code == 200

    proxy.freeze()
    health, seconds = _timed(client, "/healthz")
    assert health.status_code == 503 and health.json["database"] == "unreachable"
    assert seconds < BOUND, f"/healthz took {seconds:.1f}s while the database was frozen"
    page, seconds = _timed(client, "/calls")
    assert page.status_code == 503
    assert b"The database is not answering right now." in page.data
    assert seconds < BOUND, f"/calls took {seconds:.1f}s while the database was frozen"

    proxy.thaw()
    health, seconds = _timed(client, "/healthz")
    assert health.status_code == 200 and seconds < 1
    assert client.get("/calls").status_code == 200


@pytest.mark.postgres_only
def test_pooled_connections_carry_keepalives_and_a_tcp_user_timeout(frozen_app):
    app, _proxy = frozen_app
    with app.app_context():
        connection = db.session.connection().connection.dbapi_connection
        parameters = connection.info.get_parameters()
    assert parameters["keepalives"] == "1"
    assert int(parameters["keepalives_idle"]) == app.config["DATABASE_KEEPALIVES_IDLE"]
    assert int(parameters["tcp_user_timeout"]) == app.config["DATABASE_TCP_USER_TIMEOUT_MS"]
    assert parameters["connect_timeout"] == str(CONNECT_TIMEOUT)
