"""Access expectations for the alumni domain: every route against every role.

Answers are private: staff and the startup's own founders only. Mentors and partners are
refused by role (403) on every route; a founder of another startup meets 404 (no leak).

The objects are made on first use (`_alumni(w)`), after every domain's build: the founder's
startup (world.startup, made by the applications build) completed a cohort 200 days ago, so
its 6-month survey is due and its 12-month one is not.
"""

from __future__ import annotations

from types import SimpleNamespace

from tests.access import LOGIN, Case, expect, staff_only

#: A page of the startup's own: its founders and staff; the other founder does not know it.
OWN = expect(403, anonymous=LOGIN, founder=200, other_founder=404, staff=200, admin=200)
MISSING = expect(403, anonymous=LOGIN, founder=404, other_founder=404, staff=404, admin=404)


def _alumni(w):
    found = w.__dict__.get("_alumni")
    if found is None:
        from tests import factories

        alumnus = factories.make_alumnus(startup=w.startup, ended_days_ago=200)
        found = SimpleNamespace(
            alumnus=alumnus,
            six=factories.survey_of(alumnus, 6),
            twelve=factories.survey_of(alumnus, 12),
        )
        w.__dict__["_alumni"] = found
    return found


def _answers(w) -> dict:
    return {
        "raised": "1,500,000",
        "currency": "EUR",
        "round_type": "seed",
        "headcount": "12",
        "revenue_band": "100k_1m",
        "outcome": "operating",
        "contracts": "1",
        "contract_value": "80,000",
        "comment": "",
    }


def _survey(months: int = 6):
    return lambda w: f"/alumni/surveys/{getattr(_alumni(w), 'six' if months == 6 else 'twelve').id}"


CASES = {
    "alumni.directory": [
        Case("/alumni/", staff_only(200)),
        Case("/alumni/?outcome=closed&listed=no&cohort=junk&page=2", staff_only(200)),
    ],
    "alumni.export": [
        Case("/alumni/export?format=csv", staff_only(200)),
        Case("/alumni/export?format=xlsx&outcome=operating", staff_only(200)),
        Case("/alumni/export?format=pdf", staff_only(422)),
    ],
    "alumni.startup": [
        Case(lambda w: f"/alumni/startups/{_alumni(w).alumnus.startup_id}", OWN),
        Case("/alumni/startups/999999", MISSING),
    ],
    "alumni.survey": [
        Case(_survey(6), OWN),
        Case(_survey(12), OWN, note="not due yet: shown, without its form"),
        Case("/alumni/surveys/999999", MISSING),
        Case(
            _survey(6),
            expect(403, anonymous=LOGIN, founder=302, other_founder=404, staff=302, admin=302),
            method="POST",
            data=_answers,
            note="the founder answers; staff, then admin, correct it on their behalf",
        ),
        Case(
            _survey(6),
            expect(403, anonymous=LOGIN, founder=422, other_founder=404, staff=422, admin=422),
            method="POST",
            data=lambda w: {**_answers(w), "headcount": "-3", "contracts": "0"},
        ),
        Case(
            _survey(12),
            expect(403, anonymous=LOGIN, founder=409, other_founder=404, staff=409, admin=409),
            method="POST",
            data=_answers,
            note="the 12-month survey is not due yet",
        ),
    ],
    "alumni.listing": [
        Case(
            lambda w: f"/alumni/{_alumni(w).alumnus.id}/listing",
            expect(403, anonymous=LOGIN, founder=302, other_founder=404),
            method="POST",
            data={"listed": "yes"},
            note="the founders' consent: staff read it, never give it",
        ),
        Case(
            "/alumni/999999/listing",
            MISSING,
            method="POST",
            data={"listed": "yes"},
        ),
    ],
}
