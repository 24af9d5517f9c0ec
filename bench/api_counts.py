"""/api/v1 lists at scale: each list's SQL statement count stays flat from 100 to 10,000
applications, for staff and for the founder, mentor and partner whose rows they are.

Fills a scratch database (BENCH_DATABASE_URL, else a temporary SQLite file) at 100, 1,000 and
10,000 applications in a running cohort, a tenth of them enrolled, each enrollment with 5
milestones, 3 check-ins, a mentor match and 2 sessions, an introduction and its pilot with the
partner's business unit, a test campaign; the demo day has a guest per enrollment. Every GET list
of the OpenAPI document (whatever resource groups exist) is asked with `limit=200`, once to warm
up and once counted, with each role's token.

`python -m bench counts api_counts` prints the table and saves it to bench/results.json
("api_counts", one run per database) and docs/operations.md; BENCH_NO_SAVE=1 only prints.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bench._support import count_statements, scratch_app

SIZES = tuple(int(s) for s in os.environ.get("BENCH_API_SIZES", "100,1000,10000").split(","))
ROLES = ("staff", "founder", "mentor", "partner")
START, END = "<!-- bench-api:start -->", "<!-- bench-api:end -->"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def _ids(model, rows: list[dict]) -> list[int]:
    from accelerator.extensions import db

    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _grow(world: dict, start: int, stop: int) -> None:
    """Applications start..stop, a tenth enrolled with everything the API lists."""
    from accelerator.applications.models import Application, StartupMember
    from accelerator.demoday.models import Guest
    from accelerator.extensions import db
    from accelerator.grants.models import Disbursement, Grant
    from accelerator.mentoring.models import Match
    from accelerator.milestones.models import CheckIn, Milestone
    from accelerator.pilots.models import Introduction, Pilot
    from accelerator.programs.models import Enrollment
    from accelerator.sessions.models import MentorSession
    from accelerator.testers.models import Campaign
    from bench.applications import _grow as grow_applications

    grow_applications(world["cohort"], start, stop)
    now = datetime.now(UTC)
    applications = db.session.execute(
        select(Application.id, Application.startup_id)
        .where(Application.cohort_id == world["cohort"])
        .order_by(Application.id)
        .offset(start)
    ).all()
    enrolled = applications[::10]
    cohort, starts_on = world["cohort"], world["starts_on"]
    enrollments = _ids(
        Enrollment,
        [{"cohort_id": cohort, "startup_id": s, "application_id": a} for a, s in enrolled],
    )
    startups = [s for _a, s in enrolled]
    _reviews(world, [a for a, _s in applications], now)
    grants = _ids(
        Grant,
        [{"enrollment_id": e, "amount_cents": 2_000_000, "currency": "USD"} for e in enrollments],
    )
    _ids(
        Disbursement,
        [
            {
                "grant_id": g,
                "tranche_key": "kickoff",
                "amount_cents": 500_000,
                "idempotency_key": f"bench-{g}",
                "requested_by_id": world["staff"],
                "requested_at": now,
            }
            for g in grants
        ],
    )
    if start == 0:  # the founder's startup, the first enrolled
        db.session.add(StartupMember(startup_id=startups[0], user_id=world["founder"]))
    _ids(
        Milestone,
        [
            {"enrollment_id": e, "title": f"Milestone {k}", "due_on": starts_on + timedelta(30 * k)}
            for e in enrollments
            for k in range(5)
        ],
    )
    _ids(
        CheckIn,
        [
            {
                "enrollment_id": e,
                "period_on": starts_on + timedelta(days=7 * k),
                "health": "green",
                "currency": "EUR",
                "submitted_by_id": world["founder"],
            }
            for e in enrollments
            for k in range(3)
        ],
    )
    matches = _ids(
        Match,
        [
            {
                "cohort_id": cohort,
                "startup_id": s,
                "mentor_id": world["mentor"],
                "status": "accepted",
                "confirmed_at": now,
                "responded_at": now,
            }
            for s in startups
        ],
    )
    _ids(
        MentorSession,
        [
            {
                "match_id": m,
                "cohort_id": cohort,
                "mentor_id": world["mentor"],
                "startup_id": s,
                "starts_at": now - timedelta(days=k + 1),
                "duration_minutes": 45,
                "format": "video",
                "summary": "Shared summary",
                "private_notes": "Private",
                "logged_by_id": world["mentor"],
                "confirmed_at": now,
            }
            for m, s in zip(matches, startups, strict=True)
            for k in range(2)
        ],
    )
    unit = world["unit"]
    introductions = _ids(
        Introduction,
        [
            {
                "startup_id": s,
                "business_unit_id": unit,
                "cohort_id": cohort,
                "asked_by_side": "startup",
                "reason": "Bench",
                "status": "accepted",
                "forwarded_at": now,
                "answered_at": now,
            }
            for s in startups
        ],
    )
    _ids(
        Pilot,
        [
            {
                "introduction_id": i,
                "startup_id": s,
                "business_unit_id": unit,
                "cohort_id": cohort,
                "title": "Bench pilot",
                "budget_cents": 1_000_000,
            }
            for i, s in zip(introductions, startups, strict=True)
        ],
    )
    _ids(
        Campaign,
        [
            {
                "startup_id": s,
                "cohort_id": cohort,
                "title": "Bench campaign",
                "responses_wanted": 20,
                "opens_on": starts_on,
                "closes_on": starts_on + timedelta(days=14),
            }
            for s in startups
        ],
    )
    _ids(
        Guest,
        [
            {"demo_day_id": world["demo_day"], "name": f"Guest {i}", "email": f"g{i}@x.example"}
            for i in range(start, stop, 10)
        ],
    )
    db.session.commit()


def _reviews(world: dict, application_ids: list[int], now) -> None:
    """One review of each application by the staff reviewer (with its assignment)."""
    from accelerator.reviews.models import Review, ReviewAssignment

    reviewer = world["staff"]
    assignments = _ids(
        ReviewAssignment,
        [{"application_id": a, "reviewer_id": reviewer} for a in application_ids],
    )
    _ids(
        Review,
        [
            {
                "assignment_id": assignment,
                "application_id": a,
                "reviewer_id": reviewer,
                "recommendation": "maybe",
                "confidence": "medium",
                "weighted_score": 3.0,
                "submitted_at": now,
            }
            for assignment, a in zip(assignments, application_ids, strict=True)
        ],
    )


def _world() -> dict:
    from accelerator.extensions import db
    from accelerator.pilots.models import BusinessUnitPartner
    from tests import factories

    users = {role: factories.make_user(role=role) for role in ROLES}
    cohort = factories.make_cohort(phase="running")
    unit = factories.make_unit(cohort=cohort)
    db.session.add(BusinessUnitPartner(user_id=users["partner"].id, business_unit_id=unit.id))
    demo_day = factories.make_demo_day(cohort)
    tokens = {role: factories.bearer(user) for role, user in users.items()}
    db.session.commit()
    return {
        "cohort": cohort.id,
        "starts_on": cohort.starts_on,
        "unit": unit.id,
        "demo_day": demo_day.id,
        "founder": users["founder"].id,
        "staff": users["staff"].id,
        "mentor": users["mentor"].id,
        "tokens": tokens,
    }


def measure() -> dict:
    from accelerator.extensions import db

    app = scratch_app()
    client = app.test_client()
    with app.app_context():
        world = _world()
    document = client.get("/api/v1/openapi.json").get_json()
    lists = sorted(p for p, ops in document["paths"].items() if "{" not in p and "get" in ops)
    lists = [p for p in lists if not p.endswith("openapi.json")]
    counts: dict[str, dict[str, list]] = {p: {r: [] for r in ROLES} for p in lists}
    done, fills = 0, {}
    for size in SIZES:
        started = time.perf_counter()
        with app.app_context():
            _grow(world, done, size)
        fills[size] = round(time.perf_counter() - started, 1)
        done = size
        for path in lists:
            for role in ROLES:
                headers = world["tokens"][role]
                client.get(path + "?limit=200", headers=headers)  # warm-up: the token's use
                with app.app_context(), count_statements() as statements:
                    response = client.get(path + "?limit=200", headers=headers)
                items = len(response.get_json().get("items", [])) if response.is_json else 0
                counts[path][role].append((response.status_code, len(statements), items))
    with app.app_context():
        database = db.engine.dialect.name
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": _commit(),
        "database": database,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "sizes": list(SIZES),
        "fill_s": fills,
        "lists": counts,
        "flat": all(
            len({c for _s, c, _n in by_role}) == 1
            for roles in counts.values()
            for by_role in roles.values()
        ),
    }


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "log", "-1", "--format=%h %s"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()[:100]
    except (OSError, subprocess.CalledProcessError):
        return ""


def table(run: dict) -> list[str]:
    sizes = " / ".join(f"{s:,}" for s in run["sizes"])
    lines = [
        f"| list (`?limit=200`) | {' | '.join(ROLES)} |",
        "|---|" + "---|" * len(ROLES),
    ]
    for path, by_role in run["lists"].items():
        cells = []
        for role in ROLES:
            seen = by_role[role]
            statuses = {s for s, _c, _n in seen}
            counts = [c for _s, c, _n in seen]
            if statuses != {200}:
                cells.append(f"{'/'.join(str(s) for s in sorted(statuses))}: {counts[-1]}")
            else:
                mark = "" if len(set(counts)) == 1 else f" ✗ {counts}"
                cells.append(f"{counts[-1]} ({seen[-1][2]} rows){mark}")
        lines.append(f"| `{path.removeprefix('/api/v1')}` | {' | '.join(cells)} |")
    lines += [
        "",
        f"Statements per request at {sizes} applications (the same at each size unless marked ✗);"
        " the rows of the last page counted in brackets; a refusal shows its status.",
    ]
    return lines


def save(run: dict) -> None:
    from bench import load

    stored = json.loads(load.RESULTS.read_text()) if load.RESULTS.exists() else {"runs": {}}
    stored.setdefault("api_counts", {})[run["database"]] = run
    load.RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
    text = DOCS.read_text()
    if START not in text or END not in text:
        print("docs/operations.md has no bench-api markers; not written.", file=sys.stderr)
        return
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    section = [START]
    for kept in stored["api_counts"].values():
        section += [
            f"Measured by `python -m bench counts api_counts` on {kept['machine']}, "
            f"{kept['database']}, in-process ({kept['when']}).",
            "",
            *table(kept),
            "",
        ]
    DOCS.write_text(head + "\n".join(section) + END + tail)


def run() -> list[str]:
    result = measure()
    if not os.environ.get("BENCH_NO_SAVE"):
        save(result)
    fills = ", ".join(f"{s:,}: {t} s" for s, t in result["fill_s"].items())
    return [*table(result), f"fill times: {fills}", "flat" if result["flat"] else "NOT FLAT"]
