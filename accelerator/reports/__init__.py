"""The reports domain: dashboards and exports that read every other domain (the top layer).

No domain imports this package; it reads theirs. Pages: the program overview, the cohort
dashboard, the staff startup page (assembled from the `startup.staff` sections each domain
registers), JSON for the charts, CSV/XLSX reports and `flask report ...`.
"""

from flask import Blueprint

from accelerator.core.registry import contribute

bp = Blueprint("reports", __name__, cli_group="report")

from accelerator.reports import chart_views, cli, panels, views  # noqa: E402

contribute("nav.member", "reports/_nav.html", order=80)
contribute("cohort.staff", "reports/_cohort_link.html", order=5, context=panels.cohort_link)
contribute("home.staff", "reports/_home_staff.html", order=5, context=panels.staff_home_panel)
contribute("home.mentor", "reports/_home_mentor.html", order=52, context=panels.mentor_home_panel)
contribute(
    "home.founder", "reports/_home_founder.html", order=57, context=panels.founder_home_panel
)
contribute(
    "startup.staff", "reports/_startup_mentoring.html", order=55, context=panels.startup_mentoring
)
contribute(
    "startup.staff", "reports/_startup_progress.html", order=62, context=panels.startup_progress
)
contribute(
    "startup.staff", "reports/_startup_history.html", order=90, context=panels.startup_history
)

__all__ = ["bp", "chart_views", "cli", "panels", "views"]
