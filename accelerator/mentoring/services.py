"""Mentoring rules that change state: a cohort's matches (run the engine, change pairs by hand,
confirm, answer), and, from `profiles`, mentor profiles, declared conflicts and founders'
preferences: this module is the one other domains and the views call.

Every change to a cohort's pairs takes the cohort's row lock first (core/locking), so two staff
members cannot overfill a mentor. Services check the rule, change state, write one audit event
per act, queue mail, flush, and never commit.
"""

from __future__ import annotations

from collections import defaultdict

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import InvalidState, NotAllowed, NotFound, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.jobs.services import JobKind, JobResult
from accelerator.mentoring import notify
from accelerator.mentoring.models import MATCH_TRANSITIONS, Match, MatchStatus
from accelerator.mentoring.picture import CohortPicture, load_picture
from accelerator.mentoring.profiles import (
    ProfileInput,
    add_conflict,
    add_preference,
    remove_conflict,
    remove_preference,
    save_profile,
)
from accelerator.programs.models import Cohort
from accelerator.programs.queries import enrolled_count

__all__ = [
    "ProfileInput",
    "save_profile",
    "add_conflict",
    "remove_conflict",
    "add_preference",
    "remove_preference",
    "run_matching",
    "runs_in_background",
    "start_matching_job",
    "add_match",
    "swap_match",
    "remove_match",
    "confirm_matches",
    "respond",
]


def _lock_cohort(cohort_id: int) -> Cohort:
    return lock(Cohort, cohort_id, missing=InvalidState(_("This cohort no longer exists.")))


def _lock_match(match: Match) -> Match:
    return lock(Match, match.id, missing=InvalidState(_("This match no longer exists.")))


def _pair(match: Match, **extra) -> dict:
    """What an audit event of a pair records: whose pair it is, and what the act adds."""
    return {"startup_id": match.startup_id, "mentor_id": match.mentor_id, **extra}


def _move(match: Match, target: MatchStatus) -> None:
    if target not in MATCH_TRANSITIONS[match.status]:
        raise InvalidState(
            _(
                "This match is %(status)s and cannot become %(target)s.",
                status=match.status.label.lower(),
                target=target.label.lower(),
            )
        )
    match.status = target


def run_matching(cohort: Cohort, *, actor: User) -> list[Match]:
    """Propose mentors for every enrolled startup, keeping live pairs fixed.

    Confirmed, accepted and hand-made pairs stay; the engine's earlier proposals are replaced.
    A declined or removed pair is never proposed again, a conflicted pair never at all.
    """
    cohort = _lock_cohort(cohort.id)
    stale = db.session.scalars(
        select(Match).where(
            Match.cohort_id == cohort.id,
            Match.status == MatchStatus.PROPOSED,
            Match.created_by_id.is_(None),
        )
    ).all()
    for match in stale:
        db.session.delete(match)
    db.session.flush()
    picture = load_picture(cohort)
    created = [
        Match(
            cohort_id=cohort.id,
            startup_id=startup_id,
            mentor_id=mentor_id,
            status=MatchStatus.PROPOSED,
            score=fit.score,
            explanation=fit.explanation(by_hand=False),
        )
        for startup_id, mentor_id, fit in picture.proposals()
    ]
    db.session.add_all(created)
    db.session.flush()
    for match in created:
        audit.record(
            "match.proposed",
            match,
            actor=actor,
            data=_pair(match, score=match.score),
        )
    audit.record(
        "matching.run",
        cohort,
        actor=actor,
        data={"proposed": len(created), "replaced": len(stale), "kept": len(picture.alive())},
    )
    return created


# --- As a job (accelerator/jobs): a cohort of more than MATCHING_BACKGROUND_STARTUPS ---------


def runs_in_background(cohort: Cohort) -> bool:
    limit = int(current_app.config["MATCHING_BACKGROUND_STARTUPS"])
    return enrolled_count(cohort.id) > limit


def start_matching_job(cohort: Cohort, *, actor: User):
    """Record a matching run as a job (the caller commits, then submits it)."""
    return job_services.start(
        MATCHING_JOB.name,
        actor=actor,
        subject=cohort.name,
        params={"cohort_id": cohort.id},
        url=external_url("mentoring.matching", cohort_id=cohort.id),
    )


def _run_matching_job(job, progress) -> JobResult:
    cohort = db.session.get(Cohort, job.params["cohort_id"])
    if cohort is None:
        raise NotFound(_("This cohort no longer exists."))
    progress(0, 1, _("Finding the best mentor for each startup…"))
    created = run_matching(cohort, actor=job.started_by)
    progress(1, 1)
    return JobResult(
        message=_("Matching proposed %(n)d pairs. Check them, then confirm.", n=len(created)),
        url=external_url("mentoring.matching", cohort_id=cohort.id),
    )


MATCHING_JOB = JobKind("mentoring.matching", _l("Mentor matching"), _run_matching_job)


