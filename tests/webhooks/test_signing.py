"""Deliveries are signed as Standard Webhooks says: the `standardwebhooks` package verifies
them, and refuses a body or a secret that is not the one signed."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from accelerator.webhooks import signing

BODY = '{"type":"application.decided","data":{"startup":{"name":"Société Éclair"}}}'


def test_a_signature_verifies_with_the_standardwebhooks_package():
    secret = signing.new_secret()
    now = datetime.now(UTC)
    headers = signing.headers(secret, "msg_2Lx0vY", now, BODY)
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    assert Webhook(secret).verify(BODY, headers) == {
        "type": "application.decided",
        "data": {"startup": {"name": "Société Éclair"}},
    }


def test_a_changed_body_or_another_secret_is_refused():
    secret = signing.new_secret()
    headers = signing.headers(secret, "msg_1", datetime.now(UTC), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace("Éclair", "Eclair"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(BODY, headers)


def test_our_signature_is_the_packages_own():
    secret = signing.new_secret()
    moment = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    ours = signing.signature(secret, "msg_abc", int(moment.timestamp()), BODY)
    assert ours == Webhook(secret).sign("msg_abc", moment, BODY)


def test_a_secret_is_whsec_and_32_random_bytes_and_is_kept_sealed(app):
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert signing.new_secret() != secret
    with app.app_context():
        sealed = signing.seal(secret)
        assert secret not in sealed and signing.unseal(sealed) == secret
        app.config["SECRET_KEY"], kept = "another key", app.config["SECRET_KEY"]
        try:
            assert signing.unseal(sealed) is None
        finally:
            app.config["SECRET_KEY"] = kept
