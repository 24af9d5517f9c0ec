"""Who may see and retry a job: the person who started it, and program staff."""

from __future__ import annotations

from accelerator.core.permissions import policy
from accelerator.jobs.models import Job, JobStatus


@policy
def can_view_job(user, job: Job) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or job.started_by_id == user.id)


@policy
def can_retry_job(user, job: Job) -> bool:
    return job.status == JobStatus.FAILED and can_view_job(user, job)
