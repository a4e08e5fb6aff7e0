"""rectification tracking: problems table, runs.source_run_id (rescore)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:00:00

`runs.source_run_id` is added with a plain ALTER TABLE ... ADD COLUMN, never
a batch (copy-and-move) rebuild: on SQLite with foreign keys on, dropping the
old `runs` table during a rebuild would cascade-delete every page, fact and
finding of every run.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('runs', sa.Column('source_run_id', sa.Integer(), nullable=True))
    op.create_index('ix_runs_source_run_id', 'runs', ['source_run_id'], unique=False)
    op.create_table(
        'problems',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('check', sa.String(length=60), nullable=False),
        sa.Column('severity', sa.String(length=10), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('first_seen_run_id', sa.Integer(), nullable=False),
        sa.Column('last_seen_run_id', sa.Integer(), nullable=False),
        sa.Column('resolved_run_id', sa.Integer(), nullable=True),
        sa.Column('reopened', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['first_seen_run_id'], ['runs.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['last_seen_run_id'], ['runs.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resolved_run_id'], ['runs.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('fingerprint'),
    )
    op.create_index('ix_problems_site_open', 'problems', ['site_id', 'resolved_run_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_problems_site_open', table_name='problems')
    op.drop_table('problems')
    op.drop_index('ix_runs_source_run_id', table_name='runs')
    # Plain DROP COLUMN (SQLite >= 3.35), again never a table rebuild.
    op.drop_column('runs', 'source_run_id')
