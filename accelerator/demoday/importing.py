"""Importing a demo day's guest list from a CSV file, one line per guest.

The file is read the way every import reads one (core.textfiles: its encoding, its
separator). Its first line names the columns, in English or French (name/nom, e-mail/courriel,
firm/société, kind/type, language/langue); name and e-mail are required. A file that cannot be
read, or lacks a required column, is refused whole: nothing is imported. Otherwise each good
line is imported and each bad one reported with its line number (the header is line 1) and why.
A guest already on the list (same e-mail, any case) is updated, never doubled; the same address
twice in the file is imported once (the second line is reported). One audit event counts it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from accelerator.core import audit
from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import require_staff
from accelerator.core.text import loose_key
from accelerator.core.textfiles import decode, delimiter
from accelerator.demoday.guests import check_fields
from accelerator.demoday.models import DemoDay, Guest, GuestKind
from accelerator.extensions import db

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000

#: Header words (as `loose_key` reads them) for each field.
HEADERS = {
    "name": {"name", "full name", "nom", "nom complet", "prenom nom", "guest", "invite"},
    "email": {"email", "e mail", "mail", "courriel", "adresse e mail", "email address"},
    "firm": {"firm", "company", "organisation", "organization", "societe", "entreprise", "fonds"},
    "kind": {"kind", "type", "category", "categorie", "type d invite"},
    "locale": {"language", "langue", "lang", "locale"},
}
REQUIRED = ("name", "email")
KIND_WORDS = {
    GuestKind.INVESTOR: {"investor", "investisseur", "investisseuse", "vc"},
    GuestKind.PRESS: {"press", "presse", "journalist", "journaliste", "media", "medias"},
    GuestKind.EXECUTIVE: {
        "executive",
        "sponsor executive",
        "sponsor",
        "dirigeant",
        "dirigeante",
        "dirigeant sponsor",
        "dirigeant du sponsor",
    },
    GuestKind.OTHER: {"other", "autre", "other guest", "autre invite"},
}
LANGUAGE_WORDS = {
    "en": {"en", "english", "anglais", "eng"},
    "fr": {"fr", "french", "francais", "fra"},
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = loose_key(title)
        for name, words in HEADERS.items():
            if key in words and name not in found:
                found[name] = index
    return found


def _kind(text: str) -> Any:
    key = loose_key(text)
    if not key:
        return GuestKind.INVESTOR.value
    for kind, words in KIND_WORDS.items():
        if key in words or key == loose_key(str(kind.label)):
            return kind.value
    return text  # refused by check_fields


def _language(text: str) -> str:
    key = loose_key(text)
    if not key:
        return "en"
    for code, words in LANGUAGE_WORDS.items():
        if key in words:
            return code
    return text


def read_lines(data: bytes) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """The columns found and the lines (number, cells); a file refused whole raises, beside
    the file field."""
    if data is None or len(data) > MAX_BYTES:
        raise ValidationFailed(_("This file is larger than 2 MB."), field="file")
    text, _encoding = decode(data, not_text=_("This is not a CSV file: export the sheet as CSV."))
    if not text.strip():
        raise ValidationFailed(_("This file is empty."), field="file")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter(text)))
    header, lines = rows[0], rows[1:]
    columns = _columns(header)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ValidationFailed(
            _(
                "The first line must name the columns; name and e-mail are required "
                "(English or French headers: name, email, firm, kind, language)."
            ),
            field="file",
        )
    if len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d guests per file.", n=MAX_LINES), field="file")
    numbered = [
        (number, row)
        for number, row in enumerate(lines, start=2)
        if any(cell.strip() for cell in row)
    ]
    return columns, numbered


def import_guests(demo_day: DemoDay, data: bytes, *, actor) -> ImportReport:
    """Add or update the guests of the file; the caller commits (nothing is written when the
    file is refused whole)."""
    require_staff(actor)
    columns, lines = read_lines(data)
    report = ImportReport()
    existing = {
        guest.email: guest
        for guest in db.session.scalars(select(Guest).where(Guest.demo_day_id == demo_day.id))
    }
    seen: dict[str, int] = {}

    def cell(row: list[str], name: str) -> str:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else ""

    for number, row in lines:
        raw = {
            "name": cell(row, "name"),
            "email": cell(row, "email"),
            "firm": cell(row, "firm"),
            "kind": _kind(cell(row, "kind")),
            "locale": _language(cell(row, "locale")),
        }
        try:
            clean = check_fields(raw)
        except ValidationFailed as error:
            reasons = getattr(error, "errors", None) or {error.field: error.message}
            report.refused.append((number, " ".join(reasons.values())))
            continue
        email = clean["email"]
        if email in seen:
            report.refused.append(
                (number, _("The same address as line %(line)d.", line=seen[email]))
            )
            continue
        seen[email] = number
        guest = existing.get(email)
        if guest is None:
            guest = Guest(demo_day_id=demo_day.id, added_by_id=getattr(actor, "id", None), **clean)
            db.session.add(guest)
            existing[email] = guest
            report.created += 1
        else:
            for name, value in clean.items():
                setattr(guest, name, value)
            report.updated += 1
    db.session.flush()
    audit.record(
        "guests.imported",
        demo_day,
        actor=actor,
        data={
            "created": report.created,
            "updated": report.updated,
            "refused": len(report.refused),
            "demo_day_id": demo_day.id,
        },
    )
    return report
