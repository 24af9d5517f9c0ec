"""/api/v1 grants and their ledger rows; a disbursement requested with an Idempotency-Key.

The request goes through `grants.services.request_disbursement`, the page's: staff only, four
eyes to approve, never over the grant. The `Idempotency-Key` header is the ledger's own
idempotency key: the same key again answers the row it made (200), the same key with another
request is refused (409).
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accelerator.api import paging
from accelerator.api.filters import Id, narrowed
from accelerator.api.queries import one, only_visible
from accelerator.api.resources import resource_blueprint
from accelerator.core.errors import Conflict, Invalid
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor
from accelerator.extensions import db
from accelerator.grants import services
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.grants.schemas import DisbursementRequestSchema, DisbursementSchema, GrantSchema
from accelerator.programs.models import Enrollment

blp = resource_blueprint(
    "grants",
    __name__,
    scope="grants",
    label=_l("Grants"),
    description="Grants and their disbursement ledger.",
)
KEY_HEADER = "Idempotency-Key"


def _grants():
    statement = select(Grant).join(Enrollment).options(joinedload(Grant.enrollment))
    return only_visible(statement, Enrollment.startup_id, current_user, mentors=False)


class GrantArgs(paging.ListArgs):
    cohort_id = Id()
    startup_id = Id()


@blp.route("/grants")
@blp.arguments(GrantArgs, location="query")
@blp.response(200, paging.page_of(GrantSchema))
def list_grants(args):
    """Grants: staff see all; founders their startup's."""
    equal = {"cohort_id": Enrollment.cohort_id, "startup_id": Enrollment.startup_id}
    statement = narrowed(_grants(), args, equal=equal)
    return paging.paginate(statement, Grant.id, args)


@blp.route("/grants/<int:grant_id>")
@blp.response(200, GrantSchema)
def get_grant(grant_id: int):
    """One grant: its amount and what is committed of it."""
    return one(_grants().where(Grant.id == grant_id))


class LedgerArgs(paging.ListArgs):
    status = fields.Enum(DisbursementStatus, by_value=True, load_default=None)
    requested_after = fields.AwareDateTime(load_default=None)
    requested_before = fields.AwareDateTime(load_default=None)


def _rows(grant: Grant):
    return (
        select(Disbursement)
        .where(Disbursement.grant_id == grant.id)
        .options(joinedload(Disbursement.grant))
    )


@blp.route("/grants/<int:grant_id>/disbursements")
@blp.arguments(LedgerArgs, location="query")
@blp.response(200, paging.page_of(DisbursementSchema))
def list_disbursements(args, grant_id: int):
    """A grant's ledger rows (corrections included), by status and request date."""
    statement = narrowed(
        _rows(one(_grants().where(Grant.id == grant_id))),
        args,
        equal={"status": Disbursement.status},
        since={"requested_after": Disbursement.requested_at},
        before={"requested_before": Disbursement.requested_at},
    )
    return paging.paginate(statement, Disbursement.id, args)


@blp.route("/grants/<int:grant_id>/disbursements", methods=["POST"])
@blp.arguments(DisbursementRequestSchema)
@blp.response(201, DisbursementSchema)
@blp.alt_response(200, schema=DisbursementSchema, description="A replay: the row it made")
@blp.doc(
    parameters=[
        {
            "in": "header",
            "name": KEY_HEADER,
            "required": True,
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
            "description": "16 to 64 letters, digits, - or _; the same key replays the request",
        }
    ]
)
def request_disbursement(body, grant_id: int):
    """Request a tranche's disbursement (staff); another staff member approves it."""
    grant = one(_grants().where(Grant.id == grant_id))
    key = request.headers.get(KEY_HEADER, "").strip()
    if not services.valid_idempotency_key(key):
        raise Invalid(
            _("Send an Idempotency-Key header: 16 to 64 letters, digits, - or _."),
            field=KEY_HEADER,
        )
    row, created = services.request_disbursement(
        grant,
        actor=current_actor(),
        tranche_key=body["tranche"],
        amount_cents=body["amount"],
        idempotency_key=key,
        note=body["note"],
    )
    asked = (body["tranche"], body["amount"], body["note"].strip())
    if not created and (row.tranche_key, row.amount_cents, row.note) != asked:
        raise Conflict(
            _("This Idempotency-Key was already used for another request."), field=KEY_HEADER
        )
    db.session.commit()
    row = one(_rows(grant).where(Disbursement.id == row.id))
    return row, 201 if created else 200
