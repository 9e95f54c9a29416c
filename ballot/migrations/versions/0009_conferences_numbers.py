"""conferences as first-class data; an organ's document-number register

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

from ballot.db import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('symbol', sa.String(length=20), nullable=True))
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('convening_organ', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('term', sa.String(length=120), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_conference_ends_after_it_starts'), 'ends_on IS NULL OR ends_on >= held_on'
        )
        batch_op.create_check_constraint(
            op.f('ck_conference_number_positive'), 'number IS NULL OR number >= 1'
        )
    op.create_table(
        'document_number',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=80), nullable=False),
        sa.Column('symbol', sa.String(length=20), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint('number >= 1', name=op.f('ck_document_number_number_positive')),
        sa.ForeignKeyConstraint(
            ['organisation_id'],
            ['organisation.id'],
            name=op.f('fk_document_number_organisation_id_organisation'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_number')),
        sa.UniqueConstraint(
            'organisation_id', 'year', 'kind', 'number', name='uq_document_number_in_register'
        ),
        sa.UniqueConstraint('kind', 'subject', name='uq_document_number_kind_subject'),
    )
    with op.batch_alter_table('document_number', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_document_number_organisation_id'), ['organisation_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('document_number', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_number_organisation_id'))
    op.drop_table('document_number')
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_conference_number_positive'), type_='check')
        batch_op.drop_constraint(op.f('ck_conference_ends_after_it_starts'), type_='check')
        batch_op.drop_column('term')
        batch_op.drop_column('convening_organ')
        batch_op.drop_column('ends_on')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('symbol')
