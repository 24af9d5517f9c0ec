"""Migrations read in the order they apply: the revision chain follows the file names, with
one head, so a reader of migrations/versions/ sees the schema's history as it happened."""

from __future__ import annotations

import re
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"
NAME = re.compile(r"^(\d{8})_(\d{4})_[a-z0-9_]+\.py$")


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(VERSIONS.parent))
    return ScriptDirectory.from_config(config)


def test_file_names_number_the_revisions_in_their_apply_order():
    files = sorted(p.name for p in VERSIONS.glob("*.py"))
    assert files and all(NAME.match(name) for name in files), files
    numbers = [NAME.match(name).group(2) for name in files]
    # Numbered 0001, 0002, … in order; a branch's number may skip one that another branch
    # holds until the lead merges and renumbers them (each file still revises the one before).
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
    dates = [NAME.match(name).group(1) for name in files]
    assert dates == sorted(dates), "dated in the same order"

    script = _script()
    chain = [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]
    assert chain == numbers, "each file's revision is its number, applied in file order"
    previous = {number: (numbers[i - 1] if i else None) for i, number in enumerate(numbers)}
    for revision in script.walk_revisions("base", "heads"):
        assert revision.down_revision == previous[revision.revision], revision.path


def test_there_is_one_head():
    last = sorted(p.name for p in VERSIONS.glob("*.py"))[-1]
    assert _script().get_heads() == [NAME.match(last).group(2)]
