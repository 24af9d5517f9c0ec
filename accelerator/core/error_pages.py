"""Custom error pages; a 500 logs its traceback under a request id the user can quote."""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from accelerator.extensions import db

TITLES = {
    400: "Bad request",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "File too large",
    429: "Too many requests",
    500: "Something went wrong",
}


def _render(status: int, message: str | None = None):
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=TITLES.get(status, "Error"), request_id=g.get("request_id")), status
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=_(TITLES.get(status, "Error")),
            message=message,
            request_id=g.get("request_id"),
        ),
        status,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        app.logger.info("CSRF refused on %s: %s", request.path, error.description)
        return _render(
            400,
            _(
                "The form expired or was sent from elsewhere. Go back, reload "
                "the page and try again; what you typed is still in your browser."
            ),
        )

    @app.errorhandler(413)
    def too_large(_error):
        limit_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return _render(413, _("The upload is larger than %(mb)d MB.", mb=limit_mb))

    @app.errorhandler(429)
    def too_many(_error):
        return _render(429, _("Too many attempts. Wait a minute and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400 or isinstance(error, InternalServerError):
            return error if error.code and error.code < 400 else internal_error(error)
        return _render(error.code)

    @app.errorhandler(Exception)
    def internal_error(error):
        db.session.rollback()
        original = getattr(error, "original_exception", None) or error
        app.logger.error(
            "Unhandled error [request_id=%s] %s %s",
            g.get("request_id"),
            request.method,
            request.path,
            exc_info=original,
        )
        return _render(500)
