"""What milestones add to pages it does not own: home panels, the staff cohort page, a startup."""

from __future__ import annotations

from accelerator.core.types import utcnow
from accelerator.mentoring.queries import mentored_startup_ids
from accelerator.milestones import queries
from accelerator.programs.queries import startup_enrollments


def cohort_panel(cohort):
    """On the staff cohort page: the startups at risk with their reasons, and what waits."""
    rows = queries.cohort_enrollments(cohort.id)
    if not rows:
        return {"rows": [], "at_risk": [], "flags": {}}
    flags = queries.cohort_flags(cohort.id, [s.id for _e, s in rows])
    at_risk = [(e, s) for e, s in rows if flags.get(s.id)]
    return {"rows": rows, "at_risk": at_risk, "flags": flags}


def staff_home_panel(user):
    """At-risk startups of the running cohorts and milestones waiting for review."""
    cohorts = queries.running_cohorts(utcnow().date())
    risky = []
    for cohort in cohorts:
        rows = queries.cohort_enrollments(cohort.id)
        flags = queries.cohort_flags(cohort.id, [s.id for _e, s in rows])
        risky += [(cohort, e, s, flags[s.id]) for e, s in rows if flags.get(s.id)]
    review, review_count = queries.to_review()
    if not risky and not review_count and not cohorts:
        return None
    return {"risky": risky, "review": review, "review_count": review_count, "cohorts": cohorts}


def founder_home_panel(user):
    enrollments = queries.founder_enrollments(user)
    if not enrollments:
        return None
    progress = queries.progress_of(enrollments[0])
    enrollment_id = progress.enrollment.id
    upcoming = [m for m in queries.milestones_of([enrollment_id])[enrollment_id] if m.still_due]
    current = progress.current_period
    done = current is not None and bool(
        queries.reported_periods([enrollment_id], [current.starts_on])
    )
    return {"p": progress, "upcoming": upcoming[:3], "current": current, "done": done}


def mentor_home_panel(user):
    startup_ids = mentored_startup_ids(user)
    if not startup_ids:
        return None
    rows = queries.enrollments_of_startups(startup_ids)
    return {"mentored": rows} if rows else None


def startup_panel(startup):
    """On a staff startup page: links to its progress in each cohort."""
    ids = sorted(row.id for row in startup_enrollments(startup.id))  # read once per request
    return {"enrollment_ids": ids} if ids else None


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = (
    "milestones",
    "checkins",
    "checkin_schedules",
    "enrollments",
    "cohorts",
    "programs",
    "startups",
)
