"""Overrides with an audit trail: `govsite findings dismiss|restore|list|history`.

A real store and the real judging step: a crawl's stored evidence (a home page
that opened, nothing else: consultation-channel vetoes it) is judged by every
enabled check (scoring.judge.judge_and_record), then re-judged through the CLI
(`govsite rescore`, `govsite report`), which must respect the dismissal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from stored_runs import crawl_like_run, working_channel_facts
from synthetic import invoke


def report(db: Path, run: int, *extra: str) -> dict:
    result = invoke("report", "--run", str(run), "--format", "json", *extra, db=db)
    assert result.code in (0, 1), result.stderr
    return json.loads(result.stdout)


def veto_fingerprint(data: dict) -> str:
    (veto,) = [f for f in data["sites"][0]["findings"] if f["severity"] == "veto"]
    assert veto["check"] == "consultation-channel"
    return veto["fingerprint"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "overrides.db"


def test_a_dismissed_finding_no_longer_fails_later_runs_and_rescores(db: Path) -> None:
    first = crawl_like_run(db)
    before = report(db, first)
    assert before["sites"][0]["verdict"] == "fail"
    fp = veto_fingerprint(before)

    done = invoke("findings", "dismiss", fp[:10], "--reason", "信箱在省平台，经人工核实可用",
                  "--by", "张三", db=db)
    assert done.code == 0, done.stderr

    later = crawl_like_run(db)
    after = report(db, later)
    site = after["sites"][0]
    assert site["verdict"] == "pass" and site["vetoes"] == []
    assert all(f["fingerprint"] != fp for f in site["findings"])
    (dismissed,) = site["dismissed"]
    assert dismissed["fingerprint"] == fp
    assert dismissed["dismissal"]["by"] == "张三"
    assert dismissed["dismissal"]["reason"] == "信箱在省平台，经人工核实可用"
    assert dismissed["dismissal"]["kind"] == "false-positive"
    assert invoke("report", "--run", str(later), db=db).code == 0  # exit code follows

    # A rescore of the first run (crawled before the dismissal) respects it too.
    rescored = invoke("rescore", "--run", str(first), "--format", "json", db=db)
    assert rescored.code == 0, rescored.stderr
    assert json.loads(rescored.stdout)["sites"][0]["verdict"] == "pass"
    # The first run's own report is what was judged then: not rewritten.
    assert report(db, first)["sites"][0]["verdict"] == "fail"


def test_a_dismissal_expires_after_until_and_can_be_restored(db: Path) -> None:
    fp = veto_fingerprint(report(db, crawl_like_run(db)))
    until = date.today() + timedelta(days=30)
    assert invoke("findings", "dismiss", fp, "--reason", "整改中，批准延期", "--kind",
                  "exception", "--until", until.isoformat(), db=db).code == 0
    inside = report(db, crawl_like_run(db, as_of=until))
    assert inside["sites"][0]["verdict"] == "pass"
    assert inside["sites"][0]["dismissed"][0]["dismissal"]["until"] == until.isoformat()
    outside = report(db, crawl_like_run(db, as_of=until + timedelta(days=1)))
    assert outside["sites"][0]["verdict"] == "fail"
    assert outside["sites"][0]["dismissed"] == []

    assert invoke("findings", "restore", fp, "--reason", "延期取消", "--by", "李四",
                  db=db).code == 0
    again = report(db, crawl_like_run(db, as_of=until))
    assert again["sites"][0]["verdict"] == "fail"

    trail = invoke("findings", "history", fp, db=db)
    assert trail.code == 0
    assert "dismiss" in trail.stdout and "restore" in trail.stdout
    assert "李四" in trail.stdout and "延期取消" in trail.stdout
    with sqlite3.connect(db) as connection:
        events = connection.execute("select action, actor, reason, kind, until "
                                    "from problem_events order by id").fetchall()
    assert [e[0] for e in events] == ["dismiss", "restore"]
    assert events[0][2:] == ("整改中，批准延期", "exception", until.isoformat())
    assert events[1][1:3] == ("李四", "延期取消")


def test_findings_list_shows_states_across_runs(db: Path) -> None:
    fp = veto_fingerprint(report(db, crawl_like_run(db)))
    listed = invoke("findings", "list", "--format", "json", db=db)
    assert listed.code == 0, listed.stderr
    states = {p["check"]: p["state"] for p in json.loads(listed.stdout)}
    assert states["consultation-channel"] == "open"
    invoke("findings", "dismiss", fp, "--reason", "误报", db=db)
    dismissed = json.loads(invoke("findings", "list", "--state", "dismissed", "--format",
                                  "json", "--site", "青山县人民政府", db=db).stdout)
    assert [p["fingerprint"] for p in dismissed] == [fp]
    assert dismissed[0]["dismissal"]["reason"] == "误报"
    assert json.loads(invoke("findings", "list", "--state", "open", "--format", "json",
                             db=db).stdout) == []
    table = invoke("findings", "list", db=db)
    assert fp in table.stdout and "dismissed" in table.stdout


@pytest.mark.parametrize(("args", "said"), [
    (("dismiss", "0123456789abcdef", "--reason", "x"), "no problem has it"),
    (("dismiss", "zz", "--reason", "x"), "hex digits"),
    (("dismiss", "{fp}", "--reason", "x", "--until", "2026-13-01"), "--until"),
    (("dismiss", "{fp}", "--reason", "x", "--until", "2001-01-01"), "has passed"),
    (("dismiss", "{fp}", "--reason", "  "), "--reason"),
    (("dismiss", "{fp}", "--reason", "x", "--kind", "maybe"), "--kind"),
    (("restore", "{fp}"), "not dismissed"),
    (("list", "--state", "closed"), "--state"),
])
def test_bad_input_is_one_line_and_exit_2(db: Path, args: tuple[str, ...], said: str) -> None:
    fp = veto_fingerprint(report(db, crawl_like_run(db)))
    result = invoke("findings", *(a.replace("{fp}", fp) for a in args), db=db)
    assert result.code == 2
    assert said in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_every_format_lists_a_dismissed_finding_apart(db: Path, tmp_path: Path) -> None:
    fp = veto_fingerprint(report(db, crawl_like_run(db)))
    invoke("findings", "dismiss", fp, "--reason", "信箱在省平台", "--by", "张三", db=db)
    run = crawl_like_run(db)
    said = "误报：张三于"  # "false positive: dismissed by 张三 on <date>, because …"

    table = invoke("report", "--run", str(run), db=db)
    assert table.code == 0
    assert "人工复核撤销的问题" in table.stdout and said in table.stdout

    rows = invoke("report", "--run", str(run), "--format", "csv", db=db).stdout.splitlines()
    (row,) = [r for r in rows if fp in r]
    assert said in row and "理由：信箱在省平台" in row

    out = tmp_path / "html"
    assert invoke("report", "--run", str(run), "--format", "html", "-o", str(out),
                  db=db).code == 0
    page = (out / "sites" / "site-001.html").read_text(encoding="utf-8")
    findings, dismissed = page.split('<table id="dismissed">')
    assert fp not in findings and fp in dismissed
    assert said in dismissed and "信箱在省平台" in dismissed

    junit = invoke("report", "--run", str(run), "--format", "junit", db=db)
    assert junit.code == 0 and "<failure" not in junit.stdout
    assert re.search(r'<testcase classname="青山县人民政府" name="consultation-channel \(dismissed\)"'
                     r'[^>]*>\s*<skipped message="误报：张三于', junit.stdout)


@pytest.mark.parametrize(("command", "state"), [("crawl", "fixed"), ("recheck", "verified")])
def test_a_problem_gone_in_a_later_run_is_fixed_and_by_a_recheck_verified(
        db: Path, command: str, state: str) -> None:
    fp = veto_fingerprint(report(db, crawl_like_run(db)))
    later = crawl_like_run(db, facts=working_channel_facts(), command=command)
    assert report(db, later)["sites"][0]["vetoes"] == []
    listed = {p["fingerprint"]: p for p in json.loads(
        invoke("findings", "list", "--format", "json", db=db).stdout)}
    assert listed[fp]["state"] == state and listed[fp]["resolved_run"] == later
    only = json.loads(invoke("findings", "list", "--state", state, "--format", "json",
                             db=db).stdout)
    assert [p["fingerprint"] for p in only] == [fp]


def test_the_quarterly_notice_lists_dismissed_findings_in_an_attachment(db: Path,
                                                                       tmp_path: Path) -> None:
    fp = veto_fingerprint(report(db, crawl_like_run(db)))
    invoke("findings", "dismiss", fp, "--reason", "信箱在省平台", "--by", "张三", db=db)
    run = crawl_like_run(db)
    out = tmp_path / "notice.md"
    result = invoke("report", "--format", "notice", "--run", str(run), "-o", str(out), db=db)
    assert result.code in (0, 1), result.stderr
    for path in (out, out.with_suffix(".html")):
        text = path.read_text(encoding="utf-8")
        # attachments are numbered in order: 1 and 2 always, then this one (no site
        # was left not judged and no account registered, so no 3 before it)
        attachment = text.split("附件3：2026年第四季度经人工复核撤销的问题（不计入结论）")[1]
        assert "青山县人民政府" in attachment and "张三" in attachment
        assert "信箱在省平台" in attachment
