"""JSON: the machine-readable contract (see reports/schema/report.schema.json)."""

from __future__ import annotations

import json
from typing import Any


def render(report: dict[str, Any], **_: Any) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
