"""Finance exports: the columns finance needs, scope by cohort/program/dates, no formulas."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest

from accelerator.core.spreadsheets import neutralise
from tests import factories


@pytest.fixture
def ledger(db, requester, approver):
    startup = factories.make_startup(name='=HYPERLINK("http://evil")', legal_name="+Evil Corp SAS")
    grant = factories.make_grant(startup=startup)
    paid = factories.make_disbursement(
        grant,
        amount_cents=1_000_050,
        status="paid",
        requester=requester,
        approver=approver,
        reference="@SUM(A1)",
        note="-2+3",
    )
    other = factories.make_grant()
    factories.make_disbursement(other, amount_cents=200_000, requester=requester)
    return grant, other, paid


def _csv(client, query: str) -> list[dict]:
    response = client.get(f"/grants/export?format=csv&{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_has_the_finance_columns_and_no_formulas(db, login_as, ledger, requester, approver):
    grant, _other, paid = ledger
    rows = _csv(login_as(approver), "")
    assert len(rows) == 2
    row = next(r for r in rows if r["Disbursement"] == str(paid.id))
    assert row["Startup"] == '\'=HYPERLINK("http://evil")'
    assert row["Legal name"] == "'+Evil Corp SAS"
    assert row["Payment reference"] == "'@SUM(A1)" and row["Note"] == "'-2+3"
    assert row["Amount"] == "10000.50" and row["Currency"] == "USD"
    assert row["Status"] == "paid" and row["Tranche"] == "Kickoff"
    assert row["Approver"] == approver.name and row["Requested by"] == requester.name
    assert row["Paid on"] == date.today().isoformat()
    assert row["Approved on"] == date.today().isoformat()


def test_scope_by_cohort_program_and_dates(db, login_as, ledger):
    grant, other, paid = ledger
    from accelerator.extensions import db as _db
    from accelerator.programs.models import Cohort, Enrollment

    enrollment = _db.session.get(Enrollment, grant.enrollment_id)
    cohort = _db.session.get(Cohort, enrollment.cohort_id)
    client = login_as(factories.make_user(role="staff"))
    assert [r["Disbursement"] for r in _csv(client, f"cohort={cohort.id}")] == [str(paid.id)]
    assert len(_csv(client, f"program={cohort.program_id}")) == 1
    assert len(_csv(client, "date_basis=paid")) == 1  # only paid rows have a payment date
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert _csv(client, f"since={tomorrow}") == []
    assert len(_csv(client, f"until={date.today().isoformat()}")) == 2


def test_xlsx_is_a_workbook_with_numbers_and_neutralised_text(db, login_as, ledger):
    response = login_as(factories.make_user(role="admin")).get("/grants/export?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Disbursement", "Program", "Cohort", "Startup", "Legal name"]
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    paid_row = values[ledger[2].id]
    assert paid_row[header.index("Amount")] == pytest.approx(10000.50)
    assert paid_row[header.index("Startup")].startswith("'=")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}"


def test_bad_export_input_shows_the_form(db, login_as):
    client = login_as(factories.make_user(role="staff"))
    for query in [
        "format=pdf",
        "since=yesterday",
        "since=2024-05-01&until=2024-01-01",
        "date_basis=sideways",
    ]:
        response = client.get(f"/grants/export?{query}")
        assert response.status_code == 200 and "<form" in response.text
    assert (
        "before the start"
        in client.get("/grants/export?format=csv&since=2024-05-01&until=2024-01-01").text
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tcmd", "'\tcmd"),
        ("plain", "plain"),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
