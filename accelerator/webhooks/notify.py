"""Who is told when an endpoint is disabled for failing: every member of staff."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.auth.queries import staff_emails
from accelerator.core.mailing import mail_each
from accelerator.core.urls import external_url
from accelerator.webhooks.models import WebhookEndpoint


def endpoint_disabled(endpoint: WebhookEndpoint, *, error: str = "") -> int:
    """Staff hear that an endpoint stopped receiving events, and where to enable it."""
    return mail_each(
        staff_emails(),
        _l("Webhook endpoint disabled: %(url)s", url=endpoint.url),
        "webhooks_disabled.txt",
        endpoint=endpoint,
        error=error,
        link=external_url("webhooks.show", endpoint_id=endpoint.id),
    )
