"""At-risk rules: each domain registers rules that flag the startups of a cohort, with reasons.

A rule is one function, registered with `@risk_rule("name")` in the domain that owns the data
(milestones: missed check-ins, red health, overdue milestones, flat KPIs; mentoring: an open red
flag). It answers for a whole cohort at once (a fixed number of queries, never one per startup):

    rule(cohort_id: int, startup_ids: Sequence[int], now: datetime) -> {startup_id: [reason, ...]}

Reasons are sentences a person reads ("Missed the last two check-ins."). Thresholds live in the
app config, read by the rule itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from accelerator.core.types import utcnow

RiskRule = Callable[[int, Sequence[int], datetime], dict[int, list[str]]]

_RULES: dict[str, RiskRule] = {}


@dataclass(frozen=True)
class RiskFlag:
    startup_id: int
    rule: str
    reason: str


def risk_rule(name: str) -> Callable[[RiskRule], RiskRule]:
    """Register an at-risk rule under `name` (registering a name again replaces the rule)."""

    def decorator(func: RiskRule) -> RiskRule:
        _RULES[name] = func
        return func

    return decorator


def rule_names() -> list[str]:
    return sorted(_RULES)


def flags_for(
    cohort_id: int, startup_ids: Sequence[int], *, now: datetime | None = None
) -> dict[int, list[RiskFlag]]:
    """Every startup's flags (an empty list when none), rules applied in name order."""
    now = now or utcnow()
    ids = list(startup_ids)
    flags: dict[int, list[RiskFlag]] = {startup_id: [] for startup_id in ids}
    if not ids:
        return flags
    for name in rule_names():
        for startup_id, reasons in _RULES[name](cohort_id, ids, now).items():
            if startup_id in flags:
                flags[startup_id].extend(RiskFlag(startup_id, name, r) for r in reasons)
    return flags
