"""Open the store: engine, session factory and schema migrations.

SQLite by default (WAL, so reports can read while a crawl writes); any
SQLAlchemy URL works, PostgreSQL included. The schema is brought to the
latest alembic revision every time the store is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from govsite.i18n import msg

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


def _sqlite_pragmas(busy_timeout_s: float):  # type: ignore[no-untyped-def]
    """The connection settings every SQLite connection gets; the busy timeout is
    the configured one (storage.busy_timeout_s), not a constant."""
    def apply(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.close()
    return apply


_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*['\"]?([\w-]+|None)", re.M)


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest revision, read from the migration files themselves: alembic
    (with mako) costs every command ~10 MB and 0.3 s, needed only to upgrade."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((name, value) for name, value in _REVISION.findall(path.read_text("utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision", "None"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def known_revisions() -> set[str]:
    """Every revision this govsite's migrations know."""
    return {dict(_REVISION.findall(path.read_text("utf-8"))).get("revision", "")
            for path in (MIGRATIONS_DIR / "versions").glob("*.py")}


def _current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("select version_num from alembic_version")).scalar()
    except SQLAlchemyError:
        return None  # a new database


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest alembic revision."""
    head = head_revision()
    current = _current_revision(engine)
    if head is not None and current == head:
        return
    if current is not None and current not in known_revisions():
        raise StoreError(msg("the database's schema ({current}) is newer than this govsite's "
                             "({head}): upgrade govsite to use it", current=current, head=head))
    from alembic import command
    from alembic.config import Config as AlembicConfig

    alembic_cfg = AlembicConfig()
    alembic_cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        alembic_cfg.attributes["connection"] = connection
        command.upgrade(alembic_cfg, "head")


def open_store(url: str, *, busy_timeout_s: float = 30) -> Store:
    """Create the engine, migrate, and return the store; StoreError on failure
    (a database file that is not one, or was written by a newer govsite)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(msg("database URL not understood: {url}", url=repr(url))) from None
    kwargs: dict[str, object] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": busy_timeout_s}
    try:
        engine = create_engine(url, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_s))
        migrate(engine)
    except StoreError:
        raise
    except (SQLAlchemyError, OSError, ImportError) as exc:
        raise StoreError(msg("cannot open database {url}: {error}",
                             url=parsed.render_as_string(),
                             error=str(exc).splitlines()[0])) from None
    return Store(engine, sessionmaker(engine, expire_on_commit=False), url)
