"""Applications: start or resume, save drafts, attach the pitch deck, submit, withdraw.

Every status change goes through `change_status`, which only follows TRANSITIONS.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from accelerator.applications.fields import (
    ANSWER_KEYS,
    APPLICATION_FIELDS,
    MAX_COUNT,
    MAX_LINE,
    MAX_MONEY_CENTS,
    MAX_TEXT,
    field,
)
from accelerator.applications.models import (
    OPEN_STATES,
    Application,
    ApplicationStatus,
    Startup,
    can_transition,
)
from accelerator.applications.queries import (
    application_of,
    founder_emails,
    founder_startup_id,
    timezone_of,
)
from accelerator.applications.startups import missing_profile_fields, startup_of
from accelerator.applications.vocab import CURRENCIES
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.files import store_pdf_upload
from accelerator.core.i18n import gettext as _
from accelerator.core.mail import queue_mail
from accelerator.core.models import AuditEvent
from accelerator.core.timeutil import format_dt
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState

__all__ = [
    "ANSWER_FIELDS",
    "MAX_COUNT",
    "MAX_LINE",
    "MAX_MONEY_CENTS",
    "MAX_TEXT",
    "Incomplete",
    "attach_pitch_deck",
    "change_status",
    "deadline_text",
    "save_draft",
    "start_application",
    "startup_of",
    "submit_application",
    "withdraw_application",
]

#: The answers of the form, in the order of its sections.
ANSWER_FIELDS = ANSWER_KEYS
#: Needed to submit (numbers may be 0, texts must not be blank); the deck is checked apart.
REQUIRED_ANSWERS = tuple(f.key for f in APPLICATION_FIELDS if f.kind != "currency")


class Incomplete(ValidationFailed):
    """Submission refused: `missing` maps each field to what it needs (also its `errors`,
    which a form shown again places beside each field)."""

    def __init__(self, message: str, missing: dict[str, str]):
        super().__init__(message)
        self.missing = self.errors = missing


def change_status(
    application: Application,
    target: ApplicationStatus,
    *,
    actor: User | None,
    action: str = "application.status_changed",
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Move an application along TRANSITIONS (the only way its status changes).

    Writes the act's one audit event: `action` names the act (`application.submitted`,
    `application.decided`, ...), its data says from/to and why; the founder's timeline is
    built from these events.
    """
    current = application.status
    if not can_transition(current, target):
        raise InvalidState(
            _(
                "An application that is “%(current)s” cannot become “%(target)s”.",
                current=ApplicationStatus(current).label,
                target=ApplicationStatus(target).label,
            )
        )
    now = now or utcnow()
    application.status = target
    if target == ApplicationStatus.SUBMITTED:
        application.submitted_at = now
    if target == ApplicationStatus.WITHDRAWN:
        application.withdrawn_at = now
    event = audit.record(
        action,
        application,
        actor=actor,
        data={"from": current.value, "to": target.value, **(data or {})},
    )
    event.created_at = now  # the history shows when the move happened
    db.session.flush()
    return event


def _cohort_with_program(cohort_id: int) -> Cohort:
    return db.session.scalar(
        select(Cohort).where(Cohort.id == cohort_id).options(selectinload(Cohort.program))
    )


def deadline_text(cohort: Cohort) -> str:
    """The cohort's deadline in its program's timezone, e.g. "2025-03-31 23:59 CEST"."""
    return format_dt(cohort.applications_close_at, timezone_of(cohort))


def _check_open(cohort: Cohort, now: datetime) -> None:
    if cohort.state != CohortState.PUBLISHED or now < cohort.applications_open_at:
        raise InvalidState(_("This call is not open for applications yet."))
    if now >= cohort.applications_close_at:
        raise InvalidState(
            _(
                "The deadline has passed: applications closed on %(deadline)s.",
                deadline=deadline_text(cohort),
            )
        )


def start_application(cohort: Cohort, *, actor: User, now: datetime | None = None) -> Application:
    """The startup's application to this cohort: resumed if it exists, else a new draft."""
    startup = startup_of(actor)
    if startup is None:
        raise InvalidState(_("Create your startup's profile first."))
    existing = application_of(startup.id, cohort.id)
    if existing is not None:
        return existing
    _check_open(cohort, now or utcnow())
    application = Application(
        cohort_id=cohort.id,
        startup_id=startup.id,
        status=ApplicationStatus.DRAFT,
        source="web",
        currency=cohort.currency if cohort.currency in CURRENCIES else "USD",
    )
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError as error:  # a co-founder started it at the same moment
        raise Conflict(_("Your startup already has an application for this call.")) from error
    audit.record("application.started", application, actor=actor, data={"cohort_id": cohort.id})
    db.session.flush()
    return application


