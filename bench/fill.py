"""Synthetic data for `bench load`, at issue 24's size (`--size 100k`, the default) or smaller.

At 100k: 100,000 applications across 20 cohorts, one of them ("Season 99", reviewing, the
measured one) with 20,000, and 300,000 reviews (three per application, with their rubric
scores); past cohorts with enrolled startups, 1,500 grants with a ledger of three rows each;
500 mentors, their matches and 5,000 mentoring sessions; 50 business units with 10,000
introductions and their pilots in every state; 40,000 testers (drawn as bench/testers.py draws
the panel) and a campaign with invitations and answers; a past demo day with 2,000 guests and
10,000 introductions asked after it. The running cohort ("Season 98") has what a cohort has:
6 enrolled startups with grants, milestones and weekly check-ins, mentor matches, sessions and
office hours; the founder (bench-founder@example.org) owns one of them, the mentor
(bench-mentor@example.org) is matched to them, the partner (bench-partner@example.org) is in
the business unit with the most pilots. `10k` is the size measured before issue 24 (10,000
applications in one cohort, 9,000 reviews, 150 grants; a tenth of the rest); `small` is for
quick checks.

Bulk inserts (`insert(...).returning(...)`, in chunks) for the big tables; the services' own
builders (tests/factories) for the running cohort's few rows.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import insert, select

BATCH = 2_000


@dataclass(frozen=True)
class Size:
    applications: int  # in every cohort
    cohorts: int  # the measured one, the running one, the rest completed
    measured: int  # applications in the measured cohort ("Season 99")
    reviews: int  # three per application, measured cohort first
    reviewers: int
    grants: int  # enrolled startups of the completed cohorts, each with a grant and a ledger
    mentors: int
    sessions: int
    testers: int
    introductions: int  # to business units (pilots) and, as many, asked after demo day
    units: int


SIZES = {
    "100k": Size(100_000, 20, 20_000, 300_000, 60, 1_500, 500, 5_000, 40_000, 10_000, 50),
    "10k": Size(10_000, 3, 10_000, 9_000, 12, 150, 50, 500, 4_000, 1_000, 5),
    "small": Size(1_000, 4, 400, 1_500, 12, 30, 20, 100, 1_000, 200, 3),
    # The other end of goal 3's range (bench/flat.py): 100 applications.
    "tiny": Size(100, 3, 40, 150, 6, 6, 10, 20, 100, 20, 2),
}
RUNNING_ENROLLED = 6  # what a cohort has
CHECKIN_WEEKS = 4
CAMPAIGN_INVITED = 0.1  # share of the panel invited to the founder's campaign
CAMPAIGN_ANSWERED = 0.4


class Progress:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.started = time.perf_counter()
        self._draw()

    def advance(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        self._draw()

    def _draw(self) -> None:
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "." * (width - filled)
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(
            f"\r  {self.label:<22} [{bar}] {self.done:>7}/{self.total:<7} {elapsed:6.1f} s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(model, rows: list[dict], *, label: str | None = None, ids: bool = True) -> list[int]:
    """Insert `rows` in chunks; their ids in order (unless ids=False)."""
    from accelerator.extensions import db

    found: list[int] = []
    bar = Progress(label, len(rows)) if label else None
    for chunk in _chunks(rows):
        if ids:
            statement = insert(model).returning(model.id, sort_by_parameter_order=True)
            found += db.session.scalars(statement, chunk).all()
        else:
            db.session.execute(insert(model), chunk)
        if bar:
            bar.advance(len(chunk))
    return found


@dataclass
class Filled:
    staff_token: str
    founder_token: str
    cohort_id: int
    decide_application_id: int
    running_cohort_id: int


def size_of(size: str | Size | None = None, **overrides) -> Size:
    """A named size, or the 10k size with `applications` (all in the measured cohort),
    `reviews` or `grants` changed (bench/background.py's one big cohort)."""
    from dataclasses import replace

    if isinstance(size, Size):
        return size
    if size is not None:
        return SIZES[size]
    if "applications" in overrides:
        overrides.setdefault("measured", overrides["applications"])
    return replace(SIZES["10k"], **overrides)


def fill(size: str | Size | None = None, **overrides) -> Filled:
    """Fill the (migrated, empty) database of the current app context at `size`."""
    from accelerator.extensions import db
    from tests import factories

    size = size_of(size, **overrides)
    print(f"  size: {asdict(size)}", file=sys.stderr)
    staff = factories.make_user(role="staff", email="bench-staff@example.org", name="Bench Staff")
    reviewers = [
        factories.make_user(role="staff", email=f"reviewer{i}@example.org", name=f"Reviewer {i}")
        for i in range(size.reviewers)
    ]
    program = factories.make_program(name="Orange Fab Bench")
    cohort = factories.make_cohort(
        program=program, phase="reviewing", name="Season 99", capacity=10
    )
    running = factories.make_cohort(program=program, phase="running", name="Season 98")
    past = []
    for n in range(max(size.cohorts - 2, 0)):
        ends = running.starts_on - timedelta(days=30 + 120 * n)
        past.append(
            factories.make_cohort(
                program=program,
                phase="completed",
                name=f"Season {97 - n}",
                capacity=1_000,
                starts_on=ends - timedelta(days=91),
                ends_on=ends,
                applications_open_at=running.applications_open_at - timedelta(days=120 * (n + 1)),
                applications_close_at=running.applications_close_at - timedelta(days=120 * (n + 1)),
            )
        )
    db.session.commit()

    applied = _applications(size, cohort, past)
    _reviews(size, [cohort, *past], applied, staff, reviewers)
    measured = applied[cohort.id]["ids"]
    _decisions(size, cohort, measured)
    enrolled = _enrolled(size, past, applied, staff, reviewers)
    world = _running(program, running, staff, reviewers)
    _mentoring(size, world, enrolled, past)
    _pilots(size, program, staff, world, enrolled)
    _testers(size, world, staff)
    _demo_day(size, past, enrolled, staff)
    db.session.commit()
    return Filled(
        staff_token=staff.get_id(),
        founder_token=world["founder"].get_id(),
        cohort_id=cohort.id,
        decide_application_id=measured[0],
        running_cohort_id=running.id,
    )


def _applications(size: Size, cohort, past: list) -> dict[int, dict]:
    """Startups and their applications, cohort by cohort: {cohort id: {ids, startups}}."""
    from accelerator.applications.models import Application, ApplicationStatus, Stage, Startup
    from accelerator.core.text import name_key
    from accelerator.core.types import utcnow
    from accelerator.extensions import db

    now = utcnow()
    sectors = ["Telecom & networks", "AI", "Cybersecurity", "IoT", "Fintech", "Health"]
    countries = ["FR", "US", "DE", "JP", "GB", "IL", "ES", "PL"]
    stages = list(Stage)
    others = size.applications - size.measured
    plan = [(cohort, size.measured, min(size.measured, size.reviews // 3))]
    spread = max(len(past), 1)
    for n, c in enumerate(past):
        enrolled = size.grants // spread + (1 if n < size.grants % spread else 0)
        share = others // spread + (1 if n < others % spread else 0)
        plan.append((c, max(share, enrolled + 1), enrolled))
    bar = Progress("startups+applications", sum(n for _c, n, _k in plan))
    found: dict[int, dict] = {}
    number = 0
    for target, count, special in plan:
        ids, startups = [], []
        for chunk in _chunks(list(range(number, number + count))):
            rows = []
            for i in chunk:
                name = f"Startup {i:06d}"
                rows.append(
                    {
                        "name": name,
                        "name_key": name_key(name),
                        "country": countries[i % len(countries)],
                        "sector": sectors[i % len(sectors)],
                        "stage": stages[i % len(stages)],
                        "description": "We make networks smarter.",
                        "source": "seed",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            startup_ids = db.session.scalars(
                insert(Startup).returning(Startup.id, sort_by_parameter_order=True), rows
            ).all()
            if target is cohort:  # reviewed first, the rest submitted
                status = [
                    ApplicationStatus.IN_REVIEW if i - number < special else "submitted"
                    for i in chunk
                ]
            else:  # the first `special` enrolled, the rest not selected
                status = [
                    ApplicationStatus.ENROLLED if i - number < special else "rejected"
                    for i in chunk
                ]
            ids += db.session.scalars(
                insert(Application).returning(Application.id, sort_by_parameter_order=True),
                [
                    {
                        "cohort_id": target.id,
                        "startup_id": startup_id,
                        "status": state,
                        "source": "seed",
                        "submitted_at": now,
                        "created_at": now,
                        "updated_at": now,
                        "one_liner": "Visual search for spare parts, from a phone photo.",
                        "problem": "Field technicians lose hours finding the right spare part.",
                        "currency": "EUR",
                    }
                    for startup_id, state in zip(startup_ids, status, strict=True)
                ],
            ).all()
            startups += startup_ids
            bar.advance(len(chunk))
        db.session.commit()
        found[target.id] = {"ids": ids, "startups": startups, "special": special}
        number += count
    return found


def _reviews(size: Size, cohorts: list, applied: dict, staff, reviewers: list) -> None:
    """Three reviews each (with their assignments and rubric scores) for the first
    reviews/3 applications, the measured cohort's first."""
    from accelerator.core.types import utcnow
    from accelerator.extensions import db
    from accelerator.reviews.models import (
        Confidence,
        ConflictStatus,
        Recommendation,
        Review,
        ReviewAssignment,
        ReviewScore,
    )
    from accelerator.reviews.scoring import criteria_of, weighted_mean

    now = utcnow()
    recommendations = list(Recommendation)
    reviewed = [
        (application_id, criteria_of(c)) for c in cohorts for application_id in applied[c.id]["ids"]
    ][: -(-size.reviews // 3)]
    count, step = len(reviewers), max(len(reviewers) // 3, 1)
    pairs = [
        (*reviewed[n // 3], reviewers[(n // 3 + (n % 3) * step) % count].id, n)
        for n in range(min(size.reviews, 3 * len(reviewed)))
    ]
    bar = Progress("reviews", len(pairs))
    for chunk in _chunks(pairs):
        assignment_ids = db.session.scalars(
            insert(ReviewAssignment).returning(ReviewAssignment.id, sort_by_parameter_order=True),
            [
                {
                    "application_id": app_id,
                    "reviewer_id": reviewer_id,
                    "assigned_by_id": staff.id,
                    "automatic": True,
                    "conflict": ConflictStatus.NONE,
                    "declared_at": now,
                    "created_at": now,
                }
                for app_id, _criteria, reviewer_id, _n in chunk
            ],
        ).all()
        scores = [
            {c["key"]: 1 + (n * 7 + k) % 5 for k, c in enumerate(criteria)}
            for _a, criteria, _r, n in chunk
        ]
        review_ids = db.session.scalars(
            insert(Review).returning(Review.id, sort_by_parameter_order=True),
            [
                {
                    "assignment_id": assignment_id,
                    "application_id": app_id,
                    "reviewer_id": reviewer_id,
                    "recommendation": recommendations[n % 3],
                    "confidence": Confidence.MEDIUM,
                    "weighted_score": round(weighted_mean(score, criteria), 4),
                    "comment": "",
                    "feedback_tags": [],
                    "submitted_at": now,
                    "updated_at": now,
                }
                for assignment_id, (app_id, criteria, reviewer_id, n), score in zip(
                    assignment_ids, chunk, scores, strict=True
                )
            ],
        ).all()
        db.session.execute(
            insert(ReviewScore),
            [
                {"review_id": review_id, "criterion_key": key, "score": value}
                for review_id, score in zip(review_ids, scores, strict=True)
                for key, value in score.items()
            ],
        )
        db.session.commit()
        bar.advance(len(chunk))


def _decisions(size: Size, cohort, measured: list[int]) -> None:
    """A few offers and a waitlist for the decisions page; the stored ranking."""
    from accelerator.applications.models import Application, ApplicationStatus
    from accelerator.extensions import db
    from accelerator.reviews import scoreboard
    from tests import factories

    reviewed = measured[: min(size.measured, size.reviews // 3)]
    for seat, app_id in enumerate(reviewed[3:9], start=1):
        factories.make_offer(db.session.get(Application, app_id), seat=seat)
    for app_id in reviewed[10:30]:
        db.session.get(Application, app_id).status = ApplicationStatus.WAITLISTED
    db.session.commit()
    started = time.perf_counter()
    scoreboard.ensure_current(cohort)  # as the first ranking page after the last review
    db.session.commit()
    print(f"  ranking stored in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def _enrolled(size: Size, past: list, applied: dict, staff, reviewers: list) -> list[tuple]:
    """The completed cohorts' enrolled startups: enrollments, grants and their ledgers (paid,
    approved, awaiting approval). [(cohort id, startup id, enrollment id)]."""
    from accelerator.core.types import utcnow
    from accelerator.extensions import db
    from accelerator.grants.models import Disbursement, Grant
    from accelerator.programs.models import Enrollment

    now = utcnow()
    pairs = [
        (c, startup_id, app_id)
        for c in past
        for app_id, startup_id in list(
            zip(applied[c.id]["ids"], applied[c.id]["startups"], strict=True)
        )[: applied[c.id]["special"]]
    ]
    enrollment_ids = _insert(
        Enrollment,
        [{"cohort_id": c.id, "startup_id": s, "application_id": a} for c, s, a in pairs],
    )
    amounts = [(1_000_000, 250_000, (i % 5 + 1) * 10_000) for i in range(len(pairs))]
    grant_ids = _insert(
        Grant,
        [
            {
                "enrollment_id": e,
                "amount_cents": c.grant_amount_cents,
                "currency": c.currency,
                "committed_cents": sum(amount),
                "created_at": now,
                "updated_at": now,
            }
            for (c, _s, _a), e, amount in zip(pairs, enrollment_ids, amounts, strict=True)
        ],
        label="grants",
    )
    rows = []
    for grant_id, (paid, approved, requested) in zip(grant_ids, amounts, strict=True):
        base = {"grant_id": grant_id, "requested_by_id": staff.id, "requested_at": now}
        rows += [
            {
                **base,
                "tranche_key": "kickoff",
                "amount_cents": paid,
                "status": "paid",
                "idempotency_key": f"bench-{grant_id}-1",
                "approved_by_id": reviewers[0].id,
                "approved_at": now,
                "paid_by_id": reviewers[0].id,
                "paid_at": now,
                "paid_on": now.date(),
                "payment_reference": "TRF-0001",
            },
            {
                **base,
                "tranche_key": "midpoint",
                "amount_cents": approved,
                "status": "approved",
                "idempotency_key": f"bench-{grant_id}-2",
                "approved_by_id": reviewers[0].id,
                "approved_at": now,
            },
            {
                **base,
                "tranche_key": "demo_day",
                "amount_cents": requested,
                "status": "requested",
                "idempotency_key": f"bench-{grant_id}-3",
                "requested_by_id": reviewers[1].id,
            },
        ]
    _insert(Disbursement, rows, ids=False)
    db.session.commit()
    return [(c.id, s, e) for (c, s, _a), e in zip(pairs, enrollment_ids, strict=True)]


def _running(program, running, staff, reviewers: list) -> dict:
    """The running cohort as a cohort is: 6 enrolled startups (the founder's first) with their
    grants, milestones, a paid kickoff and weekly check-ins, through the builders."""
    from accelerator.applications.models import Startup
    from accelerator.extensions import db
    from accelerator.grants.models import Grant
    from tests import factories

    founder = factories.make_user(
        role="founder", email="bench-founder@example.org", name="Bench Founder"
    )
    enrollments, founders = [], []
    for n in range(RUNNING_ENROLLED):
        owner = founder if n == 0 else factories.make_user(role="founder")
        startup = factories.make_startup(founders=[owner], name=f"Running Startup {n + 1}")
        enrollment = factories.make_enrolled(cohort=running, startup=startup)
        grant = db.session.scalar(select(Grant).where(Grant.enrollment_id == enrollment.id))
        factories.make_disbursement(
            grant, amount_cents=1_000_000, status="paid", requester=staff, approver=reviewers[0]
        )
        factories.make_disbursement(
            grant, amount_cents=250_000, tranche="midpoint", requester=reviewers[1]
        )
        for week in range(CHECKIN_WEEKS):
            factories.make_checkin(
                enrollment,
                running.starts_on + timedelta(days=7 * week),
                founder=owner,
                health=["green", "amber", "red"][(n + week) % 3],
                revenue_cents=100_000 * (n + 1) + 20_000 * week,
            )
        enrollments.append(enrollment)
        founders.append(owner)
    db.session.commit()
    return {
        "program": program,
        "cohort": running,
        "founder": founder,
        "founders": founders,
        "enrollments": enrollments,
        "startups": [db.session.get(Startup, e.startup_id) for e in enrollments],
    }


def _users(rows: list[dict], role) -> list[int]:
    from accelerator.auth.models import User
    from accelerator.core.types import utcnow
    from accelerator.extensions import db

    password = db.session.scalar(select(User.password_hash).limit(1))
    now = utcnow()
    return _insert(
        User,
        [{**row, "role": role, "password_hash": password, "created_at": now} for row in rows],
    )


def _mentoring(size: Size, world: dict, enrolled: list[tuple], past: list) -> list[int]:
    """Mentors with profiles (bench-mentor first), matches (the running cohort's startups with
    bench-mentor and one more; each enrolled startup of the past with one), `sessions`
    sessions spread over them, and bench-mentor's office hours, some booked."""
    from accelerator.auth.models import Role
    from accelerator.core.types import utcnow
    from accelerator.extensions import db
    from accelerator.mentoring.models import Match, MentorProfile
    from accelerator.sessions.models import MentorSession, OfficeHourSlot
    from tests import factories

    now = utcnow()
    mentor = factories.make_mentor(
        user=factories.make_user(
            role="mentor", email="bench-mentor@example.org", name="Bench Mentor"
        ),
        capacity=8,
    )
    others = _users(
        [
            {"email": f"mentor{i:04d}@example.org", "name": f"Mentor {i:04d}"}
            for i in range(1, size.mentors)
        ],
        Role.MENTOR,
    )
    mentor_ids = [mentor.id, *others]
    industries = ["Telecom", "AI", "Fintech", "Health", "IoT"]
    _insert(
        MentorProfile,
        [
            {
                "user_id": user_id,
                "organisation": ["Orange Innovation", "Orange Business", "Partner fund"][i % 3],
                "title": "Expert",
                "bio": "Helps startups sell to large companies.",
                "industries": [industries[i % 5], industries[(i + 2) % 5]],
                "languages": ["fr", "en"] if i % 2 else ["en"],
                "capacity": 1 + i % 4,
                "available": i % 7 != 0,
                "created_at": now,
                "updated_at": now,
            }
            for i, user_id in enumerate(others, start=1)
        ],
    )
    running = world["cohort"]
    explanation = {  # as mentoring.matching explains a proposal
        "tags": [],
        "industries": ["Telecom"],
        "languages": ["en"],
        "preference": None,
        "by_hand": False,
        "terms": {"tags": 0.0, "industry": 0.3, "language": 0.2, "preference": 0.0},
    }
    pairs = [(running.id, s.id, mentor.id) for s in world["startups"]]
    pairs += [
        (running.id, s.id, mentor_ids[1 + n % (len(mentor_ids) - 1)])
        for n, s in enumerate(world["startups"])
        if len(mentor_ids) > 1
    ]
    pairs += [(c, s, mentor_ids[n % len(mentor_ids)]) for n, (c, s, _e) in enumerate(enrolled)]
    match_ids = _insert(
        Match,
        [
            {
                "cohort_id": c,
                "startup_id": s,
                "mentor_id": m,
                "status": "accepted",
                "score": 0.5 + (n % 50) / 100,
                "explanation": explanation,
                "created_at": now,
                "confirmed_at": now,
                "responded_at": now,
            }
            for n, (c, s, m) in enumerate(pairs)
        ],
    )
    starts = {c.id: c.starts_on for c in [running, *past]}
    rows = []
    for n in range(size.sessions):
        k = n % len(pairs)
        c, s, m = pairs[k]
        when = starts[c] + timedelta(days=3 + 7 * (n // len(pairs)) % 84)
        at = now.replace(year=when.year, month=when.month, day=when.day, hour=10, minute=0)
        rows.append(
            {
                "match_id": match_ids[k],
                "cohort_id": c,
                "mentor_id": m,
                "startup_id": s,
                "starts_at": at - timedelta(minutes=n % 60),
                "duration_minutes": 45,
                "format": "video",
                "summary": "Worked on the pricing page and the pilot's success criteria.",
                "private_notes": "Founders tired; follow up on hiring.",
                "state": "confirmed",
                "logged_by_id": m,
                "confirmed_at": at + timedelta(hours=2),
                "created_at": at,
            }
        )
    _insert(MentorSession, rows, label="sessions", ids=False)
    slots = []
    for n in range(10):
        booked = n < len(world["startups"]) and n % 2 == 0
        slots.append(
            {
                "mentor_id": mentor.id,
                "starts_at": (now + timedelta(days=1 + n)).replace(
                    hour=14, minute=0, second=0, microsecond=0
                ),
                "duration_minutes": 30,
                "location": "Orange Gardens, room 4.12" if n % 2 else "https://meet.example.org/x",
                "timezone": "Europe/Paris",
                "startup_id": world["startups"][n].id if booked else None,
                "booked_by_id": world["founders"][n].id if booked else None,
                "booked_at": now if booked else None,
                "created_at": now,
            }
        )
    _insert(OfficeHourSlot, slots, ids=False)
    db.session.commit()
    world["mentor"] = mentor
    return mentor_ids


def _pilots(size: Size, program, staff, world: dict, enrolled: list[tuple]) -> None:
    """Business units with a partner each (bench-partner in the first), `introductions`
    introductions of enrolled startups (the running cohort's first) in bench/pilots.py's cycle
    of statuses, and the accepted ones' pilots in every state with 3 criteria."""
    from accelerator.auth.models import Role
    from accelerator.core.types import utcnow
    from accelerator.extensions import db
    from accelerator.pilots.models import (
        BusinessUnit,
        BusinessUnitPartner,
        Introduction,
        Pilot,
        PilotCriterion,
    )
    from bench.pilots import INTRO_CYCLE, _pilot, intro_row, unit_row
    from tests import factories

    now = utcnow()
    unit_ids = _insert(
        BusinessUnit,
        [unit_row(program.id, staff.id, i, now) for i in range(size.units)],
    )
    partner = factories.make_user(
        role="partner", email="bench-partner@example.org", name="Bench Partner"
    )
    partners = [
        partner.id,
        *_users(
            [
                {"email": f"partner{u:02d}@example.org", "name": f"Partner {u:02d}"}
                for u in range(1, size.units)
            ],
            Role.PARTNER,
        ),
    ]
    _insert(
        BusinessUnitPartner,
        [
            {"user_id": p, "business_unit_id": u, "created_at": now}
            for p, u in zip(partners, unit_ids, strict=True)
        ],
        ids=False,
    )
    running = world["cohort"].id
    pool = [(running, s.id) for s in world["startups"]] + [(c, s) for c, s, _e in enrolled]
    count = min(size.introductions, len(pool) * len(unit_ids))
    intro_rows, specs = [], []
    for k in range(count):
        s, j = k % len(pool), k // len(pool)
        cohort_id, startup_id = pool[s]
        unit = (s + j) % len(unit_ids)
        status = INTRO_CYCLE[k % len(INTRO_CYCLE)]
        asked = now - timedelta(days=30 + k % 120)
        intro_rows.append(intro_row(startup_id, unit_ids[unit], cohort_id, status, asked))
        if status == "accepted":
            specs.append((k, startup_id, unit, cohort_id, asked))
    intro_ids = _insert(Introduction, intro_rows, label="introductions (pilots)")
    pilot_ids = _insert(
        Pilot,
        [
            _pilot(n, intro_ids[k], sid, unit_ids[unit], partners[unit], cohort_id, asked)
            for n, (k, sid, unit, cohort_id, asked) in enumerate(specs)
        ],
    )
    _insert(
        PilotCriterion,
        [
            {"pilot_id": pid, "position": n, "measure": f"Measure {n}", "target": f"Target {n}"}
            for pid in pilot_ids
            for n in (1, 2, 3)
        ],
        ids=False,
    )
    db.session.commit()
    world["partner"] = partner


def _testers(size: Size, world: dict, staff) -> None:
    """The panel (bench/testers.py's draw) and the founder's campaign, running, with a tenth of
    the panel invited and 40 % of them answered (SUS, NPS, its question)."""
    from accelerator.core.types import utcnow
    from accelerator.extensions import db
    from accelerator.testers.models import CampaignInvitation, CampaignStatus, Response, Tester
    from accelerator.testers.scores import sus_score
    from bench.testers import panel_rows
    from tests import factories

    now = utcnow()
    tester_ids = _insert(Tester, panel_rows(size.testers), label="testers")
    invited = tester_ids[: int(len(tester_ids) * CAMPAIGN_INVITED)]
    answered = int(len(invited) * CAMPAIGN_ANSWERED)
    campaign = factories.make_campaign(
        startup=world["startups"][0],
        status="approved",
        actor=staff,
        responses_wanted=max(1, min(answered, 5_000)),
    )
    campaign.status = CampaignStatus.RUNNING
    expires = now + timedelta(days=14)
    invitation_ids = _insert(
        CampaignInvitation,
        [
            {
                "campaign_id": campaign.id,
                "tester_id": tester_id,
                "token_hash": hashlib.sha256(f"bench-{tester_id}".encode()).hexdigest(),
                "wave": 1,
                "invited_at": now - timedelta(days=2),
                "expires_at": expires,
                "responded_at": now if n < answered else None,
            }
            for n, tester_id in enumerate(invited)
        ],
    )
    rows = []
    for n, invitation_id in enumerate(invitation_ids[:answered]):
        sus = [1 + (n + k * 3) % 5 for k in range(10)]
        rows.append(
            {
                "invitation_id": invitation_id,
                "campaign_id": campaign.id,
                "sus": sus,
                "sus_score": sus_score(sus),
                "nps": n % 11,
                "answers": [["Card", "Wallet"][n % 2]],
                "submitted_at": now,
                "updated_at": now,
            }
        )
    _insert(Response, rows, ids=False)
    db.session.commit()
    world["campaign"] = campaign


def _demo_day(size: Size, past: list, enrolled: list[tuple], staff) -> None:
    """The last completed cohort's demo day (past, published) with introductions/5 guests,
    coming and half of them checked in, each asking five startups for an introduction that
    staff made: `introductions` introductions."""
    from accelerator.core.types import utcnow
    from accelerator.demoday.models import Guest, Interest
    from accelerator.extensions import db
    from tests import factories

    if not past:
        return
    cohort = past[0]
    startups = [s for c, s, _e in enrolled if c == cohort.id][:5]
    if not startups:
        return
    guests = -(-size.introductions // len(startups))
    now = utcnow()
    starts_at = now.replace(
        year=cohort.ends_on.year, month=cohort.ends_on.month, day=cohort.ends_on.day, hour=16
    ) - timedelta(days=1)
    demo_day = factories.make_demo_day(
        cohort, starts_at=starts_at, published=True, capacity=guests, seats_taken=guests
    )
    kinds = ["investor", "executive", "press", "other"]
    guest_ids = _insert(
        Guest,
        [
            {
                "demo_day_id": demo_day.id,
                "name": f"Guest {n:05d}",
                "email": f"guest{n:05d}@fund.example.org",
                "firm": f"Fund {n % 300:03d}",
                "kind": kinds[n % 4],
                "created_at": starts_at - timedelta(days=30),
                "token_hash": hashlib.sha256(f"guest-{n}".encode()).hexdigest(),
                "invited_at": starts_at - timedelta(days=30),
                "expires_at": starts_at + timedelta(days=30),
                "rsvp": "yes",
                "seats": 1,
                "responded_at": starts_at - timedelta(days=20),
                "checked_in_at": starts_at if n % 2 else None,
                "checked_in_by_id": staff.id if n % 2 else None,
            }
            for n in range(guests)
        ],
        label="demo-day guests",
    )
    _insert(
        Interest,
        [
            {
                "guest_id": g,
                "startup_id": s,
                "note": "We invest in B2B telecom.",
                "created_at": starts_at + timedelta(hours=3),
                "introduced_at": starts_at + timedelta(days=2),
                "introduced_by_id": staff.id,
                "introduction_note": "Introduced by e-mail.",
            }
            for g in guest_ids
            for s in startups
        ][: size.introductions],
        label="introductions (demo day)",
        ids=False,
    )
    db.session.commit()
