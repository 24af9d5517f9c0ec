"""The demo seed: Seasons 11 and 12 reviewed, decided and enrolled; a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator import ROOT
from accelerator.applications.models import Application, Startup, StartupMember
from accelerator.auth import seed as auth_seed
from accelerator.auth.models import User
from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from accelerator.grants.models import Grant
from accelerator.programs.models import Enrollment
from accelerator.reviews import seed as reviews_seed
from accelerator.reviews.models import Offer, Review, ReviewAssignment
from accelerator.reviews.ranking import cohort_ranking

SEED_DIR = ROOT / "seed_data"


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_skips_without_the_program(db):
    messages = []
    assert reviews_seed.seed(SEED_DIR, messages.append) == 0
    assert "skipped" in messages[0]


def test_seed_builds_two_reviewed_seasons_once(make):
    auth_seed.seed(SEED_DIR, lambda _m: None)
    program = make.make_program(name="Orange Fab France")
    s11 = make.make_cohort(program=program, phase="completed", name="Season 11")
    s12 = make.make_cohort(program=program, phase="running", name="Season 12")
    mail_before = _count(OutboxEmail)
    messages = []
    created = reviews_seed.seed(SEED_DIR, messages.append)
    assert created > 0 and any("Season 12: 10 applications" in m for m in messages)
    for cohort in (s11, s12):
        assert _count(Application, Application.cohort_id == cohort.id) == 10
        assert _count(Enrollment, Enrollment.cohort_id == cohort.id) == 6
        assert _count(Offer, Offer.cohort_id == cohort.id, Offer.seat.is_not(None)) == 6
        ranking = cohort_ranking(cohort)
        assert all(item.count == 3 for item in ranking)
        assert any(item.disagreement for item in ranking)
    assert _count(Grant) == 12
    assert _count(ReviewAssignment, ReviewAssignment.conflict == "conflict") == 2
    assert _count(OutboxEmail) == mail_before  # history is not news
    lumen_founder = db.session.scalar(
        select(User.email)
        .join(StartupMember, StartupMember.user_id == User.id)
        .join(Startup, Startup.id == StartupMember.startup_id)
        .where(Startup.name == "Lumen Networks")
    )
    assert lumen_founder == "founder@example.org"
    # Dates sit in the cohorts' past, before they started.
    latest = db.session.scalar(
        select(func.max(Enrollment.created_at)).where(Enrollment.cohort_id == s12.id)
    )
    assert latest.date() < s12.starts_on

    reviews = _count(Review)
    assert reviews_seed.seed(SEED_DIR, messages.append) == 0
    assert _count(Review) == reviews


def test_a_seeded_status_implies_its_reviewers_and_reviews(make):
    from accelerator.applications import seed as applications_seed
    from accelerator.applications.models import ApplicationStatus as S

    auth_seed.seed(SEED_DIR, lambda _m: None)
    program = make.make_program(name="Orange Fab France")
    make.make_cohort(program=program, phase="completed", name="Season 11")
    make.make_cohort(program=program, phase="running", name="Season 12")
    s13 = make.make_cohort(
        program=program,
        phase="open",
        name="Season 13",
        review_criteria=[{"key": "team", "name": "Team", "weight": 1}],
    )
    applications_seed.seed(SEED_DIR, lambda _m: None)
    reviews_seed.seed(SEED_DIR, lambda _m: None)
    for application in db.session.scalars(
        select(Application).where(Application.cohort_id == s13.id)
    ):
        assigned = _count(ReviewAssignment, ReviewAssignment.application_id == application.id)
        reviewed = _count(
            Review,
            Review.assignment_id.in_(
                select(ReviewAssignment.id).where(ReviewAssignment.application_id == application.id)
            ),
        )
        if application.status in (S.IN_REVIEW, S.SHORTLISTED, S.INTERVIEW):
            assert assigned >= 2 and reviewed >= 1, application.status
        if application.status in (S.SHORTLISTED, S.INTERVIEW):
            assert reviewed == assigned
        if application.status in (S.DRAFT, S.SUBMITTED):
            assert assigned == 0
    before = (_count(ReviewAssignment), _count(Review))
    assert reviews_seed.seed(SEED_DIR, lambda _m: None) == 0
    assert (_count(ReviewAssignment), _count(Review)) == before
