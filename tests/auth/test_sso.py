"""Single sign-on against a real (fake) OpenID provider on 127.0.0.1: who gets in, who is
refused and why, and that a spoiled answer never signs anyone in."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.auth.models import User
from accelerator.core.models import AuditEvent
from accelerator.extensions import db as _db
from tests.auth.helpers import audit_events, flashes, text
from tests.auth.oidc_fake import spoiled_key

FOUNDERS_USE_PASSWORD = "Founders sign in with their e-mail address and password."
NOT_COMPLETED = "This sign-in could not be completed. Start again from the sign-in page."


def go_to_provider(client, issuer, *, next: str | None = None) -> str:
    """Click "Sign in with …": the address of the provider's answer to the app."""
    url = "/auth/sso/login" if next is None else f"/auth/sso/login?next={quote(next, safe='')}"
    start = client.get(url)
    assert start.status_code == 302, start.get_data(as_text=True)
    location = start.headers["Location"]
    assert location.startswith(f"{issuer.url}/authorize?")
    answer = requests.get(location, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    return answer.headers["Location"]


def come_back(client, callback: str, **replace):
    parts = urlsplit(callback)
    assert parts.path == "/auth/sso/callback"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(replace)
    return client.get(f"{parts.path}?{urlencode(query)}")


def sso_sign_in(client, issuer, **kwargs):
    return come_back(client, go_to_provider(client, issuer, **kwargs))


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def refusal(response, status: int) -> list[str]:
    """The login page shown again with the refusal at its top."""
    assert response.status_code == status
    page = text(response)
    assert 'id="login-form"' in page
    return flashes(page)


@pytest.mark.parametrize("role", ["staff", "admin", "mentor", "partner"])
def test_staff_mentors_and_partners_sign_in_with_the_provider(client, make, oidc, role):
    user = make.make_user(role=role, email="elodie.dupre@orange.example", name="Élodie Dupré")
    oidc.sign_in_as("Elodie.Dupre@Orange.example", sub="entra-élodie-1")

    response = sso_sign_in(client, oidc)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome back, Élodie Dupré." in flashes(text(client.get("/")))
    assert signed_in(client)
    _db.session.refresh(user)
    assert user.oidc_subject == "entra-élodie-1"
    assert user.last_login_at is not None
    [login] = audit_events("auth.login")
    assert (login.actor_id, login.data) == (user.id, {"method": "sso"})
    assert [event.object_id for event in audit_events("auth.sso_linked")] == [user.id]


def test_the_flow_uses_pkce_state_and_nonce(client, make, oidc):
    make.make_user(role="staff", email="sam@orange.example")
    oidc.sign_in_as("sam@orange.example")
    callback = go_to_provider(client, oidc)
    [asked] = oidc.authorize_requests
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) >= 43
    assert asked["nonce"] and asked["state"]
    assert asked["scope"].split() == ["openid", "email", "profile"]
    assert asked["redirect_uri"] == "http://localhost/auth/sso/callback"
    assert come_back(client, callback).status_code == 302
    # The same answer cannot be played twice: its state was spent.
    assert come_back(client, callback).status_code == 302  # already signed in: sent home
    client.post("/logout")
    client.get("/login")  # the flashes of the sign-in and sign-out are read
    assert refusal(come_back(client, callback), 422) == [NOT_COMPLETED]


def test_afterwards_the_subject_is_matched_before_the_address(client, make, oidc):
    user = make.make_user(role="mentor", email="marc@orange.example", name="Marc Noël")
    oidc.sign_in_as("marc@orange.example", sub="sub-marc")
    assert sso_sign_in(client, oidc).status_code == 302
    client.post("/logout")

    oidc.sign_in_as("marc.noel@orange.example", sub="sub-marc")  # renamed at the provider
    assert sso_sign_in(client, oidc).status_code == 302
    assert client.get("/account").status_code == 200
    assert "Marc Noël" in text(client.get("/account"))
    assert len(audit_events("auth.sso_linked")) == 1
    assert _db.session.get(User, user.id).email == "marc@orange.example"  # kept here


def test_an_address_changed_at_the_provider_cannot_take_another_account(client, make, oidc):
    victim = make.make_user(role="admin", email="ada@orange.example", name="Ada")
    victim.oidc_subject = "sub-ada"
    _db.session.flush()
    oidc.sign_in_as("ada@orange.example", sub="sub-intruder")

    response = sso_sign_in(client, oidc)

    assert refusal(response, 403) == [
        "The account of ada@orange.example is linked to another sign-in identity. "
        "Ask the program team."
    ]
    assert not signed_in(client)
    [refused] = audit_events("auth.sso_refused")
    assert refused.data["reason"] == "subject_mismatch" and refused.object_id == victim.id
    assert audit_events("auth.login") == []


