"""`python -m bench load [...]`: the load benchmark (see bench/load.py); `python -m bench
background [...]`: the staff pages while jobs run (see bench/background.py); `python -m bench
pilots [--no-save]`: the pilots pages' statement counts at two sizes, saved (see bench/pilots.py);
`python -m bench testers [--database sqlite|postgresql|both] [--no-save]`: the tester panel's
import, selection and wave of invitations at 40,000 testers, timed and saved (bench/testers.py);
`python -m bench rush [--founders N --minutes M --connections C]`: issue 24's deadline rush,
founders saving drafts, uploading decks and submitting through gunicorn (locust; see
bench/rush.py); `python -m bench flat`: statement counts per page at 100 and 100,000
applications (bench/flat.py); `python -m bench program-report`: the program report over the
filled data, timed and its memory measured (bench/program_report.py); `python -m bench counts
[names]`: the statement-count benchmarks of every module in bench/ (or those named)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

NOT_COUNTS = {"load", "fill", "flat", "background", "testers", "rush", "program_report"}


def main(names: list[str]) -> int:
    if names[:1] == ["load"]:
        from bench.load import main as load

        return load(names[1:])
    if names[:1] == ["background"]:
        from bench.background import main as background

        return background(names[1:])
    if names[:1] == ["pilots"]:
        from bench.pilots import main as pilots

        return pilots(names[1:])
    if names[:1] == ["testers"]:
        from bench.testers import main as testers

        return testers(names[1:])
    if names[:1] == ["program-report"]:
        from bench.program_report import main as program_report

        return program_report(names[1:])
    if names[:1] == ["flat"]:
        from bench.flat import main as flat

        return flat(names[1:])
    if names[:1] == ["rush"]:
        from bench.rush import main as rush

        return rush(names[1:])
    if names[:1] == ["counts"]:
        names = names[1:]
    here = Path(__file__).parent
    modules = names or sorted(
        info.name
        for info in pkgutil.iter_modules([str(here)])
        if not info.name.startswith("_") and info.name not in NOT_COUNTS
    )
    for name in modules:
        module = importlib.import_module(f"bench.{name}")
        print(f"== bench.{name}")
        for line in module.run():
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
