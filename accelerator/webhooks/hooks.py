"""Everything the webhooks domain adds to others (core/hooks.py): the staff link, its history
sentences, `flask webhooks`, and the deliveries every recorded act may add."""

from accelerator.core import hooks
from accelerator.webhooks import cli, delivery, history, services  # noqa: F401  (delivery: its tasks)

hooks.nav_admin.connect("webhooks/_nav.html", order=50)
hooks.history.connect(history.SENTENCES, name="webhooks")
hooks.cli_commands.connect(cli.cli)


@hooks.audit_recorded.connect
def _deliveries(action, *, event=None, obj=None, **_extra) -> None:
    """An act that is an event (events.ACTIONS) adds a delivery per endpoint hearing it, in
    the act's transaction."""
    services.catch(action, obj, event.data if event is not None else {})
