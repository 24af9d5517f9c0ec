"""What the application pages show, gathered in one place so the views stay short."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.applications.history import history_entries
from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.applications.services import deadline_text
from accelerator.applications.startups import load_startup, missing_profile_fields
from accelerator.applications.vocab import STAGE_LABELS, country_name
from accelerator.core.forms import ConfirmForm
from accelerator.core.models import AuditEvent, StoredFile
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort


def application_context(application: Application | None, cohort: Cohort, startup: Startup):
    """For the form: the call, its deadline in the program's timezone, the profile summary."""
    deck = None
    if application is not None and application.pitch_deck_id is not None:
        deck = db.session.get(StoredFile, application.pitch_deck_id)
    return {
        "application": application,
        "cohort": cohort,
        "program": cohort.program,
        "startup": startup,
        "deadline": deadline_text(cohort),
        "deadline_passed": utcnow() >= cohort.applications_close_at,
        "profile_missing": missing_profile_fields(startup),
        "deck": deck,
        "country_name": country_name,
        "stage_labels": STAGE_LABELS,
    }


def history(application: Application) -> list[AuditEvent]:
    """The application's audit events, oldest first, with who did them."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_type == Application.__tablename__,
                AuditEvent.object_id == application.id,
            )
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )


def detail_context(application: Application) -> dict:
    """For the staff detail page: every answer, the deck, the team, the history."""
    startup = load_startup(application.startup_id)
    deck = (
        db.session.get(StoredFile, application.pitch_deck_id) if application.pitch_deck_id else None
    )
    return {
        "application": application,
        "startup": startup,
        "cohort": application.cohort,
        "program": application.cohort.program,
        "deck": deck,
        "events": history_entries(history(application)),
        "country_name": country_name,
        "stage_labels": STAGE_LABELS,
        "confirm_form": ConfirmForm(),
    }


def timeline(application: Application) -> list[tuple]:
    """(when, status) of each status move: founders see these, not staff's internal events.

    Every act that moves the status (submitting, a decision, an answer to the offer) writes one
    event that says where it moved to; the rest (drafts saved, decks uploaded) says nowhere.
    """
    moves = []
    for event in history(application):
        try:
            moves.append((event.created_at, ApplicationStatus(event.data.get("to"))))
        except ValueError:
            continue
    return moves


def status_context(application: Application) -> dict:
    """For the founder's status page and read-only copy."""
    deck = (
        db.session.get(StoredFile, application.pitch_deck_id) if application.pitch_deck_id else None
    )
    return {
        "application": application,
        "startup": application.startup,
        "cohort": application.cohort,
        "program": application.cohort.program,
        "deck": deck,
        "deadline": deadline_text(application.cohort),
        "timeline": timeline(application),
        "country_name": country_name,
        "stage_labels": STAGE_LABELS,
        "confirm_form": ConfirmForm(),
    }
