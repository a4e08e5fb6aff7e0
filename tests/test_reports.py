"""Every report format, written by the real CLI from a store and parsed back.

The store: tests/synthetic.py (two quarters written through RunRecorder) for
exact figures; the HTML report is also opened in headless Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from helpers import SCHEMA
from junitparser import Error, Failure, JUnitXml
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from synthetic import INJECTION, build, invoke

from govsite.crawler.browser import find_chromium
from govsite.reports.templates import md_escape

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    data = build(tmp_path_factory.mktemp("reports"))
    data.store.engine.dispose()
    return data


def report(_cli, store, *args: str):
    """`govsite report ARGS` in this process (see synthetic.invoke)."""
    return invoke("report", *args, db=store.db)


# ------------------------------------------------------------------ json
@pytest.mark.slow
def test_json_report_carries_fingerprints_categories_and_checks(cli, store) -> None:
    result = cli("report", "--run", str(store.runs[1]), "--format", "json", db=store.db)
    assert result.code == 1, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    sites = {s["name"]: s for s in data["sites"]}
    assert sites["省水利厅"]["verdict"] == "fail" and sites["省水利厅"]["score"] == 55
    assert sites["青山县人民政府"]["verdict"] == "pass"
    baihe = sites["白河县人民政府"]
    assert [f["check"] for f in baihe["findings"]] == ["empty-column", "reply-overdue"]
    assert {f["category"] for f in baihe["findings"]} == {"operation", "interaction"}
    assert all(re.fullmatch(r"[0-9a-f]{32}", f["fingerprint"]) for f in baihe["findings"])
    assert {c["id"] for c in data["checks"]} >= {"site-unreachable"}


# ------------------------------------------------------------------ csv
@pytest.mark.parametrize("lang, site_header, verdict_fail", [("zh", "网站名称", "不合格"),
                                                           ("en", "Site", "unqualified")])
def test_csv_has_a_row_per_finding_and_per_clean_site(cli, store, tmp_path, lang, site_header,
                                                      verdict_fail) -> None:
    out = tmp_path / f"run.{lang}.csv"
    result = report(cli, store, "--run", str(store.runs[1]), "--format", "csv", "--lang", lang,
                    "-o", str(out))
    assert result.code == 1 and out.exists(), result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Chinese right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert site_header in rows[0]
    assert len(rows) == 6 + 1  # six findings, one clean site (青山)
    by_site: dict[str, list[dict]] = {}
    for row in rows:
        by_site.setdefault(row[site_header], []).append(row)
    assert len(by_site["省水利厅"]) == 3
    assert {r[list(r)[3]] for r in by_site["省水利厅"]} == {verdict_fail}
    formula = [r for r in by_site["省水利厅"] if "HYPERLINK" in r[list(r)[10]]]
    assert formula[0][list(formula[0])[10]].startswith("'=")  # never a live formula
    if lang == "en":
        stdout = report(cli, store, "--run", str(store.runs[1]), "--format", "csv", "--lang", lang)
        assert not stdout.stdout.startswith("\ufeff")
        assert list(csv.reader(io.StringIO(stdout.stdout))) == list(
            csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


# ------------------------------------------------------------------ xlsx
@pytest.mark.parametrize("lang, sheets, first", [("zh", ["网站", "问题"], "网站名称"),
                                               ("en", ["Sites", "Findings"], "Site")])
def test_xlsx_has_a_sheet_of_sites_and_one_of_findings(cli, store, tmp_path, lang, sheets,
                                                       first) -> None:
    out = tmp_path / f"run.{lang}.xlsx"
    result = report(cli, store, "--run", str(store.runs[1]), "--format", "xlsx", "--lang", lang,
                    "--output", str(out))
    assert result.code == 1, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == sheets
    sites = list(book[sheets[0]].iter_rows(values_only=True))
    assert sites[0][0] == first
    assert len(sites) == 1 + 4
    scores = {row[0]: row[7] for row in sites[1:]}
    assert scores["省水利厅"] == 55 and scores["青山县人民政府"] == 100
    findings = book[sheets[1]]
    assert findings.max_row == 1 + 6
    messages = [c for c in findings["K"] if c.value and "HYPERLINK" in str(c.value)]
    assert messages and messages[0].data_type == "s"  # text, not a formula
    links = [c.hyperlink.target for c in findings["J"][1:] if c.hyperlink]
    assert "http://slt.yn.gov.cn/bsfw/0.html" in links


def test_xlsx_to_stdout_is_a_workbook(cli, store, tmp_path) -> None:
    result = report(cli, store, "--run", str(store.runs[0]), "--format", "xlsx", "--lang", "en")
    assert result.code == 1
    (tmp_path / "piped.xlsx").write_bytes(result.stdout_bytes)
    assert load_workbook(tmp_path / "piped.xlsx").sheetnames == ["Sites", "Findings"]


# ------------------------------------------------------------------ junit
def _suites(path: Path) -> dict[str, object]:
    xml = JUnitXml.fromfile(str(path))
    return {suite.name: suite for suite in xml}


def test_junit_suite_per_site_case_per_check_failure_per_finding(cli, store, tmp_path) -> None:
    out = tmp_path / "junit.xml"
    result = report(cli, store, "--run", str(store.runs[1]), "--format", "junit", "-o", str(out))
    assert result.code == 1, result.stderr
    suites = _suites(out)
    assert set(suites) == {"青山县人民政府", "白河县人民政府", "省体育局", "省水利厅"}
    slt = {case.name: case for case in suites["省水利厅"]}
    assert "verdict" in slt and "service-guide-time-limit" in slt
    failures = [r for r in slt["service-guide-time-limit"].result if isinstance(r, Failure)]
    assert len(failures) == 3 and {f.type for f in failures} == {"deduct"}
    assert any(isinstance(r, Failure) for r in slt["verdict"].result)
    clean = {case.name: case for case in suites["青山县人民政府"]}
    assert all(case.is_passed for case in clean.values())
    baihe = {case.name: case for case in suites["白河县人民政府"]}
    veto = next(r for r in baihe["empty-column"].result if isinstance(r, Failure))
    assert INJECTION in veto.message  # kept as text, escaped by the XML writer
    assert int(suites["省水利厅"].failures) == 4


def test_junit_fail_on_veto_turns_deducts_into_notes(cli, store, tmp_path) -> None:
    out = tmp_path / "junit-veto.xml"
    result = report(cli, store, "--run", str(store.runs[1]), "--format", "junit",
                    "--fail-on", "veto", "-o", str(out))
    assert result.code == 1  # vetoes remain
    slt = {case.name: case for case in _suites(out)["省水利厅"]}
    assert slt["service-guide-time-limit"].is_passed
    assert "Committed limit" in (slt["service-guide-time-limit"].system_out or "")
    assert slt["verdict"].is_passed  # unqualified by score alone does not fail on veto


def test_junit_reports_a_site_that_could_not_be_judged_as_an_error(tmp_path, cli) -> None:
    from govsite.config import load_config
    from govsite.scoring.score import Verdict
    from govsite.storage.db import open_store
    from govsite.storage.models import Site
    from govsite.storage.recorder import RunRecorder, site_info, utcnow

    db = tmp_path / "error.db"
    store = open_store(f"sqlite:///{db}")
    with store.sessions.begin() as session:
        site = Site(name="某县人民政府", url="http://www.mou.gov.cn/", kind="department",
                    registered=True, created_at=utcnow(), updated_at=utcnow())
        session.add(site)
        session.flush()
        info = site_info(site)
    recorder = RunRecorder.start_run(store, load_config(), "crawl", utcnow().date(), [info.id])
    recorder.write_result(info, [], Verdict("error", 100, [], ["checks failed: x"]), 3)
    recorder.finish_run("done", {})
    out = tmp_path / "junit.xml"
    result = invoke("report", "--format", "junit", "-o", str(out), db=db)
    assert result.code == 1 and out.exists(), result.stderr
    verdict = {c.name: c for c in _suites(out)["某县人民政府"]}["verdict"]
    assert any(isinstance(r, Error) for r in verdict.result)


# ------------------------------------------------------------------ html
@pytest.fixture(scope="module")
def html_report(store, tmp_path_factory, cli):
    out = tmp_path_factory.mktemp("html") / "report"
    result = report(cli, store, "--run", str(store.runs[1]), "--format", "html", "--output",
                    str(out))
    assert result.code == 1, result.stderr
    return out


def _local_refs(page: Path) -> list[Path]:
    tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    refs = tree.xpath("//a/@href") + tree.xpath("//img/@src")
    local = [r for r in refs if not urlsplit(r).scheme]
    return [(page.parent / unquote(urlsplit(r).path)).resolve() for r in local]


def test_html_report_is_a_folder_whose_local_links_resolve(html_report: Path, store) -> None:
    index = html_report / "index.html"
    pages = sorted((html_report / "sites").glob("site-*.html"))
    assert index.exists() and len(pages) == 4
    for page in [index, *pages]:
        for target in _local_refs(page):
            assert target.is_file(), (page.name, target)
    assets = [p for p in (html_report / "assets").iterdir() if p.is_file()]  # charts/: its own folder
    assert len(assets) == 1 and assets[0].read_bytes() == store.screenshot.read_bytes()
    tree = lxml_html.fromstring(index.read_text(encoding="utf-8"))
    assert len(tree.xpath("//table[@id='sites']/tbody/tr")) == 4
    by_name = {lxml_html.fromstring(p.read_text(encoding="utf-8")).xpath("string(//h1)"): p
               for p in pages}
    slt = by_name["省水利厅"].read_text(encoding="utf-8")
    assert "得分55分，低于60分" in slt and "办事指南办结时限 扣45分" in slt  # reasons in Chinese
    assert not tree.xpath("//script[@src]") and not tree.xpath("//link[@href]")  # no CDN


def test_html_without_output_is_a_usage_error(cli, store) -> None:
    result = report(cli, store, "--format", "html")
    assert result.code == 2 and "--output" in result.stderr


@pytest.mark.slow
@pytest.mark.browser
def test_html_report_renders_filters_and_resists_injection(html_report: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium")
    dialogs: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto((html_report / "index.html").as_uri())
            rows = page.locator("#sites tbody tr")
            assert rows.count() == 4
            page.select_option("#filter-verdict", "fail")
            assert page.locator("#sites tbody tr:visible").count() == 3
            assert page.locator("#shown-count").inner_text() == "3"
            page.select_option("#filter-verdict", "")
            page.select_option("#filter-check", "empty-column")
            visible = page.locator("#sites tbody tr:visible")
            assert visible.count() == 1 and "白河县人民政府" in visible.inner_text()
            page.select_option("#filter-check", "")
            # the site page: findings, a screenshot that loads, links to the pages
            page.click("text=省水利厅")
            assert page.url.endswith("/sites/site-004.html") or "site-" in page.url
            assert page.locator("tr.finding").count() == 3
            width = page.eval_on_selector("img.shot", "img => img.naturalWidth")
            assert width == 1
            hrefs = page.eval_on_selector_all("a.page-link", "as => as.map(a => a.href)")
            assert "http://slt.yn.gov.cn/bsfw/0.html" in hrefs
            # the page whose crawled text holds markup
            page.goto((html_report / "index.html").as_uri())
            page.click("text=白河县人民政府")
            assert INJECTION in page.locator("tr.finding").first.inner_text()
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator("img[src='x']").count() == 0
        finally:
            browser.close()
    assert dialogs == []


# ------------------------------------------------------------------ notice
def _markdown(text: str) -> tuple[list[str], list[list[str]]]:
    """Headings and table rows of a Markdown document, as a renderer sees them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings, rows, row = [], [], None
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append(tokens[i + 1].content)
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None and tokens[i - 1].type in ("td_open",
                                                                                  "th_open"):
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return headings, rows


