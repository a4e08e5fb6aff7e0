"""Report formats: plug-ins keyed by name, every one reading only data built from
the store (reports.model.build_report; the notice: reports.notice.build_notice).

A format renders to text or bytes (`render(data, **options)`); a format whose
output is several files (html: a folder; notice: Markdown and HTML) has a
`write(data, path, **options)` and needs `--output`. Options every renderer
may receive: `lang` (zh|en), `policy` (reports.outcome.Policy: what fails),
`evidence_roots` (where evidence files such as screenshots are looked up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govsite.reports import (
    csv_report,
    html_report,
    json_report,
    junit_report,
    notice,
    table,
    xlsx_report,
)


@dataclass(frozen=True)
class Format:
    name: str
    help: str
    render: Callable[..., str | bytes] | None = None  # None: needs --output (write)
    write: Callable[..., list[Path]] | None = None
    binary: bool = False
    source: str = "run"  # run: one run's report; notice: a quarter's notice

    def __call__(self, data: dict[str, Any], **options: Any) -> str | bytes:
        if self.render is None:
            raise ValueError(f"format {self.name} writes files: give --output")
        return self.render(data, **options)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("table", "terminal tables (rich)", table.render),
    Format("json", "the JSON contract (reports/schema/report.schema.json)", json_report.render),
    Format("csv", "one row per finding, with the site's verdict", csv_report.render),
    Format("xlsx", "a workbook: a sheet of sites, a sheet of findings", xlsx_report.render,
           binary=True),
    Format("junit", "JUnit XML: a testsuite per site, a testcase per check",
           junit_report.render),
    Format("html", "a static report folder: index, a page per site, screenshots",
           None, html_report.write),
    Format("notice", "the quarterly notice, Markdown (and HTML with --output)",
           notice.render, notice.write, source="notice"),
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
