"""account findings keep their message's catalogue id and parameters

Revision ID: 0009_account_messages
Revises: 0008_accounts (0008_accounts.py)
Create Date: 2026-12-04 12:05:00

Two nullable columns on account_findings, as findings got in 0007: a report
says an account's finding in its own language. Rows written before keep NULL
and are shown in their stored English.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_account_messages'
down_revision = '0008_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('account_findings', sa.Column('message_id', sa.Text(), nullable=True))
    op.add_column('account_findings', sa.Column('params', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('account_findings') as batch:
        batch.drop_column('params')
        batch.drop_column('message_id')
