"""Access expectations for programs, cohorts, expertise tags and the public calls."""

from tests.access import LOGIN, Case, expect, public, staff_only


def build(world) -> None:
    from tests import factories

    world.program = factories.make_program(name="Matrix Program")
    world.cohort = factories.make_cohort(program=world.program, phase="open", name="Open One")
    world.draft_cohort = factories.make_cohort(
        program=world.program, phase="draft", name="Draft One"
    )
    world.tag_id = factories.make_tag("matrix-tag").id
    # The delete case uses a tag in use: refused for everyone, so each role meets the same
    # tag (a deletable one would be gone after the first role). tests/programs/test_views.py
    # covers real deletion.
    from accelerator.applications.models import startup_needs
    from accelerator.extensions import db

    used = factories.make_tag("matrix-used-tag")
    startup = factories.make_startup(name="Matrix Needs Startup")
    db.session.execute(startup_needs.insert().values(startup_id=startup.id, tag_id=used.id))
    world.used_tag_id = used.id


def _cohort_form(world) -> dict:
    return {"name": ""}  # invalid on purpose: the form comes back with errors, nothing saved


CASES = {
    # Public: published cohorts for everyone; a draft is 404 except for staff.
    "programs.calls": [Case("/calls", public(200))],
    "programs.call": [
        Case(lambda w: f"/calls/{w.cohort.id}", public(200)),
        Case(
            lambda w: f"/calls/{w.draft_cohort.id}",
            expect(404, staff=200, admin=200),
            note="drafts are hidden",
        ),
        Case("/calls/999999", public(404)),
    ],
    # Staff pages.
    "programs.programs": [Case("/programs", staff_only(200))],
    "programs.new_program": [
        Case("/programs/new", staff_only(200)),
        Case("/programs/new", staff_only(422), method="POST", data={}),
    ],
    "programs.program": [
        Case(lambda w: f"/programs/{w.program.id}", staff_only(200)),
        Case("/programs/999999", expect(403, anonymous=302, staff=404, admin=404)),
    ],
    "programs.edit_program": [
        Case(lambda w: f"/programs/{w.program.id}/edit", staff_only(200)),
        Case(
            lambda w: f"/programs/{w.program.id}/edit",
            staff_only(422),
            method="POST",
            data={"name": ""},
        ),
    ],
    "programs.new_cohort": [
        Case(lambda w: f"/programs/{w.program.id}/cohorts/new", staff_only(200)),
        Case(
            lambda w: f"/programs/{w.program.id}/cohorts/new",
            staff_only(422),
            method="POST",
            data=_cohort_form,
        ),
    ],
    "programs.cohorts": [Case("/cohorts", staff_only(200))],
    "programs.cohort": [
        Case(lambda w: f"/cohorts/{w.cohort.id}", staff_only(200)),
        Case(lambda w: f"/cohorts/{w.draft_cohort.id}", staff_only(200)),
    ],
    "programs.edit_cohort": [
        Case(lambda w: f"/cohorts/{w.cohort.id}/edit", staff_only(200)),
        Case(
            lambda w: f"/cohorts/{w.cohort.id}/edit",
            staff_only(422),
            method="POST",
            data=_cohort_form,
        ),
    ],
    "programs.publish_cohort": [
        # Staff publishes it; for the admin after it, it is published already (409).
        Case(
            lambda w: f"/cohorts/{w.draft_cohort.id}/publish",
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        )
    ],
    "programs.unpublish_cohort": [
        Case(
            lambda w: f"/cohorts/{w.cohort.id}/unpublish",
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        )
    ],
    "programs.tags": [
        Case("/expertise", staff_only(200)),
        Case("/expertise", staff_only(422), method="POST", data={}),
    ],
    "programs.rename_tag": [
        Case(
            lambda w: f"/expertise/{w.tag_id}/rename",
            staff_only(302),
            method="POST",
            data={"name": "matrix tag renamed"},
        ),
    ],
    "programs.delete_tag": [
        # A tag in use is refused (409).
        Case(lambda w: f"/expertise/{w.used_tag_id}/delete", staff_only(409), method="POST")
    ],
}
