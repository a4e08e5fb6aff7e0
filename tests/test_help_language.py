"""`--help` in the interface's language (issue 16): every help text of the command
tree has a Chinese translation in the `help` domain, every help page of a Chinese
interface is Chinese (typer's own words included), and an English interface gets
typer's English back, in the same process too (typer's words are process-global,
i18n/help.py). The CLI runs for real, in this process or as the installed command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main
from babel.messages.pofile import read_po
from typer._click import Command
from typer.testing import CliRunner

from govsite.cli import app
from govsite.i18n import LOCALE_DIR, catalogue, placeholders
from govsite.i18n.help import RICH_WORDS, english_words
from govsite.i18n.usage import TranslatedGroup

LONG_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
CJK = re.compile(r"[\u4e00-\u9fff]")
# What a Chinese help page may keep in ASCII: option names, typer's type column
# (<str>, <int range>), the usage line's metavars and argument ({fingerprint}),
# upper-case placeholders (RUN_A, YYYY-MM-DD, redis://HOST:PORT/N), a number range.
ALLOWED = re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*|<[^>\n]*>|\{[a-z_]+\}|\b[A-Z][A-Z_]+\b"
                     r"|\[(?:OPTIONS|ARGS)\](?:\.\.\.)?|\[[0-9x<=>]+\]")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]+(?:[ \t]+[A-Za-z]+){2,}\b")  # three words or more
TYPER_ENGLISH = ("Usage", "Options", "Arguments", "Commands", "default:", "required",
                 "Show this message")


def cli(*args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    env = {"GOVSITE_DB": None, "NO_COLOR": "1", "COLUMNS": "200", "GOVSITE_LANG": lang}
    return CliRunner(env=env).invoke(app, list(args), prog_name="govsite")


def help_texts() -> dict[str, list[str]]:
    """Every help text of the command tree (command help and short help, option and
    argument help), with where it is used."""
    found: dict[str, list[str]] = {}

    def walk(command: Command, path: str) -> None:
        for attr in ("help", "short_help"):
            if text := getattr(command, attr, None):
                found.setdefault(text, []).append(path)
        for param in command.params:
            if text := getattr(param, "help", None):
                found.setdefault(text, []).append(f"{path} {param.name}")
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "govsite")
    return found


def command_paths() -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []

    def walk(command: Command, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


def english_left(page: str, command: tuple[str, ...]) -> list[str]:
    """The runs of three English words or more in a help page, once the command's
    path and the allowed tokens are taken out."""
    text = page.replace(" ".join(("govsite", *command)), " ")
    return ENGLISH_RUN.findall(ALLOWED.sub(" ", text))


# ------------------------------------------------------------- the catalogue
def test_every_help_text_has_a_chinese_translation_with_the_same_options() -> None:
    """Fails when a help text is added or changed in cli.py without its translation
    in i18n/locale/zh/LC_MESSAGES/help.po."""
    texts = help_texts()
    assert len(texts) >= 70
    zh = catalogue("zh", "help")
    missing = {text: where for text, where in texts.items() if text not in zh}
    assert not missing, f"help texts without a translation in help.po: {missing}"
    for text in texts:
        said = zh[text]
        assert CJK.search(said), (text, said)
        assert set(LONG_OPTION.findall(said)) == set(LONG_OPTION.findall(text)), (text, said)
        assert placeholders(said) == placeholders(text), (text, said)
        assert "[" not in said, said  # rich markup in a help text


def test_the_help_catalogue_holds_no_stale_text() -> None:
    """A help text changed in cli.py leaves no translation of its old words."""
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "help.po").open("rb") as handle:
        ids = {m.id for m in read_po(handle) if m.id}
    assert ids == set(help_texts())


def test_typers_help_words_are_catalogued_as_typer_writes_them() -> None:
    """An upgrade of typer that rewords its help words is noticed here."""
    words = catalogue("zh", "click")
    english = english_words()
    for name in RICH_WORDS:
        assert CJK.search(words.get(english[name], "")), (name, english[name])
    for text in ("Show this message and exit.", "Usage:"):
        assert CJK.search(words[text]), text


# ------------------------------------------------------------- the help pages
@pytest.mark.parametrize("command", command_paths(), ids=lambda path: " ".join(path) or "govsite")
def test_every_help_page_is_chinese(command: tuple[str, ...]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.lstrip().startswith("用法: govsite"), page
    assert "选项" in page and "显示此帮助信息并退出。" in page, page
    assert not [word for word in TYPER_ENGLISH if word in page], page
    assert not english_left(page, command), (english_left(page, command), page)


@pytest.mark.parametrize(("args", "chinese"), [
    ((), ("命令", "按照国家政府网站指标对政府网站开展检查。", "配置文件（默认：随附的 config.yaml）。",
          "待检查网站的名录。")),
    (("crawl",), ("抓取并检查网站名录中的全部网站", "监测时间点，格式为 YYYY-MM-DD（默认：今天）。",
                  "[默认：table]", "报告格式：table | json | csv")),
    (("findings", "dismiss"), ("参数", "撤销一个问题", "问题指纹（或其唯一的前缀）。", "[必填]",
                               "该问题有误或可予认可的理由。", "[默认：false-positive]")),
    (("accounts", "record"), ("参数", "录入检查人员对政务新媒体账号的检查结果",
                              "列：account、as_of、check、result、note、evidence。")),
    (("rescore",), ("按（修改后的）规则对已保存的检查批次重新评分", "要重新评分的已保存检查批次。")),
])
def test_help_pages_say_their_texts_in_chinese(args: tuple[str, ...],
                                               chinese: tuple[str, ...]) -> None:
    page = cli(*args, "--help").stdout
    for text in chinese:
        assert text in page, (text, page)


def test_a_group_without_a_command_shows_its_chinese_help() -> None:
    result = cli("findings")
    assert "用法: govsite findings" in result.stdout
    assert "各检查批次的问题" in result.stdout and "撤销一个问题" in result.stdout
    assert not english_left(result.stdout, ("findings",)), result.stdout


def test_english_help_is_typers_own_before_and_after_a_chinese_one() -> None:
    """typer's words are process-global: each page sets them for its language."""
    pages = [cli("findings", "dismiss", "--help", lang=lang).stdout
             for lang in ("en", "zh", "en", "zh")]
    assert pages[0] == pages[2] and pages[1] == pages[3]
    english, chinese = pages[0], pages[1]
    assert not CJK.search(english), english
    for text in ("Usage: govsite findings dismiss", "Arguments", "Options", "[required]",
                 "[default: false-positive]", "Show this message and exit.",
                 "Why the finding is wrong or accepted.", "Dismiss a finding: it no longer"):
        assert text in english, (text, english)
    assert "参数" in chinese and "撤销一个问题" in chinese
    # And the top-level page, with its commands, the same way.
    assert "Inspect government websites" in cli("--help", lang="en").stdout
    assert "Show the registered sites." in cli("sites", lang="en").stdout
    assert not CJK.search(cli("crawl", "--help", lang="en").stdout)


