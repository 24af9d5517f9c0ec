"""reports: join the mentoring (0008) and milestones (0009) branches of the history

Revision ID: 0010
Revises: 0008, 0009
Create Date: 2026-11-30

Reports add no table: this revision only makes one head of the two branches that mentoring and
milestones grew from 0004 in parallel.
"""

revision = '0010'
down_revision = ('0008', '0009')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
