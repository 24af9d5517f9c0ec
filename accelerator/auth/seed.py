"""Demo users from seed_data/users.csv (all with the demo password)."""

from __future__ import annotations

import csv
from pathlib import Path

from accelerator.auth.models import Role, User
from accelerator.auth.services import find_user_by_email
from accelerator.extensions import db

DEMO_PASSWORD = "accelerator-demo"  # noqa: S105  (documented in README; demo data only)


def seed(seed_dir: Path, echo) -> int:
    created = 0
    with open(seed_dir / "users.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if find_user_by_email(row["email"]) is not None:
                continue
            user = User(email=row["email"], name=row["name"], role=Role(row["role"]))
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
            created += 1
    return created
