"""Profiles, conflicts and founders' preferences: rules and audit events."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from accelerator.core.errors import Conflict, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.mentoring import queries, services
from accelerator.mentoring.fit import MentorFacts, StartupFacts, fit_of
from accelerator.mentoring.models import Match, MentorPreference, MentorProfile
from accelerator.mentoring.services import ProfileInput
from tests import factories


def test_a_mentor_fills_in_their_profile(db, mentor):
    tag = factories.make_tag("pricing")
    data = ProfileInput(
        organisation=" Orange Business ",
        title="Sales lead",
        expertise_ids=[tag.id],
        industries=["Telecom", "telecom ", "Health"],
        languages=["FR", "en", "fr"],
        capacity=3,
    )
    profile = services.save_profile(mentor, data, actor=mentor)
    assert profile.organisation == "Orange Business"
    assert profile.languages == ["en", "fr"]
    assert profile.industries == ["Telecom", "telecom", "Health"]
    assert [t.name for t in profile.expertise] == ["pricing"]
    again = services.save_profile(
        mentor, ProfileInput(organisation="X", languages=["fr"]), actor=mentor
    )
    assert again.id == profile.id and again.expertise == []
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("mentor_profile.%"))
    ).all()
    assert actions == ["mentor_profile.created", "mentor_profile.updated"]


def test_profile_rules(db, mentor, founder, staff):
    other = factories.make_user(role="mentor")
    with pytest.raises(NotAllowed):
        services.save_profile(mentor, ProfileInput(organisation="X"), actor=other)
    with pytest.raises(NotAllowed):
        services.save_profile(founder, ProfileInput(organisation="X"), actor=staff)
    with pytest.raises(ValidationFailed) as bad:
        services.save_profile(mentor, ProfileInput(languages=["french"]), actor=mentor)
    assert bad.value.field == "languages"
    with pytest.raises(ValidationFailed):
        services.save_profile(mentor, ProfileInput(capacity=21), actor=mentor)
    with pytest.raises(ValidationFailed):
        services.save_profile(mentor, ProfileInput(expertise_ids=[999999]), actor=mentor)
    services.save_profile(mentor, ProfileInput(organisation="By staff"), actor=staff)


def test_capacity_cannot_drop_below_the_running_load(setting, staff):
    theo = setting.mentors[0]
    for startup in setting.startups[:2]:
        factories.make_match(cohort_id=setting.cohort.id, startup_id=startup.id, mentor_id=theo.id)
    with pytest.raises(Conflict) as refused:
        services.save_profile(theo, ProfileInput(languages=["fr"], capacity=1), actor=theo)
    assert refused.value.field == "capacity"


def test_conflicts(setting, staff):
    theo, lumiere = setting.mentors[0], setting.startups[0]
    with pytest.raises(ValidationFailed):
        services.add_conflict(theo, startup_id=lumiere.id, reason="  ", actor=theo)
    conflict = services.add_conflict(theo, startup_id=lumiere.id, reason="Investor", actor=theo)
    with pytest.raises(Conflict):
        services.add_conflict(theo, startup_id=lumiere.id, reason="Again", actor=staff)
    with pytest.raises(NotAllowed):
        services.add_conflict(theo, startup_id=lumiere.id, reason="x", actor=setting.mentors[1])
    services.remove_conflict(conflict, actor=staff)
    nordlys = setting.startups[1]
    factories.make_match(cohort_id=setting.cohort.id, startup_id=nordlys.id, mentor_id=theo.id)
    with pytest.raises(Conflict, match="matched"):
        services.add_conflict(theo, startup_id=nordlys.id, reason="Competitor", actor=theo)


def test_up_to_three_preferences_ranked_in_order(setting):
    founder, lumiere = setting.founders[0], setting.startups[0]
    for mentor in setting.mentors[:3]:
        services.add_preference(lumiere.id, mentor_id=mentor.id, actor=founder)
    with pytest.raises(Conflict, match="at most 3"):
        services.add_preference(lumiere.id, mentor_id=setting.mentors[3].id, actor=founder)
    with pytest.raises(Conflict, match="already"):
        services.add_preference(lumiere.id, mentor_id=setting.mentors[0].id, actor=founder)
    first = queries.preferences_of(setting.cohort.id, lumiere.id)[0]
    services.remove_preference(first, actor=founder)
    ranks = [(p.mentor_id, p.rank) for p in queries.preferences_of(setting.cohort.id, lumiere.id)]
    assert ranks == [(setting.mentors[1].id, 1), (setting.mentors[2].id, 2)]
    services.add_preference(lumiere.id, mentor_id=setting.mentors[3].id, actor=founder)
    assert (
        db.session.scalar(
            select(MentorPreference.rank).where(MentorPreference.mentor_id == setting.mentors[3].id)
        )
        == 3
    )


def test_preferences_need_an_enrolled_startup_and_a_mentor_with_a_profile(setting, founder):
    lonely = factories.make_startup(founders=[founder])
    with pytest.raises(NotAllowed):
        services.add_preference(lonely.id, mentor_id=setting.mentors[0].id, actor=founder)
    no_profile = factories.make_user(role="mentor")
    with pytest.raises(ValidationFailed):
        services.add_preference(setting.startups[0].id, mentor_id=no_profile.id, actor=founder)


def test_fit_terms():
    startup = StartupFacts(1, "Ça Roule", "Télécom & réseaux", "BE", frozenset({"a", "b"}))
    mentor = MentorFacts(2, "M", frozenset({"a"}), ("TÉLÉCOM",), ("nl",))
    found = fit_of(startup, mentor, 2)
    assert found.tags == ["a"] and found.industries == ["TÉLÉCOM"] and found.languages == ["nl"]
    assert found.terms == {"needs": 5.0, "industry": 3.0, "language": 2.0, "preference": 3.33}
    assert found.score == pytest.approx(5 + 3 + 2 + 10 / 3, abs=1e-3)
    nothing = fit_of(StartupFacts(1, "X", None, None, frozenset()), mentor, None)
    assert nothing.score == 0 and nothing.languages == []


def test_seed_is_idempotent_and_consistent(db):
    from accelerator.mentoring.seed import seed

    program = factories.make_program(name="Orange Fab France")
    cohort = factories.make_cohort(program=program, phase="running", name="Season 12")
    for name in ("B2B sales", "go-to-market", "telecom networks", "IoT"):
        factories.make_tag(name)
    lumen = factories.make_startup(name="Lumen Networks")
    factories.make_enrollment(cohort=cohort, startup=lumen)
    root = Path(__file__).resolve().parents[2] / "seed_data"
    created = seed(root, print)
    assert created > 0
    assert seed(root, print) == 0
    assert db.session.scalar(select(func.count(MentorProfile.id))) >= 9
    pairs = db.session.scalars(select(Match).where(Match.cohort_id == cohort.id)).all()
    assert {p.status.value for p in pairs} == {"accepted"}  # only Lumen is enrolled here
    assert len(pairs) == 2
