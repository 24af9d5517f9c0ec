"""The alumni domain's demo data (seed_data/alumni.json), through its services.

Season 11 of Orange Fab France, completed about eight months before the seed: its startups
become alumni the day after its last day (the daily run, `reminders.send_surveys`), their
6-month surveys are mailed the day they are due and answered a few days later with realistic
figures (one startup acquired, one closed, the rest operating), and four of the six founders
agree to be listed publicly. The 12-month survey is not due yet. Every act runs under
`clock_at` on its own day in the program's timezone; the mail it queues is dropped (history is
not news). Idempotent: an answered survey is left as it is, and so is its consent.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from accelerator.alumni import reminders, services
from accelerator.alumni.models import Alumnus, Survey, SurveyStatus
from accelerator.applications.models import Startup
from accelerator.core.mail import mail_dropped
from accelerator.core.timeutil import local_to_utc
from accelerator.core.types import clock_at, utcnow
from accelerator.extensions import db
from accelerator.grants.seed import staff_pair
from accelerator.milestones.seed import founder_of
from accelerator.programs.models import Cohort, Program


def _moment(day, hour: time, tz: str) -> datetime:
    return min(local_to_utc(datetime.combine(day, hour), tz), utcnow() - timedelta(minutes=1))


def seed(seed_dir: Path, echo) -> int:
    path = seed_dir / "alumni.json"
    if not path.exists():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    found = db.session.execute(
        select(Cohort, Program.timezone)
        .join(Program, Program.id == Cohort.program_id)
        .where(Program.name == data["program"], Cohort.name == data["cohort"])
    ).first()
    if found is None:
        return 0
    cohort, tz = found
    if not services.cohort_completed(cohort):
        echo(f"  alumni: {cohort.name} has not ended yet; no alumni seeded.")
        return 0
    people = staff_pair()
    created = 0
    with mail_dropped():
        # the daily run the day after the cohort's last day, then the day the 6-month wave
        # was due: alumni, surveys, and the mail that was sent then
        first = _moment(cohort.ends_on + timedelta(days=1), time(6, 0), tz)
        with clock_at(first):
            reminders.send_surveys(first)
        due = services.months_after(cohort.ends_on, 6)
        mailed = _moment(due, time(6, 0), tz)
        with clock_at(mailed):
            reminders.send_surveys(mailed)
        db.session.flush()
        by_name = dict(
            db.session.execute(
                select(Startup.name, Alumnus)
                .join(Alumnus, Alumnus.startup_id == Startup.id)
                .where(Alumnus.cohort_id == cohort.id)
            ).all()
        )
        for spec in data["answers"]:
            alumnus = by_name.get(spec["startup"])
            if alumnus is None:
                echo(f"  alumni: {spec['startup']} is not an alumnus of {cohort.name}; skipped.")
                continue
            created += _answer(alumnus, spec, tz, staff=people[0] if people else None)
    db.session.flush()
    return created


def _answer(alumnus: Alumnus, spec: dict, tz: str, *, staff) -> int:
    survey = db.session.scalar(
        select(Survey).where(Survey.alumnus_id == alumnus.id, Survey.months == 6)
    )
    if survey is None or survey.status == SurveyStatus.ANSWERED:
        return 0  # seeded before, or answered for real
    founder = founder_of(alumnus.startup_id)
    actor = staff if spec["by"] == "staff" else founder
    if actor is None:
        return 0
    moment = _moment(survey.due_on + timedelta(days=spec["answered_day"]), time(10, 30), tz)
    fields = services.SurveyAnswers.__dataclass_fields__
    with clock_at(moment):
        services.answer_survey(
            survey,
            answers=services.SurveyAnswers(**{name: spec.get(name) for name in fields}),
            actor=actor,
            now=moment,
        )
        db.session.flush()
    if spec.get("listed") and founder is not None:
        consented = moment + timedelta(minutes=3)
        with clock_at(consented):
            services.set_listing(alumnus, listed=True, actor=founder)
            db.session.flush()
    return 1
