"""rating

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rating_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rule_set', sa.String(length=40), nullable=False),
    sa.Column('cap_basis', sa.Enum('good', 'good_and_above', name='capbasis', native_enum=False, create_constraint=True, length=30), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_rating_year_plausible_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_year')),
    sa.UniqueConstraint('year', name=op.f('uq_rating_year_year'))
    )
    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('discipline', sa.Enum('reprimand', 'warning', 'dismissal', 'expulsion', name='discipline', native_enum=False, create_constraint=True, length=30), nullable=True),
    sa.Column('outstanding', sa.Boolean(), nullable=False),
    sa.Column('self_score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('self_level', sa.Enum('excellent', 'good', 'completed', 'failed', name='self_level', native_enum=False, create_constraint=True, length=30), nullable=True),
    sa.Column('self_by_id', sa.Integer(), nullable=True),
    sa.Column('self_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposed_level', sa.Enum('excellent', 'good', 'completed', 'failed', name='proposed_level', native_enum=False, create_constraint=True, length=30), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('level', sa.Enum('excellent', 'good', 'completed', 'failed', name='level', native_enum=False, create_constraint=True, length=30), nullable=True),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(level IS NULL) = (decided_at IS NULL)', name=op.f('ck_rating_decision_has_a_moment')),
    sa.CheckConstraint('(member_id IS NULL) <> (organisation_id IS NULL)', name=op.f('ck_rating_one_subject')),
    sa.CheckConstraint('member_id IS NULL OR NOT outstanding', name=op.f('ck_rating_only_units_are_outstanding')),
    sa.CheckConstraint('score IS NULL OR (score >= 0 AND score <= 100)', name=op.f('ck_rating_score_in_range')),
    sa.CheckConstraint('self_score IS NULL OR (self_score >= 0 AND self_score <= 100)', name=op.f('ck_rating_self_score_in_range')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_rating_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_rating_member_id_member')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_rating_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_rating_proposed_by_id_user_account')),
    sa.ForeignKeyConstraint(['self_by_id'], ['user_account.id'], name=op.f('fk_rating_self_by_id_user_account')),
    sa.ForeignKeyConstraint(['year_id'], ['rating_year.id'], name=op.f('fk_rating_year_id_rating_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating')),
    sa.UniqueConstraint('year_id', 'member_id', name='uq_rating_year_member'),
    sa.UniqueConstraint('year_id', 'organisation_id', name='uq_rating_year_organisation')
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('rating_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('check_code', sa.String(length=30), nullable=False),
    sa.Column('level', sa.Enum('excellent', 'good', 'completed', 'failed', name='level', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_rating_override_reason_given')),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_rating_override_by_id_user_account')),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_override_rating_id_rating'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_override')),
    sa.UniqueConstraint('rating_id', 'check_code', name='uq_rating_override_rating_check')
    )
    with op.batch_alter_table('rating_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_override_rating_id'), ['rating_id'], unique=False)

    op.create_table('rating_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('previous_level', sa.Enum('excellent', 'good', 'completed', 'failed', name='previous_level', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('previous_score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('level', sa.Enum('excellent', 'good', 'completed', 'failed', name='level', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_rating_revision_reason_given')),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_rating_revision_by_id_user_account')),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_revision_rating_id_rating'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_revision'))
    )
    with op.batch_alter_table('rating_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_revision_rating_id'), ['rating_id'], unique=False)

    op.create_table('rating_trigger',
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_trigger_rating_id_rating'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rating_id', 'code', name=op.f('pk_rating_trigger'))
    )


def downgrade():
    op.drop_table('rating_trigger')
    with op.batch_alter_table('rating_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_revision_rating_id'))

    op.drop_table('rating_revision')
    with op.batch_alter_table('rating_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_override_rating_id'))

    op.drop_table('rating_override')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_rating_member_id'))

    op.drop_table('rating')
    op.drop_table('rating_year')
