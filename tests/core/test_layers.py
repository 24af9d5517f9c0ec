"""The import-linter contract in pyproject.toml holds the layers; a wrong-way import breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(checkout: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of the package's Python modules and pyproject.toml, free to be broken."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(
        ROOT / "accelerator",
        tmp_path / "accelerator",
        ignore=shutil.ignore_patterns("static", "translations", "data", "__pycache__"),
    )
    return tmp_path


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is a dev dependency")
def test_the_layers_hold_and_a_wrong_way_import_breaks_them(checkout):
    kept = _lint(checkout)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    money = checkout / "accelerator" / "core" / "money.py"
    money.write_text(money.read_text() + "\nfrom accelerator.auth.models import User  # noqa\n")
    broken = _lint(checkout)
    assert broken.returncode != 0
    assert "accelerator.core is not allowed to import accelerator.auth" in broken.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is a dev dependency")
def test_siblings_may_not_import_each_other_and_new_packages_need_a_layer(checkout):
    policies = checkout / "accelerator" / "grants" / "policies.py"
    policies.write_text(policies.read_text() + "\nimport accelerator.reviews.models  # noqa\n")
    (checkout / "accelerator" / "newdomain").mkdir()
    (checkout / "accelerator" / "newdomain" / "__init__.py").write_text("")
    broken = _lint(checkout)
    assert "accelerator.grants is not allowed to import accelerator.reviews" in broken.stdout
    assert "accelerator.newdomain" in broken.stdout  # exhaustive: every package has its layer
