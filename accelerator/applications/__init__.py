"""The applications domain."""

from flask import Blueprint

from accelerator.core.registry import contribute

bp = Blueprint("applications", __name__)

from accelerator.applications import (  # noqa: E402,F401
    history,  # noqa: E402,F401  (how its audit events read)
    panels,
    views,
)

contribute("nav.member", "applications/_nav.html", order=20)
contribute(
    "home.founder", "applications/_home_founder.html", order=10, context=panels.founder_panel
)
contribute("home.staff", "applications/_home_staff.html", order=20, context=panels.staff_panel)
contribute(
    "startup.staff",
    "applications/_startup_profile.html",
    order=10,
    context=panels.startup_staff_panel,
)
