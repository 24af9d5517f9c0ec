"""Who may see programs and cohorts (also Jinja globals, through the policy registry)."""

from __future__ import annotations

from accelerator.core.permissions import policy
from accelerator.programs.models import Cohort, CohortState


@policy
def can_view_cohort(user, cohort: Cohort) -> bool:
    """Published cohorts are public; drafts are for staff only."""
    if cohort.state == CohortState.PUBLISHED:
        return True
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
