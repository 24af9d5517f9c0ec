"""The queue for real: a worker process runs jobs and delivers mail, and a worker killed
mid-import (kill -9) leaves the import to the next worker, which imports each row once.

These tests commit (the worker is another process); they run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import io
import time

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from accelerator.applications import importing
from accelerator.applications.models import Application, ApplicationImport, ImportState, Startup
from accelerator.core.mail import queue_mail
from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from accelerator.jobs import queue, services
from accelerator.jobs.models import Job, JobStatus
from tests import factories
from tests.jobs.worker import Worker, queue_in, wait_for

ROWS = 4_000


@pytest.fixture
def setting(committed, tmp_path):
    """The app (tables emptied), its database URL, and a queue file both processes use."""
    app = committed
    with queue_in(tmp_path / "queue.sqlite3") as queue_url:
        yield app, app.config["SQLALCHEMY_DATABASE_URI"], queue_url, tmp_path


def _read(statement):
    """Read what the worker committed, and end the transaction at once: on SQLite every
    transaction holds the write lock, and the worker must not wait for the test."""
    db.session.rollback()
    try:
        return db.session.execute(statement).one()
    finally:
        db.session.rollback()


def _count(model) -> int:
    return _read(select(func.count()).select_from(model))[0]


def _job(job_id: int):
    return _read(
        select(Job.status, Job.attempts, Job.done, Job.total, Job.error).where(Job.id == job_id)
    )


def test_the_worker_delivers_mail_as_soon_as_it_is_committed(setting):
    app, database_url, queue_url, tmp_path = setting
    worker = Worker(database_url, queue_url, tmp_path / "worker.log")
    try:
        with app.app_context():
            queue_mail(
                "zoe@example.org",
                "Bienvenue, Zoé",
                "reset_password.txt",
                user={"name": "Zoé"},
                link="L",
                minutes=5,
            )
            db.session.commit()  # the commit sends "deliver mail" to the queue
            sent = wait_for(
                lambda: _read(select(OutboxEmail.sent_at))[0],
                90,  # a worker starting on a loaded machine (xdist) takes a while
                worker,
                "the mail to be sent",
            )
            assert sent is not None
            assert "Bienvenue, Zoé" in worker.output()  # the console backend prints it
    finally:
        worker.stop()


def test_a_worker_killed_mid_import_leaves_it_to_the_next_which_imports_each_row_once(setting):
    app, database_url, queue_url, tmp_path = setting
    with app.app_context():
        staff = factories.make_user(role="staff", name="Sam Staff")
        cohort = factories.make_cohort(phase="open")
        lines = ["Startup name,Country,Stage,Contact email"] + [
            f"Société Éclair {i},FR,seed,team{i}@example.org" for i in range(ROWS)
        ]
        upload = FileStorage(
            io.BytesIO("\n".join(lines).encode()), "big.csv", content_type="text/csv"
        )
        batch = importing.create_import(cohort=cohort, upload=upload, actor=staff)
        db.session.commit()
        batch = db.session.get(ApplicationImport, batch.id)
        job = importing.start_import_job(batch, mapping=batch.mapping, mode="all", actor=staff)
        db.session.commit()
        job_id, batch_id = job.id, batch.id
        services.submit(job)
        db.session.rollback()  # hold no transaction (and so, on SQLite, no lock) from here

        first = Worker(database_url, queue_url, tmp_path / "first.log")
        try:
            wait_for(
                lambda: (queue.read_progress(job_id) or {}).get("done", 0) > 0,
                60,
                first,
                "the import to be under way",
            )
            first.kill()
        finally:
            first.stop()
        assert _job(job_id).status == JobStatus.RUNNING  # as the dead worker left it
        assert _count(Application) == 0  # its transaction died with it: nothing half done
        time.sleep(2.5)  # JOBS_STALE_SECONDS: its heartbeat has stopped long enough

        second = Worker(database_url, queue_url, tmp_path / "second.log")
        try:
            wait_for(lambda: _job(job_id).status.finished, 120, second, "the import to finish")
        finally:
            second.stop()
        job = _job(job_id)
        assert job.status == JobStatus.DONE, (job.error, second.output())
        assert job.attempts == 2 and job.done == job.total == ROWS
        assert _count(Application) == ROWS
        assert _read(select(func.count(func.distinct(Startup.name_key))))[0] == ROWS
        state = _read(select(ApplicationImport.state).where(ApplicationImport.id == batch_id))
        assert state[0] == ImportState.IMPORTED
