"""Fixed English words govsite stores (a run's command, an audit-trail action)
and shows: each a catalogued message, so a listing or an error line says it in
the interface's language while the database and `--format json` keep the
English word."""

from __future__ import annotations

from govsite.i18n import Message, msg

# Run.command and RunLock.command: the command that wrote the run.
COMMAND_WORDS = {"crawl": msg("crawl"), "check": msg("single-site check"),
                 "recheck": msg("recheck"), "rescore": msg("rescore"), "record": msg("record")}
# ProblemEvent.action: what an auditor or govsite did to a problem.
ACTION_WORDS = {"dismiss": msg("dismissed"), "restore": msg("restored"),
                "notify": msg("notified")}
# ProblemEvent.kind and Problem.dismissed_kind: why a finding was dismissed.
DISMISS_KIND_WORDS = {"false-positive": msg("false positive"),
                      "exception": msg("accepted exception")}


def word(words: dict[str, Message], value: str) -> str:
    """The stored `value` as a catalogued message (a value not listed, as it is)."""
    return words.get(value, value)
