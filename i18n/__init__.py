"""Messages in Chinese and English: a gettext catalogue read with Babel.

A message is written in English in the code, with named `{placeholders}`,
through `msg(...)`: the English text is its id (gettext's convention), and
`locale/zh/LC_MESSAGES/govsite.po` says it in Chinese. `msg` returns a
`Message`: the English text itself (a str, so every caller that stored or
printed the text goes on working) that also remembers its id and parameters,
so a finding can be stored once and shown later in either language
(`render_message`). A parameter may itself be a Message (a reason inside a
sentence); it is stored and translated the same way.

The catalogue is read with `babel.messages.pofile.read_po` on first use (no
compile step at install); `pybabel extract -k msg` finds every id in the code
(see README, "Messages and languages").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "govsite"
_NESTED = "__msg__"  # how a Message inside a finding's parameters is stored


class Message(str):
    """English text that remembers its catalogue id and parameters."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any]) -> Message:
        self = super().__new__(cls, msgid.format(**params) if params else msgid)
        self.msgid = msgid
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # findings cross process boundaries
        return (Message, (self.msgid, self.params))

    def stored(self) -> dict[str, Any]:
        """Parameters as JSON, nested messages kept translatable."""
        return stored_params(self.params)


def msg(msgid: str, /, **params: Any) -> Message:
    """A catalogued message: `msg("Empty column 「{column}」 ({reason}).", ...)`."""
    return Message(msgid, params)


JOINTS = (msg("{first}, {rest}"), msg("{first}; {rest}"))  # listed()'s, in the catalogue


def listed(items: list[str], joint: str = "{first}, {rest}") -> str:
    """Items (messages among them) joined into one message that stays translatable:
    `{first}, {rest}` nested, said with the language's own separator (、 in Chinese)."""
    if not items:
        return ""
    said: str = items[-1]
    for item in reversed(items[:-1]):
        said = msg(joint, first=item, rest=said)
    return said


def stored_params(params: dict[str, Any]) -> dict[str, Any]:
    return {key: ({_NESTED: value.msgid, "params": stored_params(value.params)}
                  if isinstance(value, Message) else value)
            for key, value in params.items()}


@cache
def catalogue(lang: str, domain: str = DOMAIN, locale_dir: Path = LOCALE_DIR) -> dict[str, str]:
    """The translations of `lang` in a domain's catalogue (English: none, the ids are
    English; a catalogue that is not there: none). The domains: `govsite` (the
    product's messages), `click` (the command line parser's own, see i18n/usage.py),
    `help` (the command line's help texts, see i18n/help.py);
    a plug-in check may ship its own `locale_dir` (checks/base.py, `Check.locale_dir`)."""
    if lang == "en":
        return {}
    from babel.messages.pofile import read_po

    path = locale_dir / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang, domain=domain)
    return {m.id: m.string for m in po if m.id and isinstance(m.id, str) and m.string
            and not m.fuzzy}


def gettext(msgid: str, lang: str) -> str:
    """The text of `msgid` in `lang`: govsite's catalogue, then the plug-ins'
    (`plugin_catalogue`); the English id when none has it."""
    if lang not in LANGS:
        return msgid
    return catalogue(lang).get(msgid) or plugin_catalogue(lang).get(msgid, msgid)


PLUGIN_GROUP = "govsite.locales"


@cache
def plugin_catalogue(lang: str) -> dict[str, str]:
    """The translations third-party checks ship: each entry point of the
    `govsite.locales` group names a package (its `locale/` folder) or a locale
    folder (a Path), holding `<lang>/LC_MESSAGES/govsite.po` like ours. A plug-in
    that fails to load is left out (its messages stay English), never fatal."""
    from importlib import import_module
    from importlib.metadata import entry_points
    from types import ModuleType

    merged: dict[str, str] = {}
    for entry in entry_points(group=PLUGIN_GROUP):
        try:
            target = entry.load() if ":" in entry.value else import_module(entry.value)
            folder = (Path(target.__file__).parent / "locale" if isinstance(target, ModuleType)
                      and target.__file__ else Path(target))
            merged.update({k: v for k, v in catalogue(lang, DOMAIN, folder).items()
                           if k not in merged})
        except Exception:  # a broken plug-in must not break a report
            continue
    return merged


def placeholders(text: str) -> set[str]:
    """The `{names}` a message's text uses."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in Formatter().parse(text)
            if name}


def render_message(msgid: str, params: dict[str, Any] | None, lang: str) -> str:
    """The stored message said in `lang`; English when a translation does not fit."""
    values = {key: (render_message(value[_NESTED], value.get("params"), lang)
                    if isinstance(value, dict) and _NESTED in value else value)
              for key, value in (params or {}).items()}
    for text in (gettext(msgid, lang), msgid):
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            continue
    return msgid


def locale_lang() -> str:
    """The language the user's locale asks for, as gettext reads it (the first of
    LC_ALL, LC_MESSAGES, LANG that is set): zh or en; anything else (C, POSIX,
    another language) Chinese, the product's first language."""
    import os

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip().lower()
        if value:
            return value[:2] if value[:2] in LANGS else DEFAULT_LANG
    return DEFAULT_LANG


def interface_lang() -> str:
    """The language of the command line's own messages and errors: $GOVSITE_LANG
    (zh or en), else the locale's (`locale_lang`)."""
    import os

    wanted = os.environ.get("GOVSITE_LANG", "").strip().lower()[:2]
    return wanted if wanted in LANGS else locale_lang()


def say(text: str, lang: str | None = None) -> str:
    """Any text for the user: a Message said in `lang` (default: the interface's),
    plain text as it is."""
    if isinstance(text, Message):
        return render_message(text.msgid, text.stored(), lang or interface_lang())
    return str(text)


def t(lang: str, msgid: str, /, **params: Any) -> str:
    """A message of the interface (not stored) said in `lang` at once."""
    return render_message(msgid, params, lang)


__all__ = ["DEFAULT_LANG", "LANGS", "Message", "gettext", "interface_lang", "listed",
           "locale_lang", "msg", "render_message", "say", "t"]
