"""site-unreachable judged as RULES.md asks: on a week of home-page visits.

`govsite probe` records one visit per registered home page; the check counts
them with the run's own fetch and vetoes only when failures reach 5% of at
least `min_visits` visits. Fewer visits: a home page that did not open is
reported, and the site is not judged (never a false single veto).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import AS_OF, SCHEMA, set_check_settings, tight_config

from govsite.checks.base import Fact, PageSummary, SiteInfo
from govsite.checks.site_unreachable import SiteUnreachable
from govsite.config import load_config
from govsite.crawler.probe import visit
from govsite.scoring.score import judge_site

DEAD = "http://127.0.0.250:9/"  # nothing listens there
SITE = SiteInfo(1, "青山县人民政府", "http://www.qingshan.gov.cn/", "www.qingshan.gov.cn")
DAY = date(2026, 11, 16)


def home(status: int = 200, error: str | None = None, elapsed_s: float = 0.2) -> PageSummary:
    return PageSummary(SITE.url, SITE.url, status, 0, "crawl", "首页", error, False, elapsed_s)


def visits(ok: int, failed: int, day: date = DAY) -> list[Fact]:
    """`ok` + `failed` probe visits spread over the week before `day`."""
    facts = []
    for i in range(ok + failed):
        at = datetime.combine(day, datetime.max.time()) - timedelta(minutes=60 * i)
        facts.append(Fact("site-unreachable", "", "home-visit", {
            "at": at.isoformat(), "ok": i >= failed, "status": 200 if i >= failed else None,
            "elapsed_s": 0.3, "error": None if i >= failed else "timeout"}))
    return facts


def judge(pages: list[PageSummary], facts: list[Fact], **settings: object):
    config = load_config(None)
    check = SiteUnreachable.configured(**settings)
    return judge_site([check], SITE, DAY, pages, facts, config.scoring)


# ------------------------------------------------------------------ the rule
def test_failures_at_five_percent_of_a_weeks_visits_veto() -> None:
    judged = judge([home()], visits(ok=132, failed=7))  # 7 of 140 visits: 5.0%
    [finding] = judged.findings
    assert finding.severity == "veto" and judged.verdict.verdict == "fail"
    assert finding.evidence["visits"] == 140 and finding.evidence["failed"] == 7
    assert "7 of 140" in finding.message and finding.evidence["last_failure"] == "timeout"


def test_failures_below_five_percent_pass() -> None:
    judged = judge([home()], visits(ok=133, failed=6))  # 6 of 140: 4.3%
    assert judged.findings == [] and judged.verdict.verdict == "pass"


def test_a_failed_run_visit_counts_as_one_of_the_weeks() -> None:
    judged = judge([home(error="timeout after 20 s")], visits(ok=133, failed=6))  # 7 of 140
    assert [f.severity for f in judged.findings] == ["veto"]


def test_one_failed_visit_is_reported_but_neither_vetoed_nor_passed() -> None:
    """Without a week of monitoring a dead home page is not a single veto: the
    site is "not judged" (no other indicator could be inspected either)."""
    judged = judge([home(error="connection refused")], [])
    [finding] = judged.findings
    assert finding.severity == "warn" and finding.evidence["judged"] is False
    assert "govsite probe" in finding.message and "1 visit(s)" in finding.message
    assert judged.verdict.verdict == "error" and judged.verdict.vetoes == []
    assert "site not inspected" in judged.verdict.reasons[-1]


def test_a_slow_home_page_is_a_failed_visit() -> None:
    judged = judge([home(elapsed_s=16.0)], [])
    [finding] = judged.findings
    assert finding.severity == "warn" and "took 16.0 s" in finding.message
    assert judged.verdict.verdict == "pass"  # the page opened: the rest was inspected


def test_visits_outside_the_window_are_not_counted() -> None:
    stale = visits(ok=0, failed=140, day=DAY - timedelta(days=8))  # all before the week
    judged = judge([home()], stale)
    assert judged.findings == [] and judged.verdict.verdict == "pass"
    judged = judge([home()], stale, window_days=14)
    assert [f.severity for f in judged.findings] == ["veto"]


# ------------------------------------------------------------------ one visit
class Answers(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/trickle":  # headers at once, then a byte every half second
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.5)
            return
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/")
            self.end_headers()
            return
        status = 503 if self.path == "/down" else 200
        body = "<html><title>首页</title></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def answers() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.61", 0), Answers)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.61:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("path", "ok", "status", "error"), [
    ("/", True, 200, None),
    ("/moved", True, 200, None),  # redirects are followed, as a browser does
    ("/down", False, 503, "HTTP 503"),
])
def test_a_visit_reads_the_answer(answers: str, path: str, ok: bool, status: int,
                                  error: str | None) -> None:
    result = visit(7, answers + path, timeout_s=5, user_agent="govsite-test")
    assert (result.site_id, result.ok, result.status, result.error) == (7, ok, status, error)
    assert result.elapsed_s is not None and result.elapsed_s < 5


def test_a_home_page_that_trickles_past_the_limit_fails_in_time(answers: str) -> None:
    started = time.monotonic()
    result = visit(1, answers + "/trickle", timeout_s=1.5, user_agent="govsite-test")
    assert not result.ok and result.error == "did not open within 1.5 s"
    assert time.monotonic() - started < 5


def test_a_server_that_never_answers_fails_at_the_limit() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.62", 0))
        silent.listen()
        url = f"http://127.0.0.62:{silent.getsockname()[1]}/"
        result = visit(1, url, timeout_s=1, user_agent="govsite-test")
    assert not result.ok and result.error == "did not open within 1 s"


def test_an_unresolvable_or_refused_address_is_a_failed_visit() -> None:
    refused = visit(1, DEAD, timeout_s=2, user_agent="govsite-test")
    assert not refused.ok and "refused" in refused.error.lower()
    nowhere = visit(1, "http://no-such-host.invalid/", timeout_s=2, user_agent="govsite-test")
    assert not nowhere.ok and nowhere.error


# ------------------------------------------------------------------ end to end
def registry(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "registry.csv"
    path.write_text("name,url,site_code,organizer,region,kind\n" + "".join(
        f"{name},{url},5300{i:06d},某某办公室,云南省,department\n"
        for i, (name, url) in enumerate(rows)), encoding="utf-8")
    return path


@pytest.mark.slow
def test_probes_then_a_crawl_judge_a_dead_site_by_the_rule(estate_server, tmp_path: Path,
                                                             cli) -> None:
    db = tmp_path / "monitor.db"
    config = set_check_settings(tight_config(tmp_path, download_timeout_s=2),
                                "site-unreachable", min_visits=3)
    live = estate_server.base_url("qingxi")
    sites = registry(tmp_path, [("停用站点", DEAD), ("清溪县人民政府", live)])
    assert cli("--config", str(config), "sites", "import", str(sites), db=db).code == 0
    for _ in range(2):
        probed = cli("--config", str(config), "probe", db=db, timeout=60)
        assert probed.code == 0, probed.stderr
    assert "2 home page(s) visited, 1 did not open" in probed.stdout
    with sqlite3.connect(db) as connection:
        stored = connection.execute("select s.name, v.ok, v.status from home_visits v "
                                    "join sites s on s.id = v.site_id").fetchall()
    assert sorted(stored) == [("停用站点", 0, None)] * 2 + [("清溪县人民政府", 1, 200)] * 2
    today = date.today().isoformat()  # probes are dated today: judge as of today
    result = cli("--config", str(config), "crawl", "--as-of", today, "--quiet", "--format",
                 "json", db=db, timeout=240)
    report = json.loads(result.stdout)
    jsonschema_validate(report)
    verdicts = {s["name"]: s for s in report["sites"]}
    dead = verdicts["停用站点"]
    assert dead["verdict"] == "fail" and dead["vetoes"] == ["site-unreachable"]
    [finding] = dead["findings"]
    assert "3 of 3 visits" in finding["message_en"]  # the English the message is stored in
    assert "3次访问中首页有3次无法打开" in finding["message"]  # --lang zh, the default
    assert not any(f["check"] == "site-unreachable" for f in verdicts["清溪县人民政府"]["findings"])
    # Re-evaluated from the store, the run is judged on the same visits; with the
    # rule's default 140 visits asked for, the three no longer suffice.
    again = cli("--config", str(config), "rescore", "--run", str(report["run"]["id"]),
                "--quiet", "--format", "json", db=db, timeout=60)
    assert {s["name"]: s["verdict"] for s in json.loads(again.stdout)["sites"]}["停用站点"] == "fail"
    default = cli("rescore", "--run", str(report["run"]["id"]), "--quiet", "--format", "json",
                  db=db, timeout=60)
    assert {s["name"]: s["verdict"] for s in json.loads(default.stdout)["sites"]}["停用站点"] \
        == "error"
    # Judged as of a day before the probes, the same store has too few visits.
    earlier = cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet",
                  "--site", "停用站点", "--format", "json", db=db, timeout=120)
    [site] = json.loads(earlier.stdout)["sites"]
    assert site["verdict"] == "error" and site["vetoes"] == []


def jsonschema_validate(report: dict) -> None:
    import jsonschema

    jsonschema.validate(report, SCHEMA)


@pytest.mark.slow
def test_probe_of_no_registered_site_exits_2(tmp_path: Path, cli) -> None:
    result = cli("probe", db=tmp_path / "empty.db")
    assert result.code == 2 and "no sites registered" in result.stderr


@pytest.mark.slow
def test_a_province_sized_probe_stores_every_visit(tmp_path: Path, cli) -> None:
    """Visits are stored in batches as they end; all of them, the last partial batch too."""
    db = tmp_path / "many.db"
    rows = [(f"站点{i:03d}", f"http://127.0.0.250:{20000 + i}/") for i in range(237)]
    assert cli("sites", "import", str(registry(tmp_path, rows)), db=db).code == 0
    result = cli("probe", db=db, timeout=120)
    assert result.code == 0, result.stderr
    assert "237 home page(s) visited, 237 did not open" in result.stdout
    with sqlite3.connect(db) as connection:
        stored = connection.execute("select count(distinct site_id), count(*), sum(ok) "
                                    "from home_visits").fetchone()
    assert stored == (237, 237, 0)
