"""Re-importing never duplicates: Unicode-aware names, and a file recognised by its checksum."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from accelerator.applications import importing
from accelerator.applications.models import ApplicationImport, Startup
from accelerator.applications.vocab import parse_country
from accelerator.core.errors import Conflict
from accelerator.core.models import StoredFile
from accelerator.core.text import name_key
from accelerator.extensions import db
from tests.applications.conftest import upload

NAMES = ["Société 12 — Éclair", "ÉTOILE Straße", "Ørsted Ünïcode", "İstanbul Labs"]


def _csv(*names: str, extra: str = "") -> bytes:
    lines = ["Startup name,Country,Description"] + [f"{n},FR,{extra}" for n in names]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import(cohort, staff, data: bytes):
    batch = importing.create_import(
        cohort=cohort, upload=upload(data, "f6s.csv", "text/csv"), actor=staff
    )
    return importing.run_import(batch, mapping=batch.mapping, mode=importing.GOOD_ROWS, actor=staff)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_name_keys_fold_case_accents_forms_and_spaces():
    assert name_key("Société 12 — Éclair") == name_key("SOCIÉTÉ  12 — éclair")
    assert name_key("ÉTOILE Straße") == name_key("étoile STRASSE")
    assert name_key("ｆｕｌｌ width") == name_key("FULL WIDTH")  # NFKC
    assert name_key("L’Atelier") == name_key("l'atelier")


def test_the_same_startups_with_other_cases_are_recognised(cohort, make, staff):
    other_cohort = make.make_cohort(phase="open")
    _import(cohort, staff, _csv(*NAMES))
    startups = _count(Startup)
    report = _import(other_cohort, staff, _csv(*(n.upper() for n in NAMES)))
    assert _count(Startup) == startups  # reused, none created again
    assert report.reused == len(NAMES)
    keys = db.session.scalars(select(Startup.name_key).where(Startup.source == "import")).all()
    assert sorted(keys) == sorted(name_key(n) for n in NAMES)


def test_a_file_already_imported_into_the_cohort_is_refused_before_anything_is_written(
    cohort, staff
):
    data = _csv(*NAMES)
    _import(cohort, staff, data)
    files, batches = _count(StoredFile), _count(ApplicationImport)
    with pytest.raises(Conflict) as refused:
        importing.create_import(
            cohort=cohort, upload=upload(data, "again.csv", "text/csv"), actor=staff
        )
    assert "This file was already imported into" in refused.value.message
    assert "(4 applications)" in refused.value.message
    assert (_count(StoredFile), _count(ApplicationImport)) == (files, batches)


def test_the_upload_page_says_the_file_was_imported(login_as, cohort, staff):
    data = _csv(*NAMES)
    _import(cohort, staff, data)
    response = login_as(staff).post(
        "/applications/import",
        data={"cohort": str(cohort.id), "file": (io.BytesIO(data), "f.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code != 302  # (its 409/422 code is issue 10's)
    assert "This file was already imported into" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "text,code",
    [
        ("Côte d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("COTE D'IVOIRE", "CI"),
        ("Deutschland", "DE"),
        ("Sénégal", "SN"),
        ("senegal", "SN"),
        ("España", "ES"),
        ("Россия", "RU"),
        ("fr", "FR"),
    ],
)
def test_country_names_in_any_language_and_apostrophe(text, code):
    assert parse_country(text) == code


def test_unknown_countries_are_still_refused():
    assert parse_country("Atlantis") is None and parse_country("") is None
