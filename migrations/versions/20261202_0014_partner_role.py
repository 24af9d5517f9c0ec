"""The business-unit partner: a fourth kind of user (users.role and invitations.role)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:00:00

The role columns are portable enums guarded by a named CHECK; the CHECK is replaced by one that
also allows 'partner'.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD = ("founder", "mentor", "staff", "admin")
NEW = (*OLD, "partner")
COLUMNS = (("users", "user_role"), ("invitations", "invitation_role"))


def _allow(values) -> None:
    listed = ", ".join(f"'{value}'" for value in values)
    for table, name in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(name, sa.text(f"role IN ({listed})"))


def upgrade():
    _allow(NEW)


def downgrade():
    op.execute(sa.text("DELETE FROM invitations WHERE role = 'partner'"))
    op.execute(sa.text("UPDATE users SET role = 'founder', active = false WHERE role = 'partner'"))
    _allow(OLD)
