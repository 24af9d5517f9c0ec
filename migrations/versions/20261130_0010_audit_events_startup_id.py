"""audit_events.startup_id: the events of one startup's story, for its history

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 15:30:00

Backfills the events whose object leads to a startup (the startup, its applications and
enrollments, grants, milestones, check-ins, matches, sessions).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: object_type -> SQL giving the startup of object `audit_events.object_id`.
_STARTUP_OF = {
    "startups": "SELECT s.id FROM startups s WHERE s.id = audit_events.object_id",
    "applications": "SELECT a.startup_id FROM applications a WHERE a.id = audit_events.object_id",
    "enrollments": "SELECT e.startup_id FROM enrollments e WHERE e.id = audit_events.object_id",
    "mentor_matches": (
        "SELECT m.startup_id FROM mentor_matches m WHERE m.id = audit_events.object_id"
    ),
    "mentor_sessions": (
        "SELECT m.startup_id FROM mentor_sessions m WHERE m.id = audit_events.object_id"
    ),
    "grants": (
        "SELECT e.startup_id FROM grants g JOIN enrollments e ON e.id = g.enrollment_id"
        " WHERE g.id = audit_events.object_id"
    ),
    "milestones": (
        "SELECT e.startup_id FROM milestones m JOIN enrollments e ON e.id = m.enrollment_id"
        " WHERE m.id = audit_events.object_id"
    ),
    "checkins": (
        "SELECT e.startup_id FROM checkins c JOIN enrollments e ON e.id = c.enrollment_id"
        " WHERE c.id = audit_events.object_id"
    ),
}


def upgrade():
    op.add_column("audit_events", sa.Column("startup_id", sa.Integer(), nullable=True))
    for object_type, startup_of in _STARTUP_OF.items():
        op.execute(
            sa.text(
                f"UPDATE audit_events SET startup_id = ({startup_of})"  # noqa: S608
                " WHERE object_type = :object_type"
            ).bindparams(object_type=object_type)
        )
    op.create_index(
        "ix_audit_events_startup", "audit_events", ["startup_id", "created_at"], unique=False
    )


def downgrade():
    op.drop_index("ix_audit_events_startup", table_name="audit_events")
    op.drop_column("audit_events", "startup_id")
