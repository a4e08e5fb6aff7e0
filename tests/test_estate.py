"""The demo estate: served correctly, encodings as planted, truth reachable and complete."""

from __future__ import annotations

import csv
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from lxml import etree
from lxml import html as lxml_html

from govsite.estate import EstateServer, build_estate, write_registry_csv
from govsite.estate.model import Estate, Truth

CHECKS = ("empty-column", "consultation-channel", "reply-overdue", "service-guide-time-limit")
CMS_TEMPLATES = ("trs", "hanweb", "oldgbk")


@pytest.fixture(scope="module")
def estate() -> Estate:
    return build_estate()


@pytest.fixture(scope="module")
def server(estate: Estate) -> Iterator[EstateServer]:
    with EstateServer(estate) as running:
        yield running


def fetch(url: str, data: bytes | None = None, timeout: float = 5,
          method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_each_site_served_on_its_own_loopback_ip(server: EstateServer) -> None:
    ips = [server.addresses[s.name][0] for s in server.sites]
    assert ips == [f"127.0.0.{i + 2}" for i in range(len(ips))]
    assert len(server.sites) >= 9
    for spec in server.sites:
        status, _, body = fetch(server.base_url(spec.name))
        assert status == 200, spec.name
        assert b"{{host:" not in body


def test_cross_host_links_name_the_platform(server: EstateServer) -> None:
    _, _, body = fetch(server.base_url("baihe"))
    text = body.decode("utf-8")
    assert f"http://{server.host('platform')}/12345/index.html" in text
    assert f"http://{server.host('platform')}/hdjl/539923/index.html" in text


def test_home_pages_carry_required_footer(server: EstateServer, estate: Estate) -> None:
    for spec in estate.sites:
        if spec.template not in CMS_TEMPLATES:
            continue
        _, _, body = fetch(server.base_url(spec.name))
        text = body.decode("gbk" if spec.template == "oldgbk" else "utf-8")
        for needle in ("主办单位", spec.site_code, "https://beian.miit.gov.cn",
                       "http://www.beian.gov.cn", "https://bszs.conac.cn"):
            assert needle in text, (spec.name, needle)


def test_gbk_pages_decode_as_gbk_not_utf8(server: EstateServer, estate: Estate) -> None:
    article = next(p for p in estate.site("songling").resources if p.startswith("/news/show"))
    for site, path, header_charset in [
        ("songling", "/gbook/list.asp", "utf-8"),  # wrong header
        ("songling", "/sitemap.asp", None),  # no charset anywhere
        ("songling", article, "gb2312"),
        ("trap", "/gbk-wrong.html", "utf-8"),
    ]:
        status, headers, body = fetch(server.url(site, path))
        assert status == 200, path
        content_type = headers["Content-Type"]
        if header_charset:
            assert content_type.endswith(f"charset={header_charset}")
        else:
            assert "charset" not in content_type
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("gbk")
        assert "县" in text or "通知" in text
    _, _, body = fetch(server.url("songling", "/sitemap.asp"))
    assert b"<meta" not in body


def _dataproxy(server: EstateServer, site: str, column: int, start: int,
               end: int) -> etree._Element:
    query = urllib.parse.urlencode({"startrecord": start, "endrecord": end, "perpage": 15})
    form = urllib.parse.urlencode({"col": 1, "appid": 1, "webid": 2, "path": "/",
                                   "columnid": column, "permissiontype": 0}).encode()
    status, headers, body = fetch(
        server.url(site, f"/module/web/jpage/dataproxy.jsp?{query}"), data=form)
    assert status == 200
    assert headers["Content-Type"].startswith("text/xml")
    return etree.fromstring(body)


def test_hanweb_dataproxy_returns_wellformed_xml(server: EstateServer) -> None:
    first = _dataproxy(server, "yunxi", 4512, 1, 15)
    assert first.tag == "datastore"
    assert first.findtext("totalrecord") == "20"
    records = first.findall("recordset/record")
    assert len(records) == 15
    item = lxml_html.fromstring(records[0].text)
    assert item.xpath("//a/@href")[0].startswith("/art/2026/")
    second = _dataproxy(server, "yunxi", 4512, 16, 30)
    assert len(second.findall("recordset/record")) == 5
    empty = _dataproxy(server, "yunxi", 4517, 1, 15)
    assert empty.findtext("totalrecord") == "0"
    assert empty.findall("recordset/record") == []


def test_hanweb_js_column_html_is_empty_but_xml_column_embeds_records(
        server: EstateServer) -> None:
    _, _, body = fetch(server.url("yunxi", "/col/col4512/index.html"))
    tree = lxml_html.fromstring(body)
    assert tree.xpath('//ul[@id="list_4512"]/li') == []
    assert b"dataproxy.jsp" in body
    _, _, body = fetch(server.url("yunxi", "/col/col4514/index.html"))
    script = lxml_html.fromstring(body).xpath('//script[@type="text/xml"]/text()')[0]
    assert len(etree.fromstring(script.encode()).findall("recordset/record")) == 14


def test_unknown_path_is_an_html_404(server: EstateServer) -> None:
    status, headers, body = fetch(server.url("qingshan", "/no/such/page.html"))
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert b"404" in body


def test_forms_accept_posts(server: EstateServer) -> None:
    form = urllib.parse.urlencode({"title": "咨询", "content": "你好"}).encode()
    status, _, body = fetch(server.url("qingshan", "/hdjl/ldxx/submit.do"), data=form)
    assert status == 200
    assert "提交成功" in body.decode("utf-8")
    status, _, _ = fetch(server.url("platform", "/12345/submit.do"), data=form)
    assert status == 200


def test_head_has_no_body(server: EstateServer) -> None:
    status, headers, body = fetch(server.base_url("yunxi"), method="HEAD")
    assert status == 200
    assert int(headers["Content-Length"]) > 0
    assert body == b""


def test_trap_robots_and_traps(server: EstateServer) -> None:
    status, _, body = fetch(server.url("trap", "/robots.txt"))
    assert status == 200
    assert b"Disallow: /private/" in body
    _, _, body = fetch(server.url("trap", "/calendar?month=41"))
    assert b"/calendar?month=42" in body
    _, _, body = fetch(server.url("trap", "/loop/a/a/a/a"))
    assert b'href="a/a"' in body
    assert fetch(server.url("trap", "/loop/b"))[0] == 404
    _, _, body = fetch(server.url("trap", "/redirect/1"))
    assert "跳转终点" in body.decode("utf-8")


def test_hanging_page_does_not_block_others(server: EstateServer) -> None:
    hung: list[BaseException] = []

    def slow() -> None:
        try:
            fetch(server.url("trap", "/slow.html"), timeout=1.5)
        except OSError as error:  # socket timeout
            hung.append(error)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.1)
    started = time.monotonic()
    assert fetch(server.base_url("trap"), timeout=1)[0] == 200
    assert time.monotonic() - started < 1
    thread.join()
    assert hung, "the 60 s page answered early"


