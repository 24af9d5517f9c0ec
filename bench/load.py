"""`python -m bench load`: the pages measured from outside, as production runs them.

Fills a database (PostgreSQL by default through BENCH_DATABASE_URL, or SQLite) with
10,000 applications in one cohort and 9,000 reviews, starts gunicorn (4 sync workers), and runs
wrk on loopback against /healthz and each page with a staff (or founder) session cookie. Prints
req/s, p50/p95/p99 and each page's req/s as a share of /healthz in the same run, writes
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
OPERATIONS = ROOT / "docs" / "operations.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SECRET = "bench-secret-key-not-for-production"  # noqa: S105

#: (name, url template, who): the staff pages of the issue, and the founder's home.
PAGES = [
    ("/healthz", "/healthz", None),
    # The floor: a signed-in page with the layout and nothing in it (the audit log filtered to
    # nothing). No staff page can be cheaper than this one.
    ("empty staff page", "/audit?action=none.such", "staff"),
    ("applications list", "/applications", "staff"),
    ("applications search", "/applications?q=startup+0", "staff"),
    ("ranking", "/reviews/cohorts/{cohort}/ranking", "staff"),
    ("pipeline", "/reviews/cohorts/{cohort}/pipeline", "staff"),
    ("decisions", "/reviews/cohorts/{cohort}/decisions", "staff"),
    ("decide", "/reviews/applications/{application}/decide", "staff"),
    ("grants list", "/grants/", "staff"),
    ("cohort page", "/cohorts/{cohort}", "staff"),
    ("founder home", "/", "founder"),
]


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
    """Find the filled data (so --no-fill can reuse a database)."""
    from sqlalchemy import select

    from accelerator.applications.models import Application, ApplicationStatus
    from accelerator.auth.models import User
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort

    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "bench-staff@example.org"))
        founder = db.session.scalar(select(User).where(User.email == "bench-founder@example.org"))
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Season 99"))
        if staff is None or founder is None or cohort is None:
            raise SystemExit("The database holds no bench data: run without --no-fill.")
        application = db.session.scalar(
            select(Application.id)
            .where(
                Application.cohort_id == cohort.id,
                Application.status == ApplicationStatus.IN_REVIEW,
            )
            .order_by(Application.id)
            .limit(1)
        )
        serializer = app.session_interface.get_signing_serializer(app)
        return {
            "cohort": cohort.id,
            "application": application,
            "cookies": {
                "staff": serializer.dumps({"_user_id": staff.get_id(), "_fresh": True}),
                "founder": serializer.dumps({"_user_id": founder.get_id(), "_fresh": True}),
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


def _fill(url: str, env: dict, *, then=None, **sizes) -> None:
    """Migrate a fresh database, fill it (bench/fill.py at `sizes`), run `then(filled)` in the
    same app context if given (more data of a bench's own), and VACUUM ANALYZE it."""
    print(f"Filling {make_url(url).render_as_string(hide_password=True)} ...", file=sys.stderr)
    _migrate(url, env)
    from bench.fill import fill

    app = _bench_app(url)
    started = time.perf_counter()
    with app.app_context():
        filled = fill(**sizes)
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
    print(f"  filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)


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
    if not args.no_fill:
        _fill(url, env)
    ids = _ids(_bench_app(url))
    port = _free_port()
    log = Path(f"/tmp/bench-gunicorn-{port}.log")  # noqa: S108
    server = _start_gunicorn(env, Path(args.app_dir).resolve(), port, args.workers, log)
    base = f"http://127.0.0.1:{port}"
    pages = []
    try:
        for name, template, who in PAGES:
            if args.pages and name not in args.pages:
                continue
            path = template.format(cohort=ids["cohort"], application=ids["application"])
            cookie = ids["cookies"][who] if who else None
            status, size, first = _check(base + path, cookie)  # warms caches, checks the page
            if status == 0:
                print(f"  {name:<21} gave no answer in 300 s: skipped", file=sys.stderr)
                pages.append(_unanswered(name, path))
                continue
            if status != 200:
                raise SystemExit(f"{name}: {path} answered {status}; see {log}")
            if args.warmup:  # every worker compiles its templates and fills its caches first
                _wrk(base + path, cookie, args.warmup, args.connections)
            result = _wrk(base + path, cookie, args.seconds, args.connections)
            result.update(name=name, path=path, first_ms=round(first * 1000), page_kb=size // 1024)
            _check(base + "/healthz", None)  # the next page starts once this one's queue is done
            pages.append(result)
            print(
                f"  {name:<21} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>7.1f} ms"
                f"  p95 {result['p95_ms']:>7.1f} ms  p99 {result['p99_ms']:>7.1f} ms"
                f"  errors {result['errors']}  timeouts {result['timeouts']}",
                file=sys.stderr,
            )
    finally:
        _stop(server)
    health = next((p["rps"] for p in pages if p["name"] == "/healthz"), None)
    for page in pages:
        page["ratio"] = round(page["rps"] / health, 3) if health else None
    return {
        "label": args.label,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": args.describe or _describe_code(Path(args.app_dir).resolve()),
        "database": make_url(url).get_backend_name(),
        "redis": bool(args.redis),
        "workers": args.workers,
        "connections": args.connections,
        "seconds_per_page": args.seconds,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared)",
        "data": {"applications": 10_000, "reviews": 9_000},
        "pages": pages,
    }


def _unanswered(name: str, path: str) -> dict:
    return {
        "name": name,
        "path": path,
        "rps": 0.0,
        "p50_ms": 0.0,
        "p95_ms": 0.0,
        "p99_ms": 0.0,
        "requests": 0,
        "errors": 0,
        "timeouts": 0,
        "unanswered": True,
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


def print_table(run: dict) -> None:
    print(f"\n{run['label']} ({run['database']}, {run['code']}):")
    print(f"{'page':<22}{'req/s':>9}{'% healthz':>11}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for page in run["pages"]:
        share = f"{page['ratio'] * 100:.1f} %" if page["ratio"] is not None else "-"
        print(
            f"{page['name']:<22}{page['rps']:>9.1f}{share:>11}{page['p50_ms']:>9.1f}"
            f"{page['p95_ms']:>9.1f}{page['p99_ms']:>9.1f}"
        )


def save(run: dict) -> dict:
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    stored["runs"][run["label"]] = run
    RESULTS.write_text(json.dumps(stored, indent=2) + "\n")
    return stored


def readme_section(stored: dict) -> str:
    runs = stored["runs"]
    labels = [label for label in ("before", "after") if label in runs] or list(runs)
    first = runs[labels[-1]]
    lines = [
        START,
        f"Measured by `make bench` on {first['machine']}: {first['database']}, gunicorn "
        f"{first['workers']} sync workers, wrk {first['connections']} connections for "
        f"{first['seconds_per_page']} s per page, 10,000 applications in one cohort with "
        "9,000 reviews. The share is the page's requests per second over `/healthz`'s in the "
        "same run (the machine is shared, so absolute numbers move; the shares less so).",
        "",
        "| page | " + " | ".join(f"{label}: req/s (share), p95" for label in labels) + " |",
        "|---|" + "---|" * len(labels),
    ]
    names = [page["name"] for page in first["pages"]]
    for name in names:
        cells = []
        for label in labels:
            page = next((p for p in runs[label]["pages"] if p["name"] == name), None)
            if page is None:
                cells.append("-")
                continue
            if page.get("unanswered"):
                cells.append("no answer in 300 s")
                continue
            if not page["requests"]:
                cells.append(
                    f"none completed in {runs[label]['seconds_per_page']} s "
                    f"(one view: {page.get('first_ms', 0) / 1000:.0f} s, "
                    f"{page.get('page_kb', 0):,} KB)"
                )
                continue
            share = f"{page['ratio'] * 100:.1f} %" if page["ratio"] is not None else "-"
            cell = f"{page['rps']:.1f} ({share}), {page['p95_ms']:.0f} ms"
            if page["timeouts"]:
                cell += f", {page['timeouts']} timeouts"
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Runs: "
        + "; ".join(f"{label}: {runs[label]['code']} ({runs[label]['when']})" for label in labels),
        END,
    ]
    return "\n".join(lines)


def update_readme(stored: dict) -> None:
    text = OPERATIONS.read_text()
    if START not in text or END not in text:
        print("docs/operations.md has no benchmark markers; section not written.", file=sys.stderr)
        return
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    OPERATIONS.write_text(head + readme_section(stored) + tail)


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
    parser.add_argument("--connections", type=int, default=8)
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