def test_notice_in_chinese_follows_the_seed_structure(cli, store, tmp_path) -> None:
    result = report(cli, store, "--format", "notice", "--period", "2022Q3")
    assert result.code == 1, result.stderr
    text = result.stdout
    headings, rows = _markdown(text)
    assert headings[0] == "关于2022年第三季度政府网站检查情况的通报"
    assert headings[1:4] == ["一、总体情况", "（一）2022年第二季度问题整改情况",
                             "（二）2022年第三季度政府网站检查情况"]
    assert "二、存在问题" in headings
    for category in ("日常运维", "互动回应", "办事服务", "安全"):
        assert any(category in h for h in headings), category
    # totals: 5 registered (the ad-hoc site is not), 4 inspected, 3 unqualified, 1/5
    assert "登记在册的政府网站共5个，本次检查4个，发现不合格政府网站3个，总体合格率20.0%" in text
    # rectification: 青山 completed, 省体育局 did not, 松岭 was not inspected again
    assert "“省体育局”网站未完成整改" in text and "“松岭镇人民政府”网站尚未复查" in text
    assert "1个已完成整改" in text
    # problems by category name example sites
    assert re.search(r"办事指南办结时限：1个网站存在此问题，如“省水利厅”网站", text)
    # attachment 1: the unqualified sites and why
    unqualified = [r for r in rows if r and r[0].isdigit() and len(r) == 6]
    assert [r[1] for r in unqualified] == ["白河县人民政府", "省体育局", "省水利厅"]
    assert "得分55分，低于60分" in unqualified[2][5]
    assert "单项否决" in unqualified[0][5]
    assert "临时检查站点" not in text
    assert "<script>" not in text  # crawled markup is escaped in Markdown too


