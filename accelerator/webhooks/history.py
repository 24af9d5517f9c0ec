"""How webhooks' audit actions read in the audit log (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentences, says
from accelerator.core.i18n import gettext as _

SENTENCES = Sentences(
    {
        "webhook.created": says(_l("%(who)s added the webhook endpoint %(url)s."), url="url"),
        "webhook.updated": says(_l("%(who)s changed the webhook endpoint %(url)s."), url="url"),
        "webhook.disabled": says(
            _l("%(who)s disabled the webhook endpoint %(url)s: %(reason)s"),
            url="url",
            reason="reason",
        ),
        "webhook.enabled": says(_l("%(who)s enabled the webhook endpoint %(url)s."), url="url"),
        "webhook.secret_rotated": says(
            _l("%(who)s made a new secret for the webhook endpoint %(url)s."), url="url"
        ),
        "webhook.secret_viewed": says(
            _l("%(who)s looked at the secret of the webhook endpoint %(url)s."), url="url"
        ),
        "webhook.pinged": says(
            _l("%(who)s sent a test event to the webhook endpoint %(url)s."), url="url"
        ),
        "webhook.redelivered": says(
            _l("%(who)s sent the %(event)s event to %(url)s again."), url="url", event="event"
        ),
        "webhook.auto_disabled": lambda _who, d: _(
            "The webhook endpoint %(url)s was disabled after %(count)s failed deliveries in a row.",
            url=d.get("url", ""),
            count=d.get("failures", ""),
        ),
    }
)
