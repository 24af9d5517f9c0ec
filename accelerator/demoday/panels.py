"""The context functions of the cards the demoday domain adds to other pages (hooks.py)."""

from __future__ import annotations

from datetime import timedelta

from flask import g, has_request_context

from accelerator.applications.queries import founder_startup_id, timezone_of
from accelerator.core.cache import changes_at
from accelerator.core.types import utcnow
from accelerator.demoday import interest, queries, report
from accelerator.programs.queries import cohort_timezone

#: How many asks for an introduction the founder's home card lists.
INTEREST_ROWS = 5


def _demo_day_of(cohort_id: int):
    """The cohort's demo day, read once per request for the cards of the staff cohort page."""
    cache = g.setdefault("_demo_day_cards", {}) if has_request_context() else {}
    if cohort_id not in cache:
        cache[cohort_id] = queries.of_cohort(cohort_id)
    return cache[cohort_id]


def cohort_staff(cohort):
    """The cohort's demo day (when, published, seats) or the link to plan it."""
    return {"demo_day": _demo_day_of(cohort.id), "tz": timezone_of(cohort)}


def founder_home(user):
    """The founder's demo day: its date, their slot's time, the materials still missing;
    None without a demo day, or once it is more than a day past."""
    startup_id = founder_startup_id(user)
    if startup_id is None:
        return None
    found = queries.startup_slot(startup_id)
    if found is None:
        return None
    demo_day, slot = found
    gone_at = demo_day.starts_at + timedelta(days=1)  # the card stays a day after it
    if gone_at < utcnow():
        return None
    changes_at(gone_at)
    lines = queries.running_order(demo_day)
    return {
        "demo_day": demo_day,
        "line": queries.line_of(lines, slot.id),
        "tz": cohort_timezone(demo_day.cohort_id),
    }


def founder_interest(user):
    """The founder's home card: the latest asks for their startup; None when there are none."""
    startup_id = founder_startup_id(user)
    if startup_id is None:
        return None
    asked, introduced = interest.founder_counts(startup_id)
    if not asked:
        return None
    return {
        "rows": interest.founder_view(startup_id, limit=INTEREST_ROWS),
        "asked": asked,
        "introduced": introduced,
    }


def cohort_followup(cohort):
    """The staff cohort page's card: the door, the asks and the report of the cohort's demo
    day, with its figures; None when the cohort has no demo day (five statements)."""
    demo_day = _demo_day_of(cohort.id)
    if demo_day is None:
        return None
    return {"demo_day": demo_day, "report": report.build(demo_day)}


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = (
    "demo_days",
    "demo_day_slots",
    "startups",
    "partner_profiles",
    "enrollments",
    "applications",
    "cohorts",
    "programs",
)
#: What the founder home's card of asks for an introduction reads.
FOUNDER_INTEREST_READS = ("demo_day_interests", "demo_day_guests", "demo_days", "cohorts")
