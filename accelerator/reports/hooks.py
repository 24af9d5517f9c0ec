"""Everything the reports domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.reports import cli, history, panels

hooks.history.connect(history.SENTENCES, name="reports")

hooks.nav_member.connect("reports/_nav.html", order=80)
hooks.nav_public.connect("reports/_nav_public.html", order=80)
hooks.cohort_staff.connect(
    "reports/_cohort_link.html",
    order=5,
    context=panels.cohort_link,
    reads=("enrollments",),
)
hooks.home_staff.connect("reports/_home_staff.html", order=5, context=panels.staff_home_panel)
hooks.home_mentor.connect("reports/_home_mentor.html", order=52, context=panels.mentor_home_panel)
hooks.home_founder.connect(
    "reports/_home_founder.html",
    order=57,
    context=panels.founder_home_panel,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.startup_staff.connect(
    "reports/_startup_mentoring.html",
    order=55,
    context=panels.startup_mentoring,
    reads=("mentor_matches", "users", "cohorts", "mentor_sessions", "mentor_action_items"),
)
hooks.startup_staff.connect(
    "reports/_startup_progress.html",
    order=62,
    context=panels.startup_progress,
    reads=("checkins", "enrollments", "cohorts", "programs"),
)
hooks.startup_staff.connect(
    "reports/_startup_history.html",
    order=90,
    context=panels.startup_history,
    reads=("audit_events", "users"),
)
hooks.cli_commands.connect(cli.cli)
