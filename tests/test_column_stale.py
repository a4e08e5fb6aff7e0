"""column-stale on sites written here: classes by name, ages, undated lists, the veto line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from govsite.checks.base import Fact, PageSummary, SiteEvidence, page_from_html
from govsite.checks.column_stale import ColumnStale

AS_OF = date(2026, 11, 16)
HOME = "http://www.example.gov.cn/"


def column_page(name: str, days: list[int | None], sidebar: str = "") -> str:
    rows = "".join(
        f"<li><a href='/{name}/a{n}.html'>关于做好{name}第{n}项重点工作的情况说明</a>"
        f"<span>{(AS_OF - timedelta(days=d)).isoformat() if d is not None else ''}</span></li>"
        for n, d in enumerate(days))
    return (f"<html><head><title>{name}</title></head><body>"
            f"<div class='header'>今天是{AS_OF.year}年{AS_OF.month}月{AS_OF.day}日</div>"
            f"<div class='main'><div class='side'>{sidebar}</div><h2>{name}</h2>"
            f"<ul class='list'>{rows}</ul></div>"
            "<div class='footer'>版权所有 © 2026 某某县人民政府</div></body></html>")


def path(names: list[str], name: str) -> str:
    return f"/c{names.index(name)}/"


def sitemap(columns: dict[str, str | None]) -> str:
    """{name: parent name or None} as a nested site-map list."""
    names = list(columns)

    def items(parent: str | None) -> str:
        return "".join(f"<li><a href='{path(names, n)}'>{n}</a><ul>{items(n)}</ul></li>"
                       for n, p in columns.items() if p == parent)
    return f"<html><body><div class='main'><ul>{items(None)}</ul></div></body></html>"


def judge(columns: dict[str, tuple[str | None, list[int | None]]], *,
          rendered: bool = False, needs_render: bool = False) -> list:
    check = ColumnStale()
    pages = [PageSummary(HOME, HOME, 200, 0, "crawl", "首页", None, False)]
    facts: list[Fact] = []

    def read(url: str, html: str, purpose: str, depth: int, flagged: bool = False) -> None:
        page = page_from_html(html, url, as_of=AS_OF, purpose=purpose, depth=depth,
                              rendered=rendered and flagged)
        page = replace(page, needs_render=needs_render and flagged)
        pages.append(PageSummary(url, url, 200, depth, purpose, "", None, page.rendered,
                                 needs_render=page.needs_render,
                                 render_error="timeout" if page.needs_render else None))
        facts.extend(Fact(check.id, url, f["kind"], f["data"]) for f in check.extract(page))

    names = list(columns)
    read(HOME + "sitemap/", sitemap({n: p for n, (p, _) in columns.items()}), "sitemap", 1)
    for name, (_parent, days) in columns.items():
        read(HOME.rstrip("/") + path(names, name), column_page(name, days), "column", 2,
             flagged=True)
    site = page_from_html("", HOME).site
    return list(check.evaluate(SiteEvidence(site, AS_OF, pages, facts)))


def test_each_class_has_its_own_age() -> None:
    findings = judge({"工作动态": (None, [20, 25]), "乡镇动态": (None, [13, 30]),
                      "通知公告": (None, [181]), "人事信息": (None, [300]),
                      "规划计划": (None, [400]), "机构概况": (None, [900])})
    assert {f.evidence["column"]: f.evidence["class"] for f in findings} == {
        "工作动态": "news", "通知公告": "notices", "规划计划": "personnel-planning"}
    assert {f.severity for f in findings} == {"warn"}
    news = next(f for f in findings if f.evidence["column"] == "工作动态")
    assert news.evidence["newest"] == (AS_OF - timedelta(days=20)).isoformat()
    assert news.url == HOME + "c0/"


def test_a_first_level_policy_column_deducts_and_a_nested_one_warns() -> None:
    findings = judge({"政策文件": (None, [200]), "信息公开": (None, [1]),
                      "规范性文件": ("信息公开", [200])})
    by_name = {f.evidence["column"]: f for f in findings}
    assert by_name["政策文件"].severity == "deduct" and by_name["政策文件"].evidence["first_level"]
    assert by_name["规范性文件"].severity == "warn"


def test_undated_items_are_not_updated_and_an_empty_column_is_not_this_checks() -> None:
    findings = judge({"通知公告": (None, [None, None, None]), "工作动态": (None, [])})
    [finding] = findings
    assert finding.evidence["column"] == "通知公告" and finding.evidence["newest"] is None


def test_future_dates_and_the_header_clock_are_no_update() -> None:
    [finding] = judge({"工作动态": (None, [-3, 40])})
    assert finding.evidence["newest"] == (AS_OF - timedelta(days=40)).isoformat()


def test_five_stale_columns_are_a_veto() -> None:
    names = ["工作动态", "部门动态", "乡镇动态", "图片新闻", "通知公告"]
    four = judge({n: (None, [60]) for n in names[:4]})
    assert len(four) == 4 and {f.severity for f in four} == {"warn"}
    five = judge({n: (None, [60 if n != "通知公告" else 200]) for n in names})
    assert len(five) == 5 and {f.severity for f in five} == {"veto"}
    assert five[0].evidence["stale_columns"] == 5


def test_a_parent_column_is_judged_by_its_children() -> None:
    findings = judge({"新闻中心": (None, []), "工作动态": ("新闻中心", [2]),
                      "乡镇动态": ("新闻中心", [3])})
    assert findings == []


def test_an_unrendered_script_list_is_not_judged() -> None:
    [finding] = judge({"工作动态": (None, [60])}, needs_render=True)
    assert finding.severity == "warn" and finding.evidence["judged"] is False
