"""Demo webhooks: one example endpoint, disabled, so the demo sends nothing anywhere."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from accelerator.auth.models import User
from accelerator.core.permissions import Role
from accelerator.extensions import db
from accelerator.webhooks import services
from accelerator.webhooks.models import WebhookEndpoint

EXAMPLE_URL = "https://example.org/hooks/accelerator"


def seed(seed_dir: Path, echo) -> int:
    del seed_dir
    if db.session.scalar(select(WebhookEndpoint.id).limit(1)) is not None:
        return 0
    staff = db.session.scalar(
        select(User).where(User.role.in_([Role.STAFF, Role.ADMIN])).order_by(User.id).limit(1)
    )
    if staff is None:
        return 0
    endpoint = services.create_endpoint(
        url=EXAMPLE_URL,
        events_chosen=["application.decided", "disbursement.paid", "session.red_flagged"],
        description="Example: the finance team's receiver (disabled in the demo)",
        actor=staff,
    )
    services.disable_endpoint(endpoint, actor=staff, reason="Demo example: nothing is sent.")
    echo("webhooks: 1 example endpoint (disabled)")
    return 1
