"""The milestones domain: milestone plans, milestones, check-ins, reminders and at-risk rules."""

from flask import Blueprint

from accelerator.core.registry import contribute
from accelerator.core.signals import enrollment_created

bp = Blueprint("milestones", __name__)

from accelerator.milestones import (  # noqa: E402  (importing registers routes, rules, senders)
    cohort_views,
    founder_views,
    history,  # noqa: E402,F401  (how its audit events read)
    panels,
    plans,
    reminders,
    risk_rules,
    staff_views,
    views,
)

contribute("nav.member", "milestones/_nav.html", order=60)
contribute("home.staff", "milestones/_home_staff.html", order=60, context=panels.staff_home_panel)
contribute(
    "home.founder", "milestones/_home_founder.html", order=60, context=panels.founder_home_panel
)
contribute(
    "home.mentor", "milestones/_home_mentor.html", order=60, context=panels.mentor_home_panel
)
contribute("cohort.staff", "milestones/_cohort_panel.html", order=60, context=panels.cohort_panel)
contribute(
    "startup.staff", "milestones/_startup_panel.html", order=60, context=panels.startup_panel
)


@enrollment_created.connect
def _create_milestones(enrollment, *, actor=None, **_extra) -> None:
    """Every enrolled startup gets its milestones from the cohort's plan, in the same
    transaction as its enrollment (the default plan when staff set none)."""
    plans.on_enrollment(enrollment, actor=actor)


__all__ = [
    "bp",
    "cohort_views",
    "founder_views",
    "reminders",
    "risk_rules",
    "staff_views",
    "views",
]
