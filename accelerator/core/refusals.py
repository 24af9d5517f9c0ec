"""The one refusal path: a service raises a domain error, and this module answers it.

Views do not catch domain errors. What a refused action answers:

* **JSON** (an API client, a fetch): an RFC 9457 problem document (`application/problem+json`)
  with the error's status and its message as `detail`.
* **A page**, by the error's meaning (`DomainError.status`: 404, 403, 409, 422): the page the
  action was taken from, the message flashed at its top, with that status. A view names that
  page with `refusal_page(url)` once it has loaded its objects; without one, the page the
  browser came from (a same-site Referer), else the error page with the message.
* **A form shown again with its fields**: a view that must keep what was typed wraps the
  service call in `with refusals_beside(form):` and renders the form after the block; the
  message stands beside its field (`error.field`) or at the top, and the status is the error's.

Honest statuses for POSTs answered with a page (200) come from the same place: `honest_status`
turns that 200 into 422 (the form has errors) or into the status a refusal noted, unless the
view said its page is the result (`answered()`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, jsonify, request, session

from accelerator.core.errors import DomainError

UNPROCESSABLE = 422


def wants_json() -> bool:
    """Whether the client asked for JSON (an API client) rather than a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best
    return request.is_json or best in ("application/json", "application/problem+json")


def problem(status: int, title: str, detail: str | None = None, **extra):
    """An RFC 9457 problem document response."""
    body = {"type": "about:blank", "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def note_refusal(error: DomainError | None = None, status: int | None = None) -> None:
    """Record why this request's action was refused; the first reason wins."""
    g.setdefault("refusal_status", status or (error.status if error else UNPROCESSABLE))


def answered() -> None:
    """This POST's page is its result, not a form shown again: keep its 200."""
    g.post_answered = True


def refusal_page(url: str) -> None:
    """The page a refusal of this request shows, its message at the top (see the module)."""
    g.refusal_url = url


def show_error(form, error: DomainError) -> None:
    """Put a domain error beside its field when the form has it, else flash it; the page that
    shows it answers with the error's status.

    An error about several fields at once carries `errors` (field name -> message): each
    message stands beside its field, and the error's own message at the top unless it is one
    of them."""
    note_refusal(error)
    messages = getattr(error, "errors", None) or {error.field: error.message}
    if error.message not in messages.values():
        flash(error.message, "danger")
    for name, message in messages.items():
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            flash(message, "danger")


@contextmanager
def refusals_beside(form) -> Iterator[None]:
    """Show a domain error raised inside the block on `form` (beside its field, or at the top)
    and carry on after the block, where the view renders the form again with what was typed.

    Nothing of the refused attempt is saved: the view does not commit, and the request's
    transaction is rolled back when it ends.
    """
    try:
        yield
    except DomainError as error:
        show_error(form, error)


def refuse(error: DomainError | str, url: str, *, status: int | None = None, category="danger"):
    """Answer with the page at `url` (of this app), `error` flashed at its top, and the status.

    The page is rendered within this request (a GET of the same app, same session and user),
    after the refused attempt is rolled back.
    """
    from accelerator.extensions import db

    db.session.rollback()  # nothing of the refused attempt may be saved by the page below
    message = error.message if isinstance(error, DomainError) else str(error)
    status = status or (error.status if isinstance(error, DomainError) else 409)
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


def _page_came_from() -> str | None:
    """The same-site page the browser came from (its Referer), or None."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    if parts.path == request.path and request.method == "GET":
        return None  # the page itself refused: showing it again would refuse again
    return parts.path + (f"?{parts.query}" if parts.query else "")


def answer(error: DomainError):
    """The one answer to a refused action (the app's handler for every DomainError)."""
    from accelerator.core.error_pages import render_error
    from accelerator.extensions import db

    db.session.rollback()
    if wants_json():
        from accelerator.core.error_pages import TITLES

        # The message beside its field, as a page shows it: `field` and `errors` (field ->
        # message, the shape of webargs' refusals of a request's input).
        errors = getattr(error, "errors", None) or (
            {error.field: error.message} if error.field else None
        )
        extra = {"field": error.field} if error.field else {}
        if errors:
            extra["errors"] = {str(k): str(v) for k, v in errors.items()}
        return problem(error.status, str(TITLES.get(error.status)), error.message, **extra)
    url = g.get("refusal_url") or (_page_came_from() if error.status != 404 else None)
    if url and not g.get("refusing"):
        g.refusing = True  # a page that refuses while showing a refusal ends on the error page
        return refuse(error, url, status=error.status)
    return render_error(error.status, error.message)


def register(app: Flask) -> None:
    app.register_error_handler(DomainError, answer)

    @app.after_request
    def honest_status(response):
        if request.method == "POST" and response.status_code == 200:
            if "refusal_status" in g:
                response.status_code = g.refusal_status
            elif response.mimetype == "text/html" and not g.get("post_answered"):
                response.status_code = UNPROCESSABLE
        return response
