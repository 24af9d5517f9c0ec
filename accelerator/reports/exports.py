"""The downloadable reports: which sheets each has, their columns, and the queries behind them.

Cohort report: startups (the dashboard's figures), check-ins (KPIs over time), milestones, the
grant ledger and mentor sessions. Program report: the funnel and outcomes of every cohort, and
the applications' mix. Mentor engagement report: pairs, mentors and startups. Pilots report:
the figures of each business unit and each cohort. Big sheets read the database in chunks
(`yield_per`), so they stream.
"""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import User
from accelerator.core.i18n import gettext as _
from accelerator.core.spreadsheets import (
    CHUNK_ROWS,
    DATE,
    DATETIME,
    FLOAT,
    INT,
    MONEY,
    PERCENT,
    Column,
    Sheet,
    partition_frames,
    rows_sheet,
)
from accelerator.extensions import db
from accelerator.grants.queries import ledger_sheet
from accelerator.milestones.models import CheckIn, Health, Milestone
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.reports.dashboard import cohort_dashboard
from accelerator.reports.overview import STAGES, program_overview
from accelerator.sessions.models import MentorSession
from accelerator.sessions.queries import engagement


def _partitions(statement):
    """Lists of rows of a statement, CHUNK_ROWS at a time (a server-side cursor on PostgreSQL)."""
    # Core execution (not the ORM's): these are plain rows, and the ORM's loading costs a lot.
    connection = db.session.connection()
    result = connection.execute(statement.execution_options(yield_per=CHUNK_ROWS))
    yield from result.partitions()


def _label(enum_value):
    """A status as people read it (its enum's label)."""
    label = getattr(enum_value, "label", None)
    return str(label) if label is not None else getattr(enum_value, "value", enum_value)


def _per_enrollment(model, cohort_id: int, *columns):
    """The startup's name and `columns` of each row of `model` (rows filed by enrollment:
    check-ins, milestones) of the cohort's startups."""
    return (
        select(Startup.name, *columns)
        .join(Enrollment, Enrollment.id == model.enrollment_id)
        .join(Startup, Startup.id == Enrollment.startup_id)
        .where(Enrollment.cohort_id == cohort_id)
    )


def _statement_sheet(key, title, columns, statement, timezone: str, *, labelled=()) -> Sheet:
    """A sheet streamed from `statement`, whose columns are the sheet's in order; the positions
    in `labelled` hold statuses, written by their labels."""

    def rows():
        for partition in _partitions(statement):
            for row in partition:
                yield tuple(_label(v) if i in labelled else v for i, v in enumerate(row))

    return rows_sheet(key, title, columns, rows, timezone)


