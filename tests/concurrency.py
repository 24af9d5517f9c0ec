"""Real concurrency for the tests that commit: `race(app, work, n)` runs `work(index)` in `n`
threads released together by a barrier, each in its own app context and session, commits what
each did, and returns the sorted outcomes: "done", or the name of the domain error it raised."""

from __future__ import annotations

import threading
from collections.abc import Callable

from accelerator.core.errors import DomainError
from accelerator.extensions import db


def race(app, work: Callable[[int], object], n: int = 2) -> list[str]:
    barrier = threading.Barrier(n)
    results: list[str] = []

    def run(index: int) -> None:
        with app.app_context():
            try:
                db.session.rollback()
                barrier.wait(timeout=30)
                work(index)
                db.session.commit()
                results.append("done")
            except DomainError as error:
                db.session.rollback()
                results.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)
