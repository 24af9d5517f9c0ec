"""Fixtures of the applications tests: an open call, a founder with a startup, uploads."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from tests import factories


@pytest.fixture
def cohort(db):
    """A call open for applications (program in Europe/Paris)."""
    return factories.make_cohort(phase="open")


@pytest.fixture
def startup(founder):
    return factories.make_startup(founders=[founder], founded_year=2020, team_size=4)


@pytest.fixture
def draft(cohort, startup):
    return factories.make_application(
        cohort=cohort, startup=startup, status="draft", complete=False
    )


def upload(data: bytes, filename: str = "deck.pdf", content_type: str = "application/pdf"):
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)
