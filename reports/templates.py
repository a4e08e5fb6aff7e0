"""The jinja2 environments of the report templates (reports/templates/)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def html_env() -> Environment:
    """HTML: every value is escaped unless a template marks it safe."""
    return Environment(loader=PackageLoader("govsite.reports", "templates"),
                       autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


@cache
def text_env() -> Environment:
    """Markdown: no HTML escaping; values go through the `md` filter instead."""
    env = Environment(loader=PackageLoader("govsite.reports", "templates"),
                      autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md_escape
    return env


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~"})


def md_escape(value: object) -> str:
    """Plain text for Markdown: markup characters escaped, line breaks folded."""
    text = " ".join(str(value).split())
    return text.translate(_MD_SPECIAL).replace("&", "&amp;")
