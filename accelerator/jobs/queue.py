"""The job queue: one huey instance, configured from the app, and tasks that run in the app.

huey carries work to a worker process (`flask jobs worker`) and runs periodic tasks; it keeps
nothing we need to trust. `JOBS_QUEUE_URL` chooses where its messages wait:

- `sqlite:///path` (the embedded default, instance/jobs-queue.sqlite3): one machine, no server;
- `redis://host:port/db` (production): several web servers and workers share it;
- `immediate` (the tests): a task runs at once, in the caller's app context, when it is sent.

A message taken by a worker that dies is gone: huey does not hand it out again. What makes the
work safe is the job's record (models.py): a job running without a heartbeat is queued again by
the recovery sweep (services.recover), and each kind's work commits together with its "done".
While a job runs, its progress and heartbeat live in the queue's key-value store, written from
a thread of the worker (the database may be held by the job's own transaction, as SQLite is).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

from accelerator.extensions import db

log = logging.getLogger(__name__)

#: The one queue of the process. Tasks are declared against it at import time; `init_app`
#: points it at its storage (the last app made in a process decides: one app per process in
#: production). Until then it runs tasks immediately, so nothing is ever sent nowhere.
huey = Huey("accelerator", results=False, immediate=True, utc=True)

#: The app a worker process runs its tasks in (set by `flask jobs worker`).
_worker_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Point the queue at JOBS_QUEUE_URL (see the module's docstring)."""
    url = str(app.config.get("JOBS_QUEUE_URL") or "")
    if not url:
        url = f"sqlite:///{Path(app.instance_path) / 'jobs-queue.sqlite3'}"
        app.config["JOBS_QUEUE_URL"] = url
    configure(url)


def configure(url: str) -> None:
    if url == "immediate":
        huey.immediate = True
        return
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": str(path)}
    elif url.startswith(("redis://", "rediss://", "unix://")):
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": url}
    else:
        raise RuntimeError(f"JOBS_QUEUE_URL must be sqlite:///..., redis://... or immediate: {url}")
    if huey.immediate:
        huey.immediate = False  # makes the storage of the class chosen above
    else:
        huey.storage = huey.create_storage()


def use_app(app: Flask) -> None:
    """Run tasks received by this process in `app` (the worker's)."""
    global _worker_app
    _worker_app = app


def in_app(function: Callable) -> Callable:
    """Run `function` in an app context: the caller's (immediate mode), else the worker's."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            return function(*args, **kwargs)
        if _worker_app is None:
            raise RuntimeError("Tasks run in `flask jobs worker`, which names their app.")
        with _worker_app.app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def task(**options: Any) -> Callable:
    """`@queue.task()`: a huey task that runs in the app (see in_app), named by its module."""

    def decorator(function: Callable):
        name = f"{function.__module__}.{function.__qualname__}"
        return huey.task(name=name, **options)(in_app(function))

    return decorator


def periodic_task(schedule, **options: Any) -> Callable:
    """`@queue.periodic_task(crontab(...))`: run by the worker's scheduler, in the app."""

    def decorator(function: Callable):
        name = f"{function.__module__}.{function.__qualname__}"
        return huey.periodic_task(schedule, name=name, **options)(in_app(function))

    return decorator


def send(task_function: Callable, *args: Any, delay: float | None = None) -> bool:
    """Send a task; False (logged) when the queue cannot be reached. The job's record stays,
    and the recovery sweep sends it again once the queue is back."""
    try:
        if delay:
            task_function.schedule(args=args, delay=delay)
        else:
            task_function(*args)
    except Exception:  # noqa: BLE001  (Redis away, SQLite locked: the sweep recovers)
        if huey.immediate:
            raise
        log.exception("could not send %s to the job queue", task_function)
        return False
    return True


# --- A running job's progress and heartbeat, in the queue's key-value store ------------------


def _key(job_id: int) -> str:
    return f"job-progress:{job_id}"


def write_progress(job_id: int, value: dict[str, Any]) -> None:
    try:
        huey.put(_key(job_id), value)
    except Exception:  # noqa: BLE001  (progress is a courtesy; the job goes on)
        log.warning("could not write the progress of job %s", job_id, exc_info=True)


def read_progress(job_id: int) -> dict[str, Any] | None:
    try:
        return huey.get(_key(job_id), peek=True)
    except Exception:  # noqa: BLE001
        log.warning("could not read the progress of job %s", job_id, exc_info=True)
        return None


def forget_progress(job_id: int) -> None:
    try:
        huey.get(_key(job_id))  # a get without peek removes it
    except Exception:  # noqa: BLE001
        log.warning("could not clear the progress of job %s", job_id, exc_info=True)


def config(key: str) -> Any:
    return current_app.config[key]
