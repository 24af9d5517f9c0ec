"""Honest status codes for refused actions, whatever view refuses.

* A POST answered with a page (200) re-displays its form, since a successful POST redirects
  (POST/redirect/GET): `honest_status` turns that 200 into 422 (the form has errors) or into
  the status the view noted with `note_refusal` (409 when a rule refused on the current state,
  403 when the actor may not). A view whose POST shows a result page says so with `answered()`.
* A refused action that used to flash its message and redirect now answers with its status and
  the page the redirect led to, message at the top: `refuse(error, url)` renders that page
  within this request (a GET of the same app, same session and user) and keeps its status.
"""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, request, session

from accelerator.core.errors import DomainError, NotAllowed, ValidationFailed

CONFLICT, UNPROCESSABLE, FORBIDDEN = 409, 422, 403


def status_for(error: DomainError | None) -> int:
    """422 for input a rule refused, 403 for an actor who may not, 409 for the current state."""
    if isinstance(error, ValidationFailed):
        return UNPROCESSABLE
    if isinstance(error, NotAllowed):
        return FORBIDDEN
    return CONFLICT


def note_refusal(error: DomainError | None = None, status: int | None = None) -> None:
    """Record why this request's action was refused; the first reason wins."""
    g.setdefault("refusal_status", status or status_for(error))


def answered() -> None:
    """This POST's page is its result, not a form shown again: keep its 200."""
    g.post_answered = True


def refuse(error: DomainError | str, url: str, *, status: int | None = None, category="danger"):
    """Answer with the page at `url` (of this app), `error` flashed at its top, and the status."""
    from accelerator.extensions import db

    db.session.rollback()  # nothing of the refused attempt may be saved by the page below
    message = error.message if isinstance(error, DomainError) else str(error)
    status = status or status_for(error if isinstance(error, DomainError) else None)
    app: Flask = current_app._get_current_object()  # type: ignore[assignment]
    parts = urlsplit(url)
    path = parts.path
    script = request.environ.get("SCRIPT_NAME", "")
    if script and path.startswith(script):
        path = path[len(script) :]
    environ = {
        **request.environ,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": parts.query,
        "CONTENT_LENGTH": "0",
        "wsgi.input": BytesIO(b""),
    }
    environ.pop("CONTENT_TYPE", None)
    carried = dict(session)  # what this request already put in the session (earlier flashes)
    session.modified = False  # the page below saves the session, flashes shown or not
    # The page starts as a request of its own would: nothing loaded, the user loaded again.
    db.session.expunge_all()
    g.pop("_login_user", None)
    with app.request_context(environ):
        session.clear()
        session.update(carried)
        flash(message, category)
        response = app.full_dispatch_request()
    response.status_code = status if response.status_code == 200 else response.status_code
    return response


def register(app: Flask) -> None:
    @app.after_request
    def honest_status(response):
        if request.method == "POST" and response.status_code == 200:
            if "refusal_status" in g:
                response.status_code = g.refusal_status
            elif response.mimetype == "text/html" and not g.get("post_answered"):
                response.status_code = UNPROCESSABLE
        return response
