"""Import of testers from a CSV or XLSX file: upload, map columns, preview, import.

The pattern of the applications import: the uploaded file is kept (a StoredFile) between the
preview and the import; the columns are matched to the fields from their headers (English or
French), and staff may change the match; every line that cannot be imported is reported with
its number (the spreadsheet row: the header is line 1) and its reasons; the good lines import.

A re-import updates testers by e-mail (lower-cased, as the column keeps them) and never makes a
second one. A tester who left the panel (opted out) or erased their data is never put back by
an import: their lines are refused and say why. One audit event, `testers.imported`, counts
what was created, updated and refused.

At the panel's size (40,000 testers) this stays a few seconds: the cells are read by pandas,
each distinct value of a column is cleaned once, the testers already known are read in one
statement, and the writes are bulk INSERT and UPDATE statements (executemany, batched), never
an ORM object per line. A file of more than IMPORT_BACKGROUND_ROWS lines runs as a job.
"""

from __future__ import annotations

import codecs
import csv
import enum
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import pandas as pd
from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, Text, bindparam, column, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from accelerator.core import audit
from accelerator.core.errors import Conflict, NotFound, ValidationFailed
from accelerator.core.files import read_limited, safe_filename, store_bytes
from accelerator.core.models import AuditEvent, StoredFile
from accelerator.core.text import clean_text, loose_key
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.jobs.services import JobKind, JobResult
from accelerator.testers import queries
from accelerator.testers.models import (
    AgeBand,
    Device,
    Gender,
    OperatingSystem,
    Segment,
    Tester,
)

CSV_TYPE = "text/csv"
#: A workbook's first sheet, kept as the CSV pandas wrote of it: read once (openpyxl takes
#: seconds for a large sheet), every later read is a CSV's.
SHEET_TYPE = "text/csv; charset=utf-8; header=present"
FILE_TYPES = (CSV_TYPE, SHEET_TYPE)
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_DELIMITERS = ",;\t|"
_CHUNK = 2_000
#: Refused lines kept with the audit event (the page of a finished import lists them).
KEPT_REFUSALS = 200


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
_LABELS = {f.key: f.label for f in FIELDS}
#: Attributes an import fills on an existing tester when their cell holds a value.
UPDATABLE = tuple(k for k in FIELD_KEYS if k != "email")


# --- Reading the file ------------------------------------------------------------------------


def _max_rows() -> int:
    return int(current_app.config.get("TESTERS_IMPORT_MAX_ROWS", 100_000))


