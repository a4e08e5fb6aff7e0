"""Account feeds read in a real crawl (issue 17, item 2): feeds served over real
HTTP on 127.0.0.31, accounts imported and crawled through the real CLI (Scrapy),
stored in a real SQLite file, reported as JSON (validated against the schema)
and in the quarterly notice.

Evidence before accusation: only a feed fetched and parsed with dated posts
fails an account; a refused connection, a 404, an HTML error page, a damaged
feed without a fresh post, a feed without dates: not judged, with why.
"""

from __future__ import annotations

import json
import sqlite3

import jsonschema
import pytest
from feed_samples import (
    AS_OF,
    BROKEN_FRESH,
    BROKEN_STALE,
    FRESH_RSS,
    GBK_LIES,
    HTML_ERROR,
    STALE_ATOM,
    UNDATED,
)
from feed_server import FeedServer
from helpers import SCHEMA, run_cli, tight_config

pytestmark = pytest.mark.slow  # a crawl in a subprocess

ROUTES = {
    "/wechat/qingshan": (200, "application/rss+xml; charset=utf-8", FRESH_RSS.encode()),
    "/weibo/baihe": (200, "application/atom+xml", STALE_ATOM.encode()),
    "/toutiao/songling": (200, "application/xml; charset=utf-8", GBK_LIES),
    "/wechat/hekou": (200, "application/rss+xml", BROKEN_STALE),
    "/wechat/jiangcheng": (200, "application/rss+xml", BROKEN_FRESH),
    "/douyin/undated": (200, "application/rss+xml", UNDATED),
    "/weibo/error": (200, "text/html; charset=utf-8", HTML_ERROR),
    "/weibo/huge": (200, "application/rss+xml", FRESH_RSS.encode() + b" " * 20_000),
    "/weibo/hangs": (200, "application/rss+xml", FRESH_RSS.encode(), 6.0),
    # a bridge redirecting to the cloud metadata service: the crawl's address scope holds
    "/weibo/metadata": (302, "text/html", b"http://169.254.169.254/latest/meta-data/"),
}
# The bridge's robots.txt refuses one route, requested among the others (Scrapy
# 2.19's own middleware would let it through: crawler/robots.py).
ROBOTS = {"/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
          "/private/feed": (200, "application/rss+xml", FRESH_RSS.encode())}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("feeds")
    db = tmp / "feeds.db"
    # the crawl's own bounds apply to feeds: 8 KB, 2 s, robots.txt
    config = tight_config(tmp, max_response_bytes=8192, download_timeout_s=2)
    with FeedServer(ROUTES | ROBOTS) as server:
        base = server.base
        accounts = tmp / "accounts.csv"
        accounts.write_text(
            "name,platform,account_id,organizer,region,feed_url\n"
            f"青山发布,wechat,qs-wx,青山县,云南省,{base}/wechat/qingshan\n"
            f"白河微博,weibo,bh-wb,白河县,云南省,{base}/weibo/baihe\n"
            f"松岭头条,toutiao,sl-tt,松岭镇,云南省,{base}/toutiao/songling\n"
            f"河口发布,wechat,hk-wx,河口镇,云南省,{base}/wechat/hekou\n"
            f"江城发布,wechat,jc-wx,江城县,云南省,{base}/wechat/jiangcheng\n"
            f"无日期,douyin,nd-dy,某县,云南省,{base}/douyin/undated\n"
            f"桥接出错,weibo,err-wb,某县,云南省,{base}/weibo/error\n"
            f"已删除,weibo,gone-wb,某县,云南省,{base}/weibo/gone\n"
            f"太大,weibo,huge-wb,某县,云南省,{base}/weibo/huge\n"
            f"太慢,weibo,slow-wb,某县,云南省,{base}/weibo/hangs\n"
            f"不许,weibo,robots-wb,某县,云南省,{base}/private/feed\n"
            f"跳转,weibo,meta-wb,某县,云南省,{base}/weibo/metadata\n"
            "拒绝连接,other,refused,某县,云南省,http://127.0.0.31:1/feed\n"
            "没有订阅,wechat,nofeed-wx,某县,云南省,\n", encoding="utf-8")
        imported = run_cli("--config", str(config), "accounts", "import", str(accounts), db=db)
        assert imported.code == 0, imported.stderr
        out = tmp / "run.json"
        result = run_cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet",
                         "--no-evidence", "--format", "json", "-o", str(out), db=db,
                         timeout=240)
        requests = list(server.requests)
    report = json.loads(out.read_text(encoding="utf-8"))
    return db, config, result, report, requests


