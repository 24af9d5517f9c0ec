"""The tester panel at scale: issue 21's three figures, on SQLite and on PostgreSQL.

1. Import: 40,000 testers from a CSV (drawn like the demo panel: accented French and US
   names, every attribute, consent dates) through the import service
   (`accelerator.testers.importing.import_file`: read, map, check, match by e-mail, bulk write,
   audit), then the same file again with one line in ten changed (4,000 updates, the rest
   unchanged). Goal: ≤ 10 s and ≤ 500 MB. It runs in a child process of its own, so its peak
   resident size (ru_maxrss) is the import's, the app and pandas included; the baseline is the
   child's size before reading the file.
2. Selection: `selection.select` over a 40,000-row candidates frame: 10,000 people with four
   quotas, 1,000 with three, and quotas that cannot be met together (named by the deletion
   filter). Goal: ≤ 1 s. The first call of a process imports scipy's optimizer; it is shown
   apart ("cold") from the median of 5 calls after it.
3. A wave: `services.send_wave` on a campaign whose responses wanted (4,000 at the 0.4
   response rate) make it invite 10,000 of a 40,000-tester panel with three quotas, and the
   commit: the candidates read, the fair selection, 10,000 invitations, the testers' last
   contact, 10,000 mails queued with their unsubscribe headers, the audit event, in one
   transaction. Goal: ≤ 5 s.

`python -m bench testers` runs all three on SQLite (a temporary file) and on PostgreSQL
(BENCH_TESTERS_PG_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/bench_testers,
created and dropped), prints the table, and saves it to bench/results.json ("testers", one
run per database) and docs/operations.md. `--database sqlite` (or postgresql) runs one;
`--no-save` only prints. The exit status is 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

PANEL = 40_000
WAVE = 10_000
REPEAT = 5
REPEAT_WAVE = 3
GOALS = {"import_s": 10.0, "import_mb": 500.0, "selection_s": 1.0, "wave_s": 5.0}
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_testers"
ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench-testers:start -->", "<!-- bench-testers:end -->"
COLUMNS = [
    ("email", "E-mail"),
    ("name", "Name"),
    ("country", "Country"),
    ("language", "Language"),
    ("age_band", "Age band"),
    ("gender", "Gender"),
    ("region", "Region"),
    ("device", "Device"),
    ("os", "Operating system"),
    ("segment", "Customer segment"),
    ("interests", "Interests"),
    ("consent_at", "Consent date"),
    ("consent_source", "Consent source"),
    ("consent_version", "Consent version"),
]
#: (name, size, quotas as (attribute, value, at_least)); the last cannot be met.
SELECTIONS = [
    (
        "10,000 of 40,000, 4 quotas",
        10_000,
        [
            ("os", "ios", 3_000),
            ("age_band", "18-24", 1_500),
            ("country", "US", 1_600),
            ("segment", "pro", 2_000),
        ],
    ),
    (
        "1,000 of 40,000, 3 quotas",
        1_000,
        [("os", "ios", 400), ("age_band", "65+", 150), ("segment", "pro", 250)],
    ),
    (
        "1,000 of 40,000, quotas that conflict",
        1_000,
        [("os", "linux", 900), ("age_band", "18-24", 100), ("segment", "pro", 300)],
    ),
]
WAVE_QUOTAS = [("os", "ios", 1_000), ("age_band", "18-24", 500), ("country", "US", 400)]


# --- The data ----------------------------------------------------------------------------------


def panel_rows(size: int = PANEL, *, today: date | None = None) -> list[dict]:
    """`size` testers drawn as the demo panel is (seed_data/testers.json, its fixed seed)."""
    from accelerator.testers.seed import panel

    data = json.loads((ROOT / "seed_data" / "testers.json").read_text(encoding="utf-8"))
    data = {**data, "size": size, "opted_out_share": 0.0}
    return panel(data, today=today or datetime.now(UTC).date())


def panel_csv(rows: list[dict], *, changed_every: int = 0) -> bytes:
    """The rows as a staff member's CSV (English headers); with `changed_every`, one line in
    that many has another age band and region (a re-import that updates them)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in COLUMNS])
    for n, row in enumerate(rows):
        values = dict(row)
        if changed_every and n % changed_every == 0:
            values["age_band"] = "65+" if row["age_band"] != "65+" else "55-64"
            values["region"] = (row["region"] + " (moved)")[:80]
        values["interests"] = "; ".join(row["interests"])
        values["consent_at"] = row["consent_at"].isoformat()
        values["gender"] = row["gender"] or ""
        writer.writerow([values[key] for key, _label in COLUMNS])
    return out.getvalue().encode("utf-8")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _staff(db):
    from accelerator.auth.models import Role, User

    staff = User(email="bench-staff@example.org", name="Bench Staff", role=Role.STAFF)
    staff.set_password("bench-password-123")
    db.session.add(staff)
    db.session.flush()
    return staff


