"""The reports seed's transparency page: Orange Fab France's, written and published through
the services (audited), public at once; running the seed twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator import cli
from accelerator.config import ROOT
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.programs.models import Program
from accelerator.reports.models import TransparencyPage

SEED_DIR = ROOT / "seed_data"


def _quiet(*_args, **_kwargs) -> None:
    return None


def _seed() -> None:
    for _name, step in cli._seeders():
        step(SEED_DIR, _quiet)
    db.session.commit()


def test_the_transparency_page_is_seeded_once_and_public(db, client):
    _seed()
    program = db.session.scalar(select(Program).where(Program.name == "Orange Fab France"))
    page = db.session.scalar(
        select(TransparencyPage).where(TransparencyPage.program_id == program.id)
    )
    assert page.is_published and "five startups" in page.introduction
    events = select(func.count(AuditEvent.id)).where(AuditEvent.action.like("transparency.%"))
    assert db.session.scalar(events) == 2
    response = client.get(f"/transparency/{program.id}")
    assert response.status_code == 200
    assert "Season 11" in response.get_data(as_text=True)  # the completed cohort
    _seed()
    assert db.session.scalar(events) == 2
    assert db.session.scalar(select(func.count(TransparencyPage.id))) == 1
