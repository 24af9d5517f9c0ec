"""The password rules: length and a shipped list of common passwords."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("accelerator").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_problem(password: str) -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    if password.lower() in common_passwords():
        return str(_l("This password is too common; choose another."))
    return None
