"""How the demo-day domain's audit actions read as sentences (core/history.py).

One dict per part of the domain (the event, the guests, the follow-up), merged below."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l  # noqa: F401

from accelerator.core.history import Sentence, Sentences, says  # noqa: F401

# The event: date, venue, running order, materials, publication.
_EVENT: dict[str, Sentence] = {}

# The guests: list, invitations, answers, waitlist, reminders.


def _answer(value) -> str:
    from accelerator.demoday.models import Rsvp

    try:
        return str(Rsvp(value).label)
    except ValueError:
        return str(value or "")


_GUESTS: dict[str, Sentence] = {
    "guest.added": says(_l("%(who)s added %(name)s to the guest list."), name="name"),
    "guest.updated": says(_l("%(who)s changed the guest %(name)s."), name="name"),
    "guest.removed": says(_l("%(who)s took %(name)s off the guest list."), name="name"),
    "guests.invited": says(_l("%(who)s invited %(count)s guests."), count="count"),
    "guests.imported": says(
        _l("%(who)s imported guests: %(created)s added, %(updated)s updated, %(refused)s refused."),
        created="created",
        updated="updated",
        refused="refused",
    ),
    "guest.link_renewed": says(_l("%(who)s sent %(name)s a new link."), name="name"),
    "guest.link_revoked": says(_l("%(who)s revoked the link of %(name)s."), name="name"),
    "guest.answered": says(
        _l("%(name)s answered: %(answer)s."), name="name", answer=lambda d: _answer(d.get("answer"))
    ),
    "guest.promoted": says(_l("%(name)s got a seat from the waitlist."), name="name"),
    "guest.unsubscribed": says(_l("A guest asked for no more reminders.")),
}

# The follow-up: arrivals, interest, introductions.
_FOLLOWUP: dict[str, Sentence] = {}

SENTENCES = Sentences({**_EVENT, **_GUESTS, **_FOLLOWUP})
