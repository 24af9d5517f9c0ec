"""`flask webhooks deliver`: send the deliveries due now (the worker does it every minute)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from accelerator.webhooks import delivery

cli = AppGroup("webhooks", help="Webhooks: signed event deliveries to staff's endpoints.")


@cli.command("deliver")
@click.option("--limit", default=100, show_default=True, help="At most this many deliveries.")
def deliver(limit: int) -> None:
    """Send the deliveries due now, once each; failures are retried later by the worker."""
    succeeded, failed = delivery.deliver_due(limit)
    click.echo(f"{succeeded} delivered, {failed} failed.")
