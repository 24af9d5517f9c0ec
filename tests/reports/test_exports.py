"""Reports open in pandas with the expected sheets and rows; cells are typed and safe."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook
from sqlalchemy import func, select

from accelerator.extensions import db
from accelerator.milestones.models import CheckIn
from accelerator.programs.models import Enrollment
from tests.reports import builders

COHORT_SHEETS = ["Startups", "Check-ins", "Milestones", "Grant ledger", "Mentor sessions"]


def test_cohort_report_in_excel(running, login_as, staff):
    cohort, grants = running
    response = login_as(staff).get(f"/reports/cohorts/{cohort.id}/cohort.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'cohort-{cohort.id}-report.xlsx"')
    book = pd.read_excel(io.BytesIO(response.data), sheet_name=None)
    assert list(book) == COHORT_SHEETS
    assert len(book["Startups"]) == 3
    assert len(book["Check-ins"]) == 9
    assert len(book["Milestones"]) == 9
    assert len(book["Grant ledger"]) == 6
    assert len(book["Mentor sessions"]) == 9
    startups = book["Startups"]
    assert startups["Paid"].sum() * 100 == sum(
        g.committed_cents - 250_000 for g in grants
    )  # each committed = paid + a requested 2,500
    assert pd.api.types.is_numeric_dtype(startups["Grant"])
    assert pd.api.types.is_datetime64_any_dtype(book["Check-ins"]["Period"])
    sheet = load_workbook(io.BytesIO(response.data))["Startups"]
    assert sheet["J2"].number_format == '#,##0.00 "USD"'  # money shows its currency


def test_csv_sheets_and_formula_injection(running, login_as, staff, make):
    cohort, grants = running
    startup_id = db.session.get(Enrollment, grants[0].enrollment_id).startup_id
    from accelerator.applications.models import Startup

    db.session.get(Startup, startup_id).name = '=HYPERLINK("http://evil")'
    enrollment = db.session.get(Enrollment, grants[0].enrollment_id)
    builders.make_checkin(
        enrollment, period_on=cohort.ends_on, highlights="+1 month of runway", blockers="@boss"
    )
    client = login_as(staff)
    text = client.get(f"/reports/cohorts/{cohort.id}/cohort.csv?sheet=checkins").data.decode(
        "utf-8-sig"
    )
    frame = pd.read_csv(io.StringIO(text))
    assert len(frame) == 10
    assert frame["Startup"].str.startswith("'=HYPERLINK").sum() == 4
    assert "'+1 month of runway" in set(frame["Highlights"])
    assert "'@boss" in set(frame["Blockers"])
    assert frame["Monthly revenue"].dtype.kind == "f"  # numbers, in major units
    first = client.get(f"/reports/cohorts/{cohort.id}/cohort.csv?sheet=nonsense")
    assert first.headers["Content-Disposition"].endswith('-startups.csv"')


def test_program_and_mentor_reports(running, login_as, staff):
    cohort, _grants = running
    client = login_as(staff)
    book = pd.read_excel(
        io.BytesIO(client.get(f"/reports/programs/{cohort.program_id}/report.xlsx").data),
        sheet_name=None,
    )
    assert list(book) == ["Funnel", "Outcomes", "Applications mix"]
    assert book["Funnel"].loc[0, "Enrolled"] == 3
    assert book["Outcomes"].loc[0, "Sessions"] == 6
    mentors = pd.read_excel(
        io.BytesIO(client.get(f"/reports/cohorts/{cohort.id}/mentors.xlsx").data),
        sheet_name=None,
    )
    assert list(mentors) == ["Pairs", "Mentors", "Startups"]
    assert len(mentors["Pairs"]) == 3
    assert mentors["Pairs"]["Hours"].sum() == 3 * 2.2
    assert mentors["Pairs"]["Waiting for the mentor"].sum() == 3


def test_cli_writes_the_same_files(running, app, tmp_path):
    cohort, _grants = running
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "cohort", str(cohort.id), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert f"cohort-{cohort.id}-report.xlsx" in names
    assert f"cohort-{cohort.id}-report-checkins.csv" in names
    book = pd.read_excel(tmp_path / f"cohort-{cohort.id}-report.xlsx", sheet_name=None)
    assert list(book) == COHORT_SHEETS
    checkins = db.session.scalar(
        select(func.count(CheckIn.id))
        .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id)
    )
    assert len(book["Check-ins"]) == checkins
    result = runner.invoke(
        args=[
            "report",
            "program",
            str(cohort.program_id),
            "--out",
            str(tmp_path),
            "--format",
            "xlsx",
        ]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"program-{cohort.program_id}-report.xlsx").exists()
    missing = runner.invoke(args=["report", "cohort", "999999", "--out", str(tmp_path)])
    assert missing.exit_code != 0 and "No cohort" in missing.output
