"""Everything the jobs domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.jobs import cli, history, panels, periodic  # noqa: F401  (periodic: its tasks)

hooks.home_staff.connect("jobs/_home_staff.html", order=95, context=panels.staff_home_panel)
hooks.history.connect(history.SENTENCES, name="jobs")
hooks.cli_commands.connect(cli.cli)
