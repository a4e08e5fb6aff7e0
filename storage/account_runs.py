"""An account's part of a run in the store: its facts in, its facts out, its
findings and verdict written in one transaction (as a site's are)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import delete, select

from govsite.checks.account_base import AccountInfo
from govsite.checks.base import Fact, Finding
from govsite.storage.db import Store
from govsite.storage.models import Account, AccountFact, AccountFinding, AccountResult
from govsite.storage.recorder import utcnow


class AccountVerdict(Protocol):
    """What an account's result row holds (scoring.score.Verdict provides it)."""

    verdict: str
    score: float | None
    vetoes: list[str]
    reasons: list[str]
    counts: dict[str, int]


def account_info(account: Account) -> AccountInfo:
    return AccountInfo(account.id, account.name, account.platform, account.account_id,
                       account.feed_url)


def account_fingerprint(account: AccountInfo, finding: Finding) -> str:
    """Stable across runs: the account, the check and the place (a post's link)."""
    key = "|".join(("account", account.platform, account.account_id, finding.check,
                    finding.url, str(finding.evidence.get("key", ""))))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def write_facts(store: Store, run_id: int, account_id: int,
                facts: Iterable[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Replace the account's facts of this run with (check, url, kind, data) rows,
    in one transaction: a feed read twice is stored once."""
    with store.sessions.begin() as session:
        session.execute(delete(AccountFact).where(AccountFact.run_id == run_id,
                                                  AccountFact.account_id == account_id))
        session.add_all(AccountFact(run_id=run_id, account_id=account_id, check=check, url=url,
                                    kind=kind, data=data) for check, url, kind, data in facts)


def load_facts(store: Store, run_id: int, account_id: int) -> list[Fact]:
    with store.sessions() as session:
        rows = session.execute(select(AccountFact.check, AccountFact.url, AccountFact.kind,
                                      AccountFact.data)
                               .where(AccountFact.run_id == run_id,
                                      AccountFact.account_id == account_id)
                               .order_by(AccountFact.id)).all()
    return [Fact(check, url, kind, data) for check, url, kind, data in rows]


def write_account_result(store: Store, run_id: int, account: AccountInfo,
                         findings: list[Finding], verdict: AccountVerdict) -> None:
    """Replace the account's findings and verdict for this run, in one transaction."""
    with store.sessions.begin() as session:
        session.execute(delete(AccountFinding).where(AccountFinding.run_id == run_id,
                                                     AccountFinding.account_id == account.id))
        session.execute(delete(AccountResult).where(AccountResult.run_id == run_id,
                                                    AccountResult.account_id == account.id))
        session.add_all(AccountFinding(
            run_id=run_id, account_id=account.id, check=f.check, severity=f.severity,
            url=f.url, message=f.message, evidence=f.evidence, message_id=f.message_id,
            params=f.params or None, fingerprint=account_fingerprint(account, f))
            for f in findings)
        session.add(AccountResult(
            run_id=run_id, account_id=account.id, verdict=verdict.verdict, score=verdict.score,
            vetoes=verdict.vetoes, reasons=verdict.reasons, counts=verdict.counts,
            evaluated_at=utcnow()))
