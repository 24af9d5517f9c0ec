"""`python -m bench program-report`: the program report over the data `bench load` filled.

Issue 24's goal 5: the program report over 100,000 applications in at most 5 s and 1 GB. Run
after `python -m bench load` (any size; the default is 100,000 applications in 20 cohorts,
300,000 reviews) against the same database. Each format is written in a fresh process, as a
download is served by a worker, so its peak resident memory is the export's and the app's
(not the fill's), and timed from the request to the last byte. Saved under "program_report"
in bench/results.json, one entry per --label (serve another checkout's code by running this
file from that checkout: the measuring process imports the code of the directory it is in).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOAL_SECONDS = 5.0
GOAL_MB = 1024

_CHILD = """
import json, resource, sys, time
from bench.load import _bench_app
from sqlalchemy import func, select
app = _bench_app(sys.argv[1])
from accelerator.applications.models import Application
from accelerator.auth.models import User
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
with app.app_context():
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Season 99"))
    program_id = cohort.program_id
    cohorts = db.session.scalar(select(func.count()).where(Cohort.program_id == program_id))
    applications = db.session.scalar(
        select(func.count(Application.id)).join(Cohort).where(Cohort.program_id == program_id)
    )
    staff = db.session.scalar(select(User).where(User.email == "bench-staff@example.org"))
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": staff.get_id(), "_fresh": True}
    )
client = app.test_client()
client.set_cookie("session", cookie)
started = time.perf_counter()
response = client.get(f"/reports/programs/{program_id}/report.{sys.argv[2]}")
size = len(response.get_data())
seconds = time.perf_counter() - started
print(json.dumps({
    "status": response.status_code, "seconds": round(seconds, 2), "bytes": size,
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "cohorts": cohorts, "applications": applications,
}))
"""


def measure(url: str, fmt: str) -> dict:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _CHILD, url, fmt],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench program-report", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/bench_fill",
    )
    parser.add_argument("--label", default="after", help="name of this run in results.json")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    results = {}
    failed = False
    for fmt in ("xlsx", "csv"):
        found = measure(args.database_url, fmt)
        passed = (
            found["status"] == 200
            and found["seconds"] <= GOAL_SECONDS
            and found["peak_mb"] <= GOAL_MB
        )
        failed = failed or not passed
        found["pass"] = passed
        results[fmt] = found
        print(
            f"program report .{fmt}: {found['applications']:,} applications in "
            f"{found['cohorts']} cohorts -> {found['status']}, {found['seconds']:.2f} s, "
            f"{found['bytes'] / 1024:.0f} KB, peak {found['peak_mb']} MB "
            f"(goal <= {GOAL_SECONDS:.0f} s and <= {GOAL_MB} MB: {'PASS' if passed else 'FAIL'})"
        )
    if not args.no_save:
        path = HERE / "results.json"
        stored = json.loads(path.read_text()) if path.exists() else {}
        runs = stored.setdefault("program_report", {})
        runs[args.label] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), **results}
        path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    return 1 if failed else 0
