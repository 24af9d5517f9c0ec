"""`python -m bench load`: the pages measured from outside, as production runs them (issue 24).

Fills a database (PostgreSQL by default through BENCH_DATABASE_URL, or SQLite) at `--size`
(bench/fill.py: `100k`, the default, is 100,000 applications across 20 cohorts, 20,000 in the
measured one, 300,000 reviews, 500 mentors, 5,000 sessions, 40,000 testers and 10,000
introductions; `10k` is the size before issue 24; `small` for quick checks), starts gunicorn (4
sync workers), and runs wrk on loopback against /healthz, the floor (the empty staff page) and
each page of issue 24's goal 2 with its user's session cookie (staff, founder, mentor or
partner), at each load of `--connections` (8 and 32 by default). Prints req/s and p50/p95/p99,
each page's req/s as a share of /healthz (`ratio`) and of the floor (`floor_ratio`) at the same
load in the same run, and PASS/FAIL per goal: the floor >= 35 % of /healthz, a page >= 50 % of
the floor at the most connections, p95 <= 100 ms at the fewest, no errors. Writes
bench/results.json (one entry per --label) and the Performance section of docs/operations.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.fill import SIZES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
OPERATIONS = ROOT / "docs" / "operations.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SECRET = "bench-secret-key-not-for-production"  # noqa: S105

FLOOR = "empty staff page"
#: (name, url template, who): the two references, then issue 24's goal 2, each with its user.
PAGES = [
    ("/healthz", "/healthz", None),
    # The floor: a signed-in page with the layout and nothing in it (the audit log filtered to
    # nothing). No staff page can be cheaper than this one.
    (FLOOR, "/audit?action=none.such", "staff"),
    ("applications list", "/applications", "staff"),
    ("search, every row", "/applications?q=startup", "staff"),
    ("search, one row", "/applications?q={one_row}", "staff"),
    ("ranking", "/reviews/cohorts/{cohort}/ranking", "staff"),
    ("pipeline", "/reviews/cohorts/{cohort}/pipeline", "staff"),
    ("decisions", "/reviews/cohorts/{cohort}/decisions", "staff"),
    ("decide", "/reviews/applications/{application}/decide", "staff"),
    ("grants list", "/grants/", "staff"),
    ("grant page", "/grants/{grant}", "staff"),
    ("cohort page", "/cohorts/{cohort}", "staff"),
    ("cohort dashboard", "/reports/cohorts/{running}", "staff"),
    ("startup page", "/reports/startups/{startup}", "staff"),
    ("startup history", "/reports/startups/{startup}/history", "staff"),
    ("matching page", "/mentoring/cohorts/{running}/matching", "staff"),
    ("mentor directory", "/mentoring/mentors", "staff"),
    ("sessions list", "/mentoring/sessions", "staff"),
    ("office hours", "/mentoring/office-hours", "mentor"),
    ("progress", "/milestones/cohorts/{running}", "staff"),
    ("check-ins", "/milestones/cohorts/{running}/checkins", "staff"),
    ("reports page", "/reports/", "staff"),
    ("founder home", "/", "founder"),
    ("mentor home", "/", "mentor"),
    ("partner home", "/", "partner"),
    ("pilots board", "/pilots/board", "staff"),
    ("campaign results", "/testers/campaigns/{campaign}/results", "staff"),
    ("demo-day guests", "/demo-day/{demo_day}/guests", "staff"),
]
REFERENCES = ("/healthz", FLOOR)
#: Issue 24's goals: the floor's share of /healthz and each page's share of the floor at the
#: throughput load (the most connections), p95 at the latency load (the fewest), no errors.
GOALS = {"floor_of_healthz": 0.35, "page_of_floor": 0.50, "p95_ms": 100.0, "errors": 0}
USERS = {
    "staff": "bench-staff@example.org",
    "founder": "bench-founder@example.org",
    "mentor": "bench-mentor@example.org",
    "partner": "bench-partner@example.org",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).unlink(missing_ok=True)
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def _env(url: str, args) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "ACCELERATOR_ENV": "production",
        "LOG_LEVEL": "WARNING",
        "FLASK_APP": "accelerator:create_app",
    }
    if args.redis:
        env["RATELIMIT_STORAGE_URI"] = args.redis
    env.pop("MAIL_BACKEND", None)
    if args.mail_backend:
        env["MAIL_BACKEND"] = args.mail_backend
    return env


def _bench_app(url: str):
    from accelerator import create_app
    from accelerator.config import Config

    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": SECRET,
        "MAIL_BACKEND": "memory",
        "ENV_NAME": "development",
        "DATABASE_STATEMENT_TIMEOUT_MS": 0,
    }
    return create_app(type("BenchConfig", (Config,), settings))


def _ids(app) -> dict:
    """Find the filled data (so --no-fill can reuse a database): the ids the pages need, each
    user's session cookie, and how much data there is."""
    from sqlalchemy import func, select

    from accelerator.applications.models import (
        Application,
        ApplicationStatus,
        Startup,
        StartupMember,
    )
    from accelerator.auth.models import User
    from accelerator.demoday.models import DemoDay, Guest, Interest
    from accelerator.extensions import db
    from accelerator.grants.models import Grant
    from accelerator.mentoring.models import MentorProfile
    from accelerator.pilots.models import Introduction
    from accelerator.programs.models import Cohort, Enrollment
    from accelerator.reviews.models import Review
    from accelerator.sessions.models import MentorSession
    from accelerator.testers.models import Campaign, Tester

    with app.app_context():
        users = {
            role: db.session.scalar(select(User).where(User.email == email))
            for role, email in USERS.items()
        }
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Season 99"))
        running = db.session.scalar(select(Cohort).where(Cohort.name == "Season 98"))
        if None in users.values() or cohort is None or running is None:
            raise SystemExit(
                "The database holds no bench data of this version: run without --no-fill."
            )
        application = db.session.scalar(
            select(Application.id)
            .where(
                Application.cohort_id == cohort.id,
                Application.status == ApplicationStatus.IN_REVIEW,
            )
            .order_by(Application.id)
            .limit(1)
        )
        startup = db.session.scalar(
            select(StartupMember.startup_id).where(StartupMember.user_id == users["founder"].id)
        )
        one_row = db.session.scalar(
            select(Startup.name)
            .join(Application, Application.startup_id == Startup.id)
            .where(Application.cohort_id == cohort.id)
            .order_by(Application.id.desc())
            .limit(1)
        )

        def first(statement):
            return db.session.scalar(statement.limit(1))

        count = {
            name: db.session.scalar(select(func.count()).select_from(model))
            for name, model in (
                ("applications", Application),
                ("cohorts", Cohort),
                ("reviews", Review),
                ("grants", Grant),
                ("mentors", MentorProfile),
                ("sessions", MentorSession),
                ("testers", Tester),
                ("introductions", Introduction),
                ("demo-day introductions", Interest),
                ("demo-day guests", Guest),
            )
        }
        count["measured cohort"] = db.session.scalar(
            select(func.count()).where(Application.cohort_id == cohort.id)
        )
        serializer = app.session_interface.get_signing_serializer(app)
        return {
            "cohort": cohort.id,
            "running": running.id,
            "application": application,
            "startup": startup,
            "one_row": (one_row or "").replace(" ", "+"),
            "grant": first(
                select(Grant.id)
                .join(Enrollment, Enrollment.id == Grant.enrollment_id)
                .where(Enrollment.startup_id == startup)
            ),
            "campaign": first(select(Campaign.id).where(Campaign.startup_id == startup)),
            "demo_day": first(select(DemoDay.id).order_by(DemoDay.id.desc())),
            "data": count,
            "cookies": {
                role: serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
                for role, user in users.items()
            },
        }


