"""Government new-media accounts (issue 17): the registry, auditors' results,
the freshness rule, scoring and reports, through the real CLI in this process
(typer's runner; nothing here crawls) and a real SQLite file.

The feeds themselves are read in a real crawl in tests/test_account_feeds.py.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import SCHEMA
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from synthetic import invoke

from govsite.checks.account_base import (
    FEED,
    POST,
    AccountEvidence,
    AccountInfo,
    account_check_classes,
    enabled_account_checks,
)
from govsite.checks.account_not_updated import AccountNotUpdated
from govsite.checks.base import Fact
from govsite.checks.wording_errors import WordingErrors
from govsite.config import DEFAULT_CONFIG_PATH, ConfigError, load_config
from govsite.crawler.feeds import feed_facts
from govsite.extract.feeds import read_feed
from govsite.reports.notice_media import rate_text
from govsite.storage.accounts import read_accounts

HEADER = "账号名称,平台,账号,开办主体,地区,订阅地址\n"
ROWS = ("云南国资,微信公众号,yngz-wx,省国资委,云南省,\n"
        "云南国资,新浪微博,yngz-wb,省国资委,云南省,https://rsshub.example.gov.cn/weibo/1\n"
        "青山发布,头条号,qs-tt,青山县人民政府,云南省,\n")


def count(db: Path, sql: str) -> object:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchone()[0]


def imported(tmp_path: Path, text: str = HEADER + ROWS) -> Path:
    db = tmp_path / "accounts.db"
    path = tmp_path / "accounts.csv"
    path.write_text(text, encoding="utf-8")
    result = invoke("accounts", "import", str(path), db=db)
    assert result.code == 0, result.stderr
    return db


# ------------------------------------------------------------------ the registry
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_accounts_csv_in_every_encoding_imports_and_lists(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes((HEADER + ROWS).encode(encoding))
    db = tmp_path / "a.db"
    result = invoke("accounts", "import", str(path), db=db)
    assert result.code == 0, result.stderr
    assert "imported 3 account(s): 3 new, 0 updated" in result.stderr
    listed = invoke("accounts", "list", db=db)
    assert listed.code == 0
    lines = [line for line in listed.stdout.splitlines() if "yngz" in line or "qs-tt" in line]
    assert len(lines) == 3
    assert "wechat" in lines[0] and "weibo" in lines[1] and "toutiao" in lines[2]
    assert "https://rsshub.example.gov.cn/weibo/1" in lines[1]


def test_accounts_xlsx_with_a_title_row_imports(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["2022年第三季度政务新媒体名单"])
    sheet.append(["name", "platform", "account_id", "organizer", "region", "feed_url"])
    sheet.append(["青山发布", "douyin", 12345678, "青山县", "云南省", None])
    path = tmp_path / "accounts.xlsx"
    book.save(path)
    rows, errors = read_accounts(path)
    assert errors == []
    assert [(r.row_number, r.name, r.platform, r.account_id) for r in rows] == [
        (3, "青山发布", "douyin", "12345678")]


def test_bad_account_rows_are_each_named_and_nothing_is_imported(tmp_path: Path) -> None:
    db = imported(tmp_path, HEADER + "旧账号,wechat,old-wx,某单位,云南省,\n")
    path = tmp_path / "bad.csv"
    path.write_bytes((HEADER + ROWS
                      + "省体育局,快手,ks-1,省体育局,云南省,\n"
                      + ",wechat,noname,某单位,云南省,\n"
                      + "云南国资,微信,yngz-wx,省国资委,云南省,\n"
                      + "某县发布,weibo,x-wb,某县,云南省,ftp://feeds.example/x\n"
                      + ",快手,ks-2,某单位,云南省,\n").encode("gbk"))  # two problems, one row
    result = invoke("accounts", "import", str(path), db=db)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    messages = [line.split(": ", 1)[1] for line in result.stderr.splitlines()
                if line.startswith(str(path))]
    assert messages == [
        "row 5: unknown platform '快手' (want wechat, weibo, toutiao, douyin, other)",
        "row 6: missing name",
        "row 7: duplicate account wechat 'yngz-wx' (first in row 2)",
        "row 8: feed URL 'ftp://feeds.example/x' is not http(s)",
        "row 9: missing name",
        "row 9: unknown platform '快手' (want wechat, weibo, toutiao, douyin, other)"]
    assert result.stderr.strip().splitlines()[-1].startswith(
        "error: 5 bad row(s); nothing imported (fix them, or pass --skip-invalid")
    assert count(db, "select account_id from accounts") == "old-wx"  # the good rows neither
    skipping = invoke("accounts", "import", "--skip-invalid", str(path), db=db)
    assert skipping.code == 1
    assert "imported 3 account(s): 3 new, 0 updated; skipped 5 bad row(s)" in skipping.stderr
    assert count(db, "select count(*) from accounts") == 4


def test_an_accounts_file_without_its_columns_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("name,url\n青山县,http://www.qs.gov.cn/\n", encoding="utf-8")
    result = invoke("accounts", "import", str(path), db=tmp_path / "a.db")
    assert result.code == 2
    assert "missing required column: platform" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_reimport_updates_an_account_by_platform_and_id(tmp_path: Path) -> None:
    db = imported(tmp_path)
    path = tmp_path / "again.csv"
    path.write_text(HEADER + "国资云南,wechat,yngz-wx,省国资委,云南省,"
                    "http://127.0.0.31/wechat/yngz\n", encoding="utf-8")
    result = invoke("accounts", "import", str(path), db=db)
    assert result.code == 0, result.stderr
    assert "0 new, 1 updated" in result.stderr
    with sqlite3.connect(db) as connection:
        row = connection.execute("select name, feed_url from accounts where account_id = "
                                 "'yngz-wx'").fetchone()
    assert row == ("国资云南", "http://127.0.0.31/wechat/yngz")
    assert count(db, "select count(*) from accounts") == 3


# ------------------------------------------------------------------ auditors' results
RECORDS = ("account,platform,as_of,check,result,note,evidence\n"
           "yngz-wx,,2022-09-05,account-not-updated,fail,2周内无更新,"
           "https://mp.weixin.qq.com/s/abc\n"
           "yngz-wx,,2022-09-05,wording-errors,pass,,\n"
           "云南国资,weibo,2022-09-05,account-not-updated,pass,,\n"
           "qs-tt,,2022-09-05,wording-errors,pass,,\n")


def test_recorded_results_are_judged_scored_and_reported(tmp_path: Path) -> None:
    db = imported(tmp_path)
    path = tmp_path / "records.csv"
    path.write_text(RECORDS, encoding="utf-8")
    result = invoke("accounts", "record", str(path), db=db)
    assert result.code == 0, result.stderr
    assert count(db, "select count(*) from runs where command = 'record'") == 1
    assert count(db, "select count(*) from account_records") == 4
    report = invoke("report", "--format", "json", db=db)
    assert report.code == 1  # an account is unqualified
    data = __import__("json").loads(report.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["run"]["command"] == "record"
    verdicts = {a["account_id"]: a["verdict"] for a in data["accounts"]}
    # qs-tt: its freshness was neither read nor recorded: not judged, never passed
    assert verdicts == {"yngz-wx": "fail", "yngz-wb": "pass", "qs-tt": "error"}
    failed = next(a for a in data["accounts"] if a["account_id"] == "yngz-wx")
    assert failed["vetoes"] == ["account-not-updated"]
    finding = failed["findings"][0]
    assert finding["url"] == "https://mp.weixin.qq.com/s/abc"
    assert finding["evidence"]["recorded"] is True
    assert finding["message"].startswith("2周内无更新")


def test_recorded_results_make_the_notices_new_media_section(tmp_path: Path) -> None:
    db = imported(tmp_path)
    with sqlite3.connect(db) as connection:  # the registry as it stood in the quarter
        connection.execute("update accounts set created_at = '2022-07-01 00:00:00'")
    path = tmp_path / "records.csv"
    path.write_text(RECORDS, encoding="utf-8")
    assert invoke("accounts", "record", str(path), db=db).code == 0
    text = invoke("report", "--format", "notice", "--period", "2022Q3", db=db).stdout
    assert text.splitlines()[0] == "# 关于2022年第三季度政府网站与政务新媒体检查情况的通报"
    assert ("2022年9月5日，本地区登记在册的政务新媒体共3个，发现不合格政务新媒体1个，总体合格率33.3%。"
            "其中，政务微信公众号1个，不合格1个，合格率0.0%；政务微博1个，不合格0个，合格率100.0%；"
            "政务头条号1个，不合格0个，合格率0.0%。另有1个政务新媒体未能完成检查。") in text
    assert "| 合计 | 3 | 3 | 1 | 33.3% |" in text
    # 二、存在问题 names the accounts beside the sites, as the seed names its WeChat account
    assert "- 更新不及时：1个政务新媒体存在此问题，如“云南国资”微信公众号。" in text
    english = invoke("report", "--format", "notice", "--period", "2022Q3", "--lang", "en",
                     db=db).stdout
    assert "there were 1 government WeChat public accounts, 1 failed, with a pass rate of " \
           "0.0%" in english
    assert "Account not updated: 1 new-media account(s), such as the “云南国资” WeChat public " \
           "account." in english


@pytest.mark.parametrize(("row", "reason"), [
    ("nobody,,2022-09-05,account-not-updated,fail,,",
     "unknown account 'nobody' (import it first: govsite accounts import)"),
    ("云南国资,,2022-09-05,account-not-updated,fail,,",
     "account '云南国资' names 2 accounts; add a platform column"),
    ("yngz-wx,,2022-13-40,account-not-updated,fail,,",
     "bad as-of '2022-13-40' (want a date as YYYY-MM-DD)"),
    ("yngz-wx,,next week,account-not-updated,fail,,",
     "bad as-of 'next week' (want a date as YYYY-MM-DD)"),
    ("yngz-wx,,2999-01-01,account-not-updated,fail,,", "as-of 2999-01-01 is in the future"),
    ("yngz-wx,,2022-09-05,home-not-updated,fail,,",
     "unknown check 'home-not-updated' (want account-interaction, account-not-updated, "
     "wording-errors)"),
    ("yngz-wx,,2022-09-05,account-not-updated,maybe,,",
     "unknown result 'maybe' (want pass or fail)"),
    ("yngz-wx,,2022-09-05,account-not-updated,fail,,javascript:alert(1)",
     "evidence link: URL 'javascript:alert(1)' is not http(s)"),
    ("yngz-wx,抖音号,2022-09-05,account-not-updated,fail,,",
     "unknown account 'yngz-wx' (import it first: govsite accounts import)"),
])
def test_a_bad_result_row_is_named_and_nothing_is_recorded(tmp_path: Path, row: str,
                                                           reason: str) -> None:
    db = imported(tmp_path)
    path = tmp_path / "records.csv"
    path.write_bytes((RECORDS + row + "\n").encode("gbk"))
    result = invoke("accounts", "record", str(path), db=db)
    assert result.code == 2
    assert f"{path}: row 6: {reason}" in result.stderr.replace("\n", "")
    assert count(db, "select count(*) from account_records") == 0
    assert count(db, "select count(*) from runs") == 0


def test_a_result_recorded_twice_in_a_file_names_the_first_row(tmp_path: Path) -> None:
    db = imported(tmp_path)
    path = tmp_path / "records.csv"
    path.write_text(RECORDS + "yngz-wx,,2022/9/5,account-not-updated,合格,,\n", encoding="utf-8")
    result = invoke("accounts", "record", str(path), db=db)
    assert result.code == 2
    assert "row 6: duplicate result for 云南国资 account-not-updated on 2022-09-05 " \
           "(first in row 2)" in result.stderr.replace("\n", "")
    assert count(db, "select count(*) from runs") == 0


# ------------------------------------------------------------------ the freshness rule
ACCOUNT = AccountInfo(1, "青山发布", "wechat", "qs-wx", "http://127.0.0.31/wechat/qs")
AS_OF = date(2026, 11, 16)


def evidence(posts: list[str | None], **feed: object) -> AccountEvidence:
    facts = [Fact(FEED, ACCOUNT.feed_url or "", FEED,
                  {"status": 200, "problem": None, "complete": True, "posts": len(posts),
                   **feed})]
    facts += [Fact(FEED, f"http://mp.example/{i}", POST,
                   {"title": f"post {i}", "link": f"http://mp.example/{i}", "published": day})
              for i, day in enumerate(posts)]
    return AccountEvidence(ACCOUNT, AS_OF, facts)


@pytest.mark.parametrize(("posts", "feed", "expected"), [
    (["2026-11-02", "2026-10-01"], {}, []),  # 14 days before as-of: still fresh
    (["2026-11-01", "2026-10-01"], {}, [("veto", "2026-11-01")]),
    (["2026-12-01", "2026-10-01"], {}, [("veto", "2026-10-01")]),  # a future date is no update
    (["2026-11-01"], {"complete": False, "damage": "malformed feed"}, [("warn", None)]),
    (["2026-11-10"], {"complete": False, "damage": "malformed feed"}, []),
    ([None, None], {}, [("warn", None)]),
    ([], {}, [("warn", None)]),
    (["2026-11-10"], {"problem": "the feed answered HTTP 500"}, [("warn", None)]),
])
def test_account_not_updated_fails_only_on_a_feed_read_whole(posts, feed, expected) -> None:
    found = list(AccountNotUpdated().evaluate(evidence(posts, **feed)))
    assert [(f.severity, f.evidence.get("newest")) for f in found] == expected
    assert all(f.evidence.get("judged") is False for f in found if f.severity == "warn")


def test_the_account_checks_read_their_numbers_from_config_yaml(tmp_path: Path) -> None:
    bundled = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    for cls in account_check_classes():
        block = bundled["new_media"]["checks"][cls.id]
        assert cls().settings == cls.Settings.model_validate(block)
        for name, field in cls.Settings.model_fields.items():
            assert field.is_required() or name in ("enabled", "severity"), (cls.id, name)
    user = tmp_path / "user.yaml"
    user.write_text("new_media: {checks: {account-not-updated: {max_age_days: 7}}}\n",
                    encoding="utf-8")
    config = load_config(user)
    assert config.new_media.checks["account-not-updated"] == {"enabled": True, "max_age_days": 7}
    assert config.new_media.checks["account-interaction"] == {"enabled": True}
    bad = tmp_path / "bad.yaml"
    bad.write_text("new_media: {checks: {account-stale: {enabled: true}}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"new_media\.checks\.account-stale: unknown account"):
        enabled_account_checks(load_config(bad))


# ------------------------------------------------------------------ reading feeds
def test_an_atom_feed_in_gbk_is_read_with_its_dates_in_china_time() -> None:
    document = ('<?xml version="1.0" encoding="gbk"?><feed xmlns="http://www.w3.org/2005/Atom">'
                "<title>松岭</title><entry><title>松岭镇通知</title>"
                '<link href="http://tt.example/1"/><updated>2026-11-11T17:30:00Z</updated>'
                "<content type=\"html\">&lt;p&gt;内容&lt;/p&gt;</content></entry></feed>")
    reading = read_feed(document.encode("gbk"), "application/atom+xml", as_of=AS_OF,
                        max_posts=10)
    assert reading.problem is None and reading.complete
    assert reading.title == "松岭"
    [post] = reading.posts
    assert (post.title, post.link, post.published) == ("松岭镇通知", "http://tt.example/1",
                                                       date(2026, 11, 12))
    assert post.text == "松岭镇通知\n内容"


def test_a_naive_feed_date_is_china_time_not_utc() -> None:
    document = ('<rss version="2.0"><channel><title>t</title><item><title>a</title>'
                "<pubDate>2026-11-10 20:00:00</pubDate></item></channel></rss>")
    reading = read_feed(document.encode(), None, as_of=AS_OF, max_posts=10)
    assert reading.posts[0].published == date(2026, 11, 10)


@pytest.mark.parametrize(("body", "problem"), [
    (b"", "empty response, not a feed"),
    (b"   ", "empty response, not a feed"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not an RSS or Atom feed (image/png)"),
    (b'{"items": []}', "not an RSS or Atom feed (image/png)"),
])
def test_what_is_not_a_feed_says_so(body: bytes, problem: str) -> None:
    reading = read_feed(body, "image/png", as_of=AS_OF, max_posts=10)
    assert reading.problem is not None and reading.problem.startswith(problem)
    assert reading.posts == []


def test_max_posts_keeps_the_newest() -> None:
    items = "".join(f"<item><title>p{day}</title><pubDate>2026-11-{day:02d}</pubDate></item>"
                    for day in (3, 9, 1, 7))
    document = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    reading = read_feed(document.encode(), None, as_of=AS_OF, max_posts=2)
    assert [p.title for p in reading.posts] == ["p9", "p7"]


FEED_PIECES = st.sampled_from([
    '<?xml version="1.0" encoding="gbk"?>', '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0">', "<channel>", "<title>青山发布</title>", "<item>", "</item>",
    "<title>中华人民共合国国土资源部</title>", "<pubDate>2026-11-10</pubDate>",
    "<pubDate>Mon, 99 Foo 2026</pubDate>", "<pubDate>2026年13月40日</pubDate>",
    "<pubDate>9999-01-01T00:00:00Z</pubDate>", "<description><![CDATA[<p>正文",
    "]]></description>", "</channel></rss>", '<feed xmlns="http://www.w3.org/2005/Atom">',
    "<entry>", "<updated>2026-11-12T09:00:00+08:00</updated>", "</entry>", "</feed>",
    "&amp;", "&bogus;", "<", "\x00", "\ufeff"])


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(FEED_PIECES, max_size=14),
       encoding=st.sampled_from(["utf-8", "gbk", "utf-16"]),
       content_type=st.sampled_from([None, "", "application/rss+xml", "text/html",
                                     "text/xml; charset=gbk", "application/xml; charset=big5"]))
def test_any_document_reads_as_a_feed_or_as_a_problem_never_an_exception(
        pieces: list[str], encoding: str, content_type: str | None) -> None:
    """Damaged markup, wrong declarations, odd dates: feed_facts (what the crawl
    stores) never raises, and only a well-formed feed can fail an account."""
    body = "".join(pieces).encode(encoding, errors="replace")
    facts = feed_facts("http://127.0.0.31/f", 200, content_type, body, as_of=AS_OF,
                       max_posts=5, wording=WordingErrors())
    [summary] = [data for _, _, kind, data in facts if kind == FEED]
    posts = [Fact(FEED, url, kind, data) for _, url, kind, data in facts if kind == POST]
    found = list(AccountNotUpdated().evaluate(AccountEvidence(
        ACCOUNT, AS_OF, [Fact(FEED, "http://127.0.0.31/f", FEED, summary), *posts])))
    # the property: a veto only on a feed read whole, with a dated post up to as-of
    assert all(summary["problem"] is None and summary["complete"]
               and f.evidence["newest"] <= AS_OF.isoformat()
               for f in found if f.severity == "veto"), (summary, found)


# ------------------------------------------------------------------ the notice's figures
@pytest.mark.parametrize(("registered", "failed", "shown"), [
    (4219, 6, "99.9%"), (2944, 1, "99.9%"), (670, 3, "99.6%"), (174, 1, "99.4%"),
    (431, 1, "99.8%"), (286, 5, "98.3%"), (10, 0, "100.0%"), (0, 0, "0.0%"),
])
def test_pass_rates_are_printed_as_the_seed_notice_prints_them(registered, failed,
                                                               shown) -> None:
    assert rate_text(registered - failed, registered) == shown


def test_markup_in_an_account_name_and_note_is_escaped_in_the_notice(tmp_path: Path) -> None:
    db = imported(tmp_path, HEADER + "<script>alert(1)</script>,wechat,x-wx,某单位,云南省,\n")
    path = tmp_path / "records.csv"
    path.write_text("account,as_of,check,result,note\n"
                    "x-wx,2022-09-05,account-interaction,fail,<img src=x onerror=alert(2)>\n",
                    encoding="utf-8")
    assert invoke("accounts", "record", str(path), db=db).code == 0
    out = tmp_path / "notice.md"
    result = invoke("report", "--format", "notice", "--period", "2022Q3", "-o", str(out), db=db)
    assert result.code == 1, result.stderr
    markdown = out.read_text(encoding="utf-8")
    page = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "单项否决：互动回应差（1处）" in markdown


def test_junit_gives_each_account_a_suite_failing_on_its_findings(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    db = imported(tmp_path)
    path = tmp_path / "records.csv"
    path.write_text(RECORDS, encoding="utf-8")
    assert invoke("accounts", "record", str(path), db=db).code == 0
    result = invoke("report", "--format", "junit", db=db)
    assert result.code == 1
    suites = {s.get("name"): s for s in ET.fromstring(result.stdout).iter("testsuite")}
    assert sorted(suites) == ["toutiao: 青山发布", "wechat: 云南国资", "weibo: 云南国资"]
    failed = suites["wechat: 云南国资"]
    assert [(c.get("name"), [f.get("type") for f in c.iter("failure")])
            for c in failed.iter("testcase")] == [("account-not-updated", ["veto"]),
                                                  ("verdict", ["unqualified"])]
    assert [e.get("type") for e in suites["toutiao: 青山发布"].iter("error")] == ["not-judged"]
    assert suites["weibo: 云南国资"].get("failures") == "0"
