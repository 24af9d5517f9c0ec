"""Demo review history: Seasons 11 and 12 of Orange Fab France (seed_data/reviews_seasons.json).

Startups apply, reviewers are assigned automatically (one declares a conflict), score with
their own harshness, staff shortlist, decide, and six startups per season confirm their place
(an Enrollment, and a grant through its signal). Everything goes through the services, so
the rules hold; timestamps are then moved back into each cohort's past, and the mail those
events queued is dropped (history is not news). Idempotent: a cohort whose demo applications
exist is left alone.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update

from accelerator.applications.models import (
    Application,
    ApplicationStatus,
    Startup,
    StartupMember,
)
from accelerator.applications.seed import seed_application, seed_founder, seed_startup
from accelerator.applications.services import change_status
from accelerator.auth.models import Role, User
from accelerator.auth.services import find_user_by_email
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.types import clock_at, utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Enrollment, Program
from accelerator.reviews import assignment, scoring, services
from accelerator.reviews.models import (
    CohortReviewer,
    Decision,
    Offer,
    OfferStatus,
    Review,
    ReviewAssignment,
)
from accelerator.reviews.scoring import criteria_of

S = ApplicationStatus
#: How harsh (-) or lenient (+) each demo reviewer scores, so calibration has work to do.
BIAS = {
    "julien.moreau@example.org": -0.7,
    "claire.petit@example.org": 0.6,
    "thomas.nguyen@example.org": 0.3,
    "ines.garcia@example.org": -0.3,
}
NEGATIVE_TAGS = [
    "market_too_small",
    "team_incomplete",
    "too_early",
    "unclear_business_model",
    "weak_differentiation",
    "weak_fit",
]
POSITIVE_TAGS = ["strong_team", "strong_traction", "clear_value"]
COMMENTS = {
    "yes": "Convincing team and a clear pilot path with our business units.",
    "maybe": "Promising, but the pilot scope needs sharpening in the interview.",
    "no": "Too early for the program; traction is not there yet.",
}


class _Clock:
    """Moves the audit events written since the last tick to a moment in the cohort's past."""

    def __init__(self) -> None:
        self.mark = self._last()

    @staticmethod
    def _last() -> int:
        return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))

    def stamp(self, when: datetime) -> None:
        db.session.flush()
        db.session.execute(
            update(AuditEvent).where(AuditEvent.id > self.mark).values(created_at=when)
        )
        self.mark = self._last()


def _founder(entry: dict, echo) -> User:
    email = entry.get("founder_email") or f"hello@{entry['slug']}.example.org"
    user = find_user_by_email(email)
    taken = user is not None and db.session.scalar(
        select(StartupMember.id).where(StartupMember.user_id == user.id)
    )
    if taken:
        echo(f"  note: {email} already belongs to another startup; {entry['name']} gets its own")
        email = f"hello@{entry['slug']}.example.org"
    return seed_founder(email, entry["founder"])


def _startup(entry: dict, echo) -> tuple[Startup, User]:
    startup = db.session.scalar(select(Startup).where(Startup.name == entry["name"]))
    if startup is None:
        startup = seed_startup(entry)
        db.session.add(startup)
        db.session.flush()
    founder = db.session.scalar(
        select(User)
        .join(StartupMember, StartupMember.user_id == User.id)
        .where(StartupMember.startup_id == startup.id)
        .order_by(User.id)
    )
    if founder is None:
        founder = _founder(entry, echo)
        db.session.add(StartupMember(startup_id=startup.id, user_id=founder.id, title="CEO"))
        db.session.flush()
    return startup, founder


def _apply(entry: dict, cohort: Cohort, startup: Startup, founder: User, when: datetime):
    application = seed_application(
        {**entry, "currency": "EUR"},
        cohort,
        startup,
        complete=True,
        created_at=when - timedelta(days=3),
    )
    db.session.add(application)
    db.session.flush()
    change_status(application, S.SUBMITTED, actor=founder, now=when, data={"seed": True})
    return application


