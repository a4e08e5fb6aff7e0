"""Fixtures shared by the tests: the CLI runner, the served estate, one estate crawl."""

from __future__ import annotations

import pytest
from helpers import AS_OF, run_cli, tight_config

from govsite.estate import EstateServer, build_estate, write_registry_csv


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


# Fixtures that start servers, crawl or run the CLI in a subprocess: a test
# using one is end-to-end, and `pytest -m "not slow"` leaves it out.
END_TO_END_FIXTURES = frozenset({
    "cli", "estate_server", "estate_run", "estate_report", "estate_copy", "rendered_run",
    "trap_run", "tiny", "synthetic", "crawls", "one_site", "scripted_site", "server",
    "html_report", "answers"})


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if END_TO_END_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
