"""The demo estate: served correctly, encodings as planted, truth reachable and complete."""

from __future__ import annotations

import csv
import os
import re
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
from govsite.estate.plans import qingxi
from govsite.estate.workdays import workdays_between

CHECKS = ("empty-column", "consultation-channel", "reply-overdue", "service-guide-time-limit")
CMS_TEMPLATES = ("trs", "hanweb", "oldgbk", "modern")
GBK_SITES = {"songling", "songling-scjgj", "lanshan-wjw"}
MODERN_SITES = ("lanshan", "lanshan-wjw")
DATE = re.compile(r"20\d\d(?:-\d\d-\d\d|/\d\d/\d\d|年\d{1,2}月\d{1,2}日)")


def codec(name: str) -> str:
    return "gbk" if name in GBK_SITES else "utf-8"


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
    """Every footer is complete except where site-identifiers plants a flag."""
    flagged = {t.site for t in estate.truth_for("site-identifiers", expect="flag")}
    assert flagged == {"linshui-fgw", "songling"}
    for spec in estate.sites:
        if spec.template not in CMS_TEMPLATES or spec.name in flagged:
            continue
        _, _, body = fetch(server.base_url(spec.name))
        text = body.decode(codec(spec.name))
        conac = "https://dcs.conac.cn/js/" if spec.name == "songling-scjgj" else \
            "https://bszs.conac.cn"
        for needle in ("主办单位", spec.site_code, "https://beian.miit.gov.cn",
                       "http://www.beian.gov.cn", conac):
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
        if truth.problem in ("redirect-out-of-scope", "redirect-loop"):  # never to be followed
            assert resource is not None and resource.status == 302, truth
            continue
        status, _, _ = fetch(server.truth_url(truth))
        if truth.check == "broken-link":  # its targets answer as planted (linkcheck tests)
            broken = {"home-404": 404, "offsite-404": 404, "home-image-404": 404,
                      "sitemap-404": 404, "challenge": 412, "suspected-503": 503}
            assert status == broken.get(truth.problem, 200), truth
            continue
        expected = 404 if truth.problem == "column-404" else 200
        assert status == expected, truth


def test_truth_covers_every_check_in_every_template(estate: Estate) -> None:
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
    assert all(found == set(CMS_TEMPLATES) for found in problems.values()), problems
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
    assert len(rows) == 10
    assert {r["url"] for r in rows} == {
        server.base_url(s.name) for s in server.sites if s.template in CMS_TEMPLATES}
    assert all(len(r["site_code"]) == 10 for r in rows)
    gbk = write_registry_csv(server, tmp_path / "gbk.csv", encoding="gbk", include_trap=True)
    assert len(gbk.read_bytes().decode("gbk").splitlines()) == 12


def test_platform_and_trap_are_served_last(estate: Estate) -> None:
    assert [s.name for s in estate.sites[-2:]] == ["platform", "trap"]
    assert {"qingxi", "lanshan", "lanshan-wjw"} <= {s.name for s in estate.sites}


def test_clean_site_plants_only_decoys(estate: Estate) -> None:
    """qingxi must pass every check: its truth is decoys only, one per check at least."""
    rows = estate.truth_for(site="qingxi")
    assert {t.expect for t in rows} == {"decoy"}
    assert set(CHECKS) <= {t.check for t in rows}
    assert {t.problem for t in rows} >= {"title-has-placeholder-word", "holiday-within-limit",
                                         "recent-unanswered", "working-form", "immediate",
                                         "equal-numerals", "commitment-shorter"}
    plan = qingxi(estate.as_of)
    assert plan.board is not None
    for message in plan.board.messages:
        end = message.replied.date() if message.replied else estate.as_of
        assert workdays_between(message.asked.date(), end) <= 5, message
    holiday = next(m for m in plan.board.messages
                   if any(k.problem == "holiday-within-limit" for k in m.marks))
    assert holiday.replied is not None
    assert (holiday.replied - holiday.asked).days > 7  # spans the National Day holiday


def test_clean_site_map_lists_only_columns_with_dated_items(server: EstateServer) -> None:
    _, _, body = fetch(server.url("qingxi", "/wzdt/"))
    links = lxml_html.fromstring(body).xpath('//ul[@class="wzdt"]//a/@href')
    assert len(links) >= 7
    for link in links:
        status, _, page = fetch(server.url("qingxi", link))
        assert status == 200, link
        assert len(DATE.findall(page.decode("utf-8"))) >= 3, link


