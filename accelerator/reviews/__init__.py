"""The reviews domain: reviewer assignment, conflicts, rubric reviews, ranking and decisions."""

from flask import Blueprint

from accelerator.core.registry import contribute

bp = Blueprint("reviews", __name__)

from accelerator.reviews import (  # noqa: E402,F401  (importing registers the routes)
    cli,
    decision_views,
    founder_views,
    history,  # noqa: E402,F401  (how its audit events read)
    panels,
    reviewer_views,
    staff_views,
)

contribute("nav.member", "reviews/_nav.html", order=30)
contribute("home.staff", "reviews/_home_staff.html", order=30, context=panels.staff_home_panel)
contribute(
    "home.mentor", "reviews/_home_reviewer.html", order=30, context=panels.reviewer_home_panel
)
contribute(
    "home.founder", "reviews/_home_founder.html", order=30, context=panels.founder_home_panel
)
contribute("cohort.staff", "reviews/_cohort_panel.html", order=30)
contribute("application.staff", "reviews/_application_panel.html", order=30)
contribute("application.founder", "reviews/_founder_offer.html", order=30)
contribute(
    "startup.staff",
    "reviews/_startup_applications.html",
    order=20,
    context=panels.startup_staff_panel,
)
