"""The events an endpoint may hear, and the audit actions each is caught from.

An event is caught from the act's audit record (`hooks.audit_recorded`): its action names it,
and the object recorded (or, for the ledger, the disbursement the record names) is the one
whose snapshot (payloads.py) the event carries. `ping` is sent only by staff's test button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from accelerator.extensions import db
from accelerator.grants.models import Disbursement
from accelerator.webhooks import payloads

PING = "ping"


@dataclass(frozen=True)
class Catch:
    """How one audit action becomes an event: its name and the snapshot of its object."""

    event: str
    snapshot: Callable[[Any], dict[str, Any]]
    #: The object to snapshot, from the recorded object and the record's data.
    subject: Callable[[Any, dict[str, Any]], Any] = lambda obj, _data: obj


def _disbursement(_grant, data: dict[str, Any]) -> Disbursement | None:
    """The ledger's acts are recorded on the grant; the row is named in the record."""
    row_id = data.get("disbursement_id")
    return db.session.get(Disbursement, row_id) if isinstance(row_id, int) else None


def _ledger(event: str) -> Catch:
    return Catch(event, payloads.disbursement, _disbursement)


#: Audit action -> event. Only acts that are clearly the event (a decision, a payment).
ACTIONS: dict[str, Catch] = {
    "application.submitted": Catch("application.submitted", payloads.application),
    "application.decided": Catch("application.decided", payloads.application),
    "enrollment.created": Catch("enrollment.created", payloads.enrollment),
    "grant.disbursement_requested": _ledger("disbursement.requested"),
    "grant.disbursement_approved": _ledger("disbursement.approved"),
    "grant.disbursement_paid": _ledger("disbursement.paid"),
    "milestone.approved": Catch("milestone.approved", payloads.milestone),
    "checkin.submitted": Catch("checkin.submitted", payloads.checkin),
    "mentoring.red_flag_raised": Catch("session.red_flagged", payloads.session),
    "pilot.decided": Catch("pilot.decided", payloads.pilot),
    "campaign.closed": Catch("campaign.closed", payloads.campaign),
    "guest.answered": Catch("guest.responded", payloads.guest),
}

#: Every event staff may subscribe to, with what it means (the form's choices, in order).
EVENTS: dict[str, Any] = {
    "application.submitted": _l("A startup submitted an application"),
    "application.decided": _l("An application was accepted, waitlisted or rejected"),
    "enrollment.created": _l("A startup was enrolled in a cohort"),
    "disbursement.requested": _l("A grant tranche was requested"),
    "disbursement.approved": _l("A grant tranche was approved"),
    "disbursement.paid": _l("A grant tranche was paid"),
    "milestone.approved": _l("A milestone was approved"),
    "checkin.submitted": _l("A startup submitted a check-in"),
    "session.red_flagged": _l("A mentor raised a red flag on a session"),
    "pilot.decided": _l("A business unit decided on a pilot (go or no-go)"),
    "campaign.closed": _l("A customer test campaign was closed"),
    "guest.responded": _l("A demo day guest answered the invitation"),
}

assert set(EVENTS) == {catch.event for catch in ACTIONS.values()}  # noqa: S101  (one list)
