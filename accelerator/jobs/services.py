"""Starting, running, retrying and recovering jobs (the rules; the queue is queue.py).

A job is recorded when it is asked for (`start`), sent to the queue once the asker's
transaction commits (`submit`), claimed by one worker (`claim`: queued -> running, a guarded
UPDATE), and run by its kind (`hooks.jobs`). The kind's work, the job's "done" and its result
file are one transaction: a worker killed before that commit leaves nothing behind, and the
recovery sweep (`recover`) queues the job again. Delivery is at least once; this makes it
safe.

`start`, `retry` and `seen` are services as everywhere (the caller commits). The worker's side
(`claim`, `execute`, `recover`, `send_reminders`) is the one place that commits itself: each
step of a job is its own transaction, and no view calls it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update

from accelerator.core import audit, hooks
from accelerator.core.errors import DomainError, NotFound
from accelerator.core.files import store_bytes
from accelerator.core.i18n import gettext as _
from accelerator.core.mail import recipient_locale
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs import notify, queue
from accelerator.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


@dataclass(frozen=True)
class JobKind:
    """A kind of long work: its name in `hooks.jobs`, what people call it, and how it runs."""

    name: str
    label: Any  # a lazy string: "Import of applications"
    run: Callable[[Job, Progress], JobResult | None]
    max_attempts: int = 3


@dataclass
class JobResult:
    """What a job made: a word for people, and a file to download or a page to open."""

    message: str = ""
    file: bytes | None = None
    filename: str = ""
    content_type: str = "application/octet-stream"
    url: str = ""


class Progress:
    """What a running job tells the people watching it: done of total, and a word.

    Written to the queue's key-value store (not the database, which the job's transaction may
    hold), at most a few times a second, and by a heartbeat thread while a worker runs it.
    """

    def __init__(self, job: Job):
        self.job_id = job.id
        self.done, self.total, self.message = job.done, job.total, job.message
        self._written = 0.0
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        with self._lock:
            self.done = max(0, int(done))
            if total is not None:
                self.total = max(0, int(total))
            if message is not None:
                self.message = str(message)[:300]
        now = time.monotonic()
        if now - self._written >= 0.25 or (self.total and self.done >= self.total):
            self.write()

    def write(self) -> None:
        self._written = time.monotonic()
        with self._lock:
            value = {
                "done": self.done,
                "total": self.total,
                "message": self.message,
                "beat": time.time(),
            }
        queue.write_progress(self.job_id, value)


def kind_of(name: str) -> JobKind:
    for kind_name, kind in hooks.jobs.entries():
        if kind_name == name:
            return kind
    raise NotFound(_("No kind of job is called %(name)s.", name=name))


def label_of_kind(name: str) -> str:
    """What people call a kind of job, in their language."""
    with contextlib.suppress(NotFound):
        return str(kind_of(name).label)
    return name


def label_of(job: Job) -> str:
    return label_of_kind(job.kind)


def _key(kind: str, params: dict[str, Any], actor_id: int | None) -> str:
    text = json.dumps([kind, params, actor_id], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def start(
    kind: str,
    *,
    actor,
    subject: str,
    params: dict[str, Any] | None = None,
    total: int = 0,
    url: str = "",
) -> Job:
    """Record a job to run (the caller commits, then `submit`s it). `url` is the page it works
    on, linked from the job's page until its result replaces it.

    The same work asked again by the same person while the first is unfinished (a second click,
    a reload) returns the first job: one import, one export.
    """
    params = params or {}
    found = kind_of(kind)
    key = _key(kind, params, getattr(actor, "id", None))
    existing = db.session.scalar(
        select(Job).where(Job.key == key, Job.status.in_(UNFINISHED)).order_by(Job.id).limit(1)
    )
    if existing is not None:
        return existing
    job = Job(
        kind=kind,
        key=key,
        subject=subject[:200],
        params=params,
        started_by_id=getattr(actor, "id", None),
        total=total,
        result_url=url[:500],
        max_attempts=found.max_attempts,
        seen_at=utcnow(),  # its starter is watching: they are shown its page next
    )
    audit.record_new("job.started", job, actor=actor, data={"kind": kind, "subject": subject})
    return job


def init_queue(app) -> None:
    """Point the queue at the app's JOBS_QUEUE_URL (create_app calls it)."""
    queue.init_app(app)


