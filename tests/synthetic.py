"""A store of two quarters of inspections, written through RunRecorder as a crawl would.

The findings are synthetic (the edge of the system: checks are mocked), everything
else is the real write path: sites, runs, findings with fingerprints, verdicts by
scoring.score_site, rectification tracking. Crawled text in messages and evidence
holds markup, to prove every format escapes it.

Quarter 2022Q2 (run 1, crawl, as of 2022-05-10):
  青山县人民政府  fail  site-unreachable veto
  白河县人民政府  pass  3 reply-overdue deducts (97)
  省体育局        fail  consultation-channel veto
  省水利厅        pass  no findings
  松岭镇人民政府  fail  empty-column veto (not inspected in Q3: rectification not verified)
Quarter 2022Q3 (run 2, crawl, as of 2022-08-05; service-guide deducts 15 each):
  青山县人民政府  pass  (rectified)
  白河县人民政府  fail  empty-column veto (new), reply-overdue m1 persists
  省体育局        fail  consultation-channel veto (not rectified)
  省水利厅        fail  3 service-guide-time-limit deducts: 55, below 60; a screenshot
Run 3 (check, as of 2022-08-20): 临时检查站点, not registered: left out of the notice.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from govsite.checks.base import Finding
from govsite.config import DeductionRule, load_config
from govsite.scoring.score import score_site
from govsite.storage.db import Store, open_store
from govsite.storage.models import Site
from govsite.storage.recorder import RunRecorder, site_info

INJECTION = "<script>window.__pwned=1</script>"
IMG_INJECTION = '"><img src=x onerror="window.__pwned=2">'
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
                       "hQGAhKmMIQAAAABJRU5ErkJggg==")
SITES = [
    # name, url, site code, organizer, kind, registered
    ("青山县人民政府", "http://www.qingshan.gov.cn/", "5301230001", "青山县人民政府办公室",
     "portal", True),
    ("白河县人民政府", "http://www.baihe.gov.cn/", "5301240001", "白河县人民政府办公室",
     "portal", True),
    ("省体育局", "http://tyj.yn.gov.cn/", "5300000123", "云南省体育局", "department", True),
    ("省水利厅", "http://slt.yn.gov.cn/", "5300000124", "云南省水利厅", "department", True),
    ("松岭镇人民政府", "http://www.songling.gov.cn/", "5301250001", "松岭镇人民政府",
     "department", True),
    ("临时检查站点", "http://adhoc.example.gov.cn/", None, None, "department", False),
]


@dataclass
class Synthetic:
    store: Store
    db: Path
    screenshot: Path
    runs: list[int]
    site_ids: dict[str, int]


def finding(check: str, severity: str, url: str, message: str, **evidence) -> Finding:
    return Finding(check, severity, url, message, evidence)  # type: ignore[arg-type]


def build(tmp: Path) -> Synthetic:
    db = tmp / "synthetic.db"
    store = open_store(f"sqlite:///{db}")
    config = load_config()
    shot = tmp / config.storage.evidence_dir / "slt-guide.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.write_bytes(PNG)
    registered_at = datetime(2022, 1, 4, 9, 0)
    with store.sessions.begin() as session:
        rows = [Site(name=name, url=url, site_code=code, organizer=organizer, region="云南省",
                     kind=kind, registered=registered, created_at=registered_at,
                     updated_at=registered_at)
                for name, url, code, organizer, kind, registered in SITES]
        session.add_all(rows)
        session.flush()
        infos = {row.name: site_info(row) for row in rows}
    ids = {name: info.id for name, info in infos.items()}

    def run(cfg, command: str, as_of: date, results: dict[str, list[Finding]]) -> int:
        recorder = RunRecorder.start_run(store, cfg, command, as_of,
                                         [ids[name] for name in results])
        for name, findings in results.items():
            verdict = score_site(findings, cfg.scoring, kind=infos[name].kind)
            recorder.write_result(infos[name], findings, verdict, 40)
        recorder.finish_run("done", {"pages": 40 * len(results), "failed": 0})
        return recorder.run_id

    q2 = run(config, "crawl", date(2022, 5, 10), {
        "青山县人民政府": [finding("site-unreachable", "veto", "http://www.qingshan.gov.cn/",
                                   "The home page did not open: timeout after 20 s.",
                                   reason="timeout after 20 s")],
        "白河县人民政府": [finding("reply-overdue", "deduct",
                                   f"http://www.baihe.gov.cn/hdjl/msg{i}.html",
                                   f"Message {i} answered after 9 working days (limit 5).",
                                   key=f"msg{i}") for i in range(3)],
        "省体育局": [finding("consultation-channel", "veto", "http://tyj.yn.gov.cn/",
                             "No effective online consultation channel.")],
        "省水利厅": [],
        "松岭镇人民政府": [finding("empty-column", "veto",
                                   f"http://www.songling.gov.cn/col/col{i}/index.html",
                                   f"Empty column {i}.", column=f"栏目{i}")
                           for i in range(5)],
    })
    harsh = config.model_copy(update={"scoring": config.scoring.model_copy(update={
        "deductions": {**config.scoring.deductions,
                       "service-guide-time-limit": DeductionRule(points=15, cap=45)}})})
    q3 = run(harsh, "crawl", date(2022, 8, 5), {
        "青山县人民政府": [],
        "白河县人民政府": [
            finding("empty-column", "veto", "http://www.baihe.gov.cn/col/col7/index.html",
                    f"Empty column 「通知公告」 {INJECTION}", column="通知公告",
                    title=f"通知公告{IMG_INJECTION}"),
            finding("reply-overdue", "deduct", "http://www.baihe.gov.cn/hdjl/msg1.html",
                    "Message 1 answered after 9 working days (limit 5).", key="msg1"),
        ],
        "省体育局": [finding("consultation-channel", "veto", "http://tyj.yn.gov.cn/",
                             "No effective online consultation channel.")],
        "省水利厅": [
            finding("service-guide-time-limit", "deduct", f"http://slt.yn.gov.cn/bsfw/{i}.html",
                    msg, **({"screenshot": f"{config.storage.evidence_dir}/slt-guide.png"}
                            if i == 0 else {}))
            for i, msg in enumerate(["=HYPERLINK(\"http://evil.example/\",\"click\")",
                                     "Committed limit 30 working days exceeds statutory 20.",
                                     "No specific time limit given."])],
    })
    adhoc = run(config, "check", date(2022, 8, 20), {
        "临时检查站点": [finding("site-unreachable", "veto", "http://adhoc.example.gov.cn/",
                                 "The home page did not open: connection refused.")]})
    return Synthetic(store, db, shot, [q2, q3, adhoc], ids)


@dataclass
class Invoked:
    code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes


def invoke(*args: str, db: Path | None = None) -> Invoked:
    """The CLI in this process (typer's runner): for commands that do not crawl, which
    is all of `report` and `rescore`; a crawl must run in a subprocess (helpers.run_cli),
    Scrapy's reactor starting once per process."""
    from typer.testing import CliRunner

    from govsite.cli import app

    # The interface's own messages in English (the tests read them); reports keep
    # their --lang default, Chinese.
    runner = CliRunner(env={"GOVSITE_DB": None, "COLUMNS": "200", "NO_COLOR": "1",
                            "GOVSITE_LANG": os.environ.get("GOVSITE_TEST_LANG", "en")})
    result = runner.invoke(app, [*(["--db", f"sqlite:///{db}"] if db else []), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Invoked(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)
