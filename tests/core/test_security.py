"""Security defaults: CSRF, rate limits, headers, production settings and body size."""

from __future__ import annotations

import logging
import re

import pytest

from accelerator import create_app
from accelerator.config import Config
from tests.auth.helpers import sign_in, text
from tests.factories import PASSWORD

FRIENDLY_CSRF = "The form expired or was sent from elsewhere."


def _production(**settings) -> type:
    values = {
        "ENV_NAME": "production",
        "SECRET_KEY": "a-production-secret-of-decent-length",
        "TESTING": False,
        "DEBUG": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_BACKEND": "memory",
    }
    return type("ProductionConfig", (Config,), {**values, **settings})


# CSRF --------------------------------------------------------------------------------------


def test_csrf_is_on_by_default():
    assert Config.__dict__.get("WTF_CSRF_ENABLED", True) is True


def test_a_post_without_csrf_token_gets_the_friendly_400(build_app, founder, caplog):
    # The test config turns CSRF off for convenience; this app keeps it on, as in production.
    guarded = build_app(WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    with caplog.at_level(logging.INFO, logger=guarded.logger.name):
        response = client.post("/login", data={"email": founder.email, "password": "x" * 9})
    assert response.status_code == 400
    page = text(response)
    assert "Bad request" in page and FRIENDLY_CSRF in page
    assert any("CSRF refused on /login" in record.getMessage() for record in caplog.records)
    assert client.get("/account").status_code == 302  # not signed in


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_post_with_the_csrf_token_works(build_app, founder):
    client = build_app(WTF_CSRF_ENABLED=True).test_client()
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": founder.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    # The sign-out form on every page carries the token as well.
    page = client.get("/account").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


# Rate limits -------------------------------------------------------------------------------


def test_login_attempts_are_rate_limited(build_app, client, founder, caplog):
    limited = build_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    browser = limited.test_client()
    statuses = [
        browser.post("/login", data={"email": founder.email, "password": "wrong guess"}).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    assert any("Rate limit hit on /login" in record.getMessage() for record in caplog.records)
    page = text(browser.post("/login", data={"email": founder.email, "password": "x"}))
    assert "Too many requests" in page and "Wait a minute and try again." in page
    # Even the right password is refused until the window passes.
    assert sign_in(browser, founder.email).status_code == 429
    # The page itself (GET) stays readable.
    assert browser.get("/login").status_code == 200
    # An app with limits off (the test app) is not throttled by the shared limiter.
    for _ in range(12):  # more than the default 10 per minute
        assert sign_in(client, "nobody@example.com").status_code == 422


def test_single_sign_on_answers_are_rate_limited_like_sign_ins(build_app):
    browser = build_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="2 per minute",
        OIDC_ISSUER="http://127.0.0.1:9",  # never reached: the state is refused first
        OIDC_CLIENT_ID="accelerator",
        OIDC_CLIENT_SECRET="s3cret",
    ).test_client()
    statuses = [
        browser.get("/auth/sso/callback?code=guess&state=guess").status_code for _ in range(3)
    ]
    assert statuses == [422, 422, 429]


def test_password_reset_requests_are_rate_limited(build_app):
    browser = build_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute").test_client()
    statuses = [
        browser.post("/password/forgot", data={"email": "a@example.com"}).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]


# Headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/login", "/healthz", "/no-such-page", "/static/css/app.css"]
)
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:  # closes the static file
        pass
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Request-ID"]
    # Not in production: no HSTS (the test app is served over plain http).
    assert "Strict-Transport-Security" not in response.headers


def test_pages_have_no_inline_scripts_or_styles(client, login_as, staff):
    for page in (client.get("/").get_data(as_text=True), login_as(staff).get("/").get_data(True)):
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
        assert " style=" not in page


def test_production_sends_hsts_and_secure_cookies(build_app, founder):
    production = build_app(_production())
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    client = production.test_client()
    page = client.get("/login")
    assert "max-age=" in page.headers["Strict-Transport-Security"]
    # Production keeps CSRF on: the login form only works with its token.
    assert sign_in(client, founder.email).status_code == 400
    token = _csrf_token(page.get_data(as_text=True))
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": founder.email, "password": PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert {cookie.split("=")[0] for cookie in cookies} == {"session", "remember_token"}
    assert all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)


@pytest.mark.parametrize(
    "settings", [{"DEBUG": True}, {"ENV_NAME": "development"}, {"TESTING": True}]
)
def test_no_hsts_nor_secure_cookies_outside_production(build_app, settings):
    other = build_app(_production(**settings))
    assert other.config["SESSION_COOKIE_SECURE"] is False
    assert other.config["REMEMBER_COOKIE_SECURE"] is False
    assert "Strict-Transport-Security" not in other.test_client().get("/login").headers


def test_production_refuses_to_start_without_a_secret_key(app):
    config = _production(
        SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]
    )
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_cookies_are_httponly_and_samesite_by_default(app):
    for name in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        assert app.config[f"{name}_HTTPONLY"] is True
        assert app.config[f"{name}_SAMESITE"] == "Lax"


# Body size ---------------------------------------------------------------------------------


def test_max_content_length_is_set():
    assert 0 < Config.MAX_CONTENT_LENGTH <= 100 * 1024 * 1024


def test_an_oversized_body_gets_the_413_page(app, client, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    response = client.post(
        "/login", data={"email": "a@example.com", "password": "x" * (1024 * 1024 + 10)}
    )
    assert response.status_code == 413
    page = text(response)
    assert "Request too large" in page and "The upload is larger than 1 MB." in page
    assert any("Body too large on POST /login" in r.getMessage() for r in caplog.records)


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(app):
    from accelerator import create_app

    proxied = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PROXY_FIX_X_FOR": 1,
            "MAIL_BACKEND": "memory",
        }
    )

    @proxied.get("/_whoami")
    def whoami():
        from flask import request

        return request.remote_addr or ""

    response = proxied.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.text == "203.0.113.9"
