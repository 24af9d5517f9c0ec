"""Matching services: the engine's rules on real data, fixed pairs, hand-made pairs, answers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.extensions import db
from accelerator.mentoring import services
from accelerator.mentoring.models import Match, MatchStatus, MentorConflict, MentorPreference
from tests import factories


def _alive(cohort):
    return db.session.scalars(
        select(Match).where(
            Match.cohort_id == cohort.id,
            Match.status.not_in([MatchStatus.DECLINED, MatchStatus.REMOVED]),
        )
    ).all()


def _pairs(cohort, *statuses):
    statement = select(Match.startup_id, Match.mentor_id).where(Match.cohort_id == cohort.id)
    if statuses:
        statement = statement.where(Match.status.in_(statuses))
    return set(db.session.execute(statement).all())


def _actions(action):
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_run_gives_each_startup_k_mentors_within_capacity(setting, staff):
    created = services.run_matching(setting.cohort, actor=staff)
    assert len(created) == 6  # 3 startups x 2 mentors; capacities 2+2+2+3 suffice
    per_startup = {s.id: 0 for s in setting.startups}
    per_mentor = {m.id: 0 for m in setting.mentors}
    for match in created:
        per_startup[match.startup_id] += 1
        per_mentor[match.mentor_id] += 1
        assert match.status == MatchStatus.PROPOSED and match.created_by_id is None
    assert set(per_startup.values()) == {2}
    assert per_mentor[setting.mentors[3].id] <= 3
    assert all(per_mentor[m.id] <= 2 for m in setting.mentors[:3])
    assert len({(m.startup_id, m.mentor_id) for m in created}) == 6  # a pair at most once
    assert _actions("match.proposed") == 6 and _actions("matching.run") == 1


def test_run_explains_each_pair(setting, staff):
    services.run_matching(setting.cohort, actor=staff)
    lumiere, theo = setting.startups[0], setting.mentors[0]
    match = db.session.scalar(
        select(Match).where(Match.startup_id == lumiere.id, Match.mentor_id == theo.id)
    )
    why = match.explanation
    assert why["tags"] == ["networks", "sales"]
    assert why["industries"] == ["Telecom"] and why["languages"] == ["fr"]
    assert why["preference"] is None
    assert match.score == pytest.approx(10 + 3 + 2)


def test_conflicts_are_never_proposed(setting, staff):
    lumiere, theo = setting.startups[0], setting.mentors[0]
    db.session.add(MentorConflict(mentor_id=theo.id, startup_id=lumiere.id, reason="Investor"))
    db.session.flush()
    services.run_matching(setting.cohort, actor=staff)
    assert (lumiere.id, theo.id) not in _pairs(setting.cohort)


def test_a_preference_tips_the_balance(setting, staff):
    brisa = setting.startups[2]
    fiona = setting.mentors[1]
    # Brisa needs health only: Fiona and Gabi fit it equally badly, apart from language.
    db.session.add(
        MentorPreference(
            cohort_id=setting.cohort.id, startup_id=brisa.id, mentor_id=fiona.id, rank=1
        )
    )
    db.session.flush()
    services.run_matching(setting.cohort, actor=staff)
    mentors_of_brisa = {m for s, m in _pairs(setting.cohort) if s == brisa.id}
    assert fiona.id in mentors_of_brisa
    match = db.session.scalar(
        select(Match).where(Match.startup_id == brisa.id, Match.mentor_id == fiona.id)
    )
    assert match.explanation["preference"] == 1 and match.explanation["terms"]["preference"] == 5


def test_unavailable_mentors_are_not_proposed(setting, staff):
    from accelerator.mentoring.queries import profile_of

    profile_of(setting.mentors[3].id).available = False
    db.session.flush()
    services.run_matching(setting.cohort, actor=staff)
    assert setting.mentors[3].id not in {m for _s, m in _pairs(setting.cohort)}


def test_rerun_keeps_confirmed_pairs_and_never_reproposes_a_decline(setting, staff):
    services.run_matching(setting.cohort, actor=staff)
    confirmed = services.confirm_matches(setting.cohort, actor=staff)
    assert len(confirmed) == 6
    lumiere = setting.startups[0]
    declined = next(m for m in confirmed if m.startup_id == lumiere.id)
    declined_mentor = db.session.get(type(staff), declined.mentor_id)
    services.respond(declined, accept=False, actor=declined_mentor, reason="No time")
    kept = _pairs(setting.cohort, MatchStatus.CONFIRMED)
    assert len(kept) == 5

    created = services.run_matching(setting.cohort, actor=staff)
    assert _pairs(setting.cohort, MatchStatus.CONFIRMED) == kept  # untouched
    assert [(m.startup_id) for m in created] == [lumiere.id]  # only the freed slot
    assert created[0].mentor_id != declined.mentor_id
    alive = _alive(setting.cohort)
    assert all(sum(1 for m in alive if m.startup_id == s.id) == 2 for s in setting.startups)


def test_rerun_replaces_engine_proposals_but_keeps_hand_made_ones(setting, staff):
    brisa, gabi = setting.startups[2], setting.mentors[3]
    hand = services.add_match(setting.cohort, startup_id=brisa.id, mentor_id=gabi.id, actor=staff)
    first = services.run_matching(setting.cohort, actor=staff)
    second = services.run_matching(setting.cohort, actor=staff)
    assert len(first) == len(second) == 5
    assert db.session.get(Match, hand.id).status == MatchStatus.PROPOSED
    assert len(_alive(setting.cohort)) == 6


def test_a_startup_already_full_gets_nothing_new(setting, staff):
    lumiere = setting.startups[0]
    for mentor in setting.mentors[:2]:
        factories.make_match(
            cohort_id=setting.cohort.id, startup_id=lumiere.id, mentor_id=mentor.id
        )
    created = services.run_matching(setting.cohort, actor=staff)
    assert lumiere.id not in {m.startup_id for m in created}
    assert len(created) == 4


def test_run_refuses_without_startups_or_mentors(db, staff):
    empty = factories.make_cohort(phase="running")
    with pytest.raises(InvalidState):
        services.run_matching(empty, actor=staff)


def test_hand_made_pair_rules(setting, staff):
    lumiere, nordlys = setting.startups[0], setting.startups[1]
    theo, fiona, hugo = setting.mentors[:3]
    db.session.add(MentorConflict(mentor_id=hugo.id, startup_id=lumiere.id, reason="Advisor"))
    db.session.flush()
    with pytest.raises(Conflict, match="conflict"):
        services.add_match(setting.cohort, startup_id=lumiere.id, mentor_id=hugo.id, actor=staff)
    services.add_match(setting.cohort, startup_id=lumiere.id, mentor_id=theo.id, actor=staff)
    with pytest.raises(Conflict, match="already paired"):
        services.add_match(setting.cohort, startup_id=lumiere.id, mentor_id=theo.id, actor=staff)
    services.add_match(setting.cohort, startup_id=nordlys.id, mentor_id=theo.id, actor=staff)
    with pytest.raises(Conflict, match="capacity"):
        services.add_match(
            setting.cohort, startup_id=setting.startups[2].id, mentor_id=theo.id, actor=staff
        )
    services.add_match(setting.cohort, startup_id=lumiere.id, mentor_id=fiona.id, actor=staff)
    with pytest.raises(Conflict, match="already has 2 mentors"):
        services.add_match(
            setting.cohort, startup_id=lumiere.id, mentor_id=setting.mentors[3].id, actor=staff
        )
    outsider = factories.make_startup()
    with pytest.raises(ValidationFailed):
        services.add_match(setting.cohort, startup_id=outsider.id, mentor_id=hugo.id, actor=staff)
    assert _actions("match.added") == 3


def test_swap_replaces_the_mentor_of_a_proposed_pair(setting, staff):
    brisa, hugo, gabi = setting.startups[2], setting.mentors[2], setting.mentors[3]
    match = services.add_match(setting.cohort, startup_id=brisa.id, mentor_id=hugo.id, actor=staff)
    new = services.swap_match(match, mentor_id=gabi.id, actor=staff)
    assert db.session.get(Match, match.id).status == MatchStatus.REMOVED
    assert new.mentor_id == gabi.id and new.status == MatchStatus.PROPOSED
    assert _actions("match.swapped") == 1
    with pytest.raises(InvalidState):
        services.swap_match(db.session.get(Match, match.id), mentor_id=hugo.id, actor=staff)


def test_removed_pair_is_not_proposed_again(setting, staff):
    created = services.run_matching(setting.cohort, actor=staff)
    gone = created[0]
    services.remove_match(gone, actor=staff)
    services.run_matching(setting.cohort, actor=staff)
    alive = {(m.startup_id, m.mentor_id) for m in _alive(setting.cohort)}
    assert (gone.startup_id, gone.mentor_id) not in alive
    with pytest.raises(InvalidState):
        services.remove_match(db.session.get(Match, gone.id), actor=staff)


def test_confirm_mails_each_mentor_once_and_audits_each_pair(setting, staff):
    services.run_matching(setting.cohort, actor=staff)
    before = db.session.scalar(select(func.count(OutboxEmail.id)))
    confirmed = services.confirm_matches(setting.cohort, actor=staff)
    mentors = {m.mentor_id for m in confirmed}
    after = db.session.scalar(select(func.count(OutboxEmail.id)))
    assert after - before == len(mentors)
    assert all(m.status == MatchStatus.CONFIRMED and m.confirmed_at for m in confirmed)
    assert _actions("match.confirmed") == 6
    with pytest.raises(InvalidState):
        services.confirm_matches(setting.cohort, actor=staff)


def test_confirm_refuses_a_pair_conflicted_since(setting, staff):
    created = services.run_matching(setting.cohort, actor=staff)
    pair = created[0]
    db.session.add(
        MentorConflict(mentor_id=pair.mentor_id, startup_id=pair.startup_id, reason="New job")
    )
    db.session.flush()
    with pytest.raises(Conflict, match="conflict"):
        services.confirm_matches(setting.cohort, actor=staff)


def test_mentor_answers(setting, staff):
    services.run_matching(setting.cohort, actor=staff)
    confirmed = services.confirm_matches(setting.cohort, actor=staff)
    one, two = confirmed[0], confirmed[1]
    mentor = db.session.get(type(staff), one.mentor_id)
    someone_else = next(m for m in setting.mentors if m.id != one.mentor_id)
    with pytest.raises(NotAllowed):
        services.respond(one, accept=True, actor=someone_else)
    founder_mails = db.session.scalar(select(func.count(OutboxEmail.id)))
    services.respond(one, accept=True, actor=mentor)
    assert one.status == MatchStatus.ACCEPTED and one.responded_at
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == founder_mails + 1
    with pytest.raises(InvalidState):
        services.respond(one, accept=False, actor=mentor)
    other = db.session.get(type(staff), two.mentor_id)
    services.respond(two, accept=False, actor=other, reason="Travelling")
    assert two.status == MatchStatus.DECLINED and two.decline_reason == "Travelling"
    staff_mail = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.to == staff.email).order_by(OutboxEmail.id.desc())
    )
    assert "declined" in staff_mail.subject
    assert _actions("match.accepted") == 1 and _actions("match.declined") == 1


def test_the_database_holds_a_live_pair_once(setting):
    lumiere, theo = setting.startups[0], setting.mentors[0]
    first = factories.make_match(
        cohort_id=setting.cohort.id, startup_id=lumiere.id, mentor_id=theo.id, status="removed"
    )
    factories.make_match(cohort_id=setting.cohort.id, startup_id=lumiere.id, mentor_id=theo.id)
    assert first.id
    with pytest.raises(IntegrityError), db.session.begin_nested():
        factories.make_match(
            cohort_id=setting.cohort.id,
            startup_id=lumiere.id,
            mentor_id=theo.id,
            status="proposed",
        )