def _max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def is_xlsx(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ValidationFailed(
                _("This file's text encoding is damaged."), field="file"
            ) from error
    if b"\x00" in data[:4096]:
        raise ValidationFailed(_("This is neither a CSV file nor an Excel workbook."), field="file")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


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
                sep=sep or _delimiter(text),
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


# --- One cell's value, or why not ------------------------------------------------------------


class _Refused(ValueError):
    """A cell's value cannot be imported; its message says why."""


def _choices(enum, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found = {loose_key(m.value): m.value for m in enum}
    for value, names in aliases.items():
        found.update((loose_key(name), value) for name in names)
    return found


_GENDERS = _choices(
    Gender,
    {
        "female": ("f", "woman", "femme", "feminin", "féminin"),
        "male": ("m", "man", "h", "homme", "masculin"),
        "other": ("autre", "non binary", "non-binary", "non binaire", "x"),
        "undisclosed": (
            "prefer not to say",
            "not disclosed",
            "ne souhaite pas répondre",
            "ne se prononce pas",
            "nsp",
        ),
    },
)
_DEVICES = _choices(
    Device,
    {
        "phone": ("smartphone", "mobile", "mobile phone", "téléphone", "telephone", "portable"),
        "tablet": ("tablette", "ipad"),
        "computer": ("desktop", "laptop", "pc", "ordinateur", "ordinateur portable"),
    },
)
_SYSTEMS = _choices(
    OperatingSystem,
    {
        "ios": ("iphone", "ipados", "apple ios"),
        "android": ("google android",),
        "windows": ("win", "microsoft windows"),
        "macos": ("mac", "mac os", "macos x", "os x", "osx"),
        "linux": ("ubuntu", "debian", "fedora"),
        "other": ("autre",),
    },
)
_SEGMENTS = _choices(
    Segment,
    {
        "consumer": ("particulier", "grand public", "b2c", "individual", "personal", "résidentiel"),
        "pro": ("professional", "professionnel", "business", "b2b", "entreprise", "company"),
    },
)
_BANDS = [(int(m.value[:2]), m.value) for m in AgeBand]  # (lowest age, value), ascending


def _one_of(text: str, known: dict[str, str], enum) -> str:
    value = known.get(loose_key(text))
    if value is None:
        raise _Refused(_("is not one of: %(allowed)s", allowed=", ".join(m.value for m in enum)))
    return value


def _age_band(text: str) -> str:
    """A band ("25-34", "25–34", "25 à 34 ans", "65+", "65 and over") or an age (37)."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if len(numbers) == 2:
        band = f"{numbers[0]}-{numbers[1]}"
        if band in {m.value for m in AgeBand}:
            return band
    elif len(numbers) == 1 and 18 <= numbers[0] <= 120:
        return next(value for low, value in reversed(_BANDS) if numbers[0] >= low)
    raise _Refused(_("is not one of: %(allowed)s", allowed=", ".join(m.value for m in AgeBand)))


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Loose keys of English and French country names and of ISO codes -> the code."""
    lookup: dict[str, str] = {}
    for locale_code in ("en", "fr"):
        for code, name in Locale.parse(locale_code).territories.items():
            if len(code) == 2 and code.isalpha() and code.isupper():
                lookup[loose_key(name)] = code
                lookup[code.lower()] = code
    lookup.update({"usa": "US", "uk": "GB", "england": "GB", "angleterre": "GB"})
    return lookup


def _country(text: str) -> str:
    code = _countries().get(loose_key(text))
    if code is None:
        raise _Refused(_("is not a country (a name in English or French, or its code: FR, US)"))
    return code


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    """Loose keys of English and French language names and of two-letter codes -> the code."""
    lookup: dict[str, str] = {}
    for locale_code in ("en", "fr"):
        for code, name in Locale.parse(locale_code).languages.items():
            if len(code) == 2 and code.isalpha():
                lookup[loose_key(name)] = code
                lookup[code.lower()] = code
    return lookup


def _language(text: str) -> str:
    base = re.split(r"[-_]", text.strip(), maxsplit=1)[0] if len(text) <= 6 else text
    code = _languages().get(loose_key(base))
    if code is None:
        raise _Refused(_("is not a language (a name in English or French, or its code: fr, en)"))
    return code


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
)


def _consent_at(text: str) -> datetime:
    """A date (and time) of consent, read as UTC: ISO, or day first (31/12/2025)."""
    value = None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in _DATE_FORMATS:
            try:
                value = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if value is None:
        raise _Refused(_("is not a date (use YYYY-MM-DD or DD/MM/YYYY)"))
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if value > utcnow() or value.year < 2000:
        raise _Refused(_("is not a plausible date of consent"))
    return value


#: An address plainly valid (ASCII, no quoting): accepted without the full check, which costs
#: more than the rest of a line; anything else goes through email_validator.
_PLAIN_EMAIL = re.compile(
    r"^[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$"
)
_SPECIAL_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test", "internal")


def _email(text: str) -> str:
    lowered = text.lower()
    if (
        len(lowered) <= 254
        and _PLAIN_EMAIL.match(lowered)
        and lowered.rsplit(".", 1)[1] not in _SPECIAL_DOMAINS
    ):
        return lowered
    try:
        normalized = validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise _Refused(_("is not an e-mail address")) from error
    if len(normalized) > 254:
        raise _Refused(_("is longer than %(n)d characters", n=254))
    return normalized


def _limited(limit: int) -> Callable[[str], str]:
    def clean(text: str) -> str:
        if len(text) > limit:
            raise _Refused(_("is longer than %(n)d characters", n=limit))
        return text

    return clean


def _interests(text: str) -> list[str]:
    found: list[str] = []
    for part in re.split(r"[,;|]", text):
        item = part.strip()
        if not item or item in found:
            continue
        if len(item) > 40:
            raise _Refused(_("holds an interest longer than %(n)d characters", n=40))
        found.append(item)
    if len(found) > 20:
        raise _Refused(_("lists more than %(n)d interests", n=20))
    return found


_CLEANERS: dict[str, Callable[[str], Any]] = {
    "email": _email,
    "name": _limited(120),
    "country": _country,
    "language": _language,
    "age_band": _age_band,
    "gender": lambda t: _one_of(t, _GENDERS, Gender),
    "region": _limited(80),
    "device": lambda t: _one_of(t, _DEVICES, Device),
    "os": lambda t: _one_of(t, _SYSTEMS, OperatingSystem),
    "segment": lambda t: _one_of(t, _SEGMENTS, Segment),
    "interests": _interests,
    "consent_at": _consent_at,
    "consent_source": _limited(80),
    "consent_version": _limited(20),
}


def _empty_reason(key: str) -> str:
    if key.startswith("consent_"):
        return _(
            "%(field)s is empty: without consent no one joins the panel", field=str(_LABELS[key])
        )
    return _("%(field)s is empty", field=str(_LABELS[key]))


# --- Checking the file -----------------------------------------------------------------------


@dataclass
class Line:
    line: int
    reasons: list[str]


@dataclass
class Report:
    """What a check found: testers to add, testers to update, lines refused and why."""

    columns: list[str]
    mapping: dict[str, str]
    total: int = 0
    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    refused: list[Line] = field(default_factory=list)
    left: int = 0  # refused lines of testers who left the panel or erased their data
    blank: int = 0
    missing_required: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)
    done: bool = False

    @property
    def created(self) -> int:
        return len(self.new)

    @property
    def updated(self) -> int:
        return len(self.changed)

    @property
    def missing_labels(self) -> list[str]:
        return [str(_LABELS[key]) for key in self.missing_required]

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": len(self.refused),
            "left": self.left,
        }


