"""Which links leaving the site a visitor cannot see, read from the browser's computed styles.

Hidden link spam (博彩, 色情 links planted by an intruder) is hidden from
visitors and shown to search engines: `display:none`, `visibility:hidden`,
`opacity:0`, a zero-size box that clips its content, `font-size:0`, a
position far off the page, or text the colour of its background, on the link
or on any element around it, by inline style, by the `hidden` attribute or
by a class in a stylesheet. Only the browser knows the outcome of all of
them, so after a render settles (crawler/render_browser.py) `MARK_SCRIPT`
runs in the page and writes what it found into the DOM the readers parse
(the hidden-links check reads it back, checks/hidden_links.py):

- on every `<a href>` to another host: `data-govsite-hidden` = how it is
  hidden (empty when visible), `data-govsite-contrast` = the largest
  difference (0–255) of one RGB channel between its text and the background
  behind it, when it shows text; when hidden, `data-govsite-hider` names the
  element that hides it and `data-govsite-panel` why that element is a panel
  a visitor opens (below), when it is one;
- a `<meta name="govsite-visibility">` saying the links were judged.

A hidden container is a panel a visitor opens, not a hiding place, when
something visible on the page works it: an element that names it (ARIA
`aria-controls`, `data-target`, `href="#id"`, a handler mentioning its id),
a sibling of the same shape that is showing (the other tabs of a 友情链接
box, the other slides of a carousel), or a visible menu entry or tab strip
beside it carrying a hover or click handler or ARIA popup state (a dropdown).
The link lists govsite itself keeps hidden at the end of a page
(crawler/expand.py) are left out.
"""

from __future__ import annotations

from govsite.crawler.expand import EARLIER_PAGES
from govsite.extract.hiding import CONTRAST, HIDDEN, HIDER, META, PANEL

__all__ = ["CONTRAST", "HIDDEN", "HIDER", "MARK_SCRIPT", "META", "PANEL"]

