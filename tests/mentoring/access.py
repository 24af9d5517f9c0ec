"""Access expectations for mentoring's core pages: profiles, directory, preferences, matching.

build() enrols world.startup (reusing the grants module's enrollment when there is one), gives
world.users["mentor"] and ["other_mentor"] profiles, and makes world.match: the mentor and
world.startup, ACCEPTED (the sessions side builds on it). Roles act in the order of ROLES; where
a later role meets an object an earlier one already changed, the expected answer says so (409
for a refused state change, 404 for an object that is gone).
"""

from __future__ import annotations

from tests.access import LOGIN, Case, expect, staff_only


def build(world) -> None:
    from sqlalchemy import select

    from accelerator.extensions import db
    from accelerator.mentoring.models import MatchStatus, MentorConflict, MentorPreference
    from accelerator.programs.models import Enrollment
    from tests import factories

    try:
        startup = world.startup
    except AttributeError:
        startup = factories.make_startup(founders=[world.users["founder"]])
        world.startup = startup
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.startup_id == startup.id))
    if enrollment is None:
        enrollment = factories.make_enrollment(startup=startup)
    cohort_id = enrollment.cohort_id
    world.mentoring_cohort_id = cohort_id
    tag = factories.make_tag()
    mentor = factories.make_mentor(user=world.users["mentor"], expertise=[tag], capacity=5)
    other = factories.make_mentor(user=world.users["other_mentor"], expertise=[tag], capacity=5)
    world.spare_mentor = factories.make_mentor(expertise=[tag], capacity=5)
    extra = [_enrol(cohort_id) for _ in range(3)]
    world.match = factories.make_match(
        cohort_id=cohort_id, startup_id=startup.id, mentor_id=mentor.id
    )
    world.to_accept = factories.make_match(
        cohort_id=cohort_id,
        startup_id=extra[0].id,
        mentor_id=mentor.id,
        status=MatchStatus.CONFIRMED,
    )
    world.to_decline = factories.make_match(
        cohort_id=cohort_id,
        startup_id=extra[1].id,
        mentor_id=mentor.id,
        status=MatchStatus.CONFIRMED,
    )
    world.proposed = factories.make_match(
        cohort_id=cohort_id, startup_id=extra[2].id, mentor_id=other.id, status="proposed"
    )
    world.pair_startup = extra[2]
    conflict = MentorConflict(mentor_id=mentor.id, startup_id=extra[2].id, reason="Investor")
    preference = MentorPreference(
        cohort_id=cohort_id, startup_id=startup.id, mentor_id=other.id, rank=1
    )
    db.session.add_all([conflict, preference])
    db.session.flush()
    world.conflict_id, world.preference_id = conflict.id, preference.id
    world.conflict_startup = _enrol(cohort_id)


def _enrol(cohort_id: int):
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort
    from tests import factories

    startup = factories.make_startup()
    factories.make_enrollment(cohort=db.session.get(Cohort, cohort_id), startup=startup)
    return startup


def _mentor_url(path: str = ""):
    return lambda w: f"/mentoring/mentors/{w.users['mentor'].id}{path}"


def _cohort_url(path: str):
    return lambda w: f"/mentoring/cohorts/{w.mentoring_cohort_id}{path}"


ANON = {"anonymous": LOGIN}
FOUNDERS_403 = {"founder": 403, "other_founder": 403}
#: Business-unit partners see nothing of mentoring: every page refuses their role.
PARTNERS_403 = {"partner": 403, "other_partner": 403}
MENTORS_403 = {"mentor": 403, "other_mentor": 403}
PROFILE_READERS = expect(
    404, anonymous=LOGIN, founder=200, mentor=200, staff=200, admin=200, **PARTNERS_403
)

