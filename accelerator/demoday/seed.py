"""The demoday domain's demo data (seed_data/demoday.json), through its services, each act
under `clock_at` on its own day in the program's timezone (never later than now).

The file holds one entry per cohort; each part of the domain reads its own key of the entry:
`event` here (`_event`), and the guests and follow-up parts add theirs (see `seed`).
Idempotent: a cohort that has its demo day keeps it as it is.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.core.mail import mail_dropped
from accelerator.core.timeutil import local_to_utc, local_today
from accelerator.core.types import clock_at, utcnow
from accelerator.demoday import followup_seed, services
from accelerator.demoday.guest_seed import guest_specs, seed_guests
from accelerator.demoday.models import DemoDay, Slot
from accelerator.extensions import db
from accelerator.grants.seed import staff_pair
from accelerator.milestones.seed import founder_of
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import demo_day as named_demo_day


def seed(seed_dir: Path, echo) -> int:
    path = seed_dir / "demoday.json"
    if not path.exists():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    people = staff_pair()
    if people is None:
        echo("  demoday: program staff are needed to plan demo days; nothing seeded.")
        return 0
    created = 0
    guest_data = guest_specs(seed_dir)
    with mail_dropped():
        for entry in data["demo_days"]:
            cohort = _cohort(entry)
            if cohort is None:
                echo(f"  demoday: no cohort {entry['cohort']!r} of {entry['program']!r}; skipped.")
                continue
            if "event" in entry:
                created += _event(cohort, entry["event"], actor=people[0], echo=echo)
            demo_day = db.session.scalar(select(DemoDay).where(DemoDay.cohort_id == cohort.id))
            if demo_day is None:
                continue
            # The other parts of the domain, each from its own file, idempotent on the day.
            created += seed_guests(demo_day, guest_data.get(cohort.name, {}), echo)
    db.session.flush()
    # The follow-up (arrivals, asks, introductions) of past demo days, once their guests exist.
    created += followup_seed.load(seed_dir, echo)
    db.session.flush()
    return created


def _cohort(entry: dict) -> Cohort | None:
    return db.session.scalar(
        select(Cohort)
        .join(Program, Program.id == Cohort.program_id)
        .where(Program.name == entry["program"], Cohort.name == entry["cohort"])
    )


class _Clock:
    """Moments before the event, in the program's zone, never later than now."""

    def __init__(self, starts_at: datetime) -> None:
        self.starts_at, self.now = starts_at, utcnow()

    def before(self, days: int, hours: int = 0):
        moment = self.starts_at - timedelta(days=days, hours=hours)
        return clock_at(min(moment, self.now - timedelta(minutes=1)))


def _starts_at(cohort: Cohort, spec: dict, tz: str) -> datetime:
    if spec.get("day") == "named":
        day = named_demo_day(cohort)
    else:
        day = local_today(tz) + timedelta(days=int(spec.get("days_from_today", 0)))
    hour, minute = (int(part) for part in spec.get("time", "14:00").split(":"))
    return local_to_utc(datetime.combine(day, time(hour, minute)), tz)


def _event(cohort: Cohort, spec: dict, *, actor: User, echo) -> int:
    """The cohort's demo day: planned, its breaks, its startups' materials, published."""
    if db.session.scalar(select(DemoDay.id).where(DemoDay.cohort_id == cohort.id)) is not None:
        return 0  # seeded before, or planned by people: left alone
    tz = db.session.get(Program, cohort.program_id).timezone
    starts_at = _starts_at(cohort, spec, tz)
    clock = _Clock(starts_at)
    fields = services.EventFields(
        starts_at=starts_at,
        venue=spec.get("venue", ""),
        online_url=spec.get("online_url", ""),
        description=spec.get("description", ""),
        pitch_minutes=spec.get("pitch_minutes", 5),
        changeover_minutes=spec.get("changeover_minutes", 2),
        capacity=spec.get("capacity", 120),
        plus_ones_max=spec.get("plus_ones_max", 1),
    )
    with clock.before(spec.get("planned_days_before", 30)):
        demo_day = services.plan_demo_day(cohort, fields=fields, actor=actor)
        for pause in spec.get("breaks", []):
            position = max(0, int(pause["before"]) - 1)
            count = len(
                list(db.session.scalars(select(Slot.id).where(Slot.demo_day_id == demo_day.id)))
            )
            services.add_break(
                demo_day,
                title=pause["title"],
                minutes=pause["minutes"],
                position=min(position, count),
                actor=actor,
            )
    created = 1
    for days, material in enumerate(spec.get("materials", []), start=3):
        created += _materials(demo_day, material, clock, days, echo)
    if spec.get("published"):
        with clock.before(spec.get("published_days_before", 14)):
            services.publish(demo_day, actor=actor)
    db.session.flush()
    return created


def _materials(demo_day: DemoDay, spec: dict, clock: _Clock, days: int, echo) -> int:
    """A startup's pitch and deck, given by its founder `days` before the event."""
    row = db.session.execute(
        select(Slot, Startup)
        .join(Startup, Startup.id == Slot.startup_id)
        .where(Slot.demo_day_id == demo_day.id, Startup.name == spec["startup"])
    ).first()
    if row is None:
        echo(f"  demoday: {spec['startup']} has no slot; its materials are not seeded.")
        return 0
    slot, startup = row
    actor = founder_of(startup.id)
    if actor is None:
        return 0
    deck = _deck(startup.name) if spec.get("deck") else None
    with clock.before(days, hours=3):
        services.update_materials(slot, pitch=spec.get("pitch", ""), deck=deck, actor=actor)
    return 1


def _deck(name: str) -> FileStorage:
    """A one-page PDF naming the startup, as a founder's upload."""
    text = f"{name} - Demo day".encode("latin-1", "replace")
    stream = b"BT /F1 24 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    filename = "".join(c if c.isalnum() else "-" for c in name.lower()) + "-final-deck.pdf"
    return FileStorage(
        io.BytesIO(out.getvalue()), filename=filename, content_type="application/pdf"
    )
