"""Spreadsheet exports that are safe to open: formula injection neutralised, valid XLSX text.

Every CSV/XLSX download of the app goes through here, so the protection lives in one place.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pandas as pd
from flask import Response
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: Cells starting with these are formulas to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; keep the rest."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(neutralise)


def _xlsx_text(value: Any) -> Any:
    # openpyxl refuses control characters in cells: drop them rather than fail the download.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows accents right."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(
    sheets: dict[str, pd.DataFrame],
    *,
    date_format: str | None = None,
    shape: Callable[[str, Any], None] | None = None,
) -> bytes:
    """A workbook with one sheet per frame; `shape(name, worksheet)` may set widths/formats."""
    buffer = io.BytesIO()
    options = {"date_format": date_format} if date_format else {}
    with pd.ExcelWriter(buffer, engine="openpyxl", **options) as writer:
        for name, frame in sheets.items():
            neutralise_frame(frame).map(_xlsx_text).to_excel(writer, sheet_name=name, index=False)
            if shape is not None:
                shape(name, writer.sheets[name])
    return buffer.getvalue()


def download(body: bytes, fmt: str, filename: str) -> Response:
    """Send an export as an attachment that proxies and browsers do not cache."""
    # content_type, not mimetype: Werkzeug would append a second "; charset=utf-8".
    response = Response(body, content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response  # its Content-Security-Policy is core.files.DOWNLOAD_CSP
