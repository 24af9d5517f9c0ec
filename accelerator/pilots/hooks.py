"""Everything the pilots domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.pilots import history, purgatory, queries, services

hooks.history.connect(history.SENTENCES, name="pilots")
hooks.risk_rules.connect(purgatory.overdue_decisions, name="pilot_overdue_for_decision")
hooks.reminders.connect(purgatory.overdue_reminders, name="pilots.overdue_for_decision")
hooks.checkin_figures.connect(
    lambda startup_id, cohort_id: {"pilots": queries.pilot_counts(startup_id, cohort_id)},
    name="pilots",
)


@hooks.invitation_accepted.connect
def _join_unit(invitation, *, user, **_extra) -> None:
    """An invited partner joins the unit staff invited them to, in the same transaction."""
    services.join_invited_unit(invitation, user)
