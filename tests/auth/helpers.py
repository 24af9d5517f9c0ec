"""Small helpers for HTTP tests: sign in through the form, read errors beside a field."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from sqlalchemy import func, select

from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.extensions import db
from tests.factories import PASSWORD

_NEXT_FIELD = re.compile(r'<div class="mb-3|<input class="btn|</form>')
_FEEDBACK = re.compile(r'class="invalid-feedback[^"]*">(.*?)</div>', re.S)


def sign_in(client, email: str, password: str = PASSWORD, *, remember: bool = False, next=None):
    """Post the login form (the way a browser would) and return the response."""
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    url = "/login" if next is None else f"/login?next={quote(next, safe='')}"
    return client.post(url, data=data)


def field_errors(page: str, field_id: str) -> list[str]:
    """The error messages rendered right after the input with this id (before the next field)."""
    match = re.search(rf'<(input|select|textarea)[^>]*\bid="{re.escape(field_id)}"', page)
    assert match, f"no field {field_id!r} on the page"
    rest = page[match.end() :]
    end = _NEXT_FIELD.search(rest)
    block = rest[: end.start()] if end else rest
    return [html.unescape(text.strip()) for text in _FEEDBACK.findall(block)]


def flashes(page: str) -> list[str]:
    """The flash messages shown at the top of the page."""
    pattern = re.compile(r'<div class="alert alert-[^"]*" role="alert">\s*(.*?)\s*<button', re.S)
    return [html.unescape(text.strip()) for text in pattern.findall(page)]


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def audit_events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def outbox_count(to: str | None = None) -> int:
    statement = select(func.count()).select_from(OutboxEmail)
    if to is not None:
        statement = statement.where(OutboxEmail.to == to)
    return db.session.scalar(statement)


def last_mail(to: str) -> OutboxEmail:
    message = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.to == to).order_by(OutboxEmail.id.desc())
    ).first()
    assert message is not None, f"no mail to {to}"
    return message


def link_in(message: OutboxEmail) -> str:
    """The path of the first link in a mail (links are absolute on PUBLIC_BASE_URL)."""
    found = re.search(r"http://localhost(/\S+)", message.body)
    assert found, f"no link in {message.body!r}"
    return found.group(1)
