"""Fixtures shared by the tests: the CLI runner, the served estate, one estate crawl.

The estate fixtures serve and crawl: a test that uses them, directly or through
another fixture, is marked `slow`, and so is every test marked `browser`, so
`pytest -m "not slow"` (the fast subset) never starts a crawl nor a browser.
Collection stops with the tests' names when one is not.
"""

from __future__ import annotations

import os

import pytest
from helpers import AS_OF, run_cli, tight_config

from govsite.estate import EstateServer, build_estate, write_registry_csv

# The report's default language follows the locale (govsite.i18n.locale_lang): the
# tests expect the product's own default, Chinese, whatever this machine's locale.
os.environ["LC_ALL"] = "C.UTF-8"

CRAWL_FIXTURES = frozenset({"estate_server", "estate_run", "postgres", "redis"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [item.nodeid for item in items
                if (CRAWL_FIXTURES & set(getattr(item, "fixturenames", ()))
                    or item.get_closest_marker("browser") is not None)
                and item.get_closest_marker("slow") is None]
    if unmarked:
        raise pytest.UsageError("mark these tests @pytest.mark.slow: they use the estate "
                                "crawl fixtures (tests/conftest.py) or a browser:\n  "
                                + "\n  ".join(unmarked))


@pytest.fixture(scope="session")
def cli():
    return run_cli


@pytest.fixture(scope="session")
def estate_server():
    """The demo estate, every site on its own loopback address, for the whole session."""
    with EstateServer(build_estate()) as server:
        yield server


@pytest.fixture(scope="session")
def estate_run(estate_server, tmp_path_factory, cli):
    """One crawl of the whole estate through the CLI, shared by the tests that read it."""
    tmp = tmp_path_factory.mktemp("estate")
    db = tmp / "estate.db"
    registry = write_registry_csv(estate_server, tmp / "registry.csv")
    # Rendering as a user runs it: script-loaded columns are judged rendered
    # wherever a browser is found (CI installs one).
    config = tight_config(tmp, render="auto")
    assert cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
    output = tmp / "report.json"
    result = cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet", "--no-evidence",
                 "--format", "json", "--output", str(output), db=db, timeout=400)
    return db, result, output, estate_server, config


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server (Debian's) on loopback for the session (benchmarks/servers.py)."""
    from govsite.benchmarks.servers import PostgresServer

    with PostgresServer() as server:
        yield server


@pytest.fixture(scope="session")
def redis():
    """A real Redis server (Debian's) on loopback for the session (benchmarks/servers.py)."""
    from govsite.benchmarks.servers import RedisServer

    with RedisServer() as server:
        yield server


# The storage tests run on both backends; PostgreSQL's start makes them `slow`, so
# the fast subset needs no server.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A new, empty database's URL: an SQLite file, or a database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres").database()
