"""Fixtures for the webhooks tests: an endpoint builder and a real receiver on 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accelerator.webhooks import services, signing
from accelerator.webhooks.events import EVENTS


class Receiver:
    """An HTTP server in a thread that keeps what it receives and answers `status`."""

    def __init__(self):
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's name)
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"thanks" if receiver.status < 300 else b"receiver broke")

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def make_endpoint(db, staff):
    """An active endpoint hearing `events` (all of them by default); returns (endpoint,
    secret)."""

    def build(url: str = "https://example.org/hooks", events=None, actor=None):
        endpoint = services.create_endpoint(
            url=url,
            events_chosen=list(events or EVENTS),
            description="Équipe finance de Société Éclair",
            actor=actor or staff,
        )
        return endpoint, signing.unseal(endpoint.secret_sealed)

    return build
