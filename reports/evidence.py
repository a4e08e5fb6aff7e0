"""A finding's evidence as a reader sees it: labelled fields in the report's
language, a list of records as a small table, long lists cut with a count.

Every human-facing format (html, csv, xlsx, the terminal, the notice and the
rectification e-mail) shows evidence through `evidence_view`, never as a
Python literal; JSON keeps the raw fields (they are data). Labels and the
fixed words checks store (a channel's kind, a link's state, a reason that is
a catalogued message, a network or render error of a known shape:
reports/reasons.py) come from the message catalogue (govsite.i18n).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from govsite.checks.site_identifiers import ITEM_WORDS
from govsite.i18n import gettext, msg, t
from govsite.i18n.words import DISMISS_KIND_WORDS
from govsite.reports.reasons import reason_text

MAX_ROWS = 10  # rows of a record list shown before "… N more"
MAX_ITEMS = 10  # items of a plain list shown before "… N more"
MAX_TEXT = 300  # characters of one value
HIDDEN = frozenset({"screenshot", "key", "judged"})  # shown elsewhere, or for machines

# An evidence key's label, in English (the catalogue id); unknown keys are shown
# as they are.
LABELS: dict[str, str] = {
    "reason": msg("Reason"), "candidates": msg("Channels tried"), "url": msg("Link"),
    "text": msg("Text"), "kind": msg("Kind"), "works": msg("Counts"), "why": msg("Why"),
    "column": msg("Column"), "via": msg("Found via"), "class": msg("Column class"),
    "newest": msg("Newest item"), "max_age_days": msg("Allowed age (days)"),
    "first_level": msg("First-level column"), "stale_columns": msg("Stale columns"),
    "empty_columns": msg("Empty columns"), "veto_threshold": msg("Veto from"),
    "target": msg("Target"), "pages": msg("Pages"), "count": msg("Count"),
    "status": msg("Status"), "error": msg("Error"), "detail": msg("Detail"),
    "state": msg("State"), "place": msg("Place"), "offsite": msg("Another site"),
    "title": msg("Title"), "asked": msg("Asked"), "replied": msg("Replied"),
    "working_days": msg("Working days"), "limit_working_days": msg("Limit (working days)"),
    "source": msg("Source"), "problem": msg("Problem"), "legal": msg("Statutory limit"),
    "committed": msg("Committed limit"), "listed": msg("On the service list"),
    "guide": msg("Service guide"), "missing": msg("Missing"), "guides_short": msg(
        "Guides short of elements"), "item": msg("Item"), "wrong": msg("Wrong"),
    "right": msg("Right"), "sentence": msg("Sentence"), "serious": msg("Serious"),
    **ITEM_WORDS,  # the footer's identifiers (checks/site_identifiers.py)
    "found": msg("Found"), "query": msg("Query"), "method": msg("Method"),
    "said": msg("Answer"), "how": msg("How it is hidden"), "hider": msg("Hidden by"),
    "words": msg("Words"), "examples": msg("Examples"), "page_count": msg("Pages"),
    "redirects_to": msg("Redirects to"), "visits": msg("Visits"), "failed": msg("Failed"),
    "share": msg("Share failed"), "last_failure": msg("Last failure"),
    "blocked": msg("Blocked"), "dates": msg("Dates"), "day": msg("Date"),
    "screenshot_error": msg("Screenshot error"),
}
# Fixed words checks store as values, said in the report's language.
WORDS: tuple[str, ...] = (
    msg("consultation"), msg("excluded"), msg("broken"), msg("suspected"),
    msg("inconclusive"), msg("home"), msg("page"), msg("sitemap"), msg("xml-sitemap"),
    msg("navigation"), msg("missing"), msg("non-specific"), msg("inconsistent"),
    msg("commitment-exceeds-legal"), msg("unanswered"), msg("replied"),
    msg("not-inspected"), msg("no-dates"), msg("future-date"), msg("no-footer"),
    msg("no-https"), msg("invalid-certificate"), msg("no-redirect"), msg("mixed-content"),
    msg("no-search-box"), msg("search-error"), msg("finds-nothing"), msg("not-judged"), msg("unreachable"),
    msg("detail"), msg("list"), msg("refused"), msg("error"),
    # the footer's identifiers (checks/site_identifiers.py), as stored in lists
    msg("site_code"), msg("icp"), msg("public_security"), msg("conac"), msg("contact"),
    # how a link is hidden (crawler/visibility.py; CSS properties are shown as they are)
    msg("same colour as background"), msg("zero size"), msg("off-screen"), msg("clip"),
    # why a hidden panel is one a visitor can open (crawler/visibility.py)
    msg("a visible control names it"), msg("a visible control's handler names it"),
    msg("a sibling of its shape is showing (tabs, slides)"),
    msg("a visible menu entry or tab strip beside it opens it"),
)
YES, NO = msg("yes"), msg("no")


@dataclass
class Field:
    """One labelled piece of evidence: a text, or a table of records."""

    label: str
    text: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    more: int = 0  # records or items left out

    @property
    def is_table(self) -> bool:
        return bool(self.columns)


def label_of(key: str, lang: str) -> str:
    return gettext(LABELS[key], lang) if key in LABELS else key


def more_text(count: int, lang: str) -> str:
    return t(lang, "… and {count} more", count=count) if count else ""


def value_text(value: Any, lang: str) -> str:
    """One value as words: yes/no, a catalogued word or phrase translated, a list
    joined and cut, a mapping as labelled pairs, never a Python literal."""
    if isinstance(value, bool):
        return gettext(YES if value else NO, lang)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        text = reason_text(value, lang)
        return text[:MAX_TEXT] + ("…" if len(text) > MAX_TEXT else "")
    if isinstance(value, list | tuple):
        shown = [value_text(v, lang) for v in value[:MAX_ITEMS]]
        joined = ("、" if lang == "zh" else ", ").join(shown)
        rest = len(value) - len(shown)
        return f"{joined} {more_text(rest, lang)}".strip()
    if isinstance(value, dict):
        sep = "；" if lang == "zh" else "; "
        colon = "：" if lang == "zh" else ": "
        return sep.join(f"{label_of(str(k), lang)}{colon}{value_text(v, lang)}"
                        for k, v in value.items() if v not in (None, "", [], {}))
    return json.dumps(value, ensure_ascii=False)[:MAX_TEXT]


def _records(key: str, value: list[dict[str, Any]], lang: str) -> Field:
    keys: list[str] = []
    for record in value:
        keys += [k for k in record if k not in keys and k not in HIDDEN]
    shown = value[:MAX_ROWS]
    return Field(label_of(key, lang), columns=[label_of(k, lang) for k in keys],
                 rows=[[value_text(record.get(k), lang) for k in keys] for record in shown],
                 more=len(value) - len(shown))


def evidence_view(evidence: dict[str, Any], lang: str) -> list[Field]:
    """The evidence as labelled fields in `lang`; empty values left out."""
    fields = []
    for key, value in evidence.items():
        if key in HIDDEN or value in (None, "", [], {}):
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            fields.append(_records(key, value, lang))
        else:
            fields.append(Field(label_of(key, lang), value_text(value, lang)))
    return fields


def evidence_text(evidence: dict[str, Any], lang: str) -> str:
    """The evidence on one line (a spreadsheet cell, a terminal): tables become
    "label: row; row" with their cut count."""
    colon = "：" if lang == "zh" else ": "
    parts = []
    for f in evidence_view(evidence, lang):
        if f.is_table:
            rows = " | ".join(", ".join(cell for cell in row if cell) for row in f.rows)
            parts.append(f"{f.label}{colon}{rows} {more_text(f.more, lang)}".strip())
        else:
            parts.append(f"{f.label}{colon}{f.text}")
    return ("；" if lang == "zh" else "; ").join(parts)


def dismissal_text(dismissal: dict[str, Any], lang: str) -> str:
    """"dismissed by 张三 on 2026-12-04, because …" in `lang`."""
    kind = gettext(DISMISS_KIND_WORDS.get(dismissal.get("kind") or "",
                                          DISMISS_KIND_WORDS["exception"]), lang)
    text = t(lang, "{kind}: dismissed by {by} on {at}, because {reason}", kind=kind,
             by=dismissal.get("by") or "", at=str(dismissal.get("at") or "")[:10],
             reason=dismissal.get("reason") or "")
    if dismissal.get("until"):
        text += t(lang, " (until {until})", until=dismissal["until"])
    return text
