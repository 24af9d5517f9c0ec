"""A business-unit partner sees no job, not even an export they started while they were staff."""

from __future__ import annotations

from accelerator.auth import services as auth_services
from accelerator.core.files import store_bytes
from accelerator.core.permissions import Role
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs.models import Job, JobStatus
from tests import factories


def _export_by(user) -> Job:
    stored = store_bytes(
        b"id,name\n1,Soci\xc3\xa9t\xc3\xa9 \xc3\x89clair\n",
        filename="applications.csv",
        content_type="text/csv",
    )
    job = Job(
        kind="applications.export",
        subject="applications.csv",
        params={"filters": {}, "fmt": "csv"},
        started_by_id=user.id,
        status=JobStatus.DONE,
        finished_at=utcnow(),
        result_file_id=stored.id,
    )
    db.session.add(job)
    db.session.commit()
    return job


def test_staff_made_a_partner_lose_the_jobs_they_started(client, login_as, admin):
    colleague = factories.make_user(role="staff", name="Élodie Moreau")
    job = _export_by(colleague)
    login_as(colleague)
    assert client.get(f"/jobs/{job.id}/result").status_code == 200

    auth_services.change_role(colleague, role=Role.PARTNER, actor=admin)
    db.session.commit()
    login_as(colleague)
    for path in ("", "/progress.json", "/result"):
        assert client.get(f"/jobs/{job.id}{path}").status_code == 404, path
    assert client.post(f"/jobs/{job.id}/retry").status_code == 404


def test_a_partner_finds_no_one_elses_job(client, login_as, staff):
    job = _export_by(staff)
    login_as(factories.make_user(role="partner"))
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get("/jobs").status_code == 403
