"""elections (bầu cử, 190-QĐ/TW) on the vote's table: its kind, rules and earlier round

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('confidence_vote', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'kind',
                sa.Enum(
                    'confidence', 'election', name='votekind', native_enum=False,
                    create_constraint=True, length=30,
                ),
                server_default='confidence',
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column('election', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('previous_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('round_no', sa.Integer(), server_default=sa.text('1'), nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_confidence_vote_previous_id_confidence_vote'),
            'confidence_vote',
            ['previous_id'],
            ['id'],
        )
        batch_op.create_check_constraint(op.f('ck_confidence_vote_round_no_positive'), 'round_no >= 1')


def downgrade():
    with op.batch_alter_table('confidence_vote', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_confidence_vote_round_no_positive'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_confidence_vote_previous_id_confidence_vote'), type_='foreignkey'
        )
        batch_op.drop_column('round_no')
        batch_op.drop_column('previous_id')
        batch_op.drop_column('election')
        batch_op.drop_constraint(op.f('ck_confidence_vote_votekind'), type_='check')
        batch_op.drop_column('kind')
