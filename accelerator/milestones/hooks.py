"""Everything the milestones domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.milestones import history, panels, plans, queries, reminders, risk_rules

hooks.nav_member.connect("milestones/_nav.html", order=60)
hooks.home_staff.connect("milestones/_home_staff.html", order=60, context=panels.staff_home_panel)
hooks.home_founder.connect(
    "milestones/_home_founder.html",
    order=60,
    context=panels.founder_home_panel,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.home_mentor.connect(
    "milestones/_home_mentor.html", order=60, context=panels.mentor_home_panel
)
hooks.cohort_staff.connect(
    "milestones/_cohort_panel.html",
    order=60,
    context=panels.cohort_panel,
    reads=("startups", "checkin_schedules", *queries.RISK_READS),
)
hooks.startup_staff.connect(
    "milestones/_startup_panel.html",
    order=60,
    context=panels.startup_panel,
    reads=("enrollments", "milestones", "checkins", "cohorts", "programs"),
)
hooks.history.connect(history.SENTENCES, name="milestones")
hooks.demo_day.connect(plans.demo_day_due, name="milestones")
hooks.reminders.connect(reminders.send_due, name="milestones")
hooks.risk_rules.connect(risk_rules.missed_checkins, name="missed_checkins")
hooks.risk_rules.connect(risk_rules.reported_red, name="reported_red")
hooks.risk_rules.connect(risk_rules.overdue_milestone, name="overdue_milestone")
hooks.risk_rules.connect(risk_rules.flat_kpis, name="flat_kpis")


@hooks.enrollment_created.connect
def _create_milestones(enrollment, *, actor=None, **_extra) -> None:
    """Every enrolled startup gets its milestones from the cohort's plan, in the same
    transaction as its enrollment (the default plan when staff set none)."""
    plans.on_enrollment(enrollment, actor=actor)
