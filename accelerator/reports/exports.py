"""The downloadable reports: which sheets each has, their columns, and the queries behind them.

Cohort report: startups (the dashboard's figures), check-ins (KPIs over time), milestones, the
grant ledger and mentor sessions. Program report: the funnel and outcomes of every cohort, and
the applications' mix. Mentor engagement report: pairs, mentors and startups. Big sheets read
the database in chunks (`yield_per`), so they stream.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, Grant
from accelerator.mentoring.engagement import engagement
from accelerator.mentoring.session_models import MentorSession
from accelerator.milestones.models import CheckIn, Health, Milestone
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.reports.dashboard import cohort_dashboard, program_of
from accelerator.reports.overview import STAGES, program_overview
from accelerator.reports.writers import (
    CHUNK_ROWS,
    DATE,
    DATETIME,
    FLOAT,
    INT,
    MONEY,
    PERCENT,
    Column,
    Sheet,
    frames_of,
    partition_frames,
)


def _partitions(statement):
    """Lists of rows of a statement, CHUNK_ROWS at a time (a server-side cursor on PostgreSQL)."""
    # Core execution (not the ORM's): these are plain rows, and the ORM's loading costs a lot.
    connection = db.session.connection()
    result = connection.execute(statement.execution_options(yield_per=CHUNK_ROWS))
    yield from result.partitions()


def _stream(statement):
    """Rows of a statement, fetched CHUNK_ROWS at a time."""
    for partition in _partitions(statement):
        yield from partition


def _value(enum_value):
    return enum_value.value if enum_value is not None else None


def _label(enum_value):
    label = getattr(enum_value, "label", None)
    return str(label) if label is not None else _value(enum_value)


# ---------------------------------------------------------------------------- cohort report
def cohort_report(cohort: Cohort) -> list[Sheet]:
    """Sheets of the cohort report."""
    tz = program_of(cohort).timezone
    cur = cohort.currency
    return [
        Sheet("startups", _("Startups"), _startup_columns(cur), lambda: _startup_rows(cohort), tz),
        Sheet(
            "checkins", _("Check-ins"), checkin_columns(cur), lambda: checkin_frames(cohort.id), tz
        ),
        Sheet(
            "milestones",
            _("Milestones"),
            _milestone_columns(tz),
            lambda: _milestone_rows(cohort.id),
            tz,
        ),
        Sheet(
            "grants",
            _("Grant ledger"),
            _ledger_columns(cur, tz),
            lambda: _ledger_rows(cohort.id),
            tz,
        ),
        Sheet(
            "sessions",
            _("Mentor sessions"),
            _session_columns(tz),
            lambda: _session_rows(cohort.id),
            tz,
        ),
    ]


def _startup_columns(currency: str) -> list[Column]:
    return [
        Column("startup", _("Startup"), width=28),
        Column("sector", _("Sector"), width=18),
        Column("health", _("Last health")),
        Column("last_checkin", _("Last check-in"), DATE),
        Column("at_risk", _("At risk")),
        Column("reasons", _("Why at risk"), width=50),
        Column("done", _("Milestones done"), INT),
        Column("due", _("Milestones due"), INT),
        Column("overdue", _("Milestones overdue"), INT),
        Column("grant", _("Grant"), MONEY, currency),
        Column("committed", _("Committed"), MONEY, currency),
        Column("paid", _("Paid"), MONEY, currency),
        Column("remaining", _("Remaining"), MONEY, currency),
        Column("mentors", _("Mentors"), width=30),
        Column("hours", _("Mentor hours"), FLOAT),
        Column("sessions", _("Sessions"), INT),
        Column("last_session", _("Last session"), DATETIME),
    ]


def _startup_rows(cohort: Cohort):
    board = cohort_dashboard(cohort)
    rows = []
    for card in board.cards:
        grant = card.grant
        rows.append(
            (
                card.name,
                card.sector,
                _label(card.health),
                card.last_checkin_on,
                _("yes") if card.at_risk else _("no"),
                " ".join(flag.reason for flag in card.flags),
                card.milestones.done,
                card.milestones.due,
                card.milestones.overdue,
                grant.amount if grant else None,
                grant.committed if grant else None,
                grant.paid if grant else None,
                grant.remaining if grant else None,
                ", ".join(card.mentors),
                card.mentor_hours,
                card.sessions,
                card.last_session_at,
            )
        )
    return frames_of(rows, [c.key for c in _startup_columns(cohort.currency)])


def checkin_columns(currency: str) -> list[Column]:
    return [
        Column("startup", _("Startup"), width=28),
        Column("period", _("Period"), DATE),
        Column("health", _("Health")),
        Column("revenue", _("Monthly revenue"), MONEY, currency),
        Column("users", _("Active users"), INT),
        Column("headcount", _("Headcount"), INT),
        Column("raised", _("Raised"), MONEY, currency),
        Column("pilots", _("Pilots"), INT),
        Column("highlights", _("Highlights"), width=40),
        Column("blockers", _("Blockers"), width=40),
        Column("asks", _("Asks"), width=40),
    ]


def checkin_frames(cohort_id: int):
    """The cohort's check-ins, startup by startup and period by period, in chunks."""
    statement = (
        select(
            Startup.name,
            CheckIn.period_on,
            CheckIn.health,
            CheckIn.revenue_cents,
            CheckIn.active_users,
            CheckIn.headcount,
            CheckIn.raised_cents,
            CheckIn.pilots,
            CheckIn.highlights,
            CheckIn.blockers,
            CheckIn.asks,
        )
        .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort_id)
        .order_by(Startup.name, Enrollment.id, CheckIn.period_on)
    )
    keys = [c.key for c in checkin_columns("USD")]
    labels = {health: _label(health) for health in Health}
    for frame in partition_frames(_partitions(statement), keys):
        frame["health"] = frame["health"].map(labels)
        yield frame


