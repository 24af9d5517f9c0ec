"""Signals: how a domain announces what happened, so domains above it can react.

Signals are sent inside the transaction of the act (before the view commits): a subscriber's
work is part of the same unit, and a subscriber that raises rolls the whole act back. Domains
subscribe in their package's `__init__`; the sender never imports them.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the new Enrollment (flushed, so it has an id); kwargs: actor (the acting User).
enrollment_created = _signals.signal("enrollment-created")
