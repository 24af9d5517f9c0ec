"""`flask jobs worker|recover`: the queue's worker process, and the recovery sweep by hand."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from accelerator.jobs import queue, services

cli = AppGroup("jobs", help="The job queue: long work, mail and reminders in the background.")


@cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time.")
def worker(workers: int) -> None:
    """Run jobs, deliver mail and send reminders until stopped (Ctrl-C or SIGTERM)."""
    if queue.huey.immediate:
        raise click.ClickException("JOBS_QUEUE_URL is 'immediate': there is no queue to work on.")
    queue.use_app(current_app._get_current_object())
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
    for name in ("huey", "accelerator.jobs"):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.INFO)
    recovered = services.recover()  # what a worker that died left running
    click.echo(
        f"Job worker: {workers} at a time on {current_app.config['JOBS_QUEUE_URL']}"
        f" ({recovered} job(s) recovered). Ctrl-C stops."
    )
    consumer = queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()


@cli.command("recover")
def recover() -> None:
    """Queue again the jobs a dead worker left (the worker does this every minute)."""
    click.echo(f"{services.recover()} job(s) sent to the queue again.")
