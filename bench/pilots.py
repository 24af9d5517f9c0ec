"""Pilots at scale: the pages of issue 20 keep their SQL statement count flat as the data grows.

Fills a scratch database (BENCH_DATABASE_URL, else a temporary SQLite file) twice, at a small
size and at full size (50 business units, 2,000 startups and 10,000 introductions, with pilots
in every state: scoping, running, overdue for decision, go, no-go, closed, stopped; 3 criteria
each), then counts the statements of each page and times it (median of 5 requests after one
warm-up): the staff pilots board, the partner's home (`/` signed in as a partner of the unit
with the most introductions) and the pilots report with its chart and Excel download, and the
cohort dashboard that lists pilots overdue for decision. A page not built yet is "missing".
The tables are ANALYZEd after the fill, as a live database's are.

`python -m bench pilots` prints the table and saves it to bench/results.json ("pilots", one run
per database) and docs/operations.md; `--no-save` only prints. `python -m bench counts pilots`
prints it too.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from bench._support import count_statements, scratch_app

#: (business units, startups, introductions) per size.
SIZES = {"small": (5, 200, 1_000), "full": (50, 2_000, 10_000)}
PAGES = [
    ("pilots board", "staff", "/pilots/board"),
    ("pilots board, one unit", "staff", "/pilots/board?unit={unit}"),
    ("partner home", "partner", "/"),
    ("pilots report", "staff", "/reports/pilots?program={program}"),
    ("pilots report chart", "staff", "/reports/programs/{program}/pilots.json"),
    ("pilots report xlsx", "staff", "/reports/programs/{program}/pilots.xlsx"),
    ("cohort dashboard", "staff", "/reports/cohorts/{cohort}"),
]
REPEAT = 5
#: Introductions' statuses, in turn; the accepted ones become pilots, states in turn.
INTRO_CYCLE = ["requested", "forwarded", "declined", "withdrawn"] + ["accepted"] * 6
PILOT_CYCLE = ["scoping", "running", "overdue", "go", "no_go", "closed", "stopped"]
START, END = "<!-- bench-pilots:start -->", "<!-- bench-pilots:end -->"


def _users(rows: list[dict], password_hash: str, now) -> list[int]:
    from accelerator.auth.models import User
    from accelerator.extensions import db

    return list(
        db.session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True),
            [{**row, "password_hash": password_hash, "created_at": now} for row in rows],
        )
    )


def fill(units: int, startups: int, introductions: int) -> dict:
    """Fill the empty database of the current app context; the ids the pages need."""
    from accelerator.applications.models import Application, ApplicationStatus, Startup
    from accelerator.auth.models import Role, User
    from accelerator.extensions import db
    from accelerator.pilots.models import (
        BusinessUnit,
        BusinessUnitPartner,
        Introduction,
        Pilot,
        PilotCriterion,
    )
    from accelerator.programs.models import Cohort, CohortState, Enrollment, Program

    assert introductions <= startups * units  # one pair (startup, unit) per introduction
    now = datetime.now(UTC)
    today = now.date()
    staff = User(email="bench-staff@example.org", name="Bench Staff", role=Role.STAFF)
    staff.set_password("bench-password-123")
    program = Program(name="Orange Fab Bench", location="Paris", timezone="Europe/Paris")
    db.session.add_all([staff, program])
    db.session.flush()
    cohorts = []
    for name, started in (("Season 12", 40), ("Season 11", 200)):
        cohort = Cohort(
            program_id=program.id,
            name=name,
            state=CohortState.PUBLISHED,
            applications_open_at=now - timedelta(days=started + 90),
            applications_close_at=now - timedelta(days=started + 60),
            starts_on=today - timedelta(days=started),
            ends_on=today - timedelta(days=started) + timedelta(days=90),
            capacity=startups,
        )
        db.session.add(cohort)
        cohorts.append(cohort)
    db.session.flush()
    unit_ids = list(
        db.session.scalars(
            insert(BusinessUnit).returning(BusinessUnit.id, sort_by_parameter_order=True),
            [unit_row(program.id, staff.id, i, now) for i in range(units)],
        )
    )
    partner_ids = _users(
        [
            {
                "email": f"bench-partner-{u}-{p}@example.org",
                "name": f"Partner {u}-{p}",
                "role": Role.PARTNER,
            }
            for u in range(units)
            for p in range(2)
        ],
        staff.password_hash,
        now,
    )
    db.session.execute(
        insert(BusinessUnitPartner),
        [
            {"user_id": partner_ids[2 * u + p], "business_unit_id": unit_ids[u], "created_at": now}
            for u in range(units)
            for p in range(2)
        ],
    )
    startup_ids = list(
        db.session.scalars(
            insert(Startup).returning(Startup.id, sort_by_parameter_order=True),
            [
                {
                    "name": f"Startup {i:05d}",
                    "name_key": f"startup {i:05d}",
                    "sector": "Telecom & networks",
                    "country": "FR",
                    "description": "We make networks smarter.",
                    "source": "seed",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(startups)
            ],
        )
    )
    cohort_of = {sid: cohorts[0 if n % 4 else 1].id for n, sid in enumerate(startup_ids)}
    application_ids = list(
        db.session.scalars(
            insert(Application).returning(Application.id, sort_by_parameter_order=True),
            [
                {
                    "cohort_id": cohort_of[sid],
                    "startup_id": sid,
                    "status": ApplicationStatus.ENROLLED,
                    "submitted_at": now - timedelta(days=300),
                    "source": "seed",
                    "created_at": now,
                    "updated_at": now,
                }
                for sid in startup_ids
            ],
        )
    )
    db.session.execute(
        insert(Enrollment),
        [
            {"cohort_id": cohort_of[sid], "startup_id": sid, "application_id": app_id}
            for sid, app_id in zip(startup_ids, application_ids, strict=True)
        ],
    )
    intro_rows, pilot_specs = [], []
    for k in range(introductions):
        s, j = k % startups, k // startups
        sid, unit = startup_ids[s], (s + j) % units
        status = INTRO_CYCLE[k % len(INTRO_CYCLE)]
        asked = now - timedelta(days=30 + k % 120)
        intro_rows.append(intro_row(sid, unit_ids[unit], cohort_of[sid], status, asked))
        if status == "accepted":
            pilot_specs.append((k, sid, unit, asked))
    intro_ids = list(
        db.session.scalars(
            insert(Introduction).returning(Introduction.id, sort_by_parameter_order=True),
            intro_rows,
        )
    )
    pilot_rows = [
        _pilot(n, intro_ids[k], sid, unit_ids[unit], partner_ids[2 * unit], cohort_of[sid], asked)
        for n, (k, sid, unit, asked) in enumerate(pilot_specs)
    ]
    pilot_ids = list(
        db.session.scalars(
            insert(Pilot).returning(Pilot.id, sort_by_parameter_order=True), pilot_rows
        )
    )
    db.session.execute(
        insert(PilotCriterion),
        [
            {"pilot_id": pid, "position": n, "measure": f"Measure {n}", "target": f"Target {n}"}
            for pid in pilot_ids
            for n in (1, 2, 3)
        ],
    )
    db.session.commit()
    # The planner's statistics, as a live database has them (without, PostgreSQL plans the
    # report's joins as if the tables were empty: a nested loop over 10,000 introductions).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    busiest = max(range(units), key=lambda u: sum(1 for row in pilot_specs if row[2] == u))
    return {
        "staff": staff.get_id(),
        "partner": db.session.get(User, partner_ids[2 * busiest]).get_id(),
        "program": program.id,
        "cohort": cohorts[0].id,
        "unit": unit_ids[busiest],
        "pilots": len(pilot_ids),
    }


def unit_row(program_id: int, staff_id: int, i: int, now) -> dict:
    """Business unit number `i` of the program, led by `staff_id`, for a bulk insert."""
    from accelerator.core.text import name_key

    name = f"Orange Unité {i:02d}"
    return {
        "program_id": program_id,
        "name": name,
        "name_key": name_key(name),
        "country": "FR",
        "sponsor_name": "Claire Sponsor",
        "staff_lead_id": staff_id,
        "created_at": now,
    }


def intro_row(startup_id: int, unit_id: int, cohort_id: int, status: str, asked) -> dict:
    """An introduction asked by the startup at `asked`, in `status`, for a bulk insert."""
    return {
        "startup_id": startup_id,
        "business_unit_id": unit_id,
        "cohort_id": cohort_id,
        "asked_by_side": "startup",
        "reason": "They sell to the unit's enterprise customers.",
        "status": status,
        "created_at": asked,
        "forwarded_at": asked + timedelta(days=2) if status != "requested" else None,
        "answered_at": asked + timedelta(days=5) if status in ("accepted", "declined") else None,
        "answer_note": "Not now." if status in ("declined", "withdrawn") else None,
    }


def _pilot(n: int, intro_id, startup_id, unit_id, owner_id, cohort_id, asked) -> dict:
    """A pilot row in the n-th state of PILOT_CYCLE, obeying the table's CHECK constraints."""
    state = PILOT_CYCLE[n % len(PILOT_CYCLE)]
    created = asked + timedelta(days=6)
    starts = created.date() + timedelta(days=3)
    decision_on = starts + timedelta(days=10 if state == "overdue" else 75)
    status = {"overdue": "running", "go": "decided", "no_go": "decided"}.get(state, state)
    under_way = status in ("running", "decided", "closed") or (state == "stopped" and n % 2 == 1)
    decided = status in ("decided", "closed")
    go = state in ("go", "closed")
    return {
        "introduction_id": intro_id,
        "startup_id": startup_id,
        "business_unit_id": unit_id,
        "cohort_id": cohort_id,
        "title": f"Pilot {n:05d}",
        "scope_in": "Two regional agencies.",
        "budget_cents": 2_500_000,
        "currency": "EUR",
        "starts_on": starts,
        "ends_on": starts + timedelta(days=60),
        "decision_on": decision_on,
        "owner_id": owner_id,
        "status": status,
        "started_at": created + timedelta(days=3) if under_way else None,
        "decision": ("go" if go else "no_go") if decided else None,
        "decided_at": created + timedelta(days=40) if decided else None,
        "contract_value_cents": 12_000_000 if decided and go else None,
        "no_go_reason": "Not this year." if decided and not go else None,
        "lessons": "Start with one agency." if status == "closed" else None,
        "stop_reason": "The unit reorganised." if status == "stopped" else None,
        "closed_at": created + timedelta(days=50) if status in ("closed", "stopped") else None,
        "created_at": created,
        "updated_at": created,
    }