CASES = {
    "mentoring.my_profile": [
        Case(
            "/mentoring/profile",
            expect(403, anonymous=LOGIN, mentor=302, other_mentor=302),
        ),
    ],
    "mentoring.profile": [
        Case(_mentor_url(), PROFILE_READERS, note="other founder: startup not enrolled"),
        Case(
            "/mentoring/mentors/999999",
            expect(404, anonymous=LOGIN, **PARTNERS_403),
        ),
    ],
    "mentoring.edit_profile": [
        Case(
            _mentor_url("/edit"),
            expect(
                404,
                anonymous=LOGIN,
                **FOUNDERS_403,
                **PARTNERS_403,
                mentor=200,
                staff=200,
                admin=200,
            ),
        ),
        Case(
            _mentor_url("/edit"),
            expect(
                404,
                anonymous=LOGIN,
                **FOUNDERS_403,
                **PARTNERS_403,
                mentor=422,
                staff=422,
                admin=422,
            ),
            method="POST",
            data={"organisation": "", "capacity": "99"},
            note="an invalid form comes back with its errors",
        ),
    ],
    "mentoring.add_conflict": [
        Case(
            _mentor_url("/conflicts"),
            expect(
                404,
                anonymous=LOGIN,
                **FOUNDERS_403,
                **PARTNERS_403,
                mentor=302,
                staff=409,
                admin=409,
            ),
            method="POST",
            data=lambda w: {"startup": str(w.conflict_startup.id), "reason": "I invest in it"},
            note="staff and admin meet the conflict the mentor just declared",
        ),
    ],
    "mentoring.remove_conflict": [
        Case(
            lambda w: f"/mentoring/conflicts/{w.conflict_id}/delete",
            expect(404, anonymous=LOGIN, **FOUNDERS_403, **PARTNERS_403, mentor=302),
            method="POST",
            note="after the mentor removed it, it is gone for staff",
        ),
    ],
    "mentoring.directory": [
        Case("/mentoring/mentors", expect(403, anonymous=LOGIN, founder=200, staff=200, admin=200)),
        Case(
            "/mentoring/mentors?q=x&expertise=999999&language=zz&page=-2",
            expect(403, anonymous=LOGIN, founder=422, staff=422, admin=422),
            note="unknown filter values are form errors",
        ),
    ],
    "mentoring.add_preference": [
        Case(
            "/mentoring/preferences",
            expect(403, anonymous=LOGIN, founder=302),
            method="POST",
            data=lambda w: {"mentor_id": str(w.users["mentor"].id)},
        ),
    ],
    "mentoring.remove_preference": [
        Case(
            lambda w: f"/mentoring/preferences/{w.preference_id}/delete",
            expect(403, anonymous=LOGIN, founder=302, other_founder=404, staff=404, admin=404),
            method="POST",
            note="after the founder removed it, it is gone for staff",
        ),
    ],
    "mentoring.my_matches": [
        Case(
            "/mentoring/matches",
            expect(200, anonymous=LOGIN, staff=403, admin=403, **PARTNERS_403),
        ),
    ],
    "mentoring.respond": [
        Case(
            lambda w: f"/mentoring/matches/{w.to_accept.id}/accept",
            expect(403, anonymous=LOGIN, mentor=302, other_mentor=404),
            method="POST",
        ),
        Case(
            lambda w: f"/mentoring/matches/{w.to_decline.id}/decline",
            expect(403, anonymous=LOGIN, mentor=302, other_mentor=404),
            method="POST",
            data={"reason": "No time this season"},
        ),
        Case(
            lambda w: f"/mentoring/matches/{w.match.id}/accept",
            expect(403, anonymous=LOGIN, mentor=409, other_mentor=404),
            method="POST",
            note="an accepted match is not waiting for an answer",
        ),
    ],
    "mentoring.matching": [
        Case(_cohort_url("/matching"), staff_only(200)),
        Case(
            "/mentoring/cohorts/999999/matching",
            expect(404, anonymous=LOGIN, **FOUNDERS_403, **MENTORS_403, **PARTNERS_403),
        ),
    ],
    "mentoring.run": [
        Case(_cohort_url("/matching/run"), staff_only(302), method="POST"),
    ],
    "mentoring.confirm": [
        Case(
            _cohort_url("/matching/confirm"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            note="nothing is left to confirm for admin",
        ),
    ],
    "mentoring.add_pair": [
        Case(
            _cohort_url("/matching/add"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            data=lambda w: {"startup": str(w.startup.id), "mentor": str(w.spare_mentor.id)},
            note="admin meets the pair staff just added",
        ),
        Case(
            _cohort_url("/matching/add"),
            staff_only(409),
            method="POST",
            data=lambda w: {
                "startup": str(w.pair_startup.id),
                "mentor": str(w.users["mentor"].id),
            },
            note="a declared conflict",
        ),
        Case(_cohort_url("/matching/add"), staff_only(422), method="POST", data={}),
    ],
    "mentoring.swap": [
        Case(
            lambda w: f"/mentoring/matches/{w.proposed.id}/swap",
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            data=lambda w: {f"swap-{w.proposed.id}-mentor": str(w.spare_mentor.id)},
        ),
    ],
    "mentoring.remove": [
        Case(
            lambda w: f"/mentoring/matches/{w.proposed.id}/remove",
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        ),
    ],
    "mentoring.export": [
        Case(_cohort_url("/matches.csv"), staff_only(200)),
        Case(_cohort_url("/matches.xlsx"), staff_only(200)),
        Case(
            "/mentoring/cohorts/999999/matches.csv",
            expect(404, anonymous=LOGIN, **FOUNDERS_403, **MENTORS_403, **PARTNERS_403),
        ),
    ],
}
