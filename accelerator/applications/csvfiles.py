"""Reading CSV files people export from other tools: encodings, delimiters, header guessing
(from the header names each field of fields.IMPORT_FIELDS is known by)."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from accelerator.applications.fields import IMPORT_FIELDS
from accelerator.core import textfiles
from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _

#: The import keys (`Field.short`) of every field a row can fill (fields.IMPORT_FIELDS).
FIELD_KEYS = tuple(f.short for f in IMPORT_FIELDS)
#: What every imported row needs; the rest the startup's founders can complete later.
REQUIRED_KEYS = ("name",)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-16 by its byte-order mark, else UTF-8, Windows-1252, Latin-1."""
    if data.startswith(b"PK\x03\x04"):
        raise ValidationFailed(
            _("This is an Excel workbook, not a CSV. In Excel, use Save as > CSV UTF-8."),
            field="file",
        )
    return textfiles.decode(data, not_text=_("This is not a text (CSV) file."))


def _header(names: list[str]) -> list[str]:
    """Column names made unique and non-empty ("Email", "Email (2)", "Column 5")."""
    seen: dict[str, int] = {}
    header = []
    for index, raw in enumerate(names, start=1):
        name = raw.strip() or f"Column {index}"
        seen[name] = seen.get(name, 0) + 1
        header.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return header


def read_frame(text: str) -> pd.DataFrame:
    """Every cell as text ("" when empty); row i of the frame is spreadsheet row i + 2.

    A row with more cells than the header (an unquoted delimiter inside a value) is kept
    with its extra cells dropped and listed in ``frame.attrs["too_many_cells"]`` so the check
    reports it by line instead of the whole file failing.
    """
    if not text.strip():
        raise ValidationFailed(_("The file is empty."), field="file")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=textfiles.delimiter(text), strict=True
    )
    try:
        records = list(reader)
    except csv.Error as error:
        raise ValidationFailed(
            _(
                "This CSV could not be read near line %(line)d: %(reason)s (check the quotes).",
                line=reader.line_num,
                reason=str(error)[:200],
            ),
            field="file",
        ) from error
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()  # trailing empty lines
    if not records or not any(cell.strip() for cell in records[0]):
        raise ValidationFailed(_("The first line must hold the column names."), field="file")
    header = _header(records[0])
    width = len(header)
    too_many: dict[int, int] = {}
    rows = []
    for index, record in enumerate(records[1:]):
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            too_many[index] = len(record)
        rows.append((record + [""] * width)[:width])
    frame = pd.DataFrame(rows, columns=header, dtype=str)
    frame.attrs["too_many_cells"] = too_many
    return frame


def _normalise_header(name: str) -> str:
    name = re.sub(r"\(.*?\)|\[.*?\]", " ", name.lower())
    name = re.sub(r"[_\-./:?*#]+", " ", name)
    return " ".join(name.split())


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Field key -> CSV column, from the usual header names (each column used once)."""
    normalised = {column: _normalise_header(column) for column in columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field in IMPORT_FIELDS:
        for alias in (field.short.replace("_", " "), *field.aliases):
            match = next((c for c in columns if normalised[c] == alias and c not in used), None)
            if match is not None:
                mapping[field.short] = match
                used.add(match)
                break
    return mapping


def clean_mapping(raw: dict[str, str | None], columns: list[str]) -> dict[str, str]:
    """Keep only fields mapped to columns that exist."""
    return {key: col for key, col in raw.items() if key in FIELD_KEYS and col and col in columns}
