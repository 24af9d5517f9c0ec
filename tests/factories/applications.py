"""Builders for startups, their founders and applications."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.models import (
    Application,
    ApplicationStatus,
    Stage,
    Startup,
    StartupMember,
)
from accelerator.auth.models import User
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from tests.factories.auth import make_user, unique
from tests.factories.programs import make_cohort

__all__ = [
    "make_startup",
    "make_application",
    "founder_of",
    "COMPLETE_ANSWERS",
    "PDF_BYTES",
    "make_deck",
]

COMPLETE_ANSWERS = {
    "one_liner": "Visual search for spare parts, from a phone photo.",
    "problem": "Field technicians lose hours finding the right spare part.",
    "solution": "A visual search app that identifies parts from a photo.",
    "traction": "Three paying pilots, 40% month-on-month growth.",
    "monthly_revenue_cents": 1_250_000,
    "active_users": 1800,
    "team": "Two engineers and a former telecom operations lead.",
    "funding_raised_cents": 50_000_000,
    "program_goals": "A pilot with a network business unit.",
    "business_unit_asks": "Access to field operations in two regions.",
}


#: The smallest file our checks take for a PDF (the signature is what counts).
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_deck(data: bytes = PDF_BYTES, filename: str = "deck.pdf"):
    """A stored PDF pitch deck (attach it with pitch_deck_id=deck.id)."""
    from accelerator.core.files import store_bytes

    return store_bytes(data, filename=filename, content_type="application/pdf")


def founder_of(application_or_startup) -> User:
    """The first founder of an application's (or a startup's) startup."""
    startup_id = getattr(application_or_startup, "startup_id", None) or application_or_startup.id
    return db.session.scalar(
        select(User)
        .join(StartupMember, StartupMember.user_id == User.id)
        .where(StartupMember.startup_id == startup_id)
        .order_by(StartupMember.id)
        .limit(1)
    )


def make_startup(*, founders: list[User] | None = None, **fields) -> Startup:
    """A startup; with founders=None it gets one new founder user."""
    fields.setdefault("name", unique("Startup "))
    fields.setdefault("country", "FR")
    fields.setdefault("sector", "Telecom")
    fields.setdefault("stage", Stage.SEED)
    fields.setdefault("description", "We make networks smarter.")
    startup = Startup(**fields)
    db.session.add(startup)
    db.session.flush()
    for user in founders if founders is not None else [make_user(role="founder")]:
        db.session.add(StartupMember(startup_id=startup.id, user_id=user.id))
    db.session.flush()
    return startup


def make_application(
    *,
    cohort: Cohort | None = None,
    startup: Startup | None = None,
    status: ApplicationStatus | str = ApplicationStatus.SUBMITTED,
    complete: bool = True,
    **fields,
) -> Application:
    """An application in `status` (submitted by default, with complete answers)."""
    status = ApplicationStatus(status)
    values = dict(COMPLETE_ANSWERS) if complete else {}
    values.update(fields)
    if status != ApplicationStatus.DRAFT:
        values.setdefault("submitted_at", utcnow())
    if status == ApplicationStatus.WITHDRAWN:
        values.setdefault("withdrawn_at", utcnow())
    application = Application(
        cohort_id=(cohort or make_cohort()).id,
        startup_id=(startup or make_startup()).id,
        status=status,
        **values,
    )
    db.session.add(application)
    db.session.flush()
    return application
