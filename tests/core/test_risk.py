"""At-risk rules: one function each, answering for a whole cohort."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accelerator.core import hooks, risk


@pytest.fixture
def rules(monkeypatch):
    monkeypatch.setattr(hooks, "risk_rules", hooks.Registry("risk_rules", "Rules of the test."))


def test_flags_gather_every_rule_with_its_reasons(rules):
    calls = []

    @hooks.risk_rules.connect(name="b_red")
    def red(cohort_id, startup_ids, now):
        calls.append((cohort_id, list(startup_ids), now))
        return {2: ["Reported red health."]}

    @hooks.risk_rules.connect(name="a_late")
    def late(cohort_id, startup_ids, now):
        return {1: ["Missed the last two check-ins."], 2: ["A milestone is overdue."], 9: ["x"]}

    now = datetime(2026, 11, 30, tzinfo=UTC)
    flags = risk.flags_for(7, [1, 2, 3], now=now)
    assert calls == [(7, [1, 2, 3], now)], "each rule runs once for the whole cohort"
    assert [f.reason for f in flags[1]] == ["Missed the last two check-ins."]
    assert [(f.rule, f.reason) for f in flags[2]] == [
        ("a_late", "A milestone is overdue."),
        ("b_red", "Reported red health."),
    ]
    assert flags[3] == [] and 9 not in flags, "only the startups asked about"


def test_no_startups_runs_no_rule(rules):
    @hooks.risk_rules.connect(name="boom")
    def boom(cohort_id, startup_ids, now):
        raise AssertionError("must not run")

    assert risk.flags_for(1, []) == {}
