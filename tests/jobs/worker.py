"""A real job worker for the tests: `flask jobs worker` in its own process, on the tests'
database and a queue in a temporary SQLite file that this process sends to as well."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from accelerator import ROOT
from accelerator.jobs import queue


@contextlib.contextmanager
def queue_in(path: Path) -> Iterator[str]:
    """Send tasks to a SQLite queue at `path` (not run at once) until the block ends."""
    url = f"sqlite:///{path}"
    queue.configure(url)
    try:
        yield url
    finally:
        queue.configure("immediate")


class Worker:
    def __init__(self, database_url: str, queue_url: str, log: Path, **settings: str):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "JOBS_QUEUE_URL": queue_url,
            "JOBS_HEARTBEAT_SECONDS": "0.2",
            "JOBS_STALE_SECONDS": "2",
            "ACCELERATOR_ENV": "development",
            "SECRET_KEY": "worker-test-secret",
            "MAIL_BACKEND": "console",
            "PYTHONUNBUFFERED": "1",
            **settings,
        }
        self.log = log
        self._out = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "accelerator:create_app", "jobs", "worker"],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """kill -9: no clean-up, no goodbye."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._out.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGKILL)
                self.process.wait(timeout=10)
        self._out.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for(condition: Callable[[], object], timeout: float, worker: Worker, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if worker.process.poll() is not None:
            raise AssertionError(f"the worker exited while waiting for {what}:\n{worker.output()}")
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}; worker said:\n{worker.output()[-4000:]}")
