"""Judge a government account: its checks over its stored facts, then the
verdict by the websites' rules (scoring.score: vetoes, deductions from 100).

The crawl (accounts with a feed) and `govsite accounts record` (auditors'
results) both judge here, so an account is judged one way whatever the
evidence. Post text is judged by the websites' own `wording-errors` check
(its dictionary and matcher) when that check is enabled. An account whose
required check (account-not-updated) could not be judged, and that no veto
fails, is "not judged" (verdict `error`), never passed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from govsite.checks.account_base import (
    FEED,
    RECORD,
    AccountCheck,
    AccountEvidence,
    AccountInfo,
    enabled_account_checks,
    recorded_findings,
)
from govsite.checks.base import Fact, Finding
from govsite.checks.registry import enabled_checks
from govsite.checks.wording_errors import WordingErrors
from govsite.config import Config, ScoringConfig
from govsite.i18n import msg
from govsite.scoring.score import Verdict, score_site
from govsite.storage.account_runs import account_info, load_facts, write_account_result
from govsite.storage.db import Store
from govsite.storage.models import Account, AccountResult


@dataclass(frozen=True)
class AccountJudges:
    """The account checks in force, and the site wording check posts go through."""

    checks: list[AccountCheck]
    wording: WordingErrors | None

    @classmethod
    def of(cls, config: Config) -> AccountJudges:
        wording = next((c for c in enabled_checks(config) if isinstance(c, WordingErrors)), None)
        return cls(enabled_account_checks(config), wording)

    @property
    def ids(self) -> list[str]:
        """The check ids an auditor may record results for."""
        return [c.id for c in self.checks] + ([self.wording.id] if self.wording else [])


@dataclass(frozen=True)
class AccountJudgement:
    findings: list[Finding]
    verdict: Verdict


def judge_account(judges: AccountJudges, account: AccountInfo, as_of: date, facts: list[Fact],
                  rules: ScoringConfig) -> AccountJudgement:
    """Pure: the account's findings and verdict from its facts."""
    findings: list[Finding] = []
    broken: list[str] = []
    for check in judges.checks:
        evidence = AccountEvidence(account, as_of, [f for f in facts
                                                    if f.check in (FEED, check.id)])
        try:
            findings += list(check.evaluate(evidence))
        except Exception as exc:  # one bad check must not lose the account's result
            broken.append(check.id)
            text = msg("check failed to evaluate: {error}", error=f"{type(exc).__name__}: {exc}")
            findings.append(Finding(check.id, "warn", account.feed_url or "", str(text), {},
                                    text.msgid, text.stored()))
    wording = judges.wording
    if wording is not None:
        own = [f for f in facts if f.check == wording.id]
        records = [f for f in own if f.kind == RECORD]
        findings += list(recorded_findings(wording.id, wording.effective_severity, records)
                         if records else wording.findings(own))
    verdict = score_site(findings, rules, kind="account")
    unjudged = [c.id for c in judges.checks if c.required and any(
        f.check == c.id and f.evidence.get("judged") is False for f in findings)]
    if broken:
        verdict = replace(verdict, verdict="error",
                          reasons=[*verdict.reasons, f"checks failed: {', '.join(broken)}"])
    elif unjudged and not verdict.vetoes:
        verdict = replace(verdict, verdict="error",
                          reasons=[*verdict.reasons, f"not judged: {', '.join(unjudged)}"])
    return AccountJudgement(findings, verdict)


def judge_and_record_account(store: Store, run_id: int, judges: AccountJudges,
                             account: AccountInfo, as_of: date, rules: ScoringConfig
                             ) -> AccountJudgement:
    """Judge the account on its stored facts of the run and write the result."""
    judged = judge_account(judges, account, as_of, load_facts(store, run_id, account.id), rules)
    write_account_result(store, run_id, account, judged.findings, judged.verdict)
    return judged


def rejudge_accounts(store: Store, config: Config, *, source_run: int, evidence_run: int,
                     new_run: int, as_of: date) -> tuple[int, int]:
    """`rescore` for accounts: each account judged in `source_run` judged again under
    `config` on the facts of `evidence_run` (no network); (accounts, verdicts changed)."""
    judges = AccountJudges.of(config)
    with store.sessions() as session:
        before = dict(session.execute(select(AccountResult.account_id, AccountResult.verdict)
                                      .where(AccountResult.run_id == source_run)).all())
        infos = [account_info(a) for a in session.scalars(
            select(Account).where(Account.id.in_(before)).order_by(Account.id))]
    changed = 0
    for account in infos:
        judged = judge_account(judges, account, as_of,
                               load_facts(store, evidence_run, account.id), config.scoring)
        write_account_result(store, new_run, account, judged.findings, judged.verdict)
        changed += before[account.id] != judged.verdict.verdict
    return len(infos), changed
