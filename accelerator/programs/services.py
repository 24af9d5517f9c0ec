"""Program and cohort rules: create and edit programs and cohorts, publish, manage tags."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, ValidationFailed
from accelerator.core.hooks import enrollment_created
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import require_staff
from accelerator.core.text import clean_text
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, Enrollment, ExpertiseTag, Program
from accelerator.programs.queries import enrolled_count, forget_enrollments
from accelerator.programs.rules import (
    CohortInput,
    CohortInvalid,
    check_cohort,
    check_timezone,
)

__all__ = [
    "CohortInput",
    "CohortInvalid",
    "create_program",
    "update_program",
    "create_cohort",
    "update_cohort",
    "publish_cohort",
    "unpublish_cohort",
    "add_tag",
    "rename_tag",
    "delete_tag",
    "tag_usage",
    "enroll",
]


# Programs -------------------------------------------------------------------------------------


def _program_values(name: str, location: str, timezone: str, description: str) -> dict[str, str]:
    name, location = clean_text(name), clean_text(location)
    if not name or len(name) > 120:
        raise ValidationFailed(_("Give the program a name (up to 120 characters)."), field="name")
    if not location or len(location) > 120:
        raise ValidationFailed(_("Say where the program runs, e.g. Paris."), field="location")
    return {
        "name": name,
        "location": location,
        "timezone": check_timezone(timezone),
        "description": clean_text(description),
    }


def _name_taken(model, name: str, *, other_than=None, where=()) -> bool:
    """Whether another row of `model` (among those `where` selects) has `name`, ignoring case.
    Compared in Python: SQLite's lower() only folds ASCII, and these lists are short."""
    statement = select(model.id, model.name).where(*where)
    if other_than is not None:
        statement = statement.where(model.id != other_than.id)
    wanted = name.casefold()
    return any(other.casefold() == wanted for _id, other in db.session.execute(statement))


def _ensure_program_name_free(name: str, program: Program | None = None) -> None:
    if _name_taken(Program, name, other_than=program):
        raise Conflict(_("A program with this name already exists."), field="name")


def create_program(
    *, actor, name: str, location: str, timezone: str, description: str = ""
) -> Program:
    """Create a program (a standing accelerator in one place and timezone)."""
    require_staff(actor)
    values = _program_values(name, location, timezone, description)
    _ensure_program_name_free(values["name"])
    program = Program(**values)
    audit.record_new("program.created", program, actor=actor, data={"name": program.name})
    return program


def update_program(
    program: Program, *, actor, name: str, location: str, timezone: str, description: str = ""
) -> Program:
    """Edit a program; its cohorts' stored UTC times stay, and are shown in the new timezone."""
    require_staff(actor)
    values = _program_values(name, location, timezone, description)
    _ensure_program_name_free(values["name"], program)
    changed = _apply(program, values)
    db.session.flush()
    if changed:
        audit.record("program.updated", program, actor=actor, data={"changed": changed})
    return program


# Cohorts --------------------------------------------------------------------------------------


