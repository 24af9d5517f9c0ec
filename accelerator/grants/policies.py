"""Who may see which grant: staff see every grant, founders only their own startup's."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.policies import is_founder_of
from accelerator.core.permissions import Role, has_role, policy
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, Grant
from accelerator.programs.models import Enrollment


@policy
def can_view_grant(user, grant: Grant) -> bool:
    """Staff, or a founder of the enrolled startup."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    startup_id = db.session.scalar(
        select(Enrollment.startup_id).where(Enrollment.id == grant.enrollment_id)
    )
    return is_founder_of(user, startup_id)


@policy
def can_approve_disbursement(user, disbursement: Disbursement) -> bool:
    """Four eyes: a staff member other than the one who requested it."""
    return has_role(user, Role.STAFF) and disbursement.requested_by_id != user.id