def _new_pair(picture: CohortPicture, startup_id: int, mentor_id: int, actor: User) -> Match:
    found = picture.fit(startup_id, mentor_id)
    match = Match(
        cohort_id=picture.cohort.id,
        startup_id=startup_id,
        mentor_id=mentor_id,
        status=MatchStatus.PROPOSED,
        score=found.score,
        explanation=found.explanation(by_hand=True),
        created_by_id=actor.id,
    )
    db.session.add(match)
    db.session.flush()
    return match


def add_match(cohort: Cohort, *, startup_id: int, mentor_id: int, actor: User) -> Match:
    """Staff pair a mentor with a startup by hand; conflicts and capacity still hold."""
    picture = load_picture(_lock_cohort(cohort.id))
    picture.check_pair(startup_id, mentor_id)
    match = _new_pair(picture, startup_id, mentor_id, actor)
    audit.record(
        "match.added",
        match,
        actor=actor,
        data=_pair(match, score=match.score),
    )
    return match


def swap_match(match: Match, *, mentor_id: int, actor: User) -> Match:
    """Replace the mentor of a proposed pair with another one (one act, one audit event)."""
    cohort = _lock_cohort(match.cohort_id)
    match = _lock_match(match)
    if match.status != MatchStatus.PROPOSED:
        raise InvalidState(_("Only a proposed pair can be swapped; remove it instead."))
    if mentor_id == match.mentor_id:
        raise ValidationFailed(_("Choose a different mentor."), field="mentor")
    match.status = MatchStatus.REMOVED
    db.session.flush()
    picture = load_picture(cohort)
    picture.check_pair(match.startup_id, mentor_id)
    new = _new_pair(picture, match.startup_id, mentor_id, actor)
    audit.record(
        "match.swapped",
        new,
        actor=actor,
        data={
            "startup_id": match.startup_id,
            "from_mentor_id": match.mentor_id,
            "to_mentor_id": mentor_id,
            "replaced_match_id": match.id,
        },
    )
    return new


def remove_match(match: Match, *, actor: User) -> None:
    """Staff remove a pair in any live state; a confirmed mentor hears of it."""
    cohort = _lock_cohort(match.cohort_id)
    match = _lock_match(match)
    was = match.status
    _move(match, MatchStatus.REMOVED)
    db.session.flush()
    audit.record(
        "match.removed",
        match,
        actor=actor,
        data=_pair(match, was=str(was)),
    )
    if was != MatchStatus.PROPOSED:
        notify.match_removed(
            match,
            db.session.get(User, match.mentor_id),
            db.session.get(Startup, match.startup_id),
            cohort,
        )


def confirm_matches(cohort: Cohort, *, actor: User) -> list[Match]:
    """Confirm every proposed pair of the cohort; each mentor gets one mail listing theirs."""
    cohort = _lock_cohort(cohort.id)
    picture = load_picture(cohort)
    proposed = [m for m in picture.matches if m.status == MatchStatus.PROPOSED]
    if not proposed:
        raise InvalidState(_("There is no proposed pair to confirm."))
    for match in proposed:  # rules may have changed since the proposal (a new conflict)
        picture.check_no_conflict(match)
    now = utcnow()
    by_mentor: dict[int, list[Match]] = defaultdict(list)
    for match in proposed:
        _move(match, MatchStatus.CONFIRMED)
        match.confirmed_at = now
        by_mentor[match.mentor_id].append(match)
    db.session.flush()
    for match in proposed:
        audit.record("match.confirmed", match, actor=actor, data=_pair(match))
    ids = {m.startup_id for m in proposed}
    startups = {s.id: s for s in db.session.scalars(select(Startup).where(Startup.id.in_(ids)))}
    for mentor_id, pairs in by_mentor.items():
        notify.matches_confirmed(
            db.session.get(User, mentor_id), cohort, [startups[m.startup_id] for m in pairs]
        )
    return proposed


def respond(match: Match, *, accept: bool, actor: User, reason: str = "") -> Match:
    """The mentor accepts or declines a confirmed pair; a decline frees the slot."""
    match = _lock_match(match)
    if actor.id != match.mentor_id:
        raise NotAllowed(_("Only the mentor of this pair can answer it."))
    if match.status != MatchStatus.CONFIRMED:
        raise InvalidState(_("This match is no longer waiting for your answer."))
    reason = (reason or "").strip()[:500]
    _move(match, MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED)
    match.responded_at = utcnow()
    if not accept:
        match.decline_reason = reason or None
    db.session.flush()
    audit.record(
        "match.accepted" if accept else "match.declined",
        match,
        actor=actor,
        data=_pair(match) if accept else _pair(match, reason=reason),
    )
    startup = db.session.get(Startup, match.startup_id)
    cohort = db.session.get(Cohort, match.cohort_id)
    if accept:
        notify.match_accepted(match, actor, startup, cohort)
    else:
        notify.match_declined(match, actor, startup, cohort, reason)
    return match
