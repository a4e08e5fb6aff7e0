"""Auditors' recorded results become runs (command `record`): one per as-of
date, each account in it judged on its records as a crawl judges a feed, so
manual checks land in the same store, scoring and reports."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from govsite.checks.account_base import RECORD
from govsite.config import Config
from govsite.scoring.accounts import AccountJudges, judge_and_record_account
from govsite.storage.account_records import RecordRow, store_records
from govsite.storage.account_runs import account_info, write_facts
from govsite.storage.db import Store
from govsite.storage.models import Account
from govsite.storage.recorder import RunRecorder

RECORD_COMMAND = "record"


def record_results(store: Store, config: Config, rows: list[RecordRow],
                   judges: AccountJudges) -> list[int]:
    """Store the rows and judge their accounts; the ids of the runs made."""
    by_day: dict[date, list[RecordRow]] = defaultdict(list)
    for row in rows:
        by_day[row.as_of].append(row)
    recorders = {day: RunRecorder.start_run(store, config, RECORD_COMMAND, day, [])
                 for day in sorted(by_day)}
    with store.sessions.begin() as session:
        store_records(session, rows, {day: r.run_id for day, r in recorders.items()})
        accounts = {a.id: account_info(a) for a in session.scalars(select(Account).where(
            Account.id.in_({r.account_id for r in rows})))}
    for day, recorder in recorders.items():
        by_account: dict[int, list[RecordRow]] = defaultdict(list)
        for row in by_day[day]:
            by_account[row.account_id].append(row)
        verdicts: dict[str, int] = {}
        for account_id, records in by_account.items():
            write_facts(store, recorder.run_id, account_id, [
                (r.check, r.evidence_url or "", RECORD,
                 {"result": r.result, "note": r.note, "evidence_url": r.evidence_url,
                  "as_of": r.as_of.isoformat()}) for r in records])
            verdict = judge_and_record_account(store, recorder.run_id, judges,
                                               accounts[account_id], day,
                                               config.scoring).verdict.verdict
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
        recorder.finish_run("done", {"sites": 0, "records": len(by_day[day]),
                                     "accounts": verdicts})
    return [r.run_id for r in recorders.values()]
