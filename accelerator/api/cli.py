"""`flask tokens create EMAIL --scope read ...`: an administrator makes a token from the shell;
`flask tokens revoke ID`; `flask tokens list EMAIL`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from accelerator.api import services
from accelerator.api.models import ApiToken
from accelerator.auth.models import User
from accelerator.core.errors import DomainError
from accelerator.extensions import db

cli = AppGroup("tokens", help="Personal access tokens for the JSON API (/api/v1).")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with the address {email}.")
    return user


@cli.command("create")
@click.argument("email")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help="read, write, or per group: programs:read, grants:write ... (repeatable).",
)
@click.option("--days", default=services.DEFAULT_DAYS, show_default=True, help="Valid for.")
@click.option("--name", default="Made from the command line", show_default=True)
def create(email: str, scopes: tuple[str, ...], days: int, name: str) -> None:
    """Make a token for the user with EMAIL and print it, once (it is stored hashed)."""
    user = _user(email)
    try:
        token, clear = services.issue_token(user, actor=None, name=name, scopes=scopes, days=days)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Token {token.id} for {user.email} ({token.scopes}), expires {token.expires_at}:")
    click.echo(clear)
    click.echo("Copy it now: it is not stored and will not be shown again.", err=True)


@cli.command("list")
@click.argument("email")
def list_tokens(email: str) -> None:
    """The user's tokens: id, name, scopes, status, expiry, last use (never the token)."""
    user = _user(email)
    for token in db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ):
        used = token.last_used_at or "never used"
        click.echo(
            f"{token.id}\t{token.prefix}…\t{token.name}\t{token.scopes}\t{token.status.value}"
            f"\texpires {token.expires_at}\t{used}"
        )


@cli.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke a token at once (recorded in the audit log as the command line's act)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"No token {token_id}.")
    try:
        services.revoke_token(token, actor=None)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Token {token_id} ({token.name}) revoked.")
