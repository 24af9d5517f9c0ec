"""Milestone rules: staff add, move and drop one for a startup; founders submit evidence; staff
approve or send back. Approving a milestone that releases a tranche requests that tranche in the
grant ledger, through the grants service (so its cap and four-eyes approval hold)."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.core import audit
from accelerator.core.errors import NotAllowed, ValidationFailed
from accelerator.core.files import store_pdf_upload
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.permissions import require_staff
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants import services as grant_services
from accelerator.milestones import notify
from accelerator.milestones.checkins import (  # noqa: F401  (other domains' writes: the API)
    CheckinInput,
    submit_checkin,
)
from accelerator.milestones.models import Milestone, MilestoneStatus
from accelerator.programs.models import Cohort, Enrollment

MS = MilestoneStatus
MAX_TEXT = 4000
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _text(value: str | None, *, field: str, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(required, field=field)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(_("Please keep this under 4,000 characters."), field=field)
    return value


def _lock(milestone: Milestone) -> Milestone:
    """Re-read the milestone under its row lock, so two staff members cannot both review it."""
    return lock(Milestone, milestone.id)


def _where(milestone: Milestone) -> tuple[Enrollment, Cohort, Startup]:
    """The milestone's enrollment, cohort and startup (one query)."""
    return tuple(
        db.session.execute(
            select(Enrollment, Cohort, Startup)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .join(Startup, Startup.id == Enrollment.startup_id)
            .where(Enrollment.id == milestone.enrollment_id)
        ).one()
    )


def _audit(action: str, milestone: Milestone, actor, **data) -> None:
    audit.record(
        action,
        milestone,
        actor=actor,
        startup=db.session.get(Enrollment, milestone.enrollment_id).startup_id,
        data={"title": milestone.title, "enrollment_id": milestone.enrollment_id, **data},
    )


def _check_due(cohort: Cohort, due_on: date | None) -> date:
    if due_on is None:
        raise ValidationFailed(_("Enter the due date."), field="due_on")
    if not cohort.starts_on <= due_on <= cohort.ends_on:
        raise ValidationFailed(
            _(
                "Choose a date within the cohort (%(start)s to %(end)s).",
                start=cohort.starts_on.isoformat(),
                end=cohort.ends_on.isoformat(),
            ),
            field="due_on",
        )
    return due_on


# --- staff: one startup's milestones --------------------------------------------------------


def add_milestone(
    enrollment: Enrollment,
    *,
    actor,
    title: str,
    description: str = "",
    due_on: date | None,
    kpi_targets: str = "",
) -> Milestone:
    """A milestone for this startup only (no plan line, no tranche)."""
    require_staff(actor)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    title = _text(title, field="title", required=_("Give the milestone a title."))
    if len(title) > 160:
        raise ValidationFailed(_("A title has at most 160 characters."), field="title")
    milestone = Milestone(
        enrollment_id=enrollment.id,
        title=title,
        description=_text(description, field="description"),
        kpi_targets=_text(kpi_targets, field="kpi_targets"),
        due_on=_check_due(cohort, due_on),
        status=MS.PLANNED,
    )
    db.session.add(milestone)
    db.session.flush()
    _audit("milestone.added", milestone, actor, due_on=milestone.due_on.isoformat())
    return milestone


def move_milestone(milestone: Milestone, *, actor, due_on: date | None, reason: str) -> Milestone:
    """Give one startup's milestone another due date (the reason is recorded)."""
    require_staff(actor)
    milestone = _lock(milestone)
    if milestone.status in (MS.APPROVED, MS.DROPPED):
        milestone.status.check_move(MS.SUBMITTED)
    _enrollment, cohort, _startup = _where(milestone)
    due_on = _check_due(cohort, due_on)
    if due_on == milestone.due_on:
        raise ValidationFailed(_("The milestone is already due on this date."), field="due_on")
    reason = _text(reason, field="reason", required=_("Say why the date moves."))
    previous = milestone.due_on
    milestone.due_on = due_on
    db.session.flush()
    _audit(
        "milestone.moved",
        milestone,
        actor,
        **{"from": previous.isoformat(), "to": due_on.isoformat(), "reason": reason},
    )
    return milestone


def drop_milestone(milestone: Milestone, *, actor, reason: str) -> Milestone:
    """Drop one startup's milestone (kept, struck through; its tranche is no longer released)."""
    milestone = _to_review(milestone, actor, MS.DROPPED)
    reason = _text(reason, field="reason", required=_("Say why the milestone is dropped."))
    _reviewed(milestone, actor, MS.DROPPED, reason)
    _audit("milestone.dropped", milestone, actor, reason=reason)
    return milestone


# --- founders: evidence ---------------------------------------------------------------------


