"""Alembic environment: runs on the connection govsite hands it (see storage.db)."""

from alembic import context

from govsite.storage.models import Base

connection = context.config.attributes.get("connection")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