def _measure(app, ids: dict, role: str, path: str) -> dict:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = ids[role]
        session["_fresh"] = True
    url = path.format(**ids)
    with app.app_context():
        status = client.get(url).status_code  # warm up
        if status == 404:
            return {"status": 404}
        with count_statements() as statements:
            response = client.get(url)
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "statements": len(statements),
        "ms": round(statistics.median(times), 1),
    }


def measure() -> dict:
    sizes, pages = {}, {name: {"role": role, "path": path} for name, role, path in PAGES}
    for size, (units, startups, introductions) in SIZES.items():
        app = scratch_app()
        started = time.perf_counter()
        with app.app_context():
            ids = fill(units, startups, introductions)
            database = app.extensions["sqlalchemy"].engine.dialect.name
        sizes[size] = {
            "business_units": units,
            "startups": startups,
            "introductions": introductions,
            "pilots": ids["pilots"],
            "fill_s": round(time.perf_counter() - started, 1),
        }
        for name, role, path in PAGES:
            pages[name][size] = _measure(app, ids, role, path)
    for page in pages.values():
        counts = {page[s].get("statements") for s in SIZES if page[s]["status"] == 200}
        built = all(page[s]["status"] == 200 for s in SIZES)
        page["flat"] = built and len(counts) == 1
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": _code(),
        "database": database,
        "machine": f"{platform.machine()}, {_cpus()} CPUs",
        "sizes": sizes,
        "pages": pages,
    }


