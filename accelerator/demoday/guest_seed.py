"""The demo guests of a demo day (seed_data/demoday_guests.json), through the guests'
services under `clock_at`: added and invited `invite_days_before` days before the event, each
answer given on its own day after (a past demo day's guests all answered; a planned one's
partly). The mail the services queue is dropped (seeded history is not news).

Idempotent: a demo day that already has guests is left as it is.

The event's seed calls it once per demo day it makes:

    from accelerator.demoday.guest_seed import guest_specs, seed_guests
    specs = guest_specs(seed_dir)
    created += seed_guests(demo_day, specs.get(cohort.name, {}), echo)
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from accelerator.auth.models import Role, User
from accelerator.core.mail import mail_dropped
from accelerator.core.types import clock_at, utcnow
from accelerator.demoday import guests
from accelerator.demoday.models import DemoDay, Guest
from accelerator.extensions import db

FILE = "demoday_guests.json"


def _staff() -> User | None:
    """The first active staff member (the demo's staff invite the guests)."""
    return db.session.scalar(
        select(User)
        .where(User.role.in_([Role.STAFF, Role.ADMIN]), User.active)
        .order_by(User.role != Role.STAFF, User.id)
        .limit(1)
    )


def guest_specs(seed_dir: Path) -> dict[str, dict[str, Any]]:
    """Each cohort's guests, by the cohort's name (empty when the file is absent)."""
    path = Path(seed_dir) / FILE
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("cohorts", {})


def seed_guests(demo_day: DemoDay, spec: dict[str, Any], echo) -> int:
    """Add, invite and answer for the guests of `spec`; returns how many guests were added."""
    rows = spec.get("guests") or []
    if not rows:
        return 0
    if db.session.scalar(select(Guest.id).where(Guest.demo_day_id == demo_day.id).limit(1)):
        return 0
    staff = _staff()
    if staff is None:
        echo("  demo day guests: program staff are needed to invite guests; nothing seeded.")
        return 0
    now = utcnow()
    latest = now - timedelta(minutes=1)
    invited_at = min(
        demo_day.starts_at - timedelta(days=spec.get("invite_days_before", 30)), latest
    )
    added = []
    with mail_dropped():
        with clock_at(invited_at - timedelta(hours=1)):
            for row in rows:
                fields = {
                    key: row.get(key, "") for key in ("name", "email", "firm", "kind", "locale")
                }
                added.append((guests.add_guest(demo_day, fields=fields, actor=staff), row))
        with clock_at(invited_at):
            guests.invite(demo_day, actor=staff)
        last_answer = min(demo_day.starts_at - timedelta(hours=2), latest)
        for index, (guest, row) in enumerate(added):
            if not row.get("answer"):
                continue
            moment = min(invited_at + timedelta(days=1 + index % 10, hours=index % 7), last_answer)
            if moment <= invited_at:
                continue
            with clock_at(moment):
                guests.respond(
                    guest,
                    answer=row["answer"],
                    plus_ones=min(row.get("plus_ones", 0), demo_day.plus_ones_max),
                    dietary=row.get("dietary", ""),
                    now=moment,
                )
    db.session.flush()
    echo(f"  demo day guests: {len(added)} guests added.")
    return len(added)
