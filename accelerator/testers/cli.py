"""Command-line tasks of the tester panel (`flask testers ...`)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from accelerator.core.errors import DomainError
from accelerator.extensions import db
from accelerator.testers import importing, sheets

cli = AppGroup("testers", help="The tester panel.")


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    default="auto",
    show_default=True,
    help="auto (columns guessed from their headers, English or French), or the guess changed "
    "by field=Column pairs: --mapping 'email=Courriel,consent_at=Signed up'. Fields: "
    + ", ".join(sheets.FIELD_KEYS),
)
def import_command(path: Path, mapping: str) -> None:
    """Import testers from a CSV or XLSX file: added, updated by e-mail, refused lines with
    their reasons (a tester who left the panel is never added back)."""
    try:
        report = importing.import_file(path.read_bytes(), filename=path.name, mapping=mapping)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    for key, column in report.mapping.items():
        click.echo(f"  {key:<16} <- {column}")
    click.echo(
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.refused)} refused ({report.left} who left the panel)."
    )
    for line in report.refused:
        click.echo(f"line {line.line}: {'; '.join(line.reasons)}")
