"""HTTP tests of the staff pages: the list (filters, sorting, query count), detail, export."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pandas as pd
import pytest

from accelerator.applications import services
from accelerator.applications.models import Stage, Startup
from accelerator.core.types import utcnow
from accelerator.extensions import db
from tests import factories
from tests.pages import unsigned


@pytest.fixture
def world(db):
    """Three applications across two cohorts of two programs."""
    paris = factories.make_program(name="Orange Fab France")
    valley = factories.make_program(
        name="Orange Fab Silicon Valley", timezone="America/Los_Angeles"
    )
    s13 = factories.make_cohort(program=paris, name="Season 13")
    c8 = factories.make_cohort(program=valley, name="Cohort 8")
    now = utcnow()
    ondine = factories.make_application(
        cohort=s13,
        submitted_at=now - timedelta(days=10),
        startup=factories.make_startup(
            name="Ondine Labs", country="FR", sector="Telecom & networks", stage=Stage.SEED
        ),
    )
    kestrel = factories.make_application(
        cohort=s13,
        status="in_review",
        submitted_at=now - timedelta(days=2),
        startup=factories.make_startup(
            name="Kestrel Security", country="GB", sector="Cybersecurity", stage=Stage.SERIES_A
        ),
    )
    baobab = factories.make_application(
        cohort=c8,
        status="draft",
        complete=False,
        startup=factories.make_startup(
            name="Baobab_Pay 100%", country="SN", sector="Fintech", stage=Stage.PRE_SEED
        ),
    )
    return {
        "s13": s13,
        "c8": c8,
        "paris": paris,
        "ondine": ondine,
        "kestrel": kestrel,
        "baobab": baobab,
    }


def _names(client, query: str = "") -> list[str]:
    page = client.get(f"/applications{query}").get_data(as_text=True)
    return [n for n in ("Ondine Labs", "Kestrel Security", "Baobab_Pay 100%") if n in page]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", ["Ondine Labs", "Kestrel Security", "Baobab_Pay 100%"]),
        ("?q=ondine", ["Ondine Labs"]),
        ("?q=KESTREL", ["Kestrel Security"]),
        ("?q=100%25", ["Baobab_Pay 100%"]),  # % and _ are searched literally
        ("?q=_", ["Baobab_Pay 100%"]),
        ("?status=in_review", ["Kestrel Security"]),
        ("?country=gb", ["Kestrel Security"]),
        ("?sector=Fintech", ["Baobab_Pay 100%"]),
        ("?stage=seed", ["Ondine Labs"]),
        (
            "?status=nonsense&stage=nope&country=France&from=x&to=y&sort=evil&dir=up",
            ["Ondine Labs", "Kestrel Security", "Baobab_Pay 100%"],
        ),
    ],
)
def test_filters(login_as, staff, world, query, expected):
    assert sorted(_names(login_as(staff), query)) == sorted(expected)


def test_filter_by_cohort_and_program(login_as, staff, world):
    client = login_as(staff)
    assert sorted(_names(client, f"?cohort={world['s13'].id}")) == [
        "Kestrel Security",
        "Ondine Labs",
    ]
    assert _names(client, f"?program={world['paris'].id}&status=submitted") == ["Ondine Labs"]


def test_filter_by_submission_date(login_as, staff, world):
    day = (utcnow() - timedelta(days=5)).date().isoformat()
    client = login_as(staff)
    assert _names(client, f"?from={day}") == ["Kestrel Security"]
    assert _names(client, f"?to={day}") == ["Ondine Labs"]


def test_sorting(login_as, staff, world):
    client = login_as(staff)
    page = client.get("/applications?sort=startup&dir=asc").get_data(as_text=True)
    assert page.index("Baobab_Pay") < page.index("Kestrel") < page.index("Ondine")
    page = client.get("/applications?sort=submitted&dir=desc").get_data(as_text=True)
    assert page.index("Kestrel") < page.index("Ondine") < page.index("Baobab_Pay")  # drafts last
    page = client.get("/applications?sort=submitted&dir=asc").get_data(as_text=True)
    assert page.index("Ondine") < page.index("Kestrel") < page.index("Baobab_Pay")


def test_pagination(app, login_as, staff, world, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    client = login_as(staff)
    first = client.get("/applications?sort=startup&dir=asc").get_data(as_text=True)
    second = client.get("/applications?sort=startup&dir=asc&page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Ondine" not in first and "Ondine" in second
    assert client.get("/applications?page=99").status_code == 200


def test_the_list_is_kept_until_an_application_or_startup_changes(
    login_as, staff, admin, world, count_queries
):
    """Kept as rendered for every staff member asking the same (core.cache.kept_body): a second
    view reads nothing but its user, and a change committed in between shows on the next."""
    db.session.commit()
    client = login_as(staff)
    first = client.get("/applications?sort=startup&dir=asc").get_data(as_text=True)
    with count_queries() as counter:
        again = client.get("/applications?sort=startup&dir=asc").get_data(as_text=True)
    assert (
        unsigned(again) == unsigned(first) and counter.count <= 2
    )  # the session's user, nothing of the list
    factories.make_application(
        cohort=world["s13"],
        status="submitted",
        startup=factories.make_startup(name="Société Éclair"),
    )
    db.session.commit()
    assert "Société Éclair" in client.get("/applications?sort=startup&dir=asc").get_data(
        as_text=True
    )
    db.session.get(Startup, world["ondine"].startup_id).name = "Ondine Océan"
    db.session.commit()
    page = client.get("/applications?sort=startup&dir=asc").get_data(as_text=True)
    assert "Ondine Océan" in page and "Ondine Labs" not in page
    # Another filter is its own page, and an admin sees the same rows.
    assert _names(client, "?q=kestrel") == ["Kestrel Security"]
    assert "Ondine Océan" in login_as(admin).get("/applications").get_data(as_text=True)


def test_empty_state(login_as, staff, db):
    assert "No applications yet." in login_as(staff).get("/applications").get_data(as_text=True)


def test_the_list_costs_the_same_queries_whatever_the_data_size(
    login_as, staff, count_queries, full_page_counts, computed_figures
):
    client = login_as(staff)
    cohort = factories.make_cohort()

    def add(n):
        for _ in range(n):
            startup = factories.make_startup(founders=[factories.make_user()])
            factories.make_application(cohort=cohort, startup=startup)

    def measure(query):
        with count_queries() as counter:
            assert client.get(f"/applications{query}").status_code == 200
        return counter.count

    add(3)
    small = [measure(q) for q in ("", "?sort=startup", f"?cohort={cohort.id}&q=startup")]
    add(30)
    large = [measure(q) for q in ("", "?sort=startup", f"?cohort={cohort.id}&q=startup")]
    assert small == large
    assert max(large) <= 10


def test_detail_has_every_answer_the_deck_the_team_and_history(login_as, staff, founder, cohort):
    startup = factories.make_startup(founders=[founder], name="Ondine Labs")
    draft = factories.make_application(cohort=cohort, startup=startup, status="draft")
    draft.pitch_deck_id = factories.make_deck().id
    services.submit_application(draft, actor=founder)
    services.change_status(draft, services.ApplicationStatus.IN_REVIEW, actor=staff)
    page = login_as(staff).get(f"/applications/{draft.id}").get_data(as_text=True)
    for text in (
        factories.COMPLETE_ANSWERS["problem"],
        factories.COMPLETE_ANSWERS["team"],
        "$12,500.00",
        "1,800",
        "Download the pitch deck",
        founder.email,
        f"{staff.name} moved the application from “Submitted” to “In review”.",
    ):
        assert text in page, text


def test_mentors_and_founders_have_no_list(login_as, founder, mentor, db):
    assert login_as(founder).get("/applications").status_code == 403
    assert login_as(mentor).get("/applications/export.csv").status_code == 403


# Export


def test_csv_export_is_filtered_and_neutralises_formulas(login_as, staff, world):
    world["ondine"].problem = '=HYPERLINK("http://evil","x")'
    db.session.get(Startup, world["ondine"].startup_id).name = "@SUM(1+1)"
    world["ondine"].team = "-2+3"
    db.session.flush()
    response = login_as(staff).get(f"/applications/export.csv?cohort={world['s13'].id}")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.mimetype == "text/csv"
    frame = pd.read_csv(
        io.BytesIO(response.data), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert sorted(frame["startup"]) == ["'@SUM(1+1)", "Kestrel Security"]
    row = frame[frame["startup"] == "'@SUM(1+1)"].iloc[0]
    assert row["problem"].startswith("'=") and row["team"] == "'-2+3"
    assert row["monthly_revenue"] == "12500.0" and row["founders"].endswith("@example.com")


def test_xlsx_export_opens_and_holds_no_formula(login_as, staff, world):
    world["kestrel"].solution = "=1+1\x07bell"
    db.session.flush()
    response = login_as(staff).get("/applications/export.xlsx?status=in_review")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    rows = list(sheet.values)
    header, data = rows[0], rows[1:]
    assert len(data) == 1
    record = dict(zip(header, data[0], strict=True))
    assert record["startup"] == "Kestrel Security" and record["solution"] == "'=1+1bell"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
