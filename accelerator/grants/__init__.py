"""The grants domain: grants per enrollment and their disbursement ledger."""

from flask import Blueprint

from accelerator.core.registry import contribute
from accelerator.core.signals import enrollment_created

bp = Blueprint("grants", __name__)

from accelerator.grants import (  # noqa: E402
    export_views,
    history,  # noqa: E402,F401  (how its audit events read)
    ledger_views,
    services,
    views,
)

contribute("nav.member", "grants/_nav.html", order=40)
contribute("home.staff", "grants/_home_staff.html", order=40, context=views.staff_home_panel)
contribute("home.founder", "grants/_home_founder.html", order=40, context=views.founder_home_panel)
contribute("cohort.staff", "grants/_cohort_panel.html", order=40)


@enrollment_created.connect
def _open_grant(enrollment, *, actor=None, **_extra) -> None:
    """Every enrolled startup gets its grant in the same transaction as its enrollment."""
    services.open_grant(enrollment)


contribute(
    "startup.staff", "grants/_startup_ledger.html", order=40, context=views.startup_staff_panel
)

__all__ = ["bp", "export_views", "ledger_views", "views"]
