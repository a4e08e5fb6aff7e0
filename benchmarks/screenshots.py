"""Regenerate the README's report screenshots (docs/screenshots/report-index.png and
report-site.png): the demo estate crawled twice through the real CLI, a month
apart, so the trend charts have points, reported as html in Chinese, and shown
in Chromium.

    .venv/bin/python -m govsite.benchmarks.screenshots [--out docs/screenshots]

Crawls run in subprocesses (Scrapy's reactor starts once per process) while the
estate is served here on loopback; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from govsite.config import DEFAULT_CONFIG_PATH
from govsite.crawler.browser import find_chromium
from govsite.estate import EstateServer, build_estate, write_registry_csv

ROOT = Path(__file__).resolve().parent.parent
AS_OF = ("2026-10-16", "2026-11-16")  # a month before the estate's date, and its date
VIEWPORT = {"width": 1366, "height": 900}


def govsite(db: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it, interface and report in Chinese."""
    env = {**os.environ, "GOVSITE_LANG": "zh", "LC_ALL": "C.UTF-8", "COLUMNS": "160"}
    env.pop("GOVSITE_DB", None)
    command = [sys.executable, "-m", "govsite.cli", "--db", f"sqlite:///{db}",
               "--config", str(config), *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return done


def loopback_config(folder: Path) -> Path:
    """The bundled config without the politeness a loopback estate does not need;
    pages that need a browser are rendered, as a user's crawl would."""
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    data["crawl"].update({"download_delay_s": 0, "autothrottle": False, "retries": 0,
                          "concurrent_per_host": 4})
    data["render"]["policy"] = "auto"
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def build_report(folder: Path) -> tuple[Path, int]:
    """Two crawls of the estate and the html report of the second; the report's
    folder and the number of the site page to show."""
    db = folder / "demo.db"
    config = loopback_config(folder)
    with EstateServer(build_estate()) as server:
        registry = write_registry_csv(server, folder / "registry.csv")
        govsite(db, config, "sites", "import", str(registry))
        govsite(db, config, "crawl", "--as-of", AS_OF[0], "--quiet", "--no-evidence")
        govsite(db, config, "crawl", "--as-of", AS_OF[1], "--quiet")
    html = folder / "html"
    govsite(db, config, "report", "--format", "html", "-o", str(html), "--lang", "zh")
    data = json.loads(govsite(db, config, "report", "--format", "json").stdout)
    # An unqualified site with the fewest findings: its page fits a screenshot.
    failed = sorted((len(site["findings"]), n) for n, site in
                    enumerate(data["sites"], start=1) if site["verdict"] == "fail")
    return html, (failed[0][1] if failed else 1)


def shoot(html: Path, site_number: int, out: Path) -> list[Path]:
    """Full-page screenshots of the index and one site's page."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    pages = [(html / "index.html", out / "report-index.png"),
             (html / "sites" / f"site-{site_number:03d}.html", out / "report-site.png")]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium() or None,
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
        for source, target in pages:
            page.goto(source.as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(target), full_page=True)
        browser.close()
    return [target for _, target in pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--keep", type=Path, help="Build the report in this folder (kept).")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        html, number = build_report(folder)
        for path in shoot(html, number, options.out):
            print(path)


if __name__ == "__main__":
    main()
