"""Everything the alumni domain adds to others (core/hooks.py)."""

from accelerator.alumni import history, panels, reminders
from accelerator.core import hooks

hooks.history.connect(history.SENTENCES, name="alumni")
hooks.nav_member.connect("alumni/_nav.html", order=75)
hooks.home_founder.connect("alumni/_home_founder.html", order=20, context=panels.founder_home)
hooks.startup_staff.connect("alumni/_startup_staff.html", order=70, context=panels.startup_staff)
hooks.reminders.connect(reminders.send_surveys, name="alumni.surveys")
