"""Pictures in the HTML report: static SVG files drawn by pygal, shown with <img>,
with no script and nothing fetched, so they work offline and under the CSP."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from stored_runs import channel_facts, crawl_like_run
from synthetic import invoke

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """Three monthly runs of 青山县 (unqualified each time) and one of 白河县."""
    db = tmp_path / "charts.db"
    crawl_like_run(db, date(2026, 9, 16), facts=channel_facts())
    crawl_like_run(db, date(2026, 10, 16), url="http://www.baihe.gov.cn/", name="白河县人民政府",
                   region="白河县", kind="department")
    crawl_like_run(db, date(2026, 10, 16), facts=channel_facts())
    last = crawl_like_run(db, date(2026, 11, 16), facts=channel_facts())
    out = tmp_path / "html"
    result = invoke("report", "--run", str(last), "--format", "html", "-o", str(out), db=db)
    assert result.code == 1, result.stderr
    return out


def texts(svg: Path) -> list[str]:
    return [t.text for t in ET.parse(svg).getroot().iter(f"{SVG}text") if t.text]


def test_the_index_shows_trend_problems_by_check_and_verdicts_by_region_and_kind(
        report: Path) -> None:
    index = (report / "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="(assets/charts/[^"]+\.svg)" alt="([^"]+)">', index)
    assert [alt for _, alt in images] == ["合格率与各类问题数（历次检查）", "各检查项问题数",
                                          "各地区检查结论", "各类网站检查结论"]
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                                  index).group(1))
    assert "img-src 'self'" in csp and "script-src 'sha256-" in csp  # unchanged: one script
    for src, _ in images:
        svg = report / src
        root = ET.parse(svg).getroot()  # well-formed XML
        assert root.tag == f"{SVG}svg"
        raw = svg.read_text(encoding="utf-8")
        assert "<script" not in raw
        # Nothing fetched: no reference but the SVG namespaces.
        assert re.findall(r'(?:href|src)="([^"#][^"]*)"', raw) == []
        assert re.findall(r"url\((?!#)", raw) == []
    trend = texts(report / images[0][0])
    assert [
        t for t in trend if re.fullmatch(r"\d{4}-\d\d-\d\d #\d", t)] == ["2026-09-16 #1", "2026-10-16 #2", "2026-10-16 #3", "2026-11-16 #4"]
    assert {"互动回应", "合格率 %"} <= set(trend)
    # Whole counts on the left, and the pass rate's axis in whole fifths.
    rates = [t for t in trend if re.fullmatch(r"\d+(\.\d+)?", t) and float(t) > 10]
    assert rates and all(float(t) % 20 == 0 for t in rates), rates
    assert "互动回应差: 无有效咨询建言渠道: 1" in texts(report / images[1][0])
    assert "云南省" in texts(report / images[2][0])  # this run's regions
    assert "政府门户网站" in texts(report / images[3][0])


def test_a_site_page_shows_its_score_and_verdict_history(report: Path) -> None:
    page = (report / "sites" / "site-001.html").read_text(encoding="utf-8")
    assert '<img src="../assets/charts/site-001.svg"' in page
    history = re.search(r'<table id="history">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr><td>(\d+)</td><td>([\d-]+)</td><td[^>]*>(.*?)</td><td>(.*?)</td>",
                      history)
    assert rows == [("1", "2026-09-16", "不合格", "100"), ("3", "2026-10-16", "不合格", "100"),
                    ("4", "2026-11-16", "不合格", "100")]
    labels = texts(report / "assets" / "charts" / "site-001.svg")
    assert "2026-11-16 #4 不合格" in labels


@pytest.mark.slow
@pytest.mark.browser
def test_a_browser_shows_every_chart_offline_under_the_reports_csp(report: Path) -> None:
    """Opened from the filesystem, every chart loads, the CSP refuses nothing and
    the browser asks the network for nothing."""
    playwright = pytest.importorskip("playwright.sync_api")
    from govsite.crawler.browser import find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium")
    console: list[str] = []
    requested: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: console.append(m.text))
            page.on("request", lambda r: requested.append(r.url))
            for html_page in (report / "index.html", report / "sites" / "site-001.html"):
                page.goto(html_page.as_uri())
                page.wait_for_load_state("load")
                sizes = page.eval_on_selector_all(
                    "figure.chart img", "imgs => imgs.map(i => [i.naturalWidth, i.complete])")
                assert sizes and all(width > 0 and done for width, done in sizes), sizes
        finally:
            browser.close()
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m]
    assert all(url.startswith("file://") for url in requested), requested


def test_the_notices_html_carries_its_figures_inline_and_escaped(tmp_path: Path) -> None:
    db = tmp_path / "notice.db"
    run = crawl_like_run(db, date(2026, 11, 16), facts=channel_facts(),
                         region="青山县<script>window.__pwned=1</script>")
    out = tmp_path / "notice.md"
    result = invoke("report", "--format", "notice", "--run", str(run), "-o", str(out), db=db)
    assert result.code in (0, 1), result.stderr
    page = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page  # the region, escaped in SVG
    figures = re.findall(r'<figure class="chart" aria-label="([^"]+)"><svg', page)
    assert figures == ["各检查项存在问题的网站数", "各地区检查结论"]
    assert "互动回应差: 无有效咨询建言渠道: 1" in page
    assert "<svg" not in out.read_text(encoding="utf-8")  # Markdown stays text