def test_notice_written_as_markdown_and_html_in_english(cli, store, tmp_path) -> None:
    out = tmp_path / "notice" / "2022Q3.md"
    result = report(cli, store, "--format", "notice", "--period", "2022Q3", "--lang", "en",
                    "--output", str(out))
    assert result.code == 1, result.stderr
    md, page = out, out.with_suffix(".html")
    assert md.exists() and page.exists()
    headings, _ = _markdown(md.read_text(encoding="utf-8"))
    assert headings[0] == "Notice on the inspection of government websites in the third " \
                          "quarter of 2022"
    tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    assert tree.xpath("string(//h1)") == headings[0]
    h3 = [h.text_content() for h in tree.xpath("//h3")]
    assert h3[:2] == ["(I) Rectification of the problems of the second quarter of 2022",
                      "(II) Inspection of government websites in the third quarter of 2022"]
    assert any("Interaction" in h for h in h3) and any("Security" in h for h in h3)
    attachment = tree.xpath("//h2[@class='attachment']")[0].getnext()
    names = [row.xpath("string(td[2])") for row in attachment.xpath(".//tbody/tr")]
    assert names == ["白河县人民政府", "省体育局", "省水利厅"]
    assert not tree.xpath("//script")
    assert "20.0%" in tree.text_content()


