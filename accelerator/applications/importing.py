"""CSV import of applications gathered elsewhere (F6S, Typeform...): upload, check, import.

The uploaded file stays in a StoredFile between the preview and the import. Each bad row is
reported with its line (the spreadsheet row: the header is line 1) and the reason; staff import
all rows or nothing (the default), or only the good rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from accelerator.applications import rows as row_rules
from accelerator.applications.csvfiles import (
    REQUIRED_KEYS,
    clean_mapping,
    decode,
    guess_mapping,
    read_frame,
)
from accelerator.applications.models import (
    Application,
    ApplicationImport,
    ApplicationStatus,
    ImportState,
    Startup,
)
from accelerator.applications.queries import timezone_of
from accelerator.applications.vocab import CURRENCIES
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotFound, ValidationFailed
from accelerator.core.files import load_content, read_limited, store_bytes
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.models import AuditEvent, StoredFile
from accelerator.core.text import name_key
from accelerator.core.timeutil import format_dt
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.jobs.services import JobKind, JobResult
from accelerator.programs.models import Cohort

ALL_OR_NOTHING = "all"
GOOD_ROWS = "good"
_CHUNK = 500


@dataclass
class RowProblem:
    line: int
    reasons: list[str]


@dataclass
class Report:
    """What a check found: good rows (values ready to insert) and bad rows with reasons."""

    columns: list[str]
    mapping: dict[str, str]
    total: int = 0
    good: list[dict[str, Any]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    blank: int = 0
    reused: int = 0
    missing_required: list[str] = field(default_factory=list)
    imported: int = 0
    sample: list[list[str]] = field(default_factory=list)  # the first rows, as in the file

    @property
    def ok(self) -> bool:
        return not self.problems and not self.missing_required


def _max_rows() -> int:
    return int(current_app.config.get("IMPORT_MAX_ROWS", 20_000))


def create_import(*, cohort: Cohort, upload, actor) -> ApplicationImport:
    """Read an uploaded CSV (checking it can be parsed), keep it, and guess the mapping."""
    if upload is None or not getattr(upload, "filename", None):
        raise ValidationFailed(_("Choose a CSV file to upload."), field="file")
    max_bytes = int(current_app.config.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))
    data = read_limited(upload.stream, max_bytes)
    if data is None:
        raise ValidationFailed(_("The file is too large."), field="file")
    _refuse_imported_before(cohort, data)
    text, encoding = decode(data)
    frame = read_frame(text)
    if len(frame) > _max_rows():
        raise ValidationFailed(
            _(
                "The file has %(n)d rows; import at most %(max)d at a time.",
                n=len(frame),
                max=_max_rows(),
            ),
            field="file",
        )
    stored = store_bytes(
        data, filename=upload.filename or "import.csv", content_type="text/csv", uploaded_by=actor
    )
    batch = ApplicationImport(
        cohort_id=cohort.id,
        file_id=stored.id,
        encoding=encoding,
        row_count=len(frame),
        mapping=guess_mapping(list(frame.columns)),
        created_by_id=actor.id,
    )
    audit.record_new(
        "applications.import_uploaded",
        batch,
        actor=actor,
        data={"rows": len(frame), "encoding": encoding, "cohort_id": cohort.id},
    )
    return batch


def _refuse_imported_before(cohort: Cohort, data: bytes) -> None:
    """The same file (by checksum) already imported into this cohort: say so, write nothing."""
    earlier = db.session.execute(
        select(ApplicationImport.imported_at, ApplicationImport.imported_count)
        .join(StoredFile, StoredFile.id == ApplicationImport.file_id)
        .where(
            ApplicationImport.cohort_id == cohort.id,
            ApplicationImport.state == ImportState.IMPORTED,
            StoredFile.sha256 == hashlib.sha256(data).hexdigest(),
        )
        .order_by(ApplicationImport.imported_at.desc())
        .limit(1)
    ).first()
    if earlier is not None:
        raise Conflict(
            _(
                "This file was already imported into %(cohort)s on %(when)s (%(n)d "
                "applications); nothing was read again.",
                cohort=cohort.name,
                when=format_dt(earlier.imported_at, timezone_of(cohort)),
                n=earlier.imported_count,
            ),
            field="file",
        )


def recent_imports(limit: int = 10) -> list[ApplicationImport]:
    """The latest files uploaded, with their cohort and file, newest first."""
    return list(
        db.session.scalars(
            select(ApplicationImport)
            .options(joinedload(ApplicationImport.cohort), joinedload(ApplicationImport.file))
            .order_by(ApplicationImport.created_at.desc(), ApplicationImport.id.desc())
            .limit(limit)
        )
    )


def read_batch(batch: ApplicationImport):
    """The batch's CSV as a frame (text re-decoded with the encoding found at upload)."""
    stored = db.session.get(StoredFile, batch.file_id)
    text = load_content(stored).decode(batch.encoding)
    return read_frame(text)


