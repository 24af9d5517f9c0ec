"""milestones, check-ins and reminders: plans, milestones, check-ins, cadences, sent reminders

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 12:03:55.224993

"""
from alembic import op
import sqlalchemy as sa
import accelerator.core.types


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sent_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_reminders')),
    sa.UniqueConstraint('key', name=op.f('uq_sent_reminders_key'))
    )
    op.create_table('checkin_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('cadence', sa.Enum('weekly', 'biweekly', 'monthly', name='checkin_cadence', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('updated_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_checkin_schedules_cohort_id_cohorts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_schedules')),
    sa.UniqueConstraint('cohort_id', name=op.f('uq_checkin_schedules_cohort_id'))
    )
    op.create_table('milestone_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('due_week', sa.Integer(), nullable=False),
    sa.Column('kpi_targets', sa.Text(), nullable=False),
    sa.Column('tranche_key', sa.String(length=40), nullable=True),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('due_week >= 1 AND due_week <= 104', name=op.f('ck_milestone_templates_due_week_range')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_milestone_templates_cohort_id_cohorts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_templates')),
    sa.UniqueConstraint('cohort_id', 'tranche_key', name=op.f('uq_milestone_templates_cohort_id_tranche_key'))
    )
    with op.batch_alter_table('milestone_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_templates_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('period_on', sa.Date(), nullable=False),
    sa.Column('health', sa.Enum('green', 'amber', 'red', name='checkin_health', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('revenue_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('active_users', sa.Integer(), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('raised_cents', sa.Integer(), nullable=False),
    sa.Column('pilots', sa.Integer(), nullable=False),
    sa.Column('highlights', sa.Text(), nullable=False),
    sa.Column('blockers', sa.Text(), nullable=False),
    sa.Column('asks', sa.Text(), nullable=False),
    sa.Column('ask_state', sa.Enum('none', 'mentor_requested', name='checkin_ask_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('ask_requested_by_id', sa.Integer(), nullable=True),
    sa.Column('ask_requested_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('staff_comment', sa.Text(), nullable=False),
    sa.Column('commented_by_id', sa.Integer(), nullable=True),
    sa.Column('commented_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(ask_state = 'none') = (ask_requested_at IS NULL)", name=op.f('ck_checkins_ask_request_has_time')),
    sa.CheckConstraint('(commented_at IS NULL) = (commented_by_id IS NULL)', name=op.f('ck_checkins_comment_has_author')),
    sa.CheckConstraint('active_users >= 0 AND active_users <= 1000000000', name=op.f('ck_checkins_users_range')),
    sa.CheckConstraint('headcount >= 0 AND headcount <= 100000', name=op.f('ck_checkins_headcount_range')),
    sa.CheckConstraint('length(currency) = 3', name=op.f('ck_checkins_currency_iso_code')),
    sa.CheckConstraint('pilots >= 0 AND pilots <= 1000', name=op.f('ck_checkins_pilots_range')),
    sa.CheckConstraint('raised_cents >= 0 AND raised_cents <= 1000000000000', name=op.f('ck_checkins_raised_range')),
    sa.CheckConstraint('revenue_cents >= 0 AND revenue_cents <= 100000000000', name=op.f('ck_checkins_revenue_range')),
    sa.ForeignKeyConstraint(['ask_requested_by_id'], ['users.id'], name=op.f('fk_checkins_ask_requested_by_id_users')),
    sa.ForeignKeyConstraint(['commented_by_id'], ['users.id'], name=op.f('fk_checkins_commented_by_id_users')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_checkins_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_checkins_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('enrollment_id', 'period_on', name=op.f('uq_checkins_enrollment_id_period_on'))
    )
    op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kpi_targets', sa.Text(), nullable=False),
    sa.Column('tranche_key', sa.String(length=40), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'submitted', 'sent_back', 'approved', 'dropped', 'overdue', name='milestone_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('evidence_text', sa.Text(), nullable=False),
    sa.Column('evidence_link', sa.String(length=500), nullable=True),
    sa.Column('evidence_file_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('disbursement_id', sa.Integer(), nullable=True),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'overdue'", name=op.f('ck_milestones_overdue_never_stored')),
    sa.CheckConstraint("status NOT IN ('approved', 'sent_back') OR reviewed_by_id IS NOT NULL", name=op.f('ck_milestones_reviewed_has_reviewer')),
    sa.CheckConstraint("status NOT IN ('submitted', 'approved') OR submitted_at IS NOT NULL", name=op.f('ck_milestones_submitted_has_time')),
    sa.ForeignKeyConstraint(['disbursement_id'], ['disbursements.id'], name=op.f('fk_milestones_disbursement_id_disbursements')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_milestones_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['evidence_file_id'], ['stored_files.id'], name=op.f('fk_milestones_evidence_file_id_stored_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_milestones_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_milestones_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['template_id'], ['milestone_templates.id'], name=op.f('fk_milestones_template_id_milestone_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones')),
    sa.UniqueConstraint('enrollment_id', 'template_id', name=op.f('uq_milestones_enrollment_id_template_id'))
    )
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestones_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestones_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index('ix_milestones_status_due', ['status', 'due_on'], unique=False)



def downgrade():
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_index('ix_milestones_status_due')
        batch_op.drop_index(batch_op.f('ix_milestones_enrollment_id'))
        batch_op.drop_index(batch_op.f('ix_milestones_due_on'))

    op.drop_table('milestones')
    op.drop_table('checkins')
    with op.batch_alter_table('milestone_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_templates_cohort_id'))

    op.drop_table('milestone_templates')
    op.drop_table('checkin_schedules')
    op.drop_table('sent_reminders')
