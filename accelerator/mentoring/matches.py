"""Services for a cohort's matches: run the engine, change pairs by hand, confirm, answer.

Every change to a cohort's pairs takes the cohort's row lock first (SELECT ... FOR UPDATE on
PostgreSQL; SQLite serialises writers), so two staff members cannot overfill a mentor.
Services check the rule, change state, write one audit event per act, queue mail, flush, and
never commit.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring import notify
from accelerator.mentoring.fit import fit_matrix
from accelerator.mentoring.matching import assign
from accelerator.mentoring.models import ENDED, MATCH_TRANSITIONS, Match, MatchStatus
from accelerator.mentoring.picture import CohortPicture, load_picture
from accelerator.programs.models import Cohort


def lock_cohort(cohort_id: int) -> Cohort:
    cohort = db.session.execute(
        select(Cohort)
        .where(Cohort.id == cohort_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if cohort is None:
        raise InvalidState(_("This cohort no longer exists."))
    return cohort


def _reload(match: Match) -> Match:
    return db.session.execute(
        select(Match)
        .where(Match.id == match.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


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
    cohort = lock_cohort(cohort.id)
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
    replaced = len(stale)
    picture = load_picture(cohort)
    if not picture.startups:
        raise InvalidState(_("No startup is enrolled in this cohort yet."))
    mentors = [m for m in picture.mentors if picture.available.get(m.id)]
    if not mentors:
        raise InvalidState(_("No mentor with a profile is available for matching."))
    fit, capacity, forbidden, columns = build_problem(picture, mentors)
    pairs = assign(
        fit, per_startup=cohort.mentors_per_startup, capacity=capacity, forbidden=forbidden
    )
    created = []
    for s_index, m_index in pairs:
        mentor_id = columns[m_index]
        if mentor_id is None:
            continue  # a placeholder for a pair already held
        startup = picture.startups[s_index]
        found = picture.fit(startup.id, mentor_id)
        match = Match(
            cohort_id=cohort.id,
            startup_id=startup.id,
            mentor_id=mentor_id,
            status=MatchStatus.PROPOSED,
            score=found.score,
            explanation=found.explanation(by_hand=False),
        )
        db.session.add(match)
        created.append(match)
    db.session.flush()
    for match in created:
        audit.record(
            "match.proposed",
            match,
            actor=actor,
            data={
                "startup_id": match.startup_id,
                "mentor_id": match.mentor_id,
                "score": match.score,
            },
        )
    audit.record(
        "matching.run",
        cohort,
        actor=actor,
        data={"proposed": len(created), "replaced": replaced, "kept": len(picture.alive())},
    )
    return created


def build_problem(picture: CohortPicture, mentors):
    """The engine's input: fit, capacities, forbidden pairs, and which mentor each column is.

    Pairs already live count against both sides. A mentor's capacity is reduced by their live
    pairs; a startup's quota is held by one placeholder column per live pair, allowed only to
    that startup and worth more than any real pair, so every optimum takes it (the engine has
    one quota for all startups).
    """
    k = picture.cohort.mentors_per_startup
    startups = picture.startups
    alive = picture.alive()
    load = Counter(m.mentor_id for m in alive)
    held = Counter(m.startup_id for m in alive)
    taken = {(m.startup_id, m.mentor_id) for m in picture.matches}  # live or ended: never again
    fit = fit_matrix(startups, mentors, picture.preferences)
    forbidden = np.zeros_like(fit, dtype=bool)
    rows = {s.id: i for i, s in enumerate(startups)}
    cols = {m.id: j for j, m in enumerate(mentors)}
    for startup_id, mentor_id in set(picture.conflicts) | taken:
        if startup_id in rows and mentor_id in cols:
            forbidden[rows[startup_id], cols[mentor_id]] = True
    fit[forbidden] = 0.0
    capacity = [max(0, m.capacity - load[m.id]) for m in mentors]
    placeholders = [(i, min(k, held[s.id])) for i, s in enumerate(startups)]
    extra = sum(n for _i, n in placeholders)
    columns: list[int | None] = [m.id for m in mentors] + [None] * extra
    if extra:
        high = float(fit.max(initial=0.0)) + 1.0
        fit = np.hstack([fit, np.zeros((len(startups), extra))])
        forbidden = np.hstack([forbidden, np.ones((len(startups), extra), dtype=bool)])
        col = len(mentors)
        for i, n in placeholders:
            for _ in range(n):
                fit[i, col] = high
                forbidden[i, col] = False
                col += 1
        capacity += [1] * extra
    return fit, capacity, forbidden, columns


def check_pair(picture: CohortPicture, startup_id: int, mentor_id: int) -> None:
    """The rules a hand-made pair obeys, as the engine's pairs do."""
    cohort = picture.cohort
    if startup_id not in picture.startup_by_id:
        raise ValidationFailed(_("Choose a startup enrolled in this cohort."), field="startup")
    mentor = picture.mentor_by_id.get(mentor_id)
    if mentor is None:
        raise ValidationFailed(_("Choose a mentor who has a profile."), field="mentor")
    if (startup_id, mentor_id) in picture.conflicts:
        raise Conflict(
            _(
                "%(mentor)s declared a conflict with this startup: %(reason)s",
                mentor=mentor.name,
                reason=picture.conflicts[(startup_id, mentor_id)],
            ),
            field="mentor",
        )
    alive = picture.alive()
    if any(m.startup_id == startup_id and m.mentor_id == mentor_id for m in alive):
        raise Conflict(
            _("%(mentor)s is already paired with this startup.", mentor=mentor.name), field="mentor"
        )
    load = sum(1 for m in alive if m.mentor_id == mentor_id)
    if load >= mentor.capacity:
        raise Conflict(
            _(
                "%(mentor)s is at capacity in this cohort (%(load)d of %(capacity)d).",
                mentor=mentor.name,
                load=load,
                capacity=mentor.capacity,
            ),
            field="mentor",
        )
    held = sum(1 for m in alive if m.startup_id == startup_id)
    if held >= cohort.mentors_per_startup:
        raise Conflict(
            _(
                "This startup already has %(n)d mentors, the cohort's setting. Remove one first.",
                n=held,
            ),
            field="startup",
        )


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
    picture = load_picture(lock_cohort(cohort.id))
    check_pair(picture, startup_id, mentor_id)
    match = _new_pair(picture, startup_id, mentor_id, actor)
    audit.record(
        "match.added",
        match,
        actor=actor,
        data={"startup_id": startup_id, "mentor_id": mentor_id, "score": match.score},
    )
    return match


