"""Random sequences of request/approve/pay/cancel/correct/change-amount against one grant.

Invariants after every step: committed <= cap; committed equals the sum of the rows that are
not cancelled; per row paid <= approved <= requested; the totals the grant page shows equal
the sums of the rows; a refused step changes nothing.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from accelerator.core.errors import DomainError
from accelerator.grants import services
from accelerator.grants.ledger import build_ledger
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.grants.queries import ledger_of, load_context
from tests import factories
from tests.grants.helpers import new_key, snapshot

S = DisbursementStatus
AMOUNTS = st.one_of(
    st.integers(min_value=1, max_value=600_000),
    st.integers(min_value=-1_000, max_value=2_500_000),
    st.sampled_from([0, 1, 500_000, 1_000_000, 2_000_000]),
)


def test_the_ledger_state_machine(db):
    class LedgerMachine(RuleBasedStateMachine):
        @initialize()
        def setup(self):
            self.staff = [factories.make_user(role="staff") for _ in range(2)]
            self.grant = factories.make_grant(amount_cents=2_000_000)
            db.session.commit()

        def _rows(self) -> list[Disbursement]:
            db.session.expire_all()
            return list(
                db.session.scalars(
                    select(Disbursement)
                    .where(Disbursement.grant_id == self.grant.id)
                    .order_by(Disbursement.id)
                )
            )

        def _act(self, name: str, action) -> None:
            before = snapshot(self.grant.id)
            try:
                action()
            except DomainError:
                db.session.rollback()
                assert snapshot(self.grant.id) == before, "a refused step changed the ledger"
                event(f"{name} refused")
            else:
                db.session.commit()
                event(f"{name} done")

        def _pick(self, data, statuses):
            """Mostly a row where the step makes sense, sometimes any row (to be refused)."""
            rows = self._rows()
            fitting = [r for r in rows if r.status in statuses and not r.is_correction]
            pool = fitting if fitting and data.draw(st.integers(0, 4)) else rows
            return data.draw(st.sampled_from(pool)) if pool else None

        @rule(
            who=st.integers(0, 1),
            tranche=st.sampled_from(["kickoff", "midpoint", "demo_day", "bogus"]),
            amount=AMOUNTS,
            replay=st.booleans(),
        )
        def request(self, who, tranche, amount, replay):
            rows = self._rows()
            key = rows[-1].idempotency_key if replay and rows else new_key()
            self._act(
                "request",
                lambda: services.request_disbursement(
                    self.grant,
                    actor=self.staff[who],
                    tranche_key=tranche,
                    amount_cents=amount,
                    idempotency_key=key,
                ),
            )

        @rule(data=st.data())
        def approve(self, data):
            row = self._pick(data, {S.REQUESTED})
            if row is not None:
                others = [u for u in self.staff if u.id != row.requested_by_id]
                # Mostly a second person and the right amount; sometimes the requester or a
                # tampered amount, which must be refused.
                who = data.draw(st.sampled_from(others * 4 + self.staff))
                seen = row.amount_cents + data.draw(st.sampled_from([0, 0, 0, 0, 1, -100]))
                self._act(
                    "approve",
                    lambda: services.approve_disbursement(row, actor=who, seen_amount_cents=seen),
                )

        @rule(data=st.data(), who=st.integers(0, 1))
        def pay(self, data, who):
            row = self._pick(data, {S.APPROVED})
            if row is not None:
                self._act(
                    "pay",
                    lambda: services.mark_paid(
                        row, actor=self.staff[who], paid_on=date.today(), payment_reference="T-1"
                    ),
                )

        @rule(data=st.data(), reason=st.sampled_from(["Not needed"] * 3 + [""]))
        def cancel(self, data, reason):
            row = self._pick(data, {S.REQUESTED, S.APPROVED})
            if row is not None:
                self._act(
                    "cancel",
                    lambda: services.cancel_disbursement(row, actor=self.staff[0], reason=reason),
                )

        @rule(data=st.data(), amount=AMOUNTS)
        def correct(self, data, amount):
            row = self._pick(data, {S.PAID})
            if row is not None:
                self._act(
                    "correct",
                    lambda: services.correct_payment(
                        row,
                        actor=self.staff[1],
                        amount_cents=amount,
                        reason="Bank returned it",
                        idempotency_key=new_key(),
                    ),
                )

        @rule(data=st.data())
        def advance(self, data):
            """Move a live row one proper step on (approve, pay, or reverse part of a payment),
            so random runs reach paid rows and corrections often."""
            rows = [r for r in self._rows() if not r.is_correction and r.status != S.CANCELLED]
            if not rows:
                return
            row = data.draw(st.sampled_from(rows))
            if row.status == S.REQUESTED:
                other = next(u for u in self.staff if u.id != row.requested_by_id)
                self._act(
                    "advance",
                    lambda: services.approve_disbursement(
                        row, actor=other, seen_amount_cents=row.amount_cents
                    ),
                )
            elif row.status == S.APPROVED:
                self._act(
                    "advance",
                    lambda: services.mark_paid(
                        row, actor=self.staff[0], paid_on=date.today(), payment_reference="T-2"
                    ),
                )
            else:
                amount = data.draw(st.integers(min_value=1, max_value=row.amount_cents))
                self._act(
                    "advance",
                    lambda: services.correct_payment(
                        row,
                        actor=self.staff[0],
                        amount_cents=amount,
                        reason="Refund",
                        idempotency_key=new_key(),
                    ),
                )

        @rule(
            amount=st.one_of(
                st.integers(min_value=-10, max_value=3_000_000),
                st.sampled_from([1_000_000, 2_000_000, 2_500_000]),
            )
        )
        def change_amount(self, amount):
            self._act(
                "change_amount",
                lambda: services.change_grant_amount(
                    self.grant, actor=self.staff[0], amount_cents=amount, reason="Budget"
                ),
            )

        @invariant()
        def ledger_adds_up(self):
            if not hasattr(self, "grant"):
                return
            rows = self._rows()
            grant = db.session.get(Grant, self.grant.id)
            live = sum(r.amount_cents for r in rows if r.status != S.CANCELLED)
            assert 0 <= grant.committed_cents == live <= grant.amount_cents
            for row in rows:
                assert row.paid_cents <= row.approved_cents <= row.requested_cents
                if row.is_correction:
                    assert row.amount_cents < 0 and row.status == S.PAID
            for original in (r for r in rows if not r.is_correction and r.status == S.PAID):
                net = original.amount_cents + sum(
                    r.amount_cents for r in rows if r.corrects_id == original.id
                )
                assert net >= 0
            page = ledger_of(load_context(grant.id))
            totals = page.totals
            assert totals.requested == sum(r.amount_cents for r in rows if r.status == S.REQUESTED)
            assert totals.approved == sum(r.amount_cents for r in rows if r.status == S.APPROVED)
            assert totals.paid == sum(r.paid_cents for r in rows)
            assert totals.cancelled == sum(r.amount_cents for r in rows if r.status == S.CANCELLED)
            assert totals.committed == grant.committed_cents
            assert page.remaining == grant.remaining_cents >= 0
            assert sum(t.totals.committed for t in page.tranches) == totals.committed
            assert sum(t.planned for t in page.tranches) == grant.amount_cents
            assert build_ledger(grant, [], rows).totals == totals

    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
