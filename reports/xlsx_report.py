"""XLSX (openpyxl): a sheet of sites, a sheet of findings (the accounts' too), and
a sheet of new-media accounts when the run inspected any; headers in `lang`.

Every text cell is stored as text, never as a formula, whatever it starts with.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from govsite.reports.i18n import label
from govsite.reports.rows import (
    ACCOUNT_COLUMNS,
    FINDING_COLUMNS,
    SITE_COLUMNS,
    account_rows,
    finding_rows,
    headers,
    site_rows,
)

MAX_WIDTH = 60


def _sheet(sheet: Worksheet, head: list[str], rows: list[list[Any]],
           link_column: str | None = None) -> None:
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    link_index = head.index(link_column) + 1 if link_column in head else None
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
                if c == link_index and value.startswith(("http://", "https://")):
                    cell.hyperlink = value
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(rows) + 1}"
    for c, title in enumerate(head, start=1):
        longest = max([len(str(title))] + [len(str(row[c - 1] or "")) for row in rows[:500]])
        sheet.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, longest + 4)


def render(report: dict[str, Any], *, lang: str = "zh", **_: Any) -> bytes:
    book = Workbook()
    sites = book.active
    sites.title = label(lang, "sites_sheet")
    _sheet(sites, headers(SITE_COLUMNS, lang), site_rows(report, lang),
           link_column=label(lang, "url"))
    findings = book.create_sheet(label(lang, "findings_sheet"))
    _sheet(findings, headers(FINDING_COLUMNS, lang), finding_rows(report, lang),
           link_column=label(lang, "finding_url"))
    if report.get("accounts"):
        accounts = book.create_sheet(label(lang, "accounts_sheet"))
        _sheet(accounts, headers(ACCOUNT_COLUMNS, lang), account_rows(report, lang))
    run = report["run"]
    book.properties.title = f"govsite run {run['id']} ({run['as_of']})"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
