"""Access expectations for jobs: the person who started one and staff see it; nobody else.

build() gives staff a finished export (with its file) and a failed one. Staff retry the
failed one first (it runs at once in the tests and is done); admin's retry then meets a done
job: 409.
"""

from __future__ import annotations

from tests.access import LOGIN, Case, expect, staff_only

SEEN = expect(404, anonymous=LOGIN, staff=200, admin=200)


def build(world) -> None:
    from accelerator.core.files import store_bytes
    from accelerator.core.types import utcnow
    from accelerator.extensions import db
    from accelerator.jobs.models import Job, JobStatus

    staff = world.users["staff"]
    stored = store_bytes(b"id,name\n", filename="applications.csv", content_type="text/csv")

    def job(status: JobStatus, **outcome) -> Job:
        return Job(
            kind="applications.export",
            subject="applications.csv",
            params={"filters": {}, "fmt": "csv"},
            started_by_id=staff.id,
            status=status,
            finished_at=utcnow(),
            **outcome,
        )

    done = job(JobStatus.DONE, result_file_id=stored.id)
    failed = job(JobStatus.FAILED, error="Something went wrong on our side (OSError).")
    db.session.add_all([done, failed])
    db.session.flush()
    world.done_job, world.failed_job = done, failed


CASES = {
    "jobs.index": [Case("/jobs", staff_only()), Case("/jobs?tab=failed", staff_only())],
    "jobs.show": [Case(lambda w: f"/jobs/{w.done_job.id}", SEEN)],
    "jobs.progress": [Case(lambda w: f"/jobs/{w.done_job.id}/progress.json", SEEN)],
    "jobs.result": [Case(lambda w: f"/jobs/{w.done_job.id}/result", SEEN)],
    "jobs.retry": [
        Case(
            lambda w: f"/jobs/{w.failed_job.id}/retry",
            expect(404, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            note="staff retry it (it runs and is done); admin then meets a done job",
        )
    ],
}
