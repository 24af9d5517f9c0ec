"""Configuration read from the environment, with safe defaults for local use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

#: The checkout: templates/, migrations/, seed_data/ and instance/ sit here.
ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _dev_secret(instance_path: Path) -> str:
    """A secret made once per checkout, kept in instance/ so dev sessions survive restarts."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / "dev_secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Production-safe configuration; every value can be set from the environment."""

    ENV_NAME = os.environ.get("ACCELERATOR_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default set in create_app
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # filled in by finalise() for the chosen database
    # PostgreSQL: give up connecting, and give up on a pooled connection whose pre-ping goes
    # unanswered, after DATABASE_CONNECT_TIMEOUT seconds; cancel any statement running longer
    # than DATABASE_STATEMENT_TIMEOUT_MS (0: no limit). A server that stops answering without
    # closing (a frozen network) is found by TCP keepalives (a probe after KEEPALIVES_IDLE
    # seconds of silence, every KEEPALIVES_INTERVAL, dead after KEEPALIVES_COUNT unanswered)
    # and by DATABASE_TCP_USER_TIMEOUT_MS (data sent but unacknowledged that long): well before
    # gunicorn's 30 s timeout kills the worker.
    DATABASE_CONNECT_TIMEOUT = _int("DATABASE_CONNECT_TIMEOUT", 3)
    DATABASE_STATEMENT_TIMEOUT_MS = _int("DATABASE_STATEMENT_TIMEOUT_MS", 30_000)
    DATABASE_KEEPALIVES_IDLE = _int("DATABASE_KEEPALIVES_IDLE", 5)
    DATABASE_KEEPALIVES_INTERVAL = _int("DATABASE_KEEPALIVES_INTERVAL", 2)
    DATABASE_KEEPALIVES_COUNT = _int("DATABASE_KEEPALIVES_COUNT", 3)
    DATABASE_TCP_USER_TIMEOUT_MS = _int("DATABASE_TCP_USER_TIMEOUT_MS", 5_000)

    # Mail: "console" prints mail (development); "smtp" delivers through SMTP_*. Production
    # must name it: an unset backend there would print real people's mail to a log.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Accelerator <no-reply@example.org>")
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = _int("SMTP_PORT", 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", True)
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 5)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # A lost store (Redis down) must not lock everyone out: limits are then counted in each
    # worker's memory (logged), the store is tried again by itself (after 1, 2, 4... 32 s)
    # and /healthz says "degraded" meanwhile. Redis calls give up after
    # RATELIMIT_STORAGE_TIMEOUT seconds, so a frozen Redis cannot hang the sign-in page.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_TIMEOUT = _float("RATELIMIT_STORAGE_TIMEOUT", 1)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Per account (the posted email), whatever address the attempts come from.
    ACCOUNT_LOGIN_RATE_LIMIT = os.environ.get(
        "ACCOUNT_LOGIN_RATE_LIMIT", "10 per minute;30 per hour"
    )
    SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "5 per minute;20 per hour")

    # Figures shared between users, kept by the version of the data they read (core/cache.py):
    # redis://... (default: RATELIMIT_STORAGE_URI when it is Redis), memory:// (one process),
    # or nothing kept when neither. CACHE_SECONDS bounds how long an entry lives.
    CACHE_URL = os.environ.get("CACHE_URL", "")
    CACHE_SECONDS = _int("CACHE_SECONDS", 600)

    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)
    PITCH_DECK_MAX_BYTES = _int("PITCH_DECK_MAX_BYTES", 20 * 1024 * 1024)
    IMPORT_MAX_ROWS = _int("IMPORT_MAX_ROWS", 20_000)
    IMPORT_MAX_BYTES = _int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
    # Long work runs in the job queue (accelerator/jobs): JOBS_QUEUE_URL is sqlite:///path (the
    # default: instance/jobs-queue.sqlite3), redis://... (production) or immediate (tests).
    # A running job writes a heartbeat every JOBS_HEARTBEAT_SECONDS; one silent for
    # JOBS_STALE_SECONDS is queued again. Its starter gets a mail when it ends if they have not
    # looked at its page for JOBS_LEFT_SECONDS. Imports of more rows than IMPORT_BACKGROUND_ROWS,
    # exports of more than EXPORT_BACKGROUND_ROWS and the matching of cohorts of more than
    # MATCHING_BACKGROUND_STARTUPS enrolled startups run as jobs.
    JOBS_QUEUE_URL = os.environ.get("JOBS_QUEUE_URL", "")
    JOBS_HEARTBEAT_SECONDS = _float("JOBS_HEARTBEAT_SECONDS", 5)
    JOBS_STALE_SECONDS = _float("JOBS_STALE_SECONDS", 60)
    JOBS_LEFT_SECONDS = _float("JOBS_LEFT_SECONDS", 30)
    IMPORT_BACKGROUND_ROWS = _int("IMPORT_BACKGROUND_ROWS", 300)
    EXPORT_BACKGROUND_ROWS = _int("EXPORT_BACKGROUND_ROWS", 5_000)
    MATCHING_BACKGROUND_STARTUPS = _int("MATCHING_BACKGROUND_STARTUPS", 50)
    REVIEW_DISAGREEMENT_STDDEV = _float("REVIEW_DISAGREEMENT_STDDEV", 1.0)
    # Webhooks (accelerator/webhooks): a delivery waits WEBHOOKS_TIMEOUT_SECONDS for an answer;
    # WEBHOOKS_DISABLE_AFTER deliveries given up in a row disable an endpoint. Endpoints on
    # private, loopback or link-local addresses are refused unless WEBHOOKS_ALLOW_PRIVATE
    # (allowed by default in development and the tests, refused in production).
    WEBHOOKS_TIMEOUT_SECONDS = _float("WEBHOOKS_TIMEOUT_SECONDS", 10)
    WEBHOOKS_DISABLE_AFTER = _int("WEBHOOKS_DISABLE_AFTER", 5)
    WEBHOOKS_ALLOW_PRIVATE = (
        _bool("WEBHOOKS_ALLOW_PRIVATE", False) if "WEBHOOKS_ALLOW_PRIVATE" in os.environ else None
    )

    # The tester panel (accelerator/testers): a tester contacted in the last
    # TESTERS_REST_DAYS days, or already in TESTERS_MAX_CAMPAIGNS_PER_QUARTER campaigns this
    # quarter, is not invited again; a wave invites enough people for the responses still
    # missing at TESTERS_RESPONSE_RATE, at most TESTERS_WAVE_MAX at once.
    TESTERS_REST_DAYS = _int("TESTERS_REST_DAYS", 30)
    TESTERS_MAX_CAMPAIGNS_PER_QUARTER = _int("TESTERS_MAX_CAMPAIGNS_PER_QUARTER", 2)
    TESTERS_RESPONSE_RATE = _float("TESTERS_RESPONSE_RATE", 0.4)
    TESTERS_WAVE_MAX = _int("TESTERS_WAVE_MAX", 10_000)
    # A panel file holds at most TESTERS_IMPORT_MAX_ROWS lines. What an erasure keeps of the
    # address (so an import never adds the person back) is keyed with TESTERS_ERASURE_KEY
    # (default: SECRET_KEY; keep it when rotating SECRET_KEY, or erased people could return).
    TESTERS_IMPORT_MAX_ROWS = _int("TESTERS_IMPORT_MAX_ROWS", 100_000)
    TESTERS_ERASURE_KEY = os.environ.get("TESTERS_ERASURE_KEY", "")

    # Two-step verification (auth/second_factor.py): the issuer name authenticator apps show,
    # how long a verified code lets staff approve, pay and change roles without asking again,
    # and the key the TOTP secrets are encrypted with (default: derived from SECRET_KEY; keep
    # it when rotating SECRET_KEY, or everyone must enrol again).
    SECOND_FACTOR_ISSUER = os.environ.get("SECOND_FACTOR_ISSUER", "Accelerator")
    SECOND_FACTOR_FRESH_MINUTES = _int("SECOND_FACTOR_FRESH_MINUTES", 10)
    SECOND_FACTOR_KEY = os.environ.get("SECOND_FACTOR_KEY", "")

    # At-risk rules (milestones): periods in a row without a check-in, latest check-ins
    # reported red, days past due before an open milestone counts, check-ins without growth.
    RISK_MISSED_CHECKINS = _int("RISK_MISSED_CHECKINS", 2)
    RISK_RED_CHECKINS = _int("RISK_RED_CHECKINS", 1)
    RISK_OVERDUE_GRACE_DAYS = _int("RISK_OVERDUE_GRACE_DAYS", 0)
    RISK_FLAT_KPI_PERIODS = _int("RISK_FLAT_KPI_PERIODS", 4)
    # Reminders: a check-in reminder when its period has fewer days left than this; a
    # milestone reminder this many days before it is due.
    REMINDER_CHECKIN_DAYS_LEFT = _int("REMINDER_CHECKIN_DAYS_LEFT", 2)
    REMINDER_MILESTONE_DAYS = _int("REMINDER_MILESTONE_DAYS", 3)

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = {"en": "English", "fr": "Français"}

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BTN_SIZE = "md"
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: no lost drafts

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Single sign-on with the sponsor's OpenID Connect provider (auth/sso.py), on when
    # OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set. The provider is found at
    # <OIDC_ISSUER>/.well-known/openid-configuration; people sign in with it only when their
    # verified address is in one of OIDC_ALLOWED_DOMAINS (comma-separated, e.g.
    # "orange.com,orange.fr"). OIDC_PROVIDER_NAME names the button ("Sign in with Orange");
    # OIDC_REDIRECT_URI, when set, is the callback address registered at the provider (default:
    # this site's /auth/sso/callback as the request reached it); OIDC_TIMEOUT caps each call to
    # the provider, in seconds.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    OIDC_ALLOWED_DOMAINS = os.environ.get("OIDC_ALLOWED_DOMAINS", "")
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    OIDC_REDIRECT_URI = os.environ.get("OIDC_REDIRECT_URI", "")
    OIDC_TIMEOUT = _float("OIDC_TIMEOUT", 10)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)
    INVITATION_DAYS = _int("INVITATION_DAYS", 14)
    PER_PAGE = 25
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Number of reverse proxies in front of the app (0: none). Behind one, set 1 so the client's
    # address (rate limits, audit log) and scheme come from X-Forwarded-For/-Proto.
    PROXY_FIX_X_FOR = _int("PROXY_FIX_X_FOR", 0)

    @classmethod
    def finalise(cls, app) -> None:
        """Fill in values that depend on the instance folder and refuse unsafe production setups."""
        instance = Path(app.instance_path)
        production = app.config["ENV_NAME"] != "development" and not app.testing
        if not app.config.get("SQLALCHEMY_DATABASE_URI"):
            instance.mkdir(parents=True, exist_ok=True)
            app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'accelerator.db'}"
        if not app.config.get("SECRET_KEY"):
            if production:
                raise RuntimeError(
                    "SECRET_KEY must be set outside development (ACCELERATOR_ENV=production)."
                )
            app.config["SECRET_KEY"] = _dev_secret(instance)
        if not app.config.get("MAIL_BACKEND"):
            if production:
                raise RuntimeError(
                    "MAIL_BACKEND must be set outside development (smtp, or console on purpose)."
                )
            app.config["MAIL_BACKEND"] = "console"
        if app.config.get("WEBHOOKS_ALLOW_PRIVATE") is None:
            app.config["WEBHOOKS_ALLOW_PRIVATE"] = not production
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
        storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
        if storage.startswith(("redis://", "rediss://", "unix://")):
            timeout = app.config["RATELIMIT_STORAGE_TIMEOUT"]
            app.config.setdefault(
                "RATELIMIT_STORAGE_OPTIONS",
                {"socket_connect_timeout": timeout, "socket_timeout": timeout},
            )
        if production and app.config.get("RATELIMIT_ENABLED") and storage.startswith("memory"):
            # Each worker would count on its own: N workers let N times the attempts through.
            raise RuntimeError(
                "RATELIMIT_STORAGE_URI must be shared storage (redis://...) outside development;"
                " memory:// counts per worker."
            )
        secure = production and not app.debug
        app.config["SESSION_COOKIE_SECURE"] = secure
        app.config["REMEMBER_COOKIE_SECURE"] = secure
        app.config["SEND_HSTS"] = secure


def engine_options(config) -> dict:
    """Pool pre-ping everywhere; on PostgreSQL connect and statement timeouts, TCP keepalives
    and a TCP user timeout, and a pre-ping that waits no longer than connecting may."""
    options = {"pool_pre_ping": True, **(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})}
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        # SQLAlchemy's pre-ping would wait for a frozen server forever: PostgreSQL connections
        # are pinged on checkout by extensions._ping_on_checkout, within the connect timeout.
        options["pool_pre_ping"] = False
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", config["DATABASE_CONNECT_TIMEOUT"])
        connect_args.setdefault("keepalives", 1)
        connect_args.setdefault("keepalives_idle", config["DATABASE_KEEPALIVES_IDLE"])
        connect_args.setdefault("keepalives_interval", config["DATABASE_KEEPALIVES_INTERVAL"])
        connect_args.setdefault("keepalives_count", config["DATABASE_KEEPALIVES_COUNT"])
        connect_args.setdefault("tcp_user_timeout", config["DATABASE_TCP_USER_TIMEOUT_MS"])
        statement_ms = int(config["DATABASE_STATEMENT_TIMEOUT_MS"])
        if statement_ms > 0:
            connect_args.setdefault("options", f"-c statement_timeout={statement_ms}")
        options["connect_args"] = connect_args
    return options


class TestConfig(Config):
    """Isolated configuration for the test-suite."""

    TESTING = True
    ENV_NAME = "testing"
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Most tests post forms directly; CSRF stays on in tests/core/test_security.py, which
    # proves a POST without a token is refused.
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"
    JOBS_QUEUE_URL = "immediate"  # a task runs when it is sent; tests/jobs also run a worker
    CACHE_URL = "memory://"  # every test app keeps its figures, as production does in Redis
    CACHE_CHECK_READS = True  # kept figures reading a table they do not declare fail the test
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  (fast for tests; prod: scrypt)
    PUBLIC_BASE_URL = "http://localhost"
    # Single sign-on stays off in tests unless a test points it at its fake issuer.
    OIDC_ISSUER = ""
    OIDC_CLIENT_ID = ""
    OIDC_CLIENT_SECRET = ""
    OIDC_ALLOWED_DOMAINS = ""
