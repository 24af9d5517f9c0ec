"""Milestone plans: what each cohort expects of its startups, week by week.

Staff edit a cohort's plan (or start from the default three-month plan, or copy an earlier
cohort's); every enrolled startup gets one milestone per plan line, with its due date counted in
weeks from the cohort's first day. Creating milestones is idempotent (UNIQUE on enrollment and
plan line), so saving a plan or pressing "create milestones" again only fills what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import require_staff
from accelerator.extensions import db
from accelerator.grants.queries import tranche_choices
from accelerator.milestones.models import (
    Cadence,
    CheckIn,
    CheckinSchedule,
    Milestone,
    MilestoneStatus,
    MilestoneTemplate,
)
from accelerator.programs.models import Cohort, Enrollment, Program

MAX_TEXT = 4000
#: The tranche of the default tranche plan that the Demo day milestone releases.
DEMO_DAY_TRANCHE = "demo_day"

#: The default plan of a three-month cohort: (due week, title, description, KPI targets, tranche)
DEFAULT_PLAN = (
    (
        1,
        "Onboarding and goals",
        "Meet the program team and your business-unit sponsor; agree three goals for the program.",
        "Three written goals, one sponsor named",
        None,
    ),
    (
        4,
        "Customer discovery done",
        "Interviews with the business units and their customers; the problem you solve, confirmed.",
        "15 interviews; 3 business units met",
        None,
    ),
    (
        6,
        "Mid-program review",
        "Progress against the goals, a pilot proposal, the next six weeks' plan.",
        "A pilot proposal agreed with one business unit",
        "midpoint",
    ),
    (
        10,
        "Pilot with a business unit signed",
        "A signed pilot or contract with one of the company's business units.",
        "1 signed pilot",
        None,
    ),
    (
        13,
        "Demo day",
        "Pitch on demo day; results of the pilot and the plan after the program.",
        "Demo-day pitch delivered",
        "demo_day",
    ),
)


@dataclass
class TemplateInput:
    title: str
    description: str
    due_week: int | None
    kpi_targets: str
    tranche_key: str | None


def due_date(cohort: Cohort, due_week: int) -> date:
    """The last day of week `due_week` of the cohort (week 1 is its first seven days), never
    after the cohort's last day."""
    return min(cohort.starts_on + timedelta(days=7 * due_week - 1), cohort.ends_on)


def templates_of(cohort_id: int) -> list[MilestoneTemplate]:
    return list(
        db.session.scalars(
            select(MilestoneTemplate)
            .where(MilestoneTemplate.cohort_id == cohort_id)
            .order_by(MilestoneTemplate.due_week, MilestoneTemplate.id)
        )
    )


def demo_day_due(cohort: Cohort) -> date | None:
    """The due date of the cohort's Demo day milestone: the plan line that releases the demo-day
    tranche, else the line titled "Demo day"; None without one. Connected to `hooks.demo_day`:
    ask `programs.queries.demo_day`, the day every page names."""
    lines = templates_of(cohort.id)
    line = next((t for t in lines if t.tranche_key == DEMO_DAY_TRANCHE), None) or next(
        (t for t in lines if t.title.strip().casefold() == "demo day"), None
    )
    return due_date(cohort, line.due_week) if line is not None else None


def earlier_plans(cohort: Cohort) -> list[tuple[str, str]]:
    """(id, "program · cohort") of the other cohorts that have a plan to copy, latest first."""
    rows = db.session.execute(
        select(Cohort.id, Cohort.name, Program.name)
        .join(Program, Program.id == Cohort.program_id)
        .where(Cohort.id != cohort.id)
        .where(
            select(MilestoneTemplate.id).where(MilestoneTemplate.cohort_id == Cohort.id).exists()
        )
        .order_by(Cohort.starts_on.desc())
        .limit(50)
    )
    return [(str(cid), f"{program} · {name}") for cid, name, program in rows]


