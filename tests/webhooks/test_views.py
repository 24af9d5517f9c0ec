"""Staff's pages: add an endpoint (a bad URL is refused beside its field, 422), see and
rotate its secret, send a test event, read the delivery log, send one again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accelerator.core.errors import ValidationFailed
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.webhooks import services, signing
from accelerator.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


def _field_error(page: str, field: str) -> str:
    """The text of the invalid-feedback beside `field`."""
    after = page.split(f'id="{field}"', 1)[1]
    return after.split('class="invalid-feedback', 1)[1].split(">", 1)[1].split("<", 1)[0]


@pytest.mark.parametrize(
    "url,message",
    [
        ("ftp://example.org/hooks", "starting with https://"),
        ("not a url", "starting with https://"),
        ("https://user:pw@example.org/", "starting with https://"),
        ("https://example.org/" + "x" * 500, "under 500 characters"),
    ],
)
def test_a_bad_url_is_refused_beside_its_field(login_as, staff, url, message):
    response = login_as(staff).post(
        "/webhooks/new", data={"url": url, "events": ["application.decided"]}
    )
    assert response.status_code == 422
    assert message in _field_error(response.get_data(as_text=True), "url")
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_no_event_chosen_is_refused_beside_the_events(login_as, staff):
    response = login_as(staff).post("/webhooks/new", data={"url": "https://example.org/h"})
    assert response.status_code == 422
    assert "Choose at least one event" in response.get_data(as_text=True)


def test_private_addresses_are_refused_unless_allowed(app):
    with app.test_request_context():
        app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
        try:
            for url in (
                "http://127.0.0.1:8000/",
                "http://10.0.0.5/",
                "http://[::1]/",
                "http://localhost/",
            ):
                with pytest.raises(ValidationFailed, match="private network"):
                    services.check_url(url)
            assert services.check_url(" https://93.184.216.34/hooks ") == (
                "https://93.184.216.34/hooks"
            )
        finally:
            app.config["WEBHOOKS_ALLOW_PRIVATE"] = True


def test_staff_add_an_endpoint_then_see_its_secret_on_demand(login_as, staff):
    client = login_as(staff)
    response = client.post(
        "/webhooks/new",
        data={
            "url": "https://hooks.example.org/accelerator",
            "description": "Finance de Société Éclair",
            "events": ["disbursement.paid", "application.decided", "nonsense"],
        },
    )
    endpoint = db.session.scalars(select(WebhookEndpoint)).one()
    assert response.status_code == 302 and response.location.endswith(f"/webhooks/{endpoint.id}")
    assert endpoint.events == ["application.decided", "disbursement.paid"]
    secret = signing.unseal(endpoint.secret_sealed)
    assert secret.startswith("whsec_") and secret not in endpoint.secret_sealed

    page = client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "Finance de Société Éclair" in page and secret not in page
    shown = client.post(f"/webhooks/{endpoint.id}/secret")
    assert shown.status_code == 200 and secret in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    viewed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "webhook.secret_viewed")
    ).one()
    assert viewed.actor_id == staff.id and viewed.object_id == endpoint.id

    assert client.post(f"/webhooks/{endpoint.id}/rotate").status_code == 302
    db.session.refresh(endpoint)
    assert signing.unseal(endpoint.secret_sealed) != secret


def test_the_list_the_log_and_sending_again(login_as, staff, make_endpoint):
    endpoint, _secret = make_endpoint("https://hooks.example.org/société")
    client = login_as(staff)
    assert client.post(f"/webhooks/{endpoint.id}/ping").status_code == 302
    row = db.session.scalars(select(WebhookDelivery)).one()
    row.status, row.attempts, row.response_code = DeliveryStatus.DEAD, 7, 500
    row.last_error = "HTTP 500"
    db.session.commit()

    listing = client.get("/webhooks").get_data(as_text=True)
    assert "https://hooks.example.org/société" in listing
    log = client.get(f"/webhooks/{endpoint.id}?status=dead").get_data(as_text=True)
    assert row.message_id in log and "HTTP 500" in log and "Send again" in log
    assert row.message_id not in client.get(f"/webhooks/{endpoint.id}?status=succeeded").get_data(
        as_text=True
    )
    assert client.post(f"/webhooks/deliveries/{row.id}/redeliver").status_code == 302
    db.session.refresh(row)
    assert row.status == DeliveryStatus.PENDING and row.attempts == 0
    again = client.post(f"/webhooks/deliveries/{row.id}/redeliver")
    assert again.status_code == 409


def test_disable_with_a_reason_then_enable(login_as, staff, make_endpoint):
    endpoint, _secret = make_endpoint()
    client = login_as(staff)
    client.post(f"/webhooks/{endpoint.id}/disable", data={"reason": "Receiver moving"})
    db.session.refresh(endpoint)
    assert not endpoint.active and endpoint.disabled_reason == "Receiver moving"
    assert "Receiver moving" in client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert client.post(f"/webhooks/{endpoint.id}/ping").status_code == 409
    client.post(f"/webhooks/{endpoint.id}/enable")
    db.session.refresh(endpoint)
    assert endpoint.active and endpoint.disabled_at is None


def test_staff_find_webhooks_in_the_admin_menu_others_do_not(login_as, staff, founder):
    assert 'href="/webhooks"' in login_as(staff).get("/").get_data(as_text=True)
    assert 'href="/webhooks"' not in login_as(founder).get("/").get_data(as_text=True)


def test_the_demo_has_one_disabled_example_endpoint_seeded_once(db, staff):
    from accelerator.webhooks import seed

    said = []
    assert seed.seed(None, said.append) == 1
    assert seed.seed(None, said.append) == 0
    [endpoint] = db.session.scalars(select(WebhookEndpoint)).all()
    assert endpoint.url == seed.EXAMPLE_URL and not endpoint.active
    assert said == ["webhooks: 1 example endpoint (disabled)"]


def test_a_reason_too_long_is_refused_and_the_endpoint_stays_active(login_as, staff, make_endpoint):
    endpoint, _secret = make_endpoint()
    response = login_as(staff).post(f"/webhooks/{endpoint.id}/disable", data={"reason": "x" * 301})
    assert response.status_code == 422
    assert "under 300 characters" in response.get_data(as_text=True)
    db.session.refresh(endpoint)
    assert endpoint.active
