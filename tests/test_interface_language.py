"""Chinese first, where English used to leak through (issue 16, item 1): typer's own
usage errors, config and registry-file errors, the listing tables, reasons kept in
evidence, the new-media accounts' findings, plug-in checks' catalogues, and the
locale as the default language. Each test runs the real code path (the CLI in this
process, a real config file, a real registry file, a stored run) in a zh run and
fails on the English text."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from pydantic_core import PydanticKnownError
from stored_runs import channel_facts, crawl_like_run
from typer.testing import CliRunner

from govsite.cli import app
from govsite.config import PYDANTIC_WORDS, ConfigError, load_config
from govsite.i18n import LOCALE_DIR, catalogue, gettext, locale_lang, placeholders, plugin_catalogue, say
from govsite.i18n.shapes import shapes
from govsite.i18n.usage import say_parser
from govsite.reports.evidence import evidence_text
from govsite.reports.reasons import REASONS, reason_text, said_message

CLEAN_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "LANGUAGE": None}


def cli(*args: str, lang: str | None = "zh", db: Path | None = None,
        env: dict[str, str | None] | None = None):  # type: ignore[no-untyped-def]
    """The CLI in this process with the interface language `lang` ($GOVSITE_LANG)."""
    full = {"GOVSITE_DB": None, "NO_COLOR": "1", "COLUMNS": "200", "GOVSITE_LANG": lang,
            **(env or {})}
    prefix = ["--db", f"sqlite:///{db}"] if db else []
    return CliRunner(env=full).invoke(app, [*prefix, *args], prog_name="govsite")


# ------------------------------------------------------------- typer's usage errors
def test_a_typod_option_is_said_in_chinese_with_the_usage_and_the_hint() -> None:
    result = cli("report", "--fromat", "json")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "用法: govsite report [OPTIONS]",
        "运行 'govsite report --help' 查看帮助。",
        "错误: 没有此选项：--fromat（可能的选项：--format）"]
    english = cli("report", "--fromat", "json", lang="en")
    assert english.exit_code == 2
    assert english.stderr.splitlines() == [
        "Usage: govsite report [OPTIONS]", "Try 'govsite report --help' for help.",
        "error: No such option: --fromat (Possible options: --format)"]


@pytest.mark.parametrize(("args", "chinese"), [
    (("sites", "import"), "错误: 缺少参数 'file'。"),
    (("findings", "dismiss", "abcdef"), "错误: 缺少选项 '--reason'。"),
    (("report", "--run", "x"), "错误: '--run' 的值无效：应为整数，无法将输入解析为整数"),
    (("probe", "--concurrency", "0"), "错误: '--concurrency' 的值无效：应大于或等于1"),
    (("report", "--run"), "错误: 选项 '--run' 需要一个值。"),
    (("report", "--compare", "1"), "错误: 选项 '--compare' 需要2个值。"),
    (("report", "extra"), "错误: 多余的参数（extra）"),
    (("reprot",), "错误: 没有此命令：'reprot'。是否应为 'report'？"),
])
def test_typers_usage_errors_are_chinese(args: tuple[str, ...], chinese: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == chinese
    assert not any(word in result.stderr for word in ("Usage", "Error", "Missing", "Invalid",
                                                      "Try ", "No such", "Input should"))


def test_the_parsers_catalogue_says_every_message_with_its_placeholders() -> None:
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "click.po").open("rb") as handle:
        po = read_po(handle)
    ids = [m.id for m in po if m.id]
    assert len(ids) >= 25
    zh = catalogue("zh", "click")
    for msgid in ids:
        assert zh.get(msgid), msgid
        assert placeholders(zh[msgid]) == placeholders(msgid), msgid
    assert len(shapes("zh", domain="click")) == len(ids)
    # An unknown message is shown as typer wrote it, never lost.
    assert say_parser("Something new in typer 1.0.", "zh") == "Something new in typer 1.0."


# ------------------------------------------------------------- config errors
def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value


def test_a_typo_in_the_config_is_a_chinese_error_naming_the_nearest_key(tmp_path: Path) -> None:
    path = write(tmp_path, "crawl:\n  max_pagess_per_site: 5\n")
    error = config_error(path)
    assert str(error) == (f"{path}: crawl.max_pagess_per_site: unknown key (did you mean "
                          "max_pages_per_site?)")
    assert say(error.args[0], "zh") == (f"{path}：crawl.max_pagess_per_site：未知配置项（是否应为"
                                        "max_pages_per_site？）")
    result = cli("--config", str(path), "sites", "list", db=tmp_path / "x.db")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("错误: " + say(error.args[0], "zh"))


@pytest.mark.parametrize(("text", "chinese"), [
    ("crawl:\n  max_pages_per_site: many\n",
     "crawl.max_pages_per_site：应为整数，无法将字符串解析为整数（收到的是'many'）"),
    ("crawl:\n  max_pages_per_site: 0\n", "crawl.max_pages_per_site：应大于或等于1（收到的是0）"),
    ("render:\n  policy: sometimes\n",
     "render.policy：应为'never', 'auto' or 'always'（收到的是'sometimes'）"),
    ("crawl:\n  analysis_workers: 99\n", "crawl.analysis_workers：应为auto或0到64之间的分析进程数"),
    ("checks:\n  nosuch-check: {}\n", "checks.nosuch-check：未知检查项"),
    ("checks:\n  broken-link:\n    enabeld: true\n", "checks.broken-link.enabeld：未知配置项（是否应为enabled？）"),
    ("crawl: [1\n", "：第2行：YAML错误："),
])
def test_config_errors_are_chinese(tmp_path: Path, text: str, chinese: str) -> None:
    path = write(tmp_path, text)
    result = cli("--config", str(path), "checks", "list", db=tmp_path / "x.db")
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith(f"错误: {path}：") and chinese in line, line
    assert "\n" not in line


def test_the_catalogued_pydantic_words_are_pydantics_own() -> None:
    """An upgrade of pydantic that rewords a message is noticed here (the English
    falls back to pydantic's text, untranslated, until the catalogue follows)."""
    for kind, said in PYDANTIC_WORDS.items():
        context = {name: "x" if name in ("class_name", "expected") else 1
                   for name in placeholders(said.msgid)} or None
        template = PydanticKnownError(kind, context).message_template  # type: ignore[arg-type]
        assert said.msgid == template[:1].lower() + template[1:], kind


# ------------------------------------------------------------- registry files
def test_registry_and_accounts_row_errors_are_chinese(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("网站名称,网站地址,网站标识码\n,ftp://x.gov.cn/,12ab\n"
                     "青山县,http://www.qingshan.gov.cn/,\n青山县,http://www.qingshan.gov.cn/,\n",
                     encoding="utf-8")
    result = cli("sites", "import", str(sites), db=tmp_path / "x.db")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{sites}：第2行：缺少名称", f"{sites}：第2行：网址'ftp://x.gov.cn/'不是http(s)地址",
        f"{sites}：第2行：网站标识码'12ab'格式不正确（应为10位数字，或bm加8位数字）",
        f"{sites}：第4行：网址http://www.qingshan.gov.cn/重复（首次出现在第3行）",
        "错误: 2行有误，未导入任何网站（请修正，或使用--skip-invalid只导入正确的行）"]
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("账号名称,平台,账号\n青山发布,快手,qs\n", encoding="utf-8")
    result = cli("accounts", "import", str(accounts), db=tmp_path / "x.db")
    assert result.stderr.splitlines()[0] == (f"{accounts}：第2行：未知平台'快手'（应为wechat, weibo, "
                                             "toutiao, douyin, other之一）")
    missing = tmp_path / "columns.csv"
    missing.write_text("名称\n青山县\n", encoding="utf-8")
    result = cli("sites", "import", str(missing), db=tmp_path / "x.db")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误: {missing}：缺少必需的列：")


# ------------------------------------------------------------- the listing tables
ENGLISH_HEADINGS = ("site code", "organizer", "registered", "started (UTC)", "sites done",
                    "fingerprint", "severity", "indicator", "enabled", "account id", "run(s)",
                    "problem(s)", "Checks", "yes", " no ")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lang.db"
    crawl_like_run(path, facts=channel_facts())
    return path


@pytest.mark.parametrize(("args", "chinese"), [
    (("sites", "list"), ("已登记网站1个", "名称", "网址", "网站标识码", "主办单位", "门户网站")),
    (("runs", "list"), ("共1次检查", "检查批次", "命令", "监测时间点", "开始时间（UTC）", "状态",
                        "已完成网站", "已完成")),
    (("checks", "list"), ("检查项", "编号", "对象", "严重程度", "启用", "指标", "单项否决",
                          "政务新媒体", "站点无法访问")),
    (("findings", "list"), ("个问题", "问题指纹", "网站", "检查项", "严重程度", "状态", "未整改")),
    (("accounts", "list"), ("已登记政务新媒体账号0个", "账号", "订阅地址")),
])
def test_listing_tables_are_chinese(db: Path, args: tuple[str, ...],
                                    chinese: tuple[str, ...]) -> None:
    result = cli(*args, db=db)
    assert result.exit_code == 0, result.stderr
    for word in chinese:
        assert word in result.stdout, (word, result.stdout)
    heading = "\n".join(result.stdout.splitlines()[:4])  # the title and the headings
    assert not [w for w in ENGLISH_HEADINGS if w in heading], heading


def test_probe_says_its_table_and_a_refused_connection_in_chinese(tmp_path: Path) -> None:
    registry = tmp_path / "sites.csv"
    registry.write_text("name,url\n关闭的网站,http://127.0.0.1:9/\n", encoding="utf-8")
    db = tmp_path / "probe.db"
    assert cli("sites", "import", str(registry), db=db).exit_code == 0
    result = cli("probe", db=db)
    assert result.exit_code == 0, result.stderr
    assert "访问首页1个，1个未能打开" in result.stdout
    assert "是否打开" in result.stdout and "否" in result.stdout
    assert "连接被拒绝（[Errno 111] Connection refused）" in result.stdout
    assert "ConnectionRefusedError" not in result.stdout


# ------------------------------------------------------------- reasons in evidence
def test_reasons_the_crawl_stores_are_shown_in_the_reports_language() -> None:
    evidence = {"reason": "not rendered: the browser failed: no browser found",
                "error": "timeout after 20 s", "kind": "excluded"}
    assert evidence_text(evidence, "zh") == ("原因：未渲染：浏览器出错：未找到浏览器；"
                                             "错误：20秒后超时；类型：不计入")
    assert evidence_text(evidence, "en") == ("Reason: not rendered: the browser failed: no "
                                             "browser found; Error: timeout after 20 s; "
                                             "Kind: excluded")
    assert reason_text("DNS lookup failed: no such host", "zh") == "域名解析失败：no such host"
    assert reason_text("blocked by bot protection (waf); not rendered", "zh") == \
        "被反爬虫防护拦截（waf）；未渲染"
    assert reason_text("something the crawl never said", "zh") == "something the crawl never said"
    # Every shape is catalogued, so none falls back to English unnoticed.
    zh = catalogue("zh")
    assert [m.msgid for m in REASONS if m.msgid not in zh] == []


def test_a_findings_reason_parameter_is_said_by_its_shape(db: Path) -> None:
    text = said_message("The home page could not be judged: {reason}.",
                        {"reason": "timeout after 15 s"}, "…", "zh")
    assert "15秒后超时" in text and "timeout" not in text
    # A broken link's error, inside a nested message (checks/broken_link.py).
    from govsite.i18n import msg

    nested = msg("Suspected broken link ({what}), linked from {where}: not judged broken.",
                 what=msg("{what}, {detail}", what="CannotResolveHostError: DNS lookup failed: "
                          "no results for hostname lookup: a.gov.cn.", detail="x"),
                 where=msg("the home page"))
    assert said_message(nested.msgid, nested.stored(), str(nested), "zh") == \
        "疑似不可用链接（域名解析失败：找不到主机a.gov.cn，x），出现在首页：未判定为不可用。"
    # JSON keeps the stored evidence as it is (data), and says the message in zh.
    data = json.loads(cli("report", "--format", "json", db=db).stdout)
    (veto,) = [f for f in data["sites"][0]["findings"] if f["severity"] == "veto"]
    assert veto["evidence"]["candidates"][0]["kind"] == "excluded"


# ------------------------------------------------------------- new-media accounts
def test_account_findings_are_reported_in_chinese_with_their_english_and_id(
        tmp_path: Path) -> None:
    db = tmp_path / "accounts.db"
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("账号名称,平台,账号\n云南国资,微信公众号,yngz-wx\n", encoding="utf-8")
    assert cli("accounts", "import", str(accounts), db=db).exit_code == 0
    records = tmp_path / "records.csv"
    records.write_text("account,as_of,check,result\nyngz-wx,2022-09-05,account-not-updated,"
                       "fail\n", encoding="utf-8")
    recorded = cli("accounts", "record", str(records), db=db)
    assert recorded.exit_code == 0, recorded.stderr
    assert recorded.stderr.startswith("已记录1条结果")
    zh = json.loads(cli("report", "--format", "json", db=db).stdout)
    (finding,) = zh["accounts"][0]["findings"]
    assert finding["message"] == "检查人员记录为不合格（2022-09-05人工检查记录）"
    assert finding["message_en"] == "recorded as failed by the auditor (recorded 2022-09-05)"
    assert finding["message_id"] == "{note} (recorded {as_of})"
    en = json.loads(cli("report", "--format", "json", "--lang", "en", db=db).stdout)
    assert en["accounts"][0]["findings"][0]["message"] == finding["message_en"]


def test_account_not_updated_messages_are_catalogued() -> None:
    from datetime import date

    from govsite.checks.account_base import AccountEvidence, AccountInfo, enabled_account_checks

    (check,) = [c for c in enabled_account_checks(load_config()) if c.id == "account-not-updated"]
    account = AccountInfo(1, "青山发布", "weibo", "qs", "https://x.example/feed")
    (finding,) = check.evaluate(AccountEvidence(account, date(2022, 9, 5), []))
    assert finding.message == "Not judged: no feed was read and no result was recorded."
    assert said_message(finding.message_id, finding.params, finding.message, "zh") == \
        "无法判定：未读取订阅源，也没有记录检查结果。"


# ------------------------------------------------------------- plug-in checks
def test_a_plug_in_ships_its_own_catalogue_and_a_broken_one_is_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "govsite_extra"
    (package / "locale" / "zh" / "LC_MESSAGES").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "locale" / "zh" / "LC_MESSAGES" / "govsite.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, python-brace-format\nmsgid "Extra problem on {page}."\n'
        'msgstr "附加检查发现问题：{page}。"\n', encoding="utf-8")
    dist = tmp_path / "govsite_extra-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: govsite-extra\n"
                                   "Version: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[govsite.locales]\nextra = govsite_extra\nbroken = govsite_missing_module\n",
        encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    plugin_catalogue.cache_clear()
    try:
        assert gettext("Extra problem on {page}.", "zh") == "附加检查发现问题：{page}。"
        assert said_message("Extra problem on {page}.", {"page": "/a"}, "Extra problem on /a.",
                            "zh") == "附加检查发现问题：/a。"
        # A plug-in's plain text (no id) is shown as it was written.
        assert said_message(None, None, "Plain words.", "zh") == "Plain words."
    finally:
        plugin_catalogue.cache_clear()


