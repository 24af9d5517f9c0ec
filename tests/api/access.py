"""Access expectations for /api/v1 (each role with its own bearer token) and the token pages.

build() gives every role a token with read and write scopes (world.api_headers); anonymous
sends none. A browser session alone never opens the API (401).
"""

from __future__ import annotations

from tests.access import ROLES, Case, expect, public

TOKEN = {"api": "token"}
SESSION = {"api": "session"}
UNAUTHORIZED = 401


def build(world) -> None:
    from tests import factories

    world.api_headers = {
        role: factories.bearer(world.users[role]) for role in ROLES if role != "anonymous"
    }
    world.api_draft_cohort = factories.make_cohort(phase="draft", name="Matrix API Draft")


def _enrollment(world) -> int:
    return world.ledger_grant.enrollment_id


#: Every token user may read it; no token, 401.
ANY_TOKEN = expect(200, anonymous=UNAUTHORIZED)
STAFF_TOKEN = expect(404, anonymous=UNAUTHORIZED, staff=200, admin=200)
#: Staff, the startup's founder, its matched mentor.
STARTUP_READERS = expect(404, anonymous=UNAUTHORIZED, founder=200, mentor=200, staff=200, admin=200)


def _session_only(url):
    return Case(url, expect(UNAUTHORIZED), extra=SESSION, note="a browser session is not a token")


CASES = {
    "api-docs.openapi_json": [Case("/api/v1/openapi.json", public(200))],
    "api_programs.list_programs": [
        Case("/api/v1/programs", ANY_TOKEN, extra=TOKEN),
        _session_only("/api/v1/programs"),
    ],
    "api_programs.get_program": [
        Case(lambda w: f"/api/v1/programs/{w.program.id}", ANY_TOKEN, extra=TOKEN),
    ],
    "api_programs.list_cohorts": [
        Case("/api/v1/cohorts?state=published&limit=3", ANY_TOKEN, extra=TOKEN),
        Case("/api/v1/cohorts?limit=900", expect(422, anonymous=UNAUTHORIZED), extra=TOKEN),
    ],
    "api_programs.get_cohort": [
        Case(lambda w: f"/api/v1/cohorts/{w.api_draft_cohort.id}", STAFF_TOKEN, extra=TOKEN),
    ],
    "api_programs.list_enrollments": [Case("/api/v1/enrollments", ANY_TOKEN, extra=TOKEN)],
    "api_programs.get_enrollment": [
        Case(lambda w: f"/api/v1/enrollments/{_enrollment(w)}", STARTUP_READERS, extra=TOKEN),
    ],
}

# The second half of the resources (milestones, mentoring, pilots, testers, demo days).
from tests.api.access_more import CASES as _MORE_CASES  # noqa: E402

CASES.update(_MORE_CASES)
