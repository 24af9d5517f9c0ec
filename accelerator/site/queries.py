"""The reads behind the site's staff pages: the audit log with its filters, the mail outbox."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from accelerator.auth.models import User
from accelerator.core.models import AuditEvent, OutboxEmail, OutboxStatus
from accelerator.core.urls import bounded_int

#: The lists of the outbox page, in the order of its tabs (and "all").
OUTBOX_LISTS = (OutboxStatus.PENDING, OutboxStatus.FAILING, OutboxStatus.SENT)


def _day(text: str | None) -> datetime | None:
    """The start (UTC) of a day written YYYY-MM-DD; None for anything else."""
    try:
        return datetime.combine(date.fromisoformat((text or "").strip()), time(), UTC)
    except ValueError:
        return None


def audit_statement(args: Mapping) -> Select:
    """The audit events the filters in `args` keep (unreadable filters are ignored), newest
    first, with who did them."""
    statement = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    action = (args.get("action") or "").strip()
    if action:
        statement = statement.where(AuditEvent.action.startswith(action, autoescape=True))
    actor = (args.get("actor") or "").strip().lower()
    if actor:
        statement = statement.join(User, AuditEvent.actor_id == User.id).where(
            User.email.contains(actor, autoescape=True)
        )
    object_type = (args.get("object_type") or "").strip()
    if object_type:
        statement = statement.where(AuditEvent.object_type == object_type)
    object_id = bounded_int(args.get("object_id"))
    if object_id is not None:
        statement = statement.where(AuditEvent.object_id == object_id)
    since, until = _day(args.get("since")), _day(args.get("until"))
    if since:
        statement = statement.where(AuditEvent.created_at >= since)
    if until:
        statement = statement.where(AuditEvent.created_at < until + timedelta(days=1))
    return statement


def outbox_list(name: str | None) -> OutboxStatus | None:
    """The list of the outbox page named `name` (a status), or None for all mail."""
    return next((status for status in OUTBOX_LISTS if status.value == name), None)


def outbox_statement(listed: OutboxStatus | None) -> Select:
    statement = select(OutboxEmail).order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
    return statement if listed is None else statement.where(OutboxEmail.listed_as(listed))
