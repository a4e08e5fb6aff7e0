"""site-identifiers on footers written here: each item missing, wrong, unlinked, and look-alikes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from govsite.checks.base import Fact, PageSummary, SiteEvidence, page_from_html
from govsite.checks.site_identifiers import SiteIdentifiers

AS_OF = date(2026, 11, 16)
HOME = "http://www.example.gov.cn/"
CODE = "5301230001"

ORGANIZER = "<p>主办单位：某某县人民政府办公室　地址：某某县人民路1号</p>"
CONTACT = "<p>联系电话：0871-6123456</p>"
SITE_CODE = f"<p>网站标识码：{CODE}</p>"
ICP = '<a href="https://beian.miit.gov.cn" target="_blank">滇ICP备05001234号-1</a>'
POLICE = ('<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=53012302000123">'
          "滇公网安备 53012302000123号</a>")
CONAC = ('<a href="https://bszs.conac.cn/sitename?method=show&id=ABC"><img src="/dzjg.png" '
         'alt="党政机关"></a>')


def footer(**parts: str) -> str:
    items = {"organizer": ORGANIZER, "contact": CONTACT, "site_code": SITE_CODE, "icp": ICP, "police": POLICE,
             "conac": CONAC, **parts}
    return "<div class='copyright'>" + "".join(items.values()) + "</div>"


def home(foot: str, body: str = "<div class='main'><a href='/xwzx/'>新闻中心</a></div>") -> str:
    return f"<html><head><title>某某县人民政府</title></head><body>{body}{foot}</body></html>"


def judge(html: str, *, registered: str | None = CODE, rendered: bool = False,
          frames: dict[str, str] | None = None) -> list:
    check = SiteIdentifiers()
    page = page_from_html(html, HOME, as_of=AS_OF, purpose="crawl", depth=0)
    page = replace(page, site=replace(page.site, site_code=registered))
    summaries = [PageSummary(HOME, HOME, 200, 0, "crawl", "首页", None, rendered)]
    facts = [Fact(check.id, HOME, f["kind"], f["data"]) for f in check.extract(page)]
    wanted = [w.url for w in check.wants(page)]
    for url, frame_html in (frames or {}).items():
        assert url in wanted, wanted
        frame = page_from_html(frame_html, url, as_of=AS_OF, purpose="footer-frame", depth=1)
        summaries.append(PageSummary(url, url, 200, 1, "footer-frame", "", None, False))
        facts += [Fact(check.id, url, f["kind"], f["data"]) for f in check.extract(frame)]
    return list(check.evaluate(SiteEvidence(page.site, AS_OF, summaries, facts)))


def test_a_complete_footer_passes() -> None:
    assert judge(home(footer())) == []


@pytest.mark.parametrize("part, item", [
    ("organizer", "organizer"), ("contact", "contact"), ("site_code", "site_code"), ("icp", "icp"),
    ("police", "public_security"), ("conac", "conac"),
])
def test_each_missing_item_is_named(part: str, item: str) -> None:
    [finding] = judge(home(footer(**{part: ""})))
    assert finding.severity == "deduct"
    assert finding.evidence["missing"] == [item] and finding.evidence["wrong"] == []


def test_no_contact_is_named_and_an_email_or_contact_page_counts() -> None:
    [finding] = judge(home(footer(contact="")))
    assert finding.evidence["missing"] == ["contact"]
    assert judge(home(footer(contact="<p>电子邮箱：zfb@example.gov.cn</p>"))) == []
    assert judge(home(footer(contact="<a href='/lxwm/'>联系我们</a>"))) == []


def test_a_form_label_is_no_contact() -> None:
    form = "<form><p>联系电话：<input name='phone'></p></form>"
    [finding] = judge(home(footer(contact=""), body=form))
    assert finding.evidence["missing"] == ["contact"]


def test_a_code_unlike_the_registry_or_malformed_is_wrong() -> None:
    [finding] = judge(home(footer(site_code="<p>网站标识码：5301230010</p>")))
    assert finding.evidence["wrong"] == ["site_code"] and finding.evidence["missing"] == []
    assert finding.evidence["found"]["site_code"] == "5301230010"
    assert CODE in finding.evidence["why"]["site_code"]
    [finding] = judge(home(footer(site_code="<p>网站标识码：530123001</p>")), registered=None)
    assert finding.evidence["wrong"] == ["site_code"]
    # Unregistered code: only the format is judged; bm + 8 digits is a department's.
    assert judge(home(footer(site_code="<p>网站标识码：bm12000001</p>")), registered=None) == []


def test_records_as_plain_text_are_wrong_not_missing() -> None:
    [finding] = judge(home(footer(icp="<span>滇ICP备05001234号-1</span>",
                                  police="<span>滇公网安备 53012302000123号</span>")))
    assert finding.evidence["wrong"] == ["icp", "public_security"]
    assert finding.evidence["found"]["icp"] == "滇ICP备05001234号-1"
    assert "beian.miit.gov.cn" in finding.evidence["why"]["icp"]


def test_the_conac_mark_unlinked_is_wrong_and_its_official_script_counts() -> None:
    [finding] = judge(home(footer(conac="<img src='/dzjg.png' alt='党政机关网站标识'>")))
    assert finding.evidence["wrong"] == ["conac"] and finding.evidence["missing"] == []
    loader = ('<span id="_ideConac"></span><script src="https://dcs.conac.cn/js/25/000/0000/'
              '60429971/CA250000000604299710002.js"></script>')
    assert judge(home(footer(conac=loader))) == []


def test_look_alike_layouts_are_read() -> None:
    spaced = ("<table><tr><td>主 办 单 位：某某县人民政府办公室</td><td>电话：(0871) 6123456</td></tr>"
              f"<tr><td>网站识别码</td><td>{CODE}</td></tr></table>")
    assert judge(home(footer(organizer=spaced, contact="", site_code=""))) == []
    split = f"<p><span>网站标识码：</span><span>{CODE}</span><span>ICP备</span></p>"
    assert judge(home(footer(site_code=split))) == []


def test_a_footer_in_a_frame_or_loaded_fragment_is_read_with_the_home_page() -> None:
    framed = home("<iframe src='/include/foot.html' width='100%'></iframe>")
    assert judge(framed, frames={HOME + "include/foot.html": home(footer())}) == []
    [finding] = judge(framed, frames={HOME + "include/foot.html": home(footer(conac=""))})
    assert finding.evidence["missing"] == ["conac"]
    loaded = home("<div id='footer'></div><script>$('#footer').load('/inc/foot.shtml');</script>")
    assert judge(loaded, frames={HOME + "inc/foot.shtml": home(footer())}) == []


def test_no_footer_in_static_html_is_not_judged_but_a_rendered_one_is() -> None:
    bare = home("<div id='footer'></div><script src='/js/footer.js'></script>")
    [finding] = judge(bare)
    assert finding.severity == "warn" and finding.evidence["judged"] is False
    [finding] = judge(bare, rendered=True)
    assert finding.severity == "deduct"
    assert finding.evidence["missing"] == ["site_code", "icp", "public_security", "conac",
                                           "organizer", "contact"]
