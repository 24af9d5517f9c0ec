"""Everything the tester panel adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.testers import cli, history, importing, panels, reminders

hooks.history.connect(history.SENTENCES, name="testers")
# Its navigation links are items of the staff's Sponsor menu: pilots/_nav.html includes
# testers/_nav.html (one item keeps the row on one line at 1,280 px in French).
hooks.home_staff.connect("testers/_home_staff.html", order=67, context=panels.staff_home)
hooks.home_founder.connect(
    "testers/_home_founder.html",
    order=57,
    context=panels.founder_home,
    reads=panels.FOUNDER_HOME_READS,
)
hooks.startup_staff.connect(
    "testers/_startup_staff.html",
    order=67,
    context=panels.startup_staff,
    reads=("test_campaigns", "test_invitations", "test_responses"),
)
hooks.cli_commands.connect(cli.cli)
hooks.jobs.connect(importing.IMPORT_JOB)
hooks.reminders.connect(reminders.remind_testers, name="testers.reminders")