def test_a_founder_is_told_to_use_their_password(client, make, oidc):
    founder = make.make_user(role="founder", email="fay@orange.example", name="Fay")
    oidc.sign_in_as("fay@orange.example")
    assert refusal(sso_sign_in(client, oidc), 403) == [FOUNDERS_USE_PASSWORD]
    assert not signed_in(client)
    assert _db.session.get(User, founder.id).oidc_subject is None
    assert audit_events("auth.sso_refused")[0].data["reason"] == "role_not_allowed"


@pytest.mark.parametrize("verified", [False, "true", None])
def test_an_unverified_address_is_refused(client, make, oidc, verified):
    make.make_user(role="staff", email="sam@orange.example")
    oidc.sign_in_as("sam@orange.example", verified=verified)
    assert refusal(sso_sign_in(client, oidc), 403) == [
        "Your e-mail address is not verified by the sign-in service."
    ]
    assert not signed_in(client)


@pytest.mark.parametrize(
    "email",
    ["sam@evil-orange.example", "sam@orange.example.evil.test", "sam@mail.orange.example"],
)
def test_only_the_allowed_domains_themselves(client, make, oidc, email):
    make.make_user(role="staff", email=email)
    oidc.sign_in_as(email)
    domain = email.split("@")[1]
    assert refusal(sso_sign_in(client, oidc), 403) == [
        f"Addresses at {domain} cannot use single sign-on here. Sign in with your password."
    ]
    assert audit_events("auth.sso_refused")[0].data == {
        "reason": "domain_not_allowed",
        "email": email,
    }


def test_an_unknown_address_is_told_to_ask_for_an_invitation(client, db, oidc):
    oidc.sign_in_as("nouveau@orange.example")
    [message] = refusal(sso_sign_in(client, oidc), 403)
    assert "No account here uses nouveau@orange.example. Ask the program team" in message
    assert db.session.scalar(select(User).where(User.email == "nouveau@orange.example")) is None


def test_a_deactivated_account_is_refused(client, make, oidc):
    make.make_user(role="staff", email="gone@orange.example", active=False)
    oidc.sign_in_as("gone@orange.example")
    assert refusal(sso_sign_in(client, oidc), 403) == [
        "This account is deactivated. Ask the program team."
    ]
    assert not signed_in(client)


@pytest.mark.parametrize("state", ["tampered", ""])
def test_a_tampered_state_is_refused(client, make, oidc, state):
    make.make_user(role="staff", email="sam@orange.example")
    oidc.sign_in_as("sam@orange.example")
    callback = go_to_provider(client, oidc)
    assert refusal(come_back(client, callback, state=state), 422) == [NOT_COMPLETED]
    assert not signed_in(client)
    assert audit_events("auth.sso_refused")[0].data["reason"] == "invalid_response"


def test_an_answer_for_another_browser_is_refused(client, other_client, make, oidc):
    make.make_user(role="staff", email="sam@orange.example")
    oidc.sign_in_as("sam@orange.example")
    callback = go_to_provider(client, oidc)
    assert refusal(come_back(other_client, callback), 422) == [NOT_COMPLETED]
    assert not signed_in(other_client)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda issuer: setattr(issuer, "audience", "another-client"),
        lambda issuer: setattr(issuer, "issuer", "https://evil.example"),
        lambda issuer: setattr(issuer, "expires_in", -600),
        lambda issuer: setattr(issuer, "signing_key", spoiled_key()),
        lambda issuer: setattr(issuer, "omit_nonce", True),
    ],
    ids=["audience", "issuer", "expired", "signature", "nonce"],
)
def test_a_spoiled_id_token_signs_no_one_in(client, make, oidc, spoil):
    make.make_user(role="staff", email="sam@orange.example")
    oidc.sign_in_as("sam@orange.example")
    spoil(oidc)
    assert refusal(sso_sign_in(client, oidc), 422) == [NOT_COMPLETED]
    assert not signed_in(client)
    assert audit_events("auth.login") == []
    assert audit_events("auth.sso_refused")[0].data["reason"] == "invalid_response"


