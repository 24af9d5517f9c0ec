"""Writing report sheets to CSV and XLSX in chunks, so big reports stream in bounded memory.

A report is a list of `Sheet`s; each sheet has typed columns and yields its rows as pandas
frames of a few thousand rows (read from the database with `yield_per`). Writers turn each
chunk into text (CSV) or cells (XLSX, openpyxl's write-only mode) and forget it. Numbers stay
numbers, money becomes a number of major units with its currency shown by the cell format, dates
and times are real dates (times in the program's timezone, named in the column header), and text
is neutralised against formula injection by the project's spreadsheet module.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import pandas as pd

from accelerator.core.spreadsheets import FORMULA_STARTS, neutralise
from accelerator.reports import xlsx

CHUNK_ROWS = 20_000
_FORMULA_STARTS = frozenset(FORMULA_STARTS)
assert all(len(start) == 1 for start in FORMULA_STARTS)  # a first-character test

TEXT, INT, FLOAT, MONEY, DATE, DATETIME, PERCENT = (
    "text",
    "int",
    "float",
    "money",
    "date",
    "datetime",
    "percent",
)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT
    currency: str | None = None  # for MONEY: the ISO code shown by the cell format
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
    """What spreadsheet.neutralise does to one value, to a column at once (a plain loop over
    the values is several times faster than pandas' string methods here)."""
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
        elif column.kind == DATETIME:
            stamps = pd.to_datetime(values, utc=True, errors="coerce")
            values = stamps.dt.tz_convert(timezone).dt.tz_localize(None).dt.floor("s")
        elif column.kind == TEXT:
            values = _neutralise_text(values)
        out[column.key] = values
    return out


def write_csv(sheet: Sheet, stream: BinaryIO) -> int:
    """One sheet as UTF-8 CSV with a byte-order mark (Excel shows accents right); rows written."""
    rows = 0
    stream.write(b"\xef\xbb\xbf")
    header = [_header(c) for c in sheet.columns]
    first = True
    for frame in sheet.frames():
        text = frame.to_csv(index=False, header=header if first else False, date_format=None)
        stream.write(text.encode("utf-8"))
        rows += len(frame)
        first = False
    if first:
        stream.write((",".join(header) + "\n").encode("utf-8"))
    return rows


def _header(column: Column) -> str:
    return str(neutralise(column.title))


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


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    buffer = io.BytesIO()
    write_csv(sheet, buffer)
    return buffer.getvalue()
