"""A static HTML report that works offline from the filesystem.

`--output DIR` gets `index.html` (every site with its verdict and score,
filterable by verdict and by check with a small inline script, no CDN),
`sites/site-NNN.html` (a site's findings, links to the offending pages, the
evidence screenshots) and `assets/` (the screenshots, copied in, so the
folder can be zipped and mailed).

Crawled text (titles, messages, evidence) is escaped by jinja2; links are
made only of http(s) URLs; a Content-Security-Policy lets run only the one
inline script, by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from govsite.i18n import gettext
from govsite.i18n.words import COMMAND_WORDS, word
from govsite.reports.evidence import dismissal_text, evidence_text, evidence_view, more_text
from govsite.reports.history import History
from govsite.reports.i18n import (
    LABELS,
    VERDICTS,
    category_label,
    check_title,
    label,
    localize_reasons,
    platform_label,
    severity_label,
    verdict_label,
)
from govsite.reports.templates import html_env

KINDS = {"zh": {"portal": "政府门户网站", "department": "部门网站"},
         "en": {"portal": "portal", "department": "department"}}

FILTER_JS = """
(function () {
  var verdict = document.getElementById("filter-verdict");
  var check = document.getElementById("filter-check");
  var count = document.getElementById("shown-count");
  function apply() {
    var rows = document.querySelectorAll("#sites tbody tr");
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var checks = (row.getAttribute("data-checks") || "").split(" ");
      var ok = (!verdict.value || row.getAttribute("data-verdict") === verdict.value) &&
               (!check.value || checks.indexOf(check.value) >= 0);
      row.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = String(shown);
  }
  verdict.addEventListener("change", apply);
  check.addEventListener("change", apply);
  apply();
})();
"""


def _csp(script: str | None) -> str:
    scripts = "'none'"
    if script is not None:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        scripts = f"'sha256-{digest}'"
    return ("default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; "
            f"script-src {scripts}; base-uri 'none'; form-action 'none'")


def _link(url: str) -> str | None:
    return url if url.lower().startswith(("http://", "https://")) else None


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class ScreenshotCopier:
    """Copies each evidence screenshot into assets/ once, named by its content."""

    def __init__(self, assets: Path, roots: Iterable[Path]) -> None:
        self.assets = assets
        self.roots = [Path(r) for r in roots]
        self.copied: dict[Path, str] = {}

    def locate(self, value: str) -> Path | None:
        path = Path(value)
        candidates = [path] if path.is_absolute() else [root / path for root in self.roots]
        return next((c for c in candidates if c.is_file()), None)

    def __call__(self, value: Any) -> str | None:
        """The asset's name under assets/, or None when the file cannot be found."""
        if not isinstance(value, str) or not value or "://" in value:
            return None
        source = self.locate(value)
        if source is None:
            return None
        source = source.resolve()
        if source not in self.copied:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()[:20]
            name = f"{digest}{source.suffix.lower()[:8]}"
            self.assets.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, self.assets / name)
            self.copied[source] = name
        return self.copied[source]


def draw_charts(report: dict[str, Any], output: Path, lang: str,
                history: History | None) -> list[dict[str, str]]:
    """The index's pictures as SVG files under assets/charts/: (src, title) each."""
    from govsite.reports import charts

    folder = output / "assets" / "charts"
    for stale in folder.glob("*.svg"):
        stale.unlink()
    drawn = []
    if history is not None and history.runs:
        drawn.append(charts.trend_chart(history, lang, label(lang, "trend"),
                                        folder / "trend.svg"))
    if any(f["severity"] in ("veto", "deduct") for s in report["sites"] for f in s["findings"]):
        drawn.append(charts.by_check_chart(report, lang, label(lang, "by_check"),
                                           folder / "by-check.svg"))
    if report["sites"]:
        drawn.append(charts.verdicts_chart(report, "region", lang, label(lang, "by_region"),
                                           folder / "by-region.svg"))
        drawn.append(charts.verdicts_chart(report, "kind", lang, label(lang, "by_kind"),
                                           folder / "by-kind.svg", KINDS[lang]))
    titles = {"trend": "trend", "by-check": "by_check", "by-region": "by_region",
              "by-kind": "by_kind"}
    return [{"src": f"assets/charts/{p.name}", "title": label(lang, titles[p.stem])}
            for p in drawn]


