"""`python -m bench rush`: issue 24's deadline rush, measured from outside as production runs.

1,000 founders save a draft, upload a 2 MB pitch deck and submit their application over
5 minutes with 64 connections: p95 ≤ 300 ms, 0 errors, and every draft and deck stored.

It migrates a fresh PostgreSQL database (BENCH_DATABASE_URL, else bench_rush on the local
server; dropped and re-created) and fills it with a program, one cohort whose call is open, and
N founder accounts, each with a complete startup profile (what a founder must have before the
apply page shows the form). It starts gunicorn in production mode (ACCELERATOR_ENV=production,
CSRF on, 4 sync workers, the rate limiter on Redis; the job queue in a temporary directory) and
runs locust (bench/_rush_users.py, headless, in a process of its own) with `--connections`
users. Each user takes the next founder, signed in by a session cookie signed here as
Flask-Login writes it at sign-in, and walks them through the form as a browser does: the apply
page (its CSRF token), a draft of three answers, the edit page, every answer with the deck
(random bytes behind the `%PDF-` signature, which is all the app checks of a PDF), the edit
page again, Submit, the status page. The founders arrive evenly over `--minutes` (locust's
constant pacing, the users started one founder's interval apart).

Rate limits: the application pages have none (the limiter has no default limit); the per-address
limits are on sign-in, sign-up and password reset (LOGIN_RATE_LIMIT, 10 a minute), which the
signed cookies never reach, so nothing is raised for the bench. Uploads: a deck is kept in the
database (`stored_files.content`, core/files.py), not on a disk: there is no upload directory to
point at a temporary one (MAX_CONTENT_LENGTH 25 MB and PITCH_DECK_MAX_BYTES 20 MB hold a 2 MB
deck).

Afterwards it checks the database against what was sent: as many submitted applications in the
cohort as founders and no other; every answer as typed (amounts in cents); each deck's
SHA-256, both the stored column and the SHA-256 PostgreSQL computes over the stored bytes, and
its size; one stored file per founder; one confirmation mail per founder in the outbox. It
prints p50/p95/p99 per request type and overall, the errors (and the gunicorn log's
tracebacks), PASS or FAIL, and saves the run in bench/results.json (under "rush", one run per
--label) and the "Deadline rush" section of docs/operations.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bench import load
from bench.load import _env, _free_port, _migrate, _start_gunicorn, _stop

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_rush"
START, END = "<!-- rush:start -->", "<!-- rush:end -->"
USERS = Path(__file__).resolve().parent / "_rush_users.py"
USER_AGENT = "bench-rush/1 (locust)"
EMAIL = "rush-founder-{:05d}@example.org"
WARMUP_EMAIL = "rush-warmup@example.org"
#: The request types in the order a founder makes them (each founder opens the edit form twice).
STEPS = ("apply form", "save draft", "edit form", "upload deck", "submit", "status page")
P95_GOAL_MS = 300


# --- the data ------------------------------------------------------------------------------


def fill(url: str, env: dict, founders: int) -> dict:
    """Migrate a fresh database; a program, an open call and `founders` founders with their
    startups (ORM rows, one password hash for all: they sign in by cookie)."""
    print(f"Filling {make_url(url).render_as_string(hide_password=True)} ...", file=sys.stderr)
    started = time.perf_counter()
    _migrate(url, env)
    from werkzeug.security import generate_password_hash

    from accelerator.applications.models import Stage, Startup, StartupMember
    from accelerator.auth.models import Role, User
    from accelerator.extensions import db
    from tests import factories

    app = load._bench_app(url)
    with app.app_context():
        program = factories.make_program(name="Orange Fab Rush", timezone="Europe/Paris")
        cohort = factories.make_cohort(program=program, phase="open", name="Season 100")
        cohort_id = cohort.id
        password = generate_password_hash("bench-rush-not-a-password")
        sectors = ["Telecom & networks", "AI", "Cybersecurity", "IoT", "Fintech", "Health"]
        emails = [EMAIL.format(i) for i in range(founders)] + [WARMUP_EMAIL]
        for first in range(0, len(emails), 500):
            users = [
                User(email=email, name=f"Rush Founder {first + n}", role=Role.FOUNDER)
                for n, email in enumerate(emails[first : first + 500])
            ]
            for user in users:
                user.password_hash = password
            startups = [
                Startup(
                    name=f"Rush Startup {first + n:05d}",
                    country="FR",
                    sector=sectors[(first + n) % len(sectors)],
                    stage=list(Stage)[(first + n) % len(Stage)],
                    description="We make networks smarter, one spare part at a time.",
                    founded_year=2020,
                    team_size=4,
                    source="seed",
                )
                for n in range(len(users))
            ]
            db.session.add_all(users + startups)
            db.session.flush()
            db.session.add_all(
                StartupMember(startup_id=s.id, user_id=u.id, title="CEO")
                for u, s in zip(users, startups, strict=True)
            )
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()
    print(f"  filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return {"cohort_id": cohort_id}


def plan(url: str, founders: int) -> dict:
    """The cohort and each founder's session cookie, as Flask-Login writes it at sign-in
    (user token, fresh, and the identifier of this address and user agent)."""
    from flask_login.utils import _create_identifier
    from sqlalchemy import select

    from accelerator.auth.models import User
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort

    app = load._bench_app(url)
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Season 100"))
        if cohort is None:
            raise SystemExit("The database holds no rush data.")
        tokens = dict(
            db.session.execute(
                select(User.email, User.session_token).where(User.email.like("rush-%@example.org"))
            ).all()
        )
        serializer = app.session_interface.get_signing_serializer(app)
        with app.test_request_context(
            headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
        ):
            identifier = _create_identifier()

        def cookie(email: str) -> str:
            return serializer.dumps({"_user_id": tokens[email], "_fresh": True, "_id": identifier})

        missing = [i for i in range(founders) if EMAIL.format(i) not in tokens]
        if missing:
            raise SystemExit(f"{len(missing)} founders missing: fill for --founders {founders}.")
        db.engine.dispose()
        return {
            "cohort_id": cohort.id,
            "user_agent": USER_AGENT,
            "warmup_cookie": cookie(WARMUP_EMAIL),
            "founders": [
                {"index": i, "email": EMAIL.format(i), "cookie": cookie(EMAIL.format(i))}
                for i in range(founders)
            ],
        }


# --- the rush ------------------------------------------------------------------------------


def _warm(base: str, the_plan: dict, workers: int) -> None:
    """Every worker renders the form once before the clock starts (templates compiled)."""
    request = urllib.request.Request(  # noqa: S310
        f"{base}/calls/{the_plan['cohort_id']}/apply",
        headers={
            "Cookie": f"session={the_plan['warmup_cookie']}",
            "User-Agent": USER_AGENT,
        },
    )
    for _ in range(workers * 3):
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()


def run_locust(args, base: str, the_plan: dict, work: Path) -> dict:
    seconds = args.minutes * 60
    users = min(args.connections, args.founders)
    interval = users * seconds / args.founders  # each user's pace: founders spread evenly
    the_plan = {**the_plan, "interval": interval, "deck_bytes": int(args.deck_mb * 1024 * 1024)}
    plan_file, out_file = work / "plan.json", work / "sent.json"
    plan_file.write_text(json.dumps(the_plan))
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(USERS),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        f"{users / interval:.4f}",
        "--run-time",
        f"{int(seconds + max(120, seconds))}s",  # a safety net: the last founder ends the run
        "--stop-timeout",
        "120",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    print(
        f"Rush: {args.founders} founders over {args.minutes} min, {users} connections "
        f"(a founder every {seconds / args.founders:.2f} s; each user every {interval:.1f} s), "
        f"{args.deck_mb} MB decks ...",
        file=sys.stderr,
    )
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        command,
        env={**os.environ, "RUSH_PLAN": str(plan_file), "RUSH_OUT": str(out_file)},
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    (work / "locust.log").write_text(done.stdout + done.stderr)
    if not out_file.exists():
        raise SystemExit(f"locust wrote nothing (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(out_file.read_text())
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def _percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latencies(result: dict) -> list[dict]:
    rows = []
    names = [n for n in STEPS if n in result["times_ms"]]
    names += [n for n in result["times_ms"] if n not in names]
    everything = [t for n in names for t in result["times_ms"][n]]
    for name, times in [*((n, result["times_ms"][n]) for n in names), ("all", everything)]:
        failures = (
            sum(result["failures"].values()) if name == "all" else result["failures"].get(name, 0)
        )
        rows.append(
            {
                "name": name,
                "requests": len(times),
                "errors": failures,
                "p50_ms": round(_percentile(times, 50), 1),
                "p95_ms": round(_percentile(times, 95), 1),
                "p99_ms": round(_percentile(times, 99), 1),
                "max_ms": round(max(times, default=0), 1),
            }
        )
    return rows


# --- the checks ----------------------------------------------------------------------------


def check(url: str, cohort_id: int, sent: dict, founders: int) -> dict:
    """The database against what was sent: counts, answers, deck checksums."""
    from sqlalchemy import func, select

    from accelerator.applications.fields import ANSWER_KEYS
    from accelerator.applications.models import Application, ApplicationStatus, StartupMember
    from accelerator.auth.models import User
    from accelerator.core.models import OutboxEmail, StoredFile
    from accelerator.extensions import db

    app = load._bench_app(url)
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        content_sha = (
            func.encode(func.sha256(StoredFile.content), "hex")
            if postgresql
            else StoredFile.id  # SQLite: hashed below, one file at a time
        )
        rows = db.session.execute(
            select(
                User.email,
                Application.id,
                Application.status,
                StoredFile.sha256,
                StoredFile.size_bytes,
                content_sha.label("content_sha"),
                *(getattr(Application, key) for key in ANSWER_KEYS),
            )
            .join(StartupMember, StartupMember.user_id == User.id)
            .join(Application, Application.startup_id == StartupMember.startup_id)
            .outerjoin(StoredFile, StoredFile.id == Application.pitch_deck_id)
            .where(Application.cohort_id == cohort_id)
        ).all()
        stored_files = db.session.scalar(select(func.count()).select_from(StoredFile))
        mails = db.session.scalar(select(func.count()).select_from(OutboxEmail))
        in_cohort = db.session.scalar(
            select(func.count()).where(Application.cohort_id == cohort_id)
        )
        problems: list[str] = []
        answers_ok = decks_ok = 0
        by_email = {row.email: row for row in rows}
        for index in range(founders):
            email = EMAIL.format(index)
            what = sent.get(email)
            row = by_email.get(email)
            if what is None:
                problems.append(f"{email}: never sent (the run ended first)")
                continue
            if row is None:
                problems.append(f"{email}: no application stored ({what.get('failed', '')})")
                continue
            wrong = [k for k, v in what["stored"].items() if getattr(row, k) != v]
            if wrong:
                problems.append(f"{email}: answers differ: {', '.join(wrong)}")
            else:
                answers_ok += 1
            if "sha256" not in what:
                problems.append(f"{email}: no deck sent ({what.get('failed', '')})")
                continue
            actual = row.content_sha
            if not postgresql and row.sha256 is not None:
                data = db.session.scalar(select(StoredFile.content).where(StoredFile.id == actual))
                actual = hashlib.sha256(data or b"").hexdigest()
            if row.sha256 is None:
                problems.append(f"{email}: no deck stored")
            elif not (row.sha256 == actual == what["sha256"] and row.size_bytes == what["size"]):
                problems.append(
                    f"{email}: deck differs (sent {what['sha256'][:12]} {what['size']} B, "
                    f"column {row.sha256[:12]}, bytes {str(actual)[:12]} {row.size_bytes} B)"
                )
            else:
                decks_ok += 1
        submitted = sum(1 for row in rows if row.status == ApplicationStatus.SUBMITTED)
        db.engine.dispose()
    checks = {
        "applications_in_cohort": in_cohort,
        "submitted": submitted,
        "answers_match": answers_ok,
        "decks_match": decks_ok,
        "stored_files": stored_files,
        "confirmation_mails": mails,
        "problems": problems[:50],
        "problem_count": len(problems),
    }
    checks["passed"] = (
        not problems
        and in_cohort == submitted == answers_ok == decks_ok == founders
        and stored_files == founders
        and mails == founders
    )
    return checks


def _server_errors(log: Path) -> dict:
    text = log.read_text(errors="replace") if log.exists() else ""
    lines = [line for line in text.splitlines() if "Traceback" in line or "ERROR" in line]
    return {"tracebacks": text.count("Traceback"), "error_lines": lines[:20]}


# --- the run -------------------------------------------------------------------------------


def measure(args) -> dict:
    url = args.database_url
    env = _env(url, args)
    work = Path(tempfile.mkdtemp(prefix="bench-rush-"))
    env["JOBS_QUEUE_URL"] = f"sqlite:///{work / 'jobs-queue.sqlite3'}"  # nothing is queued
    fill(url, env, args.founders)  # always fresh: a founder applies once
    the_plan = plan(url, args.founders)
    port = _free_port()
    log = work / "gunicorn.log"
    server = _start_gunicorn(env, Path(args.app_dir).resolve(), port, args.workers, log)
    base = f"http://127.0.0.1:{port}"
    load_before = [round(x, 1) for x in os.getloadavg()]
    try:
        _warm(base, the_plan, args.workers)
        result = run_locust(args, base, the_plan, work)
    finally:
        _stop(server)
    print(f"  locust done in {result['wall_s']} s; checking the database ...", file=sys.stderr)
    checks = check(url, the_plan["cohort_id"], result["sent"], args.founders)
    rows = latencies(result)
    overall = rows[-1]
    span = (result["ended"] or 0) - (result["started"] or 0)
    errors = overall["errors"] + result["flows_failed"]
    run = {
        "label": args.label,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": args.describe or load._describe_code(Path(args.app_dir).resolve()),
        "database": make_url(url).get_backend_name(),
        "redis": bool(args.redis),
        "workers": args.workers,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared)",
        "load_average_before": load_before,
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "founders": args.founders,
        "minutes": args.minutes,
        "connections": min(args.connections, args.founders),
        "deck_mb": args.deck_mb,
        "founders_done": result["founders_done"],
        "flows_failed": result["flows_failed"],
        "span_s": round(span, 1),
        "requests": overall["requests"],
        "rps": round(overall["requests"] / span, 1) if span > 0 else None,
        "latency": rows,
        "errors": errors,
        "error_samples": result["samples"][:10],
        "server": _server_errors(log),
        "checks": checks,
        "work_dir": str(work),
    }
    run["passed"] = bool(
        overall["p95_ms"] <= P95_GOAL_MS
        and errors == 0
        and checks["passed"]
        and not run["server"]["tracebacks"]
    )
    return run


def print_report(run: dict) -> None:
    print(
        f"\nDeadline rush: {run['founders']} founders over {run['minutes']} min, "
        f"{run['connections']} connections, {run['deck_mb']} MB decks ({run['database']}, "
        f"gunicorn {run['workers']} workers; {run['code']})"
    )
    print(f"{'request':<14}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for row in run["latency"]:
        print(
            f"{row['name']:<14}{row['requests']:>7}{row['errors']:>8}{row['p50_ms']:>9.1f}"
            f"{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}"
        )
    checks = run["checks"]
    print(
        f"Founders done {run['founders_done']}, flows failed {run['flows_failed']}, "
        f"{run['requests']} requests in {run['span_s']} s ({run['rps']} req/s); "
        f"server tracebacks {run['server']['tracebacks']}"
    )
    print(
        f"Stored: {checks['applications_in_cohort']} applications, {checks['submitted']} "
        f"submitted, answers matching {checks['answers_match']}, decks matching "
        f"(SHA-256 and size) {checks['decks_match']}, stored files {checks['stored_files']}, "
        f"confirmation mails {checks['confirmation_mails']} (of {run['founders']})"
    )
    for problem in checks["problems"][:10]:
        print(f"  {problem}")
    for sample in run["error_samples"]:
        print(f"  {sample}")
    print(
        f"{'PASS' if run['passed'] else 'FAIL'}: p95 {run['latency'][-1]['p95_ms']:.0f} ms "
        f"(goal ≤ {P95_GOAL_MS}), {run['errors']} errors (goal 0), stored data "
        f"{'complete' if checks['passed'] else 'INCOMPLETE'}"
    )
    print(f"Logs: {run['work_dir']}")


def save(run: dict) -> dict:
    """In bench/results.json under "rush", one run per label (load's "runs" untouched)."""
    stored = json.loads(load.RESULTS.read_text()) if load.RESULTS.exists() else {"runs": {}}
    stored.setdefault("rush", {})[run["label"]] = {k: v for k, v in run.items() if k != "work_dir"}
    load.RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    return stored


def docs_section(stored: dict) -> str:
    runs = sorted(stored.get("rush", {}).values(), key=lambda r: (-r["founders"], r["when"]))
    lines = [
        START,
        "| run | founders, minutes, connections | requests | p50 | p95 | p99 | errors "
        "| stored (submitted, answers, decks by SHA-256) | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        all_ = run["latency"][-1]
        checks = run["checks"]
        lines.append(
            f"| {run['label']} | {run['founders']:,}, {run['minutes']}, {run['connections']} "
            f"| {all_['requests']:,} | {all_['p50_ms']:.0f} ms | {all_['p95_ms']:.0f} ms "
            f"| {all_['p99_ms']:.0f} ms | {run['errors']} | {checks['submitted']:,}, "
            f"{checks['answers_match']:,}, {checks['decks_match']:,} of {run['founders']:,} "
            f"| {'pass' if run['passed'] else 'FAIL'} |"
        )
    latest = runs[0] if runs else None
    if latest:
        lines += [
            "",
            f"Per request, run {latest['label']} ({latest['founders']:,} founders, "
            f"{latest['deck_mb']} MB decks, {latest['database']}, gunicorn {latest['workers']} "
            f"sync workers, {latest['machine']}, load average "
            f"{latest.get('load_average_before', ['?'])[0]} before the rush and "
            f"{latest['load_average'][0]} at its end):",
            "",
            "| request | count | errors | p50 | p95 | p99 | max |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in latest["latency"]:
            lines.append(
                f"| {row['name']} | {row['requests']:,} | {row['errors']} | {row['p50_ms']:.0f} ms"
                f" | {row['p95_ms']:.0f} ms | {row['p99_ms']:.0f} ms | {row['max_ms']:.0f} ms |"
            )
        lines += [
            "",
            "Runs: " + "; ".join(f"{r['label']}: {r['code']} ({r['when']})" for r in runs),
        ]
    lines.append(END)
    return "\n".join(lines)


def update_docs(stored: dict) -> None:
    text = load.OPERATIONS.read_text()
    if START not in text or END not in text:
        print("docs/operations.md has no rush markers; section not written.", file=sys.stderr)
        return
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    load.OPERATIONS.write_text(head + docs_section(stored) + tail)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rush", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL,
        help="database to fill (dropped and re-created) and serve",
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
    )
    parser.add_argument("--founders", type=int, default=1_000)
    parser.add_argument("--minutes", type=float, default=5, help="the founders arrive over it")
    parser.add_argument("--connections", type=int, default=64, help="locust users")
    parser.add_argument("--deck-mb", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--label", help="name of this run in results.json (default: its size)")
    parser.add_argument("--app-dir", default=str(load.ROOT), help="checkout gunicorn serves")
    parser.add_argument("--describe", help="what code this is (default: git log -1 of app-dir)")
    parser.add_argument("--mail-backend", default="smtp", help="mail stays in the outbox")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if not args.redis:
        raise SystemExit("--redis is needed: production refuses a per-worker rate limiter")
    args.label = args.label or f"{args.founders}x{args.minutes:g}min-{args.connections}c"
    run = measure(args)
    print_report(run)
    if not args.no_save:
        stored = save(run)
        update_docs(stored)
        print("Saved to bench/results.json and docs/operations.md.")
    return 0 if run["passed"] else 1
