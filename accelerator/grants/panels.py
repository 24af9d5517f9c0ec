"""What grants add to pages it does not own: home cards, the staff cohort and startup pages."""

from __future__ import annotations

from accelerator.grants import queries


def staff_home_panel(user):
    """Requests the user may approve, and how many approved ones wait for payment."""
    waiting = queries.awaiting_approval_by(user)
    approved = queries.approved_unpaid_count()
    if not waiting and not approved:
        return None
    return {
        "waiting": waiting[:8],
        "waiting_count": len(waiting),
        "approved_count": approved,
        "grant_contexts": queries.load_contexts(row.grant_id for row in waiting[:8]),
    }


def founder_home_panel(user):
    contexts = queries.founder_grants(user)
    if not contexts:
        return None
    return {"grant_ledgers": [(c, queries.ledger_of(c, people=False)) for c in contexts[:2]]}


def cohort_panel(cohort):
    """On the staff cohort page: the money of the cohort's grants."""
    return {"money": queries.cohort_totals(cohort.id)}


def startup_staff_panel(startup):
    """On the staff startup page: each grant of the startup with its ledger (totals and
    tranches: the panel names nobody, so the people on the rows are not loaded)."""
    contexts = queries.startup_grants(startup.id)
    if not contexts:
        return None
    return {"ledgers": [(c, queries.ledger_of(c, people=False)) for c in contexts]}


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = (
    "grants",
    "disbursements",
    "enrollments",
    "cohorts",
    "programs",
    "startups",
    "startup_members",
)