def check(
    batch: ApplicationImport,
    *,
    mapping: dict[str, str] | None = None,
    progress=None,
    release: Callable[[], None] | None = None,
) -> Report:
    """Validate every row against the mapping, without writing anything.

    `progress(done, total, message)`, if given, hears how far it got (a job's progress).
    `release()`, if given, is called once the file and the cohort are read, before the rows
    are checked: a job ends its transaction there, so a long check holds no lock (SQLite's
    transactions take the write lock at once)."""
    frame = read_batch(batch)
    cohort_id = batch.cohort_id
    columns = list(frame.columns)
    mapping = clean_mapping(mapping if mapping is not None else batch.mapping, columns)
    report = Report(columns=columns, mapping=mapping, total=len(frame))
    report.sample = [[str(v) for v in row] for row in frame.head(5).itertuples(index=False)]
    report.missing_required = [key for key in REQUIRED_KEYS if key not in mapping]
    if report.missing_required:
        return report
    cohort = db.session.get(Cohort, cohort_id)
    default_currency = cohort.currency if cohort.currency in CURRENCIES else "USD"
    tz = timezone_of(cohort)
    if release is not None:
        release()
    keys = list(mapping)
    sub = frame[[mapping[k] for k in keys]]
    seen: dict[str, int] = {}
    too_many = frame.attrs.get("too_many_cells", {})
    checking = _("Checking the rows…")
    for index, values in enumerate(sub.itertuples(index=False, name=None)):
        if progress is not None and index % _CHUNK == 0:
            progress(index, report.total, checking)
        line = index + 2
        raw = dict(zip(keys, values, strict=True))
        if not any(str(v).strip() for v in values):
            report.blank += 1
            continue
        cleaned, reasons = row_rules.clean_row(raw, default_currency=default_currency, tz=tz)
        if index in too_many:
            reasons.insert(
                0,
                _(
                    "%(n)d cells for %(columns)d columns (a value with the "
                    "delimiter in it needs quotes)",
                    n=too_many[index],
                    columns=len(columns),
                ),
            )
        key = name_key(cleaned.get("name"))
        if key and key in seen:
            reasons.append(_("the same startup as line %(line)d", line=seen[key]))
        elif key:
            seen[key] = line
        if reasons:
            report.problems.append(RowProblem(line, reasons))
        else:
            cleaned["line"] = line
            report.good.append(cleaned)
    _match_existing(report, cohort_id)
    return report


def _match_existing(report: Report, cohort_id: int) -> None:
    """Reuse startups that exist under the same name; refuse those already in this cohort."""
    names = sorted({name_key(row["name"]) for row in report.good})
    existing: dict[str, int] = {}
    for chunk in _chunks(names):
        existing.update(
            (key, sid)
            for sid, key in db.session.execute(
                select(Startup.id, Startup.name_key)
                .where(Startup.name_key.in_(chunk))
                .order_by(Startup.id.desc())
            )
        )
    applied: set[int] = set()
    ids = sorted(set(existing.values()))
    for chunk in _chunks(ids):
        applied.update(
            db.session.scalars(
                select(Application.startup_id).where(
                    Application.cohort_id == cohort_id, Application.startup_id.in_(chunk)
                )
            )
        )
    good = []
    for row in report.good:
        startup_id = existing.get(name_key(row["name"]))
        if startup_id in applied:
            report.problems.append(
                RowProblem(
                    row["line"],
                    [_("%(name)s already has an application for this cohort", name=row["name"])],
                )
            )
            continue
        row["startup_id"] = startup_id
        report.reused += startup_id is not None
        good.append(row)
    report.good = good
    report.problems.sort(key=lambda p: p.line)


def run_import(
    batch: ApplicationImport,
    *,
    mapping: dict[str, str],
    mode: str,
    actor,
    progress=None,
    release: Callable[[], None] | None = None,
) -> Report:
    """Import the checked rows: all or nothing (default), or only the good ones if asked.

    The batch's row is locked from the check of what exists to the commit: the rows, the
    batch's "imported" and the audit events commit together, so two imports of one file, or
    an import retried after a crash, import each row once. (`progress`, `release`: see check.)
    """
    if batch.state != ImportState.PENDING:
        raise InvalidState(_("This file was already imported."))
    report = check(batch, mapping=mapping, progress=progress, release=release)
    batch = lock(ApplicationImport, batch.id)
    if batch.state != ImportState.PENDING:
        raise InvalidState(_("This file was already imported."))
    batch.mapping = report.mapping
    if report.missing_required:
        raise ValidationFailed(_("Choose the column that holds the startup's name."))
    if report.problems and mode != GOOD_ROWS:
        return report  # nothing imported; the caller shows every bad row
    if not report.good:
        raise ValidationFailed(_("No row can be imported."))  # the file, not the state
    try:
        with db.session.begin_nested():
            _insert(report.good, batch, actor, progress)
    except IntegrityError as error:  # e.g. the same startup applied while we were importing
        raise Conflict(
            _("The data changed while importing; nothing was imported. Check the file again.")
        ) from error
    now = utcnow()
    batch.state = ImportState.IMPORTED
    batch.imported_at = now
    batch.imported_count = report.imported = len(report.good)
    batch.skipped_count = len(report.problems)
    db.session.flush()
    audit.record(
        "applications.imported",
        batch,
        actor=actor,
        data={
            "imported": batch.imported_count,
            "skipped": batch.skipped_count,
            "lines_skipped": [p.line for p in report.problems][:500],
            "mode": mode,
        },
    )
    return report


