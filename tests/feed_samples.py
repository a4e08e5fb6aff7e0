"""Feed documents written for these tests (RSS 2.0, Atom 1.0, damaged ones), in the
shapes an RSSHub bridge gives for WeChat, Weibo and Toutiao accounts."""

from __future__ import annotations

AS_OF = "2026-11-16"


def rss(title: str, items: list[tuple[str, str, str | None, str]],
        encoding: str = "utf-8") -> str:
    """RSS 2.0: items are (title, link, pubDate or None, description HTML)."""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link>"
        + (f"<pubDate>{day}</pubDate>" if day else "")
        + f"<description><![CDATA[{text}]]></description></item>"
        for t, link, day, text in items)
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
            f"<title>{title}</title><link>http://mp.example/</link>{body}</channel></rss>\n")


def atom(title: str, entries: list[tuple[str, str, str, str]], encoding: str = "utf-8") -> str:
    """Atom 1.0: entries are (title, link, updated, content HTML)."""
    body = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id>'
        f"<updated>{day}</updated><content type=\"html\">{text}</content></entry>"
        for t, link, day, text in entries)
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f"<id>urn:feed</id><updated>2026-11-12T09:00:00+08:00</updated>{body}</feed>\n")


# Fresh (a post 4 days before as-of), with a serious wording error in a post.
FRESH_RSS = rss("青山发布", [
    ("青山县召开冬季安全生产会议", "http://mp.example/qs/3", "Thu, 12 Nov 2026 02:30:00 +0000",
     "<p>会议强调，深入学习贯彻中国特色社会主意思想。</p>"),
    ("青山县秋收工作有序推进", "http://mp.example/qs/2", "Mon, 02 Nov 2026 08:00:00 +0000",
     "<p>秋收进度过半。</p>"),
])
# Stale: the newest entry is of 2026-10-20, 27 days before as-of.
STALE_ATOM = atom("白河微博", [
    ("白河县发布防汛提示", "http://weibo.example/bh/2", "2026-10-20T10:00:00+08:00", "提示"),
    ("白河县举办农民丰收节", "http://weibo.example/bh/1", "2026-09-23T10:00:00+08:00", "丰收"),
])
# GBK bytes behind a UTF-8 declaration and header: decoded from the bytes; stale.
GBK_LIES = rss("松岭头条", [
    ("松岭镇通报国土资源部文件", "http://tt.example/sl/1", "2026年10月01日",
     "<p>转发国土资源部通知。</p>"),
]).encode("gbk")
# Not well-formed, cut in its second item: the posts read are stale, so not judged.
BROKEN_STALE = rss("河口发布", [
    ("河口镇召开会议", "http://mp.example/hk/1", "Mon, 05 Oct 2026 08:00:00 +0000", "会议"),
]).replace("</channel></rss>", "<item><title>河口镇新闻</ti").encode()
# Not well-formed, but a fresh post was read before the damage: updated.
BROKEN_FRESH = rss("江城发布", [
    ("江城县召开会议", "http://mp.example/jc/1", "Fri, 13 Nov 2026 08:00:00 +0000", "会议"),
]).replace("</channel></rss>", "<item><title>江城新闻</ti").encode()
# Every item undated.
UNDATED = rss("无日期发布", [("一条没有日期的消息", "http://mp.example/nd/1", None, "正文")]).encode()
# A bridge's error page served with 200.
HTML_ERROR = (b"<!DOCTYPE html><html><head><title>Error</title></head>"
              b"<body><h1>RSSHub: route failed</h1></body></html>")
