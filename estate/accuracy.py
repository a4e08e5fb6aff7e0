"""Precision and recall of the mission checks against an estate's ground truth.

`score(report, estate, server)` matches a run's findings to the estate's
`Truth` rows exactly as tests/test_accuracy.py does: a finding is located by
(estate site, check, path + query), consultation-channel findings at "/";
findings with `evidence.judged == False` are not counted as found but listed
as "not judged". Results per check and per structure family (a site's
`template`).

`python -m govsite.estate.accuracy [--estate families|demo] [--render auto|never]`
serves the estate, writes its registry, runs the real CLI (`govsite sites
import`, then `govsite crawl`) into a temporary database, and prints the
table (or `--json`). Each estate is served from its own first loopback IP,
so several estates can be served in one process.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .build import DEMO_AS_OF, build_estate
from .families import build_families
from .model import Estate, Truth
from .registry import write_registry_csv
from .server import EstateServer

MISSION_CHECKS = ("empty-column", "consultation-channel", "reply-overdue",
                  "service-guide-time-limit")
ESTATES = {"families": build_families, "demo": build_estate}
FIRST_IP = {"demo": "127.0.0.2", "families": "127.0.1.2"}  # estates never share addresses
NEEDS_RENDER = "needs render"

Key = tuple[str, str, str]  # (estate site name, check, path with query)


def _path(url: str, check: str) -> str:
    if check == "consultation-channel":
        return "/"
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def located(report: dict, server: Any) -> tuple[dict[Key, dict], dict[Key, dict]]:
    """(judged findings, not-judged findings) by (site name, check, path)."""
    titles = {spec.title: spec.name for spec in server.sites}
    judged: dict[Key, dict] = {}
    unjudged: dict[Key, dict] = {}
    for site in report["sites"]:
        name = titles.get(site["name"], site["name"])
        for finding in site["findings"]:
            if f"checks failed: {finding['check']}" in site.get("reasons", ()):
                continue  # its crash's warning at the site's URL found nothing
            key = (name, finding["check"], _path(finding["url"], finding["check"]))
            if finding["evidence"].get("judged") is False:
                unjudged[key] = finding
            else:
                judged[key] = finding
    return judged, unjudged


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _tally(keys: Iterable[Key], found: set[Key], unjudged: set[Key], flags: set[Key],
           decoys: set[Key], excused: set[Key]) -> dict[str, Any]:
    scope = set(keys)
    expected = (flags - excused) & scope
    hits = found & scope
    tp, fp, fn = hits & expected, hits - expected, expected - hits
    return {
        "precision": round(_ratio(len(tp), len(hits)), 3),
        "recall": round(_ratio(len(tp), len(expected)), 3),
        "flags": len(expected), "decoys": len(decoys & scope),
        "tp": sorted(tp), "fp": sorted(fp), "fn": sorted(fn),
        "decoys_flagged": sorted(hits & decoys),
        "not_judged": sorted(unjudged & scope),
        "fn_not_judged": sorted(fn & unjudged),
        "excused": sorted(excused & flags & scope),
    }


def score(report: dict, estate: Estate, server: Any,
          checks: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Precision, recall and TP/FP/FN lists per check and per family (site template).

    A run that rendered no page excuses the flags whose note says "needs
    render" (as tests/test_accuracy.py does); a run that rendered counts them."""
    if checks is None:  # the mission checks, and every other check the estate plants for
        planted = {t.check for t in estate.truth} - {"crawl", *MISSION_CHECKS}
        checks = (*MISSION_CHECKS, *sorted(planted))
    judged, unjudged_findings = located(report, server)
    templates = {spec.name: spec.template for spec in estate.sites}
    rendered = report.get("run", {}).get("stats", {}).get("pages_rendered", 0) > 0
    truth = [t for t in estate.truth if t.check in checks]
    flags = {_key(t) for t in truth if t.expect == "flag"}
    decoys = {_key(t) for t in truth if t.expect == "decoy"}
    excused = set() if rendered else {_key(t) for t in truth
                                      if t.expect == "flag" and NEEDS_RENDER in t.note}
    found = {k for k in judged if k[1] in checks}
    unjudged = {k for k in unjudged_findings if k[1] in checks}
    every = found | unjudged | flags | decoys
    families = sorted({templates.get(k[0], "?") for k in flags | decoys},
                      key=lambda f: (f == "?", f))
    result: dict[str, Any] = {
        "as_of": estate.as_of.isoformat(), "rendered": rendered,
        "checks": {c: _tally((k for k in every if k[1] == c), found, unjudged, flags, decoys,
                             excused) for c in checks},
        "families": {f: _tally((k for k in every if templates.get(k[0], "?") == f), found,
                               unjudged, flags, decoys, excused) for f in families},
        "family_checks": {f: {c: _tally((k for k in every if k[1] == c
                                         and templates.get(k[0], "?") == f),
                                        found, unjudged, flags, decoys, excused) for c in checks}
                          for f in families},
    }
    result["all"] = _tally(every, found, unjudged, flags, decoys, excused)
    result["truth"] = {_fmt(_key(t)): {"expect": t.expect, "problem": t.problem, "note": t.note,
                                       "host": t.host} for t in truth}
    result["findings"] = {_fmt(k): {"message": f["message"], "severity": f["severity"],
                                    "reason": f["evidence"].get("reason")
                                    or f["evidence"].get("problem")}
                          for k, f in {**judged, **unjudged_findings}.items() if k[1] in checks}
    return result


def _key(t: Truth) -> Key:
    return (t.site, t.check, t.path)


def _fmt(key: Key) -> str:
    return " ".join(key)