def _account(report, account_id):
    return next(a for a in report["accounts"] if a["account_id"] == account_id)


def _checks(account, severity=None):
    return sorted(f["check"] for f in account["findings"]
                  if severity is None or f["severity"] == severity)


def test_the_crawl_fetches_each_feed_once_and_reports_every_fed_account(crawled) -> None:
    _, _, result, report, requests = crawled
    assert result.code == 1, result.stderr  # accounts are unqualified
    jsonschema.validate(report, SCHEMA)
    assert report["sites"] == []
    assert sorted(a["account_id"] for a in report["accounts"]) == sorted(
        ["qs-wx", "bh-wb", "sl-tt", "hk-wx", "jc-wx", "nd-dy", "err-wb", "gone-wb", "refused",
         "huge-wb", "slow-wb", "robots-wb", "meta-wb"])
    feeds = [path for path, _ in requests if not path.startswith("/robots.txt")]
    assert sorted(feeds) == sorted([*ROUTES, "/weibo/gone"]), requests  # not /private/feed
    assert [path for path, _ in requests].count("/robots.txt") == 1
    assert all("application/rss+xml" in accept for path, accept in requests
               if path in ROUTES)


def test_a_stale_atom_feed_vetoes_with_its_newest_post(crawled) -> None:
    account = _account(crawled[3], "bh-wb")
    assert account["verdict"] == "fail"
    assert account["vetoes"] == ["account-not-updated"]
    finding = next(f for f in account["findings"] if f["check"] == "account-not-updated")
    assert finding["evidence"]["newest"] == "2026-10-20"
    assert finding["evidence"]["days"] == 27
    assert finding["evidence"]["max_age_days"] == 14
    assert finding["url"] == "http://weibo.example/bh/2"


def test_a_fresh_rss_feed_passes_freshness_and_its_posts_go_through_the_wording_dictionary(
        crawled) -> None:
    account = _account(crawled[3], "qs-wx")
    assert "account-not-updated" not in _checks(account)
    wording = [f for f in account["findings"] if f["check"] == "wording-errors"]
    assert [(f["severity"], f["evidence"]["wrong"], f["url"]) for f in wording] == [
        ("veto", "中国特色社会主意", "http://mp.example/qs/3")]
    assert account["verdict"] == "fail"


def test_gbk_bytes_behind_a_utf8_declaration_are_read_right(crawled) -> None:
    account = _account(crawled[3], "sl-tt")
    finding = next(f for f in account["findings"] if f["check"] == "account-not-updated")
    assert finding["evidence"]["title"] == "松岭镇通报国土资源部文件"
    assert finding["evidence"]["newest"] == "2026-10-01"  # a Chinese date feedparser misreads
    wording = [f for f in account["findings"] if f["check"] == "wording-errors"]
    assert {(f["severity"], f["evidence"]["wrong"]) for f in wording} == {
        ("deduct", "国土资源部")}


def test_a_damaged_feed_with_a_fresh_post_passes(crawled) -> None:
    account = _account(crawled[3], "jc-wx")
    assert account["verdict"] == "pass", account
    assert account["findings"] == []


@pytest.mark.parametrize(("account_id", "why"), [
    ("hk-wx", "malformed feed"),
    ("nd-dy", "no post in the feed has a readable date"),
    ("err-wb", "not an RSS or Atom feed (text/html)"),
    ("gone-wb", "the feed answered HTTP 404"),
    ("refused", "connection refused"),
    ("huge-wb", "response larger than 8192 bytes"),
    ("slow-wb", "timeout after 2 s"),
    ("robots-wb", "not fetched: Forbidden by robots.txt"),
    ("meta-wb", "not fetched: out of scope"),
])
def test_a_feed_that_proves_nothing_leaves_the_account_not_judged(crawled, account_id,
                                                                   why) -> None:
    account = _account(crawled[3], account_id)
    assert account["verdict"] == "error"
    assert account["vetoes"] == []
    assert [f["severity"] for f in account["findings"]] == ["warn"]
    assert why in account["not_judged"][0]["reason"]


