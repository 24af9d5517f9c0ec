"""Access expectations for the milestone and check-in pages and actions.

build() enrolls world.startup (the founder's) in a running cohort with the default plan, a
check-in, a submitted milestone and one with a PDF; the mentor is matched with world.startup
(tests/mentoring/access.py), so through mentoring's mentored_startup_ids it reads the
startup's check-ins.
Staff act first, then admin: where the second attempt meets an object that already moved, the
answer is the refusal (409) or, for a deleted plan line, 404.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from tests.access import LOGIN, Case, expect, staff_only

_days = itertools.count(1)


def build(world) -> None:
    from sqlalchemy import select

    from accelerator.extensions import db
    from accelerator.milestones import plans as plan_rules
    from accelerator.milestones import services
    from accelerator.programs.models import Enrollment
    from tests import factories

    startup = world.startup
    try:  # the enrollment of the grants module's ledger: a founder has one grant page
        enrollment = db.session.get(Enrollment, world.ledger_grant.enrollment_id)
        plan_rules.on_enrollment(enrollment)
    except AttributeError:
        enrollment = factories.make_enrolled(startup=startup)
    world.progress = enrollment
    from accelerator.milestones.models import Milestone
    from accelerator.programs.models import Cohort

    milestones = db.session.scalars(
        select(Milestone).where(Milestone.enrollment_id == enrollment.id).order_by(Milestone.due_on)
    ).all()
    founder = world.users["founder"]
    world.m_planned = milestones[0]
    world.m_move = milestones[1]
    world.m_drop = milestones[3]
    world.m_submitted = milestones[4]
    services.submit_milestone(world.m_submitted, actor=founder, text="Done", link=None)
    import io

    from werkzeug.datastructures import FileStorage

    world.m_evidence = milestones[2]
    services.submit_milestone(
        world.m_evidence,
        actor=founder,
        text="See the PDF",
        link="https://example.org",
        upload=FileStorage(io.BytesIO(factories.PDF_BYTES), filename="proof.pdf"),
    )
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    world.m_cohort = cohort
    world.checkin = factories.make_checkin(enrollment, cohort.starts_on, asks="A mentor for sales")
    world.fresh_cohort = factories.make_cohort(phase="running")
    world.copy_cohort = factories.make_cohort(phase="running")
    from accelerator.milestones import plans

    world.plan_line = plans.add_template(
        cohort,
        actor=world.users["staff"],
        data=plans.TemplateInput("Matrix line", "", 2, "", None),
    ).id


def _url(path: str, attr: str):
    def url(world) -> str:
        value = getattr(world, attr)
        return path.format(id=value if isinstance(value, int) else value.id)

    return url


def _checkin_form(world) -> dict:
    return {
        "period": world.m_cohort.starts_on.isoformat(),
        "health": "green",
        "revenue": "1000",
        "active_users": "10",
        "headcount": "3",
        "raised": "0",
        "pilots": "0",
        "highlights": "Matrix",
    }


def _new_checkin_form(world) -> dict:
    data = _checkin_form(world)
    data["period"] = (world.m_cohort.starts_on + timedelta(days=7)).isoformat()
    return data


def _move(world) -> dict:
    day = world.m_cohort.starts_on + timedelta(days=next(_days) % 60 + 20)
    return {"due_on": day.isoformat(), "reason": "Matrix"}


def _line(prefix: str):
    return lambda w: {
        f"{prefix}-title": "Matrix milestone",
        f"{prefix}-due_week": "3",
        f"{prefix}-tranche_key": "",
    }


#: Business-unit partners read no check-in figures nor milestones: their role is refused.
PARTNERS_403 = {"partner": 403, "other_partner": 403}
OWN = expect(403, anonymous=LOGIN, founder=200, other_founder=404, staff=200, admin=200)
READ = expect(
    404,
    anonymous=LOGIN,
    founder=200,
    mentor=200,
    other_mentor=404,
    staff=200,
    admin=200,
    **PARTNERS_403,
)
FOUNDER_ACTS = expect(403, anonymous=LOGIN, founder=302, other_founder=404)

CASES = {
    "milestones.index": [Case("/milestones/", staff_only(200))],
    "milestones.mine": [
        Case(
            "/milestones/mine",
            expect(403, anonymous=LOGIN, founder=302, other_founder=200, staff=302, admin=302),
        )
    ],
    "milestones.cohort": [
        Case(_url("/milestones/cohorts/{id}", "m_cohort"), staff_only(200)),
        Case("/milestones/cohorts/999999", staff_only(404)),
    ],
    "milestones.cohort_checkins": [
        Case(_url("/milestones/cohorts/{id}/checkins", "m_cohort"), staff_only(200)),
        Case(
            lambda w: f"/milestones/cohorts/{w.m_cohort.id}/checkins?period=nonsense&page=-2",
            staff_only(200),
        ),
    ],
    "milestones.plan": [Case(_url("/milestones/cohorts/{id}/plan", "m_cohort"), staff_only(200))],
    "milestones.add_template": [
        Case(
            _url("/milestones/cohorts/{id}/plan/lines", "m_cohort"),
            staff_only(302),
            method="POST",
            data=_line("new"),
        ),
        Case(
            _url("/milestones/cohorts/{id}/plan/lines", "m_cohort"),
            staff_only(422),
            method="POST",
            data={"new-title": "", "new-due_week": "999"},
            note="an empty title and a week after the cohort come back beside their fields",
        ),
    ],
    "milestones.edit_template": [
        Case(
            _url("/milestones/plan-lines/{id}", "plan_line"),
            staff_only(302),
            method="POST",
            data=lambda w: _line(f"line-{w.plan_line}")(w),
        )
    ],
    "milestones.delete_template": [
        Case(
            _url("/milestones/plan-lines/{id}/delete", "plan_line"),
            expect(403, anonymous=LOGIN, staff=302, admin=404),
            method="POST",
        )
    ],
    "milestones.use_default_plan": [
        Case(
            _url("/milestones/cohorts/{id}/plan/default", "fresh_cohort"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        )
    ],
    "milestones.copy_plan": [
        Case(
            _url("/milestones/cohorts/{id}/plan/copy", "copy_cohort"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            data=lambda w: {"source": str(w.m_cohort.id)},
        )
    ],
    "milestones.set_cadence": [
        Case(
            _url("/milestones/cohorts/{id}/cadence", "fresh_cohort"),
            expect(403, anonymous=LOGIN, staff=302, admin=422),
            method="POST",
            data={"cadence": "biweekly"},
        ),
        Case(
            _url("/milestones/cohorts/{id}/cadence", "m_cohort"),
            staff_only(409),
            method="POST",
            data={"cadence": "monthly"},
            note="startups already checked in",
        ),
    ],
    "milestones.create_for_enrolled": [
        Case(
            _url("/milestones/cohorts/{id}/create-milestones", "m_cohort"),
            staff_only(302),
            method="POST",
        )
    ],
    "milestones.progress": [
        Case(_url("/milestones/enrollments/{id}", "progress"), READ),
        Case("/milestones/enrollments/999999", expect(404, anonymous=LOGIN, **PARTNERS_403)),
    ],
    "milestones.milestone": [
        Case(_url("/milestones/{id}", "m_planned"), OWN),
        Case(
            "/milestones/999999",
            expect(404, anonymous=LOGIN, mentor=403, other_mentor=403, **PARTNERS_403),
        ),
    ],
    "milestones.evidence": [
        Case(_url("/milestones/{id}/evidence", "m_evidence"), OWN),
        Case(
            _url("/milestones/{id}/evidence", "m_planned"),
            OWN | {"founder": 404, "staff": 404, "admin": 404},
        ),
    ],
    "milestones.submit_milestone": [
        Case(
            _url("/milestones/{id}/submit", "m_planned"),
            FOUNDER_ACTS,
            method="POST",
            data={"evidence_text": "We did it", "evidence_link": "https://example.org"},
        ),
        Case(
            _url("/milestones/{id}/submit", "m_move"),
            expect(403, anonymous=LOGIN, founder=422, other_founder=404),
            method="POST",
            data={"evidence_text": "", "evidence_link": "not a link"},
            note="missing text and a bad link come back beside their fields",
        ),
    ],
    "milestones.review_milestone": [
        Case(
            _url("/milestones/{id}/review", "m_submitted"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            data={"comment": "Well done", "approve": "1"},
        )
    ],
    "milestones.move_milestone": [
        Case(_url("/milestones/{id}/move", "m_move"), staff_only(302), method="POST", data=_move)
    ],
    "milestones.drop_milestone": [
        Case(
            _url("/milestones/{id}/drop", "m_drop"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            data={"reason": "Matrix"},
        )
    ],
    "milestones.add_milestone": [
        Case(
            _url("/milestones/enrollments/{id}/milestones", "progress"),
            staff_only(302),
            method="POST",
            data=lambda w: {
                "title": "Extra",
                "due_on": (w.m_cohort.starts_on + timedelta(days=30)).isoformat(),
            },
        )
    ],
    "milestones.new_checkin": [
        Case(
            _url("/milestones/enrollments/{id}/checkins/new", "progress"),
            expect(403, anonymous=LOGIN, founder=200, other_founder=404),
        ),
        Case(
            _url("/milestones/enrollments/{id}/checkins/new", "progress"),
            FOUNDER_ACTS,
            method="POST",
            data=_new_checkin_form,
        ),
    ],
    "milestones.checkin": [Case(_url("/checkins/{id}", "checkin"), READ)],
    "milestones.edit_checkin": [
        Case(
            _url("/checkins/{id}/edit", "checkin"),
            expect(403, anonymous=LOGIN, founder=200, other_founder=404),
        ),
        Case(
            _url("/checkins/{id}/edit", "checkin"),
            FOUNDER_ACTS,
            method="POST",
            data=_checkin_form,
        ),
    ],
    "milestones.comment_checkin": [
        Case(
            _url("/checkins/{id}/comment", "checkin"),
            staff_only(302),
            method="POST",
            data={"comment": "Good progress"},
        )
    ],
    "milestones.request_mentor": [
        Case(
            _url("/checkins/{id}/mentor-request", "checkin"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        )
    ],
}
