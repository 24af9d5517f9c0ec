"""The tokens page: made with scopes and expiry, shown once, stored hashed, revoked."""

from __future__ import annotations

import re

from sqlalchemy import select

from accelerator.api.models import ApiToken
from accelerator.core.tokens import hash_token
from accelerator.extensions import db


def _tokens(user):
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()


def test_a_founder_makes_a_token_and_sees_it_once(client, login_as, founder):
    login_as(founder)
    page = client.get("/account/api-tokens")
    assert page.status_code == 200
    assert "Grants: read and write" in page.get_data(as_text=True)
    made = client.post(
        "/account/api-tokens",
        data={"name": "Intégration CRM", "scopes": ["applications:write", "read"], "days": "30"},
    )
    assert made.status_code == 200
    html = made.get_data(as_text=True)
    clear = re.search(r'value="(acc_[^"]+)"', html).group(1)
    (token,) = _tokens(founder)
    assert token.token_hash == hash_token(clear) and token.scopes == "applications:write read"
    assert (token.expires_at - token.created_at).days == 30
    again = client.get("/account/api-tokens").get_data(as_text=True)
    assert clear not in again and token.prefix in again and "Intégration CRM" in again
    api = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {clear}"})
    assert api.status_code == 200


def test_a_form_with_errors_answers_422_beside_the_fields(client, login_as, founder):
    login_as(founder)
    response = client.post("/account/api-tokens", data={"name": "", "days": "400"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose at least one scope." in html
    assert _tokens(founder) == []


def test_the_owner_revokes_and_others_cannot(client, login_as, make, founder, staff, admin):
    token, clear = make.make_token(founder)
    login_as(staff)
    assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 404
    login_as(founder)
    assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None and token.revoked_by_id == founder.id
    headers = {"Authorization": f"Bearer {clear}"}
    assert client.get("/api/v1/cohorts", headers=headers).status_code == 401
    login_as(admin)
    again = client.post(f"/account/api-tokens/{token.id}/revoke")
    assert again.status_code == 409
    assert "already revoked" in again.get_data(as_text=True)


def test_an_administrator_sees_and_revokes_everyones_tokens(client, login_as, make, founder, admin):
    token, _clear = make.make_token(founder, name="Script de Zoé")
    login_as(admin)
    assert "Script de Zoé" in client.get("/account/api-tokens").get_data(as_text=True)
    assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 302
    db.session.refresh(token)
    assert token.revoked_by_id == admin.id


def test_the_menu_links_to_the_tokens_page(client, login_as, mentor):
    login_as(mentor)
    assert 'href="/account/api-tokens"' in client.get("/account/api-tokens").get_data(as_text=True)


def test_the_reference_page_is_drawn_from_the_document(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<code>/api/v1/grants/{grant_id}/disbursements</code>" in html
    assert 'id="schema-Cohort"' in html and "Idempotency-Key" in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]  # no viewer to load


def test_staff_making_a_token_that_writes_type_their_code_first(client, login_as, staff):
    from tests import factories

    login_as(staff, second_factor="stale")
    typed = {"name": "Virements Éclair", "scopes": ["grants:write"], "days": "30"}
    asked = client.post("/account/api-tokens", data=typed)
    assert asked.status_code == 401 and 'name="second_factor_code"' in asked.get_data(as_text=True)
    assert "Virements Éclair" in asked.get_data(as_text=True)  # what was typed is carried on
    assert _tokens(staff) == []
    made = client.post(
        "/account/api-tokens", data={**typed, "second_factor_code": factories.totp_code()}
    )
    assert made.status_code == 200 and re.search(
        r'value="(acc_[^"]+)"', made.get_data(as_text=True)
    )
    (token,) = _tokens(staff)
    assert token.name == "Virements Éclair" and token.scopes == "grants:write"


def test_staff_making_a_read_token_are_not_asked_a_code(client, login_as, staff):
    login_as(staff, second_factor=False)
    made = client.post(
        "/account/api-tokens", data={"name": "Lecture", "scopes": ["read"], "days": "30"}
    )
    assert made.status_code == 200 and [t.scopes for t in _tokens(staff)] == ["read"]