# ------------------------------------------------------------- the locale
@pytest.mark.parametrize(("env", "expected"), [
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "fr_FR.UTF-8"}, "zh"),
    ({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({}, "zh"),
])
def test_the_locale_picks_the_language(monkeypatch: pytest.MonkeyPatch,
                                       env: dict[str, str], expected: str) -> None:
    for name in CLEAN_LOCALE:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert locale_lang() == expected


def test_without_lang_or_govsite_lang_the_cli_follows_the_locale(db: Path) -> None:
    english = {**CLEAN_LOCALE, "LANG": "en_US.UTF-8"}
    missing = cli("report", "--run", "999", lang=None, db=db, env=english)
    assert missing.stderr.strip() == "error: run 999 not found"
    data = json.loads(cli("report", "--format", "json", lang=None, db=db, env=english).stdout)
    assert data["sites"][0]["findings"][0]["message"] == data["sites"][0]["findings"][0][
        "message_en"]
    chinese = {**CLEAN_LOCALE, "LANG": "zh_CN.UTF-8"}
    assert cli("report", "--run", "999", lang=None, db=db, env=chinese).stderr.strip() == \
        "错误: 未找到检查批次999"
    data = json.loads(cli("report", "--format", "json", lang=None, db=db, env=chinese).stdout)
    assert data["sites"][0]["findings"][0]["message"] != data["sites"][0]["findings"][0][
        "message_en"]
    # --lang and $GOVSITE_LANG win over the locale.
    forced = json.loads(cli("report", "--format", "json", "--lang", "zh", lang="en", db=db,
                            env=english).stdout)
    assert forced["sites"][0]["findings"][0]["message"] != forced["sites"][0]["findings"][0][
        "message_en"]
    assert cli("report", "--run", "999", lang="zh", db=db, env=english).stderr.strip() == \
        "错误: 未找到检查批次999"


