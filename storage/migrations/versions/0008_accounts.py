"""new media: accounts, account_records, account_facts, account_findings, account_results

Revision ID: 0008_accounts
Revises: 0007_auditor (0007_auditor.py)
Create Date: 2026-12-04 08:30:00

New tables only: no existing table is touched.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_accounts'
down_revision = '0007_auditor'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('platform', sa.String(length=20), nullable=False),
        sa.Column('account_id', sa.String(length=200), nullable=False),
        sa.Column('organizer', sa.String(length=200), nullable=True),
        sa.Column('region', sa.String(length=100), nullable=True),
        sa.Column('feed_url', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('platform', 'account_id'),
    )
    op.create_table(
        'account_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('check', sa.String(length=60), nullable=False),
        sa.Column('result', sa.String(length=10), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('evidence_url', sa.Text(), nullable=True),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_account_records_account', 'account_records', ['account_id', 'as_of'],
                    unique=False)
    op.create_table(
        'account_facts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('check', sa.String(length=60), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_account_facts_run_account', 'account_facts', ['run_id', 'account_id'],
                    unique=False)
    op.create_table(
        'account_findings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('check', sa.String(length=60), nullable=False),
        sa.Column('severity', sa.String(length=10), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('evidence', sa.JSON(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_account_findings_run_account', 'account_findings',
                    ['run_id', 'account_id'], unique=False)
    op.create_index(op.f('ix_account_findings_fingerprint'), 'account_findings',
                    ['fingerprint'], unique=False)
    op.create_table(
        'account_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('verdict', sa.String(length=10), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('vetoes', sa.JSON(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('evaluated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'account_id'),
    )
    op.create_index(op.f('ix_account_results_run_id'), 'account_results', ['run_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_account_results_run_id'), table_name='account_results')
    op.drop_table('account_results')
    op.drop_index(op.f('ix_account_findings_fingerprint'), table_name='account_findings')
    op.drop_index('ix_account_findings_run_account', table_name='account_findings')
    op.drop_table('account_findings')
    op.drop_index('ix_account_facts_run_account', table_name='account_facts')
    op.drop_table('account_facts')
    op.drop_index('ix_account_records_account', table_name='account_records')
    op.drop_table('account_records')
    op.drop_table('accounts')
