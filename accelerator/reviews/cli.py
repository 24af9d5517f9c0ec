"""Command-line tasks of the reviews domain (`flask reviews ...`)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from accelerator.extensions import db
from accelerator.reviews import services

cli = AppGroup("reviews", help="Reviews and offers.")


@cli.command("expire-offers")
def expire_offers_command() -> None:
    """Release offers whose confirmation deadline has passed (the startups are told)."""
    expired = services.expire_offers(actor=None)
    db.session.commit()
    click.echo(f"{len(expired)} expired offer(s) released.")
