"""Overrides with an audit trail: `govsite findings dismiss|restore|list|history`.

A real store and the real judging step: a crawl's stored evidence (a home page
that opened, nothing else: consultation-channel vetoes it) is judged by every
enabled check (scoring.judge.judge_and_record), then re-judged through the CLI
(`govsite rescore`, `govsite report`), which must respect the dismissal.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from synthetic import invoke

from govsite.checks.registry import enabled_checks
from govsite.config import load_config
from govsite.scoring.judge import judge_and_record
from govsite.storage.db import open_store
from govsite.storage.models import Site
from govsite.storage.recorder import RunRecorder, site_info, utcnow

AS_OF = date(2026, 11, 16)
URL = "http://www.qingshan.gov.cn/"


def crawl_like_run(db: Path, as_of: date = AS_OF) -> int:
    """A run as a crawl stores it: the home page (200), judged by the real checks."""
    store = open_store(f"sqlite:///{db}")
    with store.sessions.begin() as session:
        site = session.query(Site).filter_by(url=URL).one_or_none()
        if site is None:
            site = Site(name="青山县人民政府", url=URL, kind="portal", registered=True,
                        contact_email="webmaster@qingshan.gov.cn",
                        created_at=utcnow(), updated_at=utcnow())
            session.add(site)
            session.flush()
        info = site_info(site)
    config = load_config()
    recorder = RunRecorder.start_run(store, config, "crawl", as_of, [info.id])
    recorder.add_page({"site_id": info.id, "url": URL, "final_url": URL, "status": 200,
                       "content_type": "text/html", "depth": 0, "purpose": "crawl",
                       "fetched_at": utcnow(), "title": "青山县人民政府", "size": 100,
                       "rendered": False})
    judge_and_record(recorder, info, enabled_checks(config), as_of)
    recorder.finish_run("done", {})
    store.engine.dispose()
    return recorder.run_id


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