def _apply(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the values on obj; return the names of those that changed."""
    changed = []
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed.append(key)
    return sorted(changed)


def _ensure_cohort_name_free(program: Program, name: str, cohort: Cohort | None = None) -> None:
    if _name_taken(Cohort, name, other_than=cohort, where=[Cohort.program_id == program.id]):
        raise CohortInvalid({"name": _("This program already has a cohort with this name.")})


def create_cohort(program: Program, *, actor, data: CohortInput) -> Cohort:
    """Create a draft cohort in a program; its times are typed in the program's timezone."""
    require_staff(actor)
    values = check_cohort(data, program.timezone)
    _ensure_cohort_name_free(program, values["name"])
    cohort = Cohort(program_id=program.id, state=CohortState.DRAFT, **values)
    audit.record_new(
        "cohort.created", cohort, actor=actor, data={"name": cohort.name, "program": program.name}
    )
    return cohort


def update_cohort(cohort: Cohort, *, actor, data: CohortInput) -> Cohort:
    """Edit a cohort. Capacity never drops below the startups already enrolled, and the tranche
    plan is frozen once startups are enrolled (their grants are paid against it)."""
    require_staff(actor)
    program = db.session.get(Program, cohort.program_id)
    enrolled = enrolled_count(cohort.id)
    values = check_cohort(data, program.timezone, enrolled=enrolled)
    if enrolled and values["tranche_plan"] != cohort.tranche_plan:
        raise CohortInvalid(
            {"tranche_plan": _("Startups are enrolled: the tranche plan can no longer change.")}
        )
    _ensure_cohort_name_free(program, values["name"], cohort)
    changed = _apply(cohort, values)
    db.session.flush()
    if changed:
        audit.record("cohort.updated", cohort, actor=actor, data={"changed": changed})
    return cohort


def publish_cohort(cohort: Cohort, *, actor) -> Cohort:
    """Make a draft cohort public: it appears on the calls page as upcoming, open or past."""
    require_staff(actor)
    if cohort.state == CohortState.PUBLISHED:
        raise InvalidState(_("This cohort is already published."))
    cohort.state = CohortState.PUBLISHED
    db.session.flush()
    audit.record("cohort.published", cohort, actor=actor, data={"name": cohort.name})
    return cohort


def has_participants(cohort: Cohort) -> bool:
    """Whether any application or enrollment points at the cohort (tables of later domains
    are looked up by name, so this domain does not import them)."""
    for table_name in ("applications", "enrollments"):
        table = db.metadata.tables.get(table_name)
        if table is None:
            continue
        found = db.session.scalar(select(table.c.id).where(table.c.cohort_id == cohort.id).limit(1))
        if found is not None:
            return True
    return False


def unpublish_cohort(cohort: Cohort, *, actor) -> Cohort:
    """Take a cohort back to draft, only while nobody has applied to it."""
    require_staff(actor)
    if cohort.state == CohortState.DRAFT:
        raise InvalidState(_("This cohort is already a draft."))
    if has_participants(cohort):
        raise InvalidState(
            _("Startups have already applied to this cohort; it cannot go back to draft.")
        )
    cohort.state = CohortState.DRAFT
    db.session.flush()
    audit.record("cohort.unpublished", cohort, actor=actor, data={"name": cohort.name})
    return cohort


# Expertise tags -------------------------------------------------------------------------------


def _tag_name(name: str) -> str:
    name = re.sub(r"\s+", " ", clean_text(name))
    if not name or len(name) > 80:
        raise ValidationFailed(_("A tag needs a name of up to 80 characters."), field="name")
    return name


def _ensure_tag_free(name: str, tag: ExpertiseTag | None = None) -> None:
    if _name_taken(ExpertiseTag, name, other_than=tag):
        raise Conflict(_("This tag already exists."), field="name")


def add_tag(*, actor, name: str) -> ExpertiseTag:
    """Add a tag to the expertise vocabulary (names are unique, ignoring case)."""
    require_staff(actor)
    name = _tag_name(name)
    _ensure_tag_free(name)
    tag = ExpertiseTag(name=name)
    audit.record_new("tag.created", tag, actor=actor, data={"name": name})
    return tag


def rename_tag(tag: ExpertiseTag, *, actor, name: str) -> ExpertiseTag:
    """Rename a tag; startups and mentors using it follow the new name."""
    require_staff(actor)
    name = _tag_name(name)
    _ensure_tag_free(name, tag)
    old = tag.name
    if old != name:
        tag.name = name
        db.session.flush()
        audit.record("tag.renamed", tag, actor=actor, data={"from": old, "to": name})
    return tag


def chosen_tags(tag_ids: Iterable[int] | None, *, field: str, message: str) -> list[ExpertiseTag]:
    """The expertise tags picked by id from the list (a startup's needs, a mentor's expertise,
    a session's topics); an id that is no tag refuses the choice, `message` beside `field`."""
    ids = {int(i) for i in tag_ids or ()}
    if not ids:
        return []
    tags = list(db.session.scalars(select(ExpertiseTag).where(ExpertiseTag.id.in_(ids))))
    if len(tags) != len(ids):
        raise ValidationFailed(message, field=field)
    return tags


def _tag_links():
    """Every column in the schema that points at an expertise tag (startup needs, mentor
    expertise, ...), found from the foreign keys so later domains need no change here."""
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "expertise_tags":
                yield fk.parent


def tag_usage() -> dict[int, int]:
    """How many links (startup needs, mentor expertise, ...) use each tag, by tag id."""
    usage: dict[int, int] = {}
    for column in _tag_links():
        rows = db.session.execute(select(column, func.count()).group_by(column))
        for tag_id, count in rows:
            usage[tag_id] = usage.get(tag_id, 0) + count
    return usage


def delete_tag(tag: ExpertiseTag, *, actor) -> None:
    """Delete a tag that nothing uses (a used tag is renamed, never silently unlinked)."""
    require_staff(actor)
    for column in _tag_links():
        if db.session.scalar(select(column).where(column == tag.id).limit(1)) is not None:
            raise InvalidState(_("This tag is in use; rename it instead of deleting it."))
    audit.record_removal("tag.deleted", tag, actor=actor, data={"name": tag.name})


# Enrollment -----------------------------------------------------------------------------------


def enroll(application, *, actor) -> Enrollment:
    """Give the application's startup its place in the cohort and announce it.

    The caller (confirming an offer) holds the seat; this creates the Enrollment, records it and
    sends `enrollment_created` in the same transaction, so the domains that subscribe (the grant,
    mentoring slots, the milestone plan) do their part or the whole confirmation rolls back.
    """
    enrollment = Enrollment(
        cohort_id=application.cohort_id,
        startup_id=application.startup_id,
        application_id=application.id,
    )
    audit.record_new(
        "enrollment.created",
        enrollment,
        actor=actor,
        data={"application_id": application.id, "startup_id": application.startup_id},
    )
    forget_enrollments(application.startup_id)
    enrollment_created.send(enrollment, actor=actor)
    return enrollment
