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
    # Numbered upwards from 0001; a branch's migration may hold a number reserved for it
    # (0020 after 0017) until the lead renumbers at merge.
    assert numbers[0] == "0001" and numbers == sorted(set(numbers)), "numbered 0001, 0002, …"
    dates = [NAME.match(name).group(1) for name in files]
    assert dates == sorted(dates), "dated in the same order"

    script = _script()
    chain = [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]
    assert chain == numbers, "each file's revision is its number, applied in file order"
    for before, revision in zip([None, *numbers], numbers, strict=False):
        assert script.get_revision(revision).down_revision == before, revision


def test_there_is_one_head():
    last = max(NAME.match(p.name).group(2) for p in VERSIONS.glob("*.py"))
    assert _script().get_heads() == [last]