def test_modern_sites_use_div_layouts_and_gkmlpt_urls(server: EstateServer,
                                                      estate: Estate) -> None:
    for name in MODERN_SITES:
        spec = estate.site(name)
        assert spec.template == "modern"
        pages = [r for r in spec.resources.values() if r.content_type.startswith("text/html")]
        assert 40 <= len(spec.resources) <= 120, name
        assert not any(b"<table" in r.body for r in pages), name
        _, _, body = fetch(server.base_url(name))
        tree = lxml_html.fromstring(body.decode(codec(name)))
        footer = tree.xpath('//footer | //div[@class="foot"]')[0]
        assert footer.xpath('.//a[text()="网站地图"]/@href') == ["/wzdt/"]
        assert fetch(server.url(name, "/wzdt/"))[0] == 200
    home = lxml_html.fromstring(fetch(server.base_url("lanshan"))[2].decode("utf-8"))
    assert home.xpath("//header//nav//a")
    assert home.xpath('//a[@href="/gkmlpt/index"]')
    dept = lxml_html.fromstring(fetch(server.base_url("lanshan-wjw"))[2].decode("gbk"))
    assert dept.xpath('//div[@class="menu-wrap"]//a') and not dept.xpath("//header")
    _, _, body = fetch(server.url("lanshan", "/zwgk/tzgg/"))
    tree = lxml_html.fromstring(body.decode("utf-8"))
    hrefs = tree.xpath('//div[@class="zw-list"]/div[@class="zw-item"]/a/@href')
    assert hrefs and all(re.fullmatch(r"/gkmlpt/content/\d+/\d+/post_\d+\.html", h)
                         for h in hrefs)
    assert fetch(server.url("lanshan", hrefs[0]))[0] == 200
    assert fetch(server.url("lanshan", "/gkmlpt/index"))[0] == 200
    _, _, body = fetch(server.url("lanshan", "/xwzx/lsyw/"))
    assert b'href="index_2.html"' in body
    assert fetch(server.url("lanshan", "/xwzx/lsyw/index_2.html"))[0] == 200
    assert fetch(server.url("lanshan", "/xwzx/lsyw/index_1.html"))[0] == 404
    assert re.search(r'<span class="time">2026年\d{1,2}月\d{1,2}日</span>', body.decode())


def test_modern_gbk_site_is_gbk_from_meta_to_bytes(server: EstateServer,
                                                   estate: Estate) -> None:
    spec = estate.site("lanshan-wjw")
    html_paths = [p for p, r in spec.resources.items() if r.content_type.startswith("text/html")]
    assert len(html_paths) >= 40
    for path in ("/", "/xxgk/wsjd/", "/hdjl/wyzx/", "/wzdt/", html_paths[5]):
        status, headers, body = fetch(server.url("lanshan-wjw", path))
        assert status == 200, path
        assert b'<meta charset="gbk">' in body
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        text = body.decode("gbk")
        assert text == body.decode("gb18030")
        assert "蓝山县卫生健康局" in text
        if path == "/wzdt/":
            assert "charset" not in headers["Content-Type"]  # the meta alone names it
        else:
            assert headers["Content-Type"] == "text/html; charset=gbk"
    _, _, body = fetch(server.url("lanshan-wjw", "/hdjl/wyzx/"))
    text = body.decode("gbk")
    assert "系统升级维护中，暂停使用" in text
    assert 'method="post"' not in text
    _, _, body = fetch(server.url("lanshan-wjw", "/xxgk/wsjd/"))
    assert '<div class="empty">暂无相关信息</div>' in body.decode("gbk")


def test_modern_board_and_form(server: EstateServer, estate: Estate) -> None:
    form = urllib.parse.urlencode({"title": "咨询", "content": "你好"}).encode()
    status, _, body = fetch(server.url("lanshan", "/hdjl/wyzx/submit"), data=form)
    assert status == 200
    assert "提交成功" in body.decode("utf-8")
    _, _, body = fetch(server.url("lanshan", "/hdjl/zxts/"))
    text = body.decode("utf-8")
    for needle in ("诉求标题", "提交时间", "办理状态", "答复时间", "已办结", "待处理"):
        assert needle in text, needle
    late = next(t for t in estate.truth_for("reply-overdue", "lanshan", "flag")
                if "adjusted workday" in t.note)
    _, _, body = fetch(server.url("lanshan", late.path))
    text = body.decode("utf-8")
    assert '<span class="label">提交时间：</span><span class="value">2026-10-09' in text
    assert "<p><b>答复时间：</b>2026年10月16日</p>" in text


def test_single_page_columns_are_text_without_a_list(server: EstateServer,
                                                     estate: Estate) -> None:
    rows = [t for t in estate.truth_for("empty-column", expect="decoy")
            if t.problem == "single-page"]
    assert {t.site for t in rows} == set(MODERN_SITES)
    for truth in rows:
        _, _, body = fetch(server.truth_url(truth))
        tree = lxml_html.fromstring(body.decode(codec(truth.site)))
        [box] = tree.xpath('//div[contains(@class, "single-page")]')
        assert len(box.text_content()) >= 300
        assert not box.xpath(".//li | .//a")
        assert not DATE.search(box.text_content())


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


@pytest.mark.slow
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