def _code() -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["git", "log", "-1", "--format=%h %s"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()[:100]
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


def _cell(found: dict) -> str:
    if found["status"] == 404:
        return "missing"
    if found["status"] != 200:
        return f"HTTP {found['status']}"
    return f"{found['statements']} statements, {found['ms']:.0f} ms"


def table(run: dict) -> list[str]:
    small, full = run["sizes"]["small"], run["sizes"]["full"]

    def size(s: dict) -> str:
        return (
            f"{s['business_units']} units, {s['startups']:,} startups, "
            f"{s['introductions']:,} introductions ({s['pilots']:,} pilots)"
        )

    lines = [
        f"| page | small: {size(small)} | full: {size(full)} | flat |",
        "|---|---|---|---|",
    ]
    for name, page in run["pages"].items():
        flat = "yes" if page["flat"] else ("—" if "missing" in _cell(page["full"]) else "NO")
        lines.append(f"| {name} | {_cell(page['small'])} | {_cell(page['full'])} | {flat} |")
    return lines


def run() -> list[str]:
    """For `python -m bench counts`: the table, not saved."""
    return table(measure())


def save(run: dict) -> None:
    """Under "pilots" in bench/results.json, one run per database; every stored run's table in
    docs/operations.md."""
    from bench import load

    stored = json.loads(load.RESULTS.read_text()) if load.RESULTS.exists() else {"runs": {}}
    stored.setdefault("pilots", {})[run["database"]] = run
    load.RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    text = load.OPERATIONS.read_text()
    if START not in text or END not in text:
        print("docs/operations.md has no bench-pilots markers; not written.", file=sys.stderr)
        return
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    section = [START]
    for kept in stored["pilots"].values():
        section += [
            f"Measured by `python -m bench pilots` on {kept['machine']}, {kept['database']}, "
            f"in-process (the Flask test client; median of {REPEAT} requests after a warm-up).",
            "",
            *table(kept),
            "",
            f"Run: {kept['code']} ({kept['when']})",
            "",
        ]
    load.OPERATIONS.write_text(head + "\n".join(section[:-1] + [END]) + tail)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pilots", description=__doc__)
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)
    run = measure()
    print("\n".join(table(run)))
    if not args.no_save:
        save(run)
        print("\nSaved to bench/results.json and docs/operations.md.")
    built = [p for p in run["pages"].values() if p["full"]["status"] != 404]
    return 0 if all(p["flat"] for p in built) else 1
