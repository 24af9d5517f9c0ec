"""Issue 9's hardening: throttles that hold across workers and accounts, bounded ids, real PDFs
only, no account probing at sign-up, no caching of signed-in pages, CSRF rotated at login."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from accelerator import create_app
from accelerator.core.files import is_pdf
from accelerator.core.models import OutboxEmail
from tests.auth.helpers import flashes, text
from tests.core.test_security import _production
from tests.factories import PASSWORD, PDF_BYTES

ROOT = Path(__file__).resolve().parents[2]


# Throttling ---------------------------------------------------------------------------------


def test_production_refuses_per_worker_rate_limit_storage():
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app(_production(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://"))


def test_production_starts_with_shared_rate_limit_storage(db):
    app = create_app(
        _production(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
            SQLALCHEMY_DATABASE_URI="sqlite://",
        )
    )
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")


def test_login_is_throttled_per_account_from_any_address(build_app, founder):
    limited = build_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="100 per minute",
        ACCOUNT_LOGIN_RATE_LIMIT="3/minute",
    )
    browser = limited.test_client()
    statuses = [
        browser.post(
            "/login",
            data={"email": founder.email.upper(), "password": "wrong guess"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        ).status_code
        for n in range(4)
    ]
    assert statuses == [422, 422, 422, 429]  # wrong passwords answer 422, then throttled
    # Another account from the same addresses is not affected.
    other = browser.post(
        "/login",
        data={"email": "someone-else@example.com", "password": "wrong guess"},
        environ_base={"REMOTE_ADDR": "203.0.113.1"},
    )
    assert other.status_code == 422


def test_make_run_refuses_a_non_loopback_host_with_the_debugger():
    refused = subprocess.run(
        ["make", "-s", "check-host", "HOST=0.0.0.0"], cwd=ROOT, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "loopback" in refused.stderr
    for host in ("127.0.0.1", "localhost"):
        allowed = subprocess.run(["make", "-s", "check-host", f"HOST={host}"], cwd=ROOT)
        assert allowed.returncode == 0
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: check-host ", makefile, re.M)


# Bounded ids --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/calls/99999999999999999999",
        "/applications/99999999999999999999",
        "/grants/99999999999999999999",
        "/reviews/applications/99999999999999999999",
    ],
)
def test_ids_beyond_64_bits_are_not_found(login_as, staff, url):
    assert login_as(staff).get(url).status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "1e9", "-3", "9223372036854775807"])
def test_absurd_page_numbers_show_the_first_page(login_as, staff, page):
    for url in ("/applications", "/cohorts", "/audit"):
        response = login_as(staff).get(url, query_string={"page": page})
        assert response.status_code == 200, url


def test_absurd_audit_object_id_is_ignored(login_as, admin):
    response = login_as(admin).get("/audit", query_string={"object_id": "9" * 30})
    assert response.status_code == 200


# Pitch decks --------------------------------------------------------------------------------


def test_only_a_file_that_starts_with_the_pdf_signature_is_a_pdf():
    assert is_pdf(PDF_BYTES)
    polyglot = b"<html><script>alert(document.cookie)</script>%PDF-1.4\n" + PDF_BYTES
    assert not is_pdf(polyglot)
    assert not is_pdf(b" " + PDF_BYTES)


def test_downloads_are_sandboxed(login_as, make):
    founder = make.make_user(role="founder")
    startup = make.make_startup(founders=[founder])
    deck = make.make_deck()
    application = make.make_application(startup=startup, pitch_deck_id=deck.id)
    response = login_as(founder).get(f"/applications/{application.id}/deck")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "sandbox; frame-ancestors 'none'"


# Sign-up ------------------------------------------------------------------------------------


def _signup(client, email):
    data = {"name": "Nora", "email": email, "password": "a long passphrase"}
    return client.post("/signup", data={**data, "confirm": data["password"]})


def test_signup_never_tells_that_an_account_exists(client, db, make):
    owner = make.make_user(email="taken@example.com", name="Taylor Owner")
    response = _signup(client, "TAKEN@example.com")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "already" not in page.lower()
    assert "We sent a message to taken@example.com: follow it to continue." in flashes(page)
    mail = db.session.query(OutboxEmail).filter_by(to=owner.email).one()
    assert "tried to create an Accelerator account" in mail.body and "/password/forgot" in mail.body


def test_signup_is_rate_limited(build_app):
    browser = build_app(RATELIMIT_ENABLED=True, SIGNUP_RATE_LIMIT="2 per minute").test_client()
    statuses = [_signup(browser, f"n{n}@example.com").status_code for n in range(3)]
    assert statuses[-1] == 429


# Caching and CSRF ---------------------------------------------------------------------------


def test_signed_in_pages_are_never_cached(client, login_as, staff):
    assert "no-store" not in client.get("/calls").headers.get("Cache-Control", "")
    signed_in = login_as(staff)
    for url in ("/", "/applications", "/calls", "/account"):
        assert signed_in.get(url).headers["Cache-Control"] == "no-store", url


def test_the_csrf_secret_changes_at_login(build_app, founder):
    browser = build_app(WTF_CSRF_ENABLED=True).test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with browser.session_transaction() as session:
        before = session["csrf_token"]
    response = browser.post(
        "/login", data={"csrf_token": token, "email": founder.email, "password": PASSWORD}
    )
    with browser.session_transaction() as session:
        after = session.get("csrf_token")
    assert response.status_code == 302, text(response)
    assert after != before


# Exports -----------------------------------------------------------------------------------


def test_the_export_says_its_charset_once_and_carries_the_description(login_as, make, staff):
    startup = make.make_startup(description="We map spare parts from a photo.")
    make.make_application(startup=startup)
    response = login_as(staff).get("/applications/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Security-Policy"] == "sandbox; frame-ancestors 'none'"
    body = response.get_data(as_text=True)
    assert "description" in body.splitlines()[0].lstrip("\ufeff").split(",")
    assert "We map spare parts from a photo." in body
