"""What the application pages show, gathered in one place so the views stay short."""

from __future__ import annotations

from accelerator.applications.history import history_entries
from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.applications.services import deadline_text
from accelerator.applications.startups import load_startup, missing_profile_fields
from accelerator.core import audit
from accelerator.core.forms import ConfirmForm
from accelerator.core.models import StoredFile
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort


def _deck(application: Application | None) -> StoredFile | None:
    if application is None or application.pitch_deck_id is None:
        return None
    return db.session.get(StoredFile, application.pitch_deck_id)


def application_context(application: Application | None, cohort: Cohort, startup: Startup):
    """For the form: the call, its deadline in the program's timezone, the profile summary."""
    return {
        "application": application,
        "cohort": cohort,
        "program": cohort.program,
        "startup": startup,
        "deadline": deadline_text(cohort),
        "deadline_passed": utcnow() >= cohort.applications_close_at,
        "profile_missing": missing_profile_fields(startup),
        "deck": _deck(application),
    }


def detail_context(application: Application) -> dict:
    """For the staff detail page: every answer, the deck, the team, the history."""
    startup = load_startup(application.startup_id)
    return {
        "application": application,
        "startup": startup,
        "cohort": application.cohort,
        "program": application.cohort.program,
        "deck": _deck(application),
        "events": history_entries(audit.events_of(application)),
        "confirm_form": ConfirmForm(),
    }


def timeline(application: Application) -> list[tuple]:
    """(when, status) of each status move: founders see these, not staff's internal events.

    Every act that moves the status (submitting, a decision, an answer to the offer) writes one
    event that says where it moved to; the rest (drafts saved, decks uploaded) says nowhere.
    """
    statuses = {status.value: status for status in ApplicationStatus}
    return [
        (event.created_at, statuses[event.data["to"]])
        for event in audit.events_of(application)
        if event.data.get("to") in statuses
    ]


def status_context(application: Application) -> dict:
    """For the founder's status page and read-only copy."""
    return {
        "application": application,
        "startup": application.startup,
        "cohort": application.cohort,
        "program": application.cohort.program,
        "deck": _deck(application),
        "deadline": deadline_text(application.cohort),
        "timeline": timeline(application),
        "confirm_form": ConfirmForm(),
    }