def _scores(entry: dict, reviewer: User, criteria, cohort: Cohort, turn: int) -> dict[str, int]:
    rng = random.Random(f"{cohort.name}|{entry['name']}|{reviewer.email}")
    base = entry["quality"] + BIAS.get(reviewer.email, 0.0)
    if entry.get("divisive"):  # reviewers who love it and reviewers who do not
        base += -1.4 if turn % 2 else 1.4
    return {c["key"]: min(5, max(1, round(base + rng.gauss(0, 0.55)))) for c in criteria}


def _review(entry, item: ReviewAssignment, reviewer: User, cohort: Cohort, turn: int) -> None:
    assignment.declare(item, actor=reviewer, conflict=False)
    scores = _scores(entry, reviewer, criteria_of(cohort), cohort, turn)
    mean = sum(scores.values()) / len(scores)
    recommendation = "yes" if mean >= 3.8 else "maybe" if mean >= 2.8 else "no"
    rng = random.Random(f"tags|{entry['name']}|{reviewer.email}")
    tags = rng.sample(POSITIVE_TAGS if mean >= 3.5 else NEGATIVE_TAGS, k=2 if mean < 3 else 1)
    scoring.submit_review(
        item,
        actor=reviewer,
        scores=scores,
        recommendation=recommendation,
        confidence=rng.choice(["medium", "high", "medium", "low"]),
        comment=COMMENTS[recommendation],
        feedback_tags=tags,
    )


def _backdate(cohort: Cohort, apps: dict[str, Application], close: datetime) -> None:
    ids = [a.id for a in apps.values()]
    db.session.flush()
    for table, values in (
        (
            ReviewAssignment,
            {"created_at": close + timedelta(days=1), "declared_at": close + timedelta(days=2)},
        ),
        (
            Review,
            {"submitted_at": close + timedelta(days=6), "updated_at": close + timedelta(days=6)},
        ),
        (Decision, {"decided_at": close + timedelta(days=20)}),
    ):
        db.session.execute(update(table).where(table.application_id.in_(ids)).values(**values))
    db.session.execute(
        update(ReviewAssignment)
        .where(ReviewAssignment.application_id.in_(ids), ReviewAssignment.declared_at.is_(None))
        .values(created_at=close + timedelta(days=1))
    )
    offered = close + timedelta(days=20)
    db.session.execute(
        update(Offer)
        .where(Offer.cohort_id == cohort.id)
        .values(
            offered_at=offered,
            expires_at=offered + timedelta(days=cohort.confirmation_days),
        )
    )
    db.session.execute(
        update(Offer)
        .where(Offer.cohort_id == cohort.id, Offer.responded_at.is_not(None))
        .values(responded_at=offered + timedelta(days=3))
    )
    # A place freed by a decline went to the waitlist two days later.
    promoted = select(Decision.id).where(
        Decision.application_id.in_(ids), Decision.promoted_from_waitlist.is_(True)
    )
    later = offered + timedelta(days=2)
    db.session.execute(update(Decision).where(Decision.id.in_(promoted)).values(decided_at=later))
    db.session.execute(
        update(Offer)
        .where(Offer.decision_id.in_(promoted))
        .values(
            offered_at=later,
            expires_at=later + timedelta(days=cohort.confirmation_days),
            responded_at=later + timedelta(days=1),
        )
    )
    enrolled = close + timedelta(days=23)
    enrollment_ids = list(
        db.session.scalars(select(Enrollment.id).where(Enrollment.cohort_id == cohort.id))
    )
    db.session.execute(
        update(Enrollment).where(Enrollment.id.in_(enrollment_ids)).values(created_at=enrolled)
    )
    db.session.execute(
        update(CohortReviewer).where(CohortReviewer.cohort_id == cohort.id).values(created_at=close)
    )


