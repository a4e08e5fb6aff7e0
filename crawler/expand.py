"""Script-driven pagination, in the browser: "加载更多" and page-number buttons.

An application's list shows its first batch; the rest arrives when a visitor
clicks "load more" (appended) or a page button (the list replaced). After a
render settles, `expand` clicks such controls, a bounded number of times,
and keeps what each replaced page showed in a hidden block at the end of the
body, so the page is read with every batch a visitor could reach.

Only controls that stay on the page are clicked: buttons and script links
(`href="javascript:…"`, `#`, none). A link to another page is the crawl's to
follow, and nothing inside a form is ever clicked (govsite submits no form).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

EARLIER_PAGES = "data-govsite-earlier-pages"

_STEP = r"""
(pageNo) => {
  const MORE = new RegExp('^(加载更多|查看更多|显示更多|点击加载更多|点击查看更多|加载更多数据|'
    + '更多信件|更多留言|loadmore|showmore)$', 'i');
  const NEXT = /^(下一页|下页|后一页|›|»|>|>>|next)$/i;
  const norm = (s) => (s || '').replace(/\s+/g, '');
  const shown = (el) => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const stays = (el) => {
    if (el.closest('form') || el.disabled || /disabled/.test(el.className || '')) return false;
    if (el.tagName === 'A') {
      const href = (el.getAttribute('href') || '').trim().toLowerCase();
      return !href || href.startsWith('#') || href.startsWith('javascript');
    }
    return el.tagName === 'BUTTON' || el.hasAttribute('onclick') || el.hasAttribute('data-page')
      || el.getAttribute('role') === 'button' || el.tagName === 'SPAN' || el.tagName === 'LI';
  };
  const controls = Array.from(document.querySelectorAll(
    'a, button, [onclick], [role=button], [data-page], span, li')).filter((el) => el.children.length <= 1);
  const usable = (el) => stays(el) && shown(el);
  const more = controls.find((el) => MORE.test(norm(el.textContent)) && usable(el));
  if (more) { more.click(); return 'more'; }
  let next = controls.find((el) => norm(el.textContent) === String(pageNo + 1) && usable(el));
  if (!next) next = controls.find((el) => NEXT.test(norm(el.textContent)) && usable(el));
  if (!next) return null;
  let holder = document.querySelector('div[data-govsite-earlier-pages]');
  if (!holder) {
    holder = document.createElement('div');
    holder.hidden = true;
    holder.setAttribute('data-govsite-earlier-pages', '');
    document.body.appendChild(holder);
  }
  // The list this pager turns: the nearest block before it that holds links.
  let list = null;
  for (let box = next, up = 0; box && !list && up < 5; box = box.parentElement, up++) {
    for (let s = box.previousElementSibling; s && !list; s = s.previousElementSibling) {
      if (s.querySelector('a[href]') || s.querySelector('[onclick]')) list = s;
    }
  }
  if (list) {
    const copy = document.createElement('div');
    copy.setAttribute('data-page', String(pageNo));
    copy.innerHTML = list.outerHTML;
    holder.appendChild(copy);
  }
  next.click();
  return 'page';
}
"""


async def expand(page: Any, max_steps: int, settle: Callable[[], Awaitable[None]]) -> int:
    """Click load-more and page controls up to `max_steps` times, settling after
    each; the number of clicks made."""
    from playwright.async_api import Error as PlaywrightError

    page_no, clicks = 1, 0
    while clicks < max_steps:
        kind = None
        with suppress(PlaywrightError):
            kind = await page.evaluate(_STEP, page_no)
        if kind is None:
            break
        clicks += 1
        page_no += kind == "page"
        await settle()
    return clicks