# --- 1. Import (in a child process: its peak memory is the import's) ---------------------------


def _import_child(url: str, first: str, second: str) -> dict:
    """In the child: an empty panel on `url`, the first file imported, then the second."""
    os.environ["BENCH_DATABASE_URL"] = url
    from accelerator.extensions import db
    from bench._support import scratch_app

    app = scratch_app()
    results: dict = {}
    with app.test_request_context():
        staff = _staff(db)
        db.session.commit()
        results["through"] = "importing.import_file"
        results["baseline_mb"] = round(_peak_mb())
        for key, path in (("first", first), ("again", second)):
            data = Path(path).read_bytes()
            started, cpu = time.perf_counter(), time.process_time()
            report = _import(data, staff)
            db.session.commit()
            results[key] = {
                "s": round(time.perf_counter() - started, 2),
                "cpu_s": round(time.process_time() - cpu, 2),
                **report,
            }
        results["peak_mb"] = round(_peak_mb())
        from sqlalchemy import func, select

        from accelerator.testers.models import Tester

        results["testers"] = db.session.scalar(select(func.count(Tester.id)))
    return results


def _import(data: bytes, actor) -> dict:
    """The import service, as `flask testers import` runs it: keep the file, map, check, write."""
    from accelerator.testers import importing

    report = importing.import_file(data, filename="panel.csv", actor=actor)
    return {"created": report.created, "updated": report.updated, "refused": len(report.refused)}


def measure_import(url: str) -> dict:
    rows = panel_rows()
    folder = Path(tempfile.mkdtemp(prefix="accelerator-bench-testers-"))
    first, second = folder / "panel.csv", folder / "panel-again.csv"
    first.write_bytes(panel_csv(rows))
    second.write_bytes(panel_csv(rows, changed_every=10))
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.testers", "--import-child", url, str(first), str(second)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the import child failed:\n{done.stderr[-3000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    found["file_mb"] = round(first.stat().st_size / 1e6, 1)
    found["rows"] = len(rows)
    return found


# --- 2. Selection (pure: no database) ----------------------------------------------------------


def candidates_frame(rows: list[dict]):
    """The frame `queries.candidates` returns, for `rows`: ids, attributes, priority (three in
    five never invited, the others at times over the past year)."""
    import random

    import pandas as pd

    from accelerator.testers.models import ATTRIBUTES

    rng = random.Random(21)
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp() * 1e9)
    frame = pd.DataFrame(
        {
            "id": range(1, len(rows) + 1),
            **{a: [None if r[a] is None else str(r[a]) for r in rows] for a in ATTRIBUTES},
        }
    )
    frame["priority"] = [
        0 if rng.random() < 0.6 else start + rng.randrange(365 * 86_400) * 10**9 for _ in rows
    ]
    return frame


def measure_selection() -> list[dict]:
    from accelerator.testers.selection import InfeasibleQuotas, Quota, select

    frame = candidates_frame(panel_rows())
    found = []
    for name, size, quotas in SELECTIONS:
        wanted = [Quota(a, v, n) for a, v, n in quotas]

        def once(seed: int, size=size, wanted=wanted) -> tuple[float, str]:
            started = time.perf_counter()
            try:
                chosen = select(frame, size=size, quotas=wanted, seed=seed)
                outcome = f"{len(chosen):,} chosen"
                picked = frame[frame["id"].isin(chosen)]
                for quota in wanted:
                    assert (picked[quota.attribute] == quota.value).sum() >= quota.at_least
            except InfeasibleQuotas as error:
                outcome = f"refused: {', '.join(str(q) for q in error.quotas)}"
            return time.perf_counter() - started, outcome

        first, outcome = once(1)
        times = [once(seed)[0] for seed in range(2, 2 + REPEAT)]
        found.append(
            {
                "name": name,
                "candidates": len(frame),
                "size": size,
                "quotas": len(quotas),
                "first_s": round(first, 3),
                "median_s": round(statistics.median(times), 3),
                "outcome": outcome,
            }
        )
    return found


