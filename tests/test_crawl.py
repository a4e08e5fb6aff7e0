"""The crawl, end to end: the real CLI crawls the estate over loopback HTTP.

One crawl of the trap site with tight bounds, one of the demo estate; many
assertions read what each stored.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from helpers import AS_OF, SCHEMA, tight_config

from govsite.estate import build_estate, write_registry_csv
from govsite.web.html import page_title, parse_html

pytestmark = pytest.mark.slow  # crawls, and runs the CLI in a subprocess


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


# ------------------------------------------------------------------ the trap site
@pytest.fixture(scope="module")
def trap_run(estate_server, tmp_path_factory, cli):
    tmp = tmp_path_factory.mktemp("trap")
    db = tmp / "trap.db"
    registry = write_registry_csv(estate_server, tmp / "registry.csv", include_trap=True)
    config = tight_config(tmp, max_pages_per_site=80, max_depth=30, download_timeout_s=3,
                          max_response_bytes=1_048_576, max_query_variants_per_path=15)
    assert cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
    result = cli("--config", str(config), "crawl", "--site", "爬虫陷阱测试站",
                        "--as-of", AS_OF, "--quiet", "--format", "json", db=db, timeout=120)
    return db, result, estate_server


def test_trap_crawl_finishes_with_a_report(trap_run) -> None:
    db, result, _ = trap_run
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert [site["name"] for site in report["sites"]] == ["爬虫陷阱测试站"]
    assert rows(db, "select status from runs") == [("done",)]


def test_trap_crawl_stays_on_its_host(trap_run) -> None:
    db, _, server = trap_run
    trap_host = server.host("trap")
    fetched_hosts = {urlsplit(url).netloc for (url,) in
                     rows(db, "select final_url from pages where status > 0")}
    assert fetched_hosts == {trap_host}
    offsite = {to for (to,) in rows(db, "select to_url from offsite_links")}
    assert "http://www.example.gov.cn/zwgk/index.html" in offsite


def test_trap_crawl_respects_every_bound(trap_run) -> None:
    db, _, _server = trap_run
    pages = rows(db, "select url, status, error from pages")
    assert len(pages) <= 80
    by_path = {urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else ""):
               (status, error) for url, status, error in pages}
    assert "larger than 1048576 bytes" in by_path["/big.html"][1]
    assert "timeout" in by_path["/slow.html"][1]
    assert by_path["/private/secret.html"][1] == "disallowed by robots.txt"
    assert not any(path.endswith((".pdf", ".doc")) for path in by_path)
    calendar_pages = [p for p in by_path if p.startswith("/calendar")]
    assert 1 <= len(calendar_pages) <= 15
    loop_depth = max(p.count("/a") for p in by_path if p.startswith("/loop"))
    assert loop_depth == 3  # /loop/a/a/a: the fourth repeat is a loop
    (limits,) = rows(db, "select limits_hit from site_crawls")
    assert {"max_query_variants_per_path", "max_repeated_path_segment",
            "robots_txt"} <= set(json.loads(limits[0]))


def test_addresses_outside_a_public_sites_scope_are_never_requested(trap_run) -> None:
    db, _, server = trap_run
    trap_host = server.host("trap")
    asked = {url for (url,) in rows(db, "select url from pages")}
    assert not any("169.254" in u or "10.1.2.3" in u or "fe80" in u or not u.startswith("http")
                   for u in asked)
    [(final_url, status, error)] = rows(
        db, "select final_url, status, error from pages where url = ?",
        f"http://{trap_host}/go/metadata")
    assert status == 0 and final_url.startswith("http://169.254.169.254/")
    assert error.startswith("out of scope: 169.254.169.254 is a link-local address")
    (limits,) = rows(db, "select limits_hit from site_crawls")
    assert "address_scope" in json.loads(limits[0])
    (failed,) = rows(db, "select pages_failed from site_crawls")
    hostile = 4  # slow, big, the gzip bomb, the redirect loop; a refusal is govsite's
    assert failed[0] == hostile  # choice, not one of the site's failed pages


def test_hostile_answers_end_in_a_recorded_error_not_a_crash(trap_run) -> None:
    db, _, _ = trap_run
    by_path = {urlsplit(url).path: (status, error) for url, status, error
               in rows(db, "select url, status, error from pages")}
    _, bomb_error = by_path["/bomb.html"]
    assert "larger than 1048576 bytes" in bomb_error, by_path["/bomb.html"]
    status, error = by_path["/binary.html"]
    assert status == 200 and error is None  # stored and read (as nothing), not "processing failed"
    loop_status, loop_error = by_path["/redirect/loop"]
    assert loop_status == 0 and "redirect" in loop_error.lower(), by_path["/redirect/loop"]


def test_redirect_chain_is_followed_and_recorded(trap_run) -> None:
    db, _, _ = trap_run
    [(url, final_url, status)] = rows(
        db, "select url, final_url, status from pages where url like '%/redirect/1'")
    assert status == 200 and final_url != url


def test_gbk_page_with_a_utf8_header_decodes_from_its_bytes(trap_run) -> None:
    db, _, _ = trap_run
    [(title, encoding)] = rows(db, "select title, encoding from pages "
                                   "where url like '%/gbk-wrong.html'")
    assert "关于做好秋冬季森林防火工作的通知" in title
    assert encoding in ("gbk", "gb18030")


# ------------------------------------------------------------------ the demo estate
def test_every_site_is_crawled_and_reported(estate_run) -> None:
    db, result, output, server, _ = estate_run
    assert result.code in (0, 1), result.stderr
    report = json.loads(output.read_text(encoding="utf-8"))
    jsonschema.validate(report, SCHEMA)
    served = [s for s in server.sites if s.template not in ("platform", "trap")]
    assert report["summary"]["sites"] == len(served) >= 10
    assert report["run"]["as_of"] == AS_OF
    for site in report["sites"]:
        assert site["pages"] >= 20, site["name"]
    crawls = rows(db, "select status, pages_fetched from site_crawls")
    assert all(status == "done" and fetched >= 20 for status, fetched in crawls)


def test_each_site_stays_on_its_own_host(estate_run) -> None:
    """Crawling never leaves the site; checks fetch only what they need elsewhere."""
    db, _, _, server, _ = estate_run
    offsite = []
    for site_url, page_url, purpose in rows(db, "select s.url, p.final_url, p.purpose from pages p "
                                                "join sites s on s.id = p.site_id"):
        if urlsplit(page_url).netloc != urlsplit(site_url).netloc:
            offsite.append((urlsplit(page_url).netloc, purpose))
    assert offsite, "the county boards and channels on the platform were never checked"
    assert {host for host, _ in offsite} == {server.host("platform")}
    assert "crawl" not in {purpose for _, purpose in offsite}
    platform_links = rows(db, "select count(*) from offsite_links where to_url like ?",
                          f"%{server.host('platform')}%")
    assert platform_links[0][0] >= 1


def test_gbk_site_titles_decode_exactly(estate_run) -> None:
    """Every page of the GBK template, whatever its headers say, reads as the server wrote it."""
    db, _, _, server, _ = estate_run
    estate = build_estate()
    spec = estate.site("songling")
    base = server.base_url("songling").rstrip("/")
    checked = 0
    for url, title, encoding in rows(db, "select url, title, encoding from pages "
                                         "where url like ? and status = 200", f"{base}%"):
        path = url[len(base):]
        resource = spec.resource(path)
        if resource is None or "html" not in resource.content_type:
            continue
        expected = page_title(parse_html(resource.body.decode("gbk")))
        assert title == expected, (url, encoding)
        assert encoding in ("gbk", "gb18030"), url
        checked += 1
    assert checked >= 20


def test_report_again_from_the_store(estate_run, cli) -> None:
    db, result, output, *_ = estate_run
    again = cli("report", "--format", "json", db=db)
    assert again.code == result.code
    assert json.loads(again.stdout)["sites"] == json.loads(output.read_text())["sites"]
    table = cli("report", db=db)
    assert "青山县人民政府" in table.stdout


# ------------------------------------------------------------------ exit codes
def test_unreachable_site_is_not_judged_and_exits_1(tmp_path: Path, cli) -> None:
    """One failed visit is no week of monitoring (tests/test_probe.py): the site
    is reported not judged, never passed, and CI still sees exit code 1."""
    db = tmp_path / "down.db"
    result = cli("--config", str(tight_config(tmp_path, download_timeout_s=2)), "check",
                 "http://127.0.0.250:9/", "--as-of", AS_OF, "--quiet", "--format", "json",
                 db=db, timeout=120)
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr  # one line per failure, for cron logs
    table = cli("report", "--lang", "en", db=db)
    row = next(line for line in table.stdout.splitlines() if "127.0.0.250:9/" in line)
    assert "not judged" in row and "100" not in row  # no score for what was not inspected
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    [site] = report["sites"]
    assert site["verdict"] == "error" and site["vetoes"] == []
    [finding] = site["findings"]
    assert (finding["check"], finding["severity"]) == ("site-unreachable", "warn")


def test_check_of_a_qualified_site_exits_0(estate_server, tmp_path: Path, cli) -> None:
    result = cli("--config", str(tight_config(tmp_path)), "check",
                 estate_server.base_url("qingxi"), "--as-of", AS_OF, "--quiet",
                 db=tmp_path / "ok.db", timeout=120)
    assert result.code == 0, result.stdout + result.stderr


def test_check_of_an_unqualified_site_exits_1(estate_server, tmp_path: Path, cli) -> None:
    result = cli("--config", str(tight_config(tmp_path)), "check",
                 estate_server.base_url("linshui-fgw"), "--as-of", AS_OF, "--quiet",
                 "--format", "json", db=tmp_path / "bad.db", timeout=120)
    assert result.code == 1, result.stderr
    [site] = json.loads(result.stdout)["sites"]
    assert site["verdict"] == "fail" and "empty-column" in site["vetoes"]


@pytest.mark.parametrize("args", [
    ("crawl", "--as-of", "2026-13-01"),
    ("crawl", "--format", "yaml"),
    ("report", "--run", "999"),
    ("crawl", "--site", "no such site"),
    ("check", "ftp://example.gov.cn/"),
    ("no-such-command",),
])
def test_usage_errors_exit_2(tmp_path: Path, cli, args) -> None:
    result = cli(*args, db=tmp_path / "u.db")
    assert result.code == 2, (result.code, result.stderr)
    assert "Traceback" not in result.stderr
