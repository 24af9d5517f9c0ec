"""Browser tests: Debian's chromium driven by Playwright through a live server on 127.0.0.1.

Skipped when /usr/bin/chromium is absent, unless CI is set: then they fail. These tests commit
for real (the server runs in another thread), so every test starts and ends with empty tables.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from accelerator.extensions import db
from tests.browser.a11y import PageAudit
from tests.conftest import wipe_database

# Assertions wait up to 15 s (Playwright's default is 5 s): CI machines have two cores and
# run PostgreSQL, the live server and chromium at once.
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Overrides pytest-base-url's fixture: pages resolve against the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    # bypass_csp: the accessibility check injects axe-core, which the app's CSP would refuse.
    return {
        **browser_context_args,
        "base_url": live_server,
        "locale": "en-GB",
        "bypass_csp": True,
    }


@pytest.fixture(autouse=True)
def accessibility_audit(request):
    """Every journey's pages pass axe-core (WCAG 2.1 AA): see tests/browser/a11y.py."""
    if "page" not in request.fixturenames:
        yield None
        return
    page = request.getfixturevalue("page")
    audit = PageAudit(page)
    page._page_audit = audit
    yield audit
    audit.run()


def _closed_at_once(app):
    """The app with each answer read whole and its iterable closed before it is sent.

    Werkzeug's development server closes an answer's iterable only after draining the socket;
    when chromium drops a connection first (a page reloaded while a stylesheet still loads),
    the drain raises and a static file stays open, which the suite's warnings-as-errors then
    blames on whichever test is running. Production (gunicorn) is not concerned."""

    def wsgi(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(app):
    """Serve the test app on a free port of 127.0.0.1 in a background thread."""
    server = make_server("127.0.0.1", 0, _closed_at_once(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def in_app(app, live_server) -> Callable[[Callable[[], Any]], Any]:
    """Run a function in an app context and commit, so the live server sees its data."""
    wipe_database(app)

    def run(fn: Callable[[], Any]) -> Any:
        with app.app_context():
            try:
                result = fn()
                db.session.commit()
                return result
            finally:
                db.session.remove()

    yield run
    wipe_database(app)


def pytest_terminal_summary(terminalreporter):
    from tests.browser.a11y import _CHECKED

    if _CHECKED:
        roles = sorted({role or "visitor" for role, _path in _CHECKED})
        terminalreporter.write_line(
            f"axe-core (WCAG 2.1 AA): {len(_CHECKED)} pages checked for {', '.join(roles)}"
        )
