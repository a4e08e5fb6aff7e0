"""CSV: one row per finding with its site's verdict and score; a site without
findings has one row of its own, so every inspected site appears. The run's
new-media accounts follow in the same columns (rows.account_finding_rows), the
last column saying which is which.

Written to a file it starts with a UTF-8 byte-order mark, so Excel opens the
Chinese text right; on stdout it does not.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from govsite.reports.rows import FINDING_COLUMNS, defuse, finding_rows, headers

BOM = "\ufeff"


def render(report: dict[str, Any], *, lang: str = "zh", bom: bool = False, **_: Any) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(FINDING_COLUMNS, lang))
    for row in finding_rows(report, lang, include_clean_sites=True):
        writer.writerow(["" if value is None else defuse(value) for value in row])
    return (BOM if bom else "") + buffer.getvalue()
