"""The "Pilots with business units" report: its tables, filters, chart and downloads, its
statement count, and the cohort dashboard's pilots overdue for decision."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pandas as pd
import pytest
from openpyxl import load_workbook

from accelerator.extensions import db
from tests import factories
from tests.pilots.outcome_data import make_intro, make_season


@pytest.fixture
def season(db):
    return make_season()


def _row(html: str, table: str, row: str) -> str:
    """The <tr> of `row` (an id or "all") in the table `table`."""
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.search(rf'<tr data-row="{row}">(.*?)</tr>', body, re.S).group(1)


def _cell(row_html: str, name: str) -> str:
    found = re.search(rf"<td[^>]*data-{name}>(.*?)</td>", row_html, re.S).group(1)
    return re.sub(r"<[^>]+>", " ", found).split()


def test_the_report_shows_each_unit_and_cohort(season, login_as, staff):
    response = login_as(staff).get(f"/reports/pilots?program={season.program.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Orange Cyberdéfense" in html and 'data-chart-url="/reports/programs/' in html
    bank = _row(html, "units-table", f"unit-{season.bank.id}")
    assert _cell(bank, "introductions") == ["6"]
    assert _cell(bank, "acceptance") == ["80%", "(4/5)"]
    assert _cell(bank, "started") == ["4"]
    assert _cell(bank, "go-rate") == ["66.7%", "(2/3)"]
    assert _cell(bank, "median-days") == ["20"]
    assert "€120,000.00" in bank and "$50,000.00" in bank
    quiet = _row(html, "units-table", f"unit-{season.quiet.id}")
    for name in ("acceptance", "go-rate", "median-days", "contract-value"):
        assert _cell(quiet, name) == ["—"], name
    s11 = _row(html, "cohorts-table", f"cohort-{season.s11.id}")
    assert _cell(s11, "introductions") == ["2"] and _cell(s11, "acceptance")[0] == "50%"
    assert _cell(_row(html, "units-table", "unit-all"), "introductions") == ["8"]


def test_a_cohort_filter_narrows_the_tables(season, login_as, staff):
    client = login_as(staff)
    url = f"/reports/pilots?program={season.program.id}&cohort={season.s11.id}"
    html = client.get(url).get_data(as_text=True)
    assert f'data-row="cohort-{season.s12.id}"' not in html
    assert _cell(_row(html, "units-table", f"unit-{season.bank.id}"), "introductions") == ["0"]
    assert f"pilots.xlsx?cohort={season.s11.id}" in html  # the downloads hold what is shown
    # A cohort of another program, or junk, shows every cohort; an unknown program is a 404.
    other = factories.make_cohort(phase="running")
    for junk in (other.id, "abc", "99999999999999999999"):
        page = client.get(f"/reports/pilots?program={season.program.id}&cohort={junk}")
        assert page.status_code == 200
        assert f'data-row="cohort-{season.s12.id}"' in page.get_data(as_text=True)
    assert client.get("/reports/pilots?program=987654").status_code == 404


def test_the_reports_page_leads_to_it(season, login_as, staff):
    html = login_as(staff).get(f"/reports/?program={season.program.id}").get_data(as_text=True)
    assert f'href="/reports/pilots?program={season.program.id}"' in html


def test_no_program_and_no_unit(db, login_as, staff):
    client = login_as(staff)
    assert "No program yet." in client.get("/reports/pilots").get_data(as_text=True)
    program = factories.make_program(name="Orange Fab Japan")
    html = client.get(f"/reports/pilots?program={program.id}").get_data(as_text=True)
    assert "This program has no business unit yet." in html
    assert "This program has no cohort yet." in html
    assert "data-chart-url" not in html


def test_the_chart_compares_units(season, login_as, staff):
    client = login_as(staff)
    data = client.get(f"/reports/programs/{season.program.id}/pilots.json").get_json()
    assert data["type"] == "bar"
    assert data["labels"] == ["Orange Bank", "Orange Cyberdéfense", "Orange Wholesale"]
    assert [d["data"] for d in data["datasets"]] == [[6, 2, 0], [4, 0, 0], [2, 0, 0]]
    narrowed = client.get(
        f"/reports/programs/{season.program.id}/pilots.json?cohort={season.s11.id}"
    ).get_json()
    assert narrowed["datasets"][0]["data"] == [0, 2, 0]


def test_downloads_in_excel_and_csv(season, login_as, staff):
    client = login_as(staff)
    response = client.get(f"/reports/programs/{season.program.id}/pilots.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(
        f'program-{season.program.id}-pilots.xlsx"'
    )
    book = pd.read_excel(io.BytesIO(response.data), sheet_name=None)
    assert list(book) == ["Business units", "Cohorts"]
    units = book["Business units"].set_index("Name")
    assert units.loc["Orange Bank", "Introductions"] == 6
    assert units.loc["Orange Bank", "Acceptance rate"] == pytest.approx(0.8)
    assert units.loc["Orange Bank", "Contract value (EUR)"] == 120_000
    assert units.loc["Orange Bank", "Contract value (USD)"] == 50_000
    assert pd.isna(units.loc["Orange Wholesale", "Go rate"])
    sheet = load_workbook(io.BytesIO(response.data))["Business units"]
    assert sheet["E2"].number_format.endswith("%")

    text = client.get(
        f"/reports/programs/{season.program.id}/pilots.csv?sheet=cohorts&cohort={season.s12.id}"
    ).data.decode("utf-8-sig")
    cohorts = pd.read_csv(io.StringIO(text))
    assert list(cohorts["Name"]) == ["Season 12"]
    assert cohorts.loc[0, "Median days to decision"] == 20


def test_statements_do_not_grow_with_introductions(db, login_as, staff, count_queries):
    program = factories.make_program()
    cohort = factories.make_cohort(program=program, phase="running")
    units = [factories.make_unit(program=program) for _ in range(3)]

    def add(count):
        for n in range(count):
            intro = make_intro(units[n % 3], cohort, "accepted")
            status = ("scoping", "running", "decided", "stopped")[n % 4]
            factories.make_pilot(status=status, introduction=intro)

    urls = [
        f"/reports/pilots?program={program.id}",
        f"/reports/programs/{program.id}/pilots.json",
        f"/reports/programs/{program.id}/pilots.xlsx",
    ]
    client = login_as(staff)
    add(3)
    counts = {}
    for url in urls:
        client.get(url)  # warm up
        with count_queries() as small:
            assert client.get(url).status_code == 200
        counts[url] = small.count
    add(27)
    factories.make_unit(program=program)
    for url in urls:
        with count_queries() as large:
            assert client.get(url).status_code == 200
        assert large.count == counts[url], (url, counts[url], large.count)


def test_the_dashboard_lists_the_cohorts_pilots_overdue_for_decision(season, login_as, staff):
    today = date.today()
    overdue = factories.make_pilot(
        status="running", introduction=make_intro(season.cyber, season.s12, "accepted")
    )
    overdue.starts_on, overdue.ends_on = today - timedelta(days=40), today - timedelta(days=10)
    overdue.decision_on = today - timedelta(days=5)
    elsewhere = factories.make_pilot(status="running")  # overdue, in another cohort
    elsewhere.starts_on = elsewhere.ends_on = elsewhere.decision_on = today - timedelta(days=9)
    db.session.flush()
    html = login_as(staff).get(f"/reports/cohorts/{season.s12.id}").get_data(as_text=True)
    assert 'data-overdue-pilots="1"' in html
    assert f'data-pilot="{overdue.id}"' in html and f'data-pilot="{elsewhere.id}"' not in html
    assert f"/pilots/{overdue.id}" in html and "Orange Cyberdéfense" in html
    assert "days overdue" in html

    html = login_as(staff).get(f"/reports/cohorts/{season.s11.id}").get_data(as_text=True)
    assert 'data-overdue-pilots="0"' in html and "No pilot is overdue for decision." in html


def test_the_dashboard_lists_ten_overdue_pilots_and_leads_to_the_board(season, login_as, staff):
    from accelerator.reports.dashboard import OVERDUE_SHOWN

    today = date.today()
    for n in range(OVERDUE_SHOWN + 1):
        pilot = factories.make_pilot(
            status="running", introduction=make_intro(season.bank, season.s12, "accepted")
        )
        pilot.starts_on = pilot.ends_on = today - timedelta(days=30)
        pilot.decision_on = today - timedelta(days=n + 1)
    db.session.flush()
    html = login_as(staff).get(f"/reports/cohorts/{season.s12.id}").get_data(as_text=True)
    assert html.count("data-pilot=") == OVERDUE_SHOWN
    assert f'data-overdue-pilots="{OVERDUE_SHOWN}+"' in html
    assert f"/pilots/board?cohort={season.s12.id}&amp;overdue=1" in html
    assert f"{OVERDUE_SHOWN + 1} days overdue" in html  # the longest overdue first
