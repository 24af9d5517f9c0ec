"""The reports domain: dashboards and exports that read every other domain (the top layer).

No domain imports this package; it reads theirs. Pages: the program overview, the cohort
dashboard, the staff startup page (assembled from the `startup.staff` sections each domain
connects), the pilots with business units report, JSON for the charts, CSV/XLSX reports and
`flask report ...`.
"""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from accelerator.reports import (  # noqa: E402,F401  (routes, hooks)
    chart_views,
    hooks,
    impact_views,
    pilot_views,
    transparency_views,
    views,
)
