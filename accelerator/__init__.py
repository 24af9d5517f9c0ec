"""Accelerator: the software a corporate startup accelerator runs its program on.

The factory imports the app's own modules (domains, site, CLI) inside its functions: they import
this package (DOMAINS, ROOT), so importing them here, at the top, would be a cycle.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import uuid

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_logged_in
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from accelerator.config import ROOT as ROOT
from accelerator.config import Config


def _domains() -> tuple[str, ...]:
    """The domain packages in dependency order: the layers of the import-linter contract in
    pyproject.toml, bottom up, that are packages with a `hooks.py` (core is not a domain).

    The layer list is the one list of domains: a new domain takes its place there and is
    found here (blueprint, models, hooks, seed), with no other file to edit.
    """
    import tomllib

    contract = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = contract["tool"]["importlinter"]["contracts"][0]["layers"]
    package = ROOT / "accelerator"
    found: list[str] = []
    for layer in reversed(layers):
        for name in (part.strip().strip("()") for part in layer.split("|")):
            if name != "core" and (package / name / "hooks.py").is_file():
                found.append(name)
    return tuple(found)


#: Domain packages in dependency order (each holds a blueprint `bp`, models, seed, hooks).
DOMAINS = _domains()


def create_app(config: type | dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, CLI and error pages."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Config.finalise(app)
    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    _configure_logging(app)
    _init_extensions(app)
    from accelerator.core.urls import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
    _register_blueprints(app)
    from accelerator.jobs.services import init_queue

    init_queue(app)  # where long work waits for a worker (JOBS_QUEUE_URL)
    _register_request_hooks(app)
    _register_template_helpers(app)

    from accelerator.cli import register_cli
    from accelerator.core import refusals
    from accelerator.core.error_pages import register_error_handlers

    refusals.register(app)

    register_error_handlers(app)
    register_cli(app)
    return app


def _configure_logging(app: Flask) -> None:
    level = getattr(logging, str(app.config["LOG_LEVEL"]).upper(), logging.INFO)
    app.logger.setLevel(level)


def _init_extensions(app: Flask) -> None:
    from accelerator.core import cache
    from accelerator.core.i18n import install_template_gettext
    from accelerator.extensions import (
        babel,
        bootstrap,
        close_session,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
    )

    db.init_app(app)

    @app.teardown_appcontext
    def close_session_quietly(_error) -> None:
        # Runs before Flask-SQLAlchemy's own teardown (which then finds nothing to close): an
        # exception here would escape every error handler and the server would answer its own
        # bare 500. Requests end their session in `end_the_transaction`; this is for the rest.
        failed = close_session()
        if failed is not None:
            app.logger.warning("Closing the database session failed: %s", failed)

    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    cache.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    login_manager.login_message = _l("Please sign in to see this page.")

    @login_manager.user_loader
    def load_user(session_token: str):
        from accelerator.auth.models import User

        # The id in the cookie is the rotating token: a rotated or deactivated user is anonymous.
        return db.session.scalar(
            select(User).where(User.session_token == session_token, User.active.is_(True))
        )


def _select_locale() -> str | None:
    languages = list(current_app.config["LANGUAGES"])
    if not has_request_context():
        return None  # mail rendered by CLI tasks uses the default language
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(languages)


def _register_blueprints(app: Flask) -> None:
    from accelerator.site import bp as site_bp

    app.register_blueprint(site_bp)
    for domain in DOMAINS:
        if importlib.util.find_spec(f"accelerator.{domain}") is None:
            continue
        if importlib.util.find_spec(f"accelerator.{domain}.models") is not None:
            importlib.import_module(f"accelerator.{domain}.models")
        package = importlib.import_module(f"accelerator.{domain}")
        if hasattr(package, "bp"):
            app.register_blueprint(package.bp)

    # Object policies of every domain (registered as their views import them) are Jinja
    # globals: a template shows a button exactly when the server would allow the action.
    from accelerator.core.permissions import POLICIES, has_role

    app.jinja_env.globals.update(POLICIES)
    app.jinja_env.globals["has_role"] = has_role  # role checks are not object policies


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def assign_request_id() -> None:
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex[:16]

    @app.after_request
    def security_headers(response):
        from accelerator.core.files import DOWNLOAD_CSP

        headers = response.headers
        if headers.get("Content-Disposition", "").lower().startswith("attachment"):
            headers["Content-Security-Policy"] = DOWNLOAD_CSP  # every download, one policy
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'",
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SEND_HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        headers["X-Request-ID"] = g.get("request_id", "")
        static = (request.endpoint or "").endswith("static")  # the app's and blueprints' files
        if not static and current_user and current_user.is_authenticated:
            # A signed-in page may hold personal data: never kept by browsers or proxies.
            headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def end_the_transaction(response):
        # Registered after security_headers, so it runs before it. Here rather than at
        # teardown: a connection that died mid-request fails its ROLLBACK, and here that can
        # still answer the 503 page (at teardown the response is already on its way).
        from accelerator.core.error_pages import database_unavailable_page
        from accelerator.extensions import close_session

        failed = close_session()
        return response if failed is None else app.make_response(database_unavailable_page(failed))

    @user_logged_in.connect_via(app)
    def rotate_csrf_secret(_sender, **_extra) -> None:
        # A CSRF token seen before signing in (by whoever shared the browser) stops working.
        session.pop("csrf_token", None)


def _register_template_helpers(app: Flask) -> None:
    from accelerator.core import layout
    from accelerator.core.enums import badge_for
    from accelerator.core.hooks import render_slot
    from accelerator.core.i18n import current_locale
    from accelerator.core.money import format_cents
    from accelerator.core.timeutil import format_dt

    app.jinja_env.globals["render_slot"] = render_slot
    layout.install(app)
    app.jinja_env.globals["badge_for"] = badge_for
    app.jinja_env.filters["money"] = format_cents
    app.jinja_env.filters["dt"] = format_dt

    @app.context_processor
    def inject_globals():
        from accelerator.core.permissions import Role

        return {"Role": Role, "LANGUAGES": app.config["LANGUAGES"], "get_locale": current_locale}
