"""Access expectations for the demo-day domain: every route against every role.

The domain has three parts, each with its cases and its world in a file beside this one,
built in this order (a later part builds on the earlier ones):
  access_event.py     the event: settings, running order, materials, public page
  access_guests.py    the guests: list, import, invitations, RSVP links, waitlist
  access_followup.py  the door list and check-in, interest, introductions, the report
Each defines CASES and may define build(world).
"""

from __future__ import annotations

import importlib

PARTS = ("event", "guests", "followup")

CASES: dict = {}
_MODULES = []
for _part in PARTS:
    try:
        _module = importlib.import_module(f"tests.demoday.access_{_part}")
    except ModuleNotFoundError as error:
        if error.name != f"tests.demoday.access_{_part}":
            raise
        continue
    _MODULES.append(_module)
    for _endpoint, _cases in _module.CASES.items():
        assert _endpoint not in CASES, f"{_endpoint} listed twice"
        CASES[_endpoint] = _cases


def build(world) -> None:
    for module in _MODULES:
        if hasattr(module, "build"):
            module.build(world)
