"""Everything the mentoring domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.mentoring import calendar_views, engagement, history, panels

hooks.nav_member.connect("mentoring/_nav.html", order=50, context=panels.nav)
hooks.home_mentor.connect("mentoring/_home_mentor.html", order=50, context=panels.mentor_home)
hooks.home_founder.connect("mentoring/_home_founder.html", order=50, context=panels.founder_home)
hooks.home_staff.connect("mentoring/_home_staff.html", order=50, context=panels.staff_home)
hooks.cohort_staff.connect("mentoring/_cohort_panel.html", order=50, context=panels.cohort_staff)
hooks.history.connect(history.SENTENCES, name="mentoring")

# The sessions side (order 55-58).
hooks.nav_member.connect("mentoring/sessions/_nav.html", order=56)
hooks.home_mentor.connect(
    "mentoring/sessions/_home_mentor.html", order=55, context=calendar_views.mentor_home_panel
)
hooks.home_founder.connect(
    "mentoring/sessions/_home_founder.html", order=55, context=calendar_views.founder_home_panel
)
hooks.home_staff.connect(
    "mentoring/sessions/_home_staff.html", order=55, context=calendar_views.staff_home_panel
)
hooks.cohort_staff.connect(
    "mentoring/sessions/_cohort_panel.html", order=56, context=calendar_views.cohort_staff_panel
)
hooks.risk_rules.connect(engagement.mentor_red_flag, name="mentor_red_flag")
