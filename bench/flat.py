"""`python -m bench flat`: issue 24's third goal, statement counts per page flat from 100 to
100,000 applications.

Every page of the load benchmark (bench/load.py PAGES) is opened in-process, as its user, on
two filled databases: a tiny one (100 applications, bench/fill.py's "tiny" size, filled here
in seconds) and the load benchmark's (100,000 by default, filled by `python -m bench load`;
`--fill` fills it here). Each page is opened twice and the second view's SQL statements are
counted, with nothing kept between views (core/cache.py is off: the figures are computed)
and lists counted as a full page is, so a count that grows with the data (an N+1) shows.
Results go to bench/results.json ("flat") and docs/operations.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime

from sqlalchemy import event

from bench import load

START, END = "<!-- flat:start -->", "<!-- flat:end -->"
LARGE = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_fill"
)
SMALL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_tiny"


def counts(url: str) -> tuple[dict[str, int], dict[str, int]]:
    """{page: statements of its second view} on the database at `url`, and its data."""
    os.environ.pop("CACHE_URL", None)
    app = load._bench_app(url)
    app.config["RATELIMIT_ENABLED"] = False
    app.extensions.pop("accelerator.cache", None)  # figures computed on every view
    from accelerator.core import pagination

    # A short list page skips its count (it is the last): at 100 applications most lists are
    # one short page. Compare what a full page costs, as the statement-count tests do.
    pagination._total_shown = lambda _page: None
    ids = load._ids(app)
    from accelerator.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    found = {}
    event.listen(engine, "before_cursor_execute", note)
    try:
        for name, template, who in load.PAGES:
            if name == "/healthz":
                continue
            client = app.test_client()
            if who:
                client.set_cookie("session", ids["cookies"][who], domain="localhost")
            path = template.format(**ids)
            first = client.get(path)
            if first.status_code != 200:
                raise SystemExit(f"{name} ({path}) answered {first.status_code} on {url}")
            seen.clear()
            client.get(path)
            found[name] = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", note)
        with app.app_context():
            db.engine.dispose()
    return found, ids["data"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench flat", description=__doc__)
    parser.add_argument("--large", default=LARGE, help="the filled load-benchmark database")
    parser.add_argument("--small", default=SMALL, help="filled here at the tiny size")
    parser.add_argument("--fill", action="store_true", help="fill --large here too (100k)")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)
    env = load._env(args.small, argparse.Namespace(redis="", mail_backend="memory"))
    load._fill(args.small, env, size="tiny")
    if args.fill:
        load._fill(args.large, {**env, "DATABASE_URL": args.large}, size="100k")
    small, small_data = counts(args.small)
    large, large_data = counts(args.large)
    run = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": load._describe_code(load.ROOT),
        "small": small_data,
        "large": large_data,
        "pages": [
            {"name": name, "small": small[name], "large": large[name]}
            for name in small
            if name in large
        ],
    }
    for line in table(run):
        print(line)
    if not args.no_save:
        stored = json.loads(load.RESULTS.read_text()) if load.RESULTS.exists() else {}
        stored["flat"] = run
        load.RESULTS.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")
        text = load.OPERATIONS.read_text()
        if START in text and END in text:
            head, rest = text.split(START, 1)
            load.OPERATIONS.write_text(
                head + "\n".join([START, *table(run), END]) + rest.split(END, 1)[1]
            )
        print(f"\nSaved to {load.RESULTS.relative_to(load.ROOT)} and docs/operations.md.")
    grown = [p["name"] for p in run["pages"] if p["large"] > p["small"]]
    return 1 if grown else 0


def table(run: dict) -> list[str]:
    small, large = run["small"], run["large"]
    lines = [
        f"Statements per view (the second), figures computed, measured by `python -m bench "
        f"flat` at {run['code']} ({run['when']}): {small['applications']:,} against "
        f"{large['applications']:,} applications ({small['reviews']:,} against "
        f"{large['reviews']:,} reviews, {small['testers']:,} against {large['testers']:,} "
        "testers).",
        "",
        "| page | statements, small | statements, large | flat |",
        "|---|---|---|---|",
    ]
    for page in run["pages"]:
        verdict = "yes" if page["large"] <= page["small"] else "**no**"
        lines.append(f"| {page['name']} | {page['small']} | {page['large']} | {verdict} |")
    return lines


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
