"""hidden-links on pages written here: the static suspicion that picks pages to render,
the reading of the browser's marks, the verdicts, and the crawl's render hook.

The browser's own marking is tested in real Chromium in tests/test_visibility_script.py;
here pages carry the marks as crawler/visibility.py writes them."""

from __future__ import annotations

from datetime import date

from govsite.checks.base import Fact, PageSummary, SiteEvidence, SiteInfo, page_from_html
from govsite.checks.hidden_links import HiddenLinks
from govsite.checks.registry import available_checks
from govsite.crawler.analysis import PageJob, read_page
from govsite.crawler.visibility import CONTRAST, HIDDEN, HIDER, META, PANEL
from govsite.extract.hiding import hiding_selectors, suspect_links

AS_OF = date(2026, 11, 16)
HOME = "http://www.example.gov.cn/"
PAGE = "http://www.example.gov.cn/xwzx/202611/t20261110_1.html"
SITE = SiteInfo(1, "某某县人民政府", HOME, "www.example.gov.cn")


def page(body: str, head: str = "", url: str = PAGE, **kw: object):
    html = f"<html><head><title>t</title>{head}</head><body>{body}</body></html>"
    return page_from_html(html, url, as_of=AS_OF, site=SITE, **kw)  # type: ignore[arg-type]


def rendered(links: str, judged: int = 3, url: str = HOME) -> str:
    return f"<meta name='{META}' content='{judged}'>", links, url


def judge(*pages: tuple[str, str, str], check: HiddenLinks | None = None) -> list:
    """Findings over rendered pages given as (head, body, url)."""
    check = check or HiddenLinks()
    facts, summaries = [], []
    for head, body, url in pages:
        depth = 0 if url == HOME else 1
        ctx = page(body, head, url=url, rendered=True, depth=depth)
        facts += [Fact(check.id, url, f["kind"], f["data"]) for f in check.extract(ctx)]
        summaries.append(PageSummary(url, url, 200, depth, "crawl", "t", None, True))
    return list(check.evaluate(SiteEvidence(SITE, AS_OF, summaries, facts)))


def a(href: str, text: str, how: str = "", **marks: str) -> str:
    extra = "".join(f" {name}='{value}'" for name, value in marks.items())
    return f"<a href='{href}' {HIDDEN}='{how}'{extra}>{text}</a>"


# ------------------------------------------------------------------ verdicts
def test_a_hidden_gambling_link_is_a_veto_and_a_plain_one_a_deduction() -> None:
    body = (a("http://www.hg-yule.com/", "皇冠娱乐城", "display:none", **{HIDER: "div"})
            + a("http://seo.example.net/", "网站建设", "off-screen", **{HIDER: "div.yc"})
            + a("https://beian.miit.gov.cn/", "滇ICP备05001234号-1", **{CONTRAST: "160"}))
    veto, deduct = judge(rendered(body))
    assert (veto.severity, veto.evidence["how"], veto.evidence["words"]) == \
        ("veto", "display:none", ["娱乐城"])
    assert veto.evidence["target"] == "http://www.hg-yule.com/" and veto.url == HOME
    assert veto.evidence["text"] == "皇冠娱乐城" and veto.evidence["key"] == veto.evidence["target"]
    assert (deduct.severity, deduct.evidence["how"], deduct.evidence["words"]) == \
        ("deduct", "off-screen", [])


def test_spam_words_in_the_address_count_too() -> None:
    [finding] = judge(rendered(a("http://liuhecai.example.com/", "点击", "font-size:0")))
    assert finding.severity == "deduct"  # "liuhecai" is no listed word
    [finding] = judge(rendered(a("http://www.casino-88.com/", "点击", "font-size:0")))
    assert finding.severity == "veto" and finding.evidence["words"] == ["casino"]


def test_text_the_colour_of_its_background_is_hidden_within_the_configured_contrast() -> None:
    body = a("http://seo.example.org/", "网站优化", **{CONTRAST: "1"})
    [finding] = judge(rendered(body))
    assert finding.evidence["how"] == "same colour as background"
    assert judge(rendered(a("http://seo.example.org/", "网站优化", **{CONTRAST: "40"}))) == []
    strict = HiddenLinks.configured(max_contrast=0)
    assert judge(rendered(body), check=strict) == []


def test_panels_a_visitor_opens_and_skip_links_are_not_flagged_unless_they_carry_spam() -> None:
    body = (a("http://www.yn.gov.cn/", "云南省人民政府", "display:none",
              **{PANEL: "a sibling of its shape is showing (tabs, slides)"})
            + a("http://other.example.gov.cn/#main", "跳转到主要内容", "off-screen"))
    assert judge(rendered(body)) == []
    spam_tab = a("http://www.bjl.example.com/", "百家乐", "display:none", **{PANEL: "tabs"})
    [finding] = judge(rendered(spam_tab))
    assert finding.severity == "veto"


def test_links_to_the_sites_own_host_are_never_flagged() -> None:
    body = (a("http://www.example.gov.cn/zwgk/", "政务公开", "display:none")
            + a("http://example.gov.cn/xxgk/", "信息公开", "display:none")
            + a("/bsfw/", "办事服务", "display:none"))
    assert judge(rendered(body)) == []


