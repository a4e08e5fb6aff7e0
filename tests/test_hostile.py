"""The hostile estate in one run (issue 14, item 4): each hostile site ends in bounded
time with a finding or a "not judged" reason, the ordinary site beside them is judged
as in the demo estate, and the crawl's memory (every process, browser included) stays
under its configured ceiling; a ceiling that is reached stops the crawl resumably."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from helpers import AS_OF, count, run_cli, tight_config

from govsite.crawler.memory import tree_rss_mb
from govsite.estate import EstateServer, write_registry_csv
from govsite.estate.hostile import (
    COLUMN_COMMENTED,
    COLUMN_STRAY_END,
    GB18030_TITLE,
    META_LIES_TITLE,
    SID_PAGES,
    build_hostile_estate,
)

pytestmark = pytest.mark.slow  # a crawl of the hostile estate with a browser

CEILING_MB = 3072
TLS_IP = "127.0.0.90"
UNRESOLVABLE = "http://hostile-name.invalid/"


class GarbageTLS:
    """A port a registry row calls https, answering every connection with bytes that
    are no TLS record."""

    def __init__(self, ip: str) -> None:
        self.socket = socket.create_server((ip, 0))
        self.port = self.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                try:
                    connection.recv(4096)
                    connection.sendall(b"\x00\xffNOT TLS AT ALL\r\n" * 64)
                except OSError:
                    pass

    def __enter__(self) -> GarbageTLS:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.socket.close()


def crawl_sampling_memory(db: Path, config: Path, output: Path) -> tuple[int, float, str]:
    """`govsite crawl` in its own process; the peak RSS of its whole tree, sampled."""
    env = {k: v for k, v in os.environ.items() if k != "GOVSITE_DB"}
    crawl = subprocess.Popen(
        [sys.executable, "-m", "govsite.cli", "--db", f"sqlite:///{db}", "--config", str(config),
         "crawl", "--as-of", AS_OF, "--quiet", "--no-evidence", "--format", "json",
         "--output", str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env=env, text=True)
    peak = 0.0
    deadline = time.monotonic() + 400
    while crawl.poll() is None and time.monotonic() < deadline:
        peak = max(peak, tree_rss_mb(crawl.pid))
        time.sleep(0.2)
    if crawl.poll() is None:
        for child in psutil.Process(crawl.pid).children(recursive=True):
            child.kill()
        crawl.kill()
    _, stderr = crawl.communicate(timeout=30)
    return crawl.returncode, peak, stderr


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, estate_run):
    tmp = tmp_path_factory.mktemp("hostile")
    with EstateServer(build_hostile_estate(), first_ip="127.0.0.60") as server, \
            GarbageTLS(TLS_IP) as tls:
        registry = write_registry_csv(server, tmp / "registry.csv", include_trap=True)
        with registry.open("a", encoding="utf-8") as handle:
            handle.write(f"TLS乱码测试站,https://{TLS_IP}:{tls.port}/,5399990005,测试单位,测试,"
                         f"department\n域名不存在测试站,{UNRESOLVABLE},5399990006,测试单位,测试,"
                         "department\n")
        config = tight_config(tmp, render="auto", download_timeout_s=5,
                              memory_ceiling_mb=CEILING_MB)
        db = tmp / "hostile.db"
        assert run_cli("--config", str(config), "sites", "import", str(registry),
                       db=db).code == 0
        output = tmp / "report.json"
        started = time.monotonic()
        code, peak, stderr = crawl_sampling_memory(db, config, output)
        elapsed = time.monotonic() - started
        yield {"code": code, "peak": peak, "stderr": stderr, "db": db, "elapsed": elapsed,
               "report": json.loads(output.read_text(encoding="utf-8")) if output.exists()
               else None, "server": server}


def sites(run) -> dict[str, dict]:
    return {site["name"]: site for site in run["report"]["sites"]}


def page(run, path: str) -> tuple:
    with sqlite3.connect(run["db"]) as connection:
        return connection.execute("select status, error, title from pages where url like ?",
                                  (f"%{path}",)).fetchone()


def test_the_hostile_run_completes_with_every_site_reported(hostile_run) -> None:
    assert hostile_run["code"] in (0, 1), hostile_run["stderr"][-2000:]
    assert hostile_run["elapsed"] < 400  # ended by itself: nothing hung it
    assert len(sites(hostile_run)) == 7
    assert "Traceback" not in hostile_run["stderr"]


def test_memory_stays_under_the_ceiling(hostile_run) -> None:
    with sqlite3.connect(hostile_run["db"]) as connection:
        stats = json.loads(connection.execute("select stats from runs").fetchone()[0])
    assert stats["pages_rendered"] >= 1  # the browser was part of the measured tree
    assert 0 < stats["memory"]["peak_mb"] < CEILING_MB
    assert stats["memory"]["stopped"] is None
    assert 0 < hostile_run["peak"] < CEILING_MB


def test_sites_that_cannot_be_read_are_not_judged_and_say_why(hostile_run) -> None:
    by_name = sites(hostile_run)
    expected = {"禁止抓取测试站": "robots", "服务器错误测试站": "500",
                "TLS乱码测试站": "TLS handshake failed: wrong version number", "域名不存在测试站": "DNS"}
    for name, word in expected.items():
        site = by_name[name]
        assert site["verdict"] == "error", (name, site["verdict"], site["reasons"])
        assert not site["vetoes"], name
        reasons = " ".join(site["reasons"]) + json.dumps(site["findings"], ensure_ascii=False)
        assert word in reasons, (name, reasons[:500])


def test_hostile_pages_end_in_recorded_errors(hostile_run) -> None:
    status, error, _ = page(hostile_run, "/stream.html")
    assert status == 0 and "larger than" in error
    status, error, _ = page(hostile_run, "/drip.html")
    assert status == 0 and "timeout" in error
    status, _, _ = page(hostile_run, "/error.html")
    assert status == 500


def test_session_ids_do_not_multiply_pages(hostile_run) -> None:
    stored = count(hostile_run["db"], "select count(*) from pages where url like '%/sid/%'")
    assert 1 <= stored <= SID_PAGES + 1
    served = sum(1 for site, _m, path in hostile_run["server"].requests
                 if site == "hostile" and path.startswith("/sid/"))
    assert served <= SID_PAGES + 1


def test_encodings_that_lie_decode_from_the_bytes(hostile_run) -> None:
    assert page(hostile_run, "/enc/meta-lies.html")[2] == META_LIES_TITLE
    assert page(hostile_run, "/enc/gb18030.html")[2] == GB18030_TITLE


def test_malformed_lists_are_read_as_a_visitor_sees_them(hostile_run) -> None:
    findings = sites(hostile_run)["恶意结构测试站"]["findings"]
    empty = {f["url"].split("/", 3)[3] for f in findings if f["check"] == "empty-column"}
    assert COLUMN_COMMENTED.strip("/") + "/" in empty
    assert COLUMN_STRAY_END.strip("/") + "/" not in empty


def test_the_ordinary_site_is_judged_as_in_the_demo_estate(hostile_run, estate_run) -> None:
    demo = {site["name"]: site for site in
            json.loads(Path(estate_run[2]).read_text(encoding="utf-8"))["sites"]}
    ours, theirs = sites(hostile_run)["青山县人民政府"], demo["青山县人民政府"]
    assert (ours["verdict"], ours["score"]) == (theirs["verdict"], theirs["score"])
    assert sorted(f["check"] for f in ours["findings"]) == \
        sorted(f["check"] for f in theirs["findings"])


def test_a_reached_ceiling_stops_the_crawl_and_resume_goes_on(estate_server,
                                                               tmp_path: Path) -> None:
    registry = write_registry_csv(estate_server, tmp_path / "registry.csv")
    low = tight_config(tmp_path, memory_ceiling_mb=64)  # the interpreter alone is larger
    db = tmp_path / "x.db"
    assert run_cli("--config", str(low), "sites", "import", str(registry), db=db).code == 0
    stopped = run_cli("--config", str(low), "crawl", "--site", "松岭县人民政府", "--as-of", AS_OF,
                      "--quiet", "--no-evidence", db=db)
    assert stopped.code == 2, stopped.stderr
    assert "memory ceiling reached" in stopped.stderr and "--resume" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    listed = run_cli("runs", "list", db=db)
    assert "interrupted" in listed.stdout
    # The ceiling is the machine's, not the run's rule: a resume takes today's.
    normal = tmp_path / "normal"
    normal.mkdir()
    resumed = run_cli("--config", str(tight_config(normal)), "crawl", "--resume", "--quiet",
                      "--no-evidence", "--format", "json", db=db)
    assert resumed.code in (0, 1), resumed.stderr
    report = json.loads(resumed.stdout)
    assert [site["name"] for site in report["sites"]] == ["松岭县人民政府"]
    assert report["sites"][0]["verdict"] in ("pass", "fail")