def _milestone_columns(tz: str) -> list[Column]:
    return [
        Column("startup", _("Startup"), width=28),
        Column("title", _("Milestone"), width=36),
        Column("due_on", _("Due on"), DATE),
        Column("status", _("Status")),
        Column("submitted_at", _("Submitted (%(tz)s)", tz=tz), DATETIME, width=18),
        Column("reviewed_at", _("Reviewed (%(tz)s)", tz=tz), DATETIME, width=18),
    ]


def _milestone_rows(cohort_id: int):
    statement = (
        select(
            Startup.name,
            Milestone.title,
            Milestone.due_on,
            Milestone.status,
            Milestone.submitted_at,
            Milestone.reviewed_at,
        )
        .join(Enrollment, Enrollment.id == Milestone.enrollment_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort_id)
        .order_by(Startup.name, Milestone.due_on, Milestone.id)
    )
    rows = ((r[0], r[1], r[2], _label(r[3]), r[4], r[5]) for r in _stream(statement))
    return frames_of(rows, [c.key for c in _milestone_columns("UTC")])


def _ledger_columns(currency: str, tz: str) -> list[Column]:
    return [
        Column("startup", _("Startup"), width=28),
        Column("tranche", _("Tranche")),
        Column("kind", _("Kind")),
        Column("amount", _("Amount"), MONEY, currency),
        Column("currency", _("Currency"), width=9),
        Column("status", _("Status")),
        Column("requested_at", _("Requested (%(tz)s)", tz=tz), DATETIME, width=18),
        Column("approved_at", _("Approved (%(tz)s)", tz=tz), DATETIME, width=18),
        Column("paid_on", _("Paid on"), DATE),
        Column("reference", _("Payment reference"), width=20),
    ]


def _ledger_rows(cohort_id: int):
    statement = (
        select(
            Startup.name,
            Disbursement.tranche_key,
            Disbursement.kind,
            Disbursement.amount_cents,
            Grant.currency,
            Disbursement.status,
            Disbursement.requested_at,
            Disbursement.approved_at,
            Disbursement.paid_on,
            Disbursement.payment_reference,
        )
        .join(Grant, Grant.id == Disbursement.grant_id)
        .join(Enrollment, Enrollment.id == Grant.enrollment_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort_id)
        .order_by(Startup.name, Disbursement.id)
    )
    rows = (
        (r[0], r[1], _value(r[2]), r[3], r[4], _value(r[5]), *r[6:]) for r in _stream(statement)
    )
    return frames_of(rows, [c.key for c in _ledger_columns("USD", "UTC")])


def _session_columns(tz: str) -> list[Column]:
    return [
        Column("startup", _("Startup"), width=28),
        Column("mentor", _("Mentor"), width=24),
        Column("starts_at", _("Date (%(tz)s)", tz=tz), DATETIME, width=18),
        Column("minutes", _("Minutes"), INT),
        Column("format", _("Format")),
        Column("state", _("State")),
    ]


def _session_rows(cohort_id: int):
    statement = (
        select(
            Startup.name,
            User.name,
            MentorSession.starts_at,
            MentorSession.duration_minutes,
            MentorSession.format,
            MentorSession.state,
        )
        .join(Startup, Startup.id == MentorSession.startup_id)
        .join(User, User.id == MentorSession.mentor_id)
        .where(MentorSession.cohort_id == cohort_id)
        .order_by(Startup.name, MentorSession.starts_at)
    )
    rows = ((r[0], r[1], r[2], r[3], _label(r[4]), _label(r[5])) for r in _stream(statement))
    return frames_of(rows, [c.key for c in _session_columns("UTC")])


