"""Forms a citizen can write in (a message box), told apart from search boxes.

Two checks need it: consultation-channel (a channel works when it leads to
one) and empty-column (a column whose content is such a form, 在线咨询, is
not an empty column).
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

SEARCH_FIELDS = re.compile(r"search|keyword|searchword|^q$|^wd$|^kw$|query|sword", re.I)


def message_form(tree: lxml_html.HtmlElement) -> bool:
    """A form a citizen can write in: a textarea, or several fields that are not search."""
    for form in tree.iter("form"):
        if form.xpath(".//textarea"):
            return True
        fields = [f for f in form.xpath(".//input[not(@type) or @type='text' or @type='tel' "
                                        "or @type='email'] | .//select")
                  if not SEARCH_FIELDS.search(f.get("name", "") + f.get("id", ""))]
        if len(fields) >= 3:
            return True
    return bool(tree.xpath("//textarea"))
