"""Reads of jobs: where one stands (its row, or its live progress while it runs), and lists."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from accelerator.extensions import db
from accelerator.jobs import queue
from accelerator.jobs.models import Job, JobStatus

#: The staff list's tabs: what each shows.
TABS = {
    "running": (JobStatus.QUEUED, JobStatus.RUNNING),
    "failed": (JobStatus.FAILED,),
    "done": (JobStatus.DONE,),
}


@dataclass(frozen=True)
class Standing:
    """Where a job stands for the people watching it."""

    status: JobStatus
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0


def standing(job: Job) -> Standing:
    """The job's row, or while it runs, the progress its worker writes to the queue's store."""
    if job.status == JobStatus.RUNNING:
        live = queue.read_progress(job.id)
        if live:
            return Standing(
                job.status,
                int(live.get("done") or 0),
                int(live.get("total") or job.total),
                str(live.get("message") or job.message),
            )
    return Standing(job.status, job.done, job.total, job.message)


def list_statement(tab: str) -> Select:
    return (
        select(Job)
        .options(joinedload(Job.started_by))
        .where(Job.status.in_(TABS.get(tab, TABS["running"])))
        .order_by(Job.created_at.desc(), Job.id.desc())
    )


def counts() -> dict[str, int]:
    """Jobs per tab, for the staff home card."""
    found = dict(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    return {tab: sum(found.get(s, 0) for s in statuses) for tab, statuses in TABS.items()}