def _migrate(url: str, env: dict) -> None:
    """Drop and re-create the database, and migrate it (`flask db upgrade`) to the code's head."""
    _reset_database(url)
    subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "flask"), "db", "upgrade"],
        env={**env, "ACCELERATOR_ENV": "development", "MAIL_BACKEND": "memory"},
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def _fill(url: str, env: dict, *, then=None, size: str | None = None, **sizes) -> float:
    """Migrate a fresh database, fill it (bench/fill.py at `size`, a name of
    bench.fill.SIZES, or its 10k size with `sizes` changed), run `then(filled)` in the
    same app context if given (more data of a bench's own), and VACUUM ANALYZE it."""
    print(f"Filling {make_url(url).render_as_string(hide_password=True)} ...", file=sys.stderr)
    _migrate(url, env)
    from bench.fill import fill

    app = _bench_app(url)
    started = time.perf_counter()
    with app.app_context():
        filled = fill(size, **sizes)
        from accelerator.extensions import db

        if then is not None:
            then(filled)
            db.session.commit()

        if db.engine.dialect.name == "postgresql":
            # As autovacuum leaves a database at rest: statistics, and visibility maps for
            # index-only scans. Outside a transaction (VACUUM refuses one; statistics
            # gathered in one that rolls back are lost).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()
    seconds = time.perf_counter() - started
    print(f"  filled in {seconds:.0f} s", file=sys.stderr)
    return seconds