def _check_owner_draft(application: Application, actor: User) -> None:
    if founder_startup_id(actor) != application.startup_id:
        raise NotAllowed(_("Only the startup's founders can change its application."))
    if application.status != ApplicationStatus.DRAFT:
        raise InvalidState(_("This application is submitted; it can no longer be changed."))


def _clean_answer(key: str, value: Any) -> Any:
    """Refuse invalid values (never store them); blanks become None."""
    if isinstance(value, str):
        value = value.replace("\x00", "").strip() or None  # PostgreSQL text holds no NUL
    if value is None:
        return None
    declared = field(key)
    if declared.kind == "currency":
        if value not in CURRENCIES:
            raise ValidationFailed(_("Choose a currency from the list."), field=key)
        return value
    if declared.kind in ("money", "count"):
        limit = MAX_MONEY_CENTS if declared.kind == "money" else MAX_COUNT
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            raise ValidationFailed(_("Enter a positive number."), field=key)
        return value
    if len(value) > declared.max_length:
        raise ValidationFailed(
            _("Keep this under %(n)d characters.", n=declared.max_length), field=key
        )
    return value


def save_draft(
    application: Application, *, actor: User, answers: dict[str, Any], deck=None
) -> list[str]:
    """Save whatever answers are given (incomplete is fine, invalid is not), and the pitch deck
    when one is uploaded; returns the answers that changed."""
    _check_owner_draft(application, actor)
    cleaned = {
        key: _clean_answer(key, value) for key, value in answers.items() if key in ANSWER_FIELDS
    }
    if "currency" in cleaned and cleaned["currency"] is None:
        del cleaned["currency"]
    changed = [k for k, v in cleaned.items() if getattr(application, k) != v]
    for key in changed:
        setattr(application, key, cleaned[key])
    if changed:
        audit.record("application.draft_saved", application, actor=actor, data={"fields": changed})
        db.session.flush()
    if deck:
        attach_pitch_deck(application, upload=deck, actor=actor)
    return changed


def attach_pitch_deck(application: Application, *, upload, actor: User) -> None:
    """Store a PDF deck (checked by content and size) in place of the previous one."""
    _check_owner_draft(application, actor)
    stored = store_pdf_upload(
        upload,
        max_bytes=current_app.config["PITCH_DECK_MAX_BYTES"],
        uploaded_by=actor,
        field="pitch_deck",
    )
    replaced = application.pitch_deck_id
    application.pitch_deck_id = stored.id
    audit.record(
        "application.deck_uploaded",
        application,
        actor=actor,
        data={"file_id": stored.id, "sha256": stored.sha256, "replaced": replaced},
    )
    db.session.flush()


def _missing_answers(application: Application) -> dict[str, str]:
    missing = {
        key: _("Needed to submit.") for key in REQUIRED_ANSWERS if getattr(application, key) is None
    }
    if application.pitch_deck_id is None:
        missing["pitch_deck"] = _("Upload your pitch deck (PDF) to submit.")
    return missing


def submit_application(
    application: Application, *, actor: User, now: datetime | None = None
) -> None:
    """Submit a complete draft before the deadline; mails every founder a confirmation."""
    _check_owner_draft(application, actor)
    now = now or utcnow()
    cohort = _cohort_with_program(application.cohort_id)
    _check_open(cohort, now)
    startup = db.session.get(Startup, application.startup_id)
    missing = _missing_answers(application)
    if missing_profile_fields(startup):
        missing["profile"] = _(
            "Complete your startup profile (country, sector, stage, description)."
        )
    if missing:
        raise Incomplete(
            _("Your draft is saved, but some answers are missing before you can submit."),
            missing,
        )
    change_status(
        application,
        ApplicationStatus.SUBMITTED,
        actor=actor,
        action="application.submitted",
        data={"cohort_id": cohort.id},
        now=now,
    )
    link = external_url("applications.show", application_id=application.id)
    for email in founder_emails(application.startup_id):
        queue_mail(
            email,
            _l("We received your application to %(cohort)s", cohort=cohort.name),
            "application_submitted.txt",
            application=application,
            startup=startup,
            cohort=cohort,
            program=cohort.program,
            link=link,
        )
    db.session.flush()


def withdraw_application(application: Application, *, actor: User) -> None:
    """The startup withdraws its application; possible until a decision is made."""
    if founder_startup_id(actor) != application.startup_id:
        raise NotAllowed(_("Only the startup's founders can withdraw its application."))
    if application.status not in OPEN_STATES:
        raise InvalidState(
            _("A decision has been made: this application can no longer be withdrawn.")
        )
    change_status(
        application, ApplicationStatus.WITHDRAWN, actor=actor, action="application.withdrawn"
    )
    db.session.flush()
