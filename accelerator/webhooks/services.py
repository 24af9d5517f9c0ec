"""Staff's endpoints (add, change, disable, enable, rotate and reveal the secret, ping) and
the deliveries an act adds for the endpoints that hear its event."""

from __future__ import annotations

import ipaddress
import json
import socket
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update

from accelerator.core import audit
from accelerator.core.errors import Conflict, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import guarded
from accelerator.core.permissions import require_staff
from accelerator.core.text import checked_text
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.webhooks import events, signing
from accelerator.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

URL_LIMIT = 500


# --- The URL: http(s), and no private address unless allowed ---------------------------------


def check_url(url: str | None, *, field: str | None = "url") -> str:
    """The URL cleaned, or a refusal beside `field`: http or https with a host; outside
    development, no loopback, private, link-local or reserved address (SSRF) unless
    WEBHOOKS_ALLOW_PRIVATE."""
    text = (url or "").strip()
    if not text:
        raise ValidationFailed(_("Enter the URL that receives the events."), field=field)
    if len(text) > URL_LIMIT:
        raise ValidationFailed(
            _("Please keep the URL under %(limit)s characters.", limit=URL_LIMIT), field=field
        )
    try:
        parts = urlsplit(text)
        host = parts.hostname
        _port = parts.port
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise ValidationFailed(
            _("Enter a web address starting with https:// (or http://)."), field=field
        )
    if not current_app.config.get("WEBHOOKS_ALLOW_PRIVATE") and _private(host):
        raise ValidationFailed(
            _("This address is on a private network; webhooks are sent to public addresses."),
            field=field,
        )
    return text


def _private(host: str) -> bool:
    """Whether `host` is, or resolves to, an address that is not public."""
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            found = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unknown today: the delivery fails and says so
        addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in found}
    return any(not address.is_global for address in addresses)


def _events(chosen: list[str] | None) -> list[str]:
    picked = sorted(set(chosen or []) & set(events.EVENTS))
    if not picked:
        raise ValidationFailed(_("Choose at least one event."), field="events")
    return picked


def _description(text: str | None) -> str:
    return checked_text(
        text,
        field="description",
        limit=200,
        too_long=_("Please keep this under %(limit)s characters.", limit=200),
    )


# --- Endpoints ---------------------------------------------------------------------------------


def create_endpoint(
    *, url: str, events_chosen: list[str], description: str = "", actor
) -> WebhookEndpoint:
    """Staff subscribe a URL to events; it gets a new signing secret."""
    require_staff(actor, _("Only program staff can manage webhooks."))
    endpoint = WebhookEndpoint(
        url=check_url(url),
        description=_description(description),
        events=_events(events_chosen),
        secret_sealed=signing.seal(signing.new_secret()),
        created_by_id=actor.id,
    )
    audit.record_new("webhook.created", endpoint, actor=actor, data=_data(endpoint))
    return endpoint


def update_endpoint(
    endpoint: WebhookEndpoint,
    *,
    url: str,
    events_chosen: list[str],
    description: str = "",
    actor,
) -> None:
    """Staff change an endpoint's URL, description or events."""
    require_staff(actor, _("Only program staff can manage webhooks."))
    endpoint.url = check_url(url)
    endpoint.description = _description(description)
    endpoint.events = _events(events_chosen)
    audit.record("webhook.updated", endpoint, actor=actor, data=_data(endpoint))
    db.session.flush()


def disable_endpoint(endpoint: WebhookEndpoint, *, actor, reason: str = "") -> None:
    """No more deliveries to it (those pending wait until it is enabled again)."""
    require_staff(actor, _("Only program staff can manage webhooks."))
    why = reason or _("Disabled by %(name)s.", name=actor.name)
    guarded(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint.id, WebhookEndpoint.active.is_(True))
        .values(active=False, disabled_at=utcnow(), disabled_reason=why[:300]),
        Conflict(_("This endpoint is disabled already.")),
        expire=endpoint,
    )
    audit.record("webhook.disabled", endpoint, actor=actor, data={**_data(endpoint), "reason": why})


