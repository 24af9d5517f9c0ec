"""CSV import: encodings, delimiters, mapping, bad rows by line, all-or-nothing, 10k rows."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from accelerator import ROOT
from accelerator.applications import importing
from accelerator.applications.csvfiles import decode, guess_mapping
from accelerator.applications.models import (
    Application,
    ApplicationImport,
    ApplicationStatus,
    ImportState,
    Startup,
)
from accelerator.core.errors import InvalidState, ValidationFailed
from accelerator.core.models import AuditEvent, StoredFile
from accelerator.extensions import db
from tests import factories
from tests.applications.conftest import upload

HEADER = "Startup name,Country,Stage,Monthly revenue (EUR),Active users,Contact email,Submitted at"
GOOD = [
    'Ondine Labs,France,Seed,"18,500",42,camille@ondine.example.org,2025-01-14 10:32',
    "Baobab Pay,SN,pre-seed,4200,300,awa@baobab.example.org,15/01/2025",
]


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def _batch(cohort, staff, data: bytes, name: str = "f6s.csv") -> ApplicationImport:
    return importing.create_import(
        cohort=cohort, upload=upload(data, name, "text/csv"), actor=staff
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Reading files


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_encodings(cohort, staff, encoding):
    batch = _batch(
        cohort, staff, _csv(HEADER, "Société Générale Élan,FR,seed,,,,", encoding=encoding)
    )
    report = importing.check(batch)
    assert report.ok and report.good[0]["name"] == "Société Générale Élan"


@pytest.mark.parametrize("separator", [";", "\t", ","])
def test_delimiters(cohort, staff, separator):
    data = _csv(
        separator.join(["Startup name", "Country", "Description"]),
        separator.join(["Acme", "FR", '"Text, with a comma; and ""quotes"""']),
    )
    report = importing.check(_batch(cohort, staff, data))
    assert report.ok and report.good[0]["description"] == 'Text, with a comma; and "quotes"'


def test_a_row_with_too_many_cells_is_reported_by_line(cohort, staff):
    data = _csv(
        "Startup name,Country,Description",
        "Acme,FR,ok",
        "Beta,FR,Text, unquoted",
        'Gamma,FR,"multi\nline"',
        "Delta,FR,fine,",
    )
    report = importing.check(_batch(cohort, staff, data))
    assert [(p.line, p.reasons[0][:8]) for p in report.problems] == [(3, "4 cells ")]
    assert [r["name"] for r in report.good] == ["Acme", "Gamma", "Delta"]


def test_duplicate_and_empty_headers_get_names(cohort, staff):
    batch = _batch(cohort, staff, _csv("Startup name,Email,Email,", "Acme,a@example.org,b,x"))
    assert importing.check(batch).columns == ["Startup name", "Email", "Email (2)", "Column 4"]


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"PK\x03\x04xlsx", "Excel"),
        (b"\x00\x01\x02binary", "not a text"),
        (b'a,b\n"unclosed,1\n', "could not be read"),
    ],
)
def test_unreadable_files_get_a_clear_message(cohort, staff, data, message):
    with pytest.raises(ValidationFailed, match=message):
        _batch(cohort, staff, data)
    assert _count(ApplicationImport) == 0


