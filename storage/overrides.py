"""An auditor's overrides of problems: dismiss (a false positive, an accepted
exception), restore, and the audit trail of who did what, when and why.

A dismissal lives on the problem (its fingerprint), so it follows the finding
into every later run and rescore for as long as the fingerprint matches and
`until` (inclusive, compared with the run's as-of date) has not passed.
Judging (scoring.judge) asks `active_dismissals`; every change is added to
`problem_events`, never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govsite.i18n import msg
from govsite.storage.db import Store
from govsite.storage.models import Problem, ProblemEvent, Run, Site
from govsite.storage.recorder import utcnow

KINDS = ("false-positive", "exception")
STATES = ("open", "notified", "fixed", "verified", "dismissed")
MIN_PREFIX = 6  # a fingerprint may be typed as a unique prefix, as git's hashes are


class OverrideError(Exception):
    """An unknown or ambiguous fingerprint, a bad kind or date; one line for the user."""


@dataclass(frozen=True)
class ProblemView:
    """A problem as `govsite findings list` shows it."""

    fingerprint: str
    site: str
    check: str
    severity: str
    url: str
    message: str
    state: str
    first_seen_run: int
    last_seen_run: int
    resolved_run: int | None
    dismissal: dict[str, Any] | None


def dismissal_of(problem: Problem, as_of: date) -> dict[str, Any] | None:
    """The problem's dismissal as stored with a finding, or None when there is
    none or it expired before `as_of`."""
    if problem.dismissed_at is None:
        return None
    if problem.dismissed_until is not None and problem.dismissed_until < as_of:
        return None
    return {"by": problem.dismissed_by, "reason": problem.dismissed_reason,
            "kind": problem.dismissed_kind,
            "at": problem.dismissed_at.isoformat(timespec="seconds"),
            "until": problem.dismissed_until.isoformat() if problem.dismissed_until else None}


def active_dismissals(store: Store, site_id: int, as_of: date) -> dict[str, dict[str, Any]]:
    """The site's dismissals in force on `as_of`, by fingerprint."""
    with store.sessions() as session:
        problems = session.scalars(select(Problem).where(
            Problem.site_id == site_id, Problem.dismissed_at.is_not(None))).all()
        found = {p.fingerprint: dismissal_of(p, as_of) for p in problems}
    return {fp: d for fp, d in found.items() if d is not None}


def find_problem(session: Session, fingerprint: str) -> Problem:
    """The problem a (prefix of a) fingerprint names."""
    typed = fingerprint.strip().lower()
    if len(typed) < MIN_PREFIX or any(c not in "0123456789abcdef" for c in typed):
        raise OverrideError(msg("fingerprint {fingerprint}: expected at least {digits} hex digits (the "
                                "fingerprint a report shows)", fingerprint=repr(fingerprint),
                                digits=MIN_PREFIX))
    matches = session.scalars(select(Problem).where(
        Problem.fingerprint.startswith(typed)).limit(2)).all()
    if not matches:
        raise OverrideError(msg("fingerprint {fingerprint}: no problem has it (govsite findings list "
                                "shows them)", fingerprint=repr(fingerprint)))
    if len(matches) > 1:
        raise OverrideError(msg("fingerprint {fingerprint}: more than one problem starts with it; type "
                                "more of it", fingerprint=repr(fingerprint)))
    return matches[0]


def dismiss(store: Store, fingerprint: str, *, reason: str, by: str, kind: str,
            until: date | None, today: date) -> Problem:
    """Dismiss the problem from now on (until `until`), and record who and why."""
    if not reason.strip():
        raise OverrideError(msg("--reason: say why the finding is dismissed"))
    if kind not in KINDS:
        raise OverrideError(msg("--kind: expected one of {choices}, got {value}",
                                choices=", ".join(KINDS), value=repr(kind)))
    if until is not None and until < today:
        raise OverrideError(msg("--until {until}: that date has passed", until=str(until)))
    with store.sessions.begin() as session:
        problem = find_problem(session, fingerprint)
        now = utcnow()
        problem.dismissed_at, problem.dismissed_by = now, by
        problem.dismissed_reason, problem.dismissed_kind = reason.strip(), kind
        problem.dismissed_until = until
        session.add(ProblemEvent(problem_id=problem.id, action="dismiss", actor=by,
                                 reason=reason.strip(), kind=kind, until=until, at=now))
        session.flush()
        session.expunge(problem)
    return problem


def restore(store: Store, fingerprint: str, *, reason: str, by: str) -> Problem:
    """End a dismissal now: the finding counts again from the next run or rescore."""
    with store.sessions.begin() as session:
        problem = find_problem(session, fingerprint)
        if problem.dismissed_at is None:
            raise OverrideError(msg("fingerprint {fingerprint}: not dismissed",
                                    fingerprint=problem.fingerprint))
        problem.dismissed_at = problem.dismissed_by = problem.dismissed_reason = None
        problem.dismissed_kind = problem.dismissed_until = None
        session.add(ProblemEvent(problem_id=problem.id, action="restore", actor=by,
                                 reason=reason.strip() or None, at=utcnow()))
        session.flush()
        session.expunge(problem)
    return problem


def record_notified(session: Session, fingerprints: Iterable[str], *, by: str,
                    run_id: int, at: datetime) -> None:
    """The problems a rectification notice listed: notified, with an event each."""
    problems = session.scalars(select(Problem).where(
        Problem.fingerprint.in_(list(fingerprints)))).all()
    for problem in problems:
        problem.notified_at = at
        session.add(ProblemEvent(problem_id=problem.id, action="notify", actor=by,
                                 run_id=run_id, at=at))


def state_of(problem: Problem, resolved_by: str | None, today: date) -> str:
    """open, notified, fixed (a run no longer found it), verified (a recheck did),
    or dismissed (an override in force today)."""
    if problem.resolved_run_id is not None:
        return "verified" if resolved_by == "recheck" else "fixed"
    if dismissal_of(problem, today) is not None:
        return "dismissed"
    return "notified" if problem.notified_at is not None else "open"


def list_problems(store: Store, *, site_id: int | None, state: str | None,
                  today: date) -> list[ProblemView]:
    """The problems across runs with their state today (of one site, in one state)."""
    if state is not None and state not in STATES:
        raise OverrideError(msg("--state: expected one of {choices}, got {value}",
                                choices=", ".join(STATES), value=repr(state)))
    query = select(Problem, Site.name).join(Site, Site.id == Problem.site_id)
    if site_id is not None:
        query = query.where(Problem.site_id == site_id)
    with store.sessions() as session:
        commands = dict(session.execute(select(Run.id, Run.command)).all())
        rows = session.execute(query.order_by(Site.name, Problem.id)).all()
        views = [ProblemView(
            p.fingerprint, name, p.check, p.severity, p.url, p.message,
            state_of(p, commands.get(p.resolved_run_id), today), p.first_seen_run_id,
            p.last_seen_run_id, p.resolved_run_id, dismissal_of(p, today))
            for p, name in rows]
    return [v for v in views if state is None or v.state == state]


def history(store: Store, fingerprint: str) -> list[ProblemEvent]:
    """The problem's audit trail, oldest first."""
    with store.sessions() as session:
        problem = find_problem(session, fingerprint)
        events = session.scalars(select(ProblemEvent).where(
            ProblemEvent.problem_id == problem.id).order_by(ProblemEvent.id)).all()
        for event in events:
            session.expunge(event)
    return list(events)
