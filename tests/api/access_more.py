"""Access expectations for /api/v1 milestones, check-ins, mentoring, pilots, test campaigns and
demo days (each role with its own token; tests/api/access.py adds them to its CASES).

The objects are the other domains' matrix world: world.startup is the founder's, world.match
pairs it with the mentor, world.unit is the partner's unit.
"""

from __future__ import annotations

from datetime import timedelta

from tests.access import Case, expect

TOKEN = {"api": "token"}
UNAUTHORIZED = 401

ANY_TOKEN = expect(200, anonymous=UNAUTHORIZED)
#: Staff and the startup's founders (milestones: not mentors, the pages' rule).
FOUNDER_AND_STAFF = expect(404, anonymous=UNAUTHORIZED, founder=200, staff=200, admin=200)
#: Staff, the startup's founders, its matched mentor.
STARTUP_READERS = expect(404, anonymous=UNAUTHORIZED, founder=200, mentor=200, staff=200, admin=200)
#: Demo days are the staff's: anyone else is refused (403), whatever the object.
STAFF_ONLY = expect(403, anonymous=UNAUTHORIZED, staff=200, admin=200)


def _url(template: str, attribute: str, key: str | None = None):
    def url(world) -> str:
        found = getattr(world, attribute)
        found = found[key] if key else found
        return template.format(id=found.id)

    return url


def _checkin(world) -> dict:
    return {
        "enrollment_id": world.progress.id,
        "period": (world.m_cohort.starts_on + timedelta(days=7)).isoformat(),
        "health": "amber",
        "revenue": 120_000,
        "active_users": 40,
        "headcount": 4,
        "raised": 0,
        "pilots": 1,
        "highlights": "Signé avec Société Éclair",
    }


CASES = {
    "api_milestones.list_milestones": [
        Case("/api/v1/milestones?status=planned", ANY_TOKEN, extra=TOKEN)
    ],
    "api_milestones.get_milestone": [
        Case(_url("/api/v1/milestones/{id}", "m_planned"), FOUNDER_AND_STAFF, extra=TOKEN)
    ],
    "api_milestones.list_checkins": [Case("/api/v1/checkins", ANY_TOKEN, extra=TOKEN)],
    "api_milestones.get_checkin": [
        Case(_url("/api/v1/checkins/{id}", "checkin"), STARTUP_READERS, extra=TOKEN)
    ],
    "api_milestones.submit_checkin": [
        Case(
            "/api/v1/checkins",
            expect(
                404,
                anonymous=UNAUTHORIZED,
                founder=201,
                mentor=403,
                staff=403,
                admin=403,
            ),
            method="POST",
            data=_checkin,
            extra=TOKEN,
            note="the founder's own enrollment; a matched mentor and staff read it, never write",
        )
    ],
    "api_mentoring.list_matches": [Case("/api/v1/matches", ANY_TOKEN, extra=TOKEN)],
    "api_mentoring.get_match": [
        Case(_url("/api/v1/matches/{id}", "match"), STARTUP_READERS, extra=TOKEN)
    ],
    "api_mentoring.list_sessions": [Case("/api/v1/sessions", ANY_TOKEN, extra=TOKEN)],
    "api_mentoring.get_session": [
        Case(_url("/api/v1/sessions/{id}", "ms_session"), STARTUP_READERS, extra=TOKEN)
    ],
    "api_pilots.list_pilots": [Case("/api/v1/pilots?status=running", ANY_TOKEN, extra=TOKEN)],
    "api_pilots.get_pilot": [
        Case(
            _url("/api/v1/pilots/{id}", "pilots", "scoping"),
            expect(
                404,
                anonymous=UNAUTHORIZED,
                founder=200,
                mentor=200,
                staff=200,
                admin=200,
                partner=200,
            ),
            extra=TOKEN,
        )
    ],
    "api_pilots.decide_pilot": [
        Case(
            _url("/api/v1/pilots/{id}/decision", "pilots", "running"),
            expect(
                404,
                anonymous=UNAUTHORIZED,
                founder=403,
                mentor=403,
                staff=200,
                admin=409,
                partner=409,
            ),
            method="POST",
            data={"decision": "go", "contract_value": 12_000_000, "contract_reference": "PO-7"},
            extra=TOKEN,
            note="staff decide first; then the pilot is decided (409)",
        )
    ],
    "api_testers.list_campaigns": [Case("/api/v1/campaigns", ANY_TOKEN, extra=TOKEN)],
    "api_testers.get_campaign": [
        Case(_url("/api/v1/campaigns/{id}", "campaigns", "closed"), FOUNDER_AND_STAFF, extra=TOKEN)
    ],
    "api_demoday.list_demo_days": [Case("/api/v1/demo-days", STAFF_ONLY, extra=TOKEN)],
    "api_demoday.get_demo_day": [
        Case(_url("/api/v1/demo-days/{id}", "demo_day"), STAFF_ONLY, extra=TOKEN)
    ],
    "api_demoday.list_guests": [Case("/api/v1/guests", STAFF_ONLY, extra=TOKEN)],
    "api_demoday.get_guest": [Case(_url("/api/v1/guests/{id}", "guest"), STAFF_ONLY, extra=TOKEN)],
}