def test_notice_of_explicit_runs_and_of_an_empty_period(cli, store) -> None:
    q2 = report(cli, store, "--format", "notice", "--run", str(store.runs[0]))
    assert q2.code == 1, q2.stderr
    assert "2022年第二季度" in q2.stdout and "未找到2022年第一季度的检查结果" in q2.stdout
    assert "登记在册的政府网站共5个，本次检查5个，发现不合格政府网站3个" in q2.stdout
    empty = report(cli, store, "--format", "notice", "--period", "2023Q1")
    assert empty.code == 2 and "2023Q1" in empty.stderr
    bad = report(cli, store, "--format", "notice", "--period", "2022-Q5")
    assert bad.code == 2 and "--period" in bad.stderr


def test_markdown_escaping() -> None:
    assert md_escape("a|b <i>*x*</i>") == "a\\|b \\<i\\>\\*x\\*\\</i\\>"
    assert md_escape("line\nbreak") == "line break"


def test_every_format_resolves_the_functions_it_declares() -> None:
    """Formats import their module on first use: a renamed function must fail here,
    not in an operator's monthly run."""
    from govsite.reports import FORMATS

    for spec in FORMATS.values():
        assert callable(spec.render) if spec.renders else spec.render is None, spec.name
        assert callable(spec.write) if spec.writes else spec.write is None, spec.name
