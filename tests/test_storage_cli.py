"""Registry import through the CLI, the store's migrations, and the demo command."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import text

from govsite.storage.db import MIGRATIONS_DIR, head_revision, open_store


def alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config

GOOD = "name,url,site_code,organizer,region,kind\n" \
       "青山县人民政府,http://www.qingshan.gov.cn/,5301230001,青山县人民政府办公室,青山县,portal\n"
BAD_ROWS = GOOD + "白河县人民政府,ftp://www.baihe.gov.cn/,5301240001,白河县,白河县,portal\n" \
                  ",http://www.nameless.gov.cn/,,,,\n"


def registered(db: Path | str) -> list[tuple]:
    """The sites a database holds (an SQLite file, or any URL)."""
    store = open_store(db if isinstance(db, str) else f"sqlite:///{db}")
    try:
        with store.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(
                text("select name, url from sites order by id"))]
    finally:
        store.engine.dispose()


@pytest.mark.slow
def test_bad_rows_are_listed_and_nothing_is_imported(tmp_path: Path, cli, db_url: str) -> None:
    registry = tmp_path / "registry.csv"
    registry.write_text(BAD_ROWS, encoding="gbk")
    db = db_url
    result = cli("sites", "import", str(registry), db=db)
    assert result.code == 2
    assert "row 3:" in result.stderr and "row 4:" in result.stderr
    assert "nothing imported" in result.stderr
    assert registered(db) == []


@pytest.mark.slow
def test_skip_invalid_imports_the_good_rows(tmp_path: Path, cli, db_url: str) -> None:
    registry = tmp_path / "registry.csv"
    registry.write_text(BAD_ROWS, encoding="gbk")
    db = db_url
    result = cli("sites", "import", str(registry), "--skip-invalid", db=db)
    assert result.code == 1
    assert registered(db) == [("青山县人民政府", "http://www.qingshan.gov.cn/")]
    listing = cli("sites", "list", db=db)
    assert listing.code == 0 and "青山县人民政府" in listing.stdout


@pytest.mark.slow
def test_reimport_updates_by_url(tmp_path: Path, cli, db_url: str) -> None:
    registry = tmp_path / "registry.csv"
    db = db_url
    registry.write_text(GOOD, encoding="utf-8-sig")
    assert cli("sites", "import", str(registry), db=db).code == 0
    registry.write_text(GOOD.replace("青山县人民政府,http", "青山县政府门户,http"), encoding="utf-8")
    assert cli("sites", "import", str(registry), db=db).code == 0
    assert registered(db) == [("青山县政府门户", "http://www.qingshan.gov.cn/")]


@pytest.mark.slow
def test_unreadable_registry_exits_2(tmp_path: Path, cli) -> None:
    result = cli("sites", "import", str(tmp_path / "missing.csv"), db=tmp_path / "r.db")
    assert result.code == 2 and "Traceback" not in result.stderr


@pytest.mark.slow
def test_db_from_environment_and_bad_url(tmp_path: Path, cli) -> None:
    registry = tmp_path / "registry.csv"
    registry.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "env.db"
    result = cli("sites", "import", str(registry), env={"GOVSITE_DB": f"sqlite:///{db}"})
    assert result.code == 0 and len(registered(db)) == 1
    bad = cli("--db", "notadb://x", "sites", "list")
    assert bad.code == 2 and "database" in bad.stderr


def test_store_migrates_to_head_and_reopens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    open_store(url).engine.dispose()
    store = open_store(url)  # second open: already at head, nothing to do
    with store.engine.connect() as connection:
        version = connection.exec_driver_sql("select version_num from alembic_version").scalar()
        journal = connection.exec_driver_sql("pragma journal_mode").scalar()
        tables = {row[0] for row in connection.exec_driver_sql(
            "select name from sqlite_master where type='table'")}
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert journal == "wal"
    assert {"sites", "runs", "site_crawls", "pages", "offsite_links", "facts", "findings",
            "site_results"} <= tables


def test_the_migrations_build_exactly_the_models_schema(db_url: str) -> None:
    """A model changed without its migration (or the reverse) shows up here, on
    SQLite and on PostgreSQL: the same alembic migrations serve both."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from govsite.storage.models import Base

    store = open_store(db_url)
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        version = connection.execute(text("select version_num from alembic_version")).scalar()
    store.engine.dispose()
    assert differences == []
    assert version == head_revision()
    open_store(db_url).engine.dispose()  # at head: opens again without migrating


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


@pytest.mark.slow
def test_a_store_at_head_opens_without_loading_alembic_nor_a_crawl_playwright(
        tmp_path: Path) -> None:
    """A crawl without rendering loads neither alembic (only to upgrade),
    Playwright (only to render) nor the report formats' libraries."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'lazy.db'}"
    open_store(url).engine.dispose()  # created and migrated here
    probe = ("import sys\n"
             "from govsite.storage.db import open_store\n"
             "import govsite.cli, govsite.crawler.runner, govsite.crawler.spider\n"
             f"open_store({url!r})\n"
             "print(sorted(m for m in ('alembic', 'playwright', 'scrapy_playwright', 'openpyxl',"
             " 'jinja2') if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


@pytest.mark.slow
def test_demo_runs_and_prints_a_table(tmp_path: Path, cli) -> None:
    result = cli("demo", cwd=tmp_path, timeout=240)
    assert result.code == 0, result.stderr
    assert "青山县人民政府" in result.stdout and "检查结论" in result.stdout  # --lang zh, the default
    assert (tmp_path / "govsite-demo.db").exists()