def _start_gunicorn(env: dict, app_dir: Path, port: int, workers: int, log: Path):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [
        gunicorn,
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(app_dir),
        "--timeout",
        "120",
        "--no-control-socket",  # several benches on one machine must not share a socket
        "accelerator:create_app()",
    ]
    server = subprocess.Popen(  # noqa: S603
        command,
        env={**env, "PYTHONPATH": str(app_dir)},
        cwd=app_dir,  # gunicorn keeps its start directory on sys.path: start in the checkout
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {log}") from None
            time.sleep(0.3)
    _stop(server)
    raise SystemExit(f"gunicorn did not answer in 60 s; see {log}")


def _stop(server) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def _check(url: str, cookie: str | None, timeout: float = 300) -> tuple[int, int, float]:
    """One request (it also waits out what a slow page left queued in the workers)."""
    request = urllib.request.Request(url)  # noqa: S310
    if cookie:
        request.add_header("Cookie", f"session={cookie}")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
            return response.status, len(body), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, 0, time.perf_counter() - started
    except (TimeoutError, urllib.error.URLError):
        return 0, 0, time.perf_counter() - started


def _wrk(url: str, cookie: str | None, seconds: int, connections: int) -> dict:
    command = [
        shutil.which("wrk") or "/usr/bin/wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    done = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True
    )
    match = re.search(r"^WRK_JSON (.*)$", done.stdout, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk gave no report:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(match.group(1))
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors"))
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "requests": raw["requests"],
        "errors": errors,
        "timeouts": raw["timeouts"],
        "kb_per_response": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 1),
    }


def measure(args) -> dict:
    url = args.database_url
    env = _env(url, args)
    fill_s = None if args.no_fill else round(_fill(url, env, size=args.size))
    ids = _ids(_bench_app(url))
    loads = sorted(args.connections)
    port = _free_port()
    log = Path(f"/tmp/bench-gunicorn-{port}.log")  # noqa: S108
    server = _start_gunicorn(env, Path(args.app_dir).resolve(), port, args.workers, log)
    base = f"http://127.0.0.1:{port}"
    pages = []
    try:
        for name, template, who in PAGES:
            if args.pages and name not in args.pages and name not in REFERENCES:
                continue
            path = template.format(**ids)
            cookie = ids["cookies"][who] if who else None
            status, size, first = _check(base + path, cookie)  # warms caches, checks the page
            if status != 200:
                said = "gave no answer in 300 s" if status == 0 else f"answered {status}"
                print(f"  {name:<21} {path} {said}: skipped; see {log}", file=sys.stderr)
                pages.append(_unanswered(name, path, status, first))
                continue
            if args.warmup:  # every worker compiles its templates and fills its caches first
                _wrk(base + path, cookie, args.warmup, loads[-1])
            result = {"name": name, "path": path, "who": who, "first_ms": round(first * 1000)}
            result["page_kb"] = size // 1024
            result["loads"] = {}
            for connections in loads:
                found = _wrk(base + path, cookie, args.seconds, connections)
                result["loads"][str(connections)] = found
                _check(base + "/healthz", None)  # the next load starts once this queue is done
                print(
                    f"  {name:<21} c={connections:<3} {found['rps']:>8.1f} req/s"
                    f"  p50 {found['p50_ms']:>7.1f} ms  p95 {found['p95_ms']:>7.1f} ms"
                    f"  p99 {found['p99_ms']:>7.1f} ms  errors {found['errors']}"
                    f"  timeouts {found['timeouts']}",
                    file=sys.stderr,
                )
            pages.append(result)
    finally:
        _stop(server)
    _judge(pages, loads)
    return {
        "label": args.label,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": args.describe or _describe_code(Path(args.app_dir).resolve()),
        "database": make_url(url).get_backend_name(),
        "redis": bool(args.redis),
        "workers": args.workers,
        "connections": loads,
        "throughput_connections": loads[-1],
        "latency_connections": loads[0],
        "seconds_per_page": args.seconds,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared)",
        "size": args.size if not args.no_fill else "as filled",
        "fill_s": fill_s,
        "data": ids["data"],
        "goals": GOALS,
        "pages": pages,
    }


