"""Open the store: engine, session factory and schema migrations.

SQLite by default (WAL, so reports can read while a crawl writes); any
SQLAlchemy URL works, PostgreSQL included. The schema is brought to the
latest alembic revision every time the store is opened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class StoreError(Exception):
    """The database cannot be opened or migrated; one line for the user."""


@dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]
    url: str

    @property
    def evidence_root(self) -> Path:
        """Where evidence lives: beside an SQLite file, else the working directory."""
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(url.database).resolve().parent
        return Path.cwd()


def resolve_url(cli_url: str | None, config_url: str) -> str:
    """--db wins over GOVSITE_DB, which wins over config.yaml."""
    return cli_url or os.environ.get("GOVSITE_DB") or config_url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest alembic revision."""
    alembic_cfg = AlembicConfig()
    alembic_cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        alembic_cfg.attributes["connection"] = connection
        command.upgrade(alembic_cfg, "head")


def open_store(url: str) -> Store:
    """Create the engine, migrate, and return the store; StoreError on failure."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"database URL not understood: {url!r}") from None
    kwargs: dict[str, object] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    try:
        engine = create_engine(url, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        migrate(engine)
    except (SQLAlchemyError, OSError, ImportError) as exc:
        raise StoreError(f"cannot open database {parsed.render_as_string()}: "
                         f"{str(exc).splitlines()[0]}") from None
    return Store(engine, sessionmaker(engine, expire_on_commit=False), url)