# ---------------------------------------------------------------------------- cohort report
def cohort_report(cohort: Cohort) -> list[Sheet]:
    """Sheets of the cohort report."""
    tz = timezone_of(cohort)
    currency = cohort.currency
    return [
        rows_sheet(
            "startups", _("Startups"), _startup_columns(currency), lambda: _startup_rows(cohort), tz
        ),
        Sheet(
            "checkins",
            _("Check-ins"),
            checkin_columns(currency),
            lambda: checkin_frames(cohort.id),
            tz,
        ),
        _milestone_sheet(cohort.id, tz),
        ledger_sheet(cohort_id=cohort.id, currency=currency),
        _session_sheet(cohort.id, tz),
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
    for card in cohort_dashboard(cohort).cards:
        grant = card.grant
        yield (
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
    statement = _per_enrollment(
        CheckIn,
        cohort_id,
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
    ).order_by(Startup.name, Enrollment.id, CheckIn.period_on)
    keys = [c.key for c in checkin_columns("USD")]
    labels = {health: _label(health) for health in Health}
    for frame in partition_frames(_partitions(statement), keys):
        frame["health"] = frame["health"].map(labels)
        yield frame


def _milestone_sheet(cohort_id: int, tz: str) -> Sheet:
    columns = [
        Column("startup", _("Startup"), width=28),
        Column("title", _("Milestone"), width=36),
        Column("due_on", _("Due on"), DATE),
        Column("status", _("Status")),
        Column("submitted_at", _("Submitted (%(tz)s)", tz=tz), DATETIME, width=18),
        Column("reviewed_at", _("Reviewed (%(tz)s)", tz=tz), DATETIME, width=18),
    ]
    statement = _per_enrollment(
        Milestone,
        cohort_id,
        Milestone.title,
        Milestone.due_on,
        Milestone.status,
        Milestone.submitted_at,
        Milestone.reviewed_at,
    ).order_by(Startup.name, Milestone.due_on, Milestone.id)
    return _statement_sheet("milestones", _("Milestones"), columns, statement, tz, labelled={3})


def _session_sheet(cohort_id: int, tz: str) -> Sheet:
    columns = [
        Column("startup", _("Startup"), width=28),
        Column("mentor", _("Mentor"), width=24),
        Column("starts_at", _("Date (%(tz)s)", tz=tz), DATETIME, width=18),
        Column("minutes", _("Minutes"), INT),
        Column("format", _("Format")),
        Column("state", _("State")),
    ]
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
    return _statement_sheet(
        "sessions", _("Mentor sessions"), columns, statement, tz, labelled={4, 5}
    )


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
        Column("deadline_days", _("Median days from the deadline to decision"), FLOAT),
        Column("feedback", _("Applicants with written feedback"), PERCENT),
    ]
    funnel = [
        (
            f.cohort.name,
            f.cohort.starts_on,
            *f.funnel,
            f.acceptance_rate / 100 if f.acceptance_rate is not None else None,
            f.median_decision_days,
            f.median_deadline_days,
            f.feedback_share / 100 if f.feedback_share is not None else None,
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

    tz = timezone_of(program)
    return [
        rows_sheet("funnel", _("Funnel"), funnel_columns, funnel, tz),
        rows_sheet("outcomes", _("Outcomes"), outcome_columns, outcomes, tz),
        rows_sheet("mix", _("Applications mix"), mix_columns, mix, tz),
    ]


# ---------------------------------------------------------------------------- mentor report
def mentor_report(cohort: Cohort) -> list[Sheet]:
    board = engagement(cohort)
    tz = timezone_of(cohort)
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

    return [
        rows_sheet("pairs", _("Pairs"), pair_columns, pairs, tz),
        rows_sheet("mentors", _("Mentors"), group_columns, groups(board.mentors), tz),
        rows_sheet("startups", _("Startups"), group_columns, groups(board.startups), tz),
    ]


# ---------------------------------------------------------------------------- pilots report
def pilot_sheets(report, program: Program) -> list[Sheet]:
    """The pilots report (`pilots.queries.pilot_outcomes`): a sheet per unit, one per cohort;
    a contract-value column per currency signed in."""
    columns = [
        Column("name", _("Name"), width=28),
        Column("introductions", _("Introductions"), INT),
        Column("accepted", _("Accepted"), INT),
        Column("declined", _("Declined"), INT),
        Column("acceptance", _("Acceptance rate"), PERCENT),
        Column("started", _("Pilots started"), INT),
        Column("go", _("Go"), INT),
        Column("no_go", _("No-go"), INT),
        Column("go_rate", _("Go rate"), PERCENT),
        Column("days", _("Median days to decision"), FLOAT),
        *[
            Column(f"value_{code}", _("Contract value (%(currency)s)", currency=code), MONEY, code)
            for code in report.currencies
        ],
    ]

    def rows(outcomes):
        return [
            (
                row.name,
                row.introductions,
                row.accepted,
                row.declined,
                None if row.acceptance_rate is None else row.acceptance_rate / 100,
                row.started,
                row.go,
                row.no_go,
                None if row.go_rate is None else row.go_rate / 100,
                row.median_days,
                *[row.contract_value.get(code, 0) for code in report.currencies],
            )
            for row in outcomes
        ]

    tz = timezone_of(program)
    return [
        rows_sheet("units", _("Business units"), columns, rows(report.units), tz),
        rows_sheet("cohorts", _("Cohorts"), columns, rows(report.cohorts), tz),
    ]


REPORTS = {"cohort": cohort_report, "mentors": mentor_report, "program": program_report}


def file_stem(name: str, ident: int) -> str:
    """Downloads and `flask report` name files alike: cohort-3-report, cohort-3-mentors, ..."""
    return {"cohort": f"cohort-{ident}-report", "mentors": f"cohort-{ident}-mentors"}.get(
        name, f"program-{ident}-report"
    )


def impact_sheets(report, program: Program) -> list[Sheet]:
    """The impact report (`reports.impact.program_impact`): a row per cohort and the program's;
    money raised (total, median, answers) and contract value in one column per currency."""
    columns = [
        Column("cohort", _("Cohort"), width=28),
        Column("small", _("Fewer than 5 startups")),
        Column("alumni", _("Alumni"), INT),
        Column("answered", _("Answered the survey"), INT),
        Column("surviving", _("Operating or acquired"), INT),
        Column("survival", _("Survival rate"), PERCENT),
        *[
            column
            for code in report.currencies
            for column in (
                Column(f"raised_{code}", _("Raised (%(currency)s)", currency=code), MONEY, code),
                Column(
                    f"median_{code}", _("Median raised (%(currency)s)", currency=code), MONEY, code
                ),
                Column(f"answers_{code}", _("Answers in %(currency)s", currency=code), INT),
            )
        ],
        Column("headcount", _("Headcount now"), INT),
        Column("jobs", _("Jobs created"), INT),
        Column("team_known", _("Startups with a team size at application"), INT),
        Column("go", _("Pilots turned into contracts"), INT),
        *[
            Column(f"value_{code}", _("Contract value (%(currency)s)", currency=code), MONEY, code)
            for code in report.contract_currencies
        ],
        Column("reported", _("Contracts reported by the alumni"), INT),
        *[
            Column(
                f"reported_{code}",
                _("Reported contract value (%(currency)s)", currency=code),
                MONEY,
                code,
            )
            for code in report.reported_currencies
        ],
    ]

    def row(figures, name):
        money = {m.currency: m for m in figures.raised}
        return (
            name,
            _("yes") if figures.small else _("no"),
            figures.count,
            len(figures.answered),
            figures.surviving,
            None if figures.survival_rate is None else figures.survival_rate / 100,
            *[
                value
                for code in report.currencies
                for value in (
                    money[code].total if code in money else None,
                    money[code].median if code in money else None,
                    money[code].count if code in money else 0,
                )
            ],
            figures.headcount,
            figures.jobs_created,
            figures.team_known,
            figures.go,
            *[figures.contract_value.get(code, 0) for code in report.contract_currencies],
            figures.reported_contracts,
            *[
                dict(figures.reported_contract_values).get(code, 0)
                for code in report.reported_currencies
            ],
        )

    rows = [row(f, f.name) for f in report.cohorts]
    rows.append(row(report.total, _("All cohorts")))
    return [rows_sheet("impact", _("Impact"), columns, rows, timezone_of(program))]
