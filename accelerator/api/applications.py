"""/api/v1 startups and applications (answers and status history); drafts written by founders.

A form tool starts a draft with POST /applications and fills it with PATCH: the services are
the page's (`applications.services.start_application`, `save_draft`), so the rules and the
messages are the page's too.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import select

from accelerator.api import paging
from accelerator.api.filters import Id, narrowed
from accelerator.api.queries import one, only_visible
from accelerator.api.resources import resource_blueprint
from accelerator.applications import services
from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.applications.schemas import (
    ApplicationCreateSchema,
    ApplicationSchema,
    ApplicationUpdateSchema,
    StartupSchema,
)
from accelerator.core.errors import NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.models import AuditEvent
from accelerator.core.permissions import Role, current_actor
from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState

blp = resource_blueprint(
    "applications",
    __name__,
    scope="applications",
    label=_l("Startups and applications"),
    description="Startups and their applications: answers, status and its history.",
)


def _startups():
    return only_visible(select(Startup), Startup.id, current_user)


class StartupArgs(paging.ListArgs):
    updated_since = fields.AwareDateTime(load_default=None)


@blp.route("/startups")
@blp.arguments(StartupArgs, location="query")
@blp.response(200, paging.page_of(StartupSchema))
def list_startups(args):
    """Startups: staff see all; founders their own; mentors the startups they are matched with."""
    statement = narrowed(_startups(), args, since={"updated_since": Startup.updated_at})
    return paging.paginate(statement, Startup.id, args)


@blp.route("/startups/<int:startup_id>")
@blp.response(200, StartupSchema)
def get_startup(startup_id: int):
    """One startup."""
    return one(_startups().where(Startup.id == startup_id))


def _applications():
    return only_visible(select(Application), Application.startup_id, current_user, mentors=False)


def _with_history(applications: list[Application]) -> list[Application]:
    """Each application's status history (when, to what), read in one statement for them all:
    the moves its audit events record, as on the founder's status page."""
    by_id = {application.id: application for application in applications}
    for application in applications:
        application.has_pitch_deck = application.pitch_deck_id is not None
        application.status_history = []
    if by_id:
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == Application.__tablename__)
            .where(AuditEvent.object_id.in_(by_id))
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
        statuses = {status.value for status in ApplicationStatus}
        for event in events:
            if (event.data or {}).get("to") in statuses:
                by_id[event.object_id].status_history.append(
                    {"at": event.created_at, "status": ApplicationStatus(event.data["to"])}
                )
    return applications


class ApplicationArgs(paging.ListArgs):
    status = fields.Enum(ApplicationStatus, by_value=True, load_default=None)
    cohort_id = Id()
    startup_id = Id()
    submitted_after = fields.AwareDateTime(load_default=None)
    submitted_before = fields.AwareDateTime(load_default=None)
    updated_since = fields.AwareDateTime(load_default=None)


@blp.route("/applications")
@blp.arguments(ApplicationArgs, location="query")
@blp.response(200, paging.page_of(ApplicationSchema))
def list_applications(args):
    """Applications: staff see all; founders their startup's. By status, cohort and dates."""
    statement = narrowed(
        _applications(),
        args,
        equal={
            "status": Application.status,
            "cohort_id": Application.cohort_id,
            "startup_id": Application.startup_id,
        },
        since={
            "submitted_after": Application.submitted_at,
            "updated_since": Application.updated_at,
        },
        before={"submitted_before": Application.submitted_at},
    )
    page = paging.paginate(statement, Application.id, args)
    _with_history(page["items"])
    return page


def _application(application_id: int) -> Application:
    return _with_history([one(_applications().where(Application.id == application_id))])[0]


@blp.route("/applications/<int:application_id>")
@blp.response(200, ApplicationSchema)
def get_application(application_id: int):
    """One application, its answers and its status history."""
    return _application(application_id)


@blp.route("/applications", methods=["POST"])
@blp.arguments(ApplicationCreateSchema)
@blp.response(201, ApplicationSchema)
@blp.alt_response(200, schema=ApplicationSchema, description="The startup's existing one")
def create_application(body):
    """Start the startup's draft for an open call (founders), or find the one it has."""
    if current_user.role != Role.FOUNDER:
        raise NotAllowed(_("Only a startup's founders can apply."))
    cohort = one(
        select(Cohort).where(Cohort.id == body["cohort_id"], Cohort.state == CohortState.PUBLISHED)
    )
    actor = current_actor()
    startup = services.startup_of(actor)
    known = startup is not None and db.session.scalar(
        select(Application.id).where(
            Application.cohort_id == cohort.id, Application.startup_id == startup.id
        )
    )
    application = services.start_application(cohort, actor=actor)
    if body["answers"]:
        services.save_draft(application, actor=actor, answers=body["answers"])
    db.session.commit()
    return _application(application.id), 200 if known else 201


@blp.route("/applications/<int:application_id>", methods=["PATCH"])
@blp.arguments(ApplicationUpdateSchema)
@blp.response(200, ApplicationSchema)
def update_application(body, application_id: int):
    """Save answers into a draft (incomplete is fine, invalid is refused beside its field)."""
    application = one(_applications().where(Application.id == application_id))
    services.save_draft(application, actor=current_actor(), answers=body["answers"])
    db.session.commit()
    return _application(application_id)
