"""ratings: not rated with reason and date, the member's unit and the organisation's leader at
rating time, the outstanding units' cap per year, and state/mass-organisation discipline forms

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD_DISCIPLINE = ('reprimand', 'warning', 'dismissal', 'expulsion')
NEW_DISCIPLINE = OLD_DISCIPLINE + ('salary_downgrade', 'demotion', 'removal', 'forced_resignation')


def _discipline(values):
    return sa.Enum(*values, name='discipline', native_enum=False, create_constraint=True, length=30)


def upgrade():
    with op.batch_alter_table('rating_year', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outstanding_cap_percent', sa.Integer(), nullable=True))
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('leader_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('not_rated', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('not_rated_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_rating_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_rating_unit_id_organisation'), 'organisation', ['unit_id'], ['id']
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_rating_leader_id_member'), 'member', ['leader_id'], ['id']
        )
        batch_op.create_check_constraint(
            op.f('ck_rating_not_rated_has_no_level'), 'not_rated IS NULL OR level IS NULL'
        )
        batch_op.create_check_constraint(
            op.f('ck_rating_not_rated_has_a_date'), '(not_rated IS NULL) = (not_rated_on IS NULL)'
        )
        batch_op.alter_column(
            'discipline',
            existing_type=_discipline(OLD_DISCIPLINE),
            type_=_discipline(NEW_DISCIPLINE),
            existing_nullable=True,
        )
    # Ratings made before this revision keep the unit their member attends now (the best
    # record there is); from now on the unit is fixed when the rating is made.
    op.execute(
        'UPDATE rating SET unit_id = (SELECT member.organisation_id FROM member '
        'WHERE member.id = rating.member_id) WHERE member_id IS NOT NULL'
    )


def downgrade():
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.alter_column(
            'discipline',
            existing_type=_discipline(NEW_DISCIPLINE),
            type_=_discipline(OLD_DISCIPLINE),
            existing_nullable=True,
        )
        batch_op.drop_constraint(op.f('ck_rating_not_rated_has_a_date'), type_='check')
        batch_op.drop_constraint(op.f('ck_rating_not_rated_has_no_level'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_rating_leader_id_member'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_rating_unit_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rating_unit_id'))
        batch_op.drop_column('not_rated_on')
        batch_op.drop_column('not_rated')
        batch_op.drop_column('leader_id')
        batch_op.drop_column('unit_id')
    with op.batch_alter_table('rating_year', schema=None) as batch_op:
        batch_op.drop_column('outstanding_cap_percent')
