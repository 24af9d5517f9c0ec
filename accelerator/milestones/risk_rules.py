"""The milestones domain's at-risk rules, one function each, answering for a whole cohort.

Thresholds come from the config: RISK_MISSED_CHECKINS (periods in a row without a check-in),
RISK_RED_CHECKINS (latest check-ins reported red), RISK_OVERDUE_GRACE_DAYS (days past due before
an open milestone counts), RISK_FLAT_KPI_PERIODS (check-ins without revenue or user growth).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context
from sqlalchemy import select

from accelerator.applications.queries import timezone_of
from accelerator.core.i18n import gettext as _
from accelerator.core.i18n import ngettext
from accelerator.core.timeutil import local_today
from accelerator.extensions import db
from accelerator.milestones.models import CheckIn, Health, Milestone
from accelerator.milestones.periods import cadence_of, elapsed_periods
from accelerator.programs.models import Cohort, Enrollment


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _today(cohort: Cohort, now: datetime):
    return local_today(timezone_of(cohort), now)


def _shared(key: tuple, read):
    """What several rules read, read once per request (`flags_for` asks them in turn)."""
    if not has_request_context():
        return read()
    cache = g.setdefault("_risk_reads", {})
    if key not in cache:
        cache[key] = read()
    return cache[key]


def _enrollments(cohort_id: int, startup_ids: Sequence[int]) -> dict[int, int]:
    """enrollment id -> startup id for the cohort's startups asked about."""
    ids = tuple(startup_ids)
    return _shared(
        ("enrollments", cohort_id, ids),
        lambda: dict(
            db.session.execute(
                select(Enrollment.id, Enrollment.startup_id).where(
                    Enrollment.cohort_id == cohort_id, Enrollment.startup_id.in_(ids)
                )
            ).all()
        ),
    )


#: The columns of a check-in the rules read (rows, not entities: nothing is changed).
_CHECKIN_COLUMNS = (
    CheckIn.enrollment_id,
    CheckIn.period_on,
    CheckIn.health,
    CheckIn.blockers,
    CheckIn.revenue_cents,
    CheckIn.active_users,
)


def _checkins(enrollment_ids) -> dict[int, list]:
    """Each enrollment's check-ins, newest period first (one query)."""
    ids = tuple(enrollment_ids)

    def read() -> dict[int, list]:
        found: dict[int, list] = defaultdict(list)
        for checkin in db.session.execute(
            select(*_CHECKIN_COLUMNS)
            .where(CheckIn.enrollment_id.in_(ids))
            .order_by(CheckIn.enrollment_id, CheckIn.period_on.desc())
        ):
            found[checkin.enrollment_id].append(checkin)
        return dict(found)

    return _shared(("checkins", ids), read)


def missed_checkins(cohort_id: int, startup_ids: Sequence[int], now: datetime):
    """No check-in for the last N periods that are over."""
    wanted = _setting("RISK_MISSED_CHECKINS", 2)
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or wanted < 1:
        return {}
    today = _today(cohort, now)
    over = elapsed_periods(cohort.starts_on, cohort.ends_on, cadence_of(cohort.id), today)
    if len(over) < wanted:
        return {}
    last = {p.starts_on for p in over[-wanted:]}
    enrollments = _enrollments(cohort_id, startup_ids)
    reported = {
        (enrollment_id, checkin.period_on)
        for enrollment_id, checkins in _checkins(enrollments).items()
        for checkin in checkins
        if checkin.period_on in last
    }
    reason = ngettext(
        "Missed the last check-in.", "Missed the last %(num)d check-ins in a row.", wanted
    )
    return {
        startup_id: [reason]
        for enrollment_id, startup_id in enrollments.items()
        if not any((enrollment_id, day) in reported for day in last)
    }


def reported_red(cohort_id: int, startup_ids: Sequence[int], now: datetime):
    """The latest check-in (or the latest N) reported red."""
    wanted = max(_setting("RISK_RED_CHECKINS", 1), 1)
    enrollments = _enrollments(cohort_id, startup_ids)
    flags = {}
    for enrollment_id, checkins in _checkins(enrollments).items():
        latest = checkins[:wanted]
        if len(latest) == wanted and all(c.health == Health.RED for c in latest):
            reason = _(
                "Reported red health in the check-in of %(period)s.",
                period=latest[0].period_on.isoformat(),
            )
            if latest[0].blockers:
                reason += " " + _("Blockers: %(text)s", text=latest[0].blockers[:200])
            flags[enrollments[enrollment_id]] = [reason]
    return flags


def overdue_milestone(cohort_id: int, startup_ids: Sequence[int], now: datetime):
    """A milestone overdue for more than the grace days."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        return {}
    grace = _setting("RISK_OVERDUE_GRACE_DAYS", 0)
    limit = _today(cohort, now) - timedelta(days=grace)
    enrollments = _enrollments(cohort_id, startup_ids)
    flags: dict[int, list[str]] = defaultdict(list)
    for milestone in db.session.execute(  # rows of what the reason says, not entities
        select(Milestone.enrollment_id, Milestone.title, Milestone.due_on)
        .where(Milestone.enrollment_id.in_(list(enrollments)), Milestone.overdue_on(limit))
        .order_by(Milestone.due_on)
    ):
        flags[enrollments[milestone.enrollment_id]].append(
            _(
                "Milestone “%(title)s” is overdue (due %(due)s).",
                title=milestone.title,
                due=milestone.due_on.isoformat(),
            )
        )
    return dict(flags)


def flat_kpis(cohort_id: int, startup_ids: Sequence[int], now: datetime):
    """Neither revenue nor active users grew over the last N check-ins."""
    wanted = _setting("RISK_FLAT_KPI_PERIODS", 4)
    if wanted < 2:
        return {}
    enrollments = _enrollments(cohort_id, startup_ids)
    flags = {}
    for enrollment_id, checkins in _checkins(enrollments).items():
        window = checkins[:wanted]
        if len(window) < wanted:
            continue
        newest, oldest = window[0], window[-1]
        if (
            newest.revenue_cents <= oldest.revenue_cents
            and newest.active_users <= oldest.active_users
        ):
            flags[enrollments[enrollment_id]] = [
                _("No growth in revenue or active users over the last %(n)d check-ins.", n=wanted)
            ]
    return flags
