"""The cohort dashboard's read model: one card per enrolled startup, in a fixed number of queries.

Every figure comes from the data the domains keep (the last check-in, the milestones, the grant
ledger, the confirmed mentor sessions, the at-risk rules), read in grouped queries, so the
dashboard costs the same number of statements for six startups or six hundred. Beside the
cards, the cohort's pilots overdue for decision (`overdue_pilots`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import User
from accelerator.core.risk import RiskFlag, flags_for
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.demoday.models import DemoDay
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, Grant
from accelerator.grants.queries import GrantMoney, grant_money
from accelerator.mentoring.models import Match
from accelerator.milestones.models import (
    CheckIn,
    CheckinSchedule,
    Health,
    Milestone,
    MilestoneStatus,
    MilestoneTemplate,
)
from accelerator.milestones.queries import latest_checkins
from accelerator.pilots import queries as pilot_queries
from accelerator.pilots.models import BusinessUnit, Pilot
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.programs.queries import demo_day
from accelerator.sessions.models import MentorSession
from accelerator.sessions.queries import engagement


@dataclass
class MilestoneFigures:
    done: int = 0  # approved
    due: int = 0  # still due, today or later
    overdue: int = 0  # still due, the due date passed
    to_review: int = 0  # submitted, waiting for staff
    next_due_on: date | None = None


@dataclass
class StartupCard:
    enrollment_id: int
    startup_id: int
    name: str
    sector: str | None
    health: Health | None = None
    last_checkin_on: date | None = None
    flags: list[RiskFlag] = field(default_factory=list)
    milestones: MilestoneFigures = field(default_factory=MilestoneFigures)
    grant: GrantMoney | None = None
    mentors: list[str] = field(default_factory=list)
    mentor_minutes: int = 0
    sessions: int = 0
    last_session_at: datetime | None = None

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)

    @property
    def mentor_hours(self) -> float:
        return round(self.mentor_minutes / 60, 1)


@dataclass
class CohortDashboard:
    cohort: Cohort
    today: date
    cards: list[StartupCard]

    @property
    def demo_day(self) -> date:
        """The day every page names for the cohort's demo day (`programs.queries.demo_day`)."""
        return demo_day(self.cohort)

    @property
    def days_to_demo_day(self) -> int:
        """Negative once demo day has passed."""
        return (self.demo_day - self.today).days

    @property
    def at_risk(self) -> int:
        return sum(card.at_risk for card in self.cards)

    def total(self, name: str) -> int:
        return sum(getattr(card.grant, name) for card in self.cards if card.grant)

    @property
    def currency(self) -> str:
        return next((c.grant.currency for c in self.cards if c.grant), self.cohort.currency)

    @property
    def health_counts(self) -> dict[str, int]:
        counts = {h.value: 0 for h in Health}
        for card in self.cards:
            if card.health is not None:
                counts[card.health.value] += 1
        return counts


#: What the dashboard reads (its cards, the health chart, the overdue pilots): a committed
#: write to any of these renews the dashboard kept for the day (reports.views, core/cache.py).
READS = (
    Cohort,
    Program,
    Enrollment,
    Startup,
    User,
    CheckIn,
    CheckinSchedule,
    Milestone,
    MilestoneTemplate,
    Grant,
    Disbursement,
    Match,
    MentorSession,
    Pilot,
    BusinessUnit,
    DemoDay,
)


def cohort_dashboard(cohort: Cohort, *, now: datetime | None = None) -> CohortDashboard:
    """The cards of a cohort, each figure from the data its domain keeps."""
    now = now or utcnow()
    today = local_today(timezone_of(cohort), now)
    cards = {
        row.id: StartupCard(
            enrollment_id=row.id, startup_id=row.startup_id, name=row.name, sector=row.sector
        )
        for row in db.session.execute(
            select(Enrollment.id, Enrollment.startup_id, Startup.name, Startup.sector)
            .join(Startup, Startup.id == Enrollment.startup_id)
            .where(Enrollment.cohort_id == cohort.id)
        )
    }
    ordered = sorted(cards.values(), key=lambda c: c.name.casefold())
    dashboard = CohortDashboard(cohort=cohort, today=today, cards=ordered)
    if not cards:
        return dashboard
    _last_checkins(cards)
    _milestones(cards, today)
    _grants(cards)
    _mentoring(cohort, cards, now)
    if today <= cohort.ends_on:  # after demo day, "at risk" no longer means anything
        by_startup = {card.startup_id: card for card in cards.values()}
        for startup_id, flags in flags_for(cohort.id, list(by_startup), now=now).items():
            by_startup[startup_id].flags = flags
    return dashboard


