"""Precision and recall of each mission check against the estate's ground truth.

The estate plants each problem in at least three CMS templates, with decoys
that must not be flagged. A finding counts when its check and location match
a planted flag; a finding elsewhere is a false positive. Pages whose list is
loaded by script can only be judged rendered: without a browser the check
must say "not judged" there (a warn), never call the column empty.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from helpers import SCHEMA

pytestmark = pytest.mark.slow  # every test reads the session's estate crawl

MISSION_CHECKS = ("empty-column", "consultation-channel", "reply-overdue",
                  "service-guide-time-limit")


def located(report: dict, server) -> dict[tuple[str, str, str], dict]:
    """Judged findings by (estate site name, check, path)."""
    titles = {spec.title: spec.name for spec in server.sites}
    found = {}
    for site in report["sites"]:
        name = titles[site["name"]]
        for finding in site["findings"]:
            if finding["evidence"].get("judged") is False:
                continue
            url = urlsplit(finding["url"])
            path = url.path + (f"?{url.query}" if url.query else "")
            if finding["check"] == "consultation-channel":
                path = "/"
            found[(name, finding["check"], path)] = finding
    return found


def unjudged(report: dict, server) -> set[tuple[str, str, str]]:
    titles = {spec.title: spec.name for spec in server.sites}
    return {(titles[site["name"]], f["check"], urlsplit(f["url"]).path)
            for site in report["sites"] for f in site["findings"]
            if f["evidence"].get("judged") is False}


@pytest.fixture(scope="module")
def estate_report(estate_run):
    _db, result, output, server, _config = estate_run
    assert result.code in (0, 1), result.stderr
    return json.loads(output.read_text(encoding="utf-8")), server


@pytest.mark.parametrize("check", (*MISSION_CHECKS, "wording-errors", "home-not-updated",
                                   "site-identifiers", "service-guide-elements",
                                   "column-stale", "search-function",
                                   "hidden-links", "broken-link"))
def test_precision_and_recall_are_perfect(estate_report, check) -> None:
    report, server = estate_report
    # A check that crashed leaves a warning at the site's URL: it found nothing.
    assert not [s["name"] for s in report["sites"] if f"checks failed: {check}" in s["reasons"]]
    truth = server.estate.truth_for(check=check)
    flags = {(t.site, t.check, t.path) for t in truth if t.expect == "flag"}
    decoys = {(t.site, t.check, t.path) for t in truth if t.expect == "decoy"}
    needs_render = {(t.site, t.check, t.path) for t in truth
                    if t.expect == "flag" and "needs render" in t.note}
    found = {key for key in located(report, server) if key[1] == check}
    rendered = report["run"]["stats"].get("pages_rendered", 0) > 0
    expected = flags if rendered else flags - needs_render
    true_positives = found & expected
    precision = len(true_positives) / len(found) if found else 1.0
    recall = len(true_positives) / len(expected) if expected else 1.0
    assert not found & decoys, f"decoys flagged: {sorted(found & decoys)}"
    assert precision == 1.0, f"false positives: {sorted(found - expected)}"
    assert recall == 1.0, f"missed: {sorted(expected - found)}"
    if not rendered:
        assert needs_render <= unjudged(report, server), "script-loaded columns must be 'not judged'"


def test_each_problem_is_planted_in_three_templates(estate_report) -> None:
    _report, server = estate_report
    templates = {spec.name: spec.template for spec in server.sites}
    for check in MISSION_CHECKS:
        flagged = {templates[t.site] for t in server.estate.truth_for(check=check, expect="flag")}
        assert len(flagged) >= 3, (check, flagged)


def test_hidden_links_are_judged_on_the_rendered_pages_by_severity(estate_report) -> None:
    """The gambling links veto the GBK site (home page and an article, by display:none
    and a <style> class); plain ones deduct on TRS sites (same colour, off-screen,
    font-size 0); the decoy sites get no hidden-links finding at all."""
    report, server = estate_report
    assert report["run"]["stats"].get("pages_rendered", 0) > 0, "this test needs Chromium"
    titles = {spec.title: spec.name for spec in server.sites}
    found: dict[str, set[tuple[str, str]]] = {}
    for site in report["sites"]:
        for f in site["findings"]:
            if f["check"] == "hidden-links":
                found.setdefault(titles[site["name"]], set()).add((f["severity"],
                                                                   f["evidence"]["how"]))
    assert found == {
        "songling": {("veto", "display:none"), ("veto", "off-screen")},
        "qingshan": {("deduct", "same colour as background"), ("deduct", "font-size:0")},
        "linshui-fgw": {("deduct", "off-screen")},
    }
    templates = {spec.name: spec.template for spec in server.sites}
    planted = server.estate.truth_for(check="hidden-links")
    assert {templates[t.site] for t in planted if t.expect == "flag"} == {"trs", "oldgbk"}
    assert {templates[t.site] for t in planted if t.expect == "decoy"} == {"trs", "oldgbk"}


def test_evidence_fields_follow_the_contract(estate_report) -> None:
    report, _server = estate_report
    required = {
        "empty-column": {"via", "reason", "column"},
        "consultation-channel": {"candidates"},
        "reply-overdue": {"title", "asked", "replied", "working_days", "status"},
        "service-guide-time-limit": {"problem"},
        "search-function": {"problem", "query", "url"},
        "hidden-links": {"target", "text", "how"},
        "broken-link": {"target", "pages", "count", "status", "error", "state"},
        "site-identifiers": {"missing", "wrong"},
        "service-guide-elements": {"guide", "missing"},
        "column-stale": {"column", "class", "newest"},
    }
    seen = set()
    for site in report["sites"]:
        for finding in site["findings"]:
            fields = required.get(finding["check"])
            if fields and finding["evidence"].get("judged") is not False:
                assert fields <= set(finding["evidence"]), finding
                seen.add(finding["check"])
    assert seen == set(required)


def test_every_evidence_field_is_documented_in_the_schema(estate_report) -> None:
    """The JSON schema's notes name every field a built-in check writes."""
    report, _server = estate_report
    notes = SCHEMA["$defs"]["evidence"]["properties"]
    for site in report["sites"]:
        for finding in site["findings"]:
            documented = set(notes[finding["check"]]["properties"])
            assert set(finding["evidence"]) <= documented, (finding["check"],
                                                            set(finding["evidence"]) - documented)
