"""Who may see and do what in reports: can_*(user, obj) -> bool.

The staff reports are staff only (their views say so with `role_required`). A program's
transparency page is public once published; before that only staff see it (a preview)."""

from __future__ import annotations

from accelerator.core.permissions import policy
from accelerator.programs.models import Program
from accelerator.reports.models import TransparencyPage


def _is_staff(user) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "active", False))
        and bool(getattr(user, "is_staff", False))
    )


@policy
def can_edit_transparency(user, program: Program) -> bool:
    return _is_staff(user)


def can_view_transparency(user, page: TransparencyPage | None) -> bool:
    """Everyone when published; staff also before (a preview)."""
    return (page is not None and page.is_published) or _is_staff(user)