def test_a_help_text_without_a_translation_stays_english() -> None:
    extra = typer.Typer(cls=TranslatedGroup, add_completion=False)

    @extra.command()
    def hello(name: str = typer.Option("x", help="A text nobody translated yet.")) -> None:
        """Say hello (not in the catalogue)."""

    @extra.command()
    def bye() -> None:
        """Leave."""

    env = {"NO_COLOR": "1", "COLUMNS": "200", "GOVSITE_LANG": "zh"}
    page = CliRunner(env=env).invoke(extra, ["hello", "--help"], prog_name="x").stdout
    assert "Say hello (not in the catalogue)." in page and "A text nobody translated yet." in page
    assert "用法: x hello" in page and "选项" in page


def test_the_installed_command_says_its_help_in_the_locales_language(tmp_path: Path) -> None:
    """The real `govsite` program: no $GOVSITE_LANG, the locale decides (C: Chinese)."""
    program = Path(sys.executable).parent / "govsite"
    env = {key: value for key, value in os.environ.items()
           if key not in ("GOVSITE_LANG", "LC_MESSAGES", "LANG")}
    env.update({"LC_ALL": "C.UTF-8", "COLUMNS": "100", "NO_COLOR": "1"})
    done = subprocess.run([str(program), "crawl", "--help"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.lstrip().startswith("用法: govsite crawl") and "选项" in done.stdout
    env["LC_ALL"] = "en_GB.UTF-8"
    done = subprocess.run([str(program), "crawl", "--help"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)
    assert "Usage: govsite crawl" in done.stdout and not CJK.search(done.stdout)
