"""Access expectations for the core pages."""

from tests.access import LOGIN, Case, public, staff_only

CASES = {
    "site.home": [Case("/", public(200))],
    "site.healthz": [Case("/healthz", public(200))],
    "site.audit_log": [Case("/audit", staff_only(200))],
    "site.outbox": [Case("/outbox", staff_only(200))],
    "site.outbox_send": [Case("/outbox/send", staff_only(302), method="POST")],
}
assert LOGIN == 302
