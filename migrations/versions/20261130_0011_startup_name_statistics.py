"""PostgreSQL statistics on lower(startups.name), so name searches are planned right

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 15:40:00

The name search filters on lower(name) LIKE '%q%'. Without statistics on that expression the
planner guesses one matching row; when a search matches thousands it then loops over them
instead of walking the list's sort index and stopping after a page (33 ms instead of 0.2 ms at
10,000 applications). Extended statistics on the expression (PostgreSQL 14+) give it the real
share. SQLite plans without them.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE STATISTICS st_startups_lower_name ON (lower(name::text)) FROM startups")
        op.execute("ANALYZE startups")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_startups_lower_name")
