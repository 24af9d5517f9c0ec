"""Everything the alumni domain adds to others (core/hooks.py)."""

from accelerator.alumni import history, panels, reminders
from accelerator.core import hooks

hooks.history.connect(history.SENTENCES, name="alumni")
# Its navigation link is an item of the staff's Sponsor menu: pilots/_nav.html includes
# alumni/_nav.html (the row stays on one line at 1,280 px in French).
hooks.home_founder.connect(
    "alumni/_home_founder.html",
    order=20,
    context=panels.founder_home,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.startup_staff.connect(
    "alumni/_startup_staff.html",
    order=70,
    context=panels.startup_staff,
    reads=("alumni", "alumni_surveys"),
)
hooks.reminders.connect(reminders.send_surveys, name="alumni.surveys")
