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

The navigation slots render on every page and their partials read only who is signed in (the
role) and the language, so their output is kept per (slot, language, role, partials shown):
a partial there must not show anything else of the user or the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template
from flask_babel import get_locale
from flask_login import current_user
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


#: Slots whose output depends on the role and the language only (see the module's note).
KEPT_SLOTS = frozenset({"nav.public", "nav.member"})


def render_slot(slot: str, **kwargs: Any) -> Markup:
    """Render every contribution of `slot` with the slot's arguments (a Jinja global).

    A partial sees the slot's arguments and its context function's variables, each by name and
    all of them as `context`.
    """
    shown: list[tuple[Contribution, dict[str, Any]]] = []
    for contribution in contributions(slot):
        extra: dict[str, Any] = {}
        if contribution.context is not None:
            found = contribution.context(**kwargs)
            if found is None:
                continue
            extra = found
        shown.append((contribution, {**kwargs, **extra}))
    kept = _kept(slot, shown)
    if kept is not None and kept[0] in kept[1]:
        return kept[1][kept[0]]
    parts = [render_template(c.template, context=v, **v) for c, v in shown]
    # render_template's output is autoescaped HTML: safe to join as is.
    html = Markup("".join(parts))  # noqa: S704
    if kept is not None:
        kept[1][kept[0]] = html
    return html


def _kept(slot: str, shown) -> tuple[tuple, dict] | None:
    """The key and store for a kept slot's output, or None when it is rendered every time."""
    if slot not in KEPT_SLOTS or any(variables for _c, variables in shown):
        return None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.debug or app.jinja_env.auto_reload and app.config.get("TEMPLATES_AUTO_RELOAD"):
        return None  # templates edited while the server runs show at once
    role = current_user.role.value if current_user.is_authenticated else None
    key = (slot, str(get_locale()), role, tuple(c.template for c, _v in shown))
    return key, app.extensions.setdefault("accelerator.kept_slots", {})
