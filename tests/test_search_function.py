"""search-function: search forms read by meaning in four templates' markup, and the verdicts.

The forms are read from the estate's own home pages (TRS, Hanweb, the old GBK
site, the modern site), as served; the verdicts from pages written here. The
estate crawl (tests/test_accuracy.py) holds the check to precision and
recall 1.0 end to end.
"""

from __future__ import annotations

import urllib.request
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from govsite.checks.base import Fact, FetchRequest, PageSummary, SiteEvidence, page_from_html
from govsite.checks.search_function import HOME_FACT, RESULT_FACT, SearchFunction
from govsite.estate import EstateServer, build_estate
from govsite.extract.search import search_box_without_form, search_forms, search_links

AS_OF = date(2026, 11, 16)
HOME = "http://www.example.gov.cn/"
CODECS = {"trs": "utf-8", "hanweb": "utf-8", "oldgbk": "gbk", "modern": "utf-8"}


@pytest.fixture(scope="module")
def estate():
    return build_estate(AS_OF)


def home_html(estate, name: str) -> tuple[str, str]:
    spec = estate.site(name)
    resource = spec.resource("/") or spec.resource("/index.html")
    assert resource is not None
    codec = "gbk" if spec.template == "oldgbk" or name == "lanshan-wjw" else "utf-8"
    return resource.body.decode(codec), codec


@pytest.mark.parametrize(("name", "method", "field", "charset", "hidden"), [
    ("qingshan", "GET", "searchword", "utf-8", ("channelid", "231788")),
    ("yunxi", "POST", "q", "utf-8", ("webid", "2")),
    ("songling", "GET", "keyword", "gbk", None),
    ("lanshan", "GET", "q", "utf-8", None),
    ("lanshan-wjw", "GET", "q", "gbk", None),
])
def test_the_search_form_of_each_template(estate, name, method, field, charset, hidden) -> None:
    html, codec = home_html(estate, name)
    page = page_from_html(html, HOME, as_of=AS_OF, depth=0)
    [form] = search_forms(page.tree, HOME, codec)
    assert (form.method, form.field, form.charset) == (method, field, charset)
    assert hidden is None or hidden in form.fields
    url, body = form.request("青山")
    sent = body if method == "POST" else urlsplit(url).query
    expected = "%C7%E0%C9%BD" if charset == "gbk" else "%E9%9D%92%E5%B1%B1"
    assert f"{field}={expected}" in sent
    assert (body is None) == (method == "GET")


def test_a_site_without_search_has_no_form_box_or_link(estate) -> None:
    html, codec = home_html(estate, "songling-scjgj")
    page = page_from_html(html, HOME, as_of=AS_OF, depth=0)
    assert search_forms(page.tree, HOME, codec) == []
    assert not search_box_without_form(page.tree) and search_links(page.tree, HOME) == []


def test_message_login_and_code_lookup_forms_are_not_search() -> None:
    html = """<body>
    <form action="/xx/submit.do" method="post"><input name="title"><textarea name="c"></textarea>
      <button>提交</button></form>
    <form action="/login.do" method="post"><input name="user"><input type="password" name="pw">
      <button>登录</button></form>
    <form action="/xx/query.do"><input name="cxm" placeholder="请输入查询码"><button>信件查询</button>
    </form></body>"""
    page = page_from_html(html, HOME)
    assert search_forms(page.tree, HOME) == []
    labelled = page_from_html("<form action='/s'><input name='kw'><button>查询</button></form>", HOME)
    [form] = search_forms(labelled.tree, HOME)
    assert form.field == "kw" and form.request("x")[0] == "http://www.example.gov.cn/s?kw=x"


def test_search_link_and_scripted_box_are_search_not_submittable() -> None:
    link = page_from_html("<a href='http://so.example.gov.cn/'>站内搜索</a>", HOME)
    assert search_links(link.tree, HOME) == ["http://so.example.gov.cn/"]
    box = page_from_html("<input id='searchKey' placeholder='请输入关键字'><a onclick='go()'>搜</a>",
                         HOME)
    assert search_box_without_form(box.tree) and search_forms(box.tree, HOME) == []


# --- verdicts -------------------------------------------------------------------------------
ITEMS = ("<ul><li><a href='/a/1.html'>县政府召开常务会议研究部署冬季工作</a><span>2026-11-12</span></li>"
         "<li><a href='/a/0.html'>关于做好秋冬季森林防火工作的通知</a><span>2026-10-02</span></li></ul>")
FORM = "<form action='/search/'><input name='q'><button>搜索</button></form>"


def judge(home: str, answer: str | None = None, *, status: int = 200, rendered: bool = False,
          needs_render: bool = False, render_error: str | None = None) -> tuple[list, list]:
    """(findings, requests) for a home page and the answer to its search."""
    check = SearchFunction()
    page = page_from_html(home, HOME, as_of=AS_OF, depth=0)
    wants = list(check.wants(page))
    facts = [Fact(check.id, HOME, f["kind"], f["data"]) for f in check.extract(page)]
    pages = [PageSummary(HOME, HOME, 200, 0, "crawl", "首页", None, False)]
    for want in wants:
        result = page_from_html(answer or "", want.url, as_of=AS_OF, purpose="search",
                                status=status, rendered=rendered)
        facts += [Fact(check.id, result.url, f["kind"], f["data"]) for f in check.extract(result)]
        pages.append(PageSummary(result.url, want.url, status, 1, "search", "", None, rendered,
                                 needs_render=needs_render, render_error=render_error))
    return list(check.evaluate(SiteEvidence(page.site, AS_OF, pages, facts))), wants


