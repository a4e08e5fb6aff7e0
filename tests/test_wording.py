"""wording-errors on pages written here: what it flags, and the look-alikes it must not."""

from __future__ import annotations

from datetime import date

from govsite.checks.base import Fact, PageSummary, SiteEvidence, page_from_html
from govsite.checks.wording_errors import WordingErrors

AS_OF = date(2026, 11, 16)
HOME = "http://www.example.gov.cn/"


def article(sentence: str, day: str | None = "2026-10-12", url: str = HOME + "a/1.html",
            extra: str = "") -> str:
    stamp = f'<div class="info">发布时间：{day}　来源：县政府办</div>' if day else ""
    return (f"<html><head><title>通知</title></head><body><div class='nav'><a href='/'>首页</a>"
            f"</div><div class='article'><h1>关于做好有关工作的通知</h1>{stamp}<p>各乡镇：</p>"
            f"<p>{sentence}</p>{extra}</div></body></html>")


def judge(*pages: tuple[str, str, int]) -> list:
    check = WordingErrors()
    facts, rows = [], []
    for html, url, depth in pages:
        page = page_from_html(html, url, as_of=AS_OF, purpose="crawl", depth=depth)
        facts += [Fact(check.id, url, f["kind"], f["data"]) for f in check.extract(page)]
        rows.append(PageSummary(url, url, 200, depth, "crawl", "t", None, False))
    return list(check.evaluate(SiteEvidence(page.site, AS_OF, rows, facts)))


def test_a_serious_error_is_a_veto_with_its_sentence() -> None:
    [finding] = judge((article("要坚持以习近平新时代中国特色社会主意思想为指导。"), HOME + "a/1.html", 2))
    assert finding.severity == "veto" and finding.evidence["right"] == "中国特色社会主义"
    assert finding.evidence["sentence"] == "要坚持以习近平新时代中国特色社会主意思想为指导。"


def test_an_outdated_name_on_a_recent_page_deducts() -> None:
    [finding] = judge((article("按照国土资源部的要求建立台账。"), HOME + "a/2.html", 2))
    assert finding.severity == "deduct" and finding.evidence["right"] == "自然资源部"


def test_outdated_names_look_alikes_are_not_flagged() -> None:
    pages = [
        (article("原国土资源部印发的文件继续有效。"), HOME + "a/3.html", 2),  # the former body
        (article("会同环境保护部门开展检查。"), HOME + "a/4.html", 2),  # departments, generic
        (article("按照国土资源部的要求建立台账。", day="2016-05-04"), HOME + "a/5.html", 2),
        (article("按照国土资源部的要求建立台账。", day=None), HOME + "a/6.html", 2),  # undated
        (article("正文。", extra="<script>var s='中华人民共合国';</script>"), HOME + "a/7.html", 2),
        (article("中华人民共", extra="<p>合国成立以来</p>"), HOME + "a/8.html", 2),
    ]
    assert judge(*pages) == []


def test_the_home_page_is_current_whatever_its_date() -> None:
    home = ("<html><body><div class='links'>相关链接：<a href='http://www.saic.gov.cn/'>"
            "国家工商行政管理总局</a></div></body></html>")
    [finding] = judge((home, HOME, 0))
    assert finding.severity == "deduct" and finding.url == HOME


def test_one_finding_per_page_and_wording() -> None:
    text = "国务院总里强调。国务院总里指出。"
    [finding] = judge((article(text), HOME + "a/9.html", 2))
    assert finding.evidence["wrong"] == "国务院总里"
