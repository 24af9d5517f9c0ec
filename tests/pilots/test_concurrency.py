"""Real concurrency, real commits: a founder and a mentor asking the same introduction at once
make one open request; two people starting or deciding the same pilot at once move it once.
On PostgreSQL the partial UNIQUE index and the pilot's row lock decide; on SQLite every
transaction takes the write lock first."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.auth.models import User
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.pilots import services
from accelerator.pilots.models import BusinessUnit, Decision, Introduction, Pilot
from accelerator.programs.models import Cohort
from tests import factories
from tests.concurrency import race


def _world(app):
    with app.app_context():
        founder = factories.make_user(role="founder")
        staff = factories.make_user(role="staff")
        startup = factories.make_startup(name="Société Éclair", founders=[founder])
        enrollment = factories.make_enrollment(startup=startup)
        cohort = db.session.get(Cohort, enrollment.cohort_id)
        unit = factories.make_unit(cohort=cohort, name="Orange Bank")
        partner = factories.make_partner(unit)
        ids = {
            "founder": founder.id,
            "staff": staff.id,
            "partner": partner.id,
            "startup": startup.id,
            "unit": unit.id,
            "cohort": cohort.id,
        }
        db.session.commit()
        db.session.remove()
    return ids


def test_two_requests_for_the_same_introduction_at_once_make_one(committed):
    app = committed
    ids = _world(app)
    askers = [ids["founder"], ids["staff"]]

    def work(index: int):
        services.ask_introduction(
            startup=db.session.get(Startup, ids["startup"]),
            unit=db.session.get(BusinessUnit, ids["unit"]),
            reason=f"Reason {index}",
            actor=db.session.get(User, askers[index]),
        )

    assert race(app, work) == ["Conflict", "done"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Introduction.id))) == 1
        db.session.remove()


def test_two_decisions_on_one_pilot_at_once_record_one(committed):
    app = committed
    ids = _world(app)
    with app.app_context():
        intro = factories.make_introduction(
            unit=db.session.get(BusinessUnit, ids["unit"]),
            startup=ids["startup"],
            cohort=db.session.get(Cohort, ids["cohort"]),
            status="accepted",
        )
        pilot = factories.make_pilot(
            status="running",
            introduction=intro,
            actor=db.session.get(User, ids["staff"]),
            owner=db.session.get(User, ids["partner"]),
        )
        pilot_id = pilot.id
        db.session.commit()
        db.session.remove()
    actors = [ids["staff"], ids["partner"]]

    def work(index: int):
        pilot = db.session.get(Pilot, pilot_id)
        if index == 0:
            services.decide_pilot(
                pilot,
                decision=Decision.GO,
                contract_value_cents=5_000_000,
                actor=db.session.get(User, actors[index]),
            )
        else:
            services.decide_pilot(
                pilot,
                decision=Decision.NO_GO,
                reason="No budget",
                actor=db.session.get(User, actors[index]),
            )

    assert race(app, work) == ["InvalidState", "done"]
    with app.app_context():
        decided = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "pilot.decided")
        )
        assert decided == 1
        db.session.remove()