def account_entries(report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The run's new-media accounts as the index lists them: verdict, vetoes, and
    each finding (notes left out) with its evidence as words."""
    if not report.get("accounts"):
        return []
    from govsite.reports.rows import titles

    catalog = titles(report)
    return [{**account, "platform_text": platform_label(account["platform"], lang),
             "verdict_text": verdict_label(account["verdict"], lang),
             "veto_titles": [check_title(catalog.get(v, v), lang) for v in account["vetoes"]],
             "findings": [{**f, "title": check_title(catalog.get(f["check"], f["check"]), lang),
                           "severity_text": severity_label(f["severity"], lang),
                           "evidence_text": evidence_text(f.get("evidence") or {}, lang)}
                          for f in account["findings"] if f["severity"] != "info"]}
            for account in report["accounts"]]


def write(report: dict[str, Any], output: Path, *, lang: str = "zh",
          evidence_roots: Iterable[Path] = (), history: History | None = None,
          **_: Any) -> list[Path]:
    """Write the report folder; return the files written (index first). With
    `history` (reports.history), the index shows the trend over the stored runs
    and each site page its score and verdict over them."""
    env = html_env()
    output.mkdir(parents=True, exist_ok=True)
    (output / "sites").mkdir(exist_ok=True)
    for stale in (output / "sites").glob("site-*.html"):  # from an earlier report here
        stale.unlink()
    copier = ScreenshotCopier(output / "assets", evidence_roots)
    figures = draw_charts(report, output, lang, history)
    catalog = {check["id"]: check for check in report.get("checks", [])}
    L = LABELS[lang]
    run = report["run"]
    written: list[Path] = []
    sites = []
    for number, site in enumerate(report["sites"], start=1):
        page = f"sites/site-{number:03d}.html"
        findings = []
        counts: dict[str, int] = {}
        for finding in [*site["findings"], *site.get("dismissed", [])]:
            if not finding.get("dismissal"):
                counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
            evidence = finding.get("evidence") or {}
            shot = evidence.get("screenshot")
            asset = copier(shot)
            findings.append({
                **finding, "title": check_title(
                    catalog.get(finding["check"], finding["check"]), lang),
                "severity_text": severity_label(finding["severity"], lang),
                "category_text": category_label(finding.get("category", ""), lang),
                "link": _link(finding["url"]), "fields": evidence_view(evidence, lang),
                "dismissal_text": (dismissal_text(finding["dismissal"], lang)
                                   if finding.get("dismissal") else None),
                "fingerprint": finding.get("fingerprint", ""),
                "screenshot": f"../assets/{asset}" if asset else None,
                "screenshot_missing": (f"{label(lang, 'screenshot')}: {shot}"
                                       if shot and not asset else None)})
        checked = sorted({f["check"] for f in site["findings"]})
        remediation = [{"title": check_title(catalog[c], lang),
                        "text": gettext(catalog[c]["remediation"], lang)}
                       for c in checked if catalog.get(c, {}).get("remediation")]
        entry = {
            **site, "page": page, "link": _link(site["url"]),
            "verdict_text": verdict_label(site["verdict"], lang),
            "reasons": localize_reasons(site.get("reasons") or [], catalog, lang),
            "score_text": _score(site["score"]),
            "veto_titles": [check_title(catalog.get(v, v), lang)
                            for v in site["vetoes"]],
            "counts_text": " ".join(f"{severity_label(k, lang)} {v}"
                                    for k, v in sorted(counts.items(), key=lambda kv: (
                                        ["veto", "deduct", "warn", "info"].index(kv[0])
                                        if kv[0] in ("veto", "deduct", "warn", "info") else 9))),
            "checks": [c for c in checked if any(
                f["check"] == c and f["severity"] != "info" for f in site["findings"])],
            "findings": [f for f in findings if not f["dismissal_text"]],
            "dismissed": [f for f in findings if f["dismissal_text"]]}
        series = history.sites.get(site["url"], []) if history is not None else []
        entry["history"] = [{**e, "verdict_text": verdict_label(e["verdict"], lang),
                             "score_text": _score(e["score"])} for e in series]
        entry["chart"] = None
        if len(series) > 1:
            from govsite.reports.charts import site_chart

            chart = site_chart(series, lang, label(lang, "site_history"),
                               output / "assets" / "charts" / f"site-{number:03d}.svg")
            entry["chart"] = f"../assets/charts/{chart.name}"
        sites.append(entry)
        html = env.get_template("html_site.html.j2").render(
            lang=lang, L=L, run=run, site=entry, remediation=remediation, csp=_csp(None),
            more_text=more_text)
        target = output / page
        target.write_text(html, encoding="utf-8")
        written.append(target)
    summary = report["summary"]
    used_checks = sorted({c for s in sites for c in s["checks"]})
    check_options = [{"id": c, "title": check_title(catalog.get(c, c), lang)}
                     for c in used_checks]
    accounts = account_entries(report, lang)
    index = env.get_template("html_index.html.j2").render(
        accounts=accounts, accounts_summary=label(
            lang, "accounts_summary", total=len(accounts),
            passed=sum(a["verdict"] == "pass" for a in accounts)),
        lang=lang, L=L, run=run, sites=sites, script=FILTER_JS, csp=_csp(FILTER_JS),
        figures=figures, command=gettext(word(COMMAND_WORDS, run["command"]), lang),
        verdict_options=list(VERDICTS[lang].items()), check_options=check_options,
        summary_text=label(lang, "summary", sites=summary["sites"], passed=summary["passed"],
                           failed=summary["failed"], errors=summary["errors"],
                           rate=f"{summary['pass_rate']:.1%}"))
    index_path = output / "index.html"
    index_path.write_text(index, encoding="utf-8")
    return [index_path, *written, *sorted(p for p in (output / "assets").rglob("*")
                                          if p.is_file())]
