"""/api/v1 mentor matches and sessions (read only): the shared summary, never private notes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import false, select

from accelerator.api import paging
from accelerator.api.filters import Id, Moment, narrowed
from accelerator.api.queries import one, visible_startup_ids
from accelerator.api.resources import resource_blueprint
from accelerator.auth.models import Role
from accelerator.mentoring.models import Match, MatchStatus
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.mentoring.schemas import MatchSchema
from accelerator.sessions.models import MentorSession, SessionState
from accelerator.sessions.schemas import SessionSchema

blp = resource_blueprint(
    "mentoring",
    __name__,
    scope="mentoring",
    label=_l("Mentoring"),
    description="Mentors matched with startups, and their sessions (the summary they share).",
)


def _founder_startups() -> set[int]:
    """The founder's own startup (as `visible_startup_ids` reads it), none for other roles."""
    if current_user.role != Role.FOUNDER:
        return set()
    return visible_startup_ids(current_user) or set()


def _matches():
    """Staff all; a mentor their own pairs; founders their startup's confirmed or accepted
    pairs (mentoring.policies.can_view_match)."""
    statement = select(Match)
    if current_user.is_staff:
        return statement
    if current_user.role == Role.MENTOR:
        return statement.where(Match.mentor_id == current_user.id)
    startups = _founder_startups()
    if not startups:
        return statement.where(false())
    return statement.where(Match.startup_id.in_(startups), Match.status.in_(ACTIVE_MATCH))


def _sessions():
    """Staff all; the session's mentor; the startup's founders (sessions.policies
    .can_view_session)."""
    statement = select(MentorSession)
    if current_user.is_staff:
        return statement
    if current_user.role == Role.MENTOR:
        return statement.where(MentorSession.mentor_id == current_user.id)
    startups = _founder_startups()
    if not startups:
        return statement.where(false())
    return statement.where(MentorSession.startup_id.in_(startups))


class MatchArgs(paging.ListArgs):
    cohort_id = Id()
    startup_id = Id()
    mentor_id = Id()
    status = fields.Enum(MatchStatus, by_value=True, load_default=None)


@blp.route("/matches")
@blp.arguments(MatchArgs, location="query")
@blp.response(200, paging.page_of(MatchSchema))
def list_matches(args):
    """Mentor matches: staff all; a mentor theirs; founders their startup's active ones."""
    names = ("cohort_id", "startup_id", "mentor_id", "status")
    statement = narrowed(_matches(), args, equal={name: getattr(Match, name) for name in names})
    return paging.paginate(statement, Match.id, args)


@blp.route("/matches/<int:match_id>")
@blp.response(200, MatchSchema)
def get_match(match_id: int):
    """One match."""
    return one(_matches().where(Match.id == match_id))


class SessionArgs(paging.ListArgs):
    cohort_id = Id()
    startup_id = Id()
    mentor_id = Id()
    state = fields.Enum(SessionState, by_value=True, load_default=None)
    starts_after = Moment(metadata={"description": "on or after (with offset)"})
    starts_before = Moment(metadata={"description": "before (with offset)"})


@blp.route("/sessions")
@blp.arguments(SessionArgs, location="query")
@blp.response(200, paging.page_of(SessionSchema))
def list_sessions(args):
    """Mentor sessions: staff all; a mentor theirs; founders their startup's. The summary
    both sides share; private notes never leave the mentor's and staff's pages."""
    statement = _sessions()
    names = ("cohort_id", "startup_id", "mentor_id", "state")
    statement = narrowed(
        statement,
        args,
        equal={name: getattr(MentorSession, name) for name in names},
        since={"starts_after": MentorSession.starts_at},
        before={"starts_before": MentorSession.starts_at},
    )
    return paging.paginate(statement, MentorSession.id, args)


@blp.route("/sessions/<int:session_id>")
@blp.response(200, SessionSchema)
def get_session(session_id: int):
    """One mentor session."""
    return one(_sessions().where(MentorSession.id == session_id))
