"""rendering: pages.needs_render, pages.render_reason, pages.render_error

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 08:00:00

Plain ALTER TABLE ... ADD COLUMN (no batch rebuild: on SQLite with foreign
keys on, rebuilding `pages` is needless and rebuilding a parent table would
cascade-delete its children). `needs_render` gets a server default so
existing rows read as "did not need rendering".
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('pages', sa.Column('needs_render', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column('pages', sa.Column('render_reason', sa.String(length=300), nullable=True))
    op.add_column('pages', sa.Column('render_error', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pages') as batch:
        batch.drop_column('render_error')
        batch.drop_column('render_reason')
        batch.drop_column('needs_render')
