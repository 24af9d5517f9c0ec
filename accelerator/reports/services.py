"""What reports change: a program's transparency page (its introduction, published or not).

Staff only; every act is audited (its sentences in `reports/history.py`). The page's figures
are not kept: they are computed when read (`reports.transparency`)."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.core import audit
from accelerator.core.errors import InvalidState
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import require_staff
from accelerator.core.text import checked_text
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Program
from accelerator.reports.models import TransparencyPage

MAX_INTRODUCTION = 5000


def transparency_page(program: Program) -> TransparencyPage | None:
    return db.session.scalar(
        select(TransparencyPage).where(TransparencyPage.program_id == program.id)
    )


def _data(program: Program) -> dict:
    return {"program_id": program.id, "program": program.name}


def edit_transparency(program: Program, *, actor, introduction: str) -> TransparencyPage:
    """Write the page's introduction (the page is made on its first edit)."""
    require_staff(actor)
    text = checked_text(
        introduction,
        field="introduction",
        limit=MAX_INTRODUCTION,
        required=_("Write a few words introducing the page."),
        too_long=_("At most %(n)s characters.", n=MAX_INTRODUCTION),
    )
    page = transparency_page(program)
    if page is None:
        page = TransparencyPage(program_id=program.id, introduction=text)
        db.session.add(page)
        db.session.flush()
    elif page.introduction == text:
        return page
    page.introduction = text
    page.updated_at = utcnow()
    audit.record("transparency.edited", page, actor=actor, data=_data(program))
    db.session.flush()
    return page


def publish_transparency(program: Program, *, actor) -> TransparencyPage:
    """Make the page public (it needs an introduction first)."""
    require_staff(actor)
    page = transparency_page(program)
    if page is None or not page.introduction:
        raise InvalidState(_("Write the page's introduction before publishing it."))
    if page.is_published:
        raise InvalidState(_("The transparency page is already published."))
    page.published_at = utcnow()
    page.published_by_id = actor.id
    audit.record("transparency.published", page, actor=actor, data=_data(program))
    db.session.flush()
    return page


def withdraw_transparency(program: Program, *, actor) -> TransparencyPage:
    """Take the page off the public site (its introduction is kept)."""
    require_staff(actor)
    page = transparency_page(program)
    if page is None or not page.is_published:
        raise InvalidState(_("The transparency page is not published."))
    page.published_at = None
    page.published_by_id = None
    audit.record("transparency.withdrawn", page, actor=actor, data=_data(program))
    db.session.flush()
    return page
