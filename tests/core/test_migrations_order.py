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
    assert numbers == [f"{n:04d}" for n in range(1, len(files) + 1)], "numbered 0001, 0002, …"
    dates = [NAME.match(name).group(1) for name in files]
    assert dates == sorted(dates), "dated in the same order"

    script = _script()
    chain = [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]
    assert chain == numbers, "each file's revision is its number, applied in file order"
    for revision in script.walk_revisions("base", "heads"):
        expected_down = None if revision.revision == "0001" else f"{int(revision.revision) - 1:04d}"
        assert revision.down_revision == expected_down, revision.path


def test_there_is_one_head():
    assert _script().get_heads() == [f"{len(list(VERSIONS.glob('*.py'))):04d}"]
