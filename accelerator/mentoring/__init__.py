"""The mentoring domain: mentor profiles, the directory, matching, and (sessions side) office
hours, sessions and calendars."""

from flask import Blueprint

from accelerator.core.registry import contribute
from accelerator.core.relations import mentor_startups

bp = Blueprint("mentoring", __name__)

from accelerator.mentoring import (  # noqa: E402
    history,  # noqa: E402,F401  (how its audit events read)
    panels,
    queries,
    staff_views,
    views,
)

contribute("nav.member", "mentoring/_nav.html", order=50, context=panels.nav)
contribute("home.mentor", "mentoring/_home_mentor.html", order=50, context=panels.mentor_home)
contribute("home.founder", "mentoring/_home_founder.html", order=50, context=panels.founder_home)
contribute("home.staff", "mentoring/_home_staff.html", order=50, context=panels.staff_home)
contribute("cohort.staff", "mentoring/_cohort_panel.html", order=50, context=panels.cohort_staff)

# The sessions side registers its routes, panels (order 55-56) and at-risk rule itself.
from accelerator.mentoring import session_setup  # noqa: E402, F401

# A matched mentor follows the startup (milestones lets them read its check-ins).
mentor_startups(queries.matched_startup_ids)

__all__ = ["bp", "staff_views", "views"]
