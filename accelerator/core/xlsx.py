"""The app's one XLSX writer: streaming, fast enough for 100,000-row reports.

openpyxl builds an object per cell (about 20 s of CPU for a million cells); this writes the
sheet XML of a whole chunk of rows at once, column by column, and streams it into the zip. It
writes what every download needs: inline strings, numbers, dates and times (as Excel serial
numbers with a date format), a bold header row frozen at the top, column widths, and one number
format per money currency. Callers go through core/spreadsheets.py, which neutralises text
against formula injection first (and an inline string is never a formula anyway).
"""

# ruff: noqa: E501  (XML templates read best on one line each)
from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

#: Characters XML 1.0 forbids (openpyxl's ILLEGAL_CHARACTERS_RE): dropped from text.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_EPOCH = pd.Timestamp("1899-12-30")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_NAME_BAD = re.compile(r"[\[\]\:\*\?\/\\]")

# Cell styles (indexes into cellXfs below): 0 plain, 1 bold header, 2 date, 3 date-time,
# 4 percent, 5.. one per money currency.
PLAIN, HEADER, DATE, DATETIME, PERCENT = 0, 1, 2, 3, 4


class Styles:
    """The workbook's number formats: fixed ones, and one per currency met."""

    def __init__(self) -> None:
        self.currencies: list[str | None] = []

    def money(self, currency: str | None) -> int:
        if currency not in self.currencies:
            self.currencies.append(currency)
        return 5 + self.currencies.index(currency)

    def xml(self) -> str:
        formats = [
            '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>',  # noqa: E501
            '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/>',
        ]
        for i, currency in enumerate(self.currencies):
            code = f'#,##0.00 "{currency}"' if currency else "#,##0.00"
            formats.append(
                f'<numFmt numFmtId="{166 + i}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
            )
        xfs = [
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
            '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
            '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
        ] + [
            f'<xf numFmtId="{166 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            for i in range(len(self.currencies))
        ]
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
            f'<numFmts count="{len(formats)}">{"".join(formats)}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _text_cells(values: Iterable[Any], style: int = PLAIN) -> list[str]:
    s = f' s="{style}"' if style else ""
    start, end = f'<c t="inlineStr"{s}><is><t xml:space="preserve">', "</t></is></c>"
    return [
        "<c/>" if _missing(v) else start + escape(_ILLEGAL.sub("", str(v))) + end for v in values
    ]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or value != value


def _number_cells(values: pd.Series, style: int, *, whole: bool = False) -> list[str]:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return _serials(numbers, f' s="{style}"' if style else "", whole=whole)


def _serials(numbers: np.ndarray, s: str, *, whole: bool = False) -> list[str]:
    present = ~np.isnan(numbers)
    filled = np.where(present, numbers, 0)
    # Whole numbers as integers (123, not 123.0); others as the shortest repr of each float.
    text = filled.astype(np.int64).astype(str) if whole else filled.astype(str)
    start = f"<c{s}><v>"
    return [start + t + "</v></c>" if p else "<c/>" for t, p in zip(text, present, strict=True)]


def _date_cells(values: pd.Series, style: int) -> list[str]:
    stamps = pd.to_datetime(values, errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    serial = ((stamps - _EPOCH) / pd.Timedelta(days=1)).round(8)
    return _serials(serial.to_numpy(dtype=float, na_value=np.nan), f' s="{style}"')


def sheet_name(title: str, taken: set[str]) -> str:
    name = _SHEET_NAME_BAD.sub(" ", title).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.casefold() in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name.casefold())
    return name


def write_workbook(
    sheets: Iterable[tuple[str, list[tuple[str, str, str | None, int]], Iterable[pd.DataFrame]]],
    stream: BinaryIO,
    *,
    on_rows: Callable[[str, int], Any] | None = None,
) -> None:
    """`sheets`: (title, columns as (title, kind, currency, width), frames in column order).

    Kinds: text, int, float, money, percent, date, datetime.
    """
    styles = Styles()
    names: list[str] = []
    taken: set[str] = set()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for number, (title, columns, frames) in enumerate(sheets, start=1):
            names.append(sheet_name(title, taken))
            with book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as raw:
                _write_sheet(
                    raw, columns, frames, styles, lambda n, t=title: on_rows and on_rows(t, n)
                )
        book.writestr("xl/styles.xml", styles.xml())
        book.writestr("xl/workbook.xml", _workbook_xml(names))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("[Content_Types].xml", _content_types(len(names)))


def _write_sheet(raw, columns, frames, styles: Styles, on_rows) -> None:
    def put(text: str) -> None:
        raw.write(text.encode("utf-8"))

    put(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>')
    put(
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    )
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, (_t, _k, _c, width) in enumerate(columns, start=1)
    )
    put(f"<cols>{widths}</cols><sheetData>")
    header = _text_cells([t for t, _k, _c, _w in columns], HEADER)
    put("<row>" + "".join(header) + "</row>")
    for frame in frames:
        if frame.empty:
            continue
        cells = []
        for position, (_title, kind, currency, _width) in enumerate(columns):
            values = frame.iloc[:, position]
            if kind == "int":
                cells.append(_number_cells(values, PLAIN, whole=True))
            elif kind == "float":
                cells.append(_number_cells(values, PLAIN))
            elif kind == "money":
                cells.append(_number_cells(values, styles.money(currency)))
            elif kind == "percent":
                cells.append(_number_cells(values, PERCENT))
            elif kind == "date":
                cells.append(_date_cells(values, DATE))
            elif kind == "datetime":
                cells.append(_date_cells(values, DATETIME))
            else:
                cells.append(_text_cells(values.tolist()))
        put("".join("<row>" + "".join(row) + "</row>" for row in zip(*cells, strict=True)))
        on_rows(len(frame))
    put("</sheetData></worksheet>")


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _workbook_xml(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} '
        f'xmlns:r="{_REL_NS}"><bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>'
    )


def _workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{rels}<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>"
    )
