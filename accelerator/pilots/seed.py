"""Demo business units, their partners, and the introductions and pilots of Seasons 11 and 12
(seed_data/pilots.json).

Six units (five for Orange Fab France, Orange Silicon Valley for the US program), each with
partners who sign in with the demo password (`partner@example.org` in Orange Business).
Season 12, running, has a pilot in each state (one overdue for decision, one go with its
contract value) and introductions in each state, asked by founders, a mentor and a partner;
Season 11, completed, has closed pilots with their lessons. Every act goes through the
services under `clock_at`, on its own day in the program's timezone, so the history and the
days to decision read right; the mail they queue is dropped (history is not news). Season 12's
days count from the day it is seeded, so the overdue pilot is overdue whenever the demo runs.
Idempotent: a unit or a partner that exists is left as it is, and so is a cohort that has
introductions.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.auth import services as auth_services
from accelerator.auth.models import Role, User
from accelerator.auth.seed import DEMO_PASSWORD
from accelerator.auth.services import find_user_by_email
from accelerator.core.mail import mail_dropped
from accelerator.core.text import name_key
from accelerator.core.timeutil import local_to_utc, local_today
from accelerator.core.types import clock_at, utcnow
from accelerator.extensions import db
from accelerator.grants.seed import staff_pair
from accelerator.milestones.seed import enrolled, founder_of
from accelerator.pilots import services
from accelerator.pilots.models import BusinessUnit, Decision, Introduction, Pilot
from accelerator.programs.models import Cohort, Program

#: The wall time of each kind of act, in the program's timezone.
HOURS = {
    "unit": time(9, 0),
    "asked": time(9, 40),
    "forwarded": time(11, 15),
    "answer": time(15, 30),
    "created": time(10, 0),
    "started": time(9, 0),
    "results": time(17, 0),
    "decided": time(16, 0),
    "closed": time(11, 0),
    "stopped": time(14, 0),
}


class _Calendar:
    """The days of one program: day offsets from an anchor, acts at their wall time, never
    later than now."""

    def __init__(self, tz: str, anchor: date) -> None:
        self.tz, self.anchor = tz, anchor
        self.now = utcnow()

    def day(self, offset: int) -> date:
        return self.anchor + timedelta(days=offset)

    def at(self, offset: int, act: str):
        moment = local_to_utc(datetime.combine(self.day(offset), HOURS[act]), self.tz)
        return clock_at(min(moment, self.now - timedelta(minutes=1)))


def seed(seed_dir: Path, echo) -> int:
    path = seed_dir / "pilots.json"
    if not path.exists():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    people = staff_pair()
    if people is None:
        echo("  pilots: program staff are needed to set up business units; nothing seeded.")
        return 0
    created = 0
    with mail_dropped():
        units: dict[str, BusinessUnit] = {}
        for spec in data["units"]:
            unit, made = _unit(spec, actor=people[0], echo=echo)
            if unit is not None:
                units[unit.name] = unit
                created += made
        for spec in data["cohorts"]:
            created += _cohort(spec, units, echo)
    db.session.flush()
    return created


# --- Business units and partners ---------------------------------------------------------------


def _program(name: str) -> Program | None:
    return db.session.scalar(select(Program).where(Program.name == name))


def _unit(spec: dict, *, actor: User, echo) -> tuple[BusinessUnit | None, int]:
    program = _program(spec["program"])
    if program is None:
        echo(f"  pilots: no program {spec['program']!r}; {spec['name']} not seeded.")
        return None, 0
    calendar = _Calendar(program.timezone, local_today(program.timezone))
    unit = db.session.scalar(
        select(BusinessUnit).where(
            BusinessUnit.program_id == program.id, BusinessUnit.name_key == name_key(spec["name"])
        )
    )
    created = 0
    with calendar.at(spec.get("created_day", -1), "unit"):
        if unit is None:
            lead = find_user_by_email(spec["staff_lead"])
            fields = services.UnitFields(
                name=spec["name"],
                country=spec["country"],
                sponsor_name=spec["sponsor_name"],
                sponsor_title=spec["sponsor_title"],
                description=spec["description"],
                staff_lead_id=lead.id if lead is not None and lead.is_staff else None,
            )
            unit = services.create_unit(program=program, fields=fields, actor=actor)
            created += 1
        for partner in spec["partners"]:
            created += _partner(unit, partner, actor=actor, echo=echo)
        db.session.flush()
    return unit, created


def _partner(unit: BusinessUnit, spec: dict, *, actor: User, echo) -> int:
    """A partner with the demo password in `unit`; an existing account is left alone."""
    if find_user_by_email(spec["email"]) is not None:
        return 0
    user = auth_services.create_user(
        email=spec["email"],
        name=spec["name"],
        password=DEMO_PASSWORD,
        role=Role.PARTNER,
        actor=actor,
    )
    db.session.flush()
    services.add_partner(unit, user, actor=actor)
    return 1


# --- Introductions and pilots ---------------------------------------------------------------


def _cohort(spec: dict, units: dict[str, BusinessUnit], echo) -> int:
    cohort = db.session.scalar(
        select(Cohort)
        .join(Program, Program.id == Cohort.program_id)
        .where(Program.name == spec["program"], Cohort.name == spec["name"])
    )
    if cohort is None:
        return 0
    if db.session.scalar(
        select(func.count(Introduction.id)).where(Introduction.cohort_id == cohort.id)
    ):
        return 0  # seeded before, or people have been at work: left alone
    startups = {startup.name: startup for _enrollment, startup in enrolled(cohort)}
    if not startups:
        echo(f"  pilots: {spec['name']} has no enrolled startups yet; no introductions seeded.")
        return 0
    tz = db.session.get(Program, cohort.program_id).timezone
    anchor = cohort.starts_on if spec["days_from"] == "start" else local_today(tz)
    calendar = _Calendar(tz, anchor)
    created = 0
    for story in spec["stories"]:
        startup, unit = startups.get(story["startup"]), units.get(story["unit"])
        if startup is None or unit is None:
            echo(f"  pilots: skipped {story['startup']} / {story['unit']}: not seeded.")
            continue
        created += _story(story, startup, unit, calendar)
    return created


def _actor(who: str, startup: Startup, unit: BusinessUnit) -> User:
    """'founder', 'staff' (the unit's staff lead, or the demo staff) or an email."""
    if who == "founder":
        user = founder_of(startup.id)
    elif who == "staff":
        lead = db.session.get(User, unit.staff_lead_id) if unit.staff_lead_id else None
        user = lead or staff_pair()[0]
    else:
        user = find_user_by_email(who)
    if user is None:
        raise LookupError(f"pilots seed: no user {who!r} for {startup.name}")
    return user


def _story(story: dict, startup: Startup, unit: BusinessUnit, calendar: _Calendar) -> int:
    """One introduction as it happened, and the pilot it became."""
    with calendar.at(story["asked"], "asked"):
        introduction = services.ask_introduction(
            startup=startup,
            unit=unit,
            reason=story["reason"],
            actor=_actor(story["asked_by"], startup, unit),
        )
        db.session.flush()
    if "forwarded" in story:
        with calendar.at(story["forwarded"], "forwarded"):
            services.forward_introduction(introduction, actor=_actor("staff", startup, unit))
            db.session.flush()
    answer = story.get("answer")
    if answer:
        by = _actor(answer["by"], startup, unit)
        with calendar.at(answer["day"], "answer"):
            if answer["as"] == "accepted":
                services.accept_introduction(introduction, note=answer["note"], actor=by)
            elif answer["as"] == "declined":
                services.decline_introduction(introduction, reason=answer["note"], actor=by)
            else:
                services.withdraw_introduction(introduction, reason=answer["note"], actor=by)
            db.session.flush()
    if "pilot" in story:
        _pilot(story["pilot"], introduction, calendar)
        return 2
    return 1


def _fields(spec: dict, calendar: _Calendar, *, results: bool) -> services.PilotFields:
    owner = find_user_by_email(spec["owner"])
    return services.PilotFields(
        title=spec["title"],
        scope_in=spec["scope_in"],
        scope_out=spec["scope_out"],
        budget_cents=spec["budget_cents"],
        currency="EUR",
        starts_on=calendar.day(spec["starts_on"]),
        ends_on=calendar.day(spec["ends_on"]),
        decision_on=calendar.day(spec["decision_on"]),
        owner_id=owner.id if owner is not None else None,
        criteria=[
            services.Criterion(measure, target, actual if results else "")
            for measure, target, actual in spec["criteria"]
        ],
    )


def _pilot(spec: dict, introduction: Introduction, calendar: _Calendar) -> Pilot:
    """Scoped by its owner, then started, its results recorded, decided, closed or stopped,
    each on its day."""
    actor = find_user_by_email(spec["owner"])
    with calendar.at(spec["created"], "created"):
        pilot = services.create_pilot(
            introduction, fields=_fields(spec, calendar, results=False), actor=actor
        )
        db.session.flush()
    if "started" in spec:
        with calendar.at(spec["started"], "started"):
            services.start_pilot(pilot, actor=actor, today=calendar.day(spec["started"]))
            db.session.flush()
    if "results" in spec:
        with calendar.at(spec["results"], "results"):
            services.update_pilot(pilot, fields=_fields(spec, calendar, results=True), actor=actor)
            db.session.flush()
    if "decided" in spec:
        decided = spec["decided"]
        with calendar.at(decided["day"], "decided"):
            services.decide_pilot(
                pilot,
                decision=Decision(decided["decision"]),
                actor=actor,
                contract_reference=decided.get("contract_reference", ""),
                contract_value_cents=decided.get("contract_value_cents"),
                reason=decided.get("reason", ""),
            )
            db.session.flush()
    if "closed" in spec:
        with calendar.at(spec["closed"]["day"], "closed"):
            services.close_pilot(pilot, lessons=spec["closed"]["lessons"], actor=actor)
            db.session.flush()
    if "stopped" in spec:
        with calendar.at(spec["stopped"]["day"], "stopped"):
            services.stop_pilot(pilot, reason=spec["stopped"]["reason"], actor=actor)
            db.session.flush()
    return pilot
