"""Access expectations for the impact report and the transparency pages (gathered by
access.py): the impact report and the transparency editing are staff-only; the public
transparency page answers everyone once published, 404 before (staff see a preview)."""

from __future__ import annotations

from tests.access import Case, expect, public, staff_only


def build(world) -> None:
    from accelerator.programs.models import Program
    from accelerator.reports import services
    from tests import factories
    from tests.reports import builders

    program, _past, _call = builders.make_impact_program(alumni=5)
    staff = world.users["staff"]
    services.edit_transparency(program, actor=staff, introduction="Nos chiffres.")
    services.publish_transparency(program, actor=staff)
    world.impact_program = program
    draft = factories.make_cohort(phase="completed")
    world.draft_transparency_program = draft.program_id
    # A page written but never published
    from accelerator.extensions import db

    services.edit_transparency(
        db.session.get(Program, draft.program_id), actor=staff, introduction="Brouillon."
    )
    # A program whose page was never written: publishing and withdrawing it are refused.
    world.bare_program = factories.make_program().id


def _impact(path: str):
    return lambda w: f"/reports/programs/{w.impact_program.id}{path}"


def _edit(path: str = "", program: str = "impact"):
    def url(w):
        ident = w.impact_program.id if program == "impact" else w.bare_program
        return f"/reports/programs/{ident}/transparency{path}"

    return url


STAFF_PREVIEW = expect(404, staff=200, admin=200)

CASES = {
    "reports.impact_report": [
        Case("/reports/impact", staff_only()),
        Case(lambda w: f"/reports/impact?program={w.impact_program.id}", staff_only()),
        Case("/reports/impact?program=999999", staff_only(404)),
    ],
    "reports.impact_chart_data": [Case(_impact("/impact.json"), staff_only())],
    "reports.impact_download": [
        Case(_impact("/impact.csv"), staff_only()),
        Case(_impact("/impact.xlsx"), staff_only()),
    ],
    "reports.transparency_edit": [
        Case(_edit(), staff_only()),
        Case(
            _edit(),
            staff_only(302),
            method="POST",
            data={"introduction": "Nos chiffres."},
            note="the same text again: saved, nothing changes",
        ),
        Case(_edit(), staff_only(422), method="POST", data={"introduction": ""}),
        Case("/reports/programs/999999/transparency", staff_only(404)),
    ],
    "reports.transparency_publish": [
        Case(_edit("/publish", "bare"), staff_only(409), method="POST", note="no introduction"),
        Case(_edit("/publish"), staff_only(409), method="POST", note="already published"),
    ],
    "reports.transparency_withdraw": [
        Case(_edit("/withdraw", "bare"), staff_only(409), method="POST", note="not published"),
    ],
    "reports.transparency_page": [
        Case(lambda w: f"/transparency/{w.impact_program.id}", public(200)),
        Case(lambda w: f"/transparency/{w.draft_transparency_program}", STAFF_PREVIEW),
        Case(lambda w: f"/transparency/{w.bare_program}", STAFF_PREVIEW),
        Case("/transparency/999999", public(404)),
    ],
    "reports.transparency_index": [Case("/transparency", public(200))],
}
