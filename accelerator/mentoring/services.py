"""Mentoring rules that change state: mentor profiles, declared conflicts, founders'
preferences, and a cohort's matches (run the engine, change pairs by hand, confirm, answer).

Every change to a cohort's pairs takes the cohort's row lock first (core/locking), so two staff
members cannot overfill a mentor. Services check the rule, change state, write one audit event
per act, queue mail, flush, and never commit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.locking import lock, lock_one
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring import notify
from accelerator.mentoring.models import (
    ENDED,
    MATCH_TRANSITIONS,
    MAX_MENTOR_CAPACITY,
    MAX_PREFERENCES,
    Match,
    MatchStatus,
    MentorConflict,
    MentorPreference,
    MentorProfile,
)
from accelerator.mentoring.picture import CohortPicture, load_picture
from accelerator.mentoring.queries import (
    current_enrollment,
    highest_load,
    preferences_of,
    profile_of,
)
from accelerator.programs.models import Cohort, ExpertiseTag

_LANGUAGE = re.compile(r"^[a-z]{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_INDUSTRIES = 12


def _clean(value: str | None) -> str:
    return _CONTROL.sub("", value or "").strip()


@dataclass
class ProfileInput:
    organisation: str = ""
    title: str = ""
    bio: str = ""
    expertise_ids: list[int] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    capacity: int = 2
    available: bool = True
    availability_note: str = ""


# --- profiles, conflicts, preferences --------------------------------------------------------


def save_profile(mentor: User, data: ProfileInput, *, actor: User) -> MentorProfile:
    """Create or update a mentor's profile (the mentor themself, or staff)."""
    if mentor.role != Role.MENTOR:
        raise NotAllowed(_("Only mentors have a mentor profile."))
    if actor.id != mentor.id and not actor.is_staff:
        raise NotAllowed(_("You can only edit your own profile."))
    if not 0 <= data.capacity <= MAX_MENTOR_CAPACITY:
        raise ValidationFailed(
            _("Between 0 and %(n)d startups.", n=MAX_MENTOR_CAPACITY), field="capacity"
        )
    load = highest_load(mentor.id)
    if data.capacity < load:
        raise Conflict(
            _(
                "You are matched with %(n)d startups in a running cohort: capacity cannot be "
                "lower than that.",
                n=load,
            ),
            field="capacity",
        )
    languages = sorted({code.strip().lower() for code in data.languages if code.strip()})
    if any(not _LANGUAGE.match(code) for code in languages):
        raise ValidationFailed(
            _("Use two-letter language codes (ISO 639-1), e.g. fr, en."), field="languages"
        )
    industries = list(dict.fromkeys(_clean(i)[:60] for i in data.industries if _clean(i)))
    if len(industries) > MAX_INDUSTRIES:
        raise ValidationFailed(_("At most %(n)d industries.", n=MAX_INDUSTRIES), field="industries")
    tags = list(
        db.session.scalars(select(ExpertiseTag).where(ExpertiseTag.id.in_(data.expertise_ids)))
    )
    if len(tags) != len(set(data.expertise_ids)):
        raise ValidationFailed(_("Choose expertise from the list."), field="expertise")
    profile = lock_one(select(MentorProfile).where(MentorProfile.user_id == mentor.id))
    created = profile is None
    if created:
        profile = MentorProfile(user_id=mentor.id)
        db.session.add(profile)
    else:
        db.session.refresh(profile, ["expertise"])
    profile.organisation = _clean(data.organisation)[:120]
    profile.title = _clean(data.title)[:120]
    profile.bio = _clean(data.bio)[:4000]
    profile.industries = industries
    profile.languages = languages
    profile.capacity = data.capacity
    profile.available = bool(data.available)
    profile.availability_note = _clean(data.availability_note)[:300]
    profile.expertise = tags
    db.session.flush()
    audit.record(
        "mentor_profile.created" if created else "mentor_profile.updated",
        profile,
        actor=actor,
        data={"mentor_id": mentor.id, "capacity": data.capacity, "available": profile.available},
    )
    return profile


