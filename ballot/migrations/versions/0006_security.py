"""security: published results, server-side sessions, attempt counters, keyed audit chain,
random code row ids

- confidence_vote.published_at: the chair's publication of the results;
- user_session: one row per logged-in browser (the SHA-256 of its cookie token);
- throttle: login and code-guessing counters, updated by compare-and-swap;
- audit_head.mac, and the existing chain re-hashed under the instance's audit key (HMAC),
  with one entry "audit.rekeyed" that keeps the old, unkeyed head so that a head printed
  before the upgrade can still be matched;
- ballot_code.id: random 62-bit integers instead of a sequence (BIGINT on PostgreSQL; on
  SQLite the INTEGER PRIMARY KEY is the rowid itself), and existing rows renumbered.

Revision ID: 0006
Revises: 0005
"""
import hashlib
import random
import secrets
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('confidence_vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('user_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('throttle',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('hits >= 0', name=op.f('ck_throttle_hits_non_negative')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_throttle'))
    )

    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
    _rekey_audit_chain()

    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('ALTER TABLE ballot_code ALTER COLUMN id DROP DEFAULT')
        op.execute('ALTER TABLE ballot_code ALTER COLUMN id TYPE BIGINT')
        op.execute('DROP SEQUENCE IF EXISTS ballot_code_id_seq')
    codes = sa.table('ballot_code', sa.column('id', sa.BigInteger()))
    ids = [row[0] for row in bind.execute(sa.select(codes.c.id))]
    random.SystemRandom().shuffle(ids)
    for old in ids:
        bind.execute(codes.update().where(codes.c.id == old).values(id=1 + secrets.randbelow(2**62)))


def _rekey_audit_chain():
    """Re-hash every entry under the audit key (HMAC), after checking the old chain."""
    from flask import current_app

    from ballot.audit.service import audit_key, entry_content, entry_hash, head_mac

    key = audit_key(current_app.config)
    bind = op.get_bind()
    entries = sa.table(
        'audit_entry', sa.column('id'), sa.column('seq'), sa.column('at', sa.DateTime(timezone=True)), sa.column('actor'),
        sa.column('actor_role'), sa.column('action'), sa.column('target'),
        sa.column('details', sa.JSON()), sa.column('prev_hash'), sa.column('hash'),
    )
    head = sa.table('audit_head', sa.column('id'), sa.column('seq'), sa.column('hash'), sa.column('mac'))
    rows = list(bind.execute(sa.select(entries).order_by(entries.c.seq)))
    old_prev, old_ok, new_prev = '0' * 64, True, '0' * 64
    for row in rows:
        content = entry_content(row.seq, row.at, row.actor, row.actor_role, row.action, row.target, row.details)
        old = hashlib.sha256(b'ballot/audit/v1\x00' + bytes.fromhex(old_prev) + content).hexdigest()
        old_ok = old_ok and row.prev_hash == old_prev and row.hash == old
        old_prev = row.hash
        new = entry_hash(new_prev, content, key)
        bind.execute(entries.update().where(entries.c.id == row.id).values(prev_hash=new_prev, hash=new))
        new_prev = new
    seq = rows[-1].seq if rows else 0
    if rows:  # the old head, kept under the key, so that paper printed before still matches
        seq += 1
        at = datetime.now(UTC)
        details = {'previous_seq': seq - 1, 'previous_head': old_prev, 'previous_chain_ok': old_ok}
        content = entry_content(seq, at, 'system', 'system', 'audit.rekeyed', 'audit', details)
        new = entry_hash(new_prev, content, key)
        bind.execute(entries.insert().values(
            seq=seq, at=at, actor='system', actor_role='system', action='audit.rekeyed',
            target='audit', details=details, prev_hash=new_prev, hash=new,
        ))
        new_prev = new
    if bind.execute(sa.select(head.c.id)).first() is None:
        bind.execute(head.insert().values(id=1, seq=seq, hash=new_prev, mac=head_mac(seq, new_prev, key)))
    else:
        bind.execute(head.update().where(head.c.id == 1).values(seq=seq, hash=new_prev, mac=head_mac(seq, new_prev, key)))


def downgrade():
    bind = op.get_bind()
    codes = sa.table('ballot_code', sa.column('id', sa.BigInteger()))
    ids = [row[0] for row in bind.execute(sa.select(codes.c.id))]
    random.SystemRandom().shuffle(ids)
    for number, old in enumerate(ids, start=1):  # small numbers again, still in no order
        bind.execute(codes.update().where(codes.c.id == old).values(id=-number))
    bind.execute(codes.update().values(id=-codes.c.id))
    if bind.dialect.name == 'postgresql':
        op.execute('ALTER TABLE ballot_code ALTER COLUMN id TYPE INTEGER')
        op.execute('CREATE SEQUENCE ballot_code_id_seq OWNED BY ballot_code.id')
        op.execute("ALTER TABLE ballot_code ALTER COLUMN id SET DEFAULT nextval('ballot_code_id_seq')")
        op.execute("SELECT setval('ballot_code_id_seq', COALESCE(MAX(id), 0) + 1, false) FROM ballot_code")

    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('mac')
    op.drop_table('throttle')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))

    op.drop_table('user_session')
    with op.batch_alter_table('confidence_vote', schema=None) as batch_op:
        batch_op.drop_column('published_at')
