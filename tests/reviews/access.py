"""Access expectations for every review route.

world: a cohort under review with `mentor` on its panel, assigned to the founder's
application and cleared ("no conflict"); `other_mentor` is not assigned.
A second cohort holds the founder's accepted application with a pending offer.
Reviewer-specific cases (assigned / not assigned / conflicted) are in test_views.py.
"""

from __future__ import annotations

from tests.access import LOGIN, Case, expect, staff_only


def build(world) -> None:
    from accelerator.core.files import store_bytes
    from tests import factories

    founder, mentor = world.users["founder"], world.users["mentor"]
    cohort = factories.make_cohort(phase="reviewing")
    factories.make_panel_mentor(cohort, mentor)
    panel_extra = factories.make_panel_mentor(cohort)
    # The applications domain's build() gives the founder a startup (a founder has one).
    startup = getattr(world, "startup", None) or factories.make_startup(founders=[founder])
    application = factories.make_application(cohort=cohort, startup=startup, status="in_review")
    deck = store_bytes(b"%PDF-1.4 deck", filename="deck.pdf", content_type="application/pdf")
    application.pitch_deck_id = deck.id
    assignment = factories.make_assignment(application=application, reviewer=mentor)
    staff_assignment = factories.make_assignment(
        application=application, reviewer=world.users["staff"], conflict="undeclared"
    )
    offer_cohort = factories.make_cohort(phase="reviewing")
    offered = factories.make_application(cohort=offer_cohort, startup=startup, status="in_review")
    factories.make_offer(offered, seat=1)
    # Ids, not objects: a POST may delete the row before the next role's turn.
    world.review_ids = {
        "c": cohort.id,
        "a": application.id,
        "asg": assignment.id,
        "sa": staff_assignment.id,
        "o": offered.id,
        "pm": panel_extra.id,
    }


def _c(path: str):
    return lambda w: path.format(**w.review_ids)


#: Reviewers are staff and mentors: founders and business-unit partners are refused (no
#: partner reads a review).
REVIEWERS = dict(anonymous=LOGIN, founder=403, other_founder=403, partner=403, other_partner=403)


CASES = {
    "reviews.index": [Case("/reviews/", staff_only(200))],
    "reviews.pipeline": [Case(_c("/reviews/cohorts/{c}/pipeline"), staff_only(200))],
    "reviews.move_stage": [
        Case(
            _c("/reviews/cohorts/{c}/pipeline/move"),
            staff_only(302),
            method="POST",
            data=lambda w: {"target": "shortlisted", "application_ids": [str(w.review_ids["a"])]},
        ),
    ],
    "reviews.assignments": [Case(_c("/reviews/cohorts/{c}/assignments"), staff_only(200))],
    "reviews.auto_assign": [
        Case(
            _c("/reviews/cohorts/{c}/assignments/auto"),
            staff_only(422),
            method="POST",
            data={},
            note="an empty form is answered with its errors",
        ),
    ],
    "reviews.assign": [
        Case(_c("/reviews/applications/{a}/assign"), staff_only(422), method="POST", data={}),
    ],
    # Staff removes the assignment; for the admin who comes next it no longer exists.
    "reviews.unassign": [
        Case(
            _c("/reviews/assignments/{sa}/unassign"),
            expect(403, anonymous=LOGIN, staff=302, admin=404),
            method="POST",
        ),
    ],
    "reviews.add_panel_mentor": [
        Case(_c("/reviews/cohorts/{c}/panel"), staff_only(422), method="POST", data={}),
    ],
    "reviews.remove_panel_mentor": [
        Case(_c("/reviews/cohorts/{c}/panel/{pm}/remove"), staff_only(302), method="POST"),
    ],
    "reviews.ranking_page": [Case(_c("/reviews/cohorts/{c}/ranking"), staff_only(200))],
    "reviews.export": [
        Case(_c("/reviews/cohorts/{c}/ranking.csv"), staff_only(200)),
        Case(_c("/reviews/cohorts/{c}/ranking.xlsx"), staff_only(200)),
    ],
    "reviews.decisions_page": [Case(_c("/reviews/cohorts/{c}/decisions"), staff_only(200))],
    "reviews.decide": [
        Case(_c("/reviews/applications/{a}/decide"), staff_only(200)),
        Case(_c("/reviews/applications/{a}/decide"), staff_only(422), method="POST", data={}),
    ],
    "reviews.promote": [
        # Nobody is on the waitlist: refused (409).
        Case(_c("/reviews/cohorts/{c}/promote"), staff_only(409), method="POST"),
    ],
    "reviews.expire": [Case(_c("/reviews/cohorts/{c}/expire"), staff_only(302), method="POST")],
    "reviews.application_reviews": [
        Case(_c("/reviews/applications/{a}"), staff_only(200)),
    ],
    # Reviewers: staff and mentors; an assignment is only its own reviewer's (404 for others).
    "reviews.inbox": [
        Case("/reviews/inbox", expect(200, **REVIEWERS)),
    ],
    "reviews.declare": [
        Case(_c("/reviews/assignments/{asg}/declare"), expect(404, mentor=200, **REVIEWERS)),
        Case(
            _c("/reviews/assignments/{asg}/declare"),
            expect(404, mentor=422, **REVIEWERS),
            method="POST",
            data={},
        ),
    ],
    "reviews.review": [
        Case(_c("/reviews/assignments/{asg}/review"), expect(404, mentor=200, **REVIEWERS)),
        Case(
            _c("/reviews/assignments/{asg}/review"),
            expect(404, mentor=422, **REVIEWERS),
            method="POST",
            data={},
        ),
    ],
    "reviews.deck": [
        Case(_c("/reviews/assignments/{asg}/deck"), expect(404, mentor=200, **REVIEWERS)),
    ],
    # The startup's offer: its founders (and staff, read-only); mentors have no business here.
    "reviews.offer": [
        Case(
            _c("/reviews/offers/{o}"),
            expect(
                302,
                anonymous=LOGIN,
                other_founder=404,
                mentor=403,
                other_mentor=403,
                partner=403,
                other_partner=403,
            ),
        ),
    ],
    "reviews.confirm_offer": [
        Case(
            _c("/reviews/offers/{o}/confirm"),
            expect(403, anonymous=LOGIN, founder=302, other_founder=404),
            method="POST",
        ),
    ],
    "reviews.decline_offer": [
        Case(
            _c("/reviews/offers/{o}/decline"),
            expect(403, anonymous=LOGIN, founder=302, other_founder=404),
            method="POST",
        ),
    ],
}
