"""Grant pages at scale: SQL statements per page must stay flat as grants and ledger rows grow.

Builds cohorts of enrolled startups with paid, approved and requested disbursements, then
counts the statements of the staff list, one grant page, the staff home page and the export.
"""

from __future__ import annotations

import time
from datetime import date

from bench._support import count_statements, scratch_app
from tests import factories

SIZES = (10, 100, 300)
PAGES = {
    "grant list": "/grants/",
    "grant page": "/grants/{grant}",
    "founder view": "/grants/{grant}",
    "staff home": "/",
    "export csv": "/grants/export?format=csv",
}


def _build(app, grants: int) -> dict:
    from accelerator.extensions import db

    with app.app_context():
        staff = [factories.make_user(role="staff") for _ in range(2)]
        cohort = factories.make_cohort(phase="running")
        founder = None
        first = None
        for i in range(grants):
            founder_i = factories.make_user(role="founder")
            grant = factories.make_grant(cohort=cohort, founders=[founder_i])
            first = first or grant
            founder = founder or founder_i
            factories.make_disbursement(
                grant,
                amount_cents=1_000_000,
                status="paid",
                requester=staff[0],
                approver=staff[1],
                paid_on=date.today(),
            )
            factories.make_disbursement(
                grant,
                amount_cents=250_000,
                status="approved",
                tranche="midpoint",
                requester=staff[0],
                approver=staff[1],
            )
            factories.make_disbursement(
                grant, amount_cents=(i % 5 + 1) * 10_000, tranche="demo_day", requester=staff[1]
            )
        db.session.commit()
        return {"staff": staff[0].get_id(), "founder": founder.get_id(), "grant": first.id}


def _measure(app, ids: dict, name: str, url: str) -> tuple[int, float]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = ids["founder" if name == "founder view" else "staff"]
        session["_fresh"] = True
    with app.app_context(), count_statements() as statements:
        started = time.perf_counter()
        response = client.get(url.format(**ids))
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), elapsed


def run() -> list[str]:
    lines = []
    for size in SIZES:
        app = scratch_app()
        ids = _build(app, size)
        for name, url in PAGES.items():
            count, elapsed = _measure(app, ids, name, url)
            lines.append(
                f"{size:>4} grants  {name:<13} {count:>3} statements  {elapsed * 1000:7.1f} ms"
            )
    return lines
