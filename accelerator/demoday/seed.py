"""The demoday domain's demo data, through its services."""

from __future__ import annotations

from pathlib import Path


def seed(seed_dir: Path, echo) -> int:
    return 0
