"""Config validation: every bad file gives one line naming the key, and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from govsite.config import DEFAULT_CONFIG_PATH, ConfigError, load_config


def write_config(tmp_path: Path, patch: dict) -> Path:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    for dotted, value in patch.items():
        node = data
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_config_loads_and_every_rule_section_is_present() -> None:
    config = load_config()
    assert config.scoring.pass_score == 60
    assert config.scoring.base_score == 100
    assert config.crawl.max_pages_per_site >= 1
    assert config.checks["site-unreachable"]["home_timeout_s"] == 15


@pytest.mark.parametrize(("patch", "expected"), [
    ({"crawl.max_pagess": 5}, "crawl.max_pagess: unknown key"),
    ({"crawl.max_pages_per_site": "many"}, "crawl.max_pages_per_site: input should be a valid integer"),
    ({"crawl.max_pages_per_site": 0}, "crawl.max_pages_per_site: input should be greater than or equal to 1"),
    ({"render.policy": "sometimes"}, "render.policy: input should be 'never', 'auto' or 'always'"),
    ({"scoring.deductions": {"x": {"points": -1, "cap": 1}}}, "scoring.deductions.x.points"),
    ({"storage": "sqlite:///x.db"}, "storage: input should be a valid dictionary"),
])
def test_bad_values_name_the_key(tmp_path: Path, patch: dict, expected: str) -> None:
    path = write_config(tmp_path, patch)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("crawl:\n  max_depth: [1,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line"):
        load_config(broken)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just a string\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(scalar)


@pytest.mark.slow
@pytest.mark.parametrize(("patch", "expected"), [
    ({"crawl.max_depth": "deep"}, "crawl.max_depth"),
    ({"checks.no-such-check": {"enabled": True}}, "checks.no-such-check: unknown check"),
    ({"checks.site-unreachable.home_timeout": 15}, "checks.site-unreachable.home_timeout: unknown key"),
    ({"checks.site-unreachable.home_timeout_s": -1}, "checks.site-unreachable.home_timeout_s"),
])
def test_cli_exits_2_with_one_line(tmp_path: Path, cli, patch: dict, expected: str) -> None:
    path = write_config(tmp_path, patch)
    result = cli("--config", str(path), "checks", "list", db=tmp_path / "t.db")
    assert result.code == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_cli_other_config_file_is_used(tmp_path: Path, cli) -> None:
    path = write_config(tmp_path, {"checks.site-unreachable.enabled": False})
    result = cli("--config", str(path), "checks", "list", db=tmp_path / "t.db")
    assert result.code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if "site-unreachable" in line)
    assert " no " in row
