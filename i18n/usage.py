"""The command line parser's own errors said in the interface's language.

Typer (0.29) vendors click and writes its usage errors ("No such option: …",
"Missing argument …", "Usage: …", "Try … for help.") as plain English
f-strings, not through gettext, so no gettext domain can reach them. Instead
`locale/zh/LC_MESSAGES/click.po` (the `click` domain, read with Babel like
govsite's own catalogue) holds those texts as ids with `{placeholders}`; an
error's English text is matched against them and said with the translation,
its `{reason}` translated the same way (a bad value's reason is itself one of
them). An error matching none is shown in English, as typer wrote it.

`TranslatedGroup` is the top-level command class: it runs the command line as
typer does and, on a usage error, prints the usage line, the help hint and one
`错误: …` line (`error: …` in English) instead of typer's English panel. Before
parsing, it has the `--help` pages said in the interface's language too
(i18n/help.py).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from typer import Abort
from typer._click import ClickException
from typer.core import TyperGroup

from govsite.i18n import interface_lang
from govsite.i18n.help import translate_help
from govsite.i18n.shapes import said_by_shape, shapes

DOMAIN = "click"


def say_parser(text: str, lang: str) -> str:
    """A parser message in `lang`: its catalogued translation, with a `{reason}`
    translated too; as it is when no catalogued message matches."""
    return said_by_shape(text, shapes(lang, domain=DOMAIN), frozenset({"reason"}))


def usage_error_lines(exc: ClickException, lang: str) -> list[str]:
    """The usage line, the help hint and the one error line, in `lang`."""
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage()  # its prefix is already in `lang` (i18n/help.py) or English
        for prefix in (say_parser("Usage:", lang), "Usage:"):
            usage = usage.removeprefix(prefix)
        lines.append(f"{say_parser('Usage:', lang)} {usage.strip()}")
        if ctx.command.get_help_option(ctx) is not None:
            command = f"{ctx.command_path} {ctx.help_option_names[0]}"
            lines.append(say_parser(f"Try '{command}' for help.", lang))
    head = "错误" if lang == "zh" else "error"
    lines.append(f"{head}: {say_parser(exc.format_message(), lang)}")
    return lines


class TranslatedGroup(TyperGroup):
    """Typer's group, whose usage errors are said in the interface's language."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        translate_help(self, interface_lang())
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            # Not standalone: a usage error comes back here instead of being printed;
            # a command's typer.Exit comes back as its exit code.
            result = super().main(args, prog_name, complete_var, False, **extra)
        except ClickException as exc:
            if type(exc).__name__ != "NoArgsIsHelpError":  # the help is already shown
                lang = interface_lang()
                sys.stderr.write("".join(line + "\n" for line in usage_error_lines(exc, lang)))
            sys.exit(exc.exit_code)
        except Abort:
            sys.stderr.write(say_parser("Aborted!", interface_lang()) + "\n")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)
