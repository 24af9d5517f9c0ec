"""Reading files people export from other tools (the imports of applications and testers):
text in whatever encoding a spreadsheet saved, its separator, and dates typed day first or ISO."""

from __future__ import annotations

import codecs
import csv
from datetime import datetime

from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
DELIMITERS = ",;\t|"
#: The ways people type a date (and time) in a sheet, ISO first; day first, never month first.
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
)


def decode(data: bytes, *, not_text: str) -> tuple[str, str]:
    """(text, encoding): UTF-16 by its byte-order mark, else UTF-8, Windows-1252, Latin-1.
    A file with NUL bytes is not text: refused beside the file field with `not_text`."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ValidationFailed(
                _("This file's text encoding is damaged."), field="file"
            ) from error
    if b"\x00" in data[:4096]:
        raise ValidationFailed(not_text, field="file")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def delimiter(text: str) -> str:
    """The separator of a CSV text: sniffed, else the most frequent one in its header."""
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def typed_datetime(text: str) -> datetime | None:
    """A date or date and time as typed (ISO, with or without zone, or day first), or None.
    Naive unless the text named its zone: the caller says which zone it was typed in."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None
