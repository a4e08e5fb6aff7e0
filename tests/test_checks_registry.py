"""The check registry: built-in checks, third-party plug-ins, per-check config."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import tight_config

pytestmark = pytest.mark.slow  # both tests run the CLI in a subprocess

PLUGIN = '''
from govsite.checks.base import Check, CheckSettings


class Settings(CheckSettings):
    min_words: int = 3


class NoSearchBox(Check):
    id = "no-search-box"
    title = "Site search (站内搜索)"
    indicator = "扣分: 功能设计 — 搜索 (RULES.md, Deduction items)"
    severity = "deduct"
    remediation = "Offer a site search on every page."
    Settings = Settings
'''


def install_plugin(root: Path) -> dict[str, str]:
    """A real distribution on sys.path that declares a govsite.checks entry point."""
    (root / "govsite_search_check.py").write_text(PLUGIN, encoding="utf-8")
    dist = root / "govsite_search_check-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: govsite-search-check\n"
                                   "Version: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[govsite.checks]\nno-search-box = govsite_search_check:NoSearchBox\n", encoding="utf-8")
    return {"PYTHONPATH": str(root)}


def test_checks_list_shows_every_builtin_check(tmp_path: Path, cli) -> None:
    result = cli("checks", "list", db=tmp_path / "c.db")
    assert result.code == 0, result.stderr
    for check_id in ("site-unreachable", "empty-column", "consultation-channel",
                     "reply-overdue", "service-guide-time-limit"):
        assert check_id in result.stdout


def test_a_plugin_check_loads_and_is_configured(tmp_path: Path, cli) -> None:
    env = install_plugin(tmp_path)
    listed = cli("checks", "list", db=tmp_path / "c.db", env=env)
    assert listed.code == 0, listed.stderr
    assert "no-search-box" in listed.stdout
    config = tight_config(tmp_path)
    text = config.read_text(encoding="utf-8").replace(
        "checks:\n", "checks:\n  no-search-box:\n    min_word: 2\n", 1)
    config.write_text(text, encoding="utf-8")
    typo = cli("--config", str(config), "checks", "list", db=tmp_path / "c.db", env=env)
    assert typo.code == 2 and "checks.no-search-box.min_word: unknown key" in typo.stderr


def test_the_json_schema_notes_every_checks_evidence() -> None:
    from helpers import SCHEMA

    from govsite.checks.registry import available_checks

    notes = SCHEMA["$defs"]["evidence"]["properties"]
    assert set(available_checks()) - {"noop"} <= set(notes)
