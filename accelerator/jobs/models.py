"""Jobs: long work done by the job queue (huey), each with a record people can watch.

The record is the truth; the queue only carries "run job 42" to a worker. A job is claimed by a
guarded UPDATE (queued -> running), so one worker runs it at a time; its work and its "done"
are committed in one transaction, so a worker killed mid-job leaves nothing half done, and the
job, running without a heartbeat, is queued again by the recovery sweep (queue.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.auth.models import User
    from accelerator.core.models import StoredFile


class JobStatus(RichStrEnum):
    QUEUED = "queued", _l("waiting"), "text-bg-secondary"
    RUNNING = "running", _l("running"), "text-bg-info"
    DONE = "done", _l("done"), "text-bg-success"
    FAILED = "failed", _l("failed"), "text-bg-danger"

    __moves__ = {
        "queued": frozenset({"running"}),
        "running": frozenset({"done", "failed", "queued"}),
        "failed": frozenset({"queued"}),
        "done": frozenset(),
    }
    __refusals__ = {
        "done": _l("This job is done; start a new one instead."),
        "running": _l("This job is running; wait for it to finish."),
        "queued": _l("This job is waiting for a worker already."),
    }

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED)


class Job(db.Model):
    """One piece of long work: who started it, what it is, how far it got, and what it made."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The kind's name in `hooks.jobs`, e.g. "applications.import".
    kind: Mapped[str] = mapped_column(String(60), index=True)
    #: What it works on, as people name it (a file, a cohort); data, not translated.
    subject: Mapped[str] = mapped_column(String(200), default="")
    #: The same work asked by the same person (kind, parameters, starter), hashed: a second
    #: click while the first job is unfinished finds it instead of starting another.
    key: Mapped[str] = mapped_column(String(64), index=True, default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus, "job_status"), default=JobStatus.QUEUED
    )
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    done: Mapped[int] = mapped_column(default=0, server_default="0")
    total: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The last word of its progress or its outcome, in the starter's language.
    message: Mapped[str] = mapped_column(String(300), default="", server_default="")
    result_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    #: Where to see what it made (a page of the app), when it made no file.
    result_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    max_attempts: Mapped[int] = mapped_column(default=3, server_default="3")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last time its starter looked at its page: "left" means not seen lately.
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    started_by: Mapped[User | None] = relationship()
    result_file: Mapped[StoredFile | None] = relationship()

    __table_args__ = (
        CheckConstraint("done >= 0 AND total >= 0", name="progress_not_negative"),
        CheckConstraint("attempts >= 0 AND max_attempts >= 1", name="attempts_in_range"),
        CheckConstraint(
            "(status IN ('done', 'failed')) = (finished_at IS NOT NULL)",
            name="finished_when_done_or_failed",
        ),
        Index("ix_jobs_status_created", "status", "created_at"),
    )

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
