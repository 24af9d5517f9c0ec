"""Everything the sessions domain adds to others (core/hooks.py): after mentoring's cards."""

from accelerator.core import hooks
from accelerator.sessions import engagement, history, panels

hooks.nav_member.connect("sessions/_nav.html", order=56)
hooks.home_mentor.connect("sessions/_home_mentor.html", order=55, context=panels.mentor_home)
hooks.home_founder.connect(
    "sessions/_home_founder.html",
    order=55,
    context=panels.founder_home,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.home_staff.connect("sessions/_home_staff.html", order=55, context=panels.staff_home)
hooks.cohort_staff.connect(
    "sessions/_cohort_panel.html",
    order=56,
    context=panels.cohort_staff,
    reads=("mentor_sessions", "mentor_matches", "users", "startups"),
)
hooks.risk_rules.connect(engagement.mentor_red_flag, name="mentor_red_flag")
hooks.history.connect(history.SENTENCES, name="sessions")
