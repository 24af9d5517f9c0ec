"""startups.name_key: names compared Unicode-aware (casefold + NFKC) on both databases

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:10:00

Plain ALTER TABLE (no batch copy): on SQLite a batch migration recreates the table, which
foreign keys from applications and enrollments refuse once there is data.
"""

import sqlalchemy as sa
from alembic import op

from accelerator.core.text import name_key

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "startups",
        sa.Column("name_key", sa.String(length=120), server_default="", nullable=False),
    )
    startups = sa.table(
        "startups",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )
    connection = op.get_bind()
    for startup_id, name in connection.execute(sa.select(startups.c.id, startups.c.name)).all():
        connection.execute(
            startups.update().where(startups.c.id == startup_id).values(name_key=name_key(name))
        )
    op.create_index(op.f("ix_startups_name_key"), "startups", ["name_key"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_startups_name_key"), table_name="startups")
    op.drop_column("startups", "name_key")