def test_the_store_holds_the_accounts_results_in_the_crawl_run(crawled) -> None:
    db = crawled[0]
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "select a.account_id, r.verdict from account_results r join accounts a "
            "on a.id = r.account_id join runs on runs.id = r.run_id "
            "where runs.command = 'crawl' order by a.account_id").fetchall()
    assert dict(rows) == {"bh-wb": "fail", "err-wb": "error", "gone-wb": "error",
                          "hk-wx": "error", "jc-wx": "pass", "nd-dy": "error",
                          "qs-wx": "fail", "refused": "error", "sl-tt": "fail",
                          "huge-wb": "error", "slow-wb": "error", "robots-wb": "error",
                          "meta-wb": "error"}


def test_the_notice_gives_the_new_media_section_per_platform(crawled) -> None:
    db, config = crawled[0], crawled[1]
    result = run_cli("--config", str(config), "report", "--format", "notice", "--period",
                     "2026Q4", db=db)
    assert result.code == 1, result.stderr
    text = result.stdout
    assert "### （三）2026年第四季度政务新媒体检查情况" in text
    # 14 registered (the feedless one too, not inspected), 3 unqualified, 1 qualified
    assert "登记在册的政务新媒体共14个，发现不合格政务新媒体3个，总体合格率7.1%" in text
    assert ("其中，政务微信公众号4个，不合格1个，合格率25.0%；政务微博7个，不合格1个，合格率0.0%；"
            "政务头条号1个，不合格1个，合格率0.0%；政务抖音号1个，不合格0个，合格率0.0%；"
            "其他类型政务新媒体1个，不合格0个，合格率0.0%。") in text
    assert "## 附件3：2026年第四季度政务新媒体检查情况" in text  # the seed's attachment 2
    assert "| 政务微博 | 7 | 7 | 1 | 0.0% |" in text
    assert "| 合计 | 14 | 13 | 3 | 7.1% |" in text
    assert "## 附件4：2026年第四季度不合格政务新媒体名单" in text
    assert "| 1 | 青山发布 | 政务微信公众号 | qs-wx |" in text
    assert "单项否决：更新不及时（1处）" in text
    # the serious error in 青山发布 and the outdated name in 松岭头条 (lower score first)
    assert "- 严重表述错误：2个政务新媒体存在此问题，如“松岭头条”头条号、“青山发布”微信公众号。" in text
    assert "- 更新不及时：2个政务新媒体存在此问题，如“松岭头条”头条号、“白河微博”微博。" in text


def test_rescore_judges_the_accounts_again_on_the_stored_feed(crawled, tmp_path) -> None:
    source_db = crawled[0]
    db = tmp_path / "copy.db"
    db.write_bytes(source_db.read_bytes())  # the other tests read the crawl's store
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text("new_media: {checks: {account-not-updated: {max_age_days: 30}}}\n",
                       encoding="utf-8")
    with sqlite3.connect(db) as connection:
        crawl_run = connection.execute("select id from runs where command = 'crawl'").fetchone()[0]
    result = run_cli("rescore", "--run", str(crawl_run), "--config", str(lenient), "--format",
                     "json", db=db)
    report = json.loads(result.stdout)
    assert report["run"]["command"] == "rescore"
    # 27 days is within 30: the Weibo account now passes; the others are judged as before
    assert _account(report, "bh-wb")["verdict"] == "pass"
    assert _account(report, "sl-tt")["vetoes"] == ["account-not-updated"]  # 46 days
    assert _account(report, "qs-wx")["vetoes"] == ["wording-errors"]
    assert _account(report, "hk-wx")["verdict"] == "error"
    assert report["run"]["stats"]["accounts"] == 13
