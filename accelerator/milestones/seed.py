"""Demo progress for the running cohort (Season 12 of Orange Fab France).

Every enrolled startup has its milestones from the default plan and a weekly check-in for each
week gone by, with KPI curves that grow at each startup's own pace; milestones are in every
state (approved, submitted, sent back, dropped, planned and overdue), one approval released the
mid-program tranche (a request waiting for a second staff member on the grant page), and one
startup is at risk: it reported red, its KPIs are flat, it missed the last two check-ins and its
customer-discovery milestone is overdue. Everything goes through the services; times are moved
back into the weeks they belong to and the mail the history queued is dropped. Idempotent: a
cohort that has check-ins is left alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from accelerator.applications.models import Startup, StartupMember
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import User
from accelerator.core.mail import mail_dropped
from accelerator.core.timeutil import local_today
from accelerator.core.types import clock_at, utcnow
from accelerator.extensions import db
from accelerator.grants.seed import staff_pair
from accelerator.milestones import checkins, plans, services
from accelerator.milestones.models import CheckIn, Health, Milestone, MilestoneStatus
from accelerator.milestones.periods import cadence_of, elapsed_periods, period_containing
from accelerator.programs.models import Cohort, Enrollment, Program

PROGRAM, COHORT, PAST = "Orange Fab France", "Season 12", "Season 11"
#: Per startup (by position in name order): weekly growth of revenue and users, starting revenue
#: in dollars, starting users, headcount. The last one is the startup at risk.
CURVES = [
    (0.09, 0.12, 4_000, 120, 6),
    (0.06, 0.08, 12_000, 40, 11),
    (0.14, 0.18, 800, 600, 4),
    (0.04, 0.05, 25_000, 15, 18),
    (0.11, 0.10, 2_500, 300, 7),
    (0.0, 0.0, 1_500, 90, 5),
]
HIGHLIGHTS = [
    "Demo to the network operations team went well; two follow-up workshops booked.",
    "Closed a paying customer outside the group; onboarding ran smoothly.",
    "Shipped the integration with the business unit's ticketing system.",
    "Hired a senior engineer; the pilot scope is written and shared.",
]
ASKS = [
    "An introduction to the procurement team of the enterprise business unit.",
    "A mentor who has sold to telecom operators in Belgium.",
    "",
    "Feedback on our pricing for large accounts.",
]


def _at(day, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), UTC)


def demo_cohort(name: str) -> Cohort | None:
    """A cohort of the demo program, by name."""
    return db.session.scalar(
        select(Cohort)
        .join(Program, Program.id == Cohort.program_id)
        .where(Program.name == PROGRAM, Cohort.name == name)
    )


def enrolled(cohort: Cohort) -> list[tuple[Enrollment, Startup]]:
    """(enrollment, startup) of the cohort, by startup name."""
    return db.session.execute(
        select(Enrollment, Startup)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(Startup.name)
    ).all()


def founder_of(startup_id: int) -> User | None:
    """The startup's first founder (who fills its demo check-ins)."""
    return db.session.scalar(
        select(User)
        .join(StartupMember, StartupMember.user_id == User.id)
        .where(StartupMember.startup_id == startup_id)
        .order_by(User.id)
        .limit(1)
    )


