"""Jobs, run eagerly (JOBS_QUEUE_URL=immediate): long imports and exports become jobs with a
page, a progress feed, a result, retries, recovery, the staff list and mail when people left."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accelerator.applications.models import Application, ApplicationImport, ImportState
from accelerator.core import hooks
from accelerator.core.errors import Invalid
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs import queue, services
from accelerator.jobs.models import Job, JobStatus
from tests import factories

HEADER = "Startup name,Country,Stage,Contact email"


def _csv(count: int, *, bad: int = 0) -> bytes:
    lines = [HEADER]
    lines += [f"Société Éclair {i},FR,seed,team{i}@example.org" for i in range(count)]
    lines += [f"Broken {i},Atlantis,,x" for i in range(bad)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def cohort(db):
    return factories.make_cohort(phase="open")


@pytest.fixture
def few_rows(app, monkeypatch):
    """Files of more than 5 rows import as jobs, lists of more than 5 export as jobs."""
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 5)
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_ROWS", 5)


def _upload(client, cohort, data: bytes) -> ApplicationImport:
    response = client.post(
        "/applications/import",
        data={"cohort": str(cohort.id), "file": (io.BytesIO(data), "f6s-export.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return db.session.scalar(select(ApplicationImport).order_by(ApplicationImport.id.desc()))


def _run(client, batch, mode: str = "all"):
    form = {f"map_{k}": v for k, v in batch.mapping.items()}
    return client.post(f"/applications/import/{batch.id}", data={**form, "mode": mode, "run": "1"})


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_long_import_runs_as_a_job_whose_page_shows_the_result(login_as, staff, cohort, few_rows):
    client = login_as(staff)
    batch = _upload(client, cohort, _csv(12))
    response = _run(client, batch)
    job = db.session.scalar(select(Job))
    assert response.location == f"/jobs/{job.id}"
    assert job.kind == "applications.import" and job.subject == "f6s-export.csv"
    assert job.status == JobStatus.DONE and job.done == job.total == 12
    assert _count(Application) == 12
    assert db.session.get(ApplicationImport, batch.id).state == ImportState.IMPORTED
    page = client.get(response.location).get_data(as_text=True)
    assert "Import of applications" in page and "12 applications imported." in page
    assert 'value="100"' in page  # the progress bar, full
    assert f"/applications?cohort={cohort.id}" in page  # "See the result"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "jobs"))
    assert sorted(actions) == ["job.finished", "job.started"]


def test_importing_the_same_file_again_imports_nothing_twice(login_as, staff, cohort, few_rows):
    client = login_as(staff)
    batch = _upload(client, cohort, _csv(8))
    _run(client, batch)
    second = _run(client, batch)  # the button pressed again, or the form re-posted
    assert second.status_code == 422 and "imported" in second.get_data(as_text=True)
    assert _count(Application) == 8


def test_a_refused_import_job_says_why_and_offers_the_preview(login_as, staff, cohort, few_rows):
    client = login_as(staff)
    batch = _upload(client, cohort, _csv(8, bad=2))
    job_page = _run(client, batch).location
    job = db.session.scalar(select(Job))
    assert job.status == JobStatus.FAILED and job.attempts == 1  # a refusal is not retried
    assert _count(Application) == 0
    page = client.get(job_page).get_data(as_text=True)
    assert "Nothing was imported: 2 rows have problems" in page
    assert f"/applications/import/{batch.id}" in page  # back to the preview to fix it
    assert "Try again" in page


def test_a_small_import_still_runs_at_once(login_as, staff, cohort, few_rows):
    client = login_as(staff)
    batch = _upload(client, cohort, _csv(4))
    assert _run(client, batch).location.startswith("/applications?cohort=")
    assert _count(Job) == 0 and _count(Application) == 4


def test_a_long_export_is_a_job_with_a_file_to_download(login_as, staff, cohort, few_rows):
    for i in range(7):
        startup = factories.make_startup(name=f"Société Éclair {i}")
        factories.make_application(cohort=cohort, startup=startup, status="submitted")
    client = login_as(staff)
    response = client.get(f"/applications/export.csv?cohort={cohort.id}")
    job = db.session.scalar(select(Job))
    assert response.location == f"/jobs/{job.id}"
    assert job.status == JobStatus.DONE and job.message == "7 applications exported."
    download = client.get(f"/jobs/{job.id}/result")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith('attachment; filename="applications-')
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 7 and {r["cohort"] for r in rows} == {cohort.name}


def test_a_short_export_downloads_at_once(login_as, staff, cohort, few_rows):
    factories.make_application(cohort=cohort, status="submitted")
    response = login_as(staff).get(f"/applications/export.csv?cohort={cohort.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert _count(Job) == 0


def test_the_same_work_asked_twice_while_unfinished_is_one_job(staff, app, monkeypatch):
    monkeypatch.setattr(services, "submit", lambda job: None)  # nobody runs it
    first = services.start("applications.export", actor=staff, subject="a", params={"fmt": "csv"})
    again = services.start("applications.export", actor=staff, subject="a", params={"fmt": "csv"})
    other = services.start("applications.export", actor=staff, subject="a", params={"fmt": "xlsx"})
    assert again.id == first.id and other.id != first.id


# --- Failures, retries, recovery -------------------------------------------------------------


@pytest.fixture
def flaky(app):
    """A kind that fails `failures` times with an unexpected error, then succeeds."""
    state = {"failures": 0, "runs": 0}

    def run(job, progress):
        state["runs"] += 1
        progress(1, 2, "halfway")
        if state["runs"] <= state["failures"]:
            raise RuntimeError("disk full")
        if job.params.get("refuse"):
            raise Invalid("The cohort is closed.")
        return services.JobResult(message="all good")

    kind = services.JobKind("tests.flaky", "Flaky work", run, max_attempts=2)
    hooks.jobs.connect(kind)
    yield state
    hooks.jobs._entries.pop("tests.flaky")


def _start(actor, **params) -> Job:
    job = services.start("tests.flaky", actor=actor, subject="thing", params=params)
    db.session.commit()
    services.submit(job)
    return db.session.get(Job, job.id)


def test_an_unexpected_error_is_tried_again_then_fails(staff, flaky):
    flaky["failures"] = 5
    job = _start(staff)
    assert job.status == JobStatus.QUEUED and job.attempts == 1  # waiting for its retry
    assert "Attempt 1 failed" in job.message and "RuntimeError" in job.error
    services.run_job.call_local(job.id)  # the retry, when its delay is over
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FAILED and job.attempts == 2
    assert "Something went wrong on our side (RuntimeError)" in job.error
    assert "disk full" not in job.error  # no internals on the page


def test_a_failed_job_is_retried_from_its_page(login_as, staff, flaky):
    flaky["failures"] = 2
    job = _start(staff)
    services.run_job.call_local(job.id)
    assert db.session.get(Job, job.id).status == JobStatus.FAILED
    client = login_as(staff)
    response = client.post(f"/jobs/{job.id}/retry")
    assert response.location == f"/jobs/{job.id}"
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.DONE and job.message == "all good"
    assert "job.retried" in db.session.scalars(select(AuditEvent.action)).all()
    refused = client.post(f"/jobs/{job.id}/retry")  # done: nothing to retry
    assert refused.status_code == 409


def test_a_domain_error_fails_at_once_with_its_message(staff, flaky):
    job = _start(staff, refuse=True)
    assert job.status == JobStatus.FAILED and job.error == "The cohort is closed."
    assert job.attempts == 1


def test_a_job_whose_worker_died_is_queued_again_and_runs(staff, flaky, app, monkeypatch):
    monkeypatch.setattr(services, "submit", lambda job: None)
    job = services.start("tests.flaky", actor=staff, subject="thing")
    db.session.commit()
    assert services.claim(job.id) is not None  # a worker took it, then died
    monkeypatch.setitem(app.config, "JOBS_STALE_SECONDS", 60)
    assert services.recover() == 0  # not silent long enough yet
    job.started_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert services.recover() == 1
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_a_job_out_of_attempts_when_its_worker_died_fails_saying_so(staff, flaky, monkeypatch):
    monkeypatch.setattr(services, "submit", lambda job: None)
    job = services.start("tests.flaky", actor=staff, subject="thing")
    db.session.commit()
    for _ in range(2):
        services.claim(job.id)
        job.status, job.started_at = JobStatus.QUEUED, utcnow() - timedelta(minutes=5)
        db.session.commit()
    job.status = JobStatus.RUNNING
    db.session.commit()
    services.recover()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FAILED
    assert job.error == "The worker stopped while running this job, 2 times."


def test_a_live_heartbeat_keeps_a_long_job_from_being_taken_twice(staff, flaky, monkeypatch):
    monkeypatch.setattr(services, "submit", lambda job: None)
    job = services.start("tests.flaky", actor=staff, subject="thing")
    db.session.commit()
    services.claim(job.id)
    job.started_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    services.Progress(job)(3, 10, "still going")  # the worker's heartbeat, just now
    assert services.recover() == 0
    assert db.session.get(Job, job.id).status == JobStatus.RUNNING
    queue.forget_progress(job.id)


# --- Watching and being told -----------------------------------------------------------------


def test_the_progress_feed_shows_a_running_jobs_live_count(login_as, staff, flaky, monkeypatch):
    monkeypatch.setattr(services, "submit", lambda job: None)
    job = services.start("tests.flaky", actor=staff, subject="thing", total=200)
    db.session.commit()
    services.claim(job.id)
    services.Progress(job)(50, 200, "Writing the applications…")
    feed = login_as(staff).get(f"/jobs/{job.id}/progress.json").get_json()
    assert feed == {
        "status": "running",
        "label": "running",
        "finished": False,
        "done": 50,
        "total": 200,
        "percent": 25,
        "message": "Writing the applications…",
    }
    page = login_as(staff).get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'value="25"' in page and "50 of 200" in page
    assert '<meta http-equiv="refresh"' in page  # without JavaScript, the page reloads
    queue.forget_progress(job.id)


def test_who_started_it_is_mailed_only_when_they_left(staff, flaky, monkeypatch):
    monkeypatch.setattr(services, "submit", lambda job: None)
    watched = services.start("tests.flaky", actor=staff, subject="watched")
    left = services.start("tests.flaky", actor=staff, subject="left", params={"n": 2})
    left.seen_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    services.execute(watched.id)
    services.execute(left.id)
    mails = db.session.scalars(select(OutboxEmail)).all()
    assert [m.to for m in mails] == [staff.email]
    assert mails[0].subject == "Done: Flaky work" and "(left) is done" in mails[0].body
    assert f"/jobs/{left.id}" in mails[0].body


def test_a_job_is_seen_by_its_starter_and_staff_only(login_as, flaky, staff, founder, mentor):
    other_staff = factories.make_user(role="staff", name="Olga Other")
    job = _start(founder, n=1)  # a founder's own job (none of today's kinds, but allowed)
    assert login_as(founder).get(f"/jobs/{job.id}").status_code == 200
    assert login_as(other_staff).get(f"/jobs/{job.id}").status_code == 200
    assert login_as(mentor).get(f"/jobs/{job.id}").status_code == 404
    assert login_as(mentor).get(f"/jobs/{job.id}/progress.json").status_code == 404
    assert login_as(mentor).post(f"/jobs/{job.id}/retry").status_code == 404
    assert login_as(None).get(f"/jobs/{job.id}").status_code == 302  # to sign in
    assert login_as(founder).get("/jobs").status_code == 403
    assert login_as(staff).get(f"/jobs/{job.id}/result").status_code == 404  # no file made


def test_the_staff_list_has_running_failed_and_done(login_as, staff, flaky):
    flaky["failures"] = 9
    failed = _start(staff, n=1)
    services.run_job.call_local(failed.id)
    flaky["failures"] = 0
    _start(staff, n=2)
    client = login_as(staff)
    page = client.get("/jobs?tab=failed").get_data(as_text=True)
    assert "Flaky work" in page and "Try again" in page and "Failed <span" in page
    assert "No job has finished yet." not in client.get("/jobs?tab=done").get_data(as_text=True)
    assert "Nothing is running." in client.get("/jobs").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "1 job failed" in home


def test_the_staff_list_costs_the_same_statements_for_3_or_30_jobs(
    login_as, staff, flaky, count_queries, monkeypatch, full_page_counts
):
    monkeypatch.setattr(services, "submit", lambda job: None)
    people = [factories.make_user(role="staff", name=f"Zoé {i}") for i in range(30)]
    client = login_as(staff)

    def statements_with(count: int) -> int:
        for person in people[:count]:
            job = services.start("tests.flaky", actor=person, subject=f"Éclair {count}")
            job.status, job.error = JobStatus.FAILED, "disk full"
            job.finished_at = utcnow()
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/jobs?tab=failed").status_code == 200
        return counter.count

    assert statements_with(3) == statements_with(30)