def _last_checkins(cards: dict[int, StartupCard]) -> None:
    for latest in latest_checkins(enrollment_ids=cards):
        cards[latest.enrollment_id].health = latest.health
        cards[latest.enrollment_id].last_checkin_on = latest.period_on


def _milestones(cards: dict[int, StartupCard], today: date) -> None:
    overdue = case((Milestone.overdue_on(today), 1), else_=0)
    rows = db.session.execute(
        select(
            Milestone.enrollment_id,
            Milestone.status,
            overdue.label("overdue"),
            func.count(Milestone.id),
            func.min(Milestone.due_on),
        )
        .where(Milestone.enrollment_id.in_(list(cards)))
        .group_by(Milestone.enrollment_id, Milestone.status, overdue)
    )
    for enrollment_id, status, is_overdue, count, first_due in rows:
        figures = cards[enrollment_id].milestones
        if status == MilestoneStatus.APPROVED:
            figures.done += count
        elif status == MilestoneStatus.SUBMITTED:
            figures.to_review += count
        elif is_overdue:
            figures.overdue += count
        elif status.is_open:
            figures.due += count
            if figures.next_due_on is None or first_due < figures.next_due_on:
                figures.next_due_on = first_due


def _grants(cards: dict[int, StartupCard]) -> None:
    for enrollment_id, money in grant_money("enrollment", cards).items():
        cards[enrollment_id].grant = money


def _mentoring(cohort: Cohort, cards: dict[int, StartupCard], now: datetime) -> None:
    by_startup = {card.startup_id: card for card in cards.values()}
    for pair in engagement(cohort, now=now).pairs:
        card = by_startup.get(pair.startup_id)
        if card is None:
            continue
        card.mentors.append(pair.mentor_name)
        card.mentor_minutes += pair.minutes
        card.sessions += pair.sessions
        if pair.last_contact and (
            card.last_session_at is None or pair.last_contact > card.last_session_at
        ):
            card.last_session_at = pair.last_contact


def health_by_period(cohort_id: int) -> list[tuple[date, dict[str, int]]]:
    """How many check-ins of each health the cohort's startups sent, period by period."""
    rows = db.session.execute(
        select(CheckIn.period_on, CheckIn.health, func.count(CheckIn.id))
        .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
        .where(Enrollment.cohort_id == cohort_id)
        .group_by(CheckIn.period_on, CheckIn.health)
        .order_by(CheckIn.period_on)
    )
    periods: dict[date, dict[str, int]] = {}
    for period_on, health, count in rows:
        periods.setdefault(period_on, {h.value: 0 for h in Health})[health.value] = count
    return list(periods.items())


#: The pilots overdue for decision the dashboard lists; the board lists them all.
OVERDUE_SHOWN = 10


def overdue_pilots(cohort_id: int, today: date) -> tuple[list[Pilot], bool]:
    """The cohort's first OVERDUE_SHOWN pilots overdue for decision on `today` (the cohort's
    local date), the longest overdue first, with their startup, unit and owner, and whether
    there are more (one statement)."""
    found = list(
        db.session.scalars(
            pilot_queries.overdue_pilots_statement(today)
            .where(Pilot.cohort_id == cohort_id)
            .options(
                joinedload(Pilot.startup),
                joinedload(Pilot.business_unit),
                joinedload(Pilot.owner),
            )
            .order_by(Pilot.decision_on, Pilot.id)
            .limit(OVERDUE_SHOWN + 1)
        )
    )
    return found[:OVERDUE_SHOWN], len(found) > OVERDUE_SHOWN