def add_conflict(mentor: User, *, startup_id: int, reason: str, actor: User) -> MentorConflict:
    """Declare a startup the mentor must never be matched with."""
    if actor.id != mentor.id and not actor.is_staff:
        raise NotAllowed(_("You can only declare your own conflicts."))
    startup = db.session.get(Startup, startup_id)
    if startup is None:
        raise ValidationFailed(_("Choose a startup from the list."), field="startup")
    reason = _clean(reason)[:300]
    if not reason:
        raise ValidationFailed(_("Say why, in a few words."), field="reason")
    pair = (MentorConflict.mentor_id == mentor.id, MentorConflict.startup_id == startup.id)
    if db.session.scalar(select(MentorConflict.id).where(*pair)):
        raise Conflict(_("This conflict is already declared."), field="startup")
    live = db.session.scalar(
        select(Match.id).where(
            Match.mentor_id == mentor.id, Match.startup_id == startup.id, Match.status.not_in(ENDED)
        )
    )
    if live:
        raise Conflict(
            _("You are matched with this startup: ask staff to remove the pair first."),
            field="startup",
        )
    conflict = MentorConflict(mentor_id=mentor.id, startup_id=startup.id, reason=reason)
    db.session.add(conflict)
    db.session.flush()
    audit.record(
        "mentor_conflict.declared",
        conflict,
        actor=actor,
        data={"mentor_id": mentor.id, "startup_id": startup.id, "reason": reason},
    )
    return conflict


def remove_conflict(conflict: MentorConflict, *, actor: User) -> None:
    """Withdraw a declared conflict (the mentor or staff)."""
    if actor.id != conflict.mentor_id and not actor.is_staff:
        raise NotAllowed(_("You can only remove your own conflicts."))
    audit.record(
        "mentor_conflict.removed",
        conflict,
        actor=actor,
        data={"mentor_id": conflict.mentor_id, "startup_id": conflict.startup_id},
    )
    db.session.delete(conflict)
    db.session.flush()


def add_preference(startup_id: int, *, mentor_id: int, actor: User) -> MentorPreference:
    """A founder marks a mentor they would like; at most three, ranked in the order chosen."""
    enrollment = current_enrollment(startup_id)
    if enrollment is None:
        raise NotAllowed(_("Your startup must be enrolled in a cohort to choose mentors."))
    mentor = db.session.get(User, mentor_id)
    if mentor is None or mentor.role != Role.MENTOR or profile_of(mentor.id) is None:
        raise ValidationFailed(_("Choose a mentor from the directory."))
    existing = preferences_of(enrollment.cohort_id, startup_id)
    if any(p.mentor_id == mentor.id for p in existing):
        raise Conflict(_("%(name)s is already among your preferences.", name=mentor.name))
    if len(existing) >= MAX_PREFERENCES:
        raise Conflict(
            _(
                "You can mark at most %(n)d mentors. Remove one before adding another.",
                n=MAX_PREFERENCES,
            )
        )
    rank = min(set(range(1, MAX_PREFERENCES + 1)) - {p.rank for p in existing})
    preference = MentorPreference(
        cohort_id=enrollment.cohort_id, startup_id=startup_id, mentor_id=mentor.id, rank=rank
    )
    db.session.add(preference)
    db.session.flush()
    audit.record(
        "mentor_preference.added",
        preference,
        actor=actor,
        data={"startup_id": startup_id, "mentor_id": mentor.id, "rank": rank},
    )
    return preference


def remove_preference(preference: MentorPreference, *, actor: User) -> None:
    """Drop a preference; the ones after it move up a rank."""
    cohort_id, startup_id, rank = preference.cohort_id, preference.startup_id, preference.rank
    audit.record(
        "mentor_preference.removed",
        preference,
        actor=actor,
        data={"startup_id": startup_id, "mentor_id": preference.mentor_id, "rank": rank},
    )
    db.session.delete(preference)
    db.session.flush()
    # Move the later ones up one at a time, so (cohort, startup, rank) stays unique throughout.
    for later in preferences_of(cohort_id, startup_id):
        if later.rank > rank:
            later.rank -= 1
            db.session.flush()


# --- matches ---------------------------------------------------------------------------------


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
