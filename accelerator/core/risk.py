"""At-risk rules: each domain registers rules that flag the startups of a cohort, with reasons.

A rule is one function, connected to `hooks.risk_rules` in the domain that owns the data
(milestones: missed check-ins, red health, overdue milestones, flat KPIs; mentoring: an open red
flag). It answers for a whole cohort at once (a fixed number of queries, never one per startup):

    rule(cohort_id: int, startup_ids: Sequence[int], now: datetime) -> {startup_id: [reason, ...]}

Reasons are sentences a person reads ("Missed the last two check-ins."). Thresholds live in the
app config, read by the rule itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from accelerator.core import hooks
from accelerator.core.types import utcnow


@dataclass(frozen=True)
class RiskFlag:
    startup_id: int
    rule: str
    reason: str


def rule_names() -> list[str]:
    return hooks.risk_rules.names()


def flags_for(
    cohort_id: int, startup_ids: Sequence[int], *, now: datetime | None = None
) -> dict[int, list[RiskFlag]]:
    """Every startup's flags (an empty list when none), rules applied in name order."""
    now = now or utcnow()
    ids = list(startup_ids)
    flags: dict[int, list[RiskFlag]] = {startup_id: [] for startup_id in ids}
    if not ids:
        return flags
    for name, rule in hooks.risk_rules.entries():
        for startup_id, reasons in rule(cohort_id, ids, now).items():
            if startup_id in flags:
                flags[startup_id].extend(RiskFlag(startup_id, name, r) for r in reasons)
    return flags
