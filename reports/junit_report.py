"""JUnit XML for CI: a testsuite per site, a testcase per check the run
evaluated (plus one for the site's verdict), a <failure> per failing finding.

A finding fails under the same policy as the exit code (reports.outcome):
veto and deduct by default, or what --fail-on names, never one in the
baseline. Other findings are listed in the testcase's <system-out>. A site
that could not be judged has an <error> on its verdict testcase. A finding an
auditor dismissed is a <skipped> testcase of its own, saying by whom and why.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from govsite.reports.evidence import dismissal_text
from govsite.reports.outcome import Policy, site_fails

# Characters XML 1.0 cannot carry at all (crawled text may hold them).
_XML_BAD = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def _clean(text: Any) -> str:
    return str(text).translate(_XML_BAD)


def _finding_text(finding: dict[str, Any]) -> str:
    return _clean(f"{finding['url']}\n{finding['message']}\n"
                  f"fingerprint: {finding.get('fingerprint', '')}")


def render(report: dict[str, Any], *, policy: Policy | None = None, lang: str = "en",
           **_: Any) -> str:
    policy = policy or Policy()
    run = report["run"]
    root = ET.Element("testsuites", name=_clean(f"govsite run {run['id']} as of {run['as_of']}"))
    check_ids = [check["id"] for check in report.get("checks", [])]
    titles = {check["id"]: check["title"] for check in report.get("checks", [])}
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for site in report["sites"]:
        _suite(root, site["name"], {k: site.get(k) for k in ("url", "site_code", "verdict",
                                                              "score")},
               site, check_ids, titles, run, policy, totals, lang)
    for account in report.get("accounts", []):  # new-media accounts: a suite each too
        _suite(root, f"{account['platform']}: {account['name']}",
               {k: account.get(k) for k in ("platform", "account_id", "feed_url", "verdict",
                                            "score")},
               account, [], titles, run, policy, totals, lang)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") \
        + "\n"


def _suite(root: ET.Element, name: str, properties: dict[str, Any], site: dict[str, Any],
           check_ids: list[str], titles: dict[str, str], run: dict[str, Any],
           policy: Policy, totals: dict[str, int], lang: str) -> None:
    """A testsuite for one site or account: a testcase per check, one for the
    verdict, a skipped one per finding an auditor dismissed."""
    suite = ET.SubElement(root, "testsuite", name=_clean(name),
                          timestamp=_clean(run.get("started_at") or ""))
    props = ET.SubElement(suite, "properties")
    for key, value in properties.items():
        ET.SubElement(props, "property", name=key,
                      value=_clean("" if value is None else value))
    counts = {"tests": 0, "failures": 0, "errors": 0}
    by_check: dict[str, list[dict[str, Any]]] = {}
    for finding in site["findings"]:
        by_check.setdefault(finding["check"], []).append(finding)
    for check_id in [*check_ids, *sorted(set(by_check) - set(check_ids))]:
        case = ET.SubElement(suite, "testcase", name=_clean(check_id),
                             classname=_clean(name))
        counts["tests"] += 1
        notes = []
        for finding in by_check.get(check_id, []):
            if policy.counts(finding):
                failure = ET.SubElement(case, "failure", type=finding["severity"],
                                        message=_clean(finding["message"]))
                failure.text = _finding_text(finding)
                counts["failures"] += 1
            else:
                notes.append(f"[{finding['severity']}] {_finding_text(finding)}")
        if notes or check_id in titles:
            out = ET.SubElement(case, "system-out")
            out.text = _clean("\n\n".join([titles.get(check_id, check_id), *notes]))
    verdict = ET.SubElement(suite, "testcase", name="verdict", classname=_clean(name))
    counts["tests"] += 1
    reasons = "; ".join(site.get("reasons") or [])
    if site["verdict"] == "error":
        error = ET.SubElement(verdict, "error", type="not-judged",
                              message=_clean(f"not judged: {reasons}"))
        error.text = _clean(reasons)
        counts["errors"] += 1
    elif site_fails(site, policy):
        failure = ET.SubElement(verdict, "failure", type="unqualified",
                                message=_clean(f"unqualified: {reasons}"))
        failure.text = _clean(reasons)
        counts["failures"] += 1
    skipped = 0
    for finding in site.get("dismissed", []):
        case = ET.SubElement(suite, "testcase", classname=_clean(name),
                             name=_clean(f"{finding['check']} (dismissed)"))
        note = ET.SubElement(case, "skipped",
                             message=_clean(dismissal_text(finding["dismissal"], lang)))
        note.text = _finding_text(finding)
        counts["tests"] += 1
        skipped += 1
    for key, value in counts.items():
        suite.set(key, str(value))
        totals[key] += value
    suite.set("skipped", str(skipped))
