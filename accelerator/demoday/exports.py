"""The demo-day report as a download for staff, through core.spreadsheets: XLSX with three
sheets (answers per kind of guest, attendance, interest per startup); CSV one of them
(`?sheet=`, interest per startup by default)."""

from __future__ import annotations

from flask import request

from accelerator.core import audit
from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.spreadsheets import INT, Column, Sheet, download, rows_sheet, written
from accelerator.core.types import utcnow
from accelerator.demoday import bp, report
from accelerator.demoday.models import DemoDay, Rsvp
from accelerator.extensions import db

FORMATS = ("csv", "xlsx")
SHEETS = ("interest", "answers", "attendance")


def sheets(found: report.Report) -> dict[str, Sheet]:
    answers = [
        Column("kind", _("Kind of guest"), width=20),
        *(Column(rsvp.value, str(rsvp.label), INT) for rsvp in Rsvp),
        Column("total", _("Total"), INT),
    ]
    answer_rows = [
        (str(kind.label), *(counts[rsvp] for rsvp in Rsvp), sum(counts.values()))
        for kind, counts in found.by_kind
    ]
    answer_rows.append((_("All guests"), *(found.by_answer[rsvp] for rsvp in Rsvp), found.guests))
    a = found.attendance
    attendance = [
        Column("coming", _("Guests coming"), INT),
        Column("people", _("People expected (with plus-ones)"), INT, width=20),
        Column("arrived", _("Arrived of those coming"), INT, width=18),
        Column("rate", _("Arrival rate (%)"), INT),
        Column("walk_ins", _("Walk-ins"), INT),
    ]
    interest = [
        Column("startup", _("Startup"), width=28),
        Column("asks", _("Asked for an introduction"), INT, width=18),
        Column("introduced", _("Introductions made"), INT, width=18),
    ]
    return {
        "interest": rows_sheet(
            "interest",
            _("Interest"),
            interest,
            [(line.name, line.asks, line.introduced) for line in found.startups],
        ),
        "answers": rows_sheet("answers", _("Answers"), answers, answer_rows),
        "attendance": rows_sheet(
            "attendance",
            _("Attendance"),
            attendance,
            [(a.coming, a.expected_people, a.arrived, a.rate, a.walk_ins)],
        ),
    }


@bp.get("/<int:demo_day_id>/report/download")
@role_required(Role.STAFF)
def report_download(demo_day_id: int):
    """?format=csv|xlsx; for CSV, ?sheet=interest|answers|attendance."""
    demo_day = get_or_404(DemoDay, demo_day_id)
    fmt = request.args.get("format", "xlsx")
    which = request.args.get("sheet", "interest")
    if fmt not in FORMATS:
        raise ValidationFailed(_("Choose CSV or XLSX."), field="format")
    if which not in SHEETS:
        raise ValidationFailed(_("Choose a sheet of the report."), field="sheet")
    found = sheets(report.build(demo_day))
    chosen = [found[which], *(found[key] for key in SHEETS if key != which)]
    body, rows_written = written(chosen, fmt)
    # The report names guests and their addresses: who took it out, and when, is kept.
    audit.record(
        "demo_day.report_exported",
        demo_day,
        actor=current_actor(),
        data={"format": fmt, "rows": rows_written},
    )
    db.session.commit()
    name = f"demo-day-{demo_day.id}-{which if fmt == 'csv' else 'report'}"
    return download(body, fmt, f"{name}-{utcnow():%Y%m%d-%H%M}.{fmt}")
