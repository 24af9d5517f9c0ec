"""The /api/v1 conventions: bearer tokens only, scopes, problems, cursors, ETags, OpenAPI 3.1."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accelerator.api import services
from accelerator.api.models import ApiToken
from accelerator.core.models import AuditEvent
from accelerator.core.types import utcnow
from accelerator.extensions import db


def test_the_openapi_document_is_3_1_and_lists_the_resources(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"] == "3.1.0"
    assert "/api/v1/cohorts" in doc["paths"]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    error = doc["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert "application/problem+json" in error


def test_no_token_is_401_with_a_problem_and_www_authenticate(client):
    response = client.get("/api/v1/cohorts")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.get_json()["detail"]


def test_a_signed_in_browser_session_is_not_enough(client, login_as, staff):
    login_as(staff)
    assert client.get("/api/v1/cohorts").status_code == 401


def test_unknown_expired_revoked_tokens_and_deactivated_users_are_401(api, make, staff):
    token, clear = make.make_token(staff)
    headers = {"Authorization": f"Bearer {clear}"}
    assert api.get("/api/v1/cohorts", headers=headers).status_code == 200
    bad = {"Authorization": f"Bearer {clear}x"}
    assert api.get("/api/v1/cohorts", headers=bad).status_code == 401

    token.expires_at = utcnow() - timedelta(seconds=1)
    token.created_at = utcnow() - timedelta(days=2)
    db.session.flush()
    assert api.get("/api/v1/cohorts", headers=headers).status_code == 401

    token2, clear2 = make.make_token(staff, name="Second")
    headers2 = {"Authorization": f"Bearer {clear2}"}
    services.revoke_token(token2, actor=staff)
    assert api.get("/api/v1/cohorts", headers=headers2).status_code == 401

    _token3, clear3 = make.make_token(staff, name="Third")
    staff.active = False
    db.session.flush()
    assert (
        api.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {clear3}"}).status_code == 401
    )


def test_the_token_is_stored_hashed_and_its_use_noted_once_a_minute(api, make, staff):
    token, clear = make.make_token(staff)
    assert clear.startswith("acc_") and token.token_hash != clear
    assert clear not in token.token_hash and token.prefix == clear[:12]
    api.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {clear}"})
    first = db.session.scalar(select(ApiToken.last_used_at).where(ApiToken.id == token.id))
    assert first is not None
    api.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {clear}"})
    again = db.session.scalar(select(ApiToken.last_used_at).where(ApiToken.id == token.id))
    assert again == first


def test_a_domain_scope_reads_its_domain(api, make, staff):
    _token, clear = make.make_token(staff, scopes=["programs:read"])
    headers = {"Authorization": f"Bearer {clear}"}
    assert api.get("/api/v1/cohorts", headers=headers).status_code == 200


def test_an_unknown_scope_is_refused_beside_the_field(make, staff):
    import pytest

    from accelerator.core.errors import Invalid

    with pytest.raises(Invalid) as refused:
        make.make_token(staff, scopes=["everything"])
    assert refused.value.field == "scopes"


def test_bad_query_arguments_are_422_problems_beside_their_field(api, staff):
    response = api.get("/api/v1/cohorts?limit=500", as_=staff)
    assert response.status_code == 422
    body = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert "limit" in body["errors"]
    forged = api.get("/api/v1/cohorts?cursor=bm90LWEtY3Vyc29y", as_=staff)
    assert forged.status_code == 422
    assert forged.get_json()["field"] == "cursor"


def test_cursor_pages_walk_every_row_once_in_a_stable_order(api, make, staff):
    program = make.make_program(name="Société Éclair Programme")
    made = [make.make_cohort(program=program).id for _ in range(5)]
    seen, url = [], f"/api/v1/cohorts?program_id={program.id}&limit=2"
    while url:
        response = api.get(url, as_=staff)
        assert response.status_code == 200
        body = response.get_json()
        seen += [item["id"] for item in body["items"]]
        if body["next_cursor"]:
            assert 'rel="next"' in response.headers["Link"]
            url = f"/api/v1/cohorts?program_id={program.id}&limit=2&cursor={body['next_cursor']}"
        else:
            assert "Link" not in response.headers
            url = None
    assert seen == made


def test_etag_and_if_none_match(api, make, staff):
    make.make_cohort()
    first = api.get("/api/v1/cohorts", as_=staff)
    etag = first.headers["ETag"]
    again = api.get("/api/v1/cohorts", as_=staff, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    make.make_cohort()
    changed = api.get("/api/v1/cohorts", as_=staff, headers={"If-None-Match": etag})
    assert changed.status_code == 200


def test_times_carry_their_offset_and_money_its_currency(api, make, staff):
    cohort = make.make_cohort(grant_amount_cents=2_000_000, currency="EUR")
    body = api.get(f"/api/v1/cohorts/{cohort.id}", as_=staff).get_json()
    assert body["applications_open_at"].endswith("+00:00")
    assert body["grant"] == {"amount": 2_000_000, "currency": "EUR"}


def test_issuing_and_revoking_are_audited(make, staff):
    token, _clear = make.make_token(staff, name="Intégration CRM")
    services.revoke_token(token, actor=staff)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "api_tokens")
    ).all()
    assert actions == ["api.token_created", "api.token_revoked"]


def test_numbers_past_the_id_columns_are_404_or_422_never_a_database_error(api, staff):
    # Ids are 32-bit: PostgreSQL refused these with "integer out of range" (the fuzzer found it).
    assert api.get("/api/v1/programs/274398685378", as_=staff).status_code == 404
    too_big = api.get("/api/v1/cohorts?program_id=274398685378", as_=staff)
    assert too_big.status_code == 422 and "program_id" in too_big.get_json()["errors"]
    from accelerator.api.paging import encode_cursor

    cursor = encode_cursor(2**40)
    assert api.get(f"/api/v1/cohorts?cursor={cursor}", as_=staff).status_code == 422


def test_the_api_sets_no_cookie(api, staff):
    response = api.get("/api/v1/cohorts", as_=staff)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
