"""Writing to the audit log."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from accelerator.core.models import AuditEvent
from accelerator.extensions import db


def record(
    action: str,
    obj: Any = None,
    *,
    actor: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits with its change)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=getattr(obj, "__tablename__", None) if obj is not None else None,
        object_id=getattr(obj, "id", None) if obj is not None else None,
        data=data or {},
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
