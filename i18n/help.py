"""`--help` pages in the interface's language.

Typer (0.29) writes a help page from the command objects' English texts (the
commands' docstrings, the `help=` of options and arguments) and its own English
words: the panel titles and notes of `typer.rich_utils` ("Options",
"[default: {}]", …; module constants, set once at import), the vendored
click's "Usage: " and the help option's "Show this message and exit.". None of
them goes through a gettext domain, so `translate_help` does it for one
invocation, before the command line is parsed:

- each command's and parameter's `help`/`short_help` is replaced by its
  translation in the `help` domain (`locale/zh/LC_MESSAGES/help.po`, the
  English text is the id, matched exactly; a text without one stays English).
  typer builds fresh command objects for every invocation
  (`typer.main.get_command`), so changing them in place reaches no other;
- each command gets a context class (`HelpContext`) of the language, which
  says the help option's text and the usage line's "Usage:" in it and, before
  it renders a help page, sets typer.rich_utils' words to the language's
  (`click` domain; English: typer's own), with a highlighter that folds a
  Chinese text too long for its column (rich wraps at spaces only and typer's
  tables would cut the rest off with '…'). Those words are process-global:
  being set for every page, English ones too, a page never keeps the words of
  an earlier invocation in another language (the tests run many in one process).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from typer import Context
from typer._click import Command, HelpFormatter

from govsite.i18n import catalogue

DOMAIN = "help"
WORDS = "click"  # typer's and click's own words (i18n/usage.py)
# The typer.rich_utils constants a help page shows (their English is the id).
RICH_WORDS = ("ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE",
              "DEFAULT_STRING", "REQUIRED_LONG_STRING", "ENVVAR_STRING", "DEPRECATED_STRING",
              "ERRORS_PANEL_TITLE", "ABORTED_TEXT", "RICH_HELP")


def translate_help(command: Command, lang: str) -> None:
    """Say the help texts of `command` and of every command under it in `lang`."""
    texts = catalogue(lang, DOMAIN)
    command.context_class = help_context(lang)
    for attr in ("help", "short_help"):
        text = getattr(command, attr, None)
        if text:
            setattr(command, attr, texts.get(text, text))
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            param.help = texts.get(text, text)  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub, lang)


@cache
def english_words() -> dict[str, Any]:
    """typer.rich_utils' words (and highlighter) as typer set them, read before any
    is changed."""
    from typer import rich_utils

    return {name: getattr(rich_utils, name) for name in (*RICH_WORDS, "highlighter")}


def set_rich_words(lang: str) -> None:
    """typer.rich_utils' words in `lang` (English: typer's own)."""
    from typer import rich_utils

    words = catalogue(lang, WORDS)
    english = english_words()
    for name in RICH_WORDS:
        setattr(rich_utils, name, words.get(english[name], english[name]))
    rich_utils.highlighter = english["highlighter"] if lang == "en" else folding_highlighter()


@cache
def folding_highlighter() -> Any:
    """typer's highlighter of help texts, whose text folds a word too long for its
    column instead of cutting it off with '…' (typer's tables' default). Rich wraps
    at spaces: a Chinese sentence is one long word."""
    from rich.text import Text
    from typer.rich_utils import OptionHighlighter

    class FoldingHighlighter(OptionHighlighter):
        def __call__(self, text: str | Text) -> Text:
            highlighted = super().__call__(text)
            highlighted.overflow = "fold"
            return highlighted

    return FoldingHighlighter()


class UsageFormatter(HelpFormatter):
    """Click's formatter whose usage line starts with `usage_prefix`."""

    usage_prefix = "Usage: "

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, self.usage_prefix if prefix is None else prefix)


class HelpContext(Context):
    """A command's context whose help page and usage line are in `lang`."""

    lang = "en"
    formatter_class = UsageFormatter

    def __init__(self, command: Command, *args: Any, **kwargs: Any) -> None:
        super().__init__(command, *args, **kwargs)
        # Click makes the help option for the first context of a command (and keeps it).
        option = command.get_help_option(self)
        if option is not None and option.help:
            option.help = catalogue(self.lang, WORDS).get(option.help, option.help)

    def make_formatter(self) -> HelpFormatter:
        formatter = super().make_formatter()
        if isinstance(formatter, UsageFormatter):
            formatter.usage_prefix = catalogue(self.lang, WORDS).get("Usage:", "Usage:") + " "
        return formatter

    def get_help(self) -> str:
        set_rich_words(self.lang)
        return super().get_help()


@cache
def help_context(lang: str) -> type[HelpContext]:
    """The context class of `lang`."""
    return type(f"HelpContext_{lang}", (HelpContext,), {"lang": lang})
