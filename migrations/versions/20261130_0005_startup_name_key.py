"""startups.name_key: names compared Unicode-aware (casefold + NFKC) on both databases

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 12:10:00

"""

import sqlalchemy as sa
from alembic import op

from accelerator.core.text import name_key

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("startups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=120), nullable=True))
    startups = sa.table("startups", sa.column("id", sa.Integer), sa.column("name", sa.String))
    keyed = sa.table("startups", sa.column("id", sa.Integer), sa.column("name_key", sa.String))
    connection = op.get_bind()
    for startup_id, name in connection.execute(sa.select(startups.c.id, startups.c.name)).all():
        connection.execute(
            keyed.update().where(keyed.c.id == startup_id).values(name_key=name_key(name))
        )
    with op.batch_alter_table("startups", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=120), nullable=False)
        batch_op.create_index(batch_op.f("ix_startups_name_key"), ["name_key"], unique=False)


def downgrade():
    with op.batch_alter_table("startups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_startups_name_key"))
        batch_op.drop_column("name_key")
