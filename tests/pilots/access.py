"""Access expectations for the pilots domain: every route against every role.

build() gives world.startup (the founder's, followed by the mentor) an enrollment's cohort,
the unit world.unit of that cohort's program with the partner, another unit world.other_unit
with the other partner, introductions in each state and pilots in each state. The cases are
kept per audience in access_*.py beside this file and gathered here.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

CASES: dict = {}
for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _info.name.startswith("access_"):
        _module = importlib.import_module(f"tests.pilots.{_info.name}")
        for _endpoint, _cases in _module.CASES.items():
            assert _endpoint not in CASES, f"{_endpoint} listed twice"
            CASES[_endpoint] = _cases


def build(world) -> None:
    from sqlalchemy import select

    from accelerator.extensions import db
    from accelerator.pilots.models import BusinessUnitPartner
    from accelerator.programs.models import Cohort, Enrollment
    from tests import factories

    try:
        startup = world.startup
    except AttributeError:
        startup = factories.make_startup(founders=[world.users["founder"]])
        world.startup = startup
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.startup_id == startup.id))
    if enrollment is None:
        enrollment = factories.make_enrollment(startup=startup)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    world.pilot_cohort = cohort
    world.unit = factories.make_unit(cohort=cohort, name="Matrix Orange Bank")
    world.other_unit = factories.make_unit(cohort=cohort, name="Matrix Orange Wholesale")
    for role, unit in (("partner", world.unit), ("other_partner", world.other_unit)):
        db.session.add(BusinessUnitPartner(user_id=world.users[role].id, business_unit_id=unit.id))
    db.session.flush()
    owner = world.users["partner"]

    def intro(status, unit=None):
        return factories.make_introduction(
            unit=unit or factories.make_unit(cohort=cohort),
            startup=startup,
            cohort=cohort,
            status=status,
        )

    # One open request per startup and unit: each open one gets a unit of its own, except the
    # one on world.unit that the partner answers.
    world.intro_requested = intro("requested")
    world.intro_forwarded = factories.make_introduction(
        unit=world.unit, startup=startup, cohort=cohort, status="forwarded"
    )
    world.intro_accepted = intro("accepted", world.unit)
    staff = world.users["staff"]
    world.pilots = {
        status: factories.make_pilot(
            status=status,
            introduction=intro("accepted", world.unit),
            actor=staff,
            owner=owner,
        )
        for status in ("scoping", "running", "decided", "closed", "stopped")
    }
