"""Everything the api domain adds to others (core/hooks.py)."""

from accelerator.api import cli, history
from accelerator.core import hooks

hooks.history.connect(history.SENTENCES, name="api")
hooks.nav_account.connect("api/_nav_account.html", order=10)
hooks.cli_commands.connect(cli.cli)
