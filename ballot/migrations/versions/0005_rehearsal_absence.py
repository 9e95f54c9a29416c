"""a vote may be a rehearsal; an absent voter's reason

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('confidence_vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rehearsal', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('vote_voter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('absence_reason', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('vote_voter', schema=None) as batch_op:
        batch_op.drop_column('absence_reason')
    with op.batch_alter_table('confidence_vote', schema=None) as batch_op:
        batch_op.drop_column('rehearsal')
