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
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from accelerator.core.spreadsheets import FORMULA_STARTS, neutralise

CHUNK_ROWS = 5000

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


def _neutralise_text(series: pd.Series) -> pd.Series:
    text = series.astype("string")
    risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
    if risky.any():
        series = series.copy()
        series[risky] = "'" + text[risky]
    return series


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
            values = _neutralise_text(values.astype(object).where(values.notna(), None))
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


def _cell_text(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def money_format(currency: str | None) -> str:
    return f'#,##0.00 "{currency}"' if currency else "#,##0.00"


def write_xlsx(
    sheets: list[Sheet], stream: BinaryIO, *, progress: Callable[[int], Any] | None = None
) -> dict[str, int]:
    """Every sheet in one workbook (write-only: rows go to disk as they come); rows per sheet."""
    book = Workbook(write_only=True)
    counts: dict[str, int] = {}
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title[:31])
        for index, column in enumerate(sheet.columns):
            ws.column_dimensions[_letter(index)].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=_cell_text(_header(column)))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        formats = {
            i: money_format(c.currency)
            if c.kind == MONEY
            else "0.0%"
            if c.kind == PERCENT
            else None
            for i, c in enumerate(sheet.columns)
        }
        formatted = [i for i, f in formats.items() if f]
        texts = [i for i, c in enumerate(sheet.columns) if c.kind == TEXT]
        rows = 0
        for frame in sheet.frames():
            frame = frame.astype(object).where(frame.notna(), None)
            for record in frame.itertuples(index=False, name=None):
                row = list(record)
                for i in texts:
                    row[i] = _cell_text(row[i])
                for i in formatted:
                    if row[i] is not None:
                        cell = WriteOnlyCell(ws, value=row[i])
                        cell.number_format = formats[i]
                        row[i] = cell
                ws.append(row)
            rows += len(frame)
            if progress is not None:
                progress(len(frame))
        counts[sheet.key] = rows
    book.save(stream)
    return counts


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    buffer = io.BytesIO()
    write_csv(sheet, buffer)
    return buffer.getvalue()
