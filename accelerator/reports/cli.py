"""`flask report cohort|mentors|program <id>`: the downloadable reports, written to files."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from accelerator.core.spreadsheets import Sheet, write_csv, write_xlsx
from accelerator.extensions import db
from accelerator.milestones.models import CheckIn
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.reports import exports

cli = AppGroup("report", help="Write the downloadable reports to files.")

#: Above this many rows a progress bar shows how far the writing is.
PROGRESS_FROM = 10_000


def _rows_to_write(name: str, ident: int) -> int:
    if name != "cohort":
        return 0
    return db.session.scalar(
        select(func.count(CheckIn.id))
        .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
        .where(Enrollment.cohort_id == ident)
    )


def write_report(name: str, ident: int, out: Path, formats: tuple[str, ...]) -> list[Path]:
    """Write report `name` of cohort/program `ident` into `out`; the files written."""
    if name == "program":
        subject = db.session.get(Program, ident)
    else:
        subject = db.session.get(Cohort, ident, options=[joinedload(Cohort.program)])
    if subject is None:
        raise click.ClickException(f"No {'program' if name == 'program' else 'cohort'} #{ident}.")
    out.mkdir(parents=True, exist_ok=True)
    stem = exports.file_stem(name, ident)
    sheets = exports.REPORTS[name](subject)
    total = _rows_to_write(name, ident)
    written = []
    for fmt in formats:
        with click.progressbar(
            length=max(total, 1),
            label=f"{stem}.{fmt}",
            file=None if total >= PROGRESS_FROM else _Quiet(),
        ) as bar:
            tracked = [
                _tracked(sheet, bar) if sheet.key == "checkins" else sheet for sheet in sheets
            ]
            if fmt == "xlsx":
                path = out / f"{stem}.xlsx"
                with path.open("wb") as stream:
                    write_xlsx(tracked, stream)
                written.append(path)
            else:
                for sheet in tracked:
                    path = out / f"{stem}-{sheet.key}.csv"
                    with path.open("wb") as stream:
                        write_csv(sheet, stream)
                    written.append(path)
    return written


class _Quiet:
    """A file that swallows the progress bar when there is little to write."""

    def write(self, _text: str) -> None:
        return None

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


def _tracked(sheet: Sheet, bar) -> Sheet:
    def chunks():
        for frame in sheet.chunks():
            bar.update(len(frame))
            yield frame

    return Sheet(sheet.key, sheet.title, sheet.columns, chunks, sheet.timezone)


def _command(name: str, help_text: str):
    @cli.command(name, help=help_text)
    @click.argument("ident", type=int)
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "xlsx", "both"]),
        default="both",
        show_default=True,
    )
    def command(ident: int, out: Path, fmt: str) -> None:
        formats = ("csv", "xlsx") if fmt == "both" else (fmt,)
        for path in write_report(name, ident, out, formats):
            click.echo(str(path))

    return command


_command("cohort", "Write the cohort report (startups, check-ins, milestones, grants, sessions).")
_command("mentors", "Write the mentor engagement report of a cohort.")
_command("program", "Write the program report (funnel and outcomes of every cohort).")
