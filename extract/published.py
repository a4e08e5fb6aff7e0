"""When a page says it was published: its meta tags, or a labelled date near the top.

CMSs write `<meta name="PubDate" content="2026-11-02 09:30">` (TRS), pubdate,
publishdate, ArticlePubDate or `article:published_time`; pages without them
show 发布时间：2026-11-02 / 发布日期 / 成文日期 above the article. Read by those
names and labels, not by a template's classes.
"""

from __future__ import annotations

from datetime import date

from lxml import html as lxml_html

from govsite.extract.dates import dates_near_labels, parse_date
from govsite.extract.structure import content_root, element_text

META_NAMES = ("pubdate", "publishdate", "articlepubdate", "article:published_time",
              "firstpublishedtime", "publishtime", "pubtime")
LABELS = ("发布时间", "发布日期", "发文日期", "成文日期", "印发日期", "公开日期", "信息时间")
HEAD_CHARS = 600  # the label sits above the article, not in a related-links list below it


def published(tree: lxml_html.HtmlElement, reference: date | None = None) -> date | None:
    """The page's publish date, or None when it states none."""
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in META_NAMES:
            found = parse_date(meta.get("content") or "", reference=reference)
            if found is not None:
                return found
    root = content_root(tree)
    return dates_near_labels(element_text(root)[:HEAD_CHARS], LABELS, reference)