def _cleaned_column(key: str, values: list[str]) -> list[tuple[Any, str | None]]:
    """(value, reason) per cell of a column; each distinct text is cleaned once."""
    clean = _CLEANERS[key]
    seen: dict[str, tuple[Any, str | None]] = {}
    out = []
    for raw in values:
        found = seen.get(raw)
        if found is None:
            text = clean_text(raw)
            if not text:
                found = (None, None)
            else:
                try:
                    found = (clean(text), None)
                except _Refused as error:
                    shown = text if len(text) <= 40 else text[:37] + "..."
                    found = (
                        None,
                        _(
                            "%(field)s “%(value)s” %(reason)s",
                            field=str(_LABELS[key]),
                            value=shown,
                            reason=str(error),
                        ),
                    )
            seen[raw] = found
        out.append(found)
    return out


def check(frame: pd.DataFrame, mapping: dict[str, str] | None = None, *, progress=None) -> Report:
    """Every line checked against the mapping (guessed when None), and matched by e-mail
    against the panel; nothing is written."""
    columns = list(frame.columns)
    mapping = clean_mapping(guess_mapping(columns) if mapping is None else mapping, columns)
    report = Report(columns=columns, mapping=mapping, total=len(frame))
    report.sample = [[str(v) for v in row] for row in frame.head(5).itertuples(index=False)]
    report.missing_required = [key for key in REQUIRED_KEYS if key not in mapping]
    if report.missing_required:
        return report
    if progress is not None:
        progress(0, report.total, _("Checking the lines…"))
    keys = list(mapping)
    cleaned = {key: _cleaned_column(key, frame[mapping[key]].tolist()) for key in keys}
    blank = frame[[mapping[k] for k in keys]].apply(lambda col: col.str.strip() == "").all(axis=1)
    good: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for index in range(report.total):
        if blank.iat[index]:
            report.blank += 1
            continue
        line = index + 2
        row: dict[str, Any] = {}
        reasons: list[str] = []
        for key in keys:
            value, reason = cleaned[key][index]
            if reason is not None:
                reasons.append(reason)
            elif value is not None:
                row[key] = value
            elif key in REQUIRED_KEYS:
                reasons.append(_empty_reason(key))
        email = row.get("email")
        if email is not None:
            if email in first_line:
                reasons.append(_("the same e-mail as line %(line)d", line=first_line[email]))
            else:
                first_line[email] = line
        if reasons:
            report.refused.append(Line(line, reasons))
        else:
            row["line"] = line
            good.append(row)
    _match_panel(report, good, set(mapping))
    report.refused.sort(key=lambda refused: refused.line)
    return report


def _match_panel(report: Report, rows: list[dict[str, Any]], mapped: set[str]) -> None:
    """Sort the good lines into testers to add, to update and unchanged; refuse those who left
    the panel or erased their data. Two statements, whatever the file's size."""
    emails = [row["email"] for row in rows]
    existing = queries.testers_by_email(emails)
    erased = queries.erased_email_keys() if emails else set()
    for row in rows:
        known = existing.get(row["email"])
        if known is None:
            if queries.erased_key(row["email"]) in erased:
                report.left += 1
                report.refused.append(
                    Line(
                        row["line"],
                        [
                            _(
                                "%(email)s asked for their data to be erased: an import "
                                "never adds them back",
                                email=row["email"],
                            )
                        ],
                    )
                )
            else:
                report.new.append(row)
            continue
        if known["opted_out_at"] is not None or known["erased_at"] is not None:
            report.left += 1
            report.refused.append(
                Line(
                    row["line"],
                    [
                        _(
                            "%(email)s left the panel on %(day)s: an import never "
                            "subscribes them again",
                            email=row["email"],
                            day=(known["opted_out_at"] or known["erased_at"]).date().isoformat(),
                        )
                    ],
                )
            )
            continue
        values = {key: row.get(key, known[key]) for key in UPDATABLE if key in mapped}
        if any(_differs(known[key], value) for key, value in values.items()):
            report.changed.append({"id": known["id"], "line": row["line"], **values})
        else:
            report.unchanged += 1


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.astimezone(UTC) != new.astimezone(UTC)
    if old is None or new is None:
        return old is not new
    return old != new if isinstance(new, list) else str(old) != str(new)


