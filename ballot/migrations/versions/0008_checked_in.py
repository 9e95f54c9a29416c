"""the desk records that a member's attendance was taken (checked in present or absent)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('vote_voter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_in', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Rows from before: a member marked present, or absent with a reason, was checked in.
    op.execute("UPDATE vote_voter SET checked_in = (present OR absence_reason IS NOT NULL)")


def downgrade():
    with op.batch_alter_table('vote_voter', schema=None) as batch_op:
        batch_op.drop_column('checked_in')
