"""Applications at scale: the staff list's query count and time, export and a 10,000-row import."""

from __future__ import annotations

import io
import time

from sqlalchemy import insert, select

from bench._support import count_statements, scratch_app

SIZES = (100, 1_000, 10_000)


def _grow(cohort_id: int, start: int, stop: int) -> None:
    from accelerator.applications.models import Application, ApplicationStatus, Startup
    from accelerator.core.types import utcnow
    from accelerator.extensions import db

    now = utcnow()
    ids = db.session.scalars(
        insert(Startup).returning(Startup.id, sort_by_parameter_order=True),
        [
            {
                "name": f"Startup {i:06d}",
                "country": "FR",
                "sector": "Telecom & networks",
                "description": "",
                "source": "seed",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(start, stop)
        ],
    ).all()
    db.session.execute(
        insert(Application),
        [
            {
                "cohort_id": cohort_id,
                "startup_id": sid,
                "status": ApplicationStatus.SUBMITTED,
                "source": "seed",
                "submitted_at": now,
                "created_at": now,
                "updated_at": now,
                "problem": "p" * 200,
                "currency": "EUR",
            }
            for sid in ids
        ],
    )
    db.session.commit()


def run() -> list[str]:
    from werkzeug.datastructures import FileStorage

    from accelerator.applications import importing
    from accelerator.auth.models import Role, User
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort
    from tests import factories

    app = scratch_app()
    lines = []
    with app.app_context():
        staff = factories.make_user(role="staff")
        cohort = factories.make_cohort()
        db.session.commit()
        staff_token, cohort_id = staff.get_id(), cohort.id
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = staff_token
    done = 0
    for size in SIZES:
        with app.app_context():
            _grow(cohort_id, done, size)
        done = size
        for query in ("", "?sort=startup&q=startup 0", f"?cohort={cohort_id}&status=submitted"):
            with app.app_context(), count_statements() as statements:
                started = time.perf_counter()
                assert client.get(f"/applications{query}").status_code == 200
                elapsed = time.perf_counter() - started
            lines.append(
                f"list{query or ' (all)'} at {size:>6} applications: "
                f"{len(statements)} queries, {elapsed * 1000:.0f} ms"
            )
    started = time.perf_counter()
    response = client.get("/applications/export.xlsx")
    lines.append(
        f"xlsx export of {done} applications: {len(response.data) // 1024} KB in "
        f"{time.perf_counter() - started:.1f} s"
    )
    csv = "Startup name,Country,Monthly revenue,Contact email\n" + "".join(
        f"Import {i},FR,{i}.50,f{i}@example.org\n" for i in range(10_000)
    )
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.role == Role.STAFF))
        started = time.perf_counter()
        batch = importing.create_import(
            cohort=db.session.get(Cohort, cohort_id),
            actor=staff,
            upload=FileStorage(io.BytesIO(csv.encode()), filename="bench.csv"),
        )
        report = importing.run_import(batch, mapping=batch.mapping, mode="all", actor=staff)
        db.session.commit()
        lines.append(
            f"import of 10,000 CSV rows: {report.imported} imported in "
            f"{time.perf_counter() - started:.1f} s"
        )
    return lines
