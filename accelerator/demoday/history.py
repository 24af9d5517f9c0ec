"""How the demo-day domain's audit actions read as sentences (core/history.py).

One dict per part of the domain (the event, the guests, the follow-up), merged below."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says  # noqa: F401
from accelerator.core.i18n import gettext as _

# The event: date, venue, running order, materials, publication.
_EVENT_FIELDS = {
    "starts_at": _l("date and time"),
    "venue": _l("venue"),
    "online_url": _l("online link"),
    "description": _l("description"),
    "pitch_minutes": _l("pitch length"),
    "changeover_minutes": _l("changeover"),
    "capacity": _l("seats"),
    "plus_ones_max": _l("plus-ones"),
    "pitch": _l("pitch paragraph"),
    "deck": _l("final deck"),
}


def _event_fields(data: dict) -> str:
    return ", ".join(str(_EVENT_FIELDS.get(name, name)) for name in data.get("fields") or [])


def _updated(who: str, d: dict) -> str:
    return _("%(who)s changed the demo day's %(fields)s.", who=who, fields=_event_fields(d))


def _materials(who: str, d: dict) -> str:
    return _("%(who)s updated the demo-day %(fields)s.", who=who, fields=_event_fields(d))


def _moved(who: str, d: dict) -> str:
    if d.get("direction") == "up":
        message = _l("%(who)s moved %(line)s up the running order (now line %(position)s).")
    else:
        message = _l("%(who)s moved %(line)s down the running order (now line %(position)s).")
    return str(message) % {"who": who, "line": d.get("line", ""), "position": d.get("position", "")}


_EVENT: dict[str, Sentence] = {
    "demo_day.planned": says(_l("%(who)s planned the demo day of %(cohort)s."), cohort="cohort"),
    "demo_day.updated": _updated,
    "demo_day.slot_added": says(_l("%(who)s gave a newly enrolled startup its demo-day slot.")),
    "demo_day.slot_moved": _moved,
    "demo_day.break_added": says(
        _l("%(who)s added the break “%(title)s” (%(minutes)s minutes) to the running order."),
        title="title",
        minutes="minutes",
    ),
    "demo_day.break_removed": says(
        _l("%(who)s removed the break “%(title)s” from the running order."), title="title"
    ),
    "demo_day.materials_updated": _materials,
    "demo_day.published": says(_l("%(who)s published the demo day's public page.")),
    "demo_day.unpublished": says(_l("%(who)s took the demo day's public page down.")),
}

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
_FOLLOWUP: dict[str, Sentence] = {
    "demo_day.report_exported": says(
        _l("%(who)s downloaded the demo-day report (%(rows)s rows)."), rows="rows"
    ),
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
