"""outbox_emails.message_id: one Message-ID per queued mail, kept across delivery attempts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00

A sender killed between handing a message to the SMTP server and recording it sends it again
on restart; with the Message-ID fixed on the row, the receiver recognises the copy. Rows
already queued get an id made of their row id and a token drawn once for this upgrade, so ids
from two installations never meet.
"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
    op.execute(
        sa.text(
            "UPDATE outbox_emails SET message_id = '<outbox.' || id || '.' || :token"
            " || '@accelerator>'"
        ).bindparams(token=secrets.token_hex(8))
    )
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.alter_column("message_id", existing_type=sa.String(length=255), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_outbox_emails_message_id"), ["message_id"]
        )


def downgrade():
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_outbox_emails_message_id"), type_="unique")
        batch_op.drop_column("message_id")
