"""The mentoring domain: mentor profiles, the directory, matching, and (sessions side) office
hours, sessions and calendars."""

from flask import Blueprint

from accelerator.core.registry import contribute

bp = Blueprint("mentoring", __name__)

from accelerator.mentoring import panels, staff_views, views  # noqa: E402

contribute("nav.member", "mentoring/_nav.html", order=50, context=panels.nav)
contribute("home.mentor", "mentoring/_home_mentor.html", order=50, context=panels.mentor_home)
contribute("home.founder", "mentoring/_home_founder.html", order=50, context=panels.founder_home)
contribute("home.staff", "mentoring/_home_staff.html", order=50, context=panels.staff_home)
contribute("cohort.staff", "mentoring/_cohort_panel.html", order=50, context=panels.cohort_staff)

__all__ = ["bp", "staff_views", "views"]