# --- 3. A wave of 10,000 invitations -------------------------------------------------------------


def _fill_wave(app) -> tuple[int, int]:
    """40,000 testers in bulk, an enrolled startup, staff, and an approved campaign wanting
    4,000 answers (10,000 invitations at the 0.4 response rate) with three quotas."""
    from sqlalchemy import insert, text

    from accelerator.applications.models import Application, ApplicationStatus, Startup
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort, CohortState, Enrollment, Program
    from accelerator.testers import services
    from accelerator.testers.fields import CampaignFields, Question, QuotaInput
    from accelerator.testers.models import Tester

    now = datetime.now(UTC)
    today = now.date()
    rows = panel_rows()
    for start in range(0, len(rows), 5_000):
        db.session.execute(insert(Tester), rows[start : start + 5_000])
    staff = _staff(db)
    program = Program(name="Orange Fab Bench", location="Paris", timezone="Europe/Paris")
    db.session.add(program)
    db.session.flush()
    cohort = Cohort(
        program_id=program.id,
        name="Season Bench",
        state=CohortState.PUBLISHED,
        applications_open_at=now - timedelta(days=120),
        applications_close_at=now - timedelta(days=90),
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
        capacity=10,
    )
    startup = Startup(name="Société Éclair", sector="Fintech", country="FR", source="seed")
    db.session.add_all([cohort, startup])
    db.session.flush()
    application = Application(
        cohort_id=cohort.id,
        startup_id=startup.id,
        status=ApplicationStatus.ENROLLED,
        submitted_at=now - timedelta(days=100),
        source="seed",
    )
    db.session.add(application)
    db.session.flush()
    db.session.add(
        Enrollment(cohort_id=cohort.id, startup_id=startup.id, application_id=application.id)
    )
    db.session.flush()
    fields = CampaignFields(
        title="Paying with the Société Éclair app",
        test_url="https://eclair.example.org/beta",
        description="Buy a ticket and pay with a saved card.",
        quotas=[QuotaInput(a, v, n) for a, v, n in WAVE_QUOTAS],
        responses_wanted=4_000,
        opens_on=today,
        closes_on=today + timedelta(days=14),
        questions=[Question("single", "Which payment did you use?", ["Card", "Wallet"])],
    )
    campaign = services.request_campaign(startup=startup, fields=fields, actor=staff)
    db.session.flush()
    services.approve_campaign(campaign, actor=staff)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))  # a live database's statistics
        db.session.commit()
    return campaign.id, staff.id