# ------------------------------------------------------------- errors and stored words
def test_a_held_run_lock_and_its_wait_are_said_in_chinese(db: Path) -> None:
    from govsite.storage.db import open_store
    from govsite.storage.lock import try_acquire

    handle = try_acquire(open_store(f"sqlite:///{db}"), "crawl")  # this live process holds it
    try:
        result = cli("rescore", "--run", "1", db=db)
        english = cli("rescore", "--run", "1", db=db, lang="en")
    finally:
        handle.release()
    assert result.exit_code == 2
    assert result.stderr.startswith("错误: 本数据库上正在进行一次全面检查：主机")
    assert result.stderr.rstrip().endswith("；请等待其结束，或加 --wait")
    assert english.stderr.startswith("error: a crawl is running on this database: pid ")


def test_runs_list_and_a_problems_history_say_the_stored_words_in_chinese(db: Path) -> None:
    data = json.loads(cli("report", "--format", "json", db=db).stdout)
    (veto,) = [f for f in data["sites"][0]["findings"] if f["severity"] == "veto"]
    dismissed = cli("findings", "dismiss", veto["fingerprint"], "--reason", "渠道在另一域名",
                    "--by", "张三", "--kind", "false-positive", db=db)
    assert dismissed.exit_code == 0, dismissed.stderr
    history = cli("findings", "history", veto["fingerprint"], db=db)
    assert "已撤销" in history.stdout and "误报" in history.stdout
    assert "dismiss" not in history.stdout and "false-positive" not in history.stdout
    runs = cli("runs", "list", db=db)
    assert "全面检查" in runs.stdout and "crawl" not in runs.stdout
    # JSON and the database keep the English words.
    assert json.loads(cli("findings", "list", "--format", "json", db=db).stdout)


