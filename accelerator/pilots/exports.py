"""Downloads of the pilots domain: the pilots and the introductions in scope (a cohort, a
business unit), as CSV or XLSX through core.spreadsheets, for staff."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from flask import request
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, current_actor, role_required
from accelerator.core.spreadsheets import (
    DATE,
    INT,
    MONEY,
    Column,
    Sheet,
    download,
    rows_sheet,
    written,
)
from accelerator.core.timeutil import to_local
from accelerator.core.types import utcnow
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.pilots import bp
from accelerator.pilots.models import BusinessUnit, Introduction, Pilot, PilotCriterion
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import selected_filter

WHAT = ("pilots", "introductions")
FORMATS = ("csv", "xlsx")


def _day(value: datetime | None, tz: str) -> date | None:
    """A time as the date it was in the program's timezone."""
    return to_local(value, tz).date() if value is not None else None


def _scope(statement, model, cohort_id: int | None, unit_id: int | None):
    if cohort_id is not None:
        statement = statement.where(model.cohort_id == cohort_id)
    if unit_id is not None:
        statement = statement.where(model.business_unit_id == unit_id)
    return statement


def pilot_columns() -> list[Column]:
    return [
        Column("id", _("Pilot"), INT, width=8),
        Column("startup", _("Startup"), width=24),
        Column("unit", _("Business unit"), width=22),
        Column("cohort", _("Cohort"), width=18),
        Column("title", _("Title"), width=30),
        Column("status", _("Status")),
        Column("owner", _("Owner"), width=20),
        Column("starts_on", _("Start date"), DATE),
        Column("ends_on", _("End date"), DATE),
        Column("decision_on", _("Decision date"), DATE),
        Column("budget", _("Budget"), MONEY),
        Column("currency", _("Currency"), width=8),
        Column("decision", _("Decision")),
        Column("contract_reference", _("Contract or purchase order"), width=20),
        Column("contract_value", _("Contract value"), MONEY),
        Column("criteria", _("Success criteria"), INT, width=10),
        Column("started_on", _("Started on"), DATE),
        Column("decided_on", _("Decided on"), DATE),
        Column("closed_on", _("Closed on"), DATE),
    ]


def pilot_rows(*, cohort_id: int | None = None, unit_id: int | None = None) -> Iterator[tuple]:
    """The pilots in scope, one tuple in the order of `pilot_columns` each (one statement)."""
    owner = aliased(User)
    criteria = (
        select(func.count())
        .select_from(PilotCriterion)
        .where(PilotCriterion.pilot_id == Pilot.id)
        .correlate(Pilot)
        .scalar_subquery()
    )
    statement = _scope(
        select(Pilot, Startup.name, BusinessUnit.name, Cohort.name, Program.timezone)
        .add_columns(owner.name, criteria)
        .join(Startup, Startup.id == Pilot.startup_id)
        .join(BusinessUnit, BusinessUnit.id == Pilot.business_unit_id)
        .join(Cohort, Cohort.id == Pilot.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .outerjoin(owner, owner.id == Pilot.owner_id)
        .order_by(Program.name, Cohort.starts_on, BusinessUnit.name_key, Startup.name, Pilot.id),
        Pilot,
        cohort_id,
        unit_id,
    )
    for pilot, startup, unit, cohort, tz, owner_name, count in db.session.execute(statement):
        yield (
            pilot.id,
            startup,
            unit,
            cohort,
            pilot.title,
            pilot.status.label,
            owner_name or "",
            pilot.starts_on,
            pilot.ends_on,
            pilot.decision_on,
            pilot.budget_cents,
            pilot.currency,
            pilot.decision.label if pilot.decision else "",
            pilot.contract_reference or "",
            pilot.contract_value_cents,
            count,
            _day(pilot.started_at, tz),
            _day(pilot.decided_at, tz),
            _day(pilot.closed_at, tz),
        )


def introduction_columns() -> list[Column]:
    return [
        Column("id", _("Introduction"), INT, width=8),
        Column("startup", _("Startup"), width=24),
        Column("unit", _("Business unit"), width=22),
        Column("cohort", _("Cohort"), width=18),
        Column("status", _("Status")),
        Column("asked_by_side", _("Asked by"), width=18),
        Column("asked_by", _("Asked by (person)"), width=20),
        Column("asked_on", _("Asked on"), DATE),
        Column("forwarded_on", _("Forwarded on"), DATE),
        Column("answered_on", _("Answered on"), DATE),
        Column("reason", _("Reason"), width=40),
        Column("answer_note", _("Answer"), width=30),
    ]


def introduction_rows(
    *, cohort_id: int | None = None, unit_id: int | None = None
) -> Iterator[tuple]:
    """The introductions in scope, one tuple in the order of `introduction_columns` each."""
    asker = aliased(User)
    statement = _scope(
        select(Introduction, Startup.name, BusinessUnit.name, Cohort.name, Program.timezone)
        .add_columns(asker.name)
        .join(Startup, Startup.id == Introduction.startup_id)
        .join(BusinessUnit, BusinessUnit.id == Introduction.business_unit_id)
        .join(Cohort, Cohort.id == Introduction.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .outerjoin(asker, asker.id == Introduction.asked_by_id)
        .order_by(Program.name, Cohort.starts_on, Introduction.created_at, Introduction.id),
        Introduction,
        cohort_id,
        unit_id,
    )
    for intro, startup, unit, cohort, tz, asker_name in db.session.execute(statement):
        yield (
            intro.id,
            startup,
            unit,
            cohort,
            intro.status.label,
            intro.asked_by_side.label,
            asker_name or "",
            _day(intro.created_at, tz),
            _day(intro.forwarded_at, tz),
            _day(intro.answered_at, tz),
            intro.reason,
            intro.answer_note or "",
        )


def sheet(what: str, **scope) -> Sheet:
    """The download of `what` ("pilots" or "introductions") in scope."""
    if what == "introductions":
        return rows_sheet(
            "introductions",
            _("Introductions"),
            introduction_columns(),
            lambda: introduction_rows(**scope),
        )
    return rows_sheet("pilots", _("Pilots"), pilot_columns(), lambda: pilot_rows(**scope))


@bp.get("/export")
@role_required(Role.STAFF)
def export():
    """?what=pilots|introductions, ?format=csv|xlsx, narrowed by ?cohort= and ?unit= (the board
    and the introductions list link here with their filters)."""
    what = request.args.get("what", "pilots")
    fmt = request.args.get("format", "csv")
    if what not in WHAT:
        raise ValidationFailed(_("Choose pilots or introductions to download."), field="what")
    if fmt not in FORMATS:
        raise ValidationFailed(_("Choose CSV or XLSX."), field="format")
    _program, cohort_id = selected_filter(request.args)
    unit_id = bounded_int(request.args.get("unit"))
    body, rows = written([sheet(what, cohort_id=cohort_id, unit_id=unit_id)], fmt)
    # Budgets and contract values are the business units' own: each download is kept.
    audit.record(
        "pilots.exported",
        actor=current_actor(),
        data={"what": what, "format": fmt, "rows": rows, "cohort": cohort_id, "unit": unit_id},
    )
    db.session.commit()
    return download(body, fmt, f"{what}-{utcnow():%Y%m%d-%H%M}.{fmt}")
