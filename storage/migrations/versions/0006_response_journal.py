"""resume without fetching again: response_journal

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 08:30:00

A new table only: no existing table is touched.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'response_journal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=True),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('headers', sa.JSON(), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('encoding', sa.String(length=30), nullable=True),
        sa.Column('latency_s', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_journal_run_key', 'response_journal', ['run_id', 'key'])


def downgrade() -> None:
    op.drop_index('ix_journal_run_key', table_name='response_journal')
    op.drop_table('response_journal')
