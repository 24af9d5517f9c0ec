"""Access expectations for the core pages."""

from tests.access import LOGIN, Case, public, staff_only

CASES = {
    "core.home": [Case("/", public(200))],
    "core.healthz": [Case("/healthz", public(200))],
    "core.audit_log": [Case("/audit", staff_only(200))],
    "core.outbox": [Case("/outbox", staff_only(200))],
    "core.outbox_send": [Case("/outbox/send", staff_only(302), method="POST")],
}
assert LOGIN == 302
