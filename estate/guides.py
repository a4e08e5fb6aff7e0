"""Service-guide markup in the three layouts real guides use.

The same guide data rendered as a label/value table (2 or 4 cells a row), a
<dl>, or plain paragraphs, so the time-limit check must read all three.
"""

from __future__ import annotations

from .common import esc
from .content import Guide

# Paragraph guides use the shorter labels that sites print in running text.
P_LABELS = {"法定办结时限": "法定期限", "承诺办结时限": "承诺期限", "咨询方式": "咨询电话"}


def guide_table(guide: Guide, table_attrs: str = 'class="bszn"', label_tag: str = "th",
                pairs_per_row: int = 1, label_attrs: str = "") -> str:
    """Label cells beside value cells; with 2 pairs a row, short rows share a line."""
    attrs = f" {label_attrs}" if label_attrs else ""
    rows = []
    pending: list[str] = []
    for label, value in guide.fields:
        cell = f"<{label_tag}{attrs}>{esc(label)}</{label_tag}><td>{esc(value)}</td>"
        long_value = len(value) > 30
        if pairs_per_row == 1 or long_value:
            if pending:
                rows.append("<tr>" + "".join(pending) + '<td colspan="2"></td></tr>')
                pending = []
            span = ' colspan="3"' if pairs_per_row > 1 else ""
            rows.append(f"<tr><{label_tag}{attrs}>{esc(label)}</{label_tag}>"
                        f"<td{span}>{esc(value)}</td></tr>")
            continue
        pending.append(cell)
        if len(pending) == pairs_per_row:
            rows.append("<tr>" + "".join(pending) + "</tr>")
            pending = []
    if pending:
        rows.append("<tr>" + "".join(pending) + '<td colspan="2"></td></tr>')
    return f"<table {table_attrs}>" + "\n".join(rows) + "</table>"


def guide_dl(guide: Guide, dl_class: str = "bszn") -> str:
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in guide.fields)
    return f'<dl class="{dl_class}">{items}</dl>'


def guide_paragraphs(guide: Guide) -> str:
    return "\n".join(f"<p>{esc(P_LABELS.get(k, k))}：{esc(v)}</p>" for k, v in guide.fields)


def guide_body(guide: Guide, **table_options: object) -> str:
    """The guide in its planned layout, then any extra notes as paragraphs."""
    if guide.layout == "table":
        main = guide_table(guide, **table_options)  # type: ignore[arg-type]
    elif guide.layout == "dl":
        main = guide_dl(guide)
    else:
        main = guide_paragraphs(guide)
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in guide.notes)
    return main + notes