MARK_SCRIPT = r"""
() => {
  const HIDDEN = '@HIDDEN@', HIDER = '@HIDER@', PANEL = '@PANEL@', CONTRAST = '@CONTRAST@';
  const bare = (host) => host.toLowerCase().replace(/^www\./, '');
  const here = bare(location.hostname);
  const ox = window.scrollX, oy = window.scrollY;
  const style = (el) => getComputedStyle(el);
  const clipsOverflow = (s) => s.overflowX !== 'visible' || s.overflowY !== 'visible';
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const offPage = (rects) => rects.length > 0 && rects.every(
    (r) => r.right + ox <= 0 || r.bottom + oy <= 0);
  const boxes = (el) => Array.from(el.getClientRects()).filter((r) => r.width > 0 || r.height > 0);
  const shown = (el) => {
    const s = style(el);
    if (s.display === 'none' || s.visibility !== 'visible' || parseFloat(s.opacity) === 0) return false;
    for (let up = el.parentElement; up; up = up.parentElement) {
      const u = style(up);
      if (u.display === 'none' || parseFloat(u.opacity) === 0) return false;
    }
    const b = boxes(el);
    return b.length > 0 && !offPage(b);
  };
  const clipped = (s) => {
    const m = /rect\(\s*([-\d.]+)px,?\s*([-\d.]+)px,?\s*([-\d.]+)px,?\s*([-\d.]+)px/.exec(s.clip || '');
    return s.position === 'absolute' && m && (parseFloat(m[3]) - parseFloat(m[1]) <= 1
      || parseFloat(m[2]) - parseFloat(m[4]) <= 1);
  };
  // How the element itself hides what it holds, or ''.
  const own = (el) => {
    const s = style(el);
    if (s.display === 'none') return 'display:none';
    if (parseFloat(s.opacity) === 0) return 'opacity:0';
    if (clipped(s)) return 'clip';
    const r = el.getBoundingClientRect();
    if ((r.width < 1 || r.height < 1) && clipsOverflow(s) && s.display !== 'contents'
        && el !== document.body) return 'zero size';
    return '';
  };
  // The outermost element that hides the link, and how; null when nothing does.
  const hiding = (a) => {
    let found = null;
    for (let el = a; el && el !== document.documentElement; el = el.parentElement) {
      const how = own(el);
      if (how) found = {el, how};
    }
    if (found) return found;
    if (style(a).visibility !== 'visible') {
      let el = a;
      while (el.parentElement && style(el.parentElement).visibility !== 'visible') el = el.parentElement;
      return {el, how: 'visibility:hidden'};
    }
    const text = (a.textContent || '').trim();
    const range = document.createRange();
    range.selectNodeContents(a);
    const rects = Array.from(text ? range.getClientRects() : a.getClientRects())
      .filter((r) => r.width > 0 || r.height > 0);
    if (offPage(rects)) {
      let el = a;
      while (el.parentElement && el.parentElement !== document.body && offPage(boxes(el.parentElement))) {
        el = el.parentElement;
      }
      return {el, how: 'off-screen'};
    }
    if (text && !a.querySelector('img, svg, canvas, video')) {
      if (parseFloat(style(a).fontSize) < 1) {
        let el = a;
        while (el.parentElement && parseFloat(style(el.parentElement).fontSize) < 1) el = el.parentElement;
        return {el, how: 'font-size:0'};
      }
    }
    return null;
  };
  // Hover and ARIA state open menus and tabs; a click handler alone could be anything
  // (加入收藏), so it counts only when it names the panel (below).
  const opens = (x) => ['onmouseover', 'onmouseenter', 'aria-haspopup', 'aria-expanded',
    'aria-controls'].some((h) => x.hasAttribute(h)) || ['tab', 'tablist', 'menuitem']
    .includes(x.getAttribute('role'));
  const works = (x) => x && shown(x) && (opens(x) || Array.from(x.children).some(
    (c) => opens(c) || Array.from(c.children).some(opens)));
  // Why a visitor can open this hidden element (see the module's docstring), or ''.
  const panel = (el) => {
    if (el === document.body) return '';
    const id = el.id;
    if (id) {
      const sel = CSS.escape(id);
      const named = Array.from(document.querySelectorAll(
        `[aria-controls~="${sel}"], [data-target="#${sel}"], [data-bs-target="#${sel}"], a[href="#${sel}"]`));
      if (named.some(shown)) return 'a visible control names it';
      const mention = Array.from(document.querySelectorAll('[onclick], [onmouseover], [onmouseenter]'))
        .find((c) => shown(c) && ['onclick', 'onmouseover', 'onmouseenter'].some(
          (h) => (c.getAttribute(h) || '').includes(id)));
      if (mention) return 'a visible control\'s handler names it';
    }
    const parent = el.parentElement;
    if (parent) {
      const shape = (x) => x.tagName + '|' + (typeof x.className === 'string' ? x.className.trim() : '')
        + '|' + (x.id || '').replace(/\d+$/, '#');
      const twins = Array.from(parent.children).filter((x) => x !== el && shape(x) === shape(el));
      if (twins.some(shown) && (el.className || /\d$/.test(el.id))) {
        return 'a sibling of its shape is showing (tabs, slides)';
      }
      if (works(el.previousElementSibling) || (shown(parent) && opens(parent))) {
        return 'a visible menu entry or tab strip beside it opens it';
      }
    }
    return '';
  };
  let judged = 0;
  for (const a of document.querySelectorAll('a[href]')) {
    let url;
    try { url = new URL(a.getAttribute('href'), document.baseURI); } catch (e) { continue; }
    if (!/^https?:$/.test(url.protocol) || bare(url.hostname) === here) continue;
    if (a.closest('[@EARLIER@]')) continue;
    judged += 1;
    const hidden = hiding(a);
    a.setAttribute(HIDDEN, hidden ? hidden.how : '');
    if (hidden) {
      a.setAttribute(HIDER, describe(hidden.el).slice(0, 120));
      const why = hidden.how === 'font-size:0' ? '' : panel(hidden.el);
      if (why) a.setAttribute(PANEL, why);
      continue;
    }
    const text = (a.textContent || '').trim();
    if (!text || a.querySelector('img, svg, canvas, video')) continue;
    const rgba = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const fg = rgba(style(a).color);
    if (fg.length === 4 && fg[3] === 0) { a.setAttribute(CONTRAST, '0'); continue; }
    let bg = [255, 255, 255];  // the canvas behind a page without a colour of its own
    let known = true;
    for (let el = a; el; el = el.parentElement) {
      const s = style(el);
      if (s.backgroundImage && s.backgroundImage !== 'none') { known = false; break; }
      const c = rgba(s.backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0)) { bg = c; break; }
    }
    if (known) {
      a.setAttribute(CONTRAST, String(Math.max(...[0, 1, 2].map((i) => Math.abs(fg[i] - bg[i])))));
    }
  }
  const meta = document.createElement('meta');
  meta.name = '@META@';
  meta.content = String(judged);
  (document.head || document.documentElement).appendChild(meta);
  return judged;
}
"""
for _name, _value in (("HIDDEN", HIDDEN), ("HIDER", HIDER), ("PANEL", PANEL),
                      ("CONTRAST", CONTRAST), ("META", META), ("EARLIER", EARLIER_PAGES)):
    MARK_SCRIPT = MARK_SCRIPT.replace(f"@{_name}@", _value)