def test_too_many_rows(app, cohort, staff, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    with pytest.raises(ValidationFailed, match="at most 2"):
        _batch(cohort, staff, _csv(HEADER, *GOOD, GOOD[0]))


def test_the_mapping_is_guessed_from_usual_headers():
    mapping = guess_mapping(
        ["Company Name", "E-mail", "MRR", "Founded", "Team Size", "HQ Country", "Unrelated"]
    )
    assert mapping == {
        "name": "Company Name",
        "contact_email": "E-mail",
        "monthly_revenue": "MRR",
        "founded_year": "Founded",
        "team_size": "Team Size",
        "country": "HQ Country",
    }


def test_the_upload_is_kept_in_a_stored_file(cohort, staff):
    batch = _batch(cohort, staff, _csv(HEADER, *GOOD))
    assert batch.state == ImportState.PENDING and batch.row_count == 2
    stored = db.session.get(StoredFile, batch.file_id)
    assert stored.content_type == "text/csv" and batch.encoding == "utf-8-sig"


# Checking rows


def test_each_bad_row_is_reported_with_its_line_and_reason(cohort, staff):
    batch = _batch(
        cohort,
        staff,
        _csv(
            HEADER,
            GOOD[0],
            "Kestrel,Atlantis,Seed,100,1,k@example.org,",  # line 3: country
            "Sillon,FR,unicorn,abc,-4,not-an-email,2099-01-01",  # line 4: four problems
            ",FR,Seed,,,,",  # line 5: no name
            ",,,,,,",  # line 6: empty, skipped
            '=HYPERLINK("http://x"),FR,Seed,,,,',  # line 7: formula
            "ondine labs,FR,Seed,,,,",  # line 8: duplicate of line 2
        ),
    )
    report = importing.check(batch)
    problems = {p.line: " | ".join(p.reasons) for p in report.problems}
    assert sorted(problems) == [3, 4, 5, 7, 8]
    assert "not a known country" in problems[3]
    for reason in (
        "not a stage",
        "not an amount",
        "not a whole number",
        "not an email address",
        "plausible submission date",
    ):
        assert reason in problems[4]
    assert "startup name is empty" in problems[5]
    assert "spreadsheet formula" in problems[7]
    assert "same startup as line 2" in problems[8]
    assert report.blank == 1 and len(report.good) == 1


def test_a_missing_name_column_is_reported(cohort, staff):
    batch = _batch(cohort, staff, _csv("Company HQ,Revenue", "Paris,10"))
    report = importing.check(batch)
    assert report.missing_required == ["name"] and not report.ok
    fixed = importing.check(batch, mapping={"name": "Company HQ", "monthly_revenue": "Revenue"})
    assert fixed.ok and fixed.good[0]["monthly_revenue_cents"] == 1000


def test_mapping_to_columns_that_do_not_exist_is_ignored(cohort, staff):
    batch = _batch(cohort, staff, _csv(HEADER, *GOOD))
    report = importing.check(
        batch, mapping={"name": "Startup name", "country": "Nope", "evil": "Country"}
    )
    assert report.mapping == {"name": "Startup name"}


def test_startups_already_in_the_cohort_are_refused(cohort, staff):
    factories.make_application(cohort=cohort, startup=factories.make_startup(name="ONDINE LABS"))
    report = importing.check(_batch(cohort, staff, _csv(HEADER, *GOOD)))
    assert [p.line for p in report.problems] == [2]
    assert "already has an application" in report.problems[0].reasons[0]


# Importing


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(cohort, staff):
    batch = _batch(cohort, staff, _csv(HEADER, *GOOD, "Bad,Atlantis,,,,,"))
    report = importing.run_import(
        batch, mapping=batch.mapping, mode=importing.ALL_OR_NOTHING, actor=staff
    )
    assert report.imported == 0 and [p.line for p in report.problems] == [4]
    assert _count(Application) == 0 and _count(Startup) == 0
    assert batch.state == ImportState.PENDING


def test_only_the_good_rows_when_staff_choose_so(cohort, staff):
    batch = _batch(cohort, staff, _csv(HEADER, *GOOD, "Bad,Atlantis,,,,,"))
    report = importing.run_import(
        batch, mapping=batch.mapping, mode=importing.GOOD_ROWS, actor=staff
    )
    assert report.imported == 2
    applications = db.session.scalars(select(Application).order_by(Application.id)).all()
    assert [a.source for a in applications] == ["import", "import"]
    assert all(
        a.status == ApplicationStatus.SUBMITTED and a.import_id == batch.id for a in applications
    )
    assert applications[0].monthly_revenue_cents == 1_850_000
    assert applications[0].submitted_at.strftime("%Y-%m-%d %H:%M") == "2025-01-14 09:32"  # Paris
    startups = db.session.scalars(select(Startup).order_by(Startup.id)).all()
    assert [s.source for s in startups] == ["import", "import"]
    assert startups[0].contact_email == "camille@ondine.example.org" and startups[0].country == "FR"
    assert batch.state == ImportState.IMPORTED and batch.skipped_count == 1
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "applications")
    ).all()
    assert events == ["application.imported", "application.imported"]
    with pytest.raises(InvalidState):
        importing.run_import(batch, mapping=batch.mapping, mode=importing.GOOD_ROWS, actor=staff)


def test_an_existing_startup_gets_the_imported_application(cohort, staff):
    existing = factories.make_startup(name="Ondine Labs")
    batch = _batch(cohort, staff, _csv(HEADER, GOOD[0]))
    report = importing.run_import(batch, mapping=batch.mapping, mode="all", actor=staff)
    assert report.reused == 1
    assert db.session.scalar(select(Application.startup_id)) == existing.id


