"""Text that was stored or printed in English, said in another language by its
shape: a catalogued id with `{placeholders}` is a pattern, and a text matching
it is said with the id's translation.

For words written before they could be catalogued, or by code that is not
ours: a network or render error kept in a finding's evidence ("timeout after
20 s", reports/reasons.py) and typer's own usage errors (i18n/usage.py). The
stored text never changes; only its display does. Values named in `recurse`
are themselves said again by shape (a reason inside a reason).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from string import Formatter

from govsite.i18n import DOMAIN, catalogue

Shape = tuple[re.Pattern[str], str]  # (the id as a regex, its translation)


@cache
def shapes(lang: str, ids: tuple[str, ...] | None = None, domain: str = DOMAIN
           ) -> tuple[Shape, ...]:
    """The catalogued ids (all of the domain's, or those given) as patterns with
    their translations, the most specific (longest literal text) first; ids
    without a translation are left out."""
    found = []
    texts = catalogue(lang, domain)
    for msgid in (ids if ids is not None else tuple(texts)):
        if msgid not in texts:
            continue
        regex, literal = "", 0
        for before, name, _, _ in Formatter().parse(msgid):
            regex += re.escape(before)
            literal += len(before)
            if name:
                regex += f"(?P<{name}>.+?)"
        found.append((literal, re.compile(regex, re.S), texts[msgid]))
    found.sort(key=lambda item: -item[0])
    return tuple((regex, text) for _, regex, text in found)


def said_by_shape(text: str, known: Iterable[Shape], recurse: frozenset[str]) -> str:
    """`text` said with the translation of the first shape it fits; as it is when
    none fits."""
    known = tuple(known)
    for regex, translation in known:
        match = regex.fullmatch(text)
        if match is None:
            continue
        values = {name: (said_by_shape(value, known, recurse) if name in recurse else value)
                  for name, value in match.groupdict().items()}
        return translation.format(**values)
    return text
