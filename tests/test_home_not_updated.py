"""home-not-updated on home pages written here: the newest item's date, and what dates nothing."""

from __future__ import annotations

from datetime import date

from govsite.checks.base import Fact, PageSummary, SiteEvidence, page_from_html
from govsite.checks.home_not_updated import HomeNotUpdated
from govsite.extract.item_dates import dated_items

AS_OF = date(2026, 11, 16)
HOME = "http://www.example.gov.cn/"


def rows(*items: tuple[str, str]) -> str:
    return "<ul class='list'>" + "".join(
        f"<li><a href='/a/{n}.html'>{title}</a><span>{day}</span></li>"
        for n, (title, day) in enumerate(items)) + "</ul>"


def home(body: str, header: str = "") -> str:
    return (f"<html><head><title>首页</title></head><body><div class='top'>{header}</div>"
            f"<div class='nav'><a href='/'>首页</a><a href='/xwzx/'>新闻中心</a></div>{body}"
            "<div class='footer'>版权所有 © 2003-2026 某某县人民政府 网站标识码：5301230001</div>"
            "</body></html>")


def judge(html: str, *, rendered: bool = True, needs_render: bool = False) -> list:
    check = HomeNotUpdated()
    page = page_from_html(html, HOME, as_of=AS_OF, purpose="crawl", depth=0)
    facts = [Fact(check.id, HOME, f["kind"], f["data"]) for f in check.extract(page)]
    summary = PageSummary(HOME, HOME, 200, 0, "crawl", "首页", None, rendered,
                          needs_render=needs_render)
    return list(check.evaluate(SiteEvidence(page.site, AS_OF, [summary], facts)))


def test_a_home_page_whose_newest_item_is_old_is_a_veto_whatever_its_clock_says() -> None:
    html = home(rows(("县政府召开常务会议研究部署冬季工作", "2026-10-20"),
                     ("关于做好秋冬季森林防火工作的通知", "2026-10-02")),
                header="今天是2026年11月16日 星期一")
    [finding] = judge(html)
    assert finding.severity == "veto" and finding.evidence["newest"] == "2026-10-20"
    assert finding.evidence["item"].endswith("/a/0.html")


def test_fresh_home_pages_pass_in_every_date_style() -> None:
    for day in ("2026-11-10", "2026年11月10日", "[11-10]", "11-10", "2026/11/10", "2026.11.10"):
        html = home(rows(("关于2019年度考核结果的通知", "2019-03-01"),
                         ("县政府召开常务会议研究部署冬季工作", day)))
        assert judge(html) == [], day


def test_a_year_in_a_title_dates_nothing() -> None:
    [item] = dated_items(page_from_html(home(rows(("关于2026年11月15日停电的通知", "2026-09-01"))),
                                        HOME, as_of=AS_OF).tree, HOME, AS_OF)
    assert item.day == date(2026, 9, 1)


def test_future_dates_are_a_warning_not_freshness() -> None:
    html = home(rows(("关于开展2027年度项目申报的通知", "2027-01-05"),
                     ("县政府召开常务会议研究部署冬季工作", "2026-10-01")))
    found = {f.evidence.get("problem", "stale"): f for f in judge(html)}
    assert found["future-date"].severity == "warn"
    assert found["stale"].severity == "veto" and found["stale"].evidence["newest"] == "2026-10-01"


def test_no_dates_or_no_rendering_is_not_judged() -> None:
    [undated] = judge(home("<ul><li><a href='/a/1.html'>县政府召开常务会议研究部署冬季工作</a></li></ul>"))
    assert undated.severity == "warn" and undated.evidence["judged"] is False
    [unrendered] = judge(home("<div id='app'></div>"), rendered=False, needs_render=True)
    assert unrendered.evidence["judged"] is False
