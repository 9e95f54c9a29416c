"""voting

Revision ID: 0002
Revises: 0001


"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('confidence_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('state', sa.Enum('draft', 'ceremony', 'ready', 'open', 'closed', 'counted', name='votestate', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('quorum_num', sa.Integer(), nullable=False),
    sa.Column('quorum_den', sa.Integer(), nullable=False),
    sa.Column('consider_num', sa.Integer(), nullable=False),
    sa.Column('consider_den', sa.Integer(), nullable=False),
    sa.Column('dismiss_num', sa.Integer(), nullable=False),
    sa.Column('dismiss_den', sa.Integer(), nullable=False),
    sa.Column('dismiss_inclusive', sa.Boolean(), nullable=False),
    sa.Column('blank_row_allowed', sa.Boolean(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('trustee_count', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('manifest', sa.JSON(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('ballots_cast', sa.Integer(), nullable=False),
    sa.Column('board_head', sa.String(length=64), nullable=True),
    sa.Column('closing', sa.JSON(), nullable=True),
    sa.Column('aggregate', sa.JSON(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('ballots_cast >= 0', name=op.f('ck_confidence_vote_ballots_cast_non_negative')),
    sa.CheckConstraint('quorum_num > 0 AND quorum_num <= quorum_den', name=op.f('ck_confidence_vote_quorum_fraction')),
    sa.CheckConstraint('threshold >= 1 AND threshold <= trustee_count', name=op.f('ck_confidence_vote_threshold_in_range')),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_confidence_vote_conference_id_conference')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confidence_vote')),
    sa.UniqueConstraint('public_id', name=op.f('uq_confidence_vote_public_id'))
    )
    with op.batch_alter_table('confidence_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_confidence_vote_conference_id'), ['conference_id'], unique=False)

    op.create_table('ballot_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Enum('issued', 'used', 'revoked', name='codestate', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('holder_tag', sa.String(length=64), nullable=True),
    sa.CheckConstraint("state = 'issued' OR holder_tag IS NULL OR state = 'revoked'", name=op.f('ck_ballot_code_used_code_has_no_holder')),
    sa.ForeignKeyConstraint(['vote_id'], ['confidence_vote.id'], name=op.f('fk_ballot_code_vote_id_confidence_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_ballot_code_code_hash'))
    )
    with op.batch_alter_table('ballot_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_code_holder_tag'), ['holder_tag'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_code_vote_id'), ['vote_id'], unique=False)

    op.create_table('board_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('tracker', sa.String(length=64), nullable=False),
    sa.Column('chain', sa.String(length=64), nullable=False),
    sa.Column('ballot', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['confidence_vote.id'], name=op.f('fk_board_entry_vote_id_confidence_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_entry')),
    sa.UniqueConstraint('vote_id', 'seq', name='uq_board_entry_vote_seq'),
    sa.UniqueConstraint('vote_id', 'tracker', name='uq_board_entry_vote_tracker')
    )
    with op.batch_alter_table('board_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_entry_vote_id'), ['vote_id'], unique=False)

    op.create_table('board_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('point', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['vote_id'], ['confidence_vote.id'], name=op.f('fk_board_point_vote_id_confidence_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_point')),
    sa.UniqueConstraint('vote_id', 'point', name='uq_board_point_vote_point')
    )
    op.create_table('vote_subject',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_vote_subject_member_id_member')),
    sa.ForeignKeyConstraint(['vote_id'], ['confidence_vote.id'], name=op.f('fk_vote_subject_vote_id_confidence_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_subject')),
    sa.UniqueConstraint('vote_id', 'rank', name='uq_vote_subject_vote_rank')
    )
    with op.batch_alter_table('vote_subject', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_subject_vote_id'), ['vote_id'], unique=False)

    op.create_table('vote_trustee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('is_chair', sa.Boolean(), nullable=False),
    sa.Column('commit_message', sa.JSON(), nullable=True),
    sa.Column('share_messages', sa.JSON(), nullable=True),
    sa.Column('done_message', sa.JSON(), nullable=True),
    sa.Column('decryption_share', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_vote_trustee_user_id_user_account')),
    sa.ForeignKeyConstraint(['vote_id'], ['confidence_vote.id'], name=op.f('fk_vote_trustee_vote_id_confidence_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_trustee')),
    sa.UniqueConstraint('vote_id', 'index', name='uq_vote_trustee_vote_index'),
    sa.UniqueConstraint('vote_id', 'user_id', name='uq_vote_trustee_vote_user')
    )
    with op.batch_alter_table('vote_trustee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_trustee_vote_id'), ['vote_id'], unique=False)

    op.create_table('vote_voter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.String(length=255), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('has_code', sa.Boolean(), nullable=False),
    sa.Column('reissued', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_vote_voter_member_id_member')),
    sa.ForeignKeyConstraint(['vote_id'], ['confidence_vote.id'], name=op.f('fk_vote_voter_vote_id_confidence_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_voter')),
    sa.UniqueConstraint('vote_id', 'rank', name='uq_vote_voter_vote_rank')
    )
    with op.batch_alter_table('vote_voter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_voter_vote_id'), ['vote_id'], unique=False)



def downgrade():
    with op.batch_alter_table('vote_voter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_voter_vote_id'))

    op.drop_table('vote_voter')
    with op.batch_alter_table('vote_trustee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_trustee_vote_id'))

    op.drop_table('vote_trustee')
    with op.batch_alter_table('vote_subject', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_subject_vote_id'))

    op.drop_table('vote_subject')
    op.drop_table('board_point')
    with op.batch_alter_table('board_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_entry_vote_id'))

    op.drop_table('board_entry')
    with op.batch_alter_table('ballot_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_code_vote_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_code_holder_tag'))

    op.drop_table('ballot_code')
    with op.batch_alter_table('confidence_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_confidence_vote_conference_id'))

    op.drop_table('confidence_vote')