def _judge(pages: list[dict], loads: list[int]) -> None:
    """Each page's shares of /healthz (`ratio`) and of the floor (`floor_ratio`) at every load,
    in the same run; its figures at the throughput and latency loads; PASS/FAIL per goal."""
    throughput, latency = str(loads[-1]), str(loads[0])
    by_name = {p["name"]: p for p in pages if "loads" in p}
    for page in pages:
        if "loads" not in page:
            page["goals"] = {"answers": False}
            continue
        for key, found in page["loads"].items():
            for field, reference in (("ratio", "/healthz"), ("floor_ratio", FLOOR)):
                ref = by_name.get(reference, {}).get("loads", {}).get(key, {}).get("rps")
                found[field] = round(found["rps"] / ref, 3) if ref else None
        top, low = page["loads"][throughput], page["loads"][latency]
        page.update(
            rps=top["rps"],
            ratio=top["ratio"],
            floor_ratio=top["floor_ratio"],
            p95_ms=low["p95_ms"],
            errors=sum(f["errors"] + f["timeouts"] for f in page["loads"].values()),
            requests=sum(f["requests"] for f in page["loads"].values()),
        )
        goals = {"errors": page["errors"] <= GOALS["errors"]}
        if page["name"] == FLOOR:
            goals["floor"] = (page["ratio"] or 0) >= GOALS["floor_of_healthz"]
        elif page["name"] not in REFERENCES:
            goals["throughput"] = (page["floor_ratio"] or 0) >= GOALS["page_of_floor"]
            goals["p95"] = bool(low["requests"]) and page["p95_ms"] <= GOALS["p95_ms"]
        page["goals"] = goals
        page["passed"] = all(goals.values())


def _unanswered(name: str, path: str, status: int, first: float) -> dict:
    return {
        "name": name,
        "path": path,
        "status": status,
        "first_ms": round(first * 1000),
        "rps": 0.0,
        "p95_ms": 0.0,
        "requests": 0,
        "errors": 0,
        "unanswered": True,
        "passed": False,
    }