def _seed_cohort(cohort: Cohort, spec: dict, staff: User, pool: list[User], echo) -> int:
    entries = spec["startups"]
    names = [e["name"] for e in entries]
    existing = db.session.scalar(
        select(func.count())
        .select_from(Application)
        .join(Startup, Application.startup_id == Startup.id)
        .where(Application.cohort_id == cohort.id, Startup.name.in_(names))
    )
    if existing:
        return 0
    close, clock = cohort.applications_close_at, _Clock()
    apps: dict[str, Application] = {}
    founders: dict[str, User] = {}
    window = (close - cohort.applications_open_at) / (len(entries) + 1)
    for index, entry in enumerate(entries):
        startup, founders[entry["name"]] = _startup(entry, echo)
        when = cohort.applications_open_at + window * (index + 1)
        apps[entry["name"]] = _apply(entry, cohort, startup, founders[entry["name"]], when)
        clock.stamp(when)

    _assign(cohort, spec, apps, staff, pool)
    clock.stamp(close + timedelta(days=1))

    entry_of = {apps[e["name"]].id: e for e in entries}
    _review_all(cohort, apps, entry_of, pool)
    clock.stamp(close + timedelta(days=6))

    _decide(cohort, spec, entries, apps, founders, staff, clock)
    clock.stamp(close + timedelta(days=23))
    _backdate(cohort, apps, close)
    reviews, enrolled = _counts(cohort, apps)
    echo(f"  {cohort.name}: {len(apps)} applications, {reviews} reviews, {enrolled} enrolled")
    return len(apps) + reviews + enrolled


def _assign(cohort: Cohort, spec: dict, apps: dict, staff: User, pool: list[User]) -> None:
    """The mentors join the panel, the spec's conflict is declared, the rest auto-assigned."""
    on_panel = set(
        db.session.scalars(
            select(CohortReviewer.user_id).where(CohortReviewer.cohort_id == cohort.id)
        )
    )
    for user in pool:
        if user.role == Role.MENTOR and user.id not in on_panel:
            assignment.add_panel_mentor(cohort, mentor=user, actor=staff)
    conflict = spec.get("conflict")
    by_email = {u.email: u for u in pool}
    if conflict and conflict["reviewer"] in by_email and conflict["startup"] in apps:
        reviewer = by_email[conflict["reviewer"]]
        item = assignment.assign_reviewer(apps[conflict["startup"]], reviewer=reviewer, actor=staff)
        assignment.declare(item, actor=reviewer, conflict=True, reason=conflict["reason"])
    assignment.auto_assign(
        cohort, actor=staff, per_application=3, reviewer_ids=[u.id for u in pool]
    )


def _review_all(cohort: Cohort, apps: dict, entry_of: dict, pool: list[User]) -> None:
    """Every reviewer without a declared conflict writes the review the spec implies."""
    users = {u.id: u for u in pool}
    turns: dict[int, int] = {}
    for item in db.session.scalars(
        select(ReviewAssignment)
        .where(
            ReviewAssignment.application_id.in_([a.id for a in apps.values()]),
            ReviewAssignment.declared_at.is_(None),
        )
        .order_by(ReviewAssignment.id)
    ).all():
        reviewer = users.get(item.reviewer_id) or db.session.get(User, item.reviewer_id)
        turn = turns[item.application_id] = turns.get(item.application_id, -1) + 1
        _review(entry_of[item.application_id], item, reviewer, cohort, turn)


def _decide(cohort, spec, entries, apps, founders, staff, clock) -> None:
    """Shortlist, interview, decide, and the startups' answers, each on its day."""
    close = cohort.applications_close_at
    entry_of = {apps[e["name"]].id: e for e in entries}

    def having(*outcomes):
        return [apps[e["name"]] for e in entries if e["outcome"] in outcomes]

    finalists = having("enrolled", "declined", "promoted", "waitlisted")
    services.move_stage(finalists, target=S.SHORTLISTED, actor=staff)
    clock.stamp(close + timedelta(days=12))
    services.move_stage(finalists, target=S.INTERVIEW, actor=staff)
    clock.stamp(close + timedelta(days=16))
    for e in entries:
        if e["outcome"] == "rejected":
            services.decide(
                apps[e["name"]], actor=staff, outcome="rejected", note=e.get("note", "")
            )
    for application in having("waitlisted", "promoted"):
        services.decide(application, actor=staff, outcome="waitlisted")
    for application in having("enrolled", "declined"):
        services.decide(
            application,
            actor=staff,
            outcome="accepted",
            note="Welcome! The kickoff is in the first week of the season.",
        )
    clock.stamp(close + timedelta(days=20))
    confirming = having("enrolled")
    for application in having("declined"):
        founder = founders[entry_of[application.id]["name"]]
        services.decline_offer(application, actor=founder)
        if spec.get("promote_after_decline"):
            promoted = services.promote_next(cohort, actor=staff)
            confirming.append(db.session.get(Application, promoted.application_id))
    clock.stamp(close + timedelta(days=22))
    for application in confirming:
        services.confirm_offer(application, actor=founders[entry_of[application.id]["name"]])