@pytest.mark.parametrize(("args", "chinese"), [
    (("report", "--format", "notice", "--period", "2022Q9", "--output", "n"),
     "错误: --period：应为季度（如2022Q3），收到的是'2022Q9'"),
    (("report", "--baseline", "no-such-baseline.json"),
     "错误: --baseline：no-such-baseline.json：文件不存在"),
    (("rescore", "--run", "99"), "错误: 未找到检查批次99"),
    (("report", "--format", "notice", "--period", "2001Q1", "--output", "n"),
     "错误: 没有监测时间点在2001Q1（2001-01-01至2001-03-31）内的已完成检查批次"),
])
def test_command_errors_are_chinese(db: Path, args: tuple[str, ...], chinese: str) -> None:
    result = cli(*args, db=db)
    assert result.exit_code == 2
    assert result.stderr.startswith(chinese), result.stderr


def test_an_unwritable_log_file_and_a_bad_database_url_are_chinese(tmp_path: Path) -> None:
    log = cli("--log-file", str(tmp_path / "missing" / "x.log"), "runs", "list")
    assert log.exit_code == 2 and log.stderr.startswith(f"错误: --log-file：无法写入{tmp_path}")
    url = cli("--db", "not a url", "runs", "list")
    assert url.exit_code == 2 and url.stderr.startswith("错误: 无法识别的数据库URL：'not a url'")


