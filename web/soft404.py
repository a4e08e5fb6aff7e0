"""A "soft 404": a page answering 200 that says it does not exist.

Many CMSs answer a missing article with their error template and status 200;
a visitor sees a broken link all the same. Judged on the page's title (and a
short page's heading), with words whole enough that an article about 404国道
is not one.
"""

from __future__ import annotations

import re

NOT_FOUND = re.compile(
    r"^\s*(?:404|4\s0\s4)(?:\s|$|[-_:：|!！])|\b404\s*(?:not\s*found|error|错误|页面)|"
    r"\bnot\s*found\b|页面不存在|页面未找到|找不到(?:该|您要访问的|您访问的|您要找的)?页面|"
    r"页面已(?:被)?删除|(?:信息|文章|内容|稿件)(?:已删除|不存在)|访问的页面不存在|^\s*错误页面?\s*$",
    re.I)


def looks_not_found(title: str | None) -> bool:
    """Whether a page's title says the page does not exist."""
    return bool(title) and bool(NOT_FOUND.search(title or ""))
