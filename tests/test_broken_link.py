"""broken-link: what a target's answer means, how findings score, and a real crawl of
two sites sharing another host's targets (one request per target per run, never crawled)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import tight_config

from govsite.checks.base import Fact, SiteEvidence, SiteInfo
from govsite.checks.broken_link import BrokenLink
from govsite.config import load_config
from govsite.crawler.linkcheck import BROKEN, INCONCLUSIVE, SUSPECTED, judge_answer
from govsite.estate.model import Estate, Resource, SiteSpec
from govsite.estate.server import EstateServer
from govsite.scoring.score import score_site
from govsite.web.soft404 import looks_not_found

AS_OF = date(2026, 11, 16)
SITE = SiteInfo(1, "某县人民政府", "http://www.example.gov.cn/", "www.example.gov.cn")


@pytest.mark.parametrize(("status", "title", "challenge", "state"), [
    (404, None, None, BROKEN), (410, None, None, BROKEN), (403, None, None, BROKEN),
    (403, None, "script challenge", INCONCLUSIVE), (412, None, "script challenge", INCONCLUSIVE),
    (500, None, None, SUSPECTED), (503, None, None, SUSPECTED), (429, None, None, SUSPECTED),
    (200, "页面不存在", None, BROKEN), (200, "404 Not Found", None, BROKEN),
    (200, "G404国道改造工程简报", None, None), (200, "某县人民政府", None, None),
])
def test_what_an_answer_means(status: int, title: str | None, challenge: str | None,
                              state: str | None) -> None:
    assert judge_answer(status, title, challenge).state == state


@pytest.mark.parametrize("title", ["404", "404 - 找不到文件或目录。", "您访问的页面不存在",
                                   "该信息已删除", "Error 404: Not Found", "错误页面"])
def test_soft_404_titles(title: str) -> None:
    assert looks_not_found(title)


@pytest.mark.parametrize("title", ["关于G404国道养护的通知", "2404号建议的答复", "找不到工作怎么办？就业政策解读",
                                   "信息公开指南", "", None])
def test_titles_that_are_no_soft_404(title: str | None) -> None:
    assert not looks_not_found(title)


def _fact(url: str, state: str, home: bool, status: int | None = 404,
          error: str | None = None) -> Fact:
    return Fact("broken-link", url, "link", {
        "state": state, "status": status, "error": error, "detail": None, "count": 3,
        "home": home, "pages": ["http://www.example.gov.cn/"], "offsite": False})


def test_findings_by_state_and_the_score_by_place() -> None:
    facts = [_fact("http://www.example.gov.cn/a.html", BROKEN, True),
             _fact("http://www.example.gov.cn/b.pdf", BROKEN, False),
             _fact("http://www.example.gov.cn/c.html", BROKEN, False),
             _fact("http://other.gov.cn/", SUSPECTED, True, None, "DNS lookup failed"),
             _fact("http://waf.gov.cn/", INCONCLUSIVE, False, 412)]
    findings = list(BrokenLink().evaluate(SiteEvidence(SITE, AS_OF, [], facts)))
    by_target = {f.evidence["target"]: f for f in findings}
    assert by_target["http://www.example.gov.cn/a.html"].evidence["place"] == "home"
    assert [f.severity for f in findings] == ["deduct", "deduct", "deduct", "info", "warn"]
    assert by_target["http://other.gov.cn/"].evidence["judged"] is False
    assert by_target["http://waf.gov.cn/"].evidence["judged"] is False
    rules = load_config().scoring
    verdict = score_site(findings, rules)
    assert verdict.score == 98.8  # -1 on the home page, -0.1 for each of the two elsewhere
    many = [_fact(f"http://www.example.gov.cn/{n}.html", BROKEN, True) for n in range(9)]
    capped = score_site(BrokenLink().evaluate(SiteEvidence(SITE, AS_OF, [], many)), rules)
    assert capped.score == 100 - rules.deductions["broken-link"].cap


def _page(title: str, body: str) -> Resource:
    return Resource(f"<html><head><title>{title}</title></head><body>{body}"
                    "</body></html>".encode())


def _estate() -> Estate:
    shared = "{{host:other}}/shared.html"
    home_a = _page("甲县人民政府", (
        "<a href='/ok.html'>关于做好冬季森林防火工作的通知</a>"
        "<a href='/gone.html'>2025年度工作总结</a><a href='/old.html'>旧版专题</a>"
        f"<a href='http://{shared}'>省级专题网站</a>"
        "<a href='http://{{host:other}}/gone.html'>已撤销的专题</a>"
        "<a href='/files/guide.pdf'>办事指南（PDF）</a><img src='/img/missing.png'>"
        "<a href='http://{{host:other}}/busy.html'>统计数据平台</a>"))
    home_b = _page("乙县人民政府", f"<a href='http://{shared}'>省级专题网站</a>"
                                  "<a href='/ok.html'>县政府常务会议研究部署近期工作</a>")
    sites = [
        SiteSpec("a", "trs", "5301230001", "甲县", "云南省甲县", "portal", title="甲县人民政府",
                 resources={"/": home_a, "/ok.html": _page("通知", "<p>正文</p>"),
                            "/old.html": _page("页面不存在", "<p>您访问的页面不存在。</p>"),
                            "/files/guide.pdf": Resource(b"%PDF-1.4", "application/pdf",
                                                         head_status=405)}),
        SiteSpec("b", "trs", "5301240001", "乙县", "云南省乙县", "portal", title="乙县人民政府",
                 resources={"/": home_b, "/ok.html": _page("会议", "<p>正文</p>")}),
        SiteSpec("other", "trs", "5300000123", "平台", "云南省", "portal", title="平台",
                 resources={"/shared.html": _page("平台", "<a href='/deeper.html'>更多</a>"),
                            "/deeper.html": _page("更深", "<p>不应抓取</p>"),
                            "/busy.html": Resource(b"busy", status=503)}),
    ]
    return Estate(sites, [], AS_OF)


@pytest.mark.slow
def test_a_crawl_checks_every_target_once_and_never_crawls_another_host(
        tmp_path: Path, cli) -> None:
    with EstateServer(_estate(), first_ip="127.0.6.2") as server:
        registry = tmp_path / "registry.csv"
        registry.write_text("name,url,site_code\n" + "".join(
            f"{n},{server.base_url(k)},{c}\n" for n, k, c in
            [("甲县人民政府", "a", "5301230001"), ("乙县人民政府", "b", "5301240001")]), "utf-8")
        db = tmp_path / "links.db"
        config = tight_config(tmp_path)
        assert cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
        result = cli("--config", str(config), "crawl", "--as-of", AS_OF.isoformat(), "--quiet",
                     "--format", "json", db=db, timeout=300)
        assert result.code in (0, 1), result.stderr
        report = json.loads(result.stdout)
        served = list(server.requests)
    other = [(method, path) for site, method, path in served if site == "other"]
    # one request per target for both sites; nothing else of that host (no robots.txt either)
    assert sorted(other) == [("GET", "/busy.html"), ("GET", "/gone.html"),
                             ("GET", "/shared.html")], other
    pdf = [method for site, method, path in served if path == "/files/guide.pdf"]
    assert pdf == ["HEAD", "GET"]  # HEAD refused: believed only by GET
    a = next(s for s in report["sites"] if s["name"] == "甲县人民政府")
    found = {f["evidence"]["target"].split("/", 3)[-1]: f for f in a["findings"]
             if f["check"] == "broken-link"}
    assert {t: f["evidence"]["state"] for t, f in found.items()} == {
        "gone.html": BROKEN, "old.html": BROKEN, "img/missing.png": BROKEN, "busy.html": SUSPECTED}
    assert {f["severity"] for t, f in found.items() if t != "busy.html"} == {"deduct"}
    assert found["busy.html"]["severity"] == "info"
    assert found["old.html"]["evidence"]["detail"].startswith("soft 404")
    assert all(f["evidence"]["place"] == "home" for f in found.values())
    assert found["gone.html"]["evidence"]["pages"] == [server.base_url("a")]
    offsite = [f for f in found.values() if f["evidence"]["offsite"]]
    assert len(offsite) == 2  # the other host's removed page, and its 503
    b = next(s for s in report["sites"] if s["name"] == "乙县人民政府")
    assert not [f for f in b["findings"] if f["check"] == "broken-link"]
