"""Snapshots of the objects an event is about: explicit fields, one function per kind.

Each picks what a consumer needs (ids, status, names, money in minor units with its currency,
ISO 8601 times with their offset) and nothing private: never a mentor's private notes, a
session's summary, a token or a personal link, a guest's or tester's e-mail address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from accelerator.applications.models import Application, Startup
from accelerator.demoday.models import DemoDay, Guest
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, Grant
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.pilots.models import BusinessUnit, Pilot
from accelerator.programs.models import Cohort, Enrollment
from accelerator.sessions.models import MentorSession
from accelerator.testers.models import Campaign


def when(value: datetime | date | None) -> str | None:
    """ISO 8601: a time in UTC with its offset (+00:00), a date as YYYY-MM-DD."""
    return value.isoformat() if value is not None else None


def money(cents: int | None, currency: str) -> dict[str, Any] | None:
    return None if cents is None else {"amount": cents, "currency": currency}


def _startup(startup_id: int) -> dict[str, Any]:
    startup = db.session.get(Startup, startup_id)
    return {"id": startup_id, "name": startup.name if startup else None}


def _cohort(cohort_id: int) -> dict[str, Any]:
    cohort = db.session.get(Cohort, cohort_id)
    return {"id": cohort_id, "name": cohort.name if cohort else None}


def _enrolled(enrollment_id: int) -> dict[str, Any]:
    enrollment = db.session.get(Enrollment, enrollment_id)
    return {
        "enrollment_id": enrollment_id,
        "startup": _startup(enrollment.startup_id),
        "cohort": _cohort(enrollment.cohort_id),
    }


def application(obj: Application) -> dict[str, Any]:
    return {
        "id": obj.id,
        "status": obj.status.value,
        "startup": _startup(obj.startup_id),
        "cohort": _cohort(obj.cohort_id),
        "submitted_at": when(obj.submitted_at),
    }


def enrollment(obj: Enrollment) -> dict[str, Any]:
    return {
        "id": obj.id,
        "application_id": obj.application_id,
        "startup": _startup(obj.startup_id),
        "cohort": _cohort(obj.cohort_id),
        "created_at": when(obj.created_at),
    }


def disbursement(obj: Disbursement) -> dict[str, Any]:
    grant = db.session.get(Grant, obj.grant_id)
    return {
        "id": obj.id,
        "grant_id": obj.grant_id,
        **_enrolled(grant.enrollment_id),
        "kind": obj.kind.value,
        "tranche": obj.tranche_key,
        "amount": money(obj.amount_cents, grant.currency),
        "status": obj.status.value,
        "requested_at": when(obj.requested_at),
        "approved_at": when(obj.approved_at),
        "paid_on": when(obj.paid_on),
        "payment_reference": obj.payment_reference,
    }


def milestone(obj: Milestone) -> dict[str, Any]:
    return {
        "id": obj.id,
        **_enrolled(obj.enrollment_id),
        "title": obj.title,
        "status": obj.status.value,
        "due_on": when(obj.due_on),
        "tranche": obj.tranche_key,
        "disbursement_id": obj.disbursement_id,
        "reviewed_at": when(obj.reviewed_at),
    }


def checkin(obj: CheckIn) -> dict[str, Any]:
    return {
        "id": obj.id,
        **_enrolled(obj.enrollment_id),
        "period_on": when(obj.period_on),
        "health": obj.health.value,
        "kpis": {
            "revenue": money(obj.revenue_cents, obj.currency),
            "raised": money(obj.raised_cents, obj.currency),
            "active_users": obj.active_users,
            "headcount": obj.headcount,
            "pilots": obj.pilots,
        },
        "created_at": when(obj.created_at),
    }


def session(obj: MentorSession) -> dict[str, Any]:
    """A red-flagged session: when and why, never its private notes nor its summary."""
    return {
        "id": obj.id,
        "startup": _startup(obj.startup_id),
        "cohort": _cohort(obj.cohort_id),
        "mentor_id": obj.mentor_id,
        "starts_at": when(obj.starts_at),
        "duration_minutes": obj.duration_minutes,
        "red_flag": {"reason": obj.red_flag_reason, "raised_at": when(obj.red_flag_at)},
    }


def pilot(obj: Pilot) -> dict[str, Any]:
    unit = db.session.get(BusinessUnit, obj.business_unit_id)
    return {
        "id": obj.id,
        "title": obj.title,
        "status": obj.status.value,
        "decision": obj.decision.value if obj.decision else None,
        "contract_value": money(obj.contract_value_cents, obj.currency),
        "startup": _startup(obj.startup_id),
        "business_unit": {"id": obj.business_unit_id, "name": unit.name if unit else None},
        "cohort": _cohort(obj.cohort_id),
        "decided_at": when(obj.decided_at),
    }


def campaign(obj: Campaign) -> dict[str, Any]:
    return {
        "id": obj.id,
        "title": obj.title,
        "status": obj.status.value,
        "startup": _startup(obj.startup_id),
        "cohort": _cohort(obj.cohort_id),
        "responses_wanted": obj.responses_wanted,
        "opens_on": when(obj.opens_on),
        "closes_on": when(obj.closes_on),
    }


def guest(obj: Guest) -> dict[str, Any]:
    """A guest's answer: name and firm, never their address or personal link."""
    demo_day = db.session.get(DemoDay, obj.demo_day_id)
    return {
        "id": obj.id,
        "name": obj.name,
        "firm": obj.firm,
        "kind": obj.kind.value,
        "rsvp": obj.rsvp.value,
        "plus_ones": obj.plus_ones,
        "seats": obj.seats,
        "responded_at": when(obj.responded_at),
        "demo_day": {
            "id": obj.demo_day_id,
            "cohort": _cohort(demo_day.cohort_id) if demo_day else None,
            "starts_at": when(demo_day.starts_at) if demo_day else None,
        },
    }
