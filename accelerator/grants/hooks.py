"""Everything the grants domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.grants import history, panels, services

hooks.nav_member.connect("grants/_nav.html", order=40)
hooks.home_staff.connect("grants/_home_staff.html", order=40, context=panels.staff_home_panel)
hooks.home_founder.connect(
    "grants/_home_founder.html",
    order=40,
    context=panels.founder_home_panel,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.cohort_staff.connect(
    "grants/_cohort_panel.html",
    order=40,
    context=panels.cohort_panel,
    reads=("enrollments", "grants", "disbursements"),
)
hooks.startup_staff.connect(
    "grants/_startup_ledger.html",
    order=40,
    context=panels.startup_staff_panel,
    reads=("enrollments", "grants", "disbursements", "cohorts", "programs", "users"),
)
hooks.history.connect(history.SENTENCES, name="grants")


@hooks.enrollment_created.connect
def _open_grant(enrollment, *, actor=None, **_extra) -> None:
    """Every enrolled startup gets its grant in the same transaction as its enrollment."""
    services.open_grant(enrollment)