# --- Writing ---------------------------------------------------------------------------------


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _as_recordset(table, keys: list[str], rows: list[dict[str, Any]]):
    """The rows as one JSON document read back by json_to_recordset, typed as the table's
    columns: one parameter per chunk, one statement compiled once (PostgreSQL)."""
    from sqlalchemy.dialects.postgresql import JSON as PG_JSON
    from sqlalchemy.dialects.postgresql import TIMESTAMP

    def kind(key: str):
        if key == "id":
            return Integer()
        if key.endswith("_at"):
            return TIMESTAMP(timezone=True)
        return PG_JSON() if key == "interests" else Text()

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        return value.value if isinstance(value, enum.Enum) else value

    document = [{k: plain(row[k]) for k in keys} for row in rows]
    records = (
        func.json_to_recordset(bindparam("_rows", document, PG_JSON()))
        .table_valued(*(column(key, kind(key)) for key in keys))
        .render_derived(name="given", with_types=True)
    )
    return select(*(records.c[key] for key in keys))


def _insert(table, rows: list[dict[str, Any]]) -> None:
    """Add testers (the same keys in every row): on PostgreSQL one INSERT ... SELECT FROM
    json_to_recordset per chunk; elsewhere an executemany (SQLite runs in-process: no round
    trip per row)."""
    if not _postgresql():
        db.session.execute(insert(table), rows)
        return
    keys = list(rows[0])
    db.session.execute(insert(table).from_select(keys, _as_recordset(table, keys, rows)))


def _update(table, rows: list[dict[str, Any]]) -> None:
    """Update testers by id, each row its own values (the same keys in every row): on
    PostgreSQL one UPDATE ... FROM json_to_recordset per chunk; elsewhere an executemany."""
    keys = [key for key in rows[0] if key != "id"]
    if not _postgresql():
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({key: bindparam(f"_{key}") for key in keys})
        )
        db.session.execute(statement, [{f"_{k}": v for k, v in row.items()} for row in rows])
        return
    given = _as_recordset(table, ["id", *keys], rows).subquery("given")
    db.session.execute(
        update(table).where(table.c.id == given.c.id).values({k: given.c[k] for k in keys})
    )


def require_columns(mapping: dict[str, str]) -> None:
    """Refuse a mapping that leaves a required field without its column, naming them."""
    missing = [str(_LABELS[key]) for key in REQUIRED_KEYS if key not in mapping]
    if missing:
        raise ValidationFailed(
            _("Choose the columns that hold: %(fields)s.", fields=", ".join(missing))
        )


def write(report: Report, stored: StoredFile, *, actor, progress=None) -> Report:
    """Add and update the testers the check found, in bulk, and audit the import once.
    The caller commits. Testers added or changed meanwhile by someone else: 409, nothing
    written (import the file again)."""
    require_columns(report.mapping)
    now = utcnow()
    total = report.created + report.updated
    writing = _("Writing the testers…")
    done = 0
    new_rows = [
        {
            "name": "",
            "region": "",
            "gender": None,
            "interests": [],
            **{k: v for k, v in row.items() if k != "line"},
            "created_at": now,
            "updated_at": now,
        }
        for row in report.new
    ]
    changed_rows = [
        {**{k: v for k, v in row.items() if k != "line"}, "updated_at": now}
        for row in report.changed
    ]
    table = Tester.__table__  # Core statements, batched: no ORM object per line
    try:
        with db.session.begin_nested():
            for chunk in _chunks(new_rows):
                _insert(table, chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total, writing)
            for chunk in _chunks(changed_rows):
                _update(table, chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total, writing)
    except IntegrityError as error:
        raise Conflict(
            _("The panel changed while importing; nothing was imported. Import the file again.")
        ) from error
    refusals = [[line.line, "; ".join(line.reasons)] for line in report.refused[:KEPT_REFUSALS]]
    audit.record(
        "testers.imported",
        stored,
        actor=actor,
        data={**report.counts(), "file": stored.filename, "refused_lines": refusals},
    )
    report.done = True
    return report


