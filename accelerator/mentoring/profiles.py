"""Mentor profiles, declared conflicts and founders' preferences: what mentors say they offer
and must avoid, and which mentors a founder would like. The matching reads them; the services
here check the rule, change state, write one audit event per act, flush, and never commit.
Other domains and the views call them through `mentoring.services`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import Conflict, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock_one
from accelerator.extensions import db
from accelerator.mentoring.models import (
    ENDED,
    MAX_MENTOR_CAPACITY,
    MAX_PREFERENCES,
    Match,
    MentorConflict,
    MentorPreference,
    MentorProfile,
)
from accelerator.mentoring.queries import (
    current_enrollment,
    highest_load,
    preferences_of,
    profile_of,
)
from accelerator.programs.services import chosen_tags

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
    tags = chosen_tags(
        data.expertise_ids, field="expertise", message=_("Choose expertise from the list.")
    )
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
    audit.record_new(
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
    audit.record_removal(
        "mentor_conflict.removed",
        conflict,
        actor=actor,
        data={"mentor_id": conflict.mentor_id, "startup_id": conflict.startup_id},
    )


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
    audit.record_new(
        "mentor_preference.added",
        preference,
        actor=actor,
        data={"startup_id": startup_id, "mentor_id": mentor.id, "rank": rank},
    )
    return preference


def remove_preference(preference: MentorPreference, *, actor: User) -> None:
    """Drop a preference; the ones after it move up a rank."""
    cohort_id, startup_id, rank = preference.cohort_id, preference.startup_id, preference.rank
    audit.record_removal(
        "mentor_preference.removed",
        preference,
        actor=actor,
        data={"startup_id": startup_id, "mentor_id": preference.mentor_id, "rank": rank},
    )
    # Move the later ones up one at a time, so (cohort, startup, rank) stays unique throughout.
    for later in preferences_of(cohort_id, startup_id):
        if later.rank > rank:
            later.rank -= 1
            db.session.flush()