def send_reminders(now: datetime | None = None) -> list[tuple[str, int]]:
    """Run every reminder sender (`hooks.reminders`), committing after each; each queues a
    reminder once, however often this runs. Returns (sender, how many queued). The worker
    runs it hourly; `flask reminders send` runs it by hand or from cron."""
    now = now or datetime.now(UTC)
    queued = []
    for name, sender in hooks.reminders.entries():
        queued.append((name, sender(now)))
        db.session.commit()
    return queued


# The queue's decorators and sender, for the standing work of domains above (webhooks).
task, periodic_task, send_task = queue.task, queue.periodic_task, queue.send


def runs_when_sent() -> bool:
    """True when a task runs as it is sent, in the sender's transaction (the tests)."""
    return bool(queue.huey.immediate)


def submit(job: Job) -> None:
    """Send the job to the queue; call it after the commit that recorded the job."""
    queue.send(run_job, job.id)


def retry(job: Job, *, actor) -> Job:
    """Queue a failed job again, from its first attempt (the caller commits, then submits)."""
    job.status.check_move(JobStatus.QUEUED)
    job.status = JobStatus.QUEUED
    job.attempts, job.error, job.finished_at, job.done = 0, None, None, 0
    job.message = ""
    job.seen_at = utcnow()
    audit.record("job.retried", job, actor=actor, data={"kind": job.kind, "subject": job.subject})
    return job


def seen(job: Job, *, viewer) -> None:
    """Note that the job's starter is watching (at most every few seconds: polls are often)."""
    if viewer is None or viewer.id != job.started_by_id:
        return
    now = utcnow()
    if job.seen_at is None or now - job.seen_at > timedelta(seconds=5):
        job.seen_at = now


def _left(job: Job) -> bool:
    """Has the starter stopped watching? Then the outcome goes by mail."""
    patience = timedelta(seconds=current_app.config["JOBS_LEFT_SECONDS"])
    return job.seen_at is None or utcnow() - job.seen_at > patience


# --- Running ---------------------------------------------------------------------------------


def claim(job_id: int) -> Job | None:
    """Take a queued job for this worker (queued -> running), or None if another has it or it
    is finished: a message received twice runs the job once."""
    taken = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=utcnow())
    ).rowcount
    db.session.commit()
    return db.session.get(Job, job_id) if taken else None


def execute(job_id: int) -> float | None:
    """Run a job if it can be claimed; returns the delay before it is tried again, if it is."""
    job = claim(job_id)
    if job is None:
        return None
    progress = Progress(job)
    try:
        kind = kind_of(job.kind)
        with force_locale(_locale(job)), _heartbeat(progress):
            result = kind.run(job, progress) or JobResult()
            _finish(job, result, progress)
        db.session.commit()
    except Exception as error:  # noqa: BLE001  (recorded on the job, retried or failed)
        db.session.rollback()
        return _failed(job_id, error)
    finally:
        queue.forget_progress(job_id)
    return None


def _locale(job: Job) -> str:
    starter = job.started_by
    return recipient_locale(starter.email) if starter is not None else "en"


