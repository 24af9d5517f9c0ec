"""Grants: one per enrollment, with a ledger of disbursements that never exceeds the grant.

The cap lives in the database: `grants.committed_cents` is the sum of every disbursement that is
not cancelled (requested, approved, paid, and negative correction rows), a CHECK keeps it between
0 and `amount_cents`, and services move it with a guarded UPDATE while holding the grant's row
lock. Ledger rows are never deleted; a paid row is never edited, only reversed by a correction.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accelerator.core.enums import RichStrEnum
from accelerator.core.types import UTCDateTime, enum_column, utcnow
from accelerator.extensions import db

if TYPE_CHECKING:
    from accelerator.auth.models import User
    from accelerator.programs.models import Enrollment


class Grant(db.Model):
    """The money promised to an enrolled startup; disbursements draw on it up to the cap."""

    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), unique=True)
    amount_cents: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3))
    #: Sum of the amounts of all rows that are not cancelled (corrections are negative).
    committed_cents: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    enrollment: Mapped[Enrollment] = relationship(lazy="raise")
    disbursements: Mapped[list[Disbursement]] = relationship(
        back_populates="grant", lazy="raise", order_by="Disbursement.id"
    )

    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("committed_cents >= 0", name="committed_not_negative"),
        CheckConstraint("committed_cents <= amount_cents", name="committed_within_amount"),
    )

    @property
    def remaining_cents(self) -> int:
        return self.amount_cents - self.committed_cents


class DisbursementStatus(RichStrEnum):
    #: What each status may become; services refuse anything else, saying why.
    __moves__ = {
        "requested": frozenset({"approved", "cancelled"}),
        "approved": frozenset({"paid", "cancelled"}),
        "paid": frozenset(),
        "cancelled": frozenset(),
    }
    __refusals__ = {
        "requested": _l("This disbursement must be approved before it is paid."),
        "approved": _l("This disbursement is already approved."),
        "paid": _l("This disbursement is already paid. Record a correction to reverse it."),
        "cancelled": _l("This disbursement was cancelled; nothing more can be done with it."),
    }

    # waiting for a second staff member's approval
    REQUESTED = "requested", _l("Awaiting approval"), "text-bg-warning"
    # waiting for the bank transfer
    APPROVED = "approved", _l("Approved"), "text-bg-primary"
    PAID = "paid", _l("Paid"), "text-bg-success"
    CANCELLED = "cancelled", _l("Cancelled"), "text-bg-secondary"


class DisbursementKind(enum.StrEnum):
    TRANCHE = "tranche"  # money going out for a tranche of the plan (positive amount)
    CORRECTION = "correction"  # a reversing entry against a paid row (negative amount)


class Disbursement(db.Model):
    """One ledger row: money requested, approved (by someone else), paid, or cancelled."""

    __tablename__ = "disbursements"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id"), index=True)
    kind: Mapped[DisbursementKind] = mapped_column(
        enum_column(DisbursementKind, "disbursement_kind"), default=DisbursementKind.TRANCHE
    )
    tranche_key: Mapped[str] = mapped_column(String(40))
    amount_cents: Mapped[int] = mapped_column()
    status: Mapped[DisbursementStatus] = mapped_column(
        enum_column(DisbursementStatus, "disbursement_status"),
        default=DisbursementStatus.REQUESTED,
    )
    note: Mapped[str] = mapped_column(Text, default="")
    #: A hidden form field: a replayed form finds this row instead of creating another.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("disbursements.id"), index=True)

    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when it was recorded
    paid_on: Mapped[date | None] = mapped_column(Date, index=True)  # the bank's value date
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    grant: Mapped[Grant] = relationship(back_populates="disbursements", lazy="raise")
    corrects: Mapped[Disbursement | None] = relationship(remote_side=[id], lazy="raise")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id], lazy="raise")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id], lazy="raise")
    paid_by: Mapped[User | None] = relationship(foreign_keys=[paid_by_id], lazy="raise")
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id], lazy="raise")

    __table_args__ = (
        Index("ix_disbursements_grant_status", "grant_id", "status"),
        CheckConstraint(
            "(kind = 'tranche' AND amount_cents > 0 AND corrects_id IS NULL)"
            " OR (kind = 'correction' AND amount_cents < 0 AND corrects_id IS NOT NULL"
            " AND status = 'paid')",
            name="kind_amount",
        ),
        # Four eyes: nobody approves their own request.
        CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id <> requested_by_id", name="four_eyes"
        ),
        CheckConstraint(
            "kind = 'correction' OR status NOT IN ('approved', 'paid') OR approved_at IS NOT NULL",
            name="approved_has_time",
        ),
        CheckConstraint(
            "status <> 'requested' OR approved_at IS NULL", name="requested_not_approved"
        ),
        CheckConstraint(
            "(approved_at IS NULL) = (approved_by_id IS NULL)", name="approved_has_approver"
        ),
        CheckConstraint(
            "(status = 'paid') = (paid_on IS NOT NULL AND paid_at IS NOT NULL)",
            name="paid_has_date",
        ),
        CheckConstraint(
            "kind = 'correction' OR (status = 'paid') = (payment_reference IS NOT NULL)",
            name="paid_has_reference",
        ),
        CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL)",
            name="cancelled_has_reason",
        ),
    )

    @property
    def is_correction(self) -> bool:
        return self.kind == DisbursementKind.CORRECTION

    @property
    def counts_against_cap(self) -> bool:
        return self.status != DisbursementStatus.CANCELLED

    # What this row contributes to each column of the ledger (paid <= approved <= requested).
    @property
    def requested_cents(self) -> int:
        return self.amount_cents

    @property
    def approved_cents(self) -> int:
        ok = self.status in (DisbursementStatus.APPROVED, DisbursementStatus.PAID)
        return self.amount_cents if ok else 0

    @property
    def paid_cents(self) -> int:
        return self.amount_cents if self.status == DisbursementStatus.PAID else 0
