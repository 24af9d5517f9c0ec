"""The program overview's read model: funnel, acceptance, mix, decision times, money, mentoring.

Two decision times: from each application's submission to its first decision (how long an
applicant waits), and from the cohort's application deadline (`applications_close_at`) to each
first decision (how fast the program decides once the call closes; a decision before the
deadline counts as 0 days). The feedback share is the share of submitted applications with at
least one review carrying feedback tags (the written feedback a rejected startup may read).
The public transparency page reads its per-cohort figures from here.

Each figure is per cohort so cohorts compare side by side. An application counts at a stage of
the funnel when it reached that stage or a later one, judged on its current status and on every
status it has held (the `application.status_changed` audit events): a startup accepted straight
from review still counts as shortlisted, and one that declined its offer still counts as offered.
A fixed number of queries, whatever the number of cohorts and applications, and the counting is
the database's: the rows that come back are a few per cohort (and one per decided application),
not one per application and review (docs/operations.md, Performance, has the figures).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, case, cast, func, select

from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.core.cache import kept
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, Grant
from accelerator.grants.queries import grant_money
from accelerator.mentoring.models import Match
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.reviews.models import Decision, Review
from accelerator.sessions.models import MentorSession, SessionState

S = ApplicationStatus

#: What the figures are computed from: a committed write to any of these tables makes the
#: next view compute them afresh (core/cache.py); until then every staff member's view, the
#: program report and the transparency page read the kept figures.
READS = (
    Application,
    Startup,
    AuditEvent,
    Decision,
    Review,
    Cohort,
    Enrollment,
    Grant,
    Disbursement,
    Match,
    MentorSession,
)

#: The funnel's stages in order, with their labels.
STAGES: list[tuple[str, object]] = [
    ("submitted", _l("Submitted")),
    ("in_review", _l("In review")),
    ("shortlisted", _l("Shortlisted")),
    ("offered", _l("Offered")),
    ("confirmed", _l("Confirmed")),
    ("enrolled", _l("Enrolled")),
]

#: How far along the funnel each status shows an application went (0: not submitted).
REACHED: dict[ApplicationStatus, int] = {
    S.DRAFT: 0,
    S.WITHDRAWN: 1,
    S.SUBMITTED: 1,
    S.REJECTED: 1,
    S.IN_REVIEW: 2,
    S.WAITLISTED: 2,
    S.SHORTLISTED: 3,
    S.INTERVIEW: 3,
    S.ACCEPTED: 4,
    S.DECLINED: 4,
    S.ENROLLED: 5,
}


@dataclass
class CohortFigures:
    cohort: Cohort
    funnel: list[int] = field(default_factory=lambda: [0] * len(STAGES))
    sectors: Counter = field(default_factory=Counter)
    countries: Counter = field(default_factory=Counter)
    stages: Counter = field(default_factory=Counter)
    decision_days: list[float] = field(default_factory=list)
    #: Days from the cohort's application deadline to each application's first decision.
    deadline_days: list[float] = field(default_factory=list)
    #: Submitted applications with at least one review carrying feedback tags.
    with_feedback: int = 0
    grant_amount: int = 0
    grant_committed: int = 0
    grant_paid: int = 0
    mentors: int = 0
    pairs: int = 0
    sessions: int = 0
    mentor_minutes: int = 0

    @property
    def submitted(self) -> int:
        return self.funnel[0]

    @property
    def offered(self) -> int:
        return self.funnel[3]

    @property
    def acceptance_rate(self) -> float | None:
        """Offers over submitted applications, in percent."""
        return round(100 * self.offered / self.submitted, 1) if self.submitted else None

    @property
    def median_decision_days(self) -> float | None:
        return round(statistics.median(self.decision_days), 1) if self.decision_days else None

    @property
    def shortlisted(self) -> int:
        return self.funnel[2]

    @property
    def decided(self) -> int:
        """Submitted applications with a decision (the deadline median's group)."""
        return len(self.deadline_days)

    @property
    def median_deadline_days(self) -> float | None:
        """Median days from the application deadline to the first decision."""
        return round(statistics.median(self.deadline_days), 1) if self.deadline_days else None

    @property
    def feedback_share(self) -> float | None:
        """Submitted applications with written feedback (review tags), in percent."""
        return round(100 * self.with_feedback / self.submitted, 1) if self.submitted else None

    @property
    def mentor_hours(self) -> float:
        return round(self.mentor_minutes / 60, 1)


@dataclass
class ProgramOverview:
    program: Program
    cohorts: list[CohortFigures]

    def breakdown(self, name: str) -> list[tuple[str, list[int]]]:
        """(value, count per cohort) for sectors/countries/stages, most frequent first."""
        total: Counter = Counter()
        for figures in self.cohorts:
            total.update(getattr(figures, name))
        return [
            (value, [getattr(f, name)[value] for f in self.cohorts])
            for value, _n in total.most_common()
        ]


def program_overview(program: Program, *, cohort_ids: list[int] | None = None) -> ProgramOverview:
    """Every (or the chosen) cohort of `program`, newest first."""
    statement = select(Cohort).where(Cohort.program_id == program.id)
    if cohort_ids:
        statement = statement.where(Cohort.id.in_(cohort_ids))
    cohorts = list(db.session.scalars(statement.order_by(Cohort.starts_on.desc(), Cohort.id)))
    if not cohorts:
        return ProgramOverview(program=program, cohorts=[])
    numbers = kept(
        "program-overview",
        [c.id for c in cohorts],
        reads=READS,
        compute=lambda: _numbers(cohorts),
    )
    return ProgramOverview(
        program=program, cohorts=[replace(numbers[c.id], cohort=c) for c in cohorts]
    )


def _numbers(cohorts: list[Cohort]) -> dict[int, CohortFigures]:
    """Each cohort's figures, without the cohort itself (kept apart from the session)."""
    figures = {c.id: CohortFigures(cohort=c) for c in cohorts}
    _applications(figures)
    _grants(figures)
    _mentoring(figures)
    return {cohort_id: replace(f, cohort=None) for cohort_id, f in figures.items()}


def _level(value, levels: dict[str, int]):
    """SQL: the funnel level of a status value (0 for anything else)."""
    return case(*[(value == name, level) for name, level in levels.items()], else_=0)


def _applications(figures: dict[int, CohortFigures]) -> None:
    """Funnel, mix, decision times and feedback, counted by the database: a program of
    100,000 applications sends back a few rows per cohort, not a row per application."""
    ids = list(figures)
    submitted = (Application.cohort_id.in_(ids), Application.submitted_at.is_not(None))
    in_program = select(Application.id).where(Application.cohort_id.in_(ids))
    by_value = {status.value: level for status, level in REACHED.items()}
    moved = (
        select(
            AuditEvent.object_id.label("application_id"),
            func.max(_level(AuditEvent.data["to"].as_string(), by_value)).label("level"),
        )
        .where(
            AuditEvent.action == "application.status_changed",
            AuditEvent.object_type == "applications",
            AuditEvent.object_id.in_(in_program),
        )
        .group_by(AuditEvent.object_id)
        .subquery()
    )
    now = case(*[(Application.status == status, level) for status, level in REACHED.items()])
    reached = case((moved.c.level > func.coalesce(now, 0), moved.c.level), else_=now)
    per_application = (
        select(Application.cohort_id, func.coalesce(reached, 0).label("reached"))
        .outerjoin(moved, moved.c.application_id == Application.id)
        .where(*submitted)
        .subquery()
    )
    stages = [
        func.sum(case((per_application.c.reached >= stage, 1), else_=0))
        for stage in range(1, len(STAGES))
    ]
    for cohort_id, *counts in db.session.execute(
        select(per_application.c.cohort_id, *stages).group_by(per_application.c.cohort_id)
    ):
        figures[cohort_id].funnel[: len(counts)] = [int(count or 0) for count in counts]
    for name, column in (
        ("sectors", Startup.sector),
        ("countries", Startup.country),
        ("stages", Startup.stage),  # the Stage itself: pages read its label
    ):
        for cohort_id, value, count in db.session.execute(
            select(Application.cohort_id, column, func.count())
            .join(Startup, Startup.id == Application.startup_id)
            .where(*submitted)
            .group_by(Application.cohort_id, column)
        ):
            getattr(figures[cohort_id], name)[value or "—"] += count
    first_decisions = (
        select(Decision.application_id, func.min(Decision.decided_at).label("decided_at"))
        .where(Decision.application_id.in_(in_program))
        .group_by(Decision.application_id)
        .subquery()
    )
    for cohort_id, submitted_at, decided in db.session.execute(
        select(Application.cohort_id, Application.submitted_at, first_decisions.c.decided_at)
        .join(first_decisions, first_decisions.c.application_id == Application.id)
        .where(*submitted)
    ):
        f = figures[cohort_id]
        seconds = (_aware(decided) - _aware(submitted_at)).total_seconds()
        f.decision_days.append(max(seconds, 0) / 86400)
        seconds = (_aware(decided) - _aware(f.cohort.applications_close_at)).total_seconds()
        f.deadline_days.append(max(seconds, 0) / 86400)
    tagged = cast(Review.feedback_tags, String).not_in(["[]", "null"])
    for cohort_id, count in db.session.execute(
        select(Application.cohort_id, func.count(func.distinct(Review.application_id)))
        .join(Application, Application.id == Review.application_id)
        .where(*submitted, tagged)
        .group_by(Application.cohort_id)
    ):
        figures[cohort_id].with_feedback = count
    enrolled = _per(Enrollment.cohort_id, func.count(Enrollment.id), ids)
    for cohort_id, count in enrolled.items():
        figures[cohort_id].funnel[5] = count


def _per(key, figure, keys) -> dict:
    """{key: figure} over the rows whose key is in `keys` (one grouped query)."""
    return dict(db.session.execute(select(key, figure).where(key.in_(keys)).group_by(key)).all())


def _aware(value):
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _grants(figures: dict[int, CohortFigures]) -> None:
    for cohort_id, money in grant_money("cohort", figures).items():
        figures[cohort_id].grant_amount = money.amount
        figures[cohort_id].grant_committed = money.committed
        figures[cohort_id].grant_paid = money.paid


def _mentoring(figures: dict[int, CohortFigures]) -> None:
    ids = list(figures)
    for cohort_id, pairs, mentors in db.session.execute(
        select(Match.cohort_id, func.count(Match.id), func.count(func.distinct(Match.mentor_id)))
        .where(Match.cohort_id.in_(ids), Match.status.in_(ACTIVE_MATCH))
        .group_by(Match.cohort_id)
    ):
        figures[cohort_id].pairs = pairs
        figures[cohort_id].mentors = mentors
    for cohort_id, sessions, minutes in db.session.execute(
        select(
            MentorSession.cohort_id,
            func.count(MentorSession.id),
            func.sum(MentorSession.duration_minutes),
        )
        .where(MentorSession.cohort_id.in_(ids), MentorSession.state == SessionState.CONFIRMED)
        .group_by(MentorSession.cohort_id)
    ):
        figures[cohort_id].sessions = sessions
        figures[cohort_id].mentor_minutes = int(minutes or 0)