def _check(cohort: Cohort, data: TemplateInput, template: MilestoneTemplate | None = None) -> dict:
    title = (data.title or "").strip()
    if not title or len(title) > 160:
        raise ValidationFailed(
            _("Give the milestone a title (up to 160 characters)."), field="title"
        )
    weeks = max((cohort.ends_on - cohort.starts_on).days // 7 + 1, 1)
    if data.due_week is None or not 1 <= data.due_week <= weeks:
        raise ValidationFailed(
            _("Choose a week between 1 and %(weeks)d (the cohort's length).", weeks=weeks),
            field="due_week",
        )
    for name in ("description", "kpi_targets"):
        if len(getattr(data, name) or "") > MAX_TEXT:
            raise ValidationFailed(_("Please keep this under 4,000 characters."), field=name)
    tranche = data.tranche_key or None
    if tranche is not None:
        if tranche not in dict(tranche_choices(cohort)):
            raise ValidationFailed(_("Choose a tranche of the cohort's plan."), field="tranche_key")
        taken = select(MilestoneTemplate.id).where(
            MilestoneTemplate.cohort_id == cohort.id, MilestoneTemplate.tranche_key == tranche
        )
        if template is not None:
            taken = taken.where(MilestoneTemplate.id != template.id)
        if db.session.scalar(taken) is not None:
            raise Conflict(
                _("Another milestone of the plan already releases this tranche."),
                field="tranche_key",
            )
    return {
        "title": title,
        "description": (data.description or "").strip(),
        "due_week": data.due_week,
        "kpi_targets": (data.kpi_targets or "").strip(),
        "tranche_key": tranche,
    }


def add_template(cohort: Cohort, *, actor, data: TemplateInput) -> MilestoneTemplate:
    """Add a line to the plan; every enrolled startup gets the milestone at once."""
    require_staff(actor)
    template = MilestoneTemplate(cohort_id=cohort.id, **_check(cohort, data))
    db.session.add(template)
    db.session.flush()
    audit.record(
        "milestone_plan.line_added",
        cohort,
        actor=actor,
        data={"template_id": template.id, "title": template.title, "week": template.due_week},
    )
    create_for_enrolled(cohort, actor=actor, record=False)
    return template


def update_template(
    template: MilestoneTemplate, *, actor, data: TemplateInput
) -> MilestoneTemplate:
    """Edit a plan line; startups' milestones from it that nobody acted on follow the change."""
    require_staff(actor)
    cohort = db.session.get(Cohort, template.cohort_id)
    values = _check(cohort, data, template)
    if values["tranche_key"] != template.tranche_key and _acted_on(template):
        raise InvalidState(
            _("Startups have already reported on this milestone: its tranche can no longer change.")
        )
    changed = sorted(k for k, v in values.items() if getattr(template, k) != v)
    for key, value in values.items():
        setattr(template, key, value)
    planned = db.session.scalars(
        select(Milestone).where(
            Milestone.template_id == template.id, Milestone.status == MilestoneStatus.PLANNED
        )
    )
    for milestone in planned:
        milestone.title, milestone.description = template.title, template.description
        milestone.kpi_targets, milestone.tranche_key = template.kpi_targets, template.tranche_key
        milestone.due_on = due_date(cohort, template.due_week)
    db.session.flush()
    if changed:
        audit.record(
            "milestone_plan.line_changed",
            cohort,
            actor=actor,
            data={"template_id": template.id, "changed": changed},
        )
    return template


def _acted_on(template: MilestoneTemplate) -> bool:
    return (
        db.session.scalar(
            select(Milestone.id)
            .where(
                Milestone.template_id == template.id, Milestone.status != MilestoneStatus.PLANNED
            )
            .limit(1)
        )
        is not None
    )


def delete_template(template: MilestoneTemplate, *, actor) -> None:
    """Remove a plan line and the startups' untouched milestones made from it."""
    require_staff(actor)
    if _acted_on(template):
        raise InvalidState(
            _("Startups have already reported on this milestone: drop it per startup instead.")
        )
    cohort = db.session.get(Cohort, template.cohort_id)
    for milestone in db.session.scalars(
        select(Milestone).where(Milestone.template_id == template.id)
    ):
        db.session.delete(milestone)
    audit.record_removal(
        "milestone_plan.line_removed",
        template,
        actor=actor,
        data={"template_id": template.id, "title": template.title},
        about=cohort,
    )


def _refuse_if_planned(cohort: Cohort) -> None:
    if templates_of(cohort.id):
        raise Conflict(_("This cohort already has a milestone plan; edit its lines instead."))


def ensure_plan(cohort: Cohort, *, actor=None) -> list[MilestoneTemplate]:
    """The cohort's plan, made from the default plan when it has none yet."""
    existing = templates_of(cohort.id)
    if existing:
        return existing
    keys = dict(tranche_choices(cohort))
    for week, title, description, targets, tranche in DEFAULT_PLAN:
        db.session.add(
            MilestoneTemplate(
                cohort_id=cohort.id,
                title=title,
                description=description,
                due_week=week,
                kpi_targets=targets,
                tranche_key=tranche if tranche in keys else None,
            )
        )
    db.session.flush()
    audit.record("milestone_plan.defaulted", cohort, actor=actor, data={"lines": len(DEFAULT_PLAN)})
    return templates_of(cohort.id)


def use_default_plan(cohort: Cohort, *, actor) -> list[MilestoneTemplate]:
    require_staff(actor)
    _refuse_if_planned(cohort)
    templates = ensure_plan(cohort, actor=actor)
    create_for_enrolled(cohort, actor=actor, record=False)
    return templates


def copy_plan(cohort: Cohort, *, source: Cohort, actor) -> list[MilestoneTemplate]:
    """Copy an earlier cohort's plan (a tranche link is kept where this cohort has that tranche)."""
    require_staff(actor)
    if source.id == cohort.id:
        raise ValidationFailed(_("Choose another cohort to copy from."), field="source")
    _refuse_if_planned(cohort)
    lines = templates_of(source.id)
    if not lines:
        raise ValidationFailed(_("That cohort has no milestone plan to copy."), field="source")
    keys = dict(tranche_choices(cohort))
    weeks = max((cohort.ends_on - cohort.starts_on).days // 7 + 1, 1)
    for line in lines:
        db.session.add(
            MilestoneTemplate(
                cohort_id=cohort.id,
                title=line.title,
                description=line.description,
                due_week=min(line.due_week, weeks),
                kpi_targets=line.kpi_targets,
                tranche_key=line.tranche_key if line.tranche_key in keys else None,
            )
        )
    db.session.flush()
    audit.record(
        "milestone_plan.copied",
        cohort,
        actor=actor,
        data={"from_cohort_id": source.id, "from": source.name, "lines": len(lines)},
    )
    create_for_enrolled(cohort, actor=actor, record=False)
    return templates_of(cohort.id)


def set_cadence(cohort: Cohort, *, actor, cadence: Cadence | str | None) -> CheckinSchedule:
    """Choose the cohort's check-in cadence, while no startup has checked in yet."""
    require_staff(actor)
    try:
        cadence = Cadence(cadence)
    except ValueError:
        raise ValidationFailed(_("Choose a cadence."), field="cadence") from None
    schedule = db.session.scalar(
        select(CheckinSchedule).where(CheckinSchedule.cohort_id == cohort.id)
    )
    current = schedule.cadence if schedule else Cadence.WEEKLY
    if cadence == current:
        raise ValidationFailed(_("The cohort already checks in at this cadence."), field="cadence")
    started = db.session.scalar(
        select(func.count(CheckIn.id))
        .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id)
    )
    if started:
        raise Conflict(
            _("Startups have already checked in: the cadence can no longer change."),
            field="cadence",
        )
    if schedule is None:
        schedule = CheckinSchedule(cohort_id=cohort.id)
        db.session.add(schedule)
    schedule.cadence = cadence
    db.session.flush()
    audit.record(
        "checkin.cadence_set",
        cohort,
        actor=actor,
        data={"from": current.value, "to": cadence.value},
    )
    return schedule


def create_milestones(enrollment: Enrollment, cohort: Cohort | None = None) -> int:
    """Give an enrollment the milestones of its cohort's plan it does not have yet."""
    cohort = cohort or db.session.get(Cohort, enrollment.cohort_id)
    have = set(
        db.session.scalars(
            select(Milestone.template_id).where(
                Milestone.enrollment_id == enrollment.id, Milestone.template_id.is_not(None)
            )
        )
    )
    created = 0
    for template in templates_of(cohort.id):
        if template.id in have:
            continue
        db.session.add(
            Milestone(
                enrollment_id=enrollment.id,
                template_id=template.id,
                title=template.title,
                description=template.description,
                kpi_targets=template.kpi_targets,
                tranche_key=template.tranche_key,
                due_on=due_date(cohort, template.due_week),
                status=MilestoneStatus.PLANNED,
            )
        )
        created += 1
    db.session.flush()
    return created


def on_enrollment(enrollment: Enrollment, *, actor=None) -> int:
    """Subscribed to `enrollment_created`: the new startup's milestones, from the plan (the
    default plan when staff have not set one)."""
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    ensure_plan(cohort, actor=actor)
    return create_milestones(enrollment, cohort)


def create_for_enrolled(cohort: Cohort, *, actor, record: bool = True) -> int:
    """Fill in the plan's milestones for every startup already enrolled (idempotent)."""
    require_staff(actor)
    enrollments = db.session.scalars(
        select(Enrollment).where(Enrollment.cohort_id == cohort.id).order_by(Enrollment.id)
    ).all()
    created = sum(create_milestones(e, cohort) for e in enrollments)
    if record or created:
        audit.record(
            "milestones.created_for_enrolled",
            cohort,
            actor=actor,
            data={"created": created, "startups": len(enrollments)},
        )
    return created
