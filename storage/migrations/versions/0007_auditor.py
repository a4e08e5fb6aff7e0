"""auditor experience: overrides with an audit trail, message ids, contacts, notices sent

Revision ID: 0007_auditor
Revises: 0006 (0006_response_journal.py)
Create Date: 2026-12-04 08:30:00

Columns are added with plain ALTER TABLE ... ADD COLUMN, never a batch
(copy-and-move) rebuild: on SQLite with foreign keys on, dropping an old
table during a rebuild would cascade-delete the rows that refer to it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_auditor'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sites', sa.Column('contact_email', sa.String(length=200), nullable=True))
    op.add_column('findings', sa.Column('message_id', sa.Text(), nullable=True))
    op.add_column('findings', sa.Column('params', sa.JSON(), nullable=True))
    op.add_column('findings', sa.Column('dismissal', sa.JSON(), nullable=True))
    op.add_column('problems', sa.Column('dismissed_at', sa.DateTime(), nullable=True))
    op.add_column('problems', sa.Column('dismissed_by', sa.String(length=100), nullable=True))
    op.add_column('problems', sa.Column('dismissed_reason', sa.Text(), nullable=True))
    op.add_column('problems', sa.Column('dismissed_kind', sa.String(length=20), nullable=True))
    op.add_column('problems', sa.Column('dismissed_until', sa.Date(), nullable=True))
    op.add_column('problems', sa.Column('notified_at', sa.DateTime(), nullable=True))
    op.create_table(
        'problem_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('problem_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=True),
        sa.Column('until', sa.Date(), nullable=True),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_problem_events_problem_id', 'problem_events', ['problem_id'],
                    unique=False)
    op.create_table(
        'notices_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('recipient', sa.String(length=200), nullable=False),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('problems', sa.JSON(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'site_id'),
    )


def downgrade() -> None:
    op.drop_table('notices_sent')
    op.drop_index('ix_problem_events_problem_id', table_name='problem_events')
    op.drop_table('problem_events')
    for column in ('notified_at', 'dismissed_until', 'dismissed_kind', 'dismissed_reason',
                   'dismissed_by', 'dismissed_at'):
        op.drop_column('problems', column)
    for column in ('dismissal', 'params', 'message_id'):
        op.drop_column('findings', column)
    op.drop_column('sites', 'contact_email')
