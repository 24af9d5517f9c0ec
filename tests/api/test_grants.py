"""/api/v1 grants, ledger rows, and disbursement requests with an Idempotency-Key."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator.extensions import db
from accelerator.grants.models import Disbursement

KEY = "integration-key-0001"


def _request(api, grant, user, *, key=KEY, amount=500_000, tranche="kickoff"):
    return api.post(
        f"/api/v1/grants/{grant.id}/disbursements",
        as_=user,
        headers={"Idempotency-Key": key} if key else {},
        json={"tranche": tranche, "amount": amount, "note": "Premier versement"},
    )


def _rows(grant) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Disbursement).where(Disbursement.grant_id == grant.id)
    )


def test_a_request_is_made_once_and_replayed_with_the_same_row(api, make, staff):
    grant = make.make_grant()
    first = _request(api, grant, staff)
    assert first.status_code == 201, first.get_json()
    row = first.get_json()
    assert row["amount"] == {"amount": 500_000, "currency": grant.currency}
    assert row["status"] == "requested"
    again = _request(api, grant, staff)
    assert again.status_code == 200 and again.get_json()["id"] == row["id"]
    assert _rows(grant) == 1


def test_the_same_key_for_another_request_is_a_conflict(api, make, staff):
    grant = make.make_grant()
    assert _request(api, grant, staff).status_code == 201
    other = _request(api, grant, staff, amount=700_000)
    assert other.status_code == 409
    assert other.get_json()["field"] == "Idempotency-Key"
    assert _rows(grant) == 1


def test_a_missing_key_is_422_and_nothing_is_requested(api, make, staff):
    grant = make.make_grant()
    response = _request(api, grant, staff, key=None)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["detail"]
    assert _rows(grant) == 0


def test_over_the_grant_is_409_with_the_pages_message(api, make, staff):
    grant = make.make_grant(amount_cents=1_000_000)
    response = _request(api, grant, staff, amount=1_000_001)
    assert response.status_code == 409
    assert response.get_json()["detail"] == "This amount is more than what remains of the grant."


def test_founders_read_their_grant_and_ledger_but_cannot_request(api, make, staff):
    founder = make.make_user(role="founder", name="Zoé Fondatrice")
    grant = make.make_grant(founders=[founder])
    other = make.make_grant()
    make.make_disbursement(grant, amount_cents=100_000, requester=staff)
    assert api.get(f"/api/v1/grants/{grant.id}", as_=founder).status_code == 200
    assert api.get(f"/api/v1/grants/{other.id}", as_=founder).status_code == 404
    assert api.get(f"/api/v1/grants/{other.id}/disbursements", as_=founder).status_code == 404
    ledger = api.get(f"/api/v1/grants/{grant.id}/disbursements", as_=founder).get_json()
    assert [r["amount"]["amount"] for r in ledger["items"]] == [100_000]
    assert [g["id"] for g in api.get("/api/v1/grants", as_=founder).get_json()["items"]] == [
        grant.id
    ]
    assert _request(api, grant, founder).status_code == 403


def test_ledger_filters_by_status(api, make, staff, admin):
    grant = make.make_grant()
    make.make_disbursement(grant, amount_cents=100_000, requester=staff)
    paid = make.make_disbursement(
        grant, amount_cents=200_000, status="paid", requester=staff, approver=admin
    )
    url = f"/api/v1/grants/{grant.id}/disbursements?status=paid"
    assert [r["id"] for r in api.get(url, as_=staff).get_json()["items"]] == [paid.id]
