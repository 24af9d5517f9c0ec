"""A running cohort (two mentors per startup) with three enrolled startups and four mentors."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accelerator.applications.models import Startup, startup_needs
from accelerator.auth.models import User
from accelerator.extensions import db as _db
from accelerator.programs.models import Cohort
from tests import factories


@dataclass
class Setting:
    cohort: Cohort
    startups: list[Startup]  # Lumière (FR, telecom), Nordlys (NO, fintech), Brisa (ES, health)
    mentors: list[User]  # telecom (fr), finance (en), health (es), generalist (fr, en)
    founders: list[User]
    tags: dict[str, object]


@pytest.fixture
def setting(db) -> Setting:
    tags = {name: factories.make_tag(name) for name in ("networks", "sales", "finance", "health")}
    cohort = factories.make_cohort(phase="running", mentors_per_startup=2)
    founders = [factories.make_user(role="founder") for _ in range(3)]
    specs = [
        ("Lumière", "FR", "Telecom", ["networks", "sales"]),
        ("Nordlys", "NO", "Fintech", ["finance", "sales"]),
        ("Brisa", "ES", "Health", ["health"]),
    ]
    startups = []
    for (name, country, sector, needs), founder in zip(specs, founders, strict=True):
        startup = factories.make_startup(
            name=name, country=country, sector=sector, founders=[founder]
        )
        _db.session.execute(
            startup_needs.insert(),
            [{"startup_id": startup.id, "tag_id": tags[n].id} for n in needs],
        )
        factories.make_enrollment(cohort=cohort, startup=startup)
        startups.append(startup)
    mentors = [
        factories.make_mentor(
            name="Théo Telecom",
            expertise=[tags["networks"], tags["sales"]],
            industries=["Telecom"],
            languages=["fr"],
        ),
        factories.make_mentor(
            name="Fiona Finance",
            expertise=[tags["finance"]],
            industries=["Fintech"],
            languages=["en"],
        ),
        factories.make_mentor(
            name="Hugo Health",
            expertise=[tags["health"]],
            industries=["Health"],
            languages=["es"],
        ),
        factories.make_mentor(
            name="Gabi Generalist",
            expertise=[tags["sales"]],
            industries=[],
            languages=["fr", "en"],
            capacity=3,
        ),
    ]
    return Setting(cohort, startups, mentors, founders, tags)