def test_a_provider_error_is_a_clear_page(client, make, oidc):
    oidc.error = "access_denied"
    response = sso_sign_in(client, oidc)
    assert refusal(response, 403) == [
        "The sign-in service did not sign you in. Try again or ask the team."
    ]
    assert audit_events("auth.sso_refused")[0].data == {
        "reason": "provider_error",
        "error": "access_denied",
    }


def test_a_provider_that_does_not_answer_is_not_a_crash(client, app, monkeypatch, db):
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "http://127.0.0.1:9")  # discard port
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "x")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", "y")
    monkeypatch.setitem(app.config, "OIDC_TIMEOUT", 2)
    response = client.get("/auth/sso/login")
    assert refusal(response, 503) == ["The sign-in service does not answer. Try again in a moment."]


@pytest.mark.parametrize(
    ("target", "lands"),
    [("/account", "/account"), ("https://evil.example/", "/"), ("//evil.example", "/")],
)
def test_next_is_followed_only_on_this_site(client, make, oidc, target, lands):
    make.make_user(role="staff", email="sam@orange.example")
    oidc.sign_in_as("sam@orange.example")
    assert sso_sign_in(client, oidc, next=target).headers["Location"] == lands


def test_the_button_shows_only_when_single_sign_on_is_set_up(client, app, monkeypatch, db):
    assert 'id="sso-sign-in"' not in text(client.get("/login"))
    assert client.get("/auth/sso/login").status_code == 404
    assert client.get("/auth/sso/callback?code=x&state=y").status_code == 404

    monkeypatch.setitem(app.config, "OIDC_ISSUER", "https://login.orange.example")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "accelerator")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setitem(app.config, "OIDC_PROVIDER_NAME", "Orange")
    page = text(client.get("/login?next=/account"))
    assert "Sign in with Orange" in page
    assert 'href="/auth/sso/login?next=/account"' in page


def test_the_password_login_still_works_for_staff(client, make, oidc):
    from tests.auth.helpers import sign_in

    make.make_user(role="staff", email="sam@orange.example")
    assert sign_in(client, "sam@orange.example").status_code == 302
    assert audit_events("auth.login")[0].data in ({}, None)


def test_the_history_reads_sso_events(client, make, oidc, app):
    from accelerator.core.audit import events_of
    from accelerator.core.history import entries

    user = make.make_user(role="staff", email="sam@orange.example", name="Sam Été")
    oidc.error = "access_denied"
    sso_sign_in(client, oidc)
    oidc.error = None
    oidc.sign_in_as("SAM@orange.example")
    sso_sign_in(client, oidc)
    with app.test_request_context():
        sentences = [entry.sentence for entry in entries(events_of(user), folding=False)]
        refused = entries(
            list(
                _db.session.scalars(
                    select(AuditEvent)
                    .options(selectinload(AuditEvent.actor))
                    .where(AuditEvent.action == "auth.sso_refused")
                )
            )
        )
    assert sentences == [
        "Sam Été signed in with single sign-on for the first time, as SAM@orange.example.",
        "Sam Été signed in with single sign-on.",
    ]
    assert [entry.sentence for entry in refused] == [
        "A single sign-on was refused: the sign-in service did not sign them in."
    ]


def test_allowed_domains_are_whole_domains_casefolded():
    from accelerator.auth.sso import allowed_domains

    assert allowed_domains(" @Orange.COM , orange.fr,, @ ,") == {"orange.com", "orange.fr"}
    assert allowed_domains("") == frozenset()


def test_single_sign_on_is_on_only_with_issuer_client_and_secret(app, monkeypatch):
    from accelerator.auth import sso

    monkeypatch.setitem(app.config, "OIDC_ISSUER", "https://login.orange.example/")
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "accelerator")
    monkeypatch.setitem(app.config, "OIDC_SCOPES", "email profile")
    with app.test_request_context():
        assert sso.settings() is None and sso.provider_name() is None
        monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", "s3cret")
        found = sso.settings()
        assert found.metadata_url == (
            "https://login.orange.example/.well-known/openid-configuration"
        )
        assert found.scopes == "openid email profile"  # openid is always asked
        assert "s3cret" not in repr(found)
        assert sso.provider_name() == "your organisation"


def test_a_refusal_is_logged(client, oidc, caplog):
    oidc.error = "access_denied"
    with caplog.at_level("WARNING"):
        sso_sign_in(client, oidc)
    assert any(
        "Single sign-on refused (provider_error)" in record.getMessage()
        for record in caplog.records
    )
