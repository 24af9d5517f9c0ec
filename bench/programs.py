"""Query counts of the programs pages (public calls, staff cohort list) as cohorts multiply."""

from __future__ import annotations

from datetime import timedelta

from accelerator.auth.models import Role, User
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, Program
from bench._support import count_statements, scratch_app

PAGES = ("/calls", "/cohorts", "/programs")


def _add(programs: int, start: int) -> None:
    now, day = utcnow(), timedelta(days=1)
    for p in range(start, start + programs):
        program = Program(name=f"Bench program {p}", location="Paris", timezone="Europe/Paris")
        db.session.add(program)
        db.session.flush()
        for offset in (-300, -100, -10, 20):  # completed, running, open, upcoming
            opens = now + offset * day
            db.session.add(
                Cohort(
                    program_id=program.id,
                    name=f"Cohort {offset}",
                    state=CohortState.PUBLISHED,
                    applications_open_at=opens,
                    applications_close_at=opens + 30 * day,
                    starts_on=(opens + 60 * day).date(),
                    ends_on=(opens + 150 * day).date(),
                )
            )
    db.session.commit()


def run() -> list[str]:
    app = scratch_app()
    lines = []
    with app.app_context():
        staff = User(email="bench-staff@example.com", name="Bench", role=Role.STAFF)
        staff.set_password("bench password")
        db.session.add(staff)
        db.session.commit()
        token = staff.get_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = token
        seen: dict[str, list[int]] = {page: [] for page in PAGES}
        total = 0
        for programs in (5, 50, 250):
            _add(programs - total, total)
            total = programs
            for page in PAGES:
                with count_statements() as statements:
                    assert client.get(page).status_code == 200
                seen[page].append(len(statements))
        for page, counts in seen.items():
            flat = "flat" if len(set(counts)) == 1 else "GROWS"
            lines.append(f"{page}: {counts} queries at 5/50/250 programs x 4 cohorts ({flat})")
    return lines