def test_an_internal_error_is_one_chinese_line_after_its_traceback(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import govsite.storage.runs

    def broken(*_: object) -> None:  # a bug nothing real can be relied on to have
        raise RuntimeError("boom")

    monkeypatch.setattr(govsite.storage.runs, "run_summaries", broken)
    result = cli("runs", "list", db=db)
    assert result.exit_code == 2
    assert result.stderr.rstrip().splitlines()[-1] == "错误: 内部错误：RuntimeError：boom"


# ------------------------------------------------------------- guards over the code
PACKAGE = Path(__file__).resolve().parents[1]
NOT_SHIPPED = {"tests", "benchmarks", "estate", ".venv", "deploy", "docs"}
BUILTIN_ERRORS = {name for name in dir(__builtins__ if isinstance(__builtins__, dict) else
                                        vars(__builtins__))} | set(dir(__import__("builtins")))


def shipped_modules() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py"))
            if not NOT_SHIPPED & set(path.relative_to(PACKAGE).parts)]


def is_literal_text(node: ast.AST) -> bool:
    """English written into the code as it is: a string or an f-string (sliced or
    joined), not a catalogued msg(...)."""
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant)
                                           and isinstance(node.value, str)):
        return True
    if isinstance(node, ast.Subscript):  # f"…"[:300]
        return is_literal_text(node.value)
    if isinstance(node, ast.BinOp):  # "…" + x
        return is_literal_text(node.left) or is_literal_text(node.right)
    return False


