"""Single sign-on: the OpenID provider's subject of each user who signed in with it

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 08:00:00

A user's `oidc_subject` is the `sub` claim the sponsor's OpenID Connect provider gave at their
first single sign-on; it is unique, so one provider account reaches at most one user.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_oidc_subject'), ['oidc_subject'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_oidc_subject'), type_='unique')
        batch_op.drop_column('oidc_subject')
