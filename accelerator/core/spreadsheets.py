"""Spreadsheet downloads that are safe to open, written by one writer for the whole app.

Every CSV/XLSX download goes through here: text a spreadsheet would run as a formula is
neutralised (OWASP "CSV injection"), and every XLSX is written by core/xlsx.py.

A download is a list of `Sheet`s: typed columns and rows as pandas frames of a few thousand rows
(read from the database in chunks), so big reports stream in bounded memory. Numbers stay
numbers, money is a number of major units with its currency in the cell format, dates and times
are real dates (times in the program's timezone, named in the column header). A plain frame is
a sheet too: `xlsx_bytes({"Name": frame})`, its columns typed from the frame.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

import pandas as pd
from flask import Response

from accelerator.core import xlsx

#: Cells starting with these are formulas to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_STARTS = frozenset(FORMULA_STARTS)
assert all(len(start) == 1 for start in FORMULA_STARTS)  # a first-character test
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK_ROWS = 20_000
TEXT, INT, FLOAT, MONEY, DATE, DATETIME, PERCENT = (
    "text",
    "int",
    "float",
    "money",
    "date",
    "datetime",
    "percent",
)


def neutralise(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; keep the rest."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(neutralise)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT
    currency: str | None = None  # for MONEY (given in cents): the ISO code the cell format shows
    width: int = 14


@dataclass
class Sheet:
    key: str  # in file names and the ?sheet= parameter
    title: str  # the Excel tab (31 characters at most)
    columns: list[Column]
    chunks: Callable[[], Iterable[pd.DataFrame]]  # frames with the columns' keys
    timezone: str = "UTC"  # DATETIME columns are shown in this zone (named in their title)

    def frames(self) -> Iterator[pd.DataFrame]:
        for frame in self.chunks():
            yield prepare(frame, self.columns, self.timezone)


def frames_of(rows: Iterable[Iterable[Any]], keys: list[str]) -> Iterator[pd.DataFrame]:
    """Group an iterable of row tuples into frames of CHUNK_ROWS rows."""
    batch: list = []
    for row in rows:
        batch.append(tuple(row))
        if len(batch) >= CHUNK_ROWS:
            yield pd.DataFrame.from_records(batch, columns=keys)
            batch = []
    if batch or not keys:
        yield pd.DataFrame.from_records(batch, columns=keys)


def rows_sheet(key: str, title: str, columns: list[Column], rows, timezone: str = "UTC") -> Sheet:
    """A sheet of row tuples in the columns' order (a list, or a function giving an iterable)."""
    keys = [c.key for c in columns]
    chunks = (lambda: frames_of(rows(), keys)) if callable(rows) else lambda: frames_of(rows, keys)
    return Sheet(key, title, columns, chunks, timezone)


def partition_frames(partitions: Iterable[list], keys: list[str]) -> Iterator[pd.DataFrame]:
    """One frame per partition of rows (already chunked by the database cursor)."""
    empty = True
    for rows in partitions:
        empty = False
        # Column by column (zip) is several times faster than from_records on row objects.
        yield pd.DataFrame(
            dict(zip(keys, zip(*rows, strict=True), strict=True))
            if rows
            else dict.fromkeys(keys, ())
        )
    if empty:
        yield pd.DataFrame({key: [] for key in keys})


def _neutralise_text(series: pd.Series) -> pd.Series:
    """`neutralise` on a column at once (a plain loop over the values is several times faster
    than pandas' string methods here)."""
    starts = _FORMULA_STARTS
    values = [
        "'" + v if isinstance(v, str) and v and v[0] in starts else v for v in series.tolist()
    ]
    return pd.Series(values, index=series.index, dtype=object)


def prepare(frame: pd.DataFrame, columns: list[Column], timezone: str = "UTC") -> pd.DataFrame:
    """The chunk as it is written: money in major units, text neutralised, columns in order."""
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column.key] if column.key in frame else pd.Series(None, index=frame.index)
        if column.kind == MONEY:
            values = pd.to_numeric(values, errors="coerce") / 100
        elif column.kind == INT:
            values = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif column.kind in (FLOAT, PERCENT):
            values = pd.to_numeric(values, errors="coerce")
        elif column.kind == DATETIME:
            stamps = pd.to_datetime(values, utc=True, errors="coerce")
            values = stamps.dt.tz_convert(timezone).dt.tz_localize(None).dt.floor("s")
        elif column.kind == TEXT:
            values = _neutralise_text(values)
        out[column.key] = values
    return out