def _describe_code(app_dir: Path) -> str:
    try:
        done = subprocess.run(  # noqa: S603
            ["git", "-C", str(app_dir), "log", "-1", "--format=%h %s"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()[:100]
    except (OSError, subprocess.CalledProcessError):
        return str(app_dir)


def _pct(value) -> str:
    return f"{value * 100:.1f} %" if value is not None else "-"


def _verdict(page: dict) -> str:
    if page.get("unanswered"):
        status = page.get("status", 0)
        return f"FAIL (answered {status})" if status else "FAIL (no answer in 300 s)"
    failed = [goal for goal, met in page["goals"].items() if not met]
    return "PASS" if not failed else "FAIL (" + ", ".join(failed) + ")"


def table(run: dict) -> list[str]:
    """The run's table: per page, throughput and shares at the most connections, p95 at the
    fewest, errors, the first view, and the goals met."""
    high, low = run["throughput_connections"], run["latency_connections"]
    lines = [
        f"| page | req/s at {high} | of `/healthz` | of the floor | p95 at {low} | errors "
        "| first view | goals |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for page in run["pages"]:
        if page.get("unanswered"):
            lines.append(
                f"| {page['name']} | - | - | - | - | - | {page['first_ms']:,} ms "
                f"| {_verdict(page)} |"
            )
            continue
        low_done = page["loads"][str(low)]["requests"]
        p95 = f"{page['p95_ms']:.0f} ms" if low_done else f"none in {run['seconds_per_page']} s"
        lines.append(
            f"| {page['name']} | {page['rps']:.1f} | {_pct(page['ratio'])} "
            f"| {_pct(page['floor_ratio'])} | {p95} | {page['errors']} "
            f"| {page['first_ms']:,} ms | {_verdict(page)} |"
        )
    return lines


def print_table(run: dict) -> None:
    print(f"\n{run['label']} ({run['database']}, {run['code']}):")
    print("\n".join(table(run)))
    judged = [p for p in run["pages"] if p["name"] not in REFERENCES or p["name"] == FLOOR]
    passed = sum(1 for p in judged if p.get("passed"))
    print(f"\n{passed} of {len(judged)} pass (the floor and the pages).")


def save(run: dict) -> dict:
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    stored["runs"][run["label"]] = run
    RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    return stored


def _data(data: dict) -> str:
    return ", ".join(f"{value:,} {name}" for name, value in data.items())


def readme_section(stored: dict) -> str:
    """The before and after runs (or every run) of this benchmark's shape, one table each."""
    runs = {label: run for label, run in stored["runs"].items() if "goals" in run}
    labels = [label for label in ("before", "after") if label in runs] or list(runs)
    lines = [START]
    if not labels:
        return "\n".join([START, "No run of `python -m bench load` yet.", END])
    last = runs[labels[-1]]
    lines += [
        f"Measured by `make bench` on {last['machine']}: {last['database']}"
        f"{' and Redis' if last['redis'] else ''}, gunicorn {last['workers']} sync workers, "
        f"wrk for {last['seconds_per_page']} s per page at {last['throughput_connections']} "
        f"connections (throughput) and at {last['latency_connections']} (p95), on "
        f"{_data(last['data'])}. Shares are the page's requests per second over `/healthz`'s "
        "and over the floor's (the empty staff page) at the same load in the same run. Goals "
        f"(issue 24): the floor ≥ {GOALS['floor_of_healthz']:.0%} of `/healthz`; each page ≥ "
        f"{GOALS['page_of_floor']:.0%} of the floor at {last['throughput_connections']} "
        f"connections (throughput), p95 ≤ {GOALS['p95_ms']:.0f} ms at "
        f"{last['latency_connections']} (p95), and no errors. The first view is one request "
        "before any load.",
    ]
    for label in labels:
        run = runs[label]
        lines += ["", f"**{label}**: {run['code']} ({run['when']})", "", *table(run)]
    lines.append(END)
    return "\n".join(lines)


def update_readme(stored: dict) -> None:
    text = OPERATIONS.read_text()
    if START not in text or END not in text:
        print("docs/operations.md has no benchmark markers; section not written.", file=sys.stderr)
        return
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    OPERATIONS.write_text(head + readme_section(stored) + tail)


def _loads(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{ROOT / 'instance' / 'bench.db'}",
        help="database to fill and serve (default: BENCH_DATABASE_URL, else instance/bench.db)",
    )
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", ""))
    parser.add_argument("--no-fill", action="store_true", help="reuse the filled database")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--warmup", type=int, default=2, help="unrecorded wrk seconds first")
    parser.add_argument(
        "--size",
        default="100k",
        choices=sorted(SIZES),
        help="data to fill (bench/fill.py): 100k (issue 24), 10k (before it), small (checks)",
    )
    parser.add_argument(
        "--connections",
        type=_loads,
        default=[8, 32],
        help="wrk loads, comma-separated: p95 is judged at the fewest, req/s at the most",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--label", default="after", help="name of this run in results.json")
    parser.add_argument(
        "--app-dir", default=str(ROOT), help="checkout whose code gunicorn serves (e.g. main)"
    )
    parser.add_argument("--describe", help="what code this is (default: git log -1 of app-dir)")
    parser.add_argument("--mail-backend", default="smtp", help="'' leaves MAIL_BACKEND unset")
    parser.add_argument("--page", dest="pages", action="append", help="only this page (repeat)")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)
    run = measure(args)
    print_table(run)
    if not args.no_save and not args.pages:
        stored = save(run)
        update_readme(stored)
        print(f"\nSaved to {RESULTS.relative_to(ROOT)} and docs/operations.md.")
    return 0