# --- running the real CLI ------------------------------------------------------------------
def tight_config(workdir: Path, render: str) -> Path:
    """The bundled config, minus the politeness a loopback estate does not need
    (as tests/helpers.py's tight_config)."""
    from govsite.config import DEFAULT_CONFIG_PATH

    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    data["crawl"].update({"download_delay_s": 0, "autothrottle": False, "retries": 0,
                          "concurrent_per_host": 4})
    data["render"]["policy"] = render
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _cli(db: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GOVSITE_DB"}
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    return subprocess.run([sys.executable, "-m", "govsite.cli", "--db", f"sqlite:///{db}", *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


def render_share(db: Path, server: EstateServer) -> dict[str, dict[str, Any]]:
    """Pages fetched and rendered per family, from the run's per-site crawl rows."""
    templates = {spec.title: spec.template for spec in server.sites}
    shares: dict[str, dict[str, Any]] = {}
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT s.name, c.pages_fetched, c.pages_rendered FROM site_crawls c "
                            "JOIN sites s ON s.id = c.site_id").fetchall()
    for title, fetched, rendered in rows:
        entry = shares.setdefault(templates.get(title, "?"), {"pages": 0, "rendered": 0})
        entry["pages"] += fetched or 0
        entry["rendered"] += rendered or 0
    for entry in shares.values():
        entry["share"] = round(_ratio(entry["rendered"], entry["pages"]) if entry["pages"] else 0, 3)
    return shares


def evaluate(estate_name: str = "families", render: str = "auto", as_of: date = DEMO_AS_OF,
             workdir: Path | None = None, timeout: float = 900) -> dict[str, Any]:
    """Serve the estate, crawl it with the real CLI, and score the report."""
    estate = ESTATES[estate_name](as_of)
    with tempfile.TemporaryDirectory(prefix=f"govsite-accuracy-{estate_name}-") as tmp:
        work = Path(workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        db, output = work / "estate.db", work / "report.json"
        for stale in (db, output):
            stale.unlink(missing_ok=True)
        with EstateServer(estate, first_ip=FIRST_IP[estate_name]) as server:
            registry = write_registry_csv(server, work / "registry.csv")
            config = tight_config(work, render)
            done = _cli(db, "--config", str(config), "sites", "import", str(registry), timeout=120)
            if done.returncode != 0:
                raise RuntimeError(f"sites import failed: {done.stderr[-2000:]}")
            command = ["--config", str(config), "crawl", "--as-of", as_of.isoformat(), "--quiet",
                       "--no-evidence", "--format", "json", "--output", str(output)]
            done = _cli(db, *command, timeout=timeout)
            if done.returncode not in (0, 1) or not output.exists():
                raise RuntimeError(f"crawl failed ({done.returncode}): {done.stderr[-3000:]}")
            report = json.loads(output.read_text(encoding="utf-8"))
            result = score(report, estate, server)
            result["render_share"] = render_share(db, server)
        result.update({"estate": estate_name, "render_policy": render,
                       "command": "govsite " + " ".join(command),
                       "stats": report["run"].get("stats", {}),
                       "verdicts": {s["name"]: s["verdict"] for s in report["sites"]}})
    return result


# --- printing ------------------------------------------------------------------------------
def table(result: dict[str, Any]) -> str:
    lines = [f"estate {result.get('estate', '?')} as of {result['as_of']}, render "
             f"{result.get('render_policy', '?')} (pages rendered: "
             f"{result.get('stats', {}).get('pages_rendered', '?')})", ""]
    head = f"{'':28} {'flags':>5} {'decoys':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'decoy!':>6} " \
           f"{'unjudged':>8} {'precision':>9} {'recall':>6}"

    def row(name: str, t: dict[str, Any]) -> str:
        return (f"{name:28} {t['flags']:>5} {t['decoys']:>6} {len(t['tp']):>4} {len(t['fp']):>4} "
                f"{len(t['fn']):>4} {len(t['decoys_flagged']):>6} {len(t['not_judged']):>8} "
                f"{t['precision']:>9.2f} {t['recall']:>6.2f}")

    lines += ["per check", head] + [row(c, t) for c, t in result["checks"].items()]
    lines += ["", "per family", head] + [row(f, t) for f, t in result["families"].items()]
    lines += [row("all", result["all"])]
    shares = result.get("render_share")
    if shares:
        lines += ["", "render share per family"]
        lines += [f"  {f:12} {s['rendered']:>4} of {s['pages']:>4} pages ({s['share']:.0%})"
                  for f, s in sorted(shares.items())]
    verdicts = result.get("verdicts")
    if verdicts:
        lines += ["", "verdicts: " + ", ".join(f"{n} {v}" for n, v in verdicts.items())]
    wrong = [(kind, key) for t in result["checks"].values()
             for kind in ("fp", "fn", "not_judged") for key in t[kind]]
    if wrong:
        lines += ["", "errors (FP: flagged but no flag planted; FN: planted flag missed)"]
        for kind, key in wrong:
            name = _fmt(tuple(key))
            truth = result["truth"].get(name)
            finding = result["findings"].get(name)
            what = (f"[{truth['expect']} {truth['problem']}]" if truth else "[no truth row]")
            said = f" — {finding['message']}" if finding else ""
            lines.append(f"  {kind.upper():10} {name} {what}{said}"[:300])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govsite.estate.accuracy",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--estate", choices=sorted(ESTATES), default="families")
    parser.add_argument("--render", choices=("auto", "never"), default="auto")
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEMO_AS_OF)
    parser.add_argument("--workdir", type=Path, help="keep the registry, config, db and report here")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    result = evaluate(args.estate, args.render, args.as_of, args.workdir)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1, default=list))
    else:
        print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
