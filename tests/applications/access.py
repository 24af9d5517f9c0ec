"""Access expectations for the applications pages (founders' own, staff's list and import).

world.startup belongs to world.users["founder"], world.other_startup to "other_founder";
world.application is the startup's submitted application (with a deck), world.draft_application
a draft of it in another call, world.apply_cohort an open call it has not applied to yet.
"""

from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage

from tests.access import LOGIN, Case, expect, public, staff_only

#: Pages only founders reach (role check): everybody else is refused, business-unit partners too.
FOUNDERS_ONLY = {
    "mentor": 403,
    "other_mentor": 403,
    "staff": 403,
    "admin": 403,
    "partner": 403,
    "other_partner": 403,
}
#: Signed in but neither the startup's founder nor staff: the application is not theirs to know.
STRANGERS = {
    "other_founder": 404,
    "mentor": 404,
    "other_mentor": 404,
    "partner": 404,
    "other_partner": 404,
}
#: A founder's own object: the other founder, mentors and staff get 404/403.
OWNER_ONLY = {"other_founder": 404, **FOUNDERS_ONLY}


def build(world) -> None:
    from accelerator.applications import importing, startups
    from tests import factories

    founder = world.users["founder"]
    world.startup = factories.make_startup(founders=[founder])
    world.other_startup = factories.make_startup(founders=[world.users["other_founder"]])
    world.application = factories.make_application(
        cohort=factories.make_cohort(phase="open"),
        startup=world.startup,
        pitch_deck_id=factories.make_deck().id,
    )
    world.draft_application = factories.make_application(
        cohort=factories.make_cohort(phase="open"),
        startup=world.startup,
        status="draft",
        complete=False,
    )
    world.apply_cohort = factories.make_cohort(phase="open")
    world.startup_invitation, world.startup_invitation_token = startups.invite_cofounder(
        world.startup, email="matrix-cofounder@example.com", actor=founder
    )
    csv = FileStorage(io.BytesIO(b"Startup name,Country\nAcme,FR\n"), filename="a.csv")
    world.application_import = importing.create_import(
        cohort=world.apply_cohort, upload=csv, actor=world.users["staff"]
    )


def _application(suffix: str = ""):
    return lambda w: f"/applications/{w.application.id}{suffix}"


CASES = {
    "applications.startup": [
        Case("/startup", expect(200, anonymous=LOGIN, **FOUNDERS_ONLY)),
        Case("/startup", expect(422, anonymous=LOGIN, **FOUNDERS_ONLY), method="POST", data={}),
    ],
    # An empty form re-renders the profile page with the error beside the field (422).
    "applications.invite_cofounder": [
        Case(
            "/startup/invitations",
            expect(422, anonymous=LOGIN, **FOUNDERS_ONLY),
            method="POST",
            data={},
        ),
    ],
    "applications.revoke_cofounder_invitation": [
        Case(
            lambda w: f"/startup/invitations/{w.startup_invitation.id}/revoke",
            expect(302, anonymous=LOGIN, **OWNER_ONLY),
            method="POST",
        ),
    ],
    # Anyone holding the link sees the page; joining (POST) needs a signed-in founder: others
    # get the page with the message and 403, founders already in a startup 409.
    "applications.join_startup": [
        Case(lambda w: f"/startup/join/{w.startup_invitation_token}", public(200)),
        Case(
            lambda w: f"/startup/join/{w.startup_invitation_token}",
            expect(403, anonymous=LOGIN, founder=409, other_founder=409),
            method="POST",
        ),
    ],
    "applications.apply": [
        Case(
            lambda w: f"/calls/{w.apply_cohort.id}/apply",
            expect(200, anonymous=LOGIN, **FOUNDERS_ONLY),
        ),
        Case(
            lambda w: f"/calls/{w.apply_cohort.id}/apply",
            expect(302, anonymous=LOGIN, **FOUNDERS_ONLY),
            method="POST",
            data={},
        ),
    ],
    "applications.edit": [
        Case(
            lambda w: f"/applications/{w.draft_application.id}/edit",
            expect(200, anonymous=LOGIN, **OWNER_ONLY),
        ),
        Case(
            lambda w: f"/applications/{w.draft_application.id}/edit",
            expect(302, anonymous=LOGIN, **OWNER_ONLY),
            method="POST",
            data={},
        ),
    ],
    # The founder's status page and the staff detail page; mentors and partners see no
    # application (nor its deck: a partner reads a deck only through the pilots profile).
    "applications.show": [Case(_application(), expect(200, anonymous=LOGIN, **STRANGERS))],
    "applications.deck": [Case(_application("/deck"), expect(200, anonymous=LOGIN, **STRANGERS))],
    "applications.withdraw": [
        Case(_application("/withdraw"), expect(302, anonymous=LOGIN, **OWNER_ONLY), method="POST"),
    ],
    "applications.index": [Case("/applications", staff_only(200))],
    "applications.export": [
        Case("/applications/export.csv", staff_only(200)),
        Case("/applications/export.xlsx", staff_only(200)),
    ],
    "applications.import_upload": [
        Case("/applications/import", staff_only(200)),
        Case("/applications/import", staff_only(422), method="POST", data={}),
    ],
    "applications.import_sample": [Case("/applications/import/sample.csv", staff_only(200))],
    "applications.import_preview": [
        Case(lambda w: f"/applications/import/{w.application_import.id}", staff_only(200)),
        Case(
            lambda w: f"/applications/import/{w.application_import.id}",
            staff_only(200),
            method="POST",
            data={},
        ),
    ],
}