def test_the_documented_sample_imports_cleanly(cohort, staff):
    data = (ROOT / "seed_data" / "sample_applications_import.csv").read_bytes()
    batch = _batch(cohort, staff, data)
    report = importing.check(batch)
    assert report.ok, [(p.line, p.reasons) for p in report.problems]
    assert len(report.mapping) >= 20 and len(report.good) == 6
    importing.run_import(batch, mapping=report.mapping, mode="all", actor=staff)
    assert _count(Application) == 6


def _import_rows(cohort, staff, count: int, first: int = 0) -> None:
    lines = [HEADER] + [
        f"Startup {i},FR,seed,{i}.50,{i},founder{i}@example.org,2025-01-{1 + i % 28:02d}"
        for i in range(first, first + count)
    ]
    batch = _batch(cohort, staff, _csv(*lines))
    report = importing.check(batch)
    assert report.ok and len(report.good) == count
    report = importing.run_import(batch, mapping=batch.mapping, mode="all", actor=staff)
    assert report.imported == count


def test_an_import_writes_in_batches_not_row_by_row(cohort, staff, count_queries):
    """What a big import costs is measured by `python -m bench applications` (10,000 rows).
    Here: on PostgreSQL four times the rows take a handful more statements (multi-row
    INSERT ... RETURNING); SQLite returns ids in order only row by row, so there it is two
    inserts a row (startup, application) and nothing else per row (no lookups)."""
    with count_queries() as small:
        _import_rows(cohort, staff, 300)
    with count_queries() as large:
        _import_rows(cohort, staff, 1_200, first=300)
    assert _count(Application) == 1_500
    if db.engine.dialect.name == "postgresql":
        assert large.count - small.count <= 12, (small.count, large.count)
    else:
        per_row = (large.count - small.count) / 900
        assert per_row <= 2.05, (small.count, large.count)


# Through the pages


def test_upload_preview_and_import_through_the_pages(login_as, staff, cohort):
    client = login_as(staff)
    data = _csv(HEADER, *GOOD, "Bad,Atlantis,,,,,")
    response = client.post(
        "/applications/import",
        data={"cohort": str(cohort.id), "file": (io.BytesIO(data), "typeform.csv")},
        content_type="multipart/form-data",
    )
    batch = db.session.scalar(select(ApplicationImport))
    assert response.location == f"/applications/import/{batch.id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "Line 4" in page and "Atlantis" in page and "Ondine Labs" in page
    form = {f"map_{k}": v for k, v in batch.mapping.items()}
    response = client.post(response.location, data={**form, "mode": "all", "run": "1"})
    assert response.status_code == 422  # refused: the rows must be fixed first
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert _count(Application) == 0
    response = client.post(
        f"/applications/import/{batch.id}", data={**form, "mode": "good", "run": "1"}
    )
    assert response.location.startswith("/applications?cohort=")
    assert _count(Application) == 2
    page = client.get(f"/applications/import/{batch.id}").get_data(as_text=True)
    assert "2 applications imported, 1 rows skipped" in page


def test_the_preview_remembers_a_changed_mapping(login_as, staff, cohort):
    batch = _batch(cohort, staff, _csv("Company HQ,Revenue", "Paris,10"))
    client = login_as(staff)
    page = client.get(f"/applications/import/{batch.id}").get_data(as_text=True)
    assert "No column is chosen for the startup" in page
    client.post(
        f"/applications/import/{batch.id}",
        data={"map_name": "Company HQ", "mode": "all", "check": "1"},
    )
    db.session.refresh(batch)
    assert batch.mapping["name"] == "Company HQ"
    response = client.post(
        f"/applications/import/{batch.id}",
        data={"map_name": "Not a column", "mode": "all", "check": "1"},
    )
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)


def test_upload_errors_show_on_the_form(login_as, staff, cohort):
    response = login_as(staff).post(
        "/applications/import",
        data={"cohort": str(cohort.id), "file": (io.BytesIO(b"PK\x03\x04"), "book.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "Excel workbook" in response.get_data(as_text=True)
    response = login_as(staff).post("/applications/import", data={"cohort": "999999"})
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)


def test_decode_prefers_utf8_and_falls_back():
    assert decode("é".encode())[1] == "utf-8-sig"
    assert decode("é".encode("cp1252"))[1] == "cp1252"
    assert decode(b"\x81\x8d")[1] == "latin-1"
