"""How the demo-day domain's audit actions read as sentences (core/history.py).

One dict per part of the domain (the event, the guests, the follow-up), merged below."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # noqa: F401

from accelerator.core.history import Sentence, Sentences, says  # noqa: F401

# The event: date, venue, running order, materials, publication.
_EVENT: dict[str, Sentence] = {}

# The guests: list, invitations, answers, waitlist, reminders.
_GUESTS: dict[str, Sentence] = {}

# The follow-up: arrivals, interest, introductions.
_FOLLOWUP: dict[str, Sentence] = {}

SENTENCES = Sentences({**_EVENT, **_GUESTS, **_FOLLOWUP})
