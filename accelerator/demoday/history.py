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
_FOLLOWUP: dict[str, Sentence] = {
    "demoday.guest_arrived": lambda who, d: (
        (
            _l("%(who)s checked in %(guest)s, who had not said yes (walk-in).")
            if d.get("walk_in")
            else _l("%(who)s checked in %(guest)s at the door.")
        )
        % {"who": who, "guest": d.get("guest", "")}
    ),
    "demoday.guest_arrival_undone": says(
        _l("%(who)s undid the check-in of %(guest)s."), guest="guest"
    ),
    "demoday.interest_asked": says(
        _l("%(guest)s asked for an introduction to %(startup)s."),
        guest="guest",
        startup="startup",
    ),
    "demoday.interest_withdrawn": says(
        _l("%(guest)s withdrew their ask for an introduction to %(startup)s."),
        guest="guest",
        startup="startup",
    ),
    "demoday.introduction_recorded": says(
        _l("%(who)s introduced %(guest)s to %(startup)s."), guest="guest", startup="startup"
    ),
}

SENTENCES = Sentences({**_EVENT, **_GUESTS, **_FOLLOWUP})