def _kind(series: pd.Series) -> str:
    """A column's kind from what a frame holds (for frames given without columns)."""
    if pd.api.types.is_bool_dtype(series):
        return TEXT
    if pd.api.types.is_integer_dtype(series):
        return INT
    if pd.api.types.is_float_dtype(series):
        return FLOAT
    if pd.api.types.is_datetime64_any_dtype(series):
        return DATETIME
    values = [v for v in series.tolist() if v is not None and v == v]
    if not values:
        return TEXT
    if all(isinstance(v, datetime) for v in values):
        return DATETIME
    if all(isinstance(v, date) for v in values):
        return DATE
    if all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values):
        return FLOAT
    return TEXT


def frame_sheet(title: str, frame: pd.DataFrame) -> Sheet:
    """A whole frame as a sheet, its columns typed from what it holds, named as it names them."""
    columns = [
        Column(str(name), str(name), _kind(frame[name]), width=max(12, len(str(name)) + 2))
        for name in frame.columns
    ]
    renamed = frame.set_axis([c.key for c in columns], axis=1)
    return Sheet(title, title, columns, lambda: iter([renamed]))


def _header(column: Column) -> str:
    return str(neutralise(column.title))


def _csv_money(values: pd.Series) -> pd.Series:
    """Money in a CSV with its two decimals, as accounting tools read it (10000.50)."""
    return values.map(lambda v: "" if pd.isna(v) else f"{v:.2f}")


def write_csv(sheet: Sheet, stream: BinaryIO) -> int:
    """One sheet as UTF-8 CSV with a byte-order mark (Excel shows accents right); rows written."""
    rows = 0
    stream.write(b"\xef\xbb\xbf")
    header = [_header(c) for c in sheet.columns]
    first = True
    for frame in sheet.frames():
        for column in sheet.columns:
            if column.kind == MONEY:
                frame[column.key] = _csv_money(frame[column.key])
        text = frame.to_csv(index=False, header=header if first else False, date_format=None)
        stream.write(text.encode("utf-8"))
        rows += len(frame)
        first = False
    if first:
        stream.write((",".join(header) + "\n").encode("utf-8"))
    return rows


def write_xlsx(
    sheets: list[Sheet], stream: BinaryIO, *, progress: Callable[[int], Any] | None = None
) -> dict[str, int]:
    """Every sheet in one workbook, streamed chunk by chunk; the rows written per sheet."""
    counts = {sheet.key: 0 for sheet in sheets}

    def counted(sheet: Sheet):
        for frame in sheet.frames():
            counts[sheet.key] += len(frame)
            yield frame

    def on_rows(_title: str, rows: int) -> None:
        if progress is not None:
            progress(rows)

    xlsx.write_workbook(
        (
            (
                sheet.title,
                [(_header(c), c.kind, c.currency, c.width) for c in sheet.columns],
                counted(sheet),
            )
            for sheet in sheets
        ),
        stream,
        on_rows=on_rows,
    )
    return counts


def written(sheets: list[Sheet], fmt: str) -> tuple[bytes, int]:
    """The file of `sheets` in `fmt` ("xlsx": every sheet; "csv": the first) and its rows."""
    buffer = io.BytesIO()
    if fmt == "xlsx":
        rows = sum(write_xlsx(sheets, buffer).values())
    else:
        rows = write_csv(sheets[0], buffer)
    return buffer.getvalue(), rows


def xlsx_bytes(sheets: list[Sheet] | dict[str, pd.DataFrame]) -> bytes:
    """A workbook of `sheets`: Sheets, or frames by sheet name (typed from what they hold)."""
    if isinstance(sheets, dict):
        sheets = [frame_sheet(name, frame) for name, frame in sheets.items()]
    return written(sheets, "xlsx")[0]


def csv_bytes(data: Sheet | pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows accents right: a Sheet, or a frame
    written as it is (its text neutralised)."""
    if isinstance(data, Sheet):
        return written([data], "csv")[0]
    return neutralise_frame(data).to_csv(index=False).encode("utf-8-sig")


def download(body: bytes, fmt: str, filename: str) -> Response:
    """Send an export as an attachment that proxies and browsers do not cache."""
    # content_type, not mimetype: Werkzeug would append a second "; charset=utf-8".
    response = Response(body, content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response  # its Content-Security-Policy is core.files.DOWNLOAD_CSP