def test_stop_returns_promptly_with_a_request_hanging(estate: Estate) -> None:
    running = EstateServer(estate, first_ip="127.0.0.60", names=["trap"]).start()
    url = running.url("trap", "/slow.html")
    dropped: list[BaseException] = []

    def slow() -> None:
        try:
            fetch(url, timeout=5)
        except OSError as error:  # the server drops the hanging request on stop
            dropped.append(error)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    running.stop()
    assert time.monotonic() - started < 2
    thread.join(timeout=6)
    assert dropped
    assert time.monotonic() - started < 4


def test_every_truth_path_resolves(server: EstateServer, estate: Estate) -> None:
    for truth in estate.truth:
        spec = estate.site(truth.served_by)
        resource = spec.handle_get(truth.path)
        if resource is not None and resource.delay_s:
            continue  # the hanging page: covered above
        status, _, _ = fetch(server.truth_url(truth))
        expected = 404 if truth.problem == "column-404" else 200
        assert status == expected, truth


def test_truth_covers_every_check_in_three_templates(estate: Estate) -> None:
    template = {s.name: s.template for s in estate.sites}
    for check in CHECKS:
        flagged = {template[t.site] for t in estate.truth_for(check, expect="flag")}
        assert set(CMS_TEMPLATES) <= flagged, check
        assert estate.truth_for(check, expect="decoy"), check
    empty = Counter(t.site for t in estate.truth_for("empty-column", expect="flag"))
    assert max(empty.values()) >= 5
    assert sorted(empty.values())[-2] <= 2
    problems: dict[str, set[str]] = defaultdict(set)
    for t in estate.truth_for("service-guide-time-limit", expect="flag"):
        problems[t.problem].add(template[t.site])
    assert set(problems) == {"missing", "non-specific", "commitment-exceeds-legal",
                             "inconsistent"}
    assert all(len(found) == 3 for found in problems.values()), problems
    assert any(t.host == "platform" for t in estate.truth_for("reply-overdue"))
    assert {t.problem for t in estate.truth_for("crawl")} >= {
        "calendar-trap", "link-loop", "huge-page", "hanging-page", "external-link",
        "robots-disallowed", "redirect-chain", "gbk-wrong-header"}


def test_build_is_deterministic(estate: Estate) -> None:
    again = build_estate(estate.as_of)
    assert again.truth == estate.truth
    for first, second in zip(estate.sites, again.sites, strict=True):
        assert first.resources.keys() == second.resources.keys()
        assert all(first.resources[p].body == second.resources[p].body
                   for p in first.resources)


def test_registry_csv_lists_served_sites(server: EstateServer, tmp_path) -> None:
    path = write_registry_csv(server, tmp_path / "sites.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["name", "url", "site_code", "organizer", "region", "kind"]
    assert len(rows) == 7
    assert {r["url"] for r in rows} == {
        server.base_url(s.name) for s in server.sites if s.template in CMS_TEMPLATES}
    assert all(len(r["site_code"]) == 10 for r in rows)
    gbk = write_registry_csv(server, tmp_path / "gbk.csv", encoding="gbk", include_trap=True)
    assert len(gbk.read_bytes().decode("gbk").splitlines()) == 9


def _truth_key(t: Truth) -> tuple[str, str]:
    return t.served_by, t.path


def test_truth_rows_are_unique(estate: Estate) -> None:
    keys = Counter((t.check, *_truth_key(t), t.problem) for t in estate.truth)
    assert max(keys.values()) == 1


def _chromium() -> str | None:
    for candidate in (os.environ.get("GOVSITE_CHROMIUM"), "/usr/bin/chromium",
                      "/usr/bin/chromium-browser"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.mark.browser
def test_hanweb_columns_fill_in_a_browser(server: EstateServer) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium binary")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            for column, expected in ((4512, 15), (4514, 14), (4517, 0)):
                page.goto(server.url("yunxi", f"/col/col{column}/index.html"))
                page.wait_for_load_state("networkidle")
                assert page.locator(f"#list_{column} li").count() == expected, column
        finally:
            browser.close()