def test_every_error_a_command_shows_is_a_catalogued_message() -> None:
    """govsite's own errors reach the user as the one `错误:` line (cli.guarded):
    raising one with English written in place would show English in a zh run."""
    leaks = []
    for path in shipped_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and node.exc.args):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in BUILTIN_ERRORS or not (name == "fail" or name.endswith(
                    ("Error", "Held", "Failure"))):
                continue
            if is_literal_text(node.exc.args[0]):
                leaks.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert leaks == []


REASON_NAMES = {"reason", "error", "detail", "why", "render_error", "cannot_render", "failure",
                "problem"}
CRAWL_PARTS = ("crawler", "web", "extract", "checks")


def reason_values(tree: ast.AST) -> list[tuple[int, ast.AST]]:
    """Values given to a name, attribute, keyword or dict key that holds a stored reason."""
    found = []
    for node in ast.walk(tree):
        pairs: list[tuple[Any, ast.AST]] = []
        if isinstance(node, ast.Assign):
            pairs = [(getattr(t, "id", None) or getattr(t, "attr", None), node.value)
                     for t in node.targets]
        elif isinstance(node, ast.keyword):
            pairs = [(node.arg, node.value)]
        elif isinstance(node, ast.Dict):
            pairs = [(getattr(k, "value", None), v) for k, v in zip(node.keys, node.values,
                                                                     strict=True)]
        for name, value in pairs:
            if name in REASON_NAMES:
                found += [(getattr(node, "lineno", 0), part) for part in (
                    [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value])]
    return found


def exception_text(node: ast.AST) -> bool:
    """f"{type(exc).__name__}: {exc}": an exception's own words, said by their shape
    when catalogued (reports/reasons.py), as they are otherwise."""
    node = node.value if isinstance(node, ast.Subscript) else node
    return isinstance(node, ast.JoinedStr) and "__name__" in ast.unparse(node.values[0])


def test_every_reason_the_crawl_stores_has_a_catalogued_shape() -> None:
    """A reason stored in evidence is said in the report's language by its shape
    (reports/reasons.py): one written as English text in place, or a message whose
    shape REASONS does not list, would stay English in a Chinese report."""
    shapes_listed = {m.msgid for m in REASONS}
    unlisted = []
    for path in shipped_modules():
        if path.relative_to(PACKAGE).parts[0] not in CRAWL_PARTS:
            continue
        for line, value in reason_values(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(PACKAGE)}:{line}"
            if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "msg":
                msgid = ast.literal_eval(value.args[0])
                if msgid not in shapes_listed and msgid not in catalogue("zh"):
                    unlisted.append(f"{where}: {msgid}")
            elif isinstance(value, ast.Constant) and isinstance(value.value, str):
                if value.value not in shapes_listed and value.value not in catalogue("zh"):
                    unlisted.append(f"{where}: {value.value!r}")
            elif is_literal_text(value) and not exception_text(value):
                unlisted.append(f"{where}: {ast.unparse(value)[:80]}")
    assert unlisted == []


def test_every_built_in_check_says_its_findings_with_a_catalogued_message() -> None:
    """A finding's message is shown in the report's language from its catalogue id
    (Finding.message_id): a built-in check that gives English text in place would
    be English in every Chinese report (plug-ins may; theirs is shown as written)."""
    plain = []
    for path in shipped_modules():
        if path.relative_to(PACKAGE).parts[0] not in ("checks", "scoring"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            if name == "Finding" and len(node.args) < 6 and not any(
                    k.arg == "message_id" for k in node.keywords):
                if not (path.name == "base.py" and "message_id" not in ast.unparse(node)
                        and ast.unparse(node.args[3]) == "message"):  # Check.finding's plug-in path
                    plain.append(where)
            elif name in ("finding", "_say", "_unjudged") and len(node.args) >= 2 \
                    and is_literal_text(node.args[1]):
                plain.append(where)
    assert plain == []


def test_the_bundled_wording_entries_reasons_are_said_in_chinese() -> None:
    from govsite.checks.wording_errors import BUNDLED_REASONS

    entries = load_config(None).checks["wording-errors"]["entries"]
    reasons = {entry["reason"] for entry in entries}
    assert reasons <= {m.msgid for m in BUNDLED_REASONS}
    for reason in reasons:
        assert reason_text(reason, "zh") != reason and "misspelt" not in reason_text(reason, "zh")
