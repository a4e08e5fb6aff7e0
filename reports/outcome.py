"""The exit code of every command that reports results, decided here and only here.

Like checkov's `get_exit_code`: the report, plus what the user asked for
(`--fail-on`, `--soft-fail`, `--baseline`), gives 0 or 1; usage, config and
tool errors are 2 and never reach this module.

- default (no --fail-on): the verdict. 1 when any inspected site is
  unqualified (`fail`) or could not be judged (`error`), or nothing was
  inspected; 0 otherwise.
- --fail-on veto|deduct|warn: 1 when any finding of that severity or a more
  serious one exists (veto > deduct > warn > info), or a site could not be
  judged; an unqualified verdict alone does not fail.
- --baseline FILE: findings whose fingerprint is in the baseline are known and
  accepted: they never fail. In verdict mode an unqualified site fails only
  through a veto or deduct finding absent from the baseline.
- --soft-fail: always 0 (the result is still printed and written).
- `report --compare A B`: 1 when B has a new problem at the threshold
  (--fail-on, default deduct) absent from the baseline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from govsite.i18n import msg

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("veto", "deduct", "warn")
RANK = {"veto": 0, "deduct": 1, "warn": 2, "info": 3}
VERDICT_SEVERITIES = ("veto", "deduct")  # the findings a verdict is made of
BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read; one line for the user."""


@dataclass(frozen=True)
class Policy:
    fail_on: str | None = None  # None: the verdict
    soft_fail: bool = False
    baseline: frozenset[str] = field(default_factory=frozenset)

    @property
    def threshold(self) -> str:
        """The least serious severity that fails (verdict mode: deduct)."""
        return self.fail_on or "deduct"

    def counts(self, finding: dict[str, Any]) -> bool:
        """Does this finding fail the run under this policy?"""
        return (RANK.get(finding["severity"], 9) <= RANK[self.threshold]
                and finding.get("fingerprint") not in self.baseline)


def failing_findings(site: dict[str, Any], policy: Policy) -> list[dict[str, Any]]:
    return [f for f in site["findings"] if policy.counts(f)]


def site_fails(site: dict[str, Any], policy: Policy) -> bool:
    if site["verdict"] == "error":
        return True
    if policy.fail_on is None:
        if site["verdict"] != "fail":
            return False
        return not policy.baseline or bool(failing_findings(site, policy))
    return bool(failing_findings(site, policy))


def get_exit_code(report: dict[str, Any], policy: Policy | None = None) -> int:
    """0 or 1 for a run report (or a compare report) under the policy."""
    policy = policy or Policy()
    if policy.soft_fail:
        return EXIT_OK
    if report.get("kind") == "compare":
        return EXIT_FAILED if any(policy.counts(p) for p in report["new"]) else EXIT_OK
    judged = [*report["sites"], *report.get("accounts", [])]  # accounts are judged alike
    if not judged:
        return EXIT_FAILED
    return EXIT_FAILED if any(site_fails(entry, policy) for entry in judged) else EXIT_OK


# ------------------------------------------------------------------ baselines
def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file accepts."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(msg("--baseline: {path}: file not found", path=str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(msg("--baseline: {path}: cannot read: {error}", path=str(path),
                                 error=str(exc))) from None
    except json.JSONDecodeError as exc:
        raise BaselineError(msg("--baseline: {path}: not JSON: {error} at line {line}",
                                path=str(path), error=exc.msg, line=exc.lineno)) from None
    prints = data.get("fingerprints") if isinstance(data, dict) else None
    if not isinstance(prints, list) or not all(isinstance(p, str) for p in prints):
        raise BaselineError(msg("--baseline: {path}: expected an object with a list of "
                                "\"fingerprints\" (write one with --create-baseline)",
                                path=str(path)))
    return frozenset(prints)


def baseline_data(report: dict[str, Any]) -> dict[str, Any]:
    """A baseline of the report's findings (info notes left out): fingerprints, and
    for the reader what each one was."""
    findings = sorted(
        ({"fingerprint": f["fingerprint"], "site": site["name"], "check": f["check"],
          "severity": f["severity"], "url": f["url"]}
         for site in [*report["sites"], *report.get("accounts", [])] for f in site["findings"]
         if f["severity"] != "info" and f.get("fingerprint")),
        key=lambda f: (f["site"], f["check"], f["url"], f["fingerprint"]))
    unique = sorted({f["fingerprint"] for f in findings})
    return {"version": BASELINE_VERSION, "run": (report.get("run") or {}).get("id"),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "fingerprints": unique, "findings": findings}


def write_baseline(report: dict[str, Any], path: Path) -> int:
    data = baseline_data(report)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
    except OSError as exc:
        raise BaselineError(msg("--create-baseline: cannot write {path}: {error}",
                                path=str(path), error=exc.strerror or str(exc))) from None
    return len(data["fingerprints"])