# ---------------------------------------------------------------------------- program report
def program_report(program: Program) -> list[Sheet]:
    overview = program_overview(program)
    cohorts = overview.cohorts
    currency = next((f.cohort.currency for f in cohorts), "USD")
    funnel_columns = [
        Column("cohort", _("Cohort"), width=24),
        Column("starts_on", _("Starts on"), DATE),
        *[Column(key, str(label), INT) for key, label in STAGES],
        Column("acceptance", _("Acceptance rate"), PERCENT),
        Column("decision_days", _("Median days to decision"), FLOAT),
    ]
    funnel = [
        (
            f.cohort.name,
            f.cohort.starts_on,
            *f.funnel,
            f.acceptance_rate / 100 if f.acceptance_rate is not None else None,
            f.median_decision_days,
        )
        for f in cohorts
    ]
    outcome_columns = [
        Column("cohort", _("Cohort"), width=24),
        Column("enrolled", _("Enrolled"), INT),
        Column("grant", _("Grants"), MONEY, currency),
        Column("committed", _("Committed"), MONEY, currency),
        Column("paid", _("Paid"), MONEY, currency),
        Column("mentors", _("Mentors"), INT),
        Column("pairs", _("Mentor pairs"), INT),
        Column("sessions", _("Sessions"), INT),
        Column("hours", _("Mentor hours"), FLOAT),
    ]
    outcomes = [
        (
            f.cohort.name,
            f.funnel[5],
            f.grant_amount,
            f.grant_committed,
            f.grant_paid,
            f.mentors,
            f.pairs,
            f.sessions,
            f.mentor_hours,
        )
        for f in cohorts
    ]
    mix_columns = [
        Column("cohort", _("Cohort"), width=24),
        Column("dimension", _("By")),
        Column("value", _("Value"), width=24),
        Column("applications", _("Applications"), INT),
    ]
    dimensions = (("sectors", _("Sector")), ("countries", _("Country")), ("stages", _("Stage")))
    mix = [
        (f.cohort.name, str(label), value, count)
        for f in cohorts
        for name, label in dimensions
        for value, count in sorted(getattr(f, name).items())
    ]

    def sheet(key, title, columns, rows):
        keys = [c.key for c in columns]
        return Sheet(key, title, columns, lambda: frames_of(rows, keys), program.timezone)

    return [
        sheet("funnel", _("Funnel"), funnel_columns, funnel),
        sheet("outcomes", _("Outcomes"), outcome_columns, outcomes),
        sheet("mix", _("Applications mix"), mix_columns, mix),
    ]


# ---------------------------------------------------------------------------- mentor report
def mentor_report(cohort: Cohort) -> list[Sheet]:
    board = engagement(cohort)
    tz = program_of(cohort).timezone
    pair_columns = [
        Column("mentor", _("Mentor"), width=24),
        Column("startup", _("Startup"), width=28),
        Column("sessions", _("Sessions"), INT),
        Column("hours", _("Hours"), FLOAT),
        Column("pending", _("Waiting for the mentor"), INT),
        Column("flags", _("Open red flags"), INT),
        Column("last", _("Last contact (%(tz)s)", tz=tz), DATETIME, width=18),
        Column("quiet", _("Quiet for three weeks")),
    ]
    pairs = [
        (
            p.mentor_name,
            p.startup_name,
            p.sessions,
            p.hours,
            p.pending,
            p.open_flags,
            p.last_contact,
            _("yes") if p.quiet else _("no"),
        )
        for p in board.pairs
    ]
    group_columns = [
        Column("name", _("Name"), width=28),
        Column("pairs", _("Pairs"), INT),
        Column("sessions", _("Sessions"), INT),
        Column("hours", _("Hours"), FLOAT),
        Column("last", _("Last contact (%(tz)s)", tz=tz), DATETIME, width=18),
    ]

    def groups(rows):
        return [(g.name, g.pairs, g.sessions, g.hours, g.last_contact) for g in rows]

    def sheet(key, title, columns, rows):
        keys = [c.key for c in columns]
        return Sheet(key, title, columns, lambda: frames_of(rows, keys), tz)

    return [
        sheet("pairs", _("Pairs"), pair_columns, pairs),
        sheet("mentors", _("Mentors"), group_columns, groups(board.mentors)),
        sheet("startups", _("Startups"), group_columns, groups(board.startups)),
    ]


REPORTS = {"cohort": cohort_report, "mentors": mentor_report, "program": program_report}


def file_stem(name: str, ident: int) -> str:
    """Downloads and `flask report` name files alike: cohort-3-report, cohort-3-mentors, ..."""
    return {"cohort": f"cohort-{ident}-report", "mentors": f"cohort-{ident}-mentors"}.get(
        name, f"program-{ident}-report"
    )
