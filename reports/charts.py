"""The HTML report's pictures as static SVG files, drawn by pygal.

Each chart is a file under assets/charts/, shown with <img>: an SVG loaded as
an image runs no script and fetches nothing, so it works offline, from a zip,
and under the report's Content-Security-Policy (img-src 'self'). pygal's own
inline config script is left out of the file (it only feeds tooltips, which
an <img> never shows).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from govsite.reports.history import History
from govsite.reports.i18n import CATEGORIES, CATEGORY_ORDER, VERDICTS, check_title

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>")
FONT = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif'
VERDICT_COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "error": "#b7950b"}


def _style(colours: tuple[str, ...] = ()) -> Any:
    from pygal.style import Style

    return Style(font_family=FONT, background="white", plot_background="white",
                 colors=colours or ("#1f77b4", "#c62828", "#ef6c00", "#6a1b9a", "#2e7d32",
                                    "#00838f"), title_font_size=15, legend_font_size=12,
                 label_font_size=11, major_label_font_size=11, value_font_size=10)


def svg_text(chart: Any) -> str:
    """The chart's SVG without script or comments (a file of its own)."""
    return _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))


def inline_svg(chart: Any) -> str:
    """The chart as an <svg> element to put inside an HTML page (no XML declaration)."""
    return _XML_DECLARATION.sub("", svg_text(chart)).strip()


def _save(chart: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg_text(chart), encoding="utf-8")
    return path


def _counts_axis(highest: int, intervals: int | None = None) -> dict[str, Any]:
    """A count axis of whole numbers (pygal would label 0.1, 0.2 …). With
    `intervals`, exactly that many steps, so a 0–100 % axis beside it (whose
    ticks pygal puts at the same heights) reads 0, 20, 40 … rather than 12.5, 37.5."""
    if intervals is None:
        step = max(1, -(-highest // 8))
        return {"y_labels": list(range(0, max(highest, 1) + step, step)),
                "range": (0, max(highest, 1))}
    step = max(1, -(-highest // intervals))
    return {"y_labels": [step * i for i in range(intervals + 1)],
            "range": (0, step * intervals)}


def _common(**extra: Any) -> dict[str, Any]:
    return {"js": [], "width": 760, "height": 340, "explicit_size": True,
            "disable_xml_declaration": False, "print_values": False,
            "truncate_legend": -1, "truncate_label": -1, **extra}


def trend_chart(history: History, lang: str, title: str, path: Path) -> Path:
    """Pass rate (right axis, %) and veto/deduct problems by category per run."""
    import pygal

    highest = max((n for p in history.runs for n in p.problems.values()), default=0)
    chart = pygal.Line(title=title, style=_style(), x_label_rotation=20,
                       secondary_range=(0, 100), **_counts_axis(highest, intervals=5),
                       **_common(legend_at_bottom=True, legend_at_bottom_columns=5))
    chart.x_labels = [f"{p.as_of} #{p.id}" for p in history.runs]
    for category in CATEGORY_ORDER:
        chart.add(CATEGORIES[lang][category],
                  [p.problems.get(category, 0) for p in history.runs])
    chart.add("合格率 %" if lang == "zh" else "pass rate %",
              [round(p.pass_rate * 100, 1) for p in history.runs], secondary=True)
    return _save(chart, path)


def by_check_chart(report: dict[str, Any], lang: str, title: str, path: Path) -> Path:
    """Veto and deduct findings of the report's run, by check."""
    import pygal

    catalog = {c["id"]: c for c in report.get("checks", [])}
    counts = Counter(f["check"] for s in report["sites"] for f in s["findings"]
                     if f["severity"] in ("veto", "deduct"))
    # One series per check, named in the legend: pygal's axis labels would cut
    # long Chinese titles short.
    chart = pygal.HorizontalBar(title=title, style=_style(), **_counts_axis(
        max(counts.values(), default=0)), **_common(
            legend_at_bottom=True, legend_at_bottom_columns=2,
            height=max(240, 140 + 40 * len(counts))))
    for check, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        chart.add(f"{check_title(catalog.get(check, check), lang)}: {count}", [count])
    return _save(chart, path)


def verdicts_chart(report: dict[str, Any], key: str, lang: str, title: str, path: Path,
                   labels: dict[str, str] | None = None) -> Path:
    """Sites by verdict, grouped by a site field (region, kind), stacked."""
    return _save(_verdicts(report["sites"], key, lang, title, labels), path)


def _verdicts(sites: list[dict[str, Any]], key: str, lang: str, title: str,
              labels: dict[str, str] | None = None) -> Any:
    import pygal

    groups = sorted({str(s.get(key) or "—") for s in sites})
    largest = max(sum(1 for s in sites if str(s.get(key) or "—") == g) for g in groups)
    names = [(labels or {}).get(g, g) for g in groups]
    # Many groups or long names (a province's regions) would overlap side by side:
    # the bars lie down, one name a line.
    lying = len(names) > 4 or max(len(n) for n in names) > 6
    kind = pygal.HorizontalStackedBar if lying else pygal.StackedBar
    # pygal sizes its label margin for Latin letters; a Chinese one is twice as wide.
    size = {"height": max(340, 90 + 32 * len(names)),
            "margin_left": 6 * max(len(n) for n in names)} if lying else {}
    chart = kind(title=title, style=_style(tuple(VERDICT_COLOURS.values())),
                 **_counts_axis(largest),
                 **_common(legend_at_bottom=True, legend_at_bottom_columns=3, **size))
    chart.x_labels = names
    for verdict in VERDICT_COLOURS:
        chart.add(VERDICTS[lang][verdict],
                  [sum(1 for s in sites if str(s.get(key) or "—") == g
                       and s["verdict"] == verdict) for g in groups])
    return chart


def site_chart(series: list[dict[str, Any]], lang: str, title: str, path: Path) -> Path:
    """A site's score over the runs; the verdict under each run's label."""
    import pygal

    chart = pygal.Line(title=title, style=_style(), show_legend=False, range=(0, 100),
                       x_label_rotation=20, **_common(width=640, height=280))
    chart.x_labels = [f"{e['as_of']} #{e['run']} {VERDICTS[lang].get(e['verdict'], '')}"
                      for e in series]
    chart.add(title, [e["score"] if e["verdict"] != "error" else None for e in series])
    return _save(chart, path)


def notice_figures(notice: dict[str, Any]) -> list[dict[str, str]]:
    """The quarterly notice's pictures, inline (the notice is one HTML file whose
    CSP allows no image): sites with a problem by check, verdicts by region."""
    import pygal

    lang = notice["lang"]
    figures = []
    checks = [c for group in notice["categories"] for c in group["checks"]]
    if checks:
        title = "各检查项存在问题的网站数" if lang == "zh" else "Websites with a problem, by check"
        chart = pygal.HorizontalBar(title=title, style=_style(), **_counts_axis(
            max(c["sites"] for c in checks)), **_common(
                legend_at_bottom=True, legend_at_bottom_columns=2,
                height=max(240, 140 + 40 * len(checks))))
        for check in sorted(checks, key=lambda c: (-c["sites"], c["check"])):
            chart.add(f"{check['title']}: {check['sites']}", [check["sites"]])
        figures.append({"title": title, "svg": inline_svg(chart)})
    if notice["sites"]:
        title = "各地区检查结论" if lang == "zh" else "Verdicts by region"
        figures.append({"title": title, "svg": inline_svg(_verdicts(notice["sites"], "region",
                                                                     lang, title))})
    return figures
