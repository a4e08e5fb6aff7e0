"""Report formats: plug-ins keyed by name, every one reading only data built from
the store (reports.model.build_report; the notice: reports.notice.build_notice).

A format renders to text or bytes (`render(data, **options)`); a format whose
output is several files (html: a folder; notice: Markdown and HTML) has a
`write(data, path, **options)` and needs `--output`. Options every renderer
may receive: `lang` (zh|en), `policy` (reports.outcome.Policy: what fails),
`evidence_roots` (where evidence files such as screenshots are looked up).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Format:
    """A report format: `render(data, **options)` and/or `write(data, path, **options)`
    in module govsite.reports.<module>, imported on first use (openpyxl, jinja2
    and the rest stay out of a crawl that prints a table)."""

    name: str
    help: str
    module: str
    renders: bool = True  # False: it writes files only, and needs --output
    writes: bool = False
    binary: bool = False
    source: str = "run"  # run: one run's report; notice: a quarter's notice

    @property
    def render(self) -> Callable[..., str | bytes] | None:
        return self._function("render") if self.renders else None

    @property
    def write(self) -> Callable[..., list[Path]] | None:
        return self._function("write") if self.writes else None

    def _function(self, name: str) -> Callable[..., Any]:
        return getattr(importlib.import_module(f"govsite.reports.{self.module}"), name)

    def __call__(self, data: dict[str, Any], **options: Any) -> str | bytes:
        if self.render is None:
            raise ValueError(f"format {self.name} writes files: give --output")
        return self.render(data, **options)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("table", "terminal tables (rich)", "table"),
    Format("json", "the JSON contract (reports/schema/report.schema.json)", "json_report"),
    Format("csv", "one row per finding, with the site's verdict", "csv_report"),
    Format("xlsx", "a workbook: a sheet of sites, a sheet of findings", "xlsx_report",
           binary=True),
    Format("junit", "JUnit XML: a testsuite per site, a testcase per check", "junit_report"),
    Format("html", "a static report folder: index, a page per site, screenshots",
           "html_report", renders=False, writes=True),
    Format("notice", "the quarterly notice, Markdown (and HTML with --output)",
           "notice", writes=True, source="notice"),
)}


def render(report: dict[str, Any], fmt: str, **options: Any) -> str | bytes:
    return FORMATS[fmt](report, **options)


def write(report: dict[str, Any], fmt: str, output: Path, **options: Any) -> list[Path]:
    """Write the report to `output` (a folder for html); return the files written."""
    spec = FORMATS[fmt]
    if spec.write is not None:
        return spec.write(report, output, **options)
    output.parent.mkdir(parents=True, exist_ok=True)
    content = spec(report, **({"bom": True} | options) if fmt == "csv" else options)
    if isinstance(content, bytes):
        output.write_bytes(content)
    else:
        output.write_text(content, encoding="utf-8")
    return [output]