def swap_match(match: Match, *, mentor_id: int, actor: User) -> Match:
    """Replace the mentor of a proposed pair with another one (one act, one audit event)."""
    lock_cohort(match.cohort_id)
    match = _reload(match)
    if match.status != MatchStatus.PROPOSED:
        raise InvalidState(_("Only a proposed pair can be swapped; remove it instead."))
    if mentor_id == match.mentor_id:
        raise ValidationFailed(_("Choose a different mentor."), field="mentor")
    match.status = MatchStatus.REMOVED
    db.session.flush()
    picture = load_picture(db.session.get(Cohort, match.cohort_id))
    check_pair(picture, match.startup_id, mentor_id)
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
    lock_cohort(match.cohort_id)
    match = _reload(match)
    was = match.status
    _move(match, MatchStatus.REMOVED)
    db.session.flush()
    audit.record(
        "match.removed",
        match,
        actor=actor,
        data={"startup_id": match.startup_id, "mentor_id": match.mentor_id, "was": str(was)},
    )
    if was != MatchStatus.PROPOSED:
        notify.match_removed(
            match,
            db.session.get(User, match.mentor_id),
            db.session.get(Startup, match.startup_id),
            db.session.get(Cohort, match.cohort_id),
        )


def confirm_matches(cohort: Cohort, *, actor: User) -> list[Match]:
    """Confirm every proposed pair of the cohort; each mentor gets one mail listing theirs."""
    cohort = lock_cohort(cohort.id)
    picture = load_picture(cohort)
    proposed = [m for m in picture.matches if m.status == MatchStatus.PROPOSED]
    if not proposed:
        raise InvalidState(_("There is no proposed pair to confirm."))
    for match in proposed:  # rules may have changed since the proposal (a new conflict)
        if (match.startup_id, match.mentor_id) in picture.conflicts:
            mentor = picture.mentor_by_id.get(match.mentor_id)
            raise Conflict(
                _(
                    "%(mentor)s has declared a conflict with %(startup)s since: remove the pair.",
                    mentor=mentor.name if mentor else "?",
                    startup=picture.startup_by_id[match.startup_id].name,
                )
            )
    now = utcnow()
    by_mentor: dict[int, list[Match]] = defaultdict(list)
    for match in proposed:
        _move(match, MatchStatus.CONFIRMED)
        match.confirmed_at = now
        by_mentor[match.mentor_id].append(match)
    db.session.flush()
    for match in proposed:
        audit.record(
            "match.confirmed",
            match,
            actor=actor,
            data={"startup_id": match.startup_id, "mentor_id": match.mentor_id},
        )
    startups = {
        s.id: s
        for s in db.session.scalars(
            select(Startup).where(Startup.id.in_({m.startup_id for m in proposed}))
        )
    }
    for mentor_id, pairs in by_mentor.items():
        notify.matches_confirmed(
            db.session.get(User, mentor_id), cohort, [startups[m.startup_id] for m in pairs]
        )
    return proposed


def respond(match: Match, *, accept: bool, actor: User, reason: str = "") -> Match:
    """The mentor accepts or declines a confirmed pair; a decline frees the slot."""
    match = _reload(match)
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
        data={
            "startup_id": match.startup_id,
            "mentor_id": match.mentor_id,
            **({} if accept else {"reason": reason}),
        },
    )
    startup = db.session.get(Startup, match.startup_id)
    cohort = db.session.get(Cohort, match.cohort_id)
    if accept:
        notify.match_accepted(match, actor, startup, cohort)
    else:
        notify.match_declined(match, actor, startup, cohort, reason)
    return match


__all__ = [
    "ENDED",
    "add_match",
    "confirm_matches",
    "remove_match",
    "respond",
    "run_matching",
    "swap_match",
]