def _counts(cohort: Cohort, apps: dict) -> tuple[int, int]:
    """How many reviews the cohort's applications have, and how many startups enrolled."""
    reviews = db.session.scalar(
        select(func.count())
        .select_from(Review)
        .where(Review.application_id.in_([a.id for a in apps.values()]))
    )
    enrolled = db.session.scalar(
        select(func.count())
        .select_from(Offer)
        .where(Offer.cohort_id == cohort.id, Offer.status == OfferStatus.CONFIRMED)
    )
    return reviews, enrolled


#: What a status implies for the demo: reviewers assigned, and how many of them have scored.
_IMPLIED_REVIEWS = {S.IN_REVIEW: (2, 1, 3.4), S.SHORTLISTED: (2, 2, 4.2), S.INTERVIEW: (2, 2, 4.4)}


def _review_open_applications(program: Program, pool: list[User], staff: User, echo) -> int:
    """Applications the other seeds left in review (Season 13) get the reviewers and reviews
    their status implies; those that already have reviewers are left alone (idempotent)."""
    assigned = select(ReviewAssignment.application_id)
    waiting = db.session.execute(
        select(Application, Startup.name)
        .join(Startup, Application.startup_id == Startup.id)
        .join(Cohort, Application.cohort_id == Cohort.id)
        .where(
            Cohort.program_id == program.id,
            Application.status.in_(list(_IMPLIED_REVIEWS)),
            Application.id.not_in(assigned),
        )
        .order_by(Application.id)
    ).all()
    reviewers = [u for u in pool if u.is_staff]
    created = 0
    for application, name in waiting:
        cohort = db.session.get(Cohort, application.cohort_id)
        wanted, scored, quality = _IMPLIED_REVIEWS[application.status]
        entry = {"name": name, "quality": quality}
        # Reviewers assigned the day after it was submitted, reviews written the day after that.
        assigned_at, reviewed_at = (
            min(application.submitted_at + timedelta(days=days), utcnow()) for days in (1, 2)
        )
        for turn, reviewer in enumerate(reviewers[:wanted]):
            with clock_at(assigned_at):
                item = assignment.assign_reviewer(application, reviewer=reviewer, actor=staff)
            if turn < scored:
                with clock_at(reviewed_at):
                    _review(entry, item, reviewer, cohort, turn)
            created += 1
    if waiting:
        echo(f"  {len(waiting)} applications in review got their reviewers and reviews")
    return created


def seed(seed_dir: Path, echo) -> int:
    spec = json.loads((seed_dir / "reviews_seasons.json").read_text("utf-8"))
    program = db.session.scalar(select(Program).where(Program.name == spec["program"]))
    if program is None:
        echo(f"  skipped: no program {spec['program']!r} (the programs seed creates it)")
        return 0
    emails = spec["reviewers"]["staff"] + spec["reviewers"]["mentors"]
    pool = [u for u in (find_user_by_email(e) for e in emails) if u is not None and u.active]
    staff = next((u for u in pool if u.is_staff), None)
    if staff is None:
        echo("  skipped: none of the demo staff reviewers exist (the auth seed creates them)")
        return 0
    first_mail = db.session.scalar(select(func.coalesce(func.max(OutboxEmail.id), 0)))
    created = 0
    for cohort_spec in spec["cohorts"]:
        cohort = db.session.scalar(
            select(Cohort).where(
                Cohort.program_id == program.id, Cohort.name == cohort_spec["name"]
            )
        )
        if cohort is None:
            echo(f"  skipped: no cohort {cohort_spec['name']!r} in {spec['program']!r}")
            continue
        created += _seed_cohort(cohort, cohort_spec, staff, pool, echo)
    created += _review_open_applications(program, pool, staff, echo)
    # The decisions and assignments above are history: their mail is not sent.
    db.session.execute(delete(OutboxEmail).where(OutboxEmail.id > first_mail))
    db.session.flush()
    return created
