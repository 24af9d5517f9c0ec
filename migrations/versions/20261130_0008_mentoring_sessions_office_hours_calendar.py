"""mentoring (sessions side): office-hour slots, sessions, topics, action items, ratings,
calendar tokens

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 12:05:38.124310

"""
from alembic import op
import sqlalchemy as sa
import accelerator.core.types


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_tokens_token_hash'))
    )
    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_tokens_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_calendar_tokens_live_user', ['user_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    op.create_table('office_hour_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=True),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('booked_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(startup_id IS NULL) = (booked_by_id IS NULL) AND (startup_id IS NULL) = (booked_at IS NULL)', name=op.f('ck_office_hour_slots_slot_booking_complete')),
    sa.CheckConstraint('duration_minutes > 0 AND duration_minutes <= 720', name=op.f('ck_office_hour_slots_slot_duration_range')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_office_hour_slots_booked_by_id_users')),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_office_hour_slots_mentor_id_users')),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_office_hour_slots_startup_id_startups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_hour_slots')),
    sa.UniqueConstraint('mentor_id', 'starts_at', name='uq_slot_mentor_start')
    )
    with op.batch_alter_table('office_hour_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_hour_slots_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_hour_slots_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_hour_slots_startup_id'), ['startup_id'], unique=False)

    op.create_table('mentor_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('format', sa.Enum('in_person', 'video', 'phone', name='session_format', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('private_notes', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'confirmed', name='session_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('logged_by_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('red_flag_reason', sa.Text(), nullable=True),
    sa.Column('red_flag_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('red_flag_resolved_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('red_flag_resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('red_flag_resolution', sa.Text(), nullable=True),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(state = 'confirmed') = (confirmed_at IS NOT NULL)", name=op.f('ck_mentor_sessions_session_confirmed_at')),
    sa.CheckConstraint('(red_flag_at IS NULL) = (red_flag_reason IS NULL)', name=op.f('ck_mentor_sessions_red_flag_has_reason')),
    sa.CheckConstraint('(red_flag_resolved_at IS NULL) = (red_flag_resolved_by_id IS NULL)', name=op.f('ck_mentor_sessions_red_flag_resolved_by')),
    sa.CheckConstraint('duration_minutes > 0 AND duration_minutes <= 720', name=op.f('ck_mentor_sessions_session_duration_range')),
    sa.CheckConstraint('red_flag_resolved_at IS NULL OR red_flag_at IS NOT NULL', name=op.f('ck_mentor_sessions_red_flag_resolved_after_raised')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_mentor_sessions_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['logged_by_id'], ['users.id'], name=op.f('fk_mentor_sessions_logged_by_id_users')),
    sa.ForeignKeyConstraint(['match_id'], ['mentor_matches.id'], name=op.f('fk_mentor_sessions_match_id_mentor_matches')),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentor_sessions_mentor_id_users')),
    sa.ForeignKeyConstraint(['red_flag_resolved_by_id'], ['users.id'], name=op.f('fk_mentor_sessions_red_flag_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['slot_id'], ['office_hour_slots.id'], name=op.f('fk_mentor_sessions_slot_id_office_hour_slots')),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_mentor_sessions_startup_id_startups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_sessions')),
    sa.UniqueConstraint('slot_id', name=op.f('uq_mentor_sessions_slot_id'))
    )
    with op.batch_alter_table('mentor_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_sessions_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_sessions_match_id'), ['match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_sessions_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index('ix_mentor_sessions_open_flags', ['startup_id'], unique=False, sqlite_where=sa.text('red_flag_at IS NOT NULL AND red_flag_resolved_at IS NULL'), postgresql_where=sa.text('red_flag_at IS NOT NULL AND red_flag_resolved_at IS NULL'))
        batch_op.create_index('ix_mentor_sessions_pair_start', ['mentor_id', 'startup_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_sessions_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_sessions_startup_id'), ['startup_id'], unique=False)

    op.create_table('mentor_action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('owner', sa.Enum('startup', 'mentor', name='action_item_owner', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('done_in_session_id', sa.Integer(), nullable=True),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(done_at IS NULL) = (done_by_id IS NULL)', name=op.f('ck_mentor_action_items_action_item_done_by')),
    sa.CheckConstraint('length(text) > 0', name=op.f('ck_mentor_action_items_action_item_text')),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_mentor_action_items_done_by_id_users')),
    sa.ForeignKeyConstraint(['done_in_session_id'], ['mentor_sessions.id'], name=op.f('fk_mentor_action_items_done_in_session_id_mentor_sessions')),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentor_action_items_mentor_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['mentor_sessions.id'], name=op.f('fk_mentor_action_items_session_id_mentor_sessions')),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_mentor_action_items_startup_id_startups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_action_items'))
    )
    with op.batch_alter_table('mentor_action_items', schema=None) as batch_op:
        batch_op.create_index('ix_mentor_action_items_pair_open', ['mentor_id', 'startup_id', 'done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_action_items_session_id'), ['session_id'], unique=False)

    op.create_table('mentor_session_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', accelerator.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_mentor_session_ratings_rating_score_range')),
    sa.ForeignKeyConstraint(['rater_id'], ['users.id'], name=op.f('fk_mentor_session_ratings_rater_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['mentor_sessions.id'], name=op.f('fk_mentor_session_ratings_session_id_mentor_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_session_ratings')),
    sa.UniqueConstraint('session_id', 'rater_id', name='uq_rating_session_rater')
    )
    with op.batch_alter_table('mentor_session_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_session_ratings_session_id'), ['session_id'], unique=False)

    op.create_table('mentor_session_topics',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['mentor_sessions.id'], name=op.f('fk_mentor_session_topics_session_id_mentor_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['expertise_tags.id'], name=op.f('fk_mentor_session_topics_tag_id_expertise_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'tag_id', name=op.f('pk_mentor_session_topics'))
    )


def downgrade():
    op.drop_table('mentor_session_topics')
    with op.batch_alter_table('mentor_session_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_session_ratings_session_id'))

    op.drop_table('mentor_session_ratings')
    with op.batch_alter_table('mentor_action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_action_items_session_id'))
        batch_op.drop_index('ix_mentor_action_items_pair_open')

    op.drop_table('mentor_action_items')
    with op.batch_alter_table('mentor_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_sessions_startup_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_sessions_starts_at'))
        batch_op.drop_index('ix_mentor_sessions_pair_start')
        batch_op.drop_index('ix_mentor_sessions_open_flags', sqlite_where=sa.text('red_flag_at IS NOT NULL AND red_flag_resolved_at IS NULL'), postgresql_where=sa.text('red_flag_at IS NOT NULL AND red_flag_resolved_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_mentor_sessions_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_sessions_match_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_sessions_cohort_id'))

    op.drop_table('mentor_sessions')
    with op.batch_alter_table('office_hour_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_hour_slots_startup_id'))
        batch_op.drop_index(batch_op.f('ix_office_hour_slots_starts_at'))
        batch_op.drop_index(batch_op.f('ix_office_hour_slots_mentor_id'))

    op.drop_table('office_hour_slots')
    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.drop_index('uq_calendar_tokens_live_user', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_calendar_tokens_user_id'))

    op.drop_table('calendar_tokens')
