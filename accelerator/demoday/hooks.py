"""Everything the demoday domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.demoday import history, panels, queries, reminders, services

hooks.history.connect(history.SENTENCES, name="demoday")
# The one demo-day date every page names: registry entries run in name order, so "demoday"
# is asked before "milestones" (its Demo day milestone) and wins when a demo day is planned.
hooks.demo_day.connect(queries.demo_day_date, name="demoday")
# Its navigation link is an item of the staff's Sponsor menu: pilots/_nav.html includes
# demoday/_nav.html (the row stays on one line at 1,280 px in French).
hooks.cohort_staff.connect(
    "demoday/_cohort_panel.html",
    order=70,
    context=panels.cohort_staff,
    reads=("demo_days", "demo_day_slots", "demo_day_guests"),
)
hooks.home_founder.connect(
    "demoday/_home_founder.html",
    order=45,
    context=panels.founder_home,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.home_founder.connect(
    "demoday/followup/_home_founder.html",
    order=58,
    context=panels.founder_interest,
    reads=panels.FOUNDER_INTEREST_READS,
)
hooks.cohort_staff.connect(
    "demoday/followup/_cohort_staff.html",
    order=72,
    context=panels.cohort_followup,
    reads=("demo_days", "demo_day_interests"),
)
hooks.reminders.connect(reminders.remind_guests, name="demoday.guests.reminders")


@hooks.enrollment_created.connect
def _give_slot(enrollment, *, actor=None, **_extra) -> None:
    """A startup enrolled once its cohort's demo day is planned gets the last slot."""
    services.slot_for_enrollment(enrollment, actor=actor)
