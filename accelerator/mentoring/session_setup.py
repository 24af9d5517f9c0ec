"""The sessions side of mentoring plugs in here (imported once by the package __init__):
its routes, its at-risk rule, and its registry contributions (order 55-58)."""

from __future__ import annotations

from accelerator.core.registry import contribute
from accelerator.mentoring import calendar_views, engagement, hours_views, session_views

contribute("nav.member", "mentoring/sessions/_nav.html", order=56)
contribute(
    "home.mentor",
    "mentoring/sessions/_home_mentor.html",
    order=55,
    context=calendar_views.mentor_home_panel,
)
contribute(
    "home.founder",
    "mentoring/sessions/_home_founder.html",
    order=55,
    context=calendar_views.founder_home_panel,
)
contribute(
    "home.staff",
    "mentoring/sessions/_home_staff.html",
    order=55,
    context=calendar_views.staff_home_panel,
)
contribute(
    "cohort.staff",
    "mentoring/sessions/_cohort_panel.html",
    order=56,
    context=calendar_views.cohort_staff_panel,
)

__all__ = ["calendar_views", "engagement", "hours_views", "session_views"]
