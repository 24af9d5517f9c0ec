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

This module is the flow (keep the file, check it, match the panel by e-mail, write, audit, the
job); `sheets` reads the file and maps its columns, `rows` cleans and checks each line, `bulk`
holds the batched statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accelerator.core import audit
from accelerator.core.errors import Conflict, NotFound, ValidationFailed
from accelerator.core.files import read_limited, safe_filename, store_bytes
from accelerator.core.i18n import gettext as _
from accelerator.core.models import AuditEvent, StoredFile
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.jobs.services import JobKind, JobResult
from accelerator.testers import bulk, queries, rows
from accelerator.testers.models import Tester
from accelerator.testers.rows import Line
from accelerator.testers.sheets import (
    LABELS,
    REQUIRED_KEYS,
    UPDATABLE,
    clean_mapping,
    guess_mapping,
    is_xlsx,
    parse_mapping,
    read_frame,
    require_columns,
)

CSV_TYPE = "text/csv"
#: A workbook's first sheet, kept as the CSV pandas wrote of it: read once (openpyxl takes
#: seconds for a large sheet), every later read is a CSV's.
SHEET_TYPE = "text/csv; charset=utf-8; header=present"
FILE_TYPES = (CSV_TYPE, SHEET_TYPE)
#: Refused lines kept with the audit event (the page of a finished import lists them).
KEPT_REFUSALS = 200


# --- Checking the file -----------------------------------------------------------------------


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
        return [str(LABELS[key]) for key in self.missing_required]

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": len(self.refused),
            "left": self.left,
        }


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
    good, report.refused, report.blank = rows.check_lines(frame, mapping)
    _match_panel(report, good, set(mapping))
    report.refused.sort(key=lambda refused: refused.line)
    return report


def _match_panel(report: Report, good: list[dict[str, Any]], mapped: set[str]) -> None:
    """Sort the good lines into testers to add, to update and unchanged; refuse those who left
    the panel or erased their data. Two statements, whatever the file's size."""
    emails = [row["email"] for row in good]
    existing = queries.testers_by_email(emails)
    erased = queries.erased_email_keys() if emails else set()
    for row in good:
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
            for chunk in bulk.chunks(new_rows):
                bulk.insert_rows(table, chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total, writing)
            for chunk in bulk.chunks(changed_rows):
                bulk.update_rows(table, chunk)
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


def _max_rows() -> int:
    return int(current_app.config.get("TESTERS_IMPORT_MAX_ROWS", 100_000))


def _max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))


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
