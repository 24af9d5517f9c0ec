"""Custom error pages; a 500 logs its traceback under a request id the user can quote."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from accelerator.core.i18n import gettext as _
from accelerator.extensions import rollback_quietly

TITLES = {
    400: _l("Bad request"),
    401: _l("Please sign in"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Not possible now"),
    413: _l("Request too large"),
    422: _l("Not accepted"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Temporarily unavailable"),
}


def render_error(status: int, message: str | None = None):
    """The error page for `status` (a problem document for JSON clients), with `message`."""
    from accelerator.core.refusals import problem, wants_json

    title = str(TITLES.get(status, _l("Error")))
    if wants_json():
        return problem(status, title, message, request_id=g.get("request_id"))
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=title,
            message=message,
            request_id=g.get("request_id"),
        ),
        status,
    )


def database_unavailable_page(error: Exception):
    """The 503 page: the database is down, a statement ran past its timeout, or the
    connection died mid-request. Rendered as a visitor: loading the signed-in user would ask
    the database again."""
    g._login_user = AnonymousUserMixin()
    current_app.logger.warning(
        "Database unavailable [request_id=%s] %s %s: %s",
        g.get("request_id"),
        request.method,
        request.path,
        str(getattr(error, "orig", None) or error).strip()[:300],
    )
    return render_error(503, _("The database is not answering right now. Try again in a minute."))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        app.logger.info("CSRF refused on %s: %s", request.path, error.description)
        return render_error(
            400,
            _(
                "The form expired or was sent from elsewhere. Go back, reload "
                "the page and try again; what you typed is still in your browser."
            ),
        )

    @app.errorhandler(413)
    def too_large(_error):
        app.logger.info("Body too large on %s %s", request.method, request.path)
        limit_mb = format_decimal(app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024), "#,##0.#")
        return render_error(413, _("The upload is larger than %(mb)s MB.", mb=limit_mb))

    @app.errorhandler(429)
    def too_many(error):
        app.logger.warning(
            "Rate limit hit on %s from %s (%s)",
            request.path,
            request.remote_addr,
            error.description,
        )
        return render_error(429, _("Too many attempts. Wait a minute and try again."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)  # every pooled connection is held by requests still waiting
    def database_unavailable(error):
        rollback_quietly()
        return database_unavailable_page(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400 or isinstance(error, InternalServerError):
            return error if error.code and error.code < 400 else internal_error(error)
        return render_error(error.code)

    @app.errorhandler(Exception)
    def internal_error(error):
        rollback_quietly()
        original = getattr(error, "original_exception", None) or error
        app.logger.error(
            "Unhandled error [request_id=%s] %s %s",
            g.get("request_id"),
            request.method,
            request.path,
            exc_info=original,
        )
        return render_error(500)