def _insert(rows: list[dict[str, Any]], batch: ApplicationImport, actor, progress=None) -> None:
    now = utcnow()
    if progress is not None:
        progress(0, len(rows), _("Writing the applications…"))
    new = [row for row in rows if row["startup_id"] is None]
    startup_rows = [
        {
            **{k: row.get(k) for k in row_rules.STARTUP_KEYS},
            "name_key": name_key(row["name"]),  # a bulk insert runs no ORM validator
            "source": "import",
            "description": row.get("description") or "",
            "created_at": now,
            "updated_at": now,
        }
        for row in new
    ]
    for row, startup_id in zip(new, _insert_all(Startup, startup_rows), strict=True):
        row["startup_id"] = startup_id
    application_rows = [
        {
            **{k: row.get(k) for k in row_rules.APPLICATION_KEYS},
            "cohort_id": batch.cohort_id,
            "startup_id": row["startup_id"],
            "status": ApplicationStatus.SUBMITTED,
            "source": "import",
            "import_id": batch.id,
            "submitted_at": row.get("submitted_at") or now,
            "created_at": now,
            "updated_at": now,
        }
        for row in rows
    ]
    events = [
        {
            "action": "application.imported",
            "actor_id": getattr(actor, "id", None),
            "created_at": now,
            "object_type": "applications",
            "object_id": application_id,
            "data": {"import_id": batch.id, "line": row["line"]},
        }
        for application_id, row in zip(
            _insert_all(Application, application_rows, progress), rows, strict=True
        )
    ]
    for chunk in _chunks(events):
        db.session.execute(insert(AuditEvent), chunk)


def _chunks(items: list) -> Iterator[list]:
    """`items` in slices of _CHUNK: one statement each, whatever the file's size."""
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _insert_all(model, rows: list[dict[str, Any]], progress=None) -> list[int]:
    """Insert rows of `model` a chunk at a time; their new ids, in the rows' order."""
    ids: list[int] = []
    for chunk in _chunks(rows):
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        ids.extend(db.session.scalars(statement, chunk))
        if progress is not None:
            progress(len(ids), len(rows))
    return ids


# --- As a job (accelerator/jobs): a file of more than IMPORT_BACKGROUND_ROWS rows ------------


def runs_in_background(batch: ApplicationImport) -> bool:
    return batch.row_count > int(current_app.config["IMPORT_BACKGROUND_ROWS"])


def start_import_job(batch: ApplicationImport, *, mapping: dict[str, str], mode: str, actor):
    """Record the import as a job (the caller commits, then submits it)."""
    return job_services.start(
        IMPORT_JOB.name,
        actor=actor,
        subject=db.session.scalar(select(StoredFile.filename).where(StoredFile.id == batch.file_id))
        or f"#{batch.id}",
        params={"import_id": batch.id, "mapping": mapping, "mode": mode},
        total=batch.row_count,
        url=external_url("applications.import_preview", import_id=batch.id),
    )


def _run_import_job(job, progress) -> JobResult:
    batch = db.session.get(ApplicationImport, job.params["import_id"])
    if batch is None:
        raise NotFound(_("This import's file is gone."))
    actor = job.started_by
    report = run_import(
        batch,
        mapping=job.params["mapping"],
        mode=job.params["mode"],
        actor=actor,
        progress=progress,
        release=db.session.rollback,  # nothing written yet: the check runs without a lock
    )
    if not report.imported:
        raise ValidationFailed(
            _(
                "Nothing was imported: %(n)d rows have problems. Fix the file, or choose "
                "to import only the good rows.",
                n=len(report.problems),
            )
        )
    return JobResult(
        message=_("%(n)d applications imported.", n=report.imported),
        url=external_url("applications.index", cohort=batch.cohort_id, sort="submitted"),
    )


IMPORT_JOB = JobKind("applications.import", _l("Import of applications"), _run_import_job)
