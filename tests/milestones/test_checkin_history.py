"""A check-in's later acts say which period they touched: "Fiona Founder edited the check-in
for the period starting 2026-11-22.", not "edited a check-in."."""

from __future__ import annotations

from accelerator.core import audit, history
from accelerator.milestones import checkins
from tests import factories


def test_editing_commenting_and_asking_for_a_mentor_name_the_period(
    enrollment, cohort, ms_founder, staff
):
    period, ask = cohort.starts_on, "An intro to the B2B sales lead"
    checkin = checkins.submit_checkin(
        enrollment, actor=ms_founder, period_on=period, data=factories.checkin_input(asks=ask)
    )
    edited = factories.checkin_input(asks=ask, headcount=9)
    checkins.edit_checkin(checkin, actor=ms_founder, data=edited)
    checkins.request_mentor(checkin, actor=staff)
    checkins.comment_checkin(checkin, actor=staff, comment="Great pilot news")

    events = {e.action: e for e in audit.events_of(checkin)}
    for action in ("checkin.edited", "checkin.commented", "checkin.mentor_requested"):
        assert events[action].data["period"] == period.isoformat(), action
    said = {e.event.action: e.sentence for e in history.entries(list(events.values()))}
    day = period.isoformat()
    assert said["checkin.edited"] == (
        f"Fiona Founder edited the check-in for the period starting {day}."
    )
    assert said["checkin.commented"] == (
        f"Sam Staff commented on the check-in for the period starting {day}."
    )
    assert said["checkin.mentor_requested"] == (
        f"Sam Staff asked for a mentor's help in the check-in for the period starting {day}."
    )


def test_an_edit_recorded_before_the_period_was_kept_still_reads(db, staff):
    from accelerator.core.models import AuditEvent

    old = AuditEvent(action="checkin.edited", actor=staff, data={"changed": ["headcount"]})
    assert history.sentence(old) == "Sam Staff edited a check-in."
