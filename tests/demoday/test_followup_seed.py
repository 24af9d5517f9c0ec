"""The follow-up's demo data: arrivals, asks and introductions through the services, dated in
the past, idempotent, skipping what is not found."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.types import utcnow
from accelerator.demoday import followup_seed
from accelerator.demoday.models import DemoDay, Guest, Interest, Rsvp
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from tests import factories
from tests.demoday.followup_builders import event

ROOT = Path(__file__).resolve().parents[2]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_seed_acts_in_the_past_once_and_skips_what_is_missing(db):
    world = event(hours=24 * 200)
    day = world.demo_day
    emails = ["claire.dubois@partech.example", "lucas.martin@eurazeo.example"]
    for email, name in zip(emails, ["Claire Dubois", "Lucas Martin"], strict=True):
        factories.make_guest(day, rsvp=Rsvp.YES, email=email, name=name)
    factories.make_guest(day, rsvp=Rsvp.YES, name="Other Yes")
    factories.make_guest(day, rsvp=Rsvp.MAYBE, email="karim.haddad@serena.example")
    factories.make_guest(day, rsvp=Rsvp.NO, name="Never Came")
    spec = {
        "staff": world.staff.email,
        "absent": ["lucas.martin@eurazeo.example", "unknown@nowhere.example"],
        "walk_ins": ["karim.haddad@serena.example", "ghost@nowhere.example"],
        "interests": [
            {
                "guest": "claire.dubois@partech.example",
                "startup": "Société Éclair",
                "hours_after": 2,
                "introduced": {"days_after": 2, "note": "Call set up."},
            },
            {"guest": "claire.dubois@partech.example", "startup": "Zèbre Robotics"},
            {"guest": "ghost@nowhere.example", "startup": "Société Éclair"},
            {"guest": "claire.dubois@partech.example", "startup": "No Such Startup"},
        ],
    }
    mails = _count(OutboxEmail)
    created = followup_seed.seed_followup(day, spec, lambda *_: None)
    assert created == 3 + 2 + 1  # Claire, Other Yes, the walk-in; two asks; one introduction
    arrived = {
        g.email: g.checked_in_at
        for g in db.session.scalars(select(Guest).where(Guest.demo_day_id == day.id))
    }
    assert arrived["lucas.martin@eurazeo.example"] is None
    assert arrived["karim.haddad@serena.example"] is not None
    assert all(
        day.starts_at - timedelta(hours=1) <= at <= day.starts_at + timedelta(hours=1)
        for at in arrived.values()
        if at is not None
    )
    asks = list(db.session.scalars(select(Interest)))
    assert len(asks) == 2
    introduced = [a for a in asks if a.introduced_at is not None]
    assert len(introduced) == 1 and introduced[0].introduction_note == "Call set up."
    assert introduced[0].introduced_at < utcnow() - timedelta(days=100)
    assert _count(OutboxEmail) == mails

    events = _count(AuditEvent)
    assert followup_seed.seed_followup(day, spec, lambda *_: None) == 0
    assert _count(AuditEvent) == events and len(list(db.session.scalars(select(Interest)))) == 2


def test_a_demo_day_to_come_gets_no_follow_up(db):
    world = event(started=False)
    factories.make_guest(world.demo_day, rsvp=Rsvp.YES)
    assert followup_seed.seed_followup(world.demo_day, {}, lambda *_: None) == 0


def test_the_seed_file_names_season_11_and_load_finds_its_demo_day(db, tmp_path):
    data = json.loads((ROOT / "seed_data/demoday_followup.json").read_text(encoding="utf-8"))
    (spec,) = data["cohorts"]
    assert (spec["program"], spec["cohort"]) == ("Orange Fab France", "Season 11")
    assert len(spec["interests"]) >= 10
    assert len({i["startup"] for i in spec["interests"]}) == 6
    assert sum(1 for i in spec["interests"] if i.get("introduced")) >= 3

    world = event(hours=24 * 200)
    cohort = db.session.get(Cohort, world.demo_day.cohort_id)
    program = db.session.get(Program, cohort.program_id)
    guest_email = "claire.dubois@partech.example"
    factories.make_guest(world.demo_day, rsvp=Rsvp.YES, email=guest_email)
    mine = {
        "cohorts": [
            {
                "program": program.name,
                "cohort": cohort.name,
                "interests": [{"guest": guest_email, "startup": "Zèbre Robotics"}],
            },
            {"program": "Nowhere", "cohort": "Season 0"},
        ]
    }
    (tmp_path / followup_seed.SEED_FILE).write_text(json.dumps(mine), encoding="utf-8")
    assert followup_seed.load(tmp_path, lambda *_: None) == 2
    assert followup_seed.load(tmp_path, lambda *_: None) == 0
    assert db.session.scalar(select(func.count()).select_from(DemoDay)) >= 1


def test_an_event_starting_just_after_midnight_has_its_arrivals_on_its_day(db):
    """The door opens on the event's day in its timezone: the seed's early arrivals of an event
    at 00:10 come at midnight, not the evening before (whatever the hour the seed runs)."""
    from datetime import datetime, time

    from accelerator.core.timeutil import local_to_utc, to_local
    from accelerator.programs.queries import cohort_timezone

    world = event(hours=24 * 200)
    day = world.demo_day
    tz = cohort_timezone(day.cohort_id)
    local_day = to_local(day.starts_at, tz).date()
    day.starts_at = local_to_utc(datetime.combine(local_day, time(0, 10)), tz)
    for name in ("Anaïs Aubert", "Bruno Blanc", "Chloé Caron"):
        factories.make_guest(day, rsvp=Rsvp.YES, name=name)
    db.session.flush()
    assert followup_seed.seed_followup(day, {"staff": world.staff.email}, lambda *_: None) >= 3
    arrived = db.session.scalars(
        select(Guest.checked_in_at).where(Guest.demo_day_id == day.id, Guest.rsvp == Rsvp.YES)
    ).all()
    assert arrived and all(at is not None for at in arrived)
    assert {to_local(at, tz).date() for at in arrived} == {local_day}
