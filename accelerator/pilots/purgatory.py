"""The purgatory guard: a running pilot past its go/no-go date without a decision is *overdue
for decision*. It flags the startup at risk and mails the pilot's owner and the unit's staff
lead once a week until someone decides or moves the date (and says so in the history).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import User
from accelerator.core.i18n import gettext as _
from accelerator.core.timeutil import local_today
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.milestones.models import SentReminder
from accelerator.pilots import notify, queries
from accelerator.pilots.models import BusinessUnit, Pilot, PilotStatus
from accelerator.programs.models import Cohort


def overdue_decisions(cohort_id: int, startup_ids: Sequence[int], now: datetime):
    """At-risk rule: the startups with a pilot overdue for decision, with the unit and date."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not startup_ids:
        return {}
    today = local_today(timezone_of(cohort), now)
    flagged: dict[int, list[str]] = {}
    for startup_id, pilots in queries.overdue_by_startup(startup_ids, today).items():
        flagged[startup_id] = [
            _(
                "The pilot with %(unit)s was to be decided by %(date)s and is overdue for "
                "decision.",
                unit=unit_name,
                date=pilot.decision_on.isoformat(),
            )
            for pilot, unit_name in pilots
        ]
    return flagged


def overdue_reminders(now: datetime) -> int:
    """Mail each pilot overdue for decision to its owner and staff lead, once per week (the
    ISO week of the program's today): the key makes a second run in the week send nothing."""
    rows = db.session.execute(
        select(Pilot, Startup.name, BusinessUnit, User.email)
        .join(Startup, Startup.id == Pilot.startup_id)
        .join(BusinessUnit, BusinessUnit.id == Pilot.business_unit_id)
        .outerjoin(User, (User.id == Pilot.owner_id) & User.active)
        .where(Pilot.status == PilotStatus.RUNNING.value)
        # a day's margin: each program has its own today, checked below
        .where(Pilot.decision_on < (now + timedelta(days=1)).date())
        .order_by(Pilot.id)
    ).all()
    sent = 0
    for pilot, startup_name, unit, owner_email in rows:
        today = local_today(timezone_of(pilot), now)
        if not pilot.overdue_on(today):
            continue
        year, week, _day = today.isocalendar()
        key = f"pilot-overdue:{pilot.id}:{year}-W{week:02d}"
        recipients = 1 + (owner_email is not None)
        if not add_unique(SentReminder(key=key, recipients=recipients)):
            continue
        notify.overdue(pilot, startup_name, unit, owner_email)
        sent += 1
    return sent
