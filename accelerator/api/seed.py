"""The api domain's demo data: none. A token is a secret shown once to the person who makes it,
so the demo makes none; `flask tokens create EMAIL --scope read` makes one when wanted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def seed(seed_dir: Path, echo: Callable[[str], None]) -> int:
    """Nothing to load (see the module): 0 objects made."""
    return 0