def enable_endpoint(endpoint: WebhookEndpoint, *, actor) -> None:
    """Deliveries start again, its failures forgotten."""
    require_staff(actor, _("Only program staff can manage webhooks."))
    guarded(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint.id, WebhookEndpoint.active.is_(False))
        .values(active=True, disabled_at=None, disabled_reason="", consecutive_failures=0),
        Conflict(_("This endpoint is enabled already.")),
        expire=endpoint,
    )
    audit.record("webhook.enabled", endpoint, actor=actor, data=_data(endpoint))
    note_pending()


def rotate_secret(endpoint: WebhookEndpoint, *, actor) -> str:
    """A new secret signs every attempt from now on (deliveries pending included); returns it."""
    require_staff(actor, _("Only program staff can manage webhooks."))
    secret = signing.new_secret()
    endpoint.secret_sealed = signing.seal(secret)
    audit.record("webhook.secret_rotated", endpoint, actor=actor, data=_data(endpoint))
    db.session.flush()
    return secret


def reveal_secret(endpoint: WebhookEndpoint, *, actor) -> str | None:
    """The endpoint's secret, shown to staff on demand (recorded); None if unreadable."""
    require_staff(actor, _("Only program staff can manage webhooks."))
    audit.record("webhook.secret_viewed", endpoint, actor=actor, data=_data(endpoint))
    return signing.unseal(endpoint.secret_sealed)


def _data(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {"url": endpoint.url, "events": list(endpoint.events)}


# --- Deliveries ---------------------------------------------------------------------------------


def body(event_type: str, data: dict[str, Any]) -> str:
    """The signed body: `{"type", "timestamp", "data"}` as compact JSON."""
    message = {"type": event_type, "timestamp": utcnow().isoformat(), "data": data}
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, default=str)


def _delivery(endpoint: WebhookEndpoint, event_type: str, payload: str) -> WebhookDelivery:
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        event_type=event_type,
        message_id=signing.new_message_id(),
        payload=payload,
        status=DeliveryStatus.PENDING,
        next_attempt_at=utcnow(),
    )
    db.session.add(delivery)
    return delivery


def catch(action: str, obj: Any, data: dict[str, Any]) -> int:
    """An act was recorded: a delivery for each active endpoint hearing its event (the
    snapshot taken now, in the act's transaction). Returns how many."""
    found = events.ACTIONS.get(action)
    if found is None or obj is None:
        return 0
    with db.session.no_autoflush:
        endpoints = [
            endpoint
            for endpoint in db.session.scalars(
                select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))
            )
            if found.event in endpoint.events
        ]
        if not endpoints:
            return 0
        subject = found.subject(obj, data)
        if subject is None:
            return 0
        payload = body(found.event, found.snapshot(subject))
    for endpoint in endpoints:
        _delivery(endpoint, found.event, payload)
    return len(endpoints)


def send_ping(endpoint: WebhookEndpoint, *, actor) -> WebhookDelivery:
    """A `ping` event to this endpoint alone, so staff see their receiver answer."""
    require_staff(actor, _("Only program staff can manage webhooks."))
    if not endpoint.active:
        raise Conflict(_("This endpoint is disabled: enable it to send it a test event."))
    data = {"endpoint_id": endpoint.id, "message": "Test event sent from the accelerator."}
    delivery = _delivery(endpoint, events.PING, body(events.PING, data))
    audit.record("webhook.pinged", endpoint, actor=actor, data=_data(endpoint))
    db.session.flush()
    return delivery


def redeliver(delivery: WebhookDelivery, *, actor) -> None:
    """Send a delivery again now (same webhook-id, signed afresh), its attempts counted anew."""
    require_staff(actor, _("Only program staff can manage webhooks."))
    guarded(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery.id,
            WebhookDelivery.status != DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=utcnow()),
        Conflict(_("This delivery is waiting to be sent already.")),
        expire=delivery,
    )
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    audit.record(
        "webhook.redelivered",
        endpoint,
        actor=actor,
        data={**_data(endpoint), "event": delivery.event_type, "message_id": delivery.message_id},
    )
    note_pending()


def note_pending() -> None:
    """Deliveries became due in this transaction: the worker is told once it commits."""
    db.session.info["webhooks_due"] = True
