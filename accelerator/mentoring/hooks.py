"""Everything the mentoring domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.mentoring import history, panels, services

hooks.nav_member.connect("mentoring/_nav.html", order=50, context=panels.nav)
hooks.home_mentor.connect("mentoring/_home_mentor.html", order=50, context=panels.mentor_home)
hooks.home_founder.connect(
    "mentoring/_home_founder.html",
    order=50,
    context=panels.founder_home,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.home_staff.connect("mentoring/_home_staff.html", order=50, context=panels.staff_home)
hooks.cohort_staff.connect(
    "mentoring/_cohort_panel.html",
    order=50,
    context=panels.cohort_staff,
    reads=("mentor_matches", "users", "startups", "enrollments"),
)
hooks.history.connect(history.SENTENCES, name="mentoring")
hooks.jobs.connect(services.MATCHING_JOB)