def test_one_finding_per_target_however_many_pages_carry_it() -> None:
    link = a("http://www.hg-yule.com/", "皇冠娱乐城", "display:none")
    findings = judge(rendered(link), rendered(link, url=PAGE))
    assert [f.url for f in findings] == [HOME]


def test_a_rendered_page_without_the_browsers_mark_is_not_judged() -> None:
    [finding] = judge(("", a("http://www.hg-yule.com/", "皇冠娱乐城", "display:none"), HOME))
    assert (finding.severity, finding.evidence["judged"]) == ("warn", False)
    assert "could not be read" in finding.evidence["reason"]


def test_a_home_page_not_rendered_is_not_judged_and_a_plain_page_is_left_alone() -> None:
    check = HiddenLinks()
    home = page(a("https://beian.miit.gov.cn/", "ICP"), url=HOME, depth=0)
    home.render_error = "not rendered: the site's render policy is never"
    plain = page(a("https://beian.miit.gov.cn/", "ICP"))
    facts = [Fact(check.id, p.url, f["kind"], f["data"]) for p in (home, plain)
             for f in check.extract(p)]
    [finding] = check.evaluate(SiteEvidence(SITE, AS_OF, [], facts))
    assert (finding.url, finding.severity, finding.evidence["judged"]) == (HOME, "warn", False)
    assert finding.evidence["reason"] == home.render_error


# ------------------------------------------------------------------ the static suspicion
def test_pages_are_suspected_by_inline_styles_the_hidden_attribute_and_style_block_classes() -> None:
    check = HiddenLinks()
    style = ("<style>/* .plain{display:none} */ .nav ul{display:none} .yq a{display:none}"
             "@media screen{.lk{position:absolute;left:-9999px}} .skip:focus{left:0}"
             ".red{color:red}</style>")
    cases = {
        "<div style='display: none'><p><a href='http://x.example.com/'>x</a></p></div>": True,
        "<div hidden><a href='http://x.example.com/'>x</a></div>": True,
        "<span style='font-size:0px'><a href='//x.example.com/'>x</a></span>": True,
        "<div class='yq'><a href='http://x.example.com/'>x</a></div>": True,
        "<div class='box lk'><a href='http://x.example.com/'>x</a></div>": True,
        "<div class='plain'><a href='http://x.example.com/'>x</a></div>": False,  # a comment
        "<div class='red'><a href='http://x.example.com/'>x</a></div>": False,
        "<div style='display:none'><a href='/zwgk/'>on-site</a></div>": False,
        "<div style='opacity:0.5'><a href='http://x.example.com/'>x</a></div>": False,
        "<a href='https://beian.miit.gov.cn/'>ICP</a>": False,
    }
    for body, suspected in cases.items():
        reason = check.render_wanted(page(body, style))
        assert (reason is not None) == suspected, body
    assert check.render_wanted(page("<p>nothing</p>", url=HOME, depth=0)) is not None


def test_a_rules_subject_is_what_it_hides() -> None:
    tree = page("", "<style>.nav li ul{display:none} #ad .x a{visibility:hidden}"
                ".hd{width:0;height:0;overflow:hidden}</style>").tree
    assert hiding_selectors(tree) == ({"x", "hd"}, set())
    assert suspect_links(tree, PAGE, {"example.gov.cn"}) == []


def test_the_home_page_render_can_be_switched_off() -> None:
    check = HiddenLinks.configured(render_home_page=False)
    assert check.render_wanted(page("<p>x</p>", url=HOME, depth=0)) is None


# ------------------------------------------------------------------ the crawl's hook
def job(html: str, url: str = HOME, depth: int = 0, cannot_render: str | None = None) -> PageJob:
    return PageJob(site=SITE, url=url, final_url=url, status=200,
                   content_type="text/html; charset=utf-8", body=html.encode(), depth=depth,
                   purpose="crawl", as_of=AS_OF, detect=True, cannot_render=cannot_render)


def test_a_page_a_check_wants_rendered_goes_to_the_browser_before_any_check_reads_it() -> None:
    checks = [cls() for cls in available_checks().values() if cls.id != "noop"]
    reading = read_page(job("<html><body><p>首页</p></body></html>"), checks)
    assert reading.to_render and reading.facts == []
    assert reading.wanted == ("requested by check hidden-links: the home page, read as a "
                              "visitor sees it")


def test_without_a_render_the_page_is_read_statically_and_stays_trustworthy() -> None:
    checks = [cls() for cls in available_checks().values() if cls.id != "noop"]
    why = "not rendered: the site's render policy is never"
    reading = read_page(job("<html><body><p>首页</p></body></html>", cannot_render=why), checks)
    assert not reading.to_render and not reading.needs_render
    assert reading.render_error == why
    assert ("hidden-links", "unjudged", {"reason": why}) in reading.facts


def test_a_bot_protection_wall_is_not_read_as_the_sites_page() -> None:
    check = HiddenLinks()
    head, body, url = rendered(a("http://www.hg-yule.com/", "皇冠娱乐城", "display:none"))
    wall = page(body, head, url=url, rendered=True, depth=0)
    wall.needs_render, wall.render_error = True, "blocked by bot protection: the browser did not"
    assert list(check.extract(wall)) == []
    wall.needs_render, wall.render_error = False, None
    assert [f["kind"] for f in check.extract(wall)] == ["hidden-links"]
