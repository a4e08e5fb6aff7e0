"""Rectification tracking: each problem (a finding's fingerprint) across runs.

`update_problems` runs inside the transaction that writes a site's findings
(RunRecorder.write_result), so the `problems` table never disagrees with the
findings. Rules, in the order results are written:

- a tracked finding (veto, deduct, warn) not yet known opens a problem
  (first_seen_run); one already open is seen again (last_seen_run); one that
  was resolved is reopened (resolved_run cleared, `reopened` counted);
- an open problem of the site that this run did not find again is resolved
  by this run, but only when the run could have seen it: its check was
  evaluated (a recheck runs only some checks; a check that crashed proves
  nothing), and the site was reachable (when the home page does not open,
  every other problem stays open, neither seen nor resolved).

Rescore runs are what-if re-evaluations of stored evidence, not observations
of the site: they do not touch this table.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from govsite.checks.home import HOME_CHECK, home_failed
from govsite.storage.models import Problem

TRACKED_SEVERITIES = frozenset({"veto", "deduct", "warn"})


@dataclass(frozen=True)
class Observed:
    """One finding of a site as written: what tracking needs of it."""

    fingerprint: str
    check: str
    severity: str
    url: str
    message: str
    judged: bool = True  # False: the check could not judge this place (page unreadable)


@dataclass
class ProblemChanges:
    opened: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)


def can_resolve(check: str, checked: Collection[str] | None, gate_fired: bool) -> bool:
    """Could a run have seen a problem of this check, had it still been there?"""
    if gate_fired and check != HOME_CHECK:
        return False
    return checked is None or check in checked


def update_problems(session: Session, *, run_id: int, site_id: int,
                    findings: Iterable[Observed],
                    checked: Collection[str] | None = None) -> ProblemChanges:
    """Bring the site's problems up to date with this run's findings.

    `checked`: the ids of the checks this run evaluated without error (None:
    every check that exists). Flushes; the caller owns the transaction.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    current: dict[str, Observed] = {}
    unjudged: set[str] = set()  # places the run could not judge: neither seen nor resolved
    for finding in findings:
        if not finding.judged:
            unjudged.add(finding.fingerprint)
        elif finding.severity in TRACKED_SEVERITIES and (checked is None
                                                         or finding.check in checked):
            current.setdefault(finding.fingerprint, finding)
    gate_fired = home_failed(f.check for f in current.values())
    known = {p.fingerprint: p for p in session.scalars(select(Problem).where(or_(
        Problem.site_id == site_id, Problem.fingerprint.in_(list(current) or [""]))))}
    changes = ProblemChanges()
    for fp, finding in current.items():
        problem = known.get(fp)
        if problem is None:
            session.add(Problem(
                fingerprint=fp, site_id=site_id, check=finding.check,
                severity=finding.severity, url=finding.url, message=finding.message,
                first_seen_run_id=run_id, last_seen_run_id=run_id, resolved_run_id=None,
                reopened=0, updated_at=now))
            changes.opened.append(fp)
            continue
        if problem.resolved_run_id is not None:
            problem.resolved_run_id = None
            problem.reopened += 1
            changes.reopened.append(fp)
        else:
            changes.seen.append(fp)
        problem.site_id = site_id
        problem.last_seen_run_id = run_id
        problem.severity, problem.url, problem.message = (finding.severity, finding.url,
                                                          finding.message)
        problem.updated_at = now
    for fp, problem in known.items():
        if (fp in current or fp in unjudged or problem.site_id != site_id
                or problem.resolved_run_id is not None
                or not can_resolve(problem.check, checked, gate_fired)):
            continue
        problem.resolved_run_id = run_id
        problem.updated_at = now
        changes.resolved.append(fp)
    session.flush()
    return changes


def open_problems(session: Session, site_id: int) -> list[Problem]:
    """The site's problems not yet found resolved, oldest first."""
    return list(session.scalars(select(Problem).where(
        Problem.site_id == site_id, Problem.resolved_run_id.is_(None)).order_by(Problem.id)))
