"""The sheet of testers staff upload, before any line is checked: its cells read as text (a CSV
in UTF-8, UTF-16, Windows or Latin-1 with any usual separator, or an XLSX's first sheet), the
fields an import fills, and which column fills each (guessed from English or French headers,
changed by staff or by the CLI's --mapping)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pandas as pd
from flask_babel import lazy_gettext as _l

from accelerator.core import textfiles
from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.text import loose_key


@dataclass(frozen=True)
class ImportField:
    key: str  # the Tester column it fills
    label: Any  # lazy: what the mapping form and the reasons call it
    required: bool
    known_as: str  # the header names it is known by, English and French, separated by "|"

    @property
    def aliases(self) -> list[str]:
        return [self.key.replace("_", " "), *self.known_as.split("|")]


FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "email",
        _l("E-mail"),
        True,
        "e-mail|mail|email address|e-mail address|adresse e-mail|adresse email|adresse mail|"
        "adresse électronique|courriel",
    ),
    ImportField(
        "name", _l("Name"), False, "full name|nom|nom complet|prénom nom|nom prénom|tester"
    ),
    ImportField("country", _l("Country"), True, "pays|country code|code pays"),
    ImportField(
        "language", _l("Language"), True, "lang|langue|locale|preferred language|langue préférée"
    ),
    ImportField(
        "age_band",
        _l("Age band"),
        True,
        "age range|age group|age|tranche d'âge|classe d'âge|âge",
    ),
    ImportField("gender", _l("Gender"), False, "sex|genre|sexe"),
    ImportField("region", _l("Region"), False, "région|state|state region|département"),
    ImportField(
        "device", _l("Device"), True, "main device|appareil|appareil principal|terminal|équipement"
    ),
    ImportField(
        "os",
        _l("Operating system"),
        True,
        "operating system|système d'exploitation|platform|plateforme",
    ),
    ImportField(
        "segment",
        _l("Customer segment"),
        True,
        "customer segment|customer type|segment client|type de client|clientèle",
    ),
    ImportField("interests", _l("Interests"), False, "topics|intérêts|centres d'intérêt|sujets"),
    ImportField(
        "consent_at",
        _l("Consent date"),
        True,
        "consent date|consented at|consented on|date of consent|consent|opt-in date|"
        "date de consentement|date du consentement|consentement|date d'accord",
    ),
    ImportField(
        "consent_source",
        _l("Consent source"),
        True,
        "source|source du consentement|source de consentement|origine|origine du consentement",
    ),
    ImportField(
        "consent_version",
        _l("Consent version"),
        True,
        "version|terms version|version du consentement|version des conditions|version cgu",
    ),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
REQUIRED_KEYS = tuple(f.key for f in FIELDS if f.required)
LABELS = {f.key: f.label for f in FIELDS}
#: Attributes an import fills on an existing tester when their cell holds a value.
UPDATABLE = tuple(k for k in FIELD_KEYS if k != "email")


# --- Reading the file ------------------------------------------------------------------------


def is_xlsx(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _decode(data: bytes) -> str:
    text, _encoding = textfiles.decode(
        data, not_text=_("This is neither a CSV file nor an Excel workbook.")
    )
    return text


def read_frame(data: bytes, *, sep: str | None = None) -> pd.DataFrame:
    """The file's cells as text ("" when empty), by pandas: row i is spreadsheet line i + 2.
    An XLSX is read from its first sheet; a CSV in UTF-8 (or UTF-16, Windows, Latin-1) with
    commas, semicolons, tabs or bars between columns. A file that cannot be read is refused
    beside the file field."""
    if not data.strip():
        raise ValidationFailed(_("The file is empty."), field="file")
    try:
        if is_xlsx(data):
            frame = pd.read_excel(
                io.BytesIO(data), sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl"
            )
        else:
            text = _decode(data)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=sep or textfiles.delimiter(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
            )
    except ValidationFailed:
        raise
    except Exception as error:  # a damaged file: pandas and openpyxl raise many kinds
        if isinstance(error, MemoryError):  # pragma: no cover
            raise
        raise ValidationFailed(
            _("This file could not be read: %(reason)s", reason=str(error)[:200]), field="file"
        ) from error
    frame.columns = [str(c).strip() or f"Column {i}" for i, c in enumerate(frame.columns, 1)]
    if frame.columns.empty:
        raise ValidationFailed(_("The first line must hold the column names."), field="file")
    frame = frame.fillna("").astype(str)
    while len(frame) and not "".join(frame.iloc[-1]).strip():
        frame = frame.iloc[:-1]  # trailing empty lines
    return frame


# --- Which column fills which field ----------------------------------------------------------


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Field key -> column, from the usual header names in English and French (accents, case
    and punctuation aside); each column is used once."""
    keys = {column: loose_key(column) for column in columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for spec in FIELDS:
        for alias in spec.aliases:
            wanted = loose_key(alias)
            found = next((c for c in columns if keys[c] == wanted and c not in used), None)
            if found is not None:
                mapping[spec.key] = found
                used.add(found)
                break
    return mapping


def clean_mapping(raw: dict[str, Any], columns: list[str]) -> dict[str, str]:
    """Only fields mapped to columns the file has."""
    return {k: str(c) for k, c in raw.items() if k in FIELD_KEYS and c and str(c) in columns}


def parse_mapping(spec: str, columns: list[str]) -> dict[str, str]:
    """`auto`, or `auto` changed by `field=Column` pairs separated by commas (the CLI's
    --mapping): `email=Courriel,consent_at=Signed up`."""
    mapping = guess_mapping(columns)
    for part in (p.strip() for p in spec.split(",")):
        if not part or part == "auto":
            continue
        key, sep, column = part.partition("=")
        key, column = key.strip(), column.strip()
        if not sep or key not in FIELD_KEYS:
            raise ValidationFailed(
                _(
                    "“%(part)s” is not field=Column (fields: %(fields)s).",
                    part=part,
                    fields=", ".join(FIELD_KEYS),
                )
            )
        if column and column not in columns:
            raise ValidationFailed(
                _("The file has no column “%(column)s”.", column=column), field=key
            )
        if column:
            mapping[key] = column
        else:
            mapping.pop(key, None)
    return mapping


def require_columns(mapping: dict[str, str]) -> None:
    """Refuse a mapping that leaves a required field without its column, naming them."""
    missing = [str(LABELS[key]) for key in REQUIRED_KEYS if key not in mapping]
    if missing:
        raise ValidationFailed(
            _("Choose the columns that hold: %(fields)s.", fields=", ".join(missing))
        )
