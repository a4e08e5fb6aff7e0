"""Scoring by the national indicators, and `govsite rescore` of a stored estate crawl."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import SCHEMA
from synthetic import invoke

from govsite.checks.base import Check, Finding, SiteEvidence, SiteInfo
from govsite.config import DEFAULT_CONFIG_PATH, DeductionRule, load_config
from govsite.scoring.score import judge_site, score_site


def f(check: str, severity: str, n: int = 0) -> Finding:
    return Finding(check, severity, f"http://www.example.gov.cn/p{n}.html", "msg", {"key": n})


# ------------------------------------------------------------------ the rules
def test_a_single_veto_makes_the_site_unqualified_whatever_the_score() -> None:
    rules = load_config().scoring
    verdict = score_site([f("site-unreachable", "veto")], rules)
    assert verdict.verdict == "fail" and verdict.score == 100
    assert verdict.vetoes == ["site-unreachable"]
    assert verdict.reasons == ["single veto: site-unreachable"]


def test_deductions_are_capped_per_item_by_the_configured_rules() -> None:
    rules = load_config().scoring
    assert rules.deductions["reply-overdue"] == DeductionRule(points=1, cap=3)
    verdict = score_site([f("reply-overdue", "deduct", i) for i in range(7)]
                         + [f("service-guide-time-limit", "deduct", i) for i in range(2)]
                         + [f("unruled-check", "deduct", i) for i in range(9)], rules)
    # 7 late replies: capped at 3; 2 guides: 2; a check without a rule: default cap 5
    assert verdict.score == 100 - 3 - 2 - 5
    assert "-3 reply-overdue" in verdict.reasons and verdict.verdict == "pass"
    assert verdict.counts == {"deduct": 18}


def test_a_score_below_the_pass_line_is_unqualified() -> None:
    rules = load_config().scoring.model_copy(update={"deductions": {
        "service-guide-time-limit": DeductionRule(points=15, cap=45)}})
    verdict = score_site([f("service-guide-time-limit", "deduct", i) for i in range(3)], rules)
    assert verdict.score == 55 and verdict.verdict == "fail"
    assert verdict.reasons[-1] == "score 55 below 60"
    warn_only = score_site([f("empty-column", "warn", i) for i in range(4)], rules)
    assert warn_only.verdict == "pass" and warn_only.score == 100  # warnings never deduct


def test_portal_bonus_is_optional_and_never_rescues_a_veto() -> None:
    rules = load_config().scoring
    assert rules.portal_bonus_enabled is False
    assert score_site([], rules, kind="portal", bonus=10).score == 100
    bonus = rules.model_copy(update={"portal_bonus_enabled": True})
    assert score_site([], bonus, kind="portal", bonus=50).score == 130  # capped at 30
    assert score_site([], bonus, kind="department", bonus=10).score == 100
    vetoed = score_site([f("site-unreachable", "veto")], bonus, kind="portal", bonus=30)
    assert vetoed.verdict == "fail" and vetoed.score == 100


def test_every_scoring_number_in_config_yaml_names_its_source() -> None:
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    block = text[text.index("\nscoring:"):].split("\nnotice:")[0]
    lines = block.splitlines()
    rules = yaml.safe_load(text)["scoring"]["deductions"]
    assert {"reply-overdue", "service-guide-time-limit"} <= set(rules)
    for key in rules:
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{key}:"))
        comment = []
        for line in reversed(lines[:at]):
            if not line.strip().startswith("#"):
                break
            comment.append(line)
        said = " ".join(comment)
        assert "[2019]" in said and ("govsite default" in said or re.search(r"-\d", said)), key
    for key in ("base_score", "pass_score", "portal_bonus_max", "portal_bonus_min_score"):
        line = next(line for line in lines if line.strip().startswith(f"{key}:"))
        assert "# [2019]" in line, key


class Exploding(Check):
    id = "exploding"
    title = "Exploding (爆炸)"
    indicator = "test"
    severity = "deduct"
    remediation = "none"
    requires_home_page = False

    def evaluate(self, site: SiteEvidence):
        raise RuntimeError("boom")


def test_a_check_that_fails_to_evaluate_leaves_the_site_not_judged() -> None:
    from govsite.checks.site_unreachable import SiteUnreachable

    site = SiteInfo(1, "某县", "http://www.example.gov.cn/", "www.example.gov.cn")
    judged = judge_site([SiteUnreachable(), Exploding()], site, None, [], [],
                        load_config().scoring)
    assert judged.verdict.verdict == "error" and judged.broken == ["exploding"]
    assert judged.checked == ["site-unreachable"]
    assert "checks failed: exploding" in judged.verdict.reasons


# ------------------------------------------------------------------ rescore
def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy of a WAL database (the session's estate crawl stays untouched)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def config_with(tmp: Path, base: Path, name: str, **scoring) -> Path:
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    data["scoring"].update(scoring)
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def estate_copy(estate_run, tmp_path_factory):
    db, result, _output, _server, config = estate_run
    assert result.code in (0, 1), result.stderr
    tmp = tmp_path_factory.mktemp("rescore")
    return copy_db(db, tmp / "estate.db"), config, tmp


@pytest.mark.slow
def test_rescore_under_the_same_rules_reproduces_the_run(estate_copy, cli) -> None:
    db, config, _ = estate_copy
    [(source,)] = rows(db, "select max(id) from runs where command = 'crawl'")
    before = rows(db, "select site_id, verdict, score from site_results where run_id = ? "
                      "order by site_id", source)
    result = cli("rescore", "--run", str(source), "--config", str(config), "--format", "json",
                 db=db)
    assert result.code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    new = report["run"]["id"]
    assert report["run"]["command"] == "rescore" and report["run"]["source_run"] == source
    assert "0 verdict(s) changed" in result.stderr
    assert rows(db, "select site_id, verdict, score from site_results where run_id = ? "
                    "order by site_id", new) == before
    prints = "select fingerprint, severity from findings where run_id = ? order by 1, 2"
    assert rows(db, prints, new) == rows(db, prints, source)
    # the source run is untouched, and the rescore run holds no evidence of its own
    assert rows(db, "select site_id, verdict, score from site_results where run_id = ? "
                    "order by site_id", source) == before
    assert rows(db, "select count(*) from pages where run_id = ?", new) == [(0,)]


@pytest.mark.slow
def test_rescore_under_changed_rules_is_a_new_run_both_visible(estate_copy, cli) -> None:
    db, config, tmp = estate_copy
    [(source,)] = rows(db, "select min(id) from runs where command = 'crawl'")
    strict = config_with(tmp, config, "strict.yaml", pass_score=101)
    result = invoke("--config", str(strict), "rescore", "--run", str(source), "--format", "json",
                 db=db)
    assert result.code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["passed"] == 0
    old = json.loads(invoke("report", "--run", str(source), "--format", "json", db=db).stdout)
    assert f"{old['summary']['passed']} verdict(s) changed" in result.stderr
    assert report["run"]["config_hash"] != rows(db, "select config_hash from runs where id = ?",
                                                source)[0][0]
    assert any(reason.startswith("score ") for s in report["sites"] for reason in s["reasons"])
    # compare the two: the same problems, nothing new or resolved (same evidence)
    compare = invoke("report", "--compare", str(source), str(report["run"]["id"]), "--format",
                  "json", db=db)
    summary = json.loads(compare.stdout)["summary"]
    assert summary["new"] == 0 and summary["resolved"] == 0, summary
    # rescore of the rescore: its evidence is still the crawl's
    again = invoke("rescore", "--run", str(report["run"]["id"]), "--config", str(config),
                "--format", "json", db=db)
    assert again.code in (0, 1), again.stderr
    assert json.loads(again.stdout)["sites"] == old["sites"]


@pytest.mark.slow
def test_rescore_needs_no_network(estate_copy, monkeypatch) -> None:
    from govsite.scoring.rescore import rescore_run
    from govsite.storage.db import open_store

    db, config, _ = estate_copy
    [(source,)] = rows(db, "select min(id) from runs where command = 'crawl'")
    store = open_store(f"sqlite:///{db}")

    def no_network(*_args, **_kwargs):
        raise AssertionError("rescore tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    new = rescore_run(store, load_config(config), source)
    store.engine.dispose()
    assert rows(db, "select command, source_run_id, status from runs where id = ?", new) == [
        ("rescore", source, "done")]


def test_rescore_refuses_an_unknown_run(tmp_path, cli) -> None:
    result = invoke("rescore", "--run", "42", db=tmp_path / "empty.db")
    assert result.code == 2 and "run 42 not found" in result.stderr
