"""Access expectations for webhooks: program staff and admins only, every page and act.

build() gives the world an active endpoint with a delivery given up, and a disabled one.
Acts that change state are met first by staff (who succeed) and then by admin (who meet the
new state: an endpoint disabled already, a delivery waiting already).
"""

from __future__ import annotations

from tests.access import LOGIN, Case, expect, staff_only

THEN_REFUSED = expect(403, anonymous=LOGIN, staff=302, admin=409)
FORM = {"url": "https://example.org/hooks/new", "events": ["application.decided"]}


def build(world) -> None:
    from accelerator.extensions import db
    from accelerator.webhooks import services
    from accelerator.webhooks.models import DeliveryStatus

    staff = world.users["staff"]
    endpoint = services.create_endpoint(
        url="https://example.org/hooks", events_chosen=["application.decided"], actor=staff
    )
    delivery = services.send_ping(endpoint, actor=staff)
    delivery.status, delivery.attempts = DeliveryStatus.DEAD, 7
    disabled = services.create_endpoint(
        url="https://example.org/paused", events_chosen=["disbursement.paid"], actor=staff
    )
    services.disable_endpoint(disabled, actor=staff, reason="Paused")
    db.session.flush()
    world.webhook, world.webhook_delivery, world.webhook_disabled = endpoint, delivery, disabled


def _on(path: str = ""):
    return lambda w: f"/webhooks/{w.webhook.id}{path}"


CASES = {
    "webhooks.index": [Case("/webhooks", staff_only())],
    "webhooks.new": [
        Case("/webhooks/new", staff_only()),
        Case("/webhooks/new", staff_only(302), method="POST", data=FORM),
    ],
    "webhooks.show": [
        Case(_on(), staff_only()),
        Case(_on("?status=dead&page=1"), staff_only()),
    ],
    "webhooks.edit": [
        Case(_on("/edit"), staff_only()),
        Case(_on("/edit"), staff_only(302), method="POST", data=FORM),
    ],
    "webhooks.secret": [
        Case(_on("/secret"), staff_only(200), method="POST", note="the page with the secret")
    ],
    "webhooks.rotate": [Case(_on("/rotate"), staff_only(302), method="POST")],
    "webhooks.ping": [Case(_on("/ping"), staff_only(302), method="POST")],
    "webhooks.disable": [Case(_on("/disable"), THEN_REFUSED, method="POST")],
    "webhooks.enable": [
        Case(lambda w: f"/webhooks/{w.webhook_disabled.id}/enable", THEN_REFUSED, method="POST")
    ],
    "webhooks.redeliver": [
        Case(
            lambda w: f"/webhooks/deliveries/{w.webhook_delivery.id}/redeliver",
            THEN_REFUSED,
            method="POST",
            note="staff send it again; admin then finds it waiting",
        )
    ],
}
