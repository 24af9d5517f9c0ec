"""Demo programs, cohorts and expertise tags from seed_data/programs.json (idempotent by name)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from accelerator.core.timeutil import to_local
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, ExpertiseTag, Program
from accelerator.programs.rules import CohortInput, check_cohort


def _local(today: date, day: int, clock: str) -> datetime:
    return datetime.combine(today + timedelta(days=day), time.fromisoformat(clock))


def _cohort(program: Program, spec: dict, today: date) -> Cohort:
    data = CohortInput(
        name=spec["name"],
        description=spec.get("description", ""),
        applications_open_at=_local(today, spec["open_day"], spec.get("open_time", "09:00")),
        applications_close_at=_local(today, spec["close_day"], spec.get("close_time", "18:00")),
        starts_on=today + timedelta(days=spec["start_day"]),
        ends_on=today + timedelta(days=spec["end_day"]) if "end_day" in spec else None,
    )
    state = CohortState.PUBLISHED if spec.get("published", True) else CohortState.DRAFT
    return Cohort(program_id=program.id, state=state, **check_cohort(data, program.timezone))


def _program(spec: dict) -> tuple[Program, bool]:
    program = db.session.scalar(select(Program).where(Program.name == spec["name"]))
    if program is not None:
        return program, False
    program = Program(
        name=spec["name"],
        location=spec["location"],
        timezone=spec["timezone"],
        description=spec.get("description", ""),
    )
    db.session.add(program)
    db.session.flush()
    return program, True


def seed(seed_dir: Path, echo) -> int:
    data = json.loads((seed_dir / "programs.json").read_text(encoding="utf-8"))
    created = 0
    for spec in data["programs"]:
        program, new = _program(spec)
        created += new
        today = to_local(utcnow(), program.timezone).date()
        for cohort_spec in spec.get("cohorts", []):
            exists = db.session.scalar(
                select(Cohort.id).where(
                    Cohort.program_id == program.id, Cohort.name == cohort_spec["name"]
                )
            )
            if exists is None:
                db.session.add(_cohort(program, cohort_spec, today))
                created += 1
    known = {name.casefold() for name in db.session.scalars(select(ExpertiseTag.name))}
    for name in data.get("expertise_tags", []):
        if name.casefold() not in known:
            db.session.add(ExpertiseTag(name=name))
            known.add(name.casefold())
            created += 1
    db.session.flush()
    return created
