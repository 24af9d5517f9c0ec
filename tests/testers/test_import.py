"""Importing testers through the staff pages and `flask testers import`: upload a CSV or an
XLSX, the columns matched from English or French headers, bad lines refused with their reasons
while the good ones import, a re-import that updates by e-mail and never duplicates, and
testers who left the panel never subscribed again."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from accelerator.core.models import AuditEvent
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs.models import Job, JobStatus
from accelerator.testers import importing, models, services, sheets
from tests import factories

ENGLISH = [
    "Email",
    "Full name",
    "Country",
    "Language",
    "Age band",
    "Gender",
    "Region",
    "Device",
    "OS",
    "Segment",
    "Interests",
    "Consent date",
    "Consent source",
    "Consent version",
]
FRENCH = [
    "Adresse e-mail",
    "Nom",
    "Pays",
    "Langue",
    "Tranche d'âge",
    "Sexe",
    "Région",
    "Appareil",
    "Système d'exploitation",
    "Type de client",
    "Centres d'intérêt",
    "Date de consentement",
    "Source du consentement",
    "Version du consentement",
]


def _line(email, name="Hélène Dupré", **changes):
    values = {
        "email": email,
        "name": name,
        "country": "France",
        "language": "fr",
        "age_band": "25-34",
        "gender": "female",
        "region": "Île-de-France",
        "device": "phone",
        "os": "iOS",
        "segment": "consumer",
        "interests": "fintech, mobilité",
        "consent_at": "2026-01-15",
        "consent_source": "lab'Explorers sign-up",
        "consent_version": "2026-01",
    }
    values.update(changes)
    return list(values.values())


def _frame(lines, header=ENGLISH) -> pd.DataFrame:
    return pd.DataFrame(lines, columns=header)


def _csv(lines, header=ENGLISH, sep=",") -> bytes:
    return _frame(lines, header).to_csv(index=False, sep=sep).encode("utf-8")


def _xlsx(lines, header=FRENCH) -> bytes:
    buffer = io.BytesIO()
    _frame(lines, header).to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def _upload(client, data: bytes, name="panel.csv"):
    return client.post(
        "/testers/panel/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _uploaded(client, data: bytes, name="panel.csv") -> int:
    response = _upload(client, data, name)
    assert response.status_code == 302, response.get_data(as_text=True)
    file_id = int(response.location.rsplit("/", 1)[1])
    assert response.location == f"/testers/panel/import/{file_id}"
    return file_id


def _mapping_form(mapping: dict[str, str], **extra) -> dict:
    return {**{f"map_{key}": column for key, column in mapping.items()}, **extra}


def _run(client, file_id: int, columns=ENGLISH):
    guessed = sheets.guess_mapping(columns)
    return client.post(f"/testers/panel/import/{file_id}", data=_mapping_form(guessed, run="1"))


def _testers() -> list[models.Tester]:
    return list(db.session.scalars(select(models.Tester).order_by(models.Tester.id)))


def _count() -> int:
    return db.session.scalar(select(func.count(models.Tester.id)))


@pytest.mark.parametrize("header", [ENGLISH, FRENCH], ids=["english", "french"])
def test_the_columns_are_matched_from_english_or_french_headers(header):
    assert sheets.guess_mapping(header) == dict(zip(sheets.FIELD_KEYS, header, strict=True))


def test_a_csv_is_previewed_with_each_bad_lines_reasons_then_the_good_ones_import(login_as, staff):
    lines = [
        _line("helene.dupre@example.fr"),
        _line("not-an-address", name="Bad Mail"),
        _line("marc@example.fr", name="Marc Petit", device="fridge"),
        _line("no.consent@example.fr", name="Sans Consentement", consent_at=""),
        _line("HELENE.DUPRE@example.fr", name="Twice"),
        _line(
            "john.smith@example.com",
            name="John Smith",
            country="US",
            language="English",
            age_band="45–54",
            gender="",
            os="android",
            segment="pro",
            consent_at="03/02/2026",
        ),
    ]
    client = login_as(staff)
    file_id = _uploaded(client, _csv(lines))

    preview = client.get(f"/testers/panel/import/{file_id}")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert 'data-count="created">2<' in page
    assert 'data-count="refused">4<' in page
    assert "Line 3</strong>: E-mail “not-an-address” is not an e-mail address" in page
    assert "Device “fridge” is not one of: phone, tablet, computer" in page
    assert "Line 5</strong>: Consent date is empty: without consent no one joins the panel" in page
    assert "Line 6</strong>: the same e-mail as line 2" in page
    assert _count() == 0  # a preview writes nothing

    response = _run(client, file_id)
    assert response.status_code == 302
    assert response.location == f"/testers/panel/import/{file_id}"
    done = client.get(response.location, follow_redirects=False).get_data(as_text=True)
    assert "Import done" in done and 'data-count="created">2<' in done
    assert "not-an-address" in done  # the refused lines stay readable

    helene, john = _testers()
    assert (helene.email, helene.name, helene.region) == (
        "helene.dupre@example.fr",
        "Hélène Dupré",
        "Île-de-France",
    )
    assert helene.interests == ["fintech", "mobilité"]
    assert (helene.country, helene.language, helene.age_band, helene.os) == (
        "FR",
        "fr",
        "25-34",
        "ios",
    )
    assert helene.consent_at.date().isoformat() == "2026-01-15"
    assert (john.country, john.language, john.age_band, john.gender, john.segment) == (
        "US",
        "en",
        "45-54",
        None,
        "pro",
    )
    assert john.consent_at.date().isoformat() == "2026-02-03"  # day first
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "testers.imported"))
    assert event.actor_id == staff.id
    assert (event.data["created"], event.data["updated"], event.data["refused"]) == (2, 0, 4)


def test_an_xlsx_with_french_headers_imports(login_as, staff):
    client = login_as(staff)
    lines = [
        _line("helene@example.fr"),
        _line(
            "luc@example.fr",
            name="Luc Émile",
            device="Ordinateur",
            os="Windows",
            segment="Professionnel",
            gender="Homme",
        ),
    ]
    file_id = _uploaded(client, _xlsx(lines), name="panel.xlsx")
    page = client.get(f"/testers/panel/import/{file_id}").get_data(as_text=True)
    assert 'data-count="created">2<' in page and 'data-count="refused">0<' in page
    assert _run(client, file_id, FRENCH).status_code == 302
    helene, luc = _testers()
    assert helene.name == "Hélène Dupré" and luc.name == "Luc Émile"
    assert (luc.device, luc.os, luc.segment, luc.gender) == ("computer", "windows", "pro", "male")


def test_a_reimport_updates_by_email_whatever_its_case_and_never_duplicates(login_as, staff):
    existing = factories.make_tester(email="helene.dupre@example.fr", name="H. Dupré", os="android")
    client = login_as(staff)
    lines = [
        _line("Helene.DUPRE@Example.FR", os="iOS"),
        _line("nouveau@example.fr", name="Nadia Nouveau"),
    ]
    file_id = _uploaded(client, _csv(lines, sep=";"))
    page = client.get(f"/testers/panel/import/{file_id}").get_data(as_text=True)
    assert 'data-count="created">1<' in page and 'data-count="updated">1<' in page
    _run(client, file_id)
    assert _count() == 2
    db.session.refresh(existing)
    assert (existing.name, existing.os, existing.email) == (
        "Hélène Dupré",
        "ios",
        "helene.dupre@example.fr",
    )

    again = _uploaded(client, _csv(lines, sep=";"), name="panel-again.csv")
    page = client.get(f"/testers/panel/import/{again}").get_data(as_text=True)
    assert 'data-count="created">0<' in page and 'data-count="unchanged">2<' in page
    _run(client, again)
    assert _count() == 2


def test_a_blank_optional_cell_keeps_what_the_panel_knows(staff):
    tester = factories.make_tester(
        email="keep@example.fr",
        name="Gardée Nom",
        region="Bretagne",
        gender="female",
        interests=["fintech", "mobilité"],
        consent_at=datetime(2026, 1, 15, tzinfo=UTC),
    )
    frame = _frame([_line("keep@example.fr", name="", region="", gender="")])
    report = importing.check(frame)
    assert report.updated == 0 and report.unchanged == 1
    assert tester.name == "Gardée Nom"


def test_testers_who_left_the_panel_are_never_subscribed_again(login_as, staff):
    left = factories.make_tester(email="parti@example.fr", name="Paul Parti")
    left.opted_out_at = utcnow() - timedelta(days=3)
    erased = factories.make_tester(email="efface@example.fr", name="Eve Effacée")
    services.erase_tester(erased, actor=staff)
    db.session.flush()
    client = login_as(staff)
    lines = [
        _line("PARTI@example.fr", name="Paul Parti"),
        _line("efface@example.fr", name="Eve"),
        _line("reste@example.fr", name="Rémi Reste"),
    ]
    file_id = _uploaded(client, _csv(lines))
    page = client.get(f"/testers/panel/import/{file_id}").get_data(as_text=True)
    assert "2 testers of this file left the panel or erased their data" in page
    assert "parti@example.fr left the panel on" in page
    assert "efface@example.fr asked for their data to be erased" in page
    _run(client, file_id)
    db.session.refresh(left)
    assert left.opted_out_at is not None and left.name == "Paul Parti"
    emails = [t.email for t in _testers()]
    assert "efface@example.fr" not in emails and "reste@example.fr" in emails
    assert _count() == 3


def test_a_file_without_the_required_columns_says_which(login_as, staff):
    client = login_as(staff)
    data = _csv([["a@example.fr", "Ana"]], header=["Courriel", "Nom"])
    file_id = _uploaded(client, data)
    page = client.get(f"/testers/panel/import/{file_id}").get_data(as_text=True)
    assert "No column is chosen for: Country, Language, Age band" in page
    response = client.post(
        f"/testers/panel/import/{file_id}",
        data=_mapping_form({"email": "Courriel", "name": "Nom"}, run="1"),
    )
    assert response.status_code == 422
    assert "Choose the columns that hold: Country" in response.get_data(as_text=True)
    assert _count() == 0


def test_the_mapping_can_be_changed_and_checked_again(login_as, staff):
    client = login_as(staff)
    header = [*ENGLISH[:-1], "Terms"]  # "Terms" is not a known name of the consent version
    file_id = _uploaded(client, _csv([_line("a@example.fr")], header=header))
    assert "No column is chosen for: Consent version" in client.get(
        f"/testers/panel/import/{file_id}"
    ).get_data(as_text=True)
    mapping = {**sheets.guess_mapping(header), "consent_version": "Terms"}
    checked = client.post(
        f"/testers/panel/import/{file_id}", data=_mapping_form(mapping, check="1")
    )
    assert checked.status_code == 200
    assert 'data-count="created">1<' in checked.get_data(as_text=True)
    client.post(f"/testers/panel/import/{file_id}", data=_mapping_form(mapping, run="1"))
    assert _testers()[0].consent_version == "2026-01"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "The file is empty."),
        (b"%PDF-1.7\x00\x00binary", "neither a CSV file nor an Excel workbook"),
        (b"PK\x03\x04broken zip", "This file could not be read"),
    ],
    ids=["empty", "pdf", "broken-xlsx"],
)
def test_a_file_that_is_not_a_table_is_refused_beside_the_field(login_as, staff, data, message):
    response = _upload(login_as(staff), data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_stored_file_of_another_kind_is_not_an_import(login_as, staff):
    from accelerator.core.files import store_bytes

    deck = store_bytes(b"%PDF-1.7", filename="deck.pdf", content_type="application/pdf")
    assert login_as(staff).get(f"/testers/panel/import/{deck.id}").status_code == 404


def test_a_long_file_imports_as_a_job_with_progress(login_as, staff, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 5)
    client = login_as(staff)
    lines = [_line(f"tester{n}@example.fr", name=f"Testeur {n}") for n in range(12)]
    file_id = _uploaded(client, _csv(lines))
    response = _run(client, file_id)
    job = db.session.scalar(select(Job))
    assert response.location == f"/jobs/{job.id}"
    assert job.kind == "testers.import" and job.status == JobStatus.DONE
    assert _count() == 12
    page = client.get(response.location).get_data(as_text=True)
    assert "Import of testers" in page and "12 testers added, 0 updated, 0 lines refused." in page
    assert "Import done" in client.get(f"/testers/panel/import/{file_id}").get_data(as_text=True)


def test_no_job_starts_for_a_file_without_its_required_columns(login_as, staff, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 0)
    client = login_as(staff)
    file_id = _uploaded(client, _csv([_line("a@example.fr")]))
    mapping = {**sheets.guess_mapping(ENGLISH), "consent_at": ""}  # "(not imported)"
    response = client.post(f"/testers/panel/import/{file_id}", data=_mapping_form(mapping, run="1"))
    assert response.status_code == 422
    assert "Choose the columns that hold: Consent date." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_the_preview_and_the_import_are_staff_only(login_as, staff, founder):
    file_id = _uploaded(login_as(staff), _csv([_line("a@example.fr")]))
    client = login_as(founder)
    assert client.get(f"/testers/panel/import/{file_id}").status_code == 403
    assert _run(client, file_id).status_code == 403
    assert _count() == 0


def test_the_command_imports_a_file_and_prints_the_counts_and_reasons(app, db, tmp_path):
    factories.make_tester(email="deja@example.fr", name="Déjà Là", os="android")
    path = tmp_path / "lab-explorers.csv"
    path.write_bytes(
        _csv(
            [
                _line("deja@example.fr", name="Déjà Là"),
                _line("Hélène@", name="Hélène Dupré"),
                _line("neuve@example.fr", name="Hélène Neuve"),
            ],
            header=FRENCH,
        )
    )
    result = app.test_cli_runner().invoke(args=["testers", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated, 0 unchanged, 1 refused" in result.output
    assert "line 3: E-mail “Hélène@” is not an e-mail address" in result.output
    assert {t.name for t in _testers()} == {"Déjà Là", "Hélène Neuve"}

    result = app.test_cli_runner().invoke(
        args=["testers", "import", str(path), "--mapping", "email=Nom"]
    )
    assert result.exit_code == 0
    assert "0 created" in result.output and "3 refused" in result.output

    result = app.test_cli_runner().invoke(
        args=["testers", "import", str(path), "--mapping", "colour=Nom"]
    )
    assert result.exit_code != 0 and "is not field=Column" in result.output
