"""Access expectations for the grant pages and every ledger action.

build() gives world.startup (owned by the founder; reused when the applications module made
it) a grant with one ledger row in each state. Staff act first, then admin: where the second
attempt meets a row that already moved, the answer is still the redirect back to the grant
(the refusal is a flash), so both see 302.
"""

from __future__ import annotations

import itertools

from tests.access import LOGIN, Case, expect, staff_only

_amounts = itertools.count(2_100_000, 100)


def build(world) -> None:
    from tests import factories

    try:
        startup = world.startup
    except AttributeError:
        startup = factories.make_startup(
            name="Matrix Grant Startup", founders=[world.users["founder"]]
        )
        world.startup = startup
    staff, admin = world.users["staff"], world.users["admin"]
    grant = factories.make_grant(startup=startup)
    world.ledger_grant = grant

    def row(status, tranche="kickoff"):
        return factories.make_disbursement(
            grant,
            amount_cents=50_000,
            tranche=tranche,
            status=status,
            requester=staff,
            approver=admin,
        )

    world.ledger_requested = row("requested")
    world.ledger_to_cancel = row("requested", "midpoint")
    world.ledger_approved = row("approved")
    world.ledger_paid = row("paid", "demo_day")


def _request(world) -> dict:
    from tests.factories import new_idempotency_key

    return {"tranche": "kickoff", "amount": "100", "idempotency_key": new_idempotency_key()}


def _correct(world) -> dict:
    from tests.factories import new_idempotency_key

    prefix = f"correct-{world.ledger_paid.id}-"
    return {
        prefix + "amount": "1",
        prefix + "reason": "Bank fee refunded",
        prefix + "idempotency_key": new_idempotency_key(),
    }


def _pay(world) -> dict:
    from datetime import date

    prefix = f"pay-{world.ledger_approved.id}-"
    return {prefix + "paid_on": date.today().isoformat(), prefix + "reference": "MATRIX-1"}


def _grant(path: str = ""):
    return lambda w: f"/grants/{w.ledger_grant.id}{path}"


def _row(attr: str, action: str):
    return lambda w: f"/grants/disbursements/{getattr(w, attr).id}/{action}"


#: Roles the grant pages refuse outright (403), before any grant is looked up.
_NEITHER_FOUNDER_NOR_STAFF = {
    "mentor": 403,
    "other_mentor": 403,
    "partner": 403,
    "other_partner": 403,
}

FOUNDER_OR_STAFF = expect(
    403, anonymous=LOGIN, founder=200, other_founder=404, staff=200, admin=200
)

CASES = {
    "grants.index": [
        Case("/grants/", staff_only(200)),
        Case("/grants/?cohort=999999&program=abc&page=-3", staff_only(200)),
    ],
    # Founders go to their grant (or an empty state); staff to the list; mentors are refused.
    "grants.mine": [
        Case(
            "/grants/mine",
            expect(403, anonymous=LOGIN, founder=302, other_founder=200, staff=302, admin=302),
        ),
    ],
    "grants.show": [
        Case(_grant(), FOUNDER_OR_STAFF),
        Case(
            "/grants/999999",
            expect(404, anonymous=LOGIN, **_NEITHER_FOUNDER_NOR_STAFF),
            note="the role check answers before the lookup",
        ),
    ],
    "grants.request_disbursement": [
        Case(_grant("/disbursements"), staff_only(302), method="POST", data=_request),
        Case(
            _grant("/disbursements"),
            staff_only(422),
            method="POST",
            data={},
            note="an empty form comes back with its errors",
        ),
    ],
    # Staff requested it: staff's attempt is refused by four eyes (403), admin's approves it.
    "grants.approve": [
        Case(
            _row("ledger_requested", "approve"),
            expect(403, anonymous=LOGIN, admin=302),
            method="POST",
            data=lambda w: {"seen_amount_cents": str(w.ledger_requested.amount_cents)},
        ),
        # Without a second factor verified in the session: asked for a code (401) before the
        # four-eyes rule is even read; without a second factor at all: refused (409).
        Case(
            _row("ledger_requested", "approve"),
            expect(403, anonymous=LOGIN, staff=401, admin=401),
            method="POST",
            data=lambda w: {"seen_amount_cents": str(w.ledger_requested.amount_cents)},
            extra={"second_factor": "stale"},
        ),
        Case(
            _row("ledger_requested", "approve"),
            expect(403, anonymous=LOGIN, staff=409, admin=409),
            method="POST",
            data=lambda w: {"seen_amount_cents": str(w.ledger_requested.amount_cents)},
            extra={"second_factor": False},
        ),
    ],
    "grants.pay": [
        # Staff pays it; for the admin after it, it is paid already (409).
        Case(
            _row("ledger_approved", "pay"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            data=_pay,
        ),
        Case(
            _row("ledger_approved", "pay"),
            expect(403, anonymous=LOGIN, staff=401, admin=401),
            method="POST",
            data=_pay,
            extra={"second_factor": "stale"},
        ),
    ],
    "grants.cancel": [
        Case(
            _row("ledger_to_cancel", "cancel"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),  # cancelled already: 409
            method="POST",
            data=lambda w: {f"cancel-{w.ledger_to_cancel.id}-reason": "Matrix"},
        ),
    ],
    "grants.correct": [
        Case(_row("ledger_paid", "correct"), staff_only(302), method="POST", data=_correct),
    ],
    "grants.change_amount": [
        Case(
            _grant("/amount"),
            staff_only(302),
            method="POST",
            data=lambda w: {"grant-amount": str(next(_amounts) / 100), "grant-reason": "Matrix"},
        ),
    ],
    "grants.export": [
        Case("/grants/export", staff_only(200)),
        Case("/grants/export?format=csv&date_basis=paid", staff_only(200)),
        Case(
            "/grants/export?format=xlsx&since=2020-01-01&until=2019-01-01",
            staff_only(200),
            note="an end before the start comes back as a form error",
        ),
    ],
}