def test_a_search_that_lists_the_newest_article_passes() -> None:
    answer = "<ul><li><a href='/a/9.html'>其他</a></li><li><a href='http://www.example.gov.cn/a/1.html'>" \
             "县政府召开常务会议研究部署冬季工作</a></li></ul>"
    findings, [want] = judge(FORM + ITEMS, answer)
    assert findings == []
    assert want.purpose == "search" and want.post is None and want.optional
    assert dict(parse_qsl(urlsplit(want.url).query)) == {"q": "县政府召开常务会议研究部署冬季工作"}


def test_a_search_that_finds_nothing_or_fails_deducts() -> None:
    [nothing], _ = judge(FORM + ITEMS, "<p>没有找到相关结果</p><a href='/a/0.html'>关于做好秋冬季森林防火工作的通知</a>")
    assert nothing.severity == "deduct" and nothing.evidence["problem"] == "finds-nothing"
    assert nothing.evidence["query"] and nothing.evidence["url"].startswith(HOME + "search/?q=")
    assert nothing.evidence["said"] == "没有找到"
    [error], _ = judge(FORM + ITEMS, "<h1>500</h1>", status=500)
    assert error.severity == "deduct" and error.evidence["problem"] == "search-error"
    [page], _ = judge(FORM + ITEMS, "<title>系统错误</title><p>系统繁忙，请稍后再试</p>")
    assert page.evidence["problem"] == "search-error"


def test_no_search_box_deducts_with_the_contract_fields() -> None:
    [finding], wants = judge(ITEMS)
    assert wants == [] and finding.severity == "deduct"
    assert {"problem", "query", "url"} <= set(finding.evidence)
    assert finding.evidence["problem"] == "no-search-box"


@pytest.mark.parametrize(("home", "kwargs", "reason"), [
    (FORM + "<p>欢迎访问</p>", {}, "nothing-to-search"),
    (ITEMS + "<a href='/search/'>站内搜索</a>", {}, "search-not-submittable"),
    (ITEMS + "<input id='keyword'><a onclick='s()'>搜索</a>", {}, "search-not-submittable"),
    (FORM + ITEMS, {"needs_render": True, "render_error": "not rendered: no browser"},
     "not-rendered"),
])
def test_what_could_not_be_tried_is_not_judged(home, kwargs, reason) -> None:
    [finding], _ = judge(home, "<div id='r'></div>", **kwargs)
    assert finding.severity == "warn" and finding.evidence["judged"] is False
    assert finding.evidence["reason"] == reason


def test_a_post_form_is_asked_as_one_post() -> None:
    home = ("<form action='/jrobot/search.do' method='post'><input type='hidden' name='webid' "
            "value='2'><input name='q'><input type='submit' value=''></form>" + ITEMS)
    _, [want] = judge(home, "")
    assert isinstance(want, FetchRequest) and want.url == HOME + "jrobot/search.do"
    assert dict(parse_qsl(want.post or "")) == {"webid": "2", "q": "县政府召开常务会议研究部署冬季工作"}
    assert not want.render


def test_the_facts_name_their_kind() -> None:
    check = SearchFunction()
    page = page_from_html(FORM + ITEMS, HOME, as_of=AS_OF, depth=0)
    assert [f["kind"] for f in check.extract(page)] == [HOME_FACT]
    result = page_from_html("<p>x</p>", HOME + "search/?q=x", purpose="search")
    assert [f["kind"] for f in check.extract(result)] == [RESULT_FACT]


def test_the_gbk_search_finds_only_a_gbk_query(estate) -> None:
    """The decoy is honest: songling's ASP search decodes GBK bytes; a UTF-8 query finds nothing."""
    html, codec = home_html(estate, "songling")
    page = page_from_html(html, HOME, as_of=AS_OF, depth=0)
    page.encoding = codec  # as the crawl decoded it
    plan = SearchFunction()._plan(page)
    assert plan is not None and plan["query"]
    assert plan["request"].endswith("keyword=" + urllib.request.quote(plan["query"], encoding="gbk"))
    with EstateServer(estate, first_ip="127.0.2.2", names=["songling"]) as server:
        base = server.base_url("songling")
        gbk = urllib.request.urlopen(base + urlsplit(plan["request"]).path[1:] + "?"
                                     + urlsplit(plan["request"]).query).read().decode(codec)
        utf8 = urllib.request.urlopen(base + "search.asp?keyword="
                                      + urllib.request.quote(plan["query"])).read().decode(codec)
    target = urlsplit(plan["target"]).path + "?" + urlsplit(plan["target"]).query
    assert target in gbk and "共找到1条" not in utf8 and target not in utf8