def _one_wave(campaign_id: int, staff_id: int) -> dict:
    """send_wave and its commit, timed whole and in parts; the invitations checked."""
    from sqlalchemy import func, select

    from accelerator.auth.models import User
    from accelerator.core.models import OutboxEmail
    from accelerator.extensions import db
    from accelerator.testers import notify, queries, services
    from accelerator.testers.models import Campaign, CampaignInvitation
    from bench._support import count_statements

    db.session.close()
    parts = {"candidates": 0.0, "selection": 0.0, "mail": 0.0}
    originals = (queries.candidates, services.select_fairly, notify.invitations)

    def timed(part, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[part] += time.perf_counter() - began

        return wrapper

    queries.candidates = timed("candidates", originals[0])
    services.select_fairly = timed("selection", originals[1])
    notify.invitations = timed("mail", originals[2])
    try:
        with count_statements() as statements:
            started, cpu = time.perf_counter(), time.process_time()
            campaign = db.session.get(Campaign, campaign_id)
            invited = services.send_wave(campaign, actor=db.session.get(User, staff_id))
            db.session.commit()
            total, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        queries.candidates, services.select_fairly, notify.invitations = originals
    invitations = db.session.scalar(
        select(func.count(CampaignInvitation.id)).where(
            CampaignInvitation.campaign_id == campaign_id
        )
    )
    mails = db.session.scalars(select(OutboxEmail.headers)).all()
    assert invited == invitations == WAVE, (invited, invitations)
    assert len(mails) == WAVE and all(h and "List-Unsubscribe" in h for h in mails)
    return {
        "s": round(total, 2),
        "cpu_s": round(cpu, 2),
        "candidates_s": round(parts["candidates"], 2),
        "selection_s": round(parts["selection"], 2),
        "mail_s": round(parts["mail"], 2),
        "writes_s": round(total - sum(parts.values()), 2),
        "statements": len(statements),
    }


def _undo_wave(campaign_id: int) -> None:
    """Back to before the wave (no invitation, no mail, nobody contacted, approved), so the
    next wave does the same work."""
    from sqlalchemy import delete, update

    from accelerator.core.models import OutboxEmail
    from accelerator.extensions import db
    from accelerator.testers.models import Campaign, CampaignInvitation, Tester

    db.session.execute(delete(OutboxEmail))
    db.session.execute(
        delete(CampaignInvitation).where(CampaignInvitation.campaign_id == campaign_id)
    )
    db.session.execute(update(Tester.__table__).values(last_invited_at=None))
    db.session.execute(
        update(Campaign.__table__).where(Campaign.id == campaign_id).values(status="approved")
    )
    db.session.commit()


def measure_wave(app) -> dict:
    """The wave REPEAT_WAVE times on the same panel (undone in between): the first and the
    median (the machine is shared: one run can fall on a busy moment)."""
    from accelerator.extensions import db

    with app.test_request_context():
        started = time.perf_counter()
        campaign_id, staff_id = _fill_wave(app)
        fill_s = time.perf_counter() - started
        runs = []
        for n in range(REPEAT_WAVE):
            if n:
                _undo_wave(campaign_id)
            runs.append(_one_wave(campaign_id, staff_id))
        db.session.close()
    middle = sorted(runs, key=lambda r: r["s"])[len(runs) // 2]
    return {
        "panel": PANEL,
        "invited": WAVE,
        "quotas": len(WAVE_QUOTAS),
        "fill_s": round(fill_s, 1),
        "first_s": runs[0]["s"],
        "runs": [r["s"] for r in runs],
        **middle,
    }


# --- Runs ---------------------------------------------------------------------------------------


def _create_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def _drop_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def _urls(which: list[str]) -> dict[str, str]:
    urls = {}
    if "sqlite" in which:
        urls["sqlite"] = f"sqlite:///{tempfile.mkdtemp(prefix='accelerator-bench-')}/testers.db"
    if "postgresql" in which:
        urls["postgresql"] = os.environ.get("BENCH_TESTERS_PG_URL", PG_URL)
    return urls


def measure(database: str, url: str, selection: list[dict]) -> dict:
    """One database's run: the import (child process) and the wave."""
    from bench._support import scratch_app
    from bench.pilots import _code, _cpus

    own = database == "postgresql" and "BENCH_TESTERS_PG_URL" not in os.environ
    if own:
        _create_database(url)
    try:
        imported = measure_import(url)
        previous = os.environ.get("BENCH_DATABASE_URL")
        os.environ["BENCH_DATABASE_URL"] = url
        try:
            app = scratch_app()
        finally:
            if previous is None:
                os.environ.pop("BENCH_DATABASE_URL")
            else:
                os.environ["BENCH_DATABASE_URL"] = previous
        wave = measure_wave(app)
        with app.app_context():
            from accelerator.extensions import db

            db.engine.dispose()
    finally:
        if own:
            _drop_database(url)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": _code(),
        "database": database,
        "machine": f"{platform.machine()}, {_cpus()} CPUs (shared)",
        "import": imported,
        "selection": selection,
        "wave": wave,
        "goals": GOALS,
        "met": met(imported, selection, wave),
    }


def met(imported: dict, selection: list[dict], wave: dict) -> dict[str, bool]:
    return {
        "import_s": imported["first"]["s"] <= GOALS["import_s"]
        and imported["again"]["s"] <= GOALS["import_s"],
        "import_mb": imported["peak_mb"] <= GOALS["import_mb"],
        "selection_s": all(s["median_s"] <= GOALS["selection_s"] for s in selection),
        "wave_s": wave["s"] <= GOALS["wave_s"],
    }


def _ok(flag: bool) -> str:
    return "yes" if flag else "**NO**"


def table(run: dict) -> list[str]:
    imported, wave = run["import"], run["wave"]
    first, again = imported["first"], imported["again"]
    lines = [
        "| what | measured | goal | met |",
        "|---|---|---|---|",
        f"| import of {imported['rows']:,} testers from CSV ({imported['file_mb']} MB), through "
        f"{imported['through']} | {first['s']:.1f} s (CPU {first['cpu_s']:.1f} s; "
        f"{first['created']:,} added, {first['refused']} refused) | ≤ {GOALS['import_s']:.0f} s | "
        f"{_ok(first['s'] <= GOALS['import_s'])} |",
        f"| the same file again, one line in ten changed | {again['s']:.1f} s "
        f"(CPU {again['cpu_s']:.1f} s; {again['updated']:,} updated, {again['created']} added) | "
        f"≤ {GOALS['import_s']:.0f} s | {_ok(again['s'] <= GOALS['import_s'])} |",
        f"| peak memory of the import process (both imports; "
        f"{imported['baseline_mb']} MB before reading the file) | {imported['peak_mb']} MB | "
        f"≤ {GOALS['import_mb']:.0f} MB | {_ok(run['met']['import_mb'])} |",
    ]
    for s in run["selection"]:
        lines.append(
            f"| selection, {s['name']} ({s['outcome']}) | {s['median_s'] * 1000:.0f} ms "
            f"(first call of the process {s['first_s'] * 1000:.0f} ms) | "
            f"≤ {GOALS['selection_s']:.0f} s | {_ok(s['median_s'] <= GOALS['selection_s'])} |"
        )
    lines.append(
        f"| a wave of {wave['invited']:,} invitations from {wave['panel']:,} testers, "
        f"{wave['quotas']} quotas, in one transaction ({wave['statements']} statements) | "
        f"{wave['s']:.2f} s, median of {len(wave['runs'])} (candidates "
        f"{wave['candidates_s']:.2f}, selection {wave['selection_s']:.2f}, mails "
        f"{wave['mail_s']:.2f}, the rest {wave['writes_s']:.2f}; CPU {wave['cpu_s']:.2f} s; "
        f"first run {wave['first_s']:.2f} s) "
        f"| ≤ {GOALS['wave_s']:.0f} s | {_ok(run['met']['wave_s'])} |"
    )
    return lines


def run() -> list[str]:
    """For `python -m bench counts testers`: SQLite only, not saved."""
    selection = measure_selection()
    urls = _urls(["sqlite"])
    return table(measure("sqlite", urls["sqlite"], selection))


def save(runs: list[dict]) -> None:
    """Under "testers" in bench/results.json, one run per database; the tables in
    docs/operations.md between the bench-testers markers."""
    from bench import load

    stored = json.loads(load.RESULTS.read_text()) if load.RESULTS.exists() else {"runs": {}}
    for kept in runs:
        stored.setdefault("testers", {})[kept["database"]] = kept
    load.RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    text = load.OPERATIONS.read_text()
    if START not in text or END not in text:
        print("docs/operations.md has no bench-testers markers; not written.", file=sys.stderr)
        return
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    section = [START]
    for kept in stored["testers"].values():
        section += [
            f"Measured by `python -m bench testers` on {kept['machine']}, {kept['database']}, "
            "in-process (the import in a child process of its own).",
            "",
            *table(kept),
            "",
            f"Run: {kept['code']} ({kept['when']})",
            "",
        ]
    load.OPERATIONS.write_text(head + "\n".join(section[:-1] + [END]) + tail)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--import-child"]:
        print(json.dumps(_import_child(*argv[1:4])))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench testers", description=__doc__)
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql", "both"],
        default="both",
        help="where the import and the wave run (default: both)",
    )
    args = parser.parse_args(argv)
    which = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    selection = measure_selection()
    runs = []
    for database, url in _urls(which).items():
        found = measure(database, url, selection)
        print(f"\n{database}:")
        print("\n".join(table(found)))
        runs.append(found)
    if not args.no_save:
        save(runs)
        print("\nSaved to bench/results.json and docs/operations.md.")
    return 0 if all(all(r["met"].values()) for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
