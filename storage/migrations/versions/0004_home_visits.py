"""monitoring: home_visits (govsite probe)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 09:00:00

A new table only: no existing table is touched.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'home_visits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('visited_at', sa.DateTime(), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('elapsed_s', sa.Float(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_home_visits_site_at', 'home_visits', ['site_id', 'visited_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_home_visits_site_at', table_name='home_visits')
    op.drop_table('home_visits')