def _checkins(enrollment, founder, periods, curve, at_risk: bool) -> int:
    revenue_growth, user_growth, revenue, users, headcount = curve
    created = 0
    for week, period in enumerate(periods):
        if at_risk and week >= len(periods) - 2:
            break  # the last two weeks: nothing from the startup at risk
        grow = (1 + revenue_growth) ** week
        flat = at_risk and week >= 1
        health = Health.GREEN
        if at_risk:
            health = Health.AMBER if week < len(periods) - 3 else Health.RED
        elif week % 4 == 3:
            health = Health.AMBER
        data = checkins.CheckinInput(
            health=health.value,
            revenue_cents=int(revenue * (1 if flat else grow)) * 100,
            active_users=int(users * (1 if flat else (1 + user_growth) ** week)),
            headcount=headcount + (0 if at_risk else week // 4),
            raised_cents=(150_000_00 if week == 3 and curve[2] > 10_000 else 0),
            pilots=0 if at_risk else min(week // 3, 3),
            highlights=HIGHLIGHTS[week % len(HIGHLIGHTS)]
            if not at_risk
            else "Still talking to the BU.",
            blockers="The business unit's sponsor left; no pilot owner."
            if at_risk and health == Health.RED
            else "",
            asks=ASKS[week % len(ASKS)],
        )
        with clock_at(_filled_at(period)):
            checkins.submit_checkin(
                enrollment, actor=founder, period_on=period.starts_on, data=data
            )
        created += 1
    return created


def _filled_at(period) -> datetime:
    """When the founder sent the period's check-in: its last day at 17:00, or the second day of
    the period under way; never later than now."""
    ended = period.ends_on < utcnow().date()
    return min(_at(period.ends_on if ended else period.starts_on + timedelta(days=1), 17), utcnow())


def _milestones(enrollment, founder, index: int, people, today) -> None:
    reviewer, _second = people
    rows = db.session.scalars(
        select(Milestone).where(Milestone.enrollment_id == enrollment.id).order_by(Milestone.due_on)
    ).all()
    at_risk = index == len(CURVES) - 1
    for milestone in rows:
        week6 = milestone.tranche_key == "midpoint"
        early = week6 and index in (1, 2)  # these two submitted the mid-program review early
        if milestone.due_on >= today and not early:
            continue  # still ahead: planned
        if at_risk and milestone.due_on > rows[0].due_on:
            continue  # the startup at risk never submitted customer discovery: overdue
        with clock_at(_at(min(milestone.due_on, today) - timedelta(days=1), 16)):
            services.submit_milestone(
                milestone,
                actor=founder,
                text="Done: see the summary shared with the program team.",
                link="https://example.org/notes",
            )
        if week6 and index == 1:
            continue  # submitted, waiting for review
        with clock_at(min(_at(min(milestone.due_on + timedelta(days=1), today), 11), utcnow())):
            if week6 and index == 2:
                services.send_back_milestone(
                    milestone, actor=reviewer, comment="Please add the pilot proposal itself."
                )
                services.move_milestone(
                    milestone,
                    actor=reviewer,
                    due_on=max(milestone.due_on, today) + timedelta(days=4),
                    reason="More time to attach the pilot proposal.",
                )
            else:
                services.approve_milestone(milestone, actor=reviewer)
    if index == 4 and rows:
        later = [m for m in rows if m.status == MilestoneStatus.PLANNED and not m.tranche_key]
        if later:
            with clock_at(min(_at(today - timedelta(days=2), 11), utcnow())):
                services.drop_milestone(
                    later[-1], actor=reviewer, reason="Replaced by a pilot with a partner operator."
                )


def _past_cohort(people) -> int:
    """Season 11 is over: each startup submitted every milestone, and staff approved them
    (its tranches were paid by the grants seed, so approvals request nothing more)."""
    cohort = demo_cohort(PAST)
    if cohort is None:
        return 0
    rows = db.session.execute(
        select(Milestone, Enrollment)
        .join(Enrollment, Enrollment.id == Milestone.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id, Milestone.status == MilestoneStatus.PLANNED)
        .order_by(Milestone.id)
    ).all()
    for milestone, enrollment in rows:
        founder = founder_of(enrollment.startup_id)
        if founder is None:
            continue
        with clock_at(_at(milestone.due_on - timedelta(days=1), 16)):
            services.submit_milestone(milestone, actor=founder, text="Done.", link=None)
        with clock_at(_at(milestone.due_on + timedelta(days=1), 11)):
            services.approve_milestone(milestone, actor=people[0])
    return len(rows)


def _running_cohort(cohort, enrollments, people) -> int:
    """Season 12 so far: its plan's milestones, check-ins week by week, reviews, one at risk."""
    today = local_today(timezone_of(cohort))
    with clock_at(_at(cohort.starts_on, 9)):  # the kickoff: every startup has its milestones
        plans.ensure_plan(cohort, actor=people[0])
        created = plans.create_for_enrolled(cohort, actor=people[0])
    cadence = cadence_of(cohort.id)
    periods = elapsed_periods(cohort.starts_on, cohort.ends_on, cadence, today)
    current = period_containing(cohort.starts_on, cohort.ends_on, cadence, today)
    for index, (enrollment, startup) in enumerate(enrollments[: len(CURVES)]):
        founder = founder_of(startup.id)
        if founder is None:
            continue
        at_risk = index == min(len(enrollments), len(CURVES)) - 1
        # Half the startups already sent this period's check-in.
        mine = (
            periods + [current]
            if current is not None and index % 2 == 0 and not at_risk
            else periods
        )
        created += _checkins(enrollment, founder, mine, CURVES[index], at_risk)
        if index == 1:  # staff turned this startup's latest ask into a mentor request
            asking = db.session.scalar(
                select(CheckIn)
                .where(CheckIn.enrollment_id == enrollment.id, CheckIn.asks != "")
                .order_by(CheckIn.period_on.desc())
                .limit(1)
            )
            if asking is not None:  # the day after the founder sent it
                with clock_at(min(asking.created_at + timedelta(days=1), utcnow())):
                    checkins.request_mentor(asking, actor=people[0])
        _milestones(enrollment, founder, index if not at_risk else len(CURVES) - 1, people, today)
    return created


def seed(seed_dir: Path, echo) -> int:
    del seed_dir
    cohort = demo_cohort(COHORT)
    if cohort is None:
        echo("  milestones: no Season 12 cohort; nothing seeded.")
        return 0
    enrollments = enrolled(cohort)
    if not enrollments:
        echo("  milestones: Season 12 has no enrolled startups yet; nothing seeded.")
        return 0
    done = db.session.scalar(
        select(func.count(CheckIn.id)).where(
            CheckIn.enrollment_id.in_([e.id for e, _s in enrollments])
        )
    )
    if done:
        return 0
    people = staff_pair()
    if people is None:
        echo("  milestones: two staff members are needed; nothing seeded.")
        return 0
    with mail_dropped():
        _past_cohort(people)
        created = _running_cohort(cohort, enrollments, people)
    return created
