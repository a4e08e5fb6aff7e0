"""Config validation: every bad file gives one line naming the key, and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from govsite.config import DEFAULT_CONFIG_PATH, Config, ConfigError, load_config


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


def _models(model: type[BaseModel]):
    yield model
    for field in model.model_fields.values():
        inner = field.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _models(inner)


def test_defaults_live_in_the_bundled_file_only() -> None:
    """No built-in model states a default of its own that the bundled file could
    contradict: every field is required and the bundled file gives it; the few
    that keep a code default (the check contract's) agree with the file."""
    from govsite.checks.base import CheckSettings
    from govsite.checks.registry import available_checks

    bundled = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    for model in _models(Config):
        coded = {name for name, f in model.model_fields.items()
                 if not f.is_required() and name != "source"}
        assert not coded, f"{model.__name__} has code defaults: {sorted(coded)}"
    for check_id, cls in available_checks().items():
        block = bundled["checks"][check_id]  # every built-in check has its block
        for name, f in cls.Settings.model_fields.items():
            if f.is_required():
                assert name in block, f"checks.{check_id}.{name} missing from config.yaml"
            elif name in block and name not in CheckSettings.model_fields:
                assert block[name] == f.default, (check_id, name)
            else:
                assert name in CheckSettings.model_fields, (check_id, name)
        assert cls().settings == cls.Settings.model_validate(block)


def test_a_one_key_user_file_changes_that_key_only(tmp_path: Path) -> None:
    path = tmp_path / "stricter.yaml"
    path.write_text("scoring: {pass_score: 70}\n", encoding="utf-8")
    base = load_config().model_dump(mode="json")
    config = load_config(path)
    changed = config.model_dump(mode="json")
    assert changed["scoring"].pop("pass_score") == 70
    assert base["scoring"].pop("pass_score") == 60
    assert changed == base  # skip_extensions, deductions, user agent all kept
    assert config.origin("scoring.pass_score") == "file" and config.source == str(path)
    assert config.origin("crawl.skip_extensions") == "default"


def test_a_list_or_rule_in_the_user_file_replaces_that_key_only(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    path.write_text("crawl: {skip_extensions: [pdf]}\n"
                    "scoring: {deductions: {reply-overdue: {points: 2, cap: 4}}}\n"
                    "checks: {empty-column: {veto_threshold: 3}}\n", encoding="utf-8")
    config = load_config(path)
    assert config.crawl.skip_extensions == ["pdf"]
    assert config.scoring.deductions["reply-overdue"].points == 2
    assert config.scoring.deductions["service-guide-time-limit"].cap == 5  # kept
    assert config.checks["empty-column"]["veto_threshold"] == 3
    assert config.checks["empty-column"]["enabled"] is True  # kept
    assert config.crawl.max_depth == load_config().crawl.max_depth


def test_db_url_from_environment_then_command_line(tmp_path: Path) -> None:
    env = {"GOVSITE_DB": "sqlite:///env.db"}
    assert load_config(environ=env).storage.url == "sqlite:///env.db"
    config = load_config(environ=env, db_url="sqlite:///cli.db")
    assert config.storage.url == "sqlite:///cli.db"
    assert config.origin("storage.url") == "command line --db"
    assert load_config(environ={}).origin("storage.url") == "default"


def test_config_show_names_where_each_value_came_from(tmp_path: Path, cli) -> None:
    path = tmp_path / "stricter.yaml"
    path.write_text("scoring: {pass_score: 70}\n", encoding="utf-8")
    result = cli("--config", str(path), "config", "show", db=tmp_path / "t.db")
    assert result.code == 0, result.stderr
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines()
            if line.startswith("│") and line.split("│")[1].strip()}
    assert "70" in rows["scoring.pass_score"] and "file" in rows["scoring.pass_score"]
    assert "stricter.yaml" in result.stdout.split("┏")[0].replace("\n", "")
    assert "default" in rows["crawl.max_depth"]
    assert "command line --db" in rows["storage.url"]
    assert "checks.empty-column.veto_threshold" in rows
