"""Everything the tester panel adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.testers import cli, history, importing, panels, reminders

hooks.history.connect(history.SENTENCES, name="testers")
hooks.nav_member.connect("testers/_nav.html", order=75)
hooks.home_staff.connect("testers/_home_staff.html", order=67, context=panels.staff_home)
hooks.home_founder.connect("testers/_home_founder.html", order=57, context=panels.founder_home)
hooks.startup_staff.connect("testers/_startup_staff.html", order=67, context=panels.startup_staff)
hooks.cli_commands.connect(cli.cli)
hooks.jobs.connect(importing.IMPORT_JOB)
hooks.reminders.connect(reminders.remind_testers, name="testers.reminders")