def submit_milestone(
    milestone: Milestone, *, actor, text: str, link: str | None, upload=None
) -> Milestone:
    """Submit evidence (text, an optional link and an optional PDF) for staff review."""
    enrollment, _cohort, startup = _where(milestone)
    if not is_founder_of(actor, enrollment.startup_id):
        raise NotAllowed(_("Only the startup's founders can submit its milestones."))
    milestone = _lock(milestone)
    milestone.status.check_move(MS.SUBMITTED)
    text = _text(text, field="evidence_text", required=_("Describe what you achieved."))
    link = (link or "").strip() or None
    if link is not None and (len(link) > 500 or not URL.match(link)):
        raise ValidationFailed(
            _("Enter a full web address starting with https://."), field="evidence_link"
        )
    if upload is not None and getattr(upload, "filename", None):
        stored = store_pdf_upload(
            upload,
            max_bytes=current_app.config.get("PITCH_DECK_MAX_BYTES", EVIDENCE_MAX_BYTES),
            uploaded_by=actor,
            field="evidence_file",
        )
        milestone.evidence_file_id = stored.id
    milestone.evidence_text = text
    milestone.evidence_link = link
    milestone.status = MS.SUBMITTED
    milestone.submitted_by_id = actor.id
    milestone.submitted_at = utcnow()
    db.session.flush()
    _audit("milestone.submitted", milestone, actor, file=milestone.evidence_file_id)
    notify.send(
        "submitted",
        notify.staff_emails(),
        startup_name=startup.name,
        title=milestone.title,
        endpoint="milestones.milestone",
        values={"milestone_id": milestone.id},
        actor=actor,
    )
    return milestone


# --- staff: review --------------------------------------------------------------------------


def idempotency_key(milestone: Milestone) -> str:
    """The ledger key of the request a milestone's approval makes: approving twice, or two
    staff members at once, finds the one row."""
    return f"milestone-{milestone.id:08d}-{milestone.tranche_key}"[:64]


def release_tranche(milestone: Milestone, *, actor):
    """Request the milestone's tranche in the grant ledger (what it still needs, within what
    remains of the grant). Returns (disbursement or None, why nothing was requested)."""
    return grant_services.release_tranche(
        milestone.enrollment_id,
        milestone.tranche_key,
        actor=actor,
        idempotency_key=idempotency_key(milestone),
        note=_("Released by the approved milestone “%(title)s”.", title=milestone.title),
    )


def _to_review(milestone: Milestone, actor, target: MilestoneStatus) -> Milestone:
    """Staff only: the milestone under its row lock, if it may move to `target`."""
    require_staff(actor)
    milestone = _lock(milestone)
    milestone.status.check_move(target)
    return milestone


def _reviewed(milestone: Milestone, actor, status: MilestoneStatus, comment: str) -> None:
    """Record a staff decision on the milestone: its status, who, when and why."""
    milestone.status = status
    milestone.reviewed_by_id = actor.id
    milestone.reviewed_at = utcnow()
    milestone.review_comment = comment
    db.session.flush()


def _tell_founders(event: str, milestone: Milestone, actor, **context) -> None:
    enrollment, _cohort, startup = _where(milestone)
    notify.send(
        event,
        notify.founder_emails(enrollment.startup_id),
        startup_name=startup.name,
        title=milestone.title,
        endpoint="milestones.milestone",
        values={"milestone_id": milestone.id},
        actor=actor,
        **context,
    )


def approve_milestone(milestone: Milestone, *, actor, comment: str = ""):
    """Approve submitted evidence; a milestone that releases a tranche requests it in the grant
    ledger (another staff member approves the payment). Returns (milestone, row, note)."""
    milestone = _to_review(milestone, actor, MS.APPROVED)
    comment = _text(comment, field="comment")
    row, note = None, None
    if milestone.tranche_key:  # first: a refused request leaves the milestone as it was
        row, note = release_tranche(milestone, actor=actor)
        milestone.disbursement_id = row.id if row is not None else None
    _reviewed(milestone, actor, MS.APPROVED, comment)
    _audit(
        "milestone.approved",
        milestone,
        actor,
        tranche=milestone.tranche_key,
        disbursement_id=milestone.disbursement_id,
    )
    _tell_founders("approved", milestone, actor, comment=comment, tranche_requested=row is not None)
    return milestone, row, note


def send_back_milestone(milestone: Milestone, *, actor, comment: str) -> Milestone:
    """Send submitted evidence back to the founders with what is missing."""
    milestone = _to_review(milestone, actor, MS.SENT_BACK)
    comment = _text(comment, field="comment", required=_("Say what is missing."))
    _reviewed(milestone, actor, MS.SENT_BACK, comment)
    _audit("milestone.sent_back", milestone, actor, comment=comment)
    _tell_founders("sent_back", milestone, actor, comment=comment)
    return milestone
