"""Reminders by mail: check-ins due and missing, milestones due in a few days and overdue.

Each reminder has a key (what, whose, which period or due date). Queuing it first inserts the
key into `sent_reminders` (UNIQUE) in a savepoint: a key already there, or being inserted by a
second process at the same moment (PostgreSQL makes it wait for the first to commit), means the
reminder is already on its way, so it is skipped. The mail is queued in the same transaction as
the key, so a crash loses neither one without the other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_emails, timezone_of
from accelerator.core.timeutil import local_today
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.milestones import notify
from accelerator.milestones.models import Milestone, SentReminder
from accelerator.milestones.periods import cadences_of, elapsed_periods, period_containing
from accelerator.milestones.queries import reported_periods
from accelerator.programs.models import Cohort, Enrollment, Program


def claim(key: str, recipients: int) -> bool:
    """Record that reminder `key` goes out now; False when it already went (or is going)."""
    return add_unique(SentReminder(key=key, recipients=recipients))


def _running(now: datetime):
    """Enrollments of cohorts around today (a day's margin for timezones), with their context."""
    today = now.date()
    rows = db.session.execute(
        select(Enrollment, Cohort, Program, Startup)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Cohort.starts_on <= today + timedelta(days=1))
        .where(Cohort.ends_on >= today - timedelta(days=1))
        .order_by(Enrollment.id)
    ).all()
    return rows


def _founders(startup_ids) -> dict[int, list[str]]:
    """Each startup's founders' addresses (read once per startup)."""
    return {startup_id: founder_emails(startup_id) for startup_id in set(startup_ids)}


def _queue(key: str, event: str, emails: list[str], **kwargs) -> int:
    if not emails or not claim(key, len(emails)):
        return 0
    notify.send(event, emails, **kwargs)
    return 1


def checkin_reminders(now: datetime) -> int:
    """The current period's check-in when its last days come; the last period's when missed."""
    rows = _running(now)
    if not rows:
        return 0
    days_left = int(current_app.config.get("REMINDER_CHECKIN_DAYS_LEFT", 2))
    cadences = cadences_of({cohort.id for _e, cohort, _p, _s in rows})
    emails = _founders({e.startup_id for e, *_rest in rows})
    reported = reported_periods(e.id for e, *_rest in rows)
    queued = 0
    for enrollment, cohort, program, startup in rows:
        today = local_today(timezone_of(program), now)
        cadence = cadences[cohort.id]
        if today > cohort.ends_on or today < cohort.starts_on:
            continue
        common = {
            "startup_name": startup.name,
            "endpoint": "milestones.progress",
            "values": {"enrollment_id": enrollment.id},
            "timezone": timezone_of(program),
        }
        current = period_containing(cohort.starts_on, cohort.ends_on, cadence, today)
        if (
            current is not None
            and (enrollment.id, current.starts_on) not in reported
            and (current.ends_on - today).days < days_left
        ):
            queued += _queue(
                f"checkin-due:{enrollment.id}:{current.starts_on.isoformat()}",
                "reminder_checkin_due",
                emails[enrollment.startup_id],
                title=current.starts_on.isoformat(),
                last_day=current.ends_on.isoformat(),
                **common,
            )
        over = elapsed_periods(cohort.starts_on, cohort.ends_on, cadence, today)
        if over and (enrollment.id, over[-1].starts_on) not in reported:
            queued += _queue(
                f"checkin-missed:{enrollment.id}:{over[-1].starts_on.isoformat()}",
                "reminder_checkin_missed",
                emails[enrollment.startup_id],
                title=over[-1].starts_on.isoformat(),
                **common,
            )
    return queued


def milestone_reminders(now: datetime) -> int:
    """Open milestones due within REMINDER_MILESTONE_DAYS, and open milestones past due."""
    rows = _running(now)
    if not rows:
        return 0
    ahead = int(current_app.config.get("REMINDER_MILESTONE_DAYS", 3))
    by_enrollment = {e.id: (e, c, p, s) for e, c, p, s in rows}
    emails = _founders({e.startup_id for e, *_rest in rows})
    queued = 0
    for milestone in db.session.scalars(
        select(Milestone)
        .where(
            Milestone.enrollment_id.in_(list(by_enrollment)),
            Milestone.still_due,
            Milestone.due_on <= now.date() + timedelta(days=ahead + 1),
        )
        .order_by(Milestone.id)
    ):
        enrollment, _cohort, program, startup = by_enrollment[milestone.enrollment_id]
        today = local_today(timezone_of(program), now)
        if milestone.overdue_on(today):
            kind = "overdue"
        elif (milestone.due_on - today).days <= ahead:
            kind = "due"
        else:
            continue
        queued += _queue(
            f"milestone-{kind}:{milestone.id}:{milestone.due_on.isoformat()}",
            f"reminder_milestone_{kind}",
            emails[enrollment.startup_id],
            startup_name=startup.name,
            title=milestone.title,
            endpoint="milestones.milestone",
            values={"milestone_id": milestone.id},
            due_on=milestone.due_on.isoformat(),
        )
    return queued


def send_due(now: datetime) -> int:
    """Every reminder of this domain due at `now` (`flask reminders send`, via hooks.py)."""
    return checkin_reminders(now) + milestone_reminders(now)