# --- The uploaded file -----------------------------------------------------------------------


def upload(file, *, actor) -> StoredFile:
    """Keep an uploaded CSV or XLSX once it reads as a table of at most the allowed lines (the
    caller commits)."""
    if file is None or not getattr(file, "filename", None):
        raise ValidationFailed(_("Choose a CSV or Excel file to upload."), field="file")
    data = read_limited(file.stream, _max_bytes())
    if data is None:
        raise ValidationFailed(_("The file is too large."), field="file")
    return store(data, filename=file.filename, actor=actor)[0]


def store(data: bytes, *, filename: str, actor) -> tuple[StoredFile, pd.DataFrame]:
    """Keep the file once it reads as a table (a workbook as the CSV of its first sheet); the
    stored file and its frame."""
    frame = read_frame(data)
    if len(frame) > _max_rows():
        raise ValidationFailed(
            _(
                "The file has %(n)d lines; import at most %(max)d at a time.",
                n=len(frame),
                max=_max_rows(),
            ),
            field="file",
        )
    xlsx = is_xlsx(data)
    name = safe_filename(filename, default="testers", extension="xlsx" if xlsx else "csv")
    if xlsx:
        data = frame.to_csv(index=False).encode("utf-8")
    stored = store_bytes(
        data, filename=name, content_type=SHEET_TYPE if xlsx else CSV_TYPE, uploaded_by=actor
    )
    return stored, frame


def stored_file(file_id: int) -> StoredFile:
    """An uploaded panel file, or 404 (a stored file of another kind: a deck, a PDF)."""
    stored = db.session.get(StoredFile, file_id)
    if stored is None or stored.content_type not in FILE_TYPES:
        raise NotFound(_("This file is not an import of testers."))
    return stored


def frame_of(stored: StoredFile) -> pd.DataFrame:
    return read_frame(stored.content or b"", sep="," if stored.content_type == SHEET_TYPE else None)


def finished(stored: StoredFile) -> dict[str, Any] | None:
    """What the import of this file did (its audit event's data), or None if not imported."""
    return db.session.scalar(
        select(AuditEvent.data)
        .where(
            AuditEvent.action == "testers.imported",
            AuditEvent.object_type == StoredFile.__tablename__,
            AuditEvent.object_id == stored.id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def run_import(stored: StoredFile, *, mapping: dict[str, str] | None, actor, progress=None):
    """Check the file with `mapping` and write what it can (see `check` and `write`)."""
    report = check(frame_of(stored), mapping, progress=progress)
    return write(report, stored, actor=actor, progress=progress)


def import_file(data: bytes, *, filename: str, mapping: str = "auto", actor=None) -> Report:
    """`flask testers import FILE`: keep the file, map its columns (`auto`, or pairs changing
    the guess: see parse_mapping), import. The caller commits."""
    stored, frame = store(data, filename=filename, actor=actor)
    report = check(frame, parse_mapping(mapping, list(frame.columns)))
    return write(report, stored, actor=actor)


# --- As a job (accelerator/jobs): a file of more than IMPORT_BACKGROUND_ROWS lines -----------


def runs_in_background(frame: pd.DataFrame) -> bool:
    return len(frame) > int(current_app.config["IMPORT_BACKGROUND_ROWS"])


def start_import_job(stored: StoredFile, *, mapping: dict[str, str], rows: int, actor):
    """Record the import as a job (the caller commits, then submits it)."""
    return job_services.start(
        IMPORT_JOB.name,
        actor=actor,
        subject=stored.filename,
        params={"file_id": stored.id, "mapping": mapping},
        total=rows,
        url=external_url("testers.panel_import_preview", stored_file_id=stored.id),
    )


def _run_import_job(job, progress) -> JobResult:
    stored = stored_file(int(job.params["file_id"]))
    if finished(stored) is not None:
        raise Conflict(_("This file was already imported."))
    report = run_import(
        stored, mapping=job.params["mapping"], actor=job.started_by, progress=progress
    )
    return JobResult(
        message=_(
            "%(created)d testers added, %(updated)d updated, %(refused)d lines refused.",
            created=report.created,
            updated=report.updated,
            refused=len(report.refused),
        ),
        url=external_url("testers.panel_import_preview", stored_file_id=stored.id),
    )


IMPORT_JOB = JobKind("testers.import", _l("Import of testers"), _run_import_job)
