"""What the crawl tells the person watching it: sites done, pages, errors."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from govsite.i18n import interface_lang, t
from govsite.i18n.words import VERDICT_WORDS, word

# Progress lines go to `--log-file` only (cli.open_log_file attaches it), never to
# the terminal, which has its own progress display.
PROGRESS_LOG = logging.getLogger("govsite.progress")
PROGRESS_LOG.propagate = False
PROGRESS_LOG.setLevel(logging.INFO)
PROGRESS_LOG.addHandler(logging.NullHandler())


class NullProgress:
    """Silent progress for --quiet and for library use."""

    def start(self, total_sites: int) -> None: ...
    def page(self, failed: bool) -> None: ...
    def site_done(self, name: str, verdict: str) -> None: ...
    def stop(self) -> None: ...


class RichProgress(NullProgress):
    """A live line in the interface's language: sites done of total, pages fetched,
    errors, the site judged last with its verdict, elapsed time."""

    def __init__(self, console: Console, lang: str | None = None) -> None:
        self._lang = lang or interface_lang()
        self._progress = Progress(
            TextColumn(f"[bold]{escape(t(self._lang, 'inspecting'))}"), BarColumn(),
            MofNCompleteColumn(), TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(), console=console, transient=False)
        self._task: TaskID | None = None
        self._pages = 0
        self._errors = 0
        self._last = ""

    def _status(self) -> str:
        status = t(self._lang, "sites · {pages} pages · {errors} errors", pages=self._pages,
                   errors=self._errors)
        if self._last:
            status += t(self._lang, " · last: {site}", site=self._last)
        return escape(status)

    def start(self, total_sites: int) -> None:
        self._task = self._progress.add_task("crawl", total=total_sites, status=self._status())
        self._progress.start()

    def page(self, failed: bool) -> None:
        self._pages += 1
        self._errors += failed
        if self._task is not None and (self._pages % 10 == 0 or failed):
            self._progress.update(self._task, status=self._status())

    def site_done(self, name: str, verdict: str) -> None:
        self._last = t(self._lang, "{site} ({verdict})", site=name,
                       verdict=t(self._lang, word(VERDICT_WORDS, verdict)))
        if self._task is not None:
            self._progress.update(self._task, advance=1, status=self._status())

    def stop(self) -> None:
        if self._task is not None:
            self._progress.update(self._task, status=self._status())
        self._progress.stop()


class LogProgress(NullProgress):
    """Progress as log lines (a cron user's log file: `govsite --log-file`), beside
    what the terminal shows: each site's verdict as it is judged, and the totals."""

    def __init__(self, inner: NullProgress, logger: logging.Logger | None = None) -> None:
        self._inner = inner
        self._log = logger or PROGRESS_LOG
        self._total = self._done = self._pages = self._errors = 0

    def start(self, total_sites: int) -> None:
        self._total = total_sites
        self._log.info("crawl started: %d site(s)", total_sites)
        self._inner.start(total_sites)

    def page(self, failed: bool) -> None:
        self._pages += 1
        self._errors += failed
        self._inner.page(failed)

    def site_done(self, name: str, verdict: str) -> None:
        self._done += 1
        self._log.info("site %d/%d judged: %s: %s (%d pages, %d errors so far)", self._done,
                       self._total, name, verdict, self._pages, self._errors)
        self._inner.site_done(name, verdict)

    def stop(self) -> None:
        self._log.info("crawl finished: %d/%d site(s), %d page(s), %d error(s)", self._done,
                       self._total, self._pages, self._errors)
        self._inner.stop()
