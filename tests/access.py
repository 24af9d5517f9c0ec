"""The access matrix: every endpoint, every role, the expected status.

Each domain's tests/<domain>/access.py defines
  CASES = {"endpoint": [Case(...), ...]}      (an endpoint missing here fails the matrix test)
  def build(world) -> None                    (optional: adds the objects its URLs need)
API cases set `extra={"api": "token"}`: each role sends its own bearer token (read and write,
tests/api/access.py) and the data as JSON; `{"api": "session"}` sends no token (a signed-in
browser session alone).
Roles: anonymous, founder (owns world.startup once startups exist), other_founder, mentor
(assigned to world.startup once matching exists), other_mentor, staff, admin, partner (of the
business unit world.unit once pilots exist), other_partner (of another unit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = (
    "anonymous",
    "founder",
    "other_founder",
    "mentor",
    "other_mentor",
    "staff",
    "admin",
    "partner",
    "other_partner",
)
LOGIN = 302  # anonymous users are sent to the sign-in page


class World:
    """The users and objects the matrix walks; domains add attributes in their build()."""

    def __init__(self, users: dict[str, Any]):
        self.users = users

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"world has no {name!r}: add it in a domain's build(world)")


@dataclass
class Case:
    url: str | Callable[[World], str]
    expect: dict[str, int]
    method: str = "GET"
    data: dict | Callable[[World], dict] | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    def resolve_url(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url

    def resolve_data(self, world: World) -> dict | None:
        return self.data(world) if callable(self.data) else self.data


def expect(default: int, **by_role: int) -> dict[str, int]:
    """Expected status per role: `default` for every role not named."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    return {role: by_role.get(role, default) for role in ROLES}


def public(status: int = 200) -> dict[str, int]:
    return expect(status)


def signed_in(status: int = 200) -> dict[str, int]:
    return expect(status, anonymous=LOGIN)


def staff_only(status: int = 200) -> dict[str, int]:
    return expect(403, anonymous=LOGIN, staff=status, admin=status)


def admin_only(status: int = 302) -> dict[str, int]:
    return expect(403, anonymous=LOGIN, admin=status)
