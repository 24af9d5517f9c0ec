"""Who hears how a job ended: the person who started it, by mail, when they left its page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.mail import queue_mail
from accelerator.core.urls import external_url
from accelerator.jobs.models import Job


def finished(job: Job, label: str) -> None:
    _tell(job, label, _l("Done: %(what)s", what=label), "job_finished.txt")


def failed(job: Job, label: str) -> None:
    _tell(job, label, _l("Failed: %(what)s", what=label), "job_failed.txt")


def _tell(job: Job, label: str, subject, template: str) -> None:
    starter = job.started_by
    if starter is None or not starter.active:
        return
    queue_mail(
        starter.email,
        subject,
        template,
        job=job,
        label=label,
        link=external_url("jobs.show", job_id=job.id),
    )
