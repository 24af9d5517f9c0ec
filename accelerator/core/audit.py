"""Writing to the audit log, and reading one object's events."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.core import hooks
from accelerator.core.models import AuditEvent
from accelerator.core.types import utcnow
from accelerator.extensions import db


def record(
    action: str,
    obj: Any = None,
    *,
    actor: Any = None,
    data: dict[str, Any] | None = None,
    startup: Any = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits with its change).

    `startup` (a Startup or its id) files the event in that startup's history; without it the
    startup is the object itself, the object's `startup_id`, or `data["startup_id"]`.
    The event is dated now (the act's moment, `clock_at` included), not when the session
    happens to flush it.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=getattr(obj, "__tablename__", None) if obj is not None else None,
        object_id=getattr(obj, "id", None) if obj is not None else None,
        data=data or {},
        ip_address=request.remote_addr if has_request_context() else None,
        startup_id=_startup_id(startup, obj, data),
        created_at=utcnow(),
    )
    db.session.add(event)
    hooks.audit_recorded.send(action, event=event, obj=obj, actor=actor)
    return event


def record_new(
    action: str, obj: Any, *, actor: Any = None, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Add a new object to the transaction (flushed, so it has its id) and record its creation
    in the same act."""
    db.session.add(obj)
    db.session.flush()
    return record(action, obj, actor=actor, data=data)


def record_removal(
    action: str,
    obj: Any,
    *,
    actor: Any = None,
    data: dict[str, Any] | None = None,
    about: Any = None,
) -> AuditEvent:
    """Record an object's removal and delete it from the transaction (flushed), in the same
    act: the mirror of `record_new`. The event is about `about` when the history it belongs to
    is another object's (a cohort's plan, say), else about the removed object itself."""
    event = record(action, obj if about is None else about, actor=actor, data=data)
    db.session.delete(obj)
    db.session.flush()
    return event


def events_of(
    obj: Any, *, newest_first: bool = False, limit: int | None = None
) -> list[AuditEvent]:
    """The audit events about one object, with who did them, oldest first (or newest)."""
    order = (AuditEvent.created_at, AuditEvent.id)
    statement = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)
        .order_by(*(column.desc() for column in order) if newest_first else order)
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def _startup_id(startup: Any, obj: Any, data: dict[str, Any] | None) -> int | None:
    if startup is not None:
        return startup if isinstance(startup, int) else startup.id
    if obj is not None:
        if getattr(obj, "__tablename__", None) == "startups":
            return obj.id
        if getattr(obj, "startup_id", None) is not None:
            return obj.startup_id
    value = (data or {}).get("startup_id")
    return value if isinstance(value, int) else None