@contextlib.contextmanager
def _heartbeat(progress: Progress) -> Iterator[None]:
    """In a worker, write the progress (and so a heartbeat) every JOBS_HEARTBEAT_SECONDS."""
    progress.write()
    if queue.huey.immediate:
        yield
        return
    stop = threading.Event()
    every = float(current_app.config["JOBS_HEARTBEAT_SECONDS"])

    def beat() -> None:
        while not stop.wait(every):
            progress.write()

    thread = threading.Thread(target=beat, name=f"job-{progress.job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finish(job: Job, result: JobResult, progress: Progress) -> None:
    job.status.check_move(JobStatus.DONE)
    job.status = JobStatus.DONE
    job.finished_at = utcnow()
    job.total = progress.total
    job.done = progress.total or progress.done
    job.message = (result.message or progress.message)[:300]
    job.error = None
    if result.file is not None:
        stored = store_bytes(
            result.file,
            filename=result.filename or f"job-{job.id}",
            content_type=result.content_type,
            uploaded_by=job.started_by,
        )
        job.result_file_id = stored.id
    job.result_url = (result.url or job.result_url)[:500]
    audit.record(
        "job.finished",
        job,
        actor=None,
        data={"kind": job.kind, "subject": job.subject, "message": job.message},
    )
    if _left(job):
        notify.finished(job, label_of(job))


def _failed(job_id: int, error: Exception) -> float | None:
    """Record an attempt's failure: tried again later (delay returned), or failed for good."""
    job = db.session.get(Job, job_id)
    if job is None:
        return None
    final = isinstance(error, DomainError) or job.attempts >= job.max_attempts
    if isinstance(error, DomainError):
        said = str(error.message)
    else:
        log.exception("job %s (%s) failed", job.id, job.kind, exc_info=error)
        with force_locale(_locale(job)):
            said = _(
                "Something went wrong on our side (%(error)s); it has been logged.",
                error=type(error).__name__,
            )
    job.error = said
    if not final:
        delay = 10 * 2 ** (job.attempts - 1)
        job.status = JobStatus.QUEUED
        with force_locale(_locale(job)):
            job.message = _(
                "Attempt %(n)d failed; trying again in %(seconds)d seconds.",
                n=job.attempts,
                seconds=delay,
            )
        db.session.commit()
        return float(delay)
    _give_up(job, said)
    db.session.commit()
    return None


def _give_up(job: Job, said: str) -> None:
    job.status = JobStatus.FAILED
    job.finished_at = utcnow()
    job.error = said
    job.message = said[:300]
    audit.record(
        "job.failed",
        job,
        actor=None,
        data={"kind": job.kind, "subject": job.subject, "error": said},
    )
    if _left(job):
        notify.failed(job, label_of(job))


@queue.task()
def run_job(job_id: int) -> None:
    delay = execute(job_id)
    if delay is not None:
        queue.send(run_job, job_id, delay=delay)


# --- Recovery --------------------------------------------------------------------------------


def recover(now: datetime | None = None) -> int:
    """Queue again the jobs a dead worker left: running without a heartbeat for
    JOBS_STALE_SECONDS, or queued that long (their message lost). Returns how many were sent.

    A running job out of attempts fails instead, saying why.
    """
    now = now or utcnow()
    stale = float(current_app.config["JOBS_STALE_SECONDS"])
    sent = 0
    unfinished = db.session.scalars(
        select(Job).where(Job.status.in_(UNFINISHED)).order_by(Job.id).limit(500)
    ).all()  # read whole: each job is committed on its own below
    for job in unfinished:
        if job.status == JobStatus.RUNNING:
            if not _stalled(job, now, stale):
                continue
            if job.attempts >= job.max_attempts:
                with force_locale(_locale(job)):
                    said = _(
                        "The worker stopped while running this job, %(n)d times.", n=job.attempts
                    )
                _give_up(job, said)
                continue
            job.status = JobStatus.QUEUED
            queue.forget_progress(job.id)
        elif (now - (job.started_at or job.created_at)).total_seconds() < stale:
            continue
        db.session.commit()
        sent += queue.send(run_job, job.id)
    db.session.commit()
    return sent


def _stalled(job: Job, now: datetime, stale: float) -> bool:
    progress = queue.read_progress(job.id)
    if progress and progress.get("beat"):
        return time.time() - float(progress["beat"]) > stale
    return job.started_at is None or (now - job.started_at).total_seconds() > stale
