"""Report formats: each a module with `render(report, **options) -> str`.

Formats are plug-ins keyed by name; every one reads only the report data
built from the store (reports.model.build_report).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govsite.reports import json_report, table

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {
    "table": table.render,
    "json": json_report.render,
}


def render(report: dict[str, Any], fmt: str, **options: Any) -> str:
    return FORMATS[fmt](report, **options)
