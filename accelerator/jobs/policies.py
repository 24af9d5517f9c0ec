"""Who may see and retry a job: the person who started it, and program staff.

A business-unit partner sees none, not even one they started before an administrator made them
a partner: every job kind is a program act whose file holds the program's data (applications,
matches), which a partner never reads.
"""

from __future__ import annotations

from accelerator.core.permissions import Role, policy
from accelerator.jobs.models import Job, JobStatus


@policy
def can_view_job(user, job: Job) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return job.started_by_id == user.id and user.role != Role.PARTNER


@policy
def can_retry_job(user, job: Job) -> bool:
    return job.status == JobStatus.FAILED and can_view_job(user, job)
