"""Auditors' inspection results for accounts (`govsite accounts record FILE`).

Most accounts (WeChat official accounts above all) have no public feed: an
auditor looks at them by hand and records, per account and check, a result,
a note and a link to the evidence. The file is read as the registries are
(storage/registry.read_rows, RowError): every bad row named, nothing stored
while one is bad. The rows become runs of command `record` (one per as-of
date) so that they are judged and reported as a crawl's results are.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from govsite.i18n import msg
from govsite.storage.accounts import PLATFORMS, all_accounts, platform_of
from govsite.storage.models import Account, AccountRecord
from govsite.storage.recorder import utcnow
from govsite.storage.registry import RowError, normalise_url, read_rows

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "account": ("account", "accountid", "账号", "账号名称", "name", "名称"),
    "platform": ("platform", "平台", "平台类型"),
    "as_of": ("asof", "date", "检查日期", "监测日期", "监测时间点"),
    "check": ("check", "检查项", "指标"),
    "result": ("result", "结果", "检查结果"),
    "note": ("note", "说明", "备注", "问题描述"),
    "evidence": ("evidence", "evidencelink", "evidenceurl", "证据", "证据链接", "截图链接"),
}
REQUIRED_FIELDS = ("account", "as_of", "check", "result")
RESULT_ALIASES = {"pass": "pass", "passed": "pass", "ok": "pass", "合格": "pass", "通过": "pass",
                  "fail": "fail", "failed": "fail", "不合格": "fail", "未通过": "fail"}
_DAY = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ]00:00(?::00)?)?")
MAX_NOTE = 2000


@dataclass(frozen=True)
class RecordRow:
    """One valid recorded result."""

    row_number: int
    account_id: int  # the accounts table's id
    as_of: date
    check: str
    result: str  # pass | fail
    note: str | None
    evidence_url: str | None


def read_records(path: Path, session: Session, checks: Collection[str], *, today: date
                 ) -> tuple[list[RecordRow], list[RowError]]:
    """Read and validate a records file against the registered accounts and the
    account checks in force (`checks`); bad rows come back as errors."""
    accounts = all_accounts(session)
    rows: list[RecordRow] = []
    errors: list[RowError] = []
    first_seen: dict[tuple[int, date, str], int] = {}
    for row_number, values in read_rows(path, HEADER_ALIASES, REQUIRED_FIELDS):
        reasons: list[str] = []
        account = _account(values, accounts, reasons)
        day = _as_of(values.get("as_of", ""), today, reasons)
        check = values.get("check", "").strip().lower()
        if check not in checks:
            reasons.append(msg("unknown check {check} (want {choices})",
                               check=repr(values.get("check", "")),
                               choices=", ".join(sorted(checks))))
        result = RESULT_ALIASES.get(values.get("result", "").strip().lower())
        if result is None:
            reasons.append(msg("unknown result {result} (want pass or fail)",
                               result=repr(values.get("result", ""))))
        evidence = _evidence(values.get("evidence", ""), reasons)
        note = values.get("note") or None
        if note is not None and len(note) > MAX_NOTE:
            reasons.append(msg("note longer than {limit} characters", limit=MAX_NOTE))
        if account is not None and day is not None and not reasons:
            key = (account.id, day, check)
            if key in first_seen:
                reasons.append(msg("duplicate result for {account} {check} on {day} (first in "
                                   "row {row})", account=account.name, check=check,
                                   day=str(day), row=first_seen[key]))
            first_seen[key] = row_number
        if reasons:
            errors += [RowError(row_number, reason) for reason in reasons]
            continue
        assert account is not None and day is not None and result is not None
        rows.append(RecordRow(row_number, account.id, day, check, result, note, evidence))
    return rows, errors


def _account(values: dict[str, str], accounts: list[Account], reasons: list[str]
             ) -> Account | None:
    """The account a row names, by account id or name (and platform, if given)."""
    wanted = values.get("account", "")
    if not wanted:
        reasons.append(msg("missing account"))
        return None
    matches = [a for a in accounts if a.account_id == wanted] or \
        [a for a in accounts if a.name == wanted]
    raw_platform = values.get("platform", "")
    if raw_platform:
        platform = platform_of(raw_platform)
        if platform is None:
            reasons.append(msg("unknown platform {platform} (want {choices})",
                               platform=repr(raw_platform), choices=", ".join(PLATFORMS)))
            return None
        matches = [a for a in matches if a.platform == platform]
    if not matches:
        reasons.append(msg("unknown account {account} (import it first: govsite accounts "
                           "import)", account=repr(wanted)))
        return None
    if len(matches) > 1:
        reasons.append(msg("account {account} names {count} accounts; add a platform column",
                           account=repr(wanted), count=len(matches)))
        return None
    return matches[0]


def _as_of(raw: str, today: date, reasons: list[str]) -> date | None:
    match = _DAY.fullmatch(raw.strip())
    try:
        day = date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        reasons.append(msg("bad as-of {value} (want a date as YYYY-MM-DD)", value=repr(raw)))
    elif day > today:
        reasons.append(msg("as-of {day} is in the future", day=str(day)))
        return None
    return day


def _evidence(raw: str, reasons: list[str]) -> str | None:
    if not raw:
        return None
    try:
        return normalise_url(raw)
    except ValueError as exc:
        reasons.append(msg("evidence link: {problem}",
                           problem=exc.args[0] if exc.args else str(exc)))
        return None


def store_records(session: Session, rows: list[RecordRow], run_ids: dict[date, int]) -> None:
    """The rows as account_records, each tied to the run of its as-of date."""
    now = utcnow()
    session.add_all(AccountRecord(account_id=r.account_id, as_of=r.as_of, check=r.check,
                                  result=r.result, note=r.note, evidence_url=r.evidence_url,
                                  run_id=run_ids[r.as_of], imported_at=now) for r in rows)
    session.flush()
