"""Extension points: what each domain adds to pages it does not own.

A page that gathers several domains (a role's home, the navigation, the staff cohort page, an
application's pages) renders a named *slot*; each domain package fills the slots it cares about
when it is imported (`contribute(...)` in its `__init__`). No template includes a file that may
be missing, and adding a domain touches its own package and the list of domains, nothing else.

Slots in use (the keyword arguments each one is rendered with):
  home.staff, home.founder, home.mentor   user          a role's home page, one card per panel
  nav.public                              (none)        links everyone sees
  nav.member                              (none)        links for signed-in people
  cohort.staff                            cohort        the staff cohort page
  application.staff                       application   the staff page of one application
  application.founder                     application   the founder's status page
  startup.staff                           startup       the staff page of one startup
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import Markup

#: A context function gets the slot's keyword arguments and returns the partial's variables,
#: or None to leave the partial out (nothing to show, or not for this user).
ContextFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Contribution:
    slot: str
    template: str
    order: int
    context: ContextFunction | None


_SLOTS: dict[str, dict[str, Contribution]] = {}


def contribute(
    slot: str, template: str, *, order: int = 50, context: ContextFunction | None = None
) -> None:
    """Add `template` to `slot`, ordered by `order` (then template name).

    Registering the same template in the same slot again replaces it, so a re-imported module
    never shows a panel twice.
    """
    _SLOTS.setdefault(slot, {})[template] = Contribution(slot, template, order, context)


def contributions(slot: str) -> list[Contribution]:
    """The slot's contributions in display order."""
    return sorted(_SLOTS.get(slot, {}).values(), key=lambda c: (c.order, c.template))


def render_slot(slot: str, **kwargs: Any) -> Markup:
    """Render every contribution of `slot` with the slot's arguments (a Jinja global).

    A partial sees the slot's arguments and its context function's variables, each by name and
    all of them as `context`.
    """
    parts = []
    for contribution in contributions(slot):
        extra: dict[str, Any] = {}
        if contribution.context is not None:
            found = contribution.context(**kwargs)
            if found is None:
                continue
            extra = found
        variables = {**kwargs, **extra}
        parts.append(render_template(contribution.template, context=variables, **variables))
    # render_template's output is autoescaped HTML: safe to join as is.
    return Markup("".join(parts))  # noqa: S704
