"""Builders for the follow-up tests: a demo day of two enrolled startups with founders."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from tests import factories


def event(*, started: bool = True, hours: int = 2):
    """A running cohort with "Société Éclair" (founder Fay) and "Zèbre Robotics" (founder
    Zack) in its running order in that order, and its demo day: started `hours` ago, or in
    three days."""
    fay = factories.make_user(role="founder", name="Fay Founder")
    zack = factories.make_user(role="founder", name="Zack Founder")
    eclair = factories.make_startup(name="Société Éclair", founders=[fay])
    zebre = factories.make_startup(name="Zèbre Robotics", founders=[zack])
    enrollment = factories.make_enrollment(startup=eclair)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    factories.make_enrollment(cohort=cohort, startup=zebre)
    now = utcnow().replace(microsecond=0)
    starts_at = now - timedelta(hours=hours) if started else now + timedelta(days=3)
    demo_day = factories.make_demo_day(cohort, starts_at=starts_at)
    staff = factories.make_user(role="staff", name="Sam Staff")
    return SimpleNamespace(
        cohort=cohort,
        demo_day=demo_day,
        eclair=eclair,
        zebre=zebre,
        fay=fay,
        zack=zack,
        staff=staff,
    )
