"""Known data for the pilots report: a program with two cohorts and three business units whose
figures the tests can work out by hand (tests/pilots/test_outcomes.py, tests/reports)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from accelerator.extensions import db
from accelerator.pilots import services
from accelerator.pilots.models import Decision
from tests import factories


def make_intro(unit, cohort, status):
    """An introduction of a new startup enrolled in `cohort` to `unit`, at `status`."""
    enrollment = factories.make_enrollment(cohort=cohort)
    return factories.make_introduction(
        unit=unit, startup=enrollment.startup_id, cohort=cohort, status=status
    )


def make_decided(
    unit, cohort, *, days: int, decision=Decision.GO, value=12_000_000, currency="EUR"
):
    """A pilot decided `days` after its introduction was asked."""
    staff = factories.make_user(role="staff")
    introduction = make_intro(unit, cohort, "accepted")
    pilot = factories.make_pilot(
        status="running", introduction=introduction, actor=staff, currency=currency
    )
    if decision == Decision.GO:
        services.decide_pilot(pilot, decision=decision, contract_value_cents=value, actor=staff)
    else:
        services.decide_pilot(pilot, decision=decision, reason="Not this year.", actor=staff)
    introduction.created_at = pilot.decided_at - timedelta(days=days)
    db.session.flush()
    return pilot


def make_season() -> SimpleNamespace:
    """Program "Orange Fab France": cohort Season 12 (running) and Season 11 (completed);
    units "Orange Cyberdéfense" and "Orange Bank" (and "Orange Wholesale", with nothing).

    Orange Bank, Season 12: 6 introductions: 4 accepted (a go of 120,000 EUR after 10 days, a
    no-go after 20, a go of 50,000 USD after 40, one running), 1 declined, 1 still requested.
    Orange Cyberdéfense, Season 11: 1 accepted, its pilot still scoping; 1 declined.
    Another program's unit has a decided pilot that counts nowhere here.
    """
    program = factories.make_program(name="Orange Fab France")
    s12 = factories.make_cohort(program=program, phase="running", name="Season 12")
    s11 = factories.make_cohort(program=program, phase="completed", name="Season 11")
    bank = factories.make_unit(program=program, name="Orange Bank")
    cyber = factories.make_unit(program=program, name="Orange Cyberdéfense")
    quiet = factories.make_unit(program=program, name="Orange Wholesale")
    make_decided(bank, s12, days=10, value=12_000_000)
    make_decided(bank, s12, days=20, decision=Decision.NO_GO)
    make_decided(bank, s12, days=40, value=5_000_000, currency="USD")
    factories.make_pilot(status="running", introduction=make_intro(bank, s12, "accepted"))
    make_intro(bank, s12, "declined")
    make_intro(bank, s12, "requested")
    factories.make_pilot(status="scoping", introduction=make_intro(cyber, s11, "accepted"))
    make_intro(cyber, s11, "declined")
    factories.make_pilot(status="decided")
    return SimpleNamespace(program=program, s12=s12, s11=s11, bank=bank, cyber=cyber, quiet=quiet)
