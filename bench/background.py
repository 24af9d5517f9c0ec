"""`python -m bench background`: issue 19's criterion, measured from outside. While a
10,000-row import and a 100,000-row export run in the job worker, the p95 of the staff pages
stays within 20 % of its value without them.

Fills PostgreSQL (BENCH_DATABASE_URL, else .../bench_background, dropped and re-created) with
100,000 applications in one cohort (bench/fill.py) and an empty open cohort for the imports,
starts gunicorn (4 sync workers) and `flask jobs worker --workers 2` on the same database with
the rate limiter and the queue on Redis (a db of its own, flushed), and runs wrk against a few
staff pages, once per `--nice` level of the worker, each time on a fresh copy of the filled
database (`<name>_run`): with the worker idle, while jobs run, then idle again on the data the
imports added. The jobs are started as a person starts them: the CSV upload, its preview and its
Import button; the export link, which answers with the job's page. A keeper starts the next
import (export) as soon as the last one ends, so one of each runs through every measurement;
the jobs table says how much of each page's window each kind really covered. Prints the p95
with and without, their ratio, writes bench/results.json ("background" entries) and its table
in docs/operations.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy.engine import make_url

from bench import load

HERE = load.HERE
ROOT = load.ROOT
START, END = "<!-- bench-background:start -->", "<!-- bench-background:end -->"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_background"
IMPORT_COHORT = "Imports 2026"
IMPORT_ROWS = 10_000
LIMIT = 1.20  # the criterion: p95 within 20 % of its value without the jobs

#: (name, url template): staff pages people open often, and the floor (see bench/load.py).
PAGES = [
    ("empty staff page", "/audit?action=none.such"),
    ("applications list", "/applications"),
    ("grants list", "/grants/"),
    ("cohort page", "/cohorts/{cohort}"),
]


# --- The data -------------------------------------------------------------------------------


def _fill(url: str, env: dict, applications: int) -> None:
    """bench/fill.py at `applications` rows, and an empty open cohort for the imports."""

    def import_cohort(filled) -> None:
        from accelerator.extensions import db
        from accelerator.programs.models import Cohort, Program
        from tests import factories

        program = db.session.get(Program, db.session.get(Cohort, filled.cohort_id).program_id)
        factories.make_cohort(program=program, phase="open", name=IMPORT_COHORT)

    load._fill(url, env, then=import_cohort, applications=applications)


def _import_cohort(app) -> int:
    from sqlalchemy import select

    from accelerator.extensions import db
    from accelerator.programs.models import Cohort

    with app.app_context():
        found = db.session.scalar(select(Cohort.id).where(Cohort.name == IMPORT_COHORT))
        if found is None:
            raise SystemExit("The database has no import cohort: run without --no-fill.")
        return found


def import_csv(run: str, rows: int = IMPORT_ROWS) -> bytes:
    """A CSV as a person would upload it: accented names, new to the database each run."""
    lines = ["Startup name,Country,Stage,Contact email"]
    lines += [f"Société Éclair {run}-{i},FR,seed,team-{run}-{i}@example.org" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


# --- A staff member's browser ---------------------------------------------------------------


class _Form(HTMLParser):
    """The values a browser would post from the page's post form (buttons left out)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._in_form = not self.fields  # the first post form only
        if not self._in_form:
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind not in ("submit", "button", "file"):
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.fields[attrs.get("name", "")] = attrs.get("value") or ""
        elif tag == "select":
            self._select, self._first_option = attrs.get("name"), None
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in attrs:
                self.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def form_fields(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    parser.fields.pop("", None)
    return parser.fields


class Browser:
    """HTTP as a signed-in person: the session cookie follows what the server sets (the CSRF
    token lives in it); redirects are not followed, their target is returned."""

    def __init__(self, base: str, session: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.session = session

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
        try:
            cookie = {"Cookie": f"session={self.session}"}
            conn.request(method, path, body=body, headers={**cookie, **(headers or {})})
            response = conn.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                match = re.match(r"session=([^;]*)", header)
                if match:
                    self.session = match.group(1)
            location = response.headers.get("Location", "")
            return response.status, location, data.decode(errors="replace")
        finally:
            conn.close()

    def post_form(self, path: str, fields: dict[str, str]):
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_file(self, path: str, fields: dict[str, str], name: str, filename: str, data: bytes):
        boundary = uuid.uuid4().hex
        head = f"--{boundary}\r\nContent-Disposition: form-data; name="
        parts = [f'{head}"{key}"\r\n\r\n{value}\r\n'.encode() for key, value in fields.items()]
        parts.append(
            f'{head}"{name}"; filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


def _job_id(status: int, location: str, what: str) -> int:
    match = re.search(r"/jobs/(\d+)$", location)
    if status != 302 or not match:
        raise SystemExit(f"{what} did not start a job (answered {status}, {location!r})")
    return int(match.group(1))


def prepare_import(browser: Browser, cohort_id: int, run: str) -> tuple[str, dict[str, str]]:
    """Upload a CSV and open its preview (the check runs there): the preview's path and the
    fields its Import button posts."""
    status, _location, page = browser.request("GET", "/applications/import")
    if status != 200:
        raise SystemExit(f"/applications/import answered {status}")
    fields = form_fields(page)
    fields["cohort"] = str(cohort_id)
    status, location, _page = browser.post_file(
        "/applications/import", fields, "file", f"bench-{run}.csv", import_csv(run)
    )
    if status != 302:
        raise SystemExit(f"the upload answered {status}")
    preview = urlsplit(location).path
    status, _location, page = browser.request("GET", preview)
    if status != 200:
        raise SystemExit(f"{preview} answered {status}")
    return preview, {**form_fields(page), "run": "Import"}


def run_import(browser: Browser, prepared: tuple[str, dict[str, str]]) -> int:
    preview, fields = prepared
    return _job_id(*browser.post_form(preview, fields)[:2], f"the import's Import ({preview})")


def run_export(browser: Browser, cohort_id: int) -> int:
    path = f"/applications/export.xlsx?cohort={cohort_id}"
    return _job_id(*browser.request("GET", path)[:2], path)


# --- The jobs -------------------------------------------------------------------------------


class Jobs:
    """The jobs table, read from outside (its own connection)."""

    def __init__(self, url: str):
        import psycopg

        libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.conn = psycopg.connect(libpq, autocommit=True)
        self.lock = threading.Lock()

    def rows(self, ids: list[int]) -> dict[int, dict]:
        if not ids:
            return {}
        with self.lock:
            found = self.conn.execute(
                "SELECT id, kind, status, started_at, finished_at, done, total, error "
                "FROM jobs WHERE id = ANY(%s)",
                (ids,),
            ).fetchall()
        keys = ("id", "kind", "status", "started", "finished", "done", "total", "error")
        return {row[0]: dict(zip(keys, row, strict=True)) for row in found}

    def now(self) -> datetime:
        with self.lock:
            return self.conn.execute("SELECT now()").fetchone()[0]

    def close(self) -> None:
        self.conn.close()


class Keeper(threading.Thread):
    """Keeps one import and one export running: the next starts as soon as the last ends."""

    def __init__(self, browser: Browser, jobs: Jobs, export_cohort: int, prepared: list):
        super().__init__(daemon=True)
        self.browser, self.jobs, self.export_cohort = browser, jobs, export_cohort
        self.prepared = prepared  # imports uploaded and checked, ready for their Import button
        self.started: dict[str, list[int]] = {"import": [], "export": []}
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                for kind, ids in self.started.items():
                    last = self.jobs.rows(ids[-1:]).get(ids[-1]) if ids else None
                    if last is not None and last["status"] in ("queued", "running"):
                        continue
                    if kind == "export":
                        ids.append(run_export(self.browser, self.export_cohort))
                    elif self.prepared:
                        ids.append(run_import(self.browser, self.prepared.pop(0)))
                self.stopping.wait(0.25)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            self.error = error

    def ids(self) -> list[int]:
        return self.started["import"] + self.started["export"]

    def stop(self) -> None:
        self.stopping.set()
        self.join(30)


def coverage(rows: dict[int, dict], kind: str, start: datetime, end: datetime) -> float:
    """The share of [start, end] during which a job of `kind` was running."""
    spans = sorted(
        (max(row["started"], start), min(row["finished"] or end, end))
        for row in rows.values()
        if row["kind"] == f"applications.{kind}" and row["started"] is not None
    )
    covered, reach = 0.0, start
    for begin, finish in spans:
        begin = max(begin, reach)
        if finish > begin:
            covered += (finish - begin).total_seconds()
            reach = finish
    return covered / max((end - start).total_seconds(), 1e-9)


# --- The processes --------------------------------------------------------------------------


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _start_worker(env: dict, nice: int, log: Path) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "flask"), "jobs", "worker", "--workers", "2"]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    worker = subprocess.Popen(  # noqa: S603
        command,
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if nice:
        _lower_group(worker.pid, nice)
    deadline = time.time() + 60
    while "Job worker:" not in log.read_text(errors="replace"):
        if worker.poll() is not None or time.time() > deadline:
            load._stop(worker)
            raise SystemExit(f"the job worker did not start; see {log}")
        time.sleep(0.2)
    return worker


def _lower_group(pid: int, nice: int) -> None:
    """With the kernel's autogroups (sched_autogroup_enabled), CPU is shared fairly between
    sessions first and a process's nice counts only inside its own: the worker, a session of
    its own as under a service manager, is lowered by its session's nice. (Under systemd, the
    equivalent is the unit's CPUWeight=.)"""
    group = Path(f"/proc/{pid}/autogroup")
    if group.exists():
        group.write_text(str(nice))


def _stop_worker(worker: subprocess.Popen) -> None:
    """SIGINT: huey's graceful stop (running jobs end first), then load._stop."""
    try:
        os.killpg(worker.pid, signal.SIGINT)
        worker.wait(60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        load._stop(worker)


# --- The measurement ------------------------------------------------------------------------


def _measure_page(base: str, path: str, cookie: str, args) -> dict:
    status, size, first = load._check(base + path, cookie)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    if args.warmup:
        load._wrk(base + path, cookie, args.warmup, args.connections)
    result = load._wrk(base + path, cookie, args.seconds, args.connections)
    load._check(base + "/healthz", None)  # the next page starts once this one's queue is done
    return {**result, "first_ms": round(first * 1000), "page_kb": size // 1024}


def _pages(ids: dict) -> list[tuple[str, str]]:
    return [(name, template.format(cohort=ids["cohort"])) for name, template in PAGES]


def measure_quiet(base: str, ids: dict, args, title: str) -> list[dict]:
    print(f"{title}:", file=sys.stderr)
    pages = []
    for name, path in _pages(ids):
        result = {"name": name, "path": path, **_measure_page(base, path, ids["staff"], args)}
        pages.append(result)
        _say(result)
    return pages


def measure_busy(base: str, ids: dict, args, jobs: Jobs, keeper: Keeper, refill) -> list[dict]:
    pages = []
    for name, path in _pages(ids):
        for attempt in range(1, 4):
            refill()  # between windows: the uploads and previews are a person's, not the job's
            _wait_running(jobs, keeper)
            start = jobs.now()
            result = _measure_page(base, path, ids["staff"], args)
            end = jobs.now()
            rows = jobs.rows(keeper.ids())
            result.update(
                name=name,
                path=path,
                attempt=attempt,
                import_cover=round(coverage(rows, "import", start, end), 3),
                export_cover=round(coverage(rows, "export", start, end), 3),
            )
            _say(result)
            if min(result["import_cover"], result["export_cover"]) >= args.min_cover:
                break
            print("    a job was not running all along: measured again", file=sys.stderr)
        pages.append(result)
    return pages


def _wait_running(jobs: Jobs, keeper: Keeper, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if keeper.error:
            raise SystemExit(f"starting jobs failed: {keeper.error}")
        latest = [ids[-1] for ids in keeper.started.values() if ids]
        rows = jobs.rows(latest)
        if len(rows) == 2 and all(r["status"] == "running" for r in rows.values()):
            return
        time.sleep(0.2)
    raise SystemExit("the import and the export were not both running after 120 s")


def _say(result: dict) -> None:
    cover = ""
    if "import_cover" in result:
        cover = f"  import {result['import_cover']:.0%} export {result['export_cover']:.0%}"
    print(
        f"  {result['name']:<19} {result['rps']:>7.1f} req/s  p50 {result['p50_ms']:>6.1f} ms"
        f"  p95 {result['p95_ms']:>6.1f} ms  errors {result['errors']}{cover}",
        file=sys.stderr,
    )


def _drain(jobs: Jobs, keeper: Keeper, timeout: float) -> None:
    """Let the jobs in flight end, so the next run starts from an idle worker."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        rows = jobs.rows(keeper.ids())
        if all(r["status"] in ("done", "failed") for r in rows.values()):
            return
        time.sleep(1)
    print("  jobs still running after the drain timeout", file=sys.stderr)


def _job_summary(jobs: Jobs, ids: list[int]) -> dict:
    rows = jobs.rows(ids).values()
    summary = {}
    for kind in ("import", "export"):
        mine = [r for r in rows if r["kind"] == f"applications.{kind}"]
        done = [r for r in mine if r["status"] == "done"]
        failed = [r for r in mine if r["status"] == "failed"]
        seconds = [(r["finished"] - r["started"]).total_seconds() for r in done]
        summary[kind] = {
            "started": len(mine),
            "done": len(done),
            "failed": len(failed),
            "errors": sorted({(r["error"] or "")[:200] for r in failed}),
            "seconds_each": round(sum(seconds) / len(seconds), 1) if seconds else None,
            "rows_each": done[0]["total"] if done else None,
        }
    return summary


def _copy_database(url: str) -> str:
    """A fresh copy of the filled database (`<name>_run`): every run starts from the same
    data, whatever the imports of the run before added."""
    import psycopg

    parsed = make_url(url)
    copy = parsed.set(database=f"{parsed.database}_run")
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{copy.database}" TEMPLATE "{parsed.database}"')
    return copy.render_as_string(hide_password=False)


def measure_run(url: str, nice: int, args) -> dict:
    """On a fresh copy: the pages with the worker idle, while jobs run, then idle again on the
    data the imports grew."""
    url = _copy_database(url)
    env = {**load._env(url, args), "JOBS_QUEUE_URL": args.redis}
    app = load._bench_app(url)
    found = load._ids(app)
    ids = {
        "cohort": found["cohort"],
        "staff": found["cookies"]["staff"],
        "import_cohort": _import_cohort(app),
    }
    with app.app_context():
        from accelerator.extensions import db

        db.engine.dispose()
    _flush_redis(args.redis)
    port = load._free_port()
    server_log = Path(f"/tmp/bench-background-gunicorn-{port}.log")  # noqa: S108
    worker_log = Path(f"/tmp/bench-background-worker-{port}.log")  # noqa: S108
    server = load._start_gunicorn(env, ROOT, port, args.workers, server_log)
    base = f"http://127.0.0.1:{port}"
    browser = Browser(base, ids["staff"])
    jobs = Jobs(url)
    stamp = datetime.now(UTC).strftime("%H%M%S")
    counter = iter(range(1_000_000))
    prepared: list = []

    def refill() -> None:
        while len(prepared) < args.ready:
            run = f"{stamp}-{next(counter)}"
            prepared.append(prepare_import(browser, ids["import_cohort"], run))

    worker = _start_worker(env, nice, worker_log)
    try:
        before = measure_quiet(base, ids, args, f"Worker at nice {nice}, idle")
        print(f"While an import and an export run (worker at nice {nice}):", file=sys.stderr)
        refill()
        keeper = Keeper(Browser(base, browser.session), jobs, ids["cohort"], prepared)
        keeper.start()
        try:
            busy = measure_busy(base, ids, args, jobs, keeper, refill)
        finally:
            keeper.stop()
            _drain(jobs, keeper, args.drain)
        made = _job_summary(jobs, keeper.ids())
        print(f"  jobs: {made}", file=sys.stderr)
        after = measure_quiet(base, ids, args, "Idle again, on the data the imports grew")
    finally:
        _stop_worker(worker)
        load._stop(server)
        jobs.close()
    quiet, grown = (_by_name(pages) for pages in (before, after))
    for page in busy:
        page["p95_ratio"] = round(page["p95_ms"] / max(quiet[page["name"]]["p95_ms"], 0.1), 2)
        page["p95_ratio_grown"] = round(page["p95_ms"] / max(grown[page["name"]]["p95_ms"], 0.1), 2)
    return {"without": before, "with": busy, "without_grown": after, "jobs": made}


def _by_name(pages: list[dict]) -> dict[str, dict]:
    return {page["name"]: page for page in pages}


def measure(args) -> dict:
    if not args.no_fill:
        _fill(args.database_url, load._env(args.database_url, args), args.applications)
    runs = {f"nice {nice}": measure_run(args.database_url, nice, args) for nice in args.nice}
    return {
        "label": args.label,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": load._describe_code(ROOT),
        "database": make_url(args.database_url).get_backend_name(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs (shared)",
        "workers": args.workers,
        "job_workers": 2,
        "connections": args.connections,
        "seconds_per_page": args.seconds,
        "data": {
            "applications": args.applications,
            "export_rows": args.applications,
            "import_rows": IMPORT_ROWS,
        },
        "runs": runs,
    }


# --- Results --------------------------------------------------------------------------------


def print_table(run: dict) -> None:
    print(f"\n{run['label']} ({run['database']}, {run['code']}):")
    for line in _table(run):
        print(line)


def _table(run: dict) -> list[str]:
    lines = [
        "| page | worker | p95 idle | p95 with jobs | × idle | p95 idle after, data grown "
        "| × idle after | within 20 % |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, _template in PAGES:
        for mode, measured in run["runs"].items():
            quiet = _by_name(measured["without"])[name]
            busy = _by_name(measured["with"])[name]
            grown = _by_name(measured["without_grown"])[name]
            verdict = "yes" if busy["p95_ratio"] <= LIMIT else "no"
            if busy["p95_ratio"] > LIMIT >= busy["p95_ratio_grown"]:
                verdict = "no (yes against the grown data)"
            lines.append(
                f"| {name} | {mode} | {quiet['p95_ms']:.0f} ms | {busy['p95_ms']:.0f} ms "
                f"| {busy['p95_ratio']:.2f} | {grown['p95_ms']:.0f} ms "
                f"| {busy['p95_ratio_grown']:.2f} | {verdict} |"
            )
    return lines


def save(run: dict) -> dict:
    """In bench/results.json beside load's runs, under "background" (load's table reads "runs")."""
    stored = json.loads(load.RESULTS.read_text()) if load.RESULTS.exists() else {"runs": {}}
    stored.setdefault("background", {})[run["label"]] = run
    load.RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    return stored


def _times(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def docs_section(run: dict) -> str:
    jobs = []
    for mode, measured in run["runs"].items():
        made = measured["jobs"]
        jobs.append(
            f"at {mode}: {_times(made['import']['done'], 'import')} of "
            f"{run['data']['import_rows']:,} rows ({made['import']['seconds_each'] or '-'} s each)"
            f" and {_times(made['export']['done'], 'export')} of "
            f"{run['data']['export_rows']:,} rows to .xlsx "
            f"({made['export']['seconds_each'] or '-'} s each)"
        )
    return "\n".join(
        [
            START,
            f"Measured by `python -m bench background` on {run['machine']}: {run['database']}, "
            f"gunicorn {run['workers']} sync workers, `flask jobs worker --workers "
            f"{run['job_workers']}` on Redis, wrk {run['connections']} connections for "
            f"{run['seconds_per_page']} s per page, {run['data']['applications']:,} applications "
            "in the cohort exported. Each worker level runs on a fresh copy of the filled data: "
            "the pages with the worker idle, while jobs run, then idle again on the data the "
            "imports added (each import adds 10,000 applications and as many audit events). "
            "With jobs, an import and an export were running through at least "
            f"{_least_cover(run):.0%} of every page's window (the jobs table says); jobs done: "
            + "; ".join(jobs)
            + ".",
            "",
            *_table(run),
            "",
            f"Run: {run['code']} ({run['when']})",
            END,
        ]
    )


def _least_cover(run: dict) -> float:
    return min(
        min(page["import_cover"], page["export_cover"])
        for measured in run["runs"].values()
        for page in measured["with"]
    )


def update_docs(run: dict) -> None:
    text = load.OPERATIONS.read_text()
    if START not in text or END not in text:
        print("docs/operations.md has no background-bench markers; not written.", file=sys.stderr)
        return
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    load.OPERATIONS.write_text(head + docs_section(run) + tail)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench background", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL,
        help="PostgreSQL database to fill (dropped and re-created) and serve",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5", help="flushed first")
    parser.add_argument("--no-fill", action="store_true", help="reuse the filled database")
    parser.add_argument("--applications", type=int, default=100_000, help="rows to export")
    parser.add_argument(
        "--nice",
        type=int,
        nargs="+",
        default=[0, 10],
        help="worker nice levels to measure (the process's and its session's autogroup)",
    )
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per page")
    parser.add_argument("--warmup", type=int, default=2, help="unrecorded wrk seconds first")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--ready", type=int, default=2, help="imports uploaded ahead")
    parser.add_argument("--min-cover", type=float, default=0.9, help="else measure again")
    parser.add_argument("--drain", type=float, default=600, help="wait for jobs between runs")
    parser.add_argument("--mail-backend", default="console")
    parser.add_argument("--label", default="background-jobs")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if not args.redis.startswith("redis://"):
        raise SystemExit("--redis must be a redis:// URL (the queue and the rate limiter)")
    run = measure(args)
    print_table(run)
    if not args.no_save:
        save(run)
        update_docs(run)
        print("\nSaved to bench/results.json and docs/operations.md.")
    return 0
