"""The number of reviews a cohort's stored ranking was computed from

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 18:00:00

`ranking_states.review_count` is the count of the cohort's reviews read when its stored ranking
was last computed (NULL until then). While the ranking is current (`version` equals
`computed_version`: any review change moves `version`), it is the cohort's number of reviews, so
the staff cohort page need not count every review again (issue 24). Existing rows are filled
with the count their next recompute would store.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ranking_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_count', sa.Integer(), nullable=True))
    # Each stored ranking's count, as its next recompute would store it (the app is stopped).
    op.execute(
        "UPDATE ranking_states SET review_count = ("
        "SELECT count(*) FROM reviews JOIN applications ON applications.id = reviews.application_id"
        " WHERE applications.cohort_id = ranking_states.cohort_id)"
    )


def downgrade():
    with op.batch_alter_table('ranking_states', schema=None) as batch_op:
        batch_op.drop_column('review_count')
