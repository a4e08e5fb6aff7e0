"""Fixed English words govsite stores (a severity, a state, a verdict, a run's
command, an audit-trail action) and shows: each a catalogued message, so a
listing, a progress line or an error line says it in the interface's language
while the database and `--format json` keep the English word."""

from __future__ import annotations

from govsite.i18n import Message, msg

# A finding's severity.
SEVERITY_WORDS = {"veto": msg("veto"), "deduct": msg("deduct"), "warn": msg("warn"),
                  "info": msg("info")}
# A problem's state across runs, and a run's.
STATE_WORDS = {"open": msg("open"), "notified": msg("notified"), "fixed": msg("fixed"),
               "verified": msg("verified"), "dismissed": msg("dismissed"),
               "running": msg("running"), "interrupted": msg("interrupted"),
               "done": msg("done"), "failed": msg("failed")}
KIND_WORDS = {"portal": msg("portal"), "department": msg("department")}  # Site.kind
# A site's verdict (SiteResult.verdict).
VERDICT_WORDS = {"pass": msg("qualified"), "fail": msg("unqualified"),
                 "error": msg("not judged")}
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
