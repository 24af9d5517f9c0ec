"""Command-line tasks: flask seed, flask users ..., flask mail send, flask reminders send,
flask backup, flask restore. Each group is defined here once; `register_cli` adds them."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from accelerator.config import ROOT
from accelerator.extensions import db

SEED_DIR = ROOT / "seed_data"


def _seeders():
    """Each domain's seed.py `seed(seed_dir, echo) -> int`, in dependency order; idempotent."""
    import importlib
    import importlib.util

    from accelerator import DOMAINS

    for domain in DOMAINS:
        name = f"accelerator.{domain}.seed"
        if importlib.util.find_spec(f"accelerator.{domain}") and importlib.util.find_spec(name):
            yield domain, importlib.import_module(name).seed


# --- flask seed ------------------------------------------------------------------------------


@click.command("seed")
@with_appcontext
@click.option(
    "--dir",
    "seed_dir",
    type=click.Path(path_type=Path),
    default=SEED_DIR,
    show_default=True,
    help="Folder holding the seed CSV/JSON files.",
)
def seed(seed_dir: Path) -> None:
    """Load the demo data from seed_data/ (idempotent: running it twice changes nothing)."""
    for name, step in _seeders():
        click.echo(f"Seeding {name} ...")
        created = step(seed_dir, click.echo)
        db.session.commit()
        click.echo(f"  {name}: {created} created")
    click.echo("Seed complete.")


# --- flask users -----------------------------------------------------------------------------

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    type=click.Choice(["founder", "mentor", "staff", "admin"]),
    default="admin",
    show_default=True,
)
@click.password_option()
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create a user (for example the first administrator in production).

    No partner: a business-unit partner belongs to a unit, and is invited from its page.
    """
    from accelerator.auth.models import Role
    from accelerator.auth.services import create_user as create
    from accelerator.core.errors import DomainError

    try:
        user = create(email=email, name=name, password=password, role=Role(role))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


@users.command("list")
def list_users() -> None:
    """List every user with role and state."""
    from accelerator.auth.models import User

    for user in db.session.scalars(select(User).order_by(User.role, User.email)):
        state = "active" if user.active else "inactive"
        click.echo(f"{user.id:>5}  {user.role.value:<8} {state:<8} {user.email}  {user.name}")


def _user_named(email: str):
    """The user with this address, or the command stops saying there is none."""
    from accelerator.auth.services import find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user {email}.")
    return user


@users.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Deactivate a user and end all their sessions (never the last active administrator)."""
    from accelerator.auth.services import deactivate_from_console
    from accelerator.core.errors import DomainError

    user = _user_named(email)
    try:
        deactivate_from_console(user)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Deactivated {user.email}.")


@users.command("unlink-sso")
@click.argument("email")
def unlink_sso(email: str) -> None:
    """Forget the single sign-on identity of a user: their next single sign-on links anew."""
    from accelerator.auth.services import unlink_sso

    user = _user_named(email)
    if not unlink_sso(user):
        click.echo(f"{user.email} has no single sign-on identity.")
        return
    db.session.commit()
    click.echo(f"Unlinked {user.email} from its single sign-on identity.")


@users.command("reset-second-factor")
@click.argument("email")
def reset_second_factor(email: str) -> None:
    """Remove a user's two-step verification (a lost phone); they set it up again."""
    from accelerator.auth.services import reset_second_factor_from_console
    from accelerator.core.errors import DomainError

    user = _user_named(email)
    try:
        reset_second_factor_from_console(user)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Two-step verification reset for {user.email}.")


# --- flask mail ------------------------------------------------------------------------------

mail = AppGroup("mail", help="The mail outbox.")


@mail.command("send")
@click.option("--limit", default=100, show_default=True)
def send(limit: int) -> None:
    """Deliver pending mail (retries failures up to MAIL_MAX_ATTEMPTS)."""
    from accelerator.core.mail import send_pending

    sent, failed = send_pending(limit=limit)
    click.echo(f"{sent} sent, {failed} failed.")
    if failed:
        raise SystemExit(1)


# --- flask reminders -------------------------------------------------------------------------

reminders = AppGroup(
    "reminders", help="Reminders by mail (the job worker sends them hourly; or run from cron)."
)


@reminders.command("send")
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Pretend it is this UTC time (ISO 8601), e.g. to test a schedule.",
)
def send_reminders(now_text: str | None) -> None:
    """Queue the reminders due now; each reminder is queued once, however often this runs.

    The job worker runs this every hour by itself; a crontab line is needed only without one.
    """
    from datetime import UTC, datetime

    from accelerator.jobs.services import send_reminders as run_senders

    now = datetime.now(UTC)
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--now") from error
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    total = 0
    for name, queued in run_senders(now):
        click.echo(f"  {name}: {queued} reminder(s) queued")
        total += queued
    click.echo(f"{total} reminder(s) queued. The job worker (or `flask mail send`) delivers them.")


# --- flask backup / restore ------------------------------------------------------------------


@click.command("backup")
@with_appcontext
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path),
    help="File to write (default: instance/backups/accelerator-<UTC time>.sqlite3|dump).",
)
def backup_command(target: Path | None) -> None:
    """Back up the database (SQLite online backup; PostgreSQL pg_dump custom format)."""
    from accelerator.core import backup

    url = db.engine.url
    try:
        target = target or backup.default_path(Path(current_app.instance_path) / "backups", url)
        backup.backup(url, target)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target} ({target.stat().st_size:,} bytes).")


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the whole database with a backup made by `flask backup`."""
    from accelerator.core import backup

    url = db.engine.url
    if not yes:
        click.confirm(
            f"Replace everything in {url.render_as_string(hide_password=True)} with {source}?",
            abort=True,
        )
    try:
        backup.restore(url, source)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    counts = backup.row_counts()
    click.echo(f"Restored {source}: {sum(counts.values()):,} rows in {len(counts)} tables.")


def register_cli(app: Flask) -> None:
    """The app-wide commands, then those the domains connect (`hooks.cli_commands`)."""
    from accelerator.core import hooks

    for command in (seed, users, mail, reminders, backup_command, restore_command):
        app.cli.add_command(command)
    for _name, command in hooks.cli_commands.entries():
        app.cli.add_command(command)
