"""Access expectations for /api/v1 (each role with its own bearer token) and the token pages.

build() gives every role a token with read and write scopes (world.api_headers); anonymous
sends none. A browser session alone never opens the API (401).
"""

from __future__ import annotations

from tests.access import LOGIN, ROLES, Case, expect, public, signed_in

TOKEN = {"api": "token"}
SESSION = {"api": "session"}
UNAUTHORIZED = 401


def build(world) -> None:
    from tests import factories

    world.api_headers = {
        role: factories.bearer(world.users[role]) for role in ROLES if role != "anonymous"
    }
    world.api_draft_cohort = factories.make_cohort(phase="draft", name="Matrix API Draft")
    world.api_review = factories.make_review(comment="Matrix API review")
    world.api_token_to_revoke, _clear = factories.make_token(world.users["founder"], name="Old")


def _enrollment(world) -> int:
    return world.ledger_grant.enrollment_id


#: Every token user may read it; no token, 401.
ANY_TOKEN = expect(200, anonymous=UNAUTHORIZED)
STAFF_TOKEN = expect(404, anonymous=UNAUTHORIZED, staff=200, admin=200)
#: Staff, the startup's founder, its matched mentor.
STARTUP_READERS = expect(404, anonymous=UNAUTHORIZED, founder=200, mentor=200, staff=200, admin=200)


def _session_only(url):
    return Case(url, expect(UNAUTHORIZED), extra=SESSION, note="a browser session is not a token")


#: Staff, the startup's founder (mentors read nothing of applications and grants).
FOUNDER_OR_STAFF = expect(404, anonymous=UNAUTHORIZED, founder=200, staff=200, admin=200)
STAFF_ONLY = expect(403, anonymous=UNAUTHORIZED, staff=200, admin=200)
#: Staff requests it (201); admin's same request with the same key is its replay (200).
KEYED = {**TOKEN, "headers": {"Idempotency-Key": "matrix-idempotency-0001"}}

CASES = {
    "api-docs.openapi_json": [Case("/api/v1/openapi.json", public(200))],
    "api.reference": [Case("/api/v1/docs", public(200))],
    "api.tokens": [Case("/account/api-tokens", signed_in(200))],
    "api.create_token": [
        Case(
            "/account/api-tokens",
            signed_in(200),
            method="POST",
            data={"name": "Matrix", "scopes": ["read"], "days": "30"},
            note="the page that shows the new token once",
        ),
        Case("/account/api-tokens", signed_in(422), method="POST", data={"name": ""}),
        Case(
            "/account/api-tokens",
            signed_in(200),
            method="POST",
            data={"name": "Matrix writes", "scopes": ["grants:write"], "days": "30"},
            note="staff and admin verified their second factor a moment ago",
        ),
        Case(
            "/account/api-tokens",
            expect(200, anonymous=LOGIN, staff=401, admin=401),
            method="POST",
            data={"name": "Matrix writes", "scopes": ["write"], "days": "30"},
            extra={"second_factor": "stale"},
            note="a token that writes: staff and admin are asked their code first",
        ),
        Case(
            "/account/api-tokens",
            expect(200, anonymous=LOGIN, staff=409, admin=409),
            method="POST",
            data={"name": "Matrix writes", "scopes": ["write"], "days": "30"},
            extra={"second_factor": False},
            note="staff and admin without a second factor are sent to set one up",
        ),
    ],
    # The founder revokes their token; for the administrator after them it is revoked already.
    "api.revoke_token": [
        Case(
            lambda w: f"/account/api-tokens/{w.api_token_to_revoke.id}/revoke",
            expect(404, anonymous=LOGIN, founder=302, admin=409),
            method="POST",
        ),
    ],
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
    "api_applications.list_startups": [Case("/api/v1/startups", ANY_TOKEN, extra=TOKEN)],
    "api_applications.get_startup": [
        Case(lambda w: f"/api/v1/startups/{w.startup.id}", STARTUP_READERS, extra=TOKEN),
    ],
    "api_applications.list_applications": [
        Case("/api/v1/applications?status=draft", ANY_TOKEN, extra=TOKEN),
    ],
    "api_applications.get_application": [
        Case(lambda w: f"/api/v1/applications/{w.application.id}", FOUNDER_OR_STAFF, extra=TOKEN),
    ],
    "api_applications.create_application": [
        Case(
            "/api/v1/applications",
            expect(403, anonymous=UNAUTHORIZED, founder=201, other_founder=201),
            method="POST",
            data=lambda w: {"cohort_id": w.apply_cohort.id},
            extra=TOKEN,
            note="only founders apply; each founder's startup gets its draft",
        ),
        Case(
            "/api/v1/applications",
            expect(422, anonymous=UNAUTHORIZED),
            method="POST",
            data={"cohort_id": "not a number"},
            extra=TOKEN,
        ),
    ],
    "api_applications.update_application": [
        Case(
            lambda w: f"/api/v1/applications/{w.draft_application.id}",
            expect(404, anonymous=UNAUTHORIZED, founder=200, staff=403, admin=403),
            method="PATCH",
            data={"answers": {"team": "Matrix team"}},
            extra=TOKEN,
            note="staff read it but only its founders write it",
        ),
    ],
    "api_reviews.list_reviews": [Case("/api/v1/reviews", STAFF_ONLY, extra=TOKEN)],
    "api_reviews.get_review": [
        Case(lambda w: f"/api/v1/reviews/{w.api_review.id}", STAFF_ONLY, extra=TOKEN),
    ],
    "api_grants.list_grants": [Case("/api/v1/grants", ANY_TOKEN, extra=TOKEN)],
    "api_grants.get_grant": [
        Case(lambda w: f"/api/v1/grants/{w.ledger_grant.id}", FOUNDER_OR_STAFF, extra=TOKEN),
    ],
    "api_grants.list_disbursements": [
        Case(
            lambda w: f"/api/v1/grants/{w.ledger_grant.id}/disbursements?status=paid",
            FOUNDER_OR_STAFF,
            extra=TOKEN,
        ),
    ],
    "api_grants.request_disbursement": [
        Case(
            lambda w: f"/api/v1/grants/{w.ledger_grant.id}/disbursements",
            expect(404, anonymous=UNAUTHORIZED, founder=403, staff=201, admin=200),
            method="POST",
            data={"tranche": "kickoff", "amount": 100, "note": ""},
            extra=KEYED,
        ),
    ],
}

# The second half of the resources (milestones, mentoring, pilots, testers, demo days).
from tests.api.access_more import CASES as _MORE_CASES  # noqa: E402

CASES.update(_MORE_CASES)
