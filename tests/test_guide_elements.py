"""service-guide-elements on guides written here: what counts as a category, and the veto line."""

from __future__ import annotations

from datetime import date

from govsite.checks.base import Fact, PageSummary, SiteEvidence, page_from_html
from govsite.checks.service_guide_elements import ServiceGuideElements

AS_OF = date(2026, 11, 16)
SITE = "http://www.example.gov.cn/"
FULL = [("事项名称", "临时救助申请"), ("设定依据", "《社会救助暂行办法》第四十七条"),
        ("申请条件", "因火灾等意外事件导致基本生活暂时出现严重困难的家庭"),
        ("办理材料", "申请书；身份证；困难情况证明"), ("办理流程", "申请—审核—审批—发放"),
        ("法定办结时限", "20个工作日"), ("承诺办结时限", "10个工作日"), ("收费标准", "不收费"),
        ("办理地点", "县政务服务中心二楼"), ("办理时间", "工作日9:00—17:00"),
        ("咨询方式", "0871-6123456"), ("监督投诉方式", "12345政务服务便民热线")]


def table(rows: list[tuple[str, str]]) -> str:
    return "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def guide_page(body: str, title: str = "临时救助申请办事指南") -> str:
    return (f"<html><head><title>{title}</title></head><body><div class='nav'><a href='/'>首页</a>"
            f"</div><div class='content'><h1>{title}</h1>{body}</div></body></html>")


def without(*labels: str, **values: str) -> list[tuple[str, str]]:
    return [(k, values.get(k, v)) for k, v in FULL if k not in labels]


def judge(*bodies: str, rendered: bool = True, needs_render: bool = False) -> list:
    check = ServiceGuideElements()
    facts, pages = [], []
    for n, body in enumerate(bodies):
        url = f"{SITE}bszn/{n}.html"
        page = page_from_html(guide_page(body), url, as_of=AS_OF, depth=2)
        facts += [Fact(check.id, url, f["kind"], f["data"]) for f in check.extract(page)]
        pages.append(PageSummary(url, url, 200, 2, "crawl", "", None, rendered,
                                 needs_render=needs_render, render_error="timeout"))
    return list(check.evaluate(SiteEvidence(page.site, AS_OF, pages, facts)))


def test_a_full_guide_and_one_missing_three_pass() -> None:
    assert judge(table(FULL)) == []
    assert judge(table(without("设定依据", "办理时间", "咨询方式"))) == []


def test_four_missing_is_a_deduction_naming_them() -> None:
    [finding] = judge(table(without("设定依据", "办理时间", "咨询方式", "监督投诉方式")))
    assert finding.severity == "deduct"
    assert finding.evidence["missing"] == ["设定依据", "办理时间", "咨询方式", "监督投诉方式"]
    assert finding.evidence["guide"] == "临时救助申请" and finding.url.endswith("/bszn/0.html")


def test_labels_with_empty_values_are_missing_but_none_is_an_answer_for_fees() -> None:
    rows = without("设定依据", 办理时间="—", 咨询方式="/", 监督投诉方式="暂无")
    [finding] = judge(table(rows))
    assert finding.evidence["missing"] == ["设定依据", "办理时间", "咨询方式", "监督投诉方式"]
    assert judge(table(without("设定依据", "办理时间", 收费标准="无", 申请条件="无"))) == []


def test_synonyms_and_other_layouts_count() -> None:
    synonyms = [("服务名称", "临时救助"), ("法律依据", "《社会救助暂行办法》"), ("受理条件", "困难家庭"),
                ("申报材料", "申请书"), ("办事流程", "申请、审批"), ("法定期限", "20个工作日"),
                ("承诺期限", "10个工作日"), ("收费", "免费"), ("受理地点", "中心二楼"),
                ("受理时间", "工作日"), ("咨询电话", "0871-6123456"), ("投诉电话", "12345")]
    assert judge(table(synonyms)) == []
    dl = "<dl>" + "".join(f"<dt>{k}：</dt><dd>{v}</dd>" for k, v in FULL) + "</dl>"
    assert judge(dl) == []
    # Tabs: the categories are tab names, their texts in panels (no label pairs).
    tabs = ("<ul class='tabs'>" + "".join(f"<li>{k}</li>" for k, _ in FULL) + "</ul>"
            + "".join(f"<div class='panel'><p>{v}</p></div>" for _, v in FULL))
    assert judge(tabs) == []


def test_a_lone_handling_limit_is_one_time_limit_category() -> None:
    rows = without("法定办结时限", "承诺办结时限", "设定依据", "办理时间", "咨询方式")
    [finding] = judge(table([*rows, ("办理时限", "10个工作日")]))
    assert finding.evidence["missing"] == ["设定依据", "法定办结时限", "办理时间", "咨询方式"]
    rows = without("法定办结时限", "承诺办结时限", "设定依据", "办理时间")
    assert judge(table([*rows, ("办理时限", "10个工作日")])) == []


def test_five_short_guides_are_a_veto() -> None:
    short = table(without("设定依据", "办理时间", "咨询方式", "监督投诉方式"))
    assert {f.severity for f in judge(*[short] * 4)} == {"deduct"}
    findings = judge(*[short] * 5, table(FULL))
    assert len(findings) == 5 and {f.severity for f in findings} == {"veto"}
    assert findings[0].evidence["guides_short"] == 5


def test_an_unrendered_guide_is_not_judged() -> None:
    short = table(without("设定依据", "办理时间", "咨询方式", "监督投诉方式"))
    [finding] = judge(short, rendered=False, needs_render=True)
    assert finding.severity == "warn" and finding.evidence["judged"] is False
