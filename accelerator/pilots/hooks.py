"""Everything the pilots domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.pilots import history, panels, purgatory, queries, services

hooks.history.connect(history.SENTENCES, name="pilots")
hooks.nav_member.connect("pilots/_nav.html", order=70)
hooks.home_staff.connect("pilots/_home_staff.html", order=65, context=panels.staff_home)
hooks.cohort_staff.connect(
    "pilots/_cohort_panel.html",
    order=65,
    context=panels.cohort_staff,
    reads=("business_units", "pilots", "introductions", "startups", "programs"),
)
hooks.startup_staff.connect(
    "pilots/_startup_staff.html",
    order=65,
    context=panels.startup_staff,
    reads=("pilots", "introductions", "business_units"),
)
hooks.home_founder.connect(
    "pilots/_home_founder.html",
    order=55,
    context=panels.founder_home,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.home_partner.connect("pilots/_home_partner.html", order=10, context=panels.partner_home)
hooks.risk_rules.connect(purgatory.overdue_decisions, name="pilot_overdue_for_decision")
hooks.reminders.connect(purgatory.overdue_reminders, name="pilots.overdue_for_decision")
hooks.checkin_figures.connect(
    lambda startup_id, cohort_id: {"pilots": queries.pilot_counts(startup_id, cohort_id)},
    name="pilots",
)


@hooks.invitation_accepted.connect
def _join_unit(invitation, *, user, **_extra) -> None:
    """An invited partner joins the unit staff invited them to, in the same transaction."""
    services.join_invited_unit(invitation, user)
