"""The `govsite` command line: registry, crawl, check, probe, recheck, rescore, report,
findings (overrides), notify, demo.

Exit codes of the commands that report results are decided in one place,
reports.outcome.get_exit_code: 0 every inspected site qualified (or nothing
at the --fail-on threshold; always with --soft-fail), 1 otherwise; 2 usage,
config or tool error. Progress and messages go to stderr, so `--format json`
on stdout pipes cleanly.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from govsite.checks.account_base import enabled_account_checks
from govsite.checks.registry import available_checks, enabled_checks
from govsite.config import Config, ConfigError, load_config
from govsite.i18n import gettext, interface_lang, locale_lang, msg, say
from govsite.i18n.usage import TranslatedGroup
from govsite.i18n.words import (
    ACTION_WORDS,
    COMMAND_WORDS,
    DISMISS_KIND_WORDS,
    KIND_WORDS,
    SEVERITY_WORDS,
    STATE_WORDS,
    word,
)
from govsite.notify import NotifyError
from govsite.reports import FORMATS, render, write
from govsite.reports.i18n import LANGS
from govsite.reports.model import ReportError, build_report
from govsite.reports.outcome import (
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_OK,
    FAIL_ON,
    BaselineError,
    Policy,
    get_exit_code,
    read_baseline,
    write_baseline,
)
from govsite.reports.table import print_report
from govsite.scoring.rescore import RescoreError
from govsite.storage.db import Store, StoreError, open_store
from govsite.storage.lock import RunLockHeld
from govsite.storage.models import Run, Site
from govsite.storage.overrides import OverrideError
from govsite.storage.sites import SiteLookupError, find_site, select_sites, site_for_check

EXIT_FINDINGS = EXIT_FAILED

# TranslatedGroup: typer's own usage errors in the interface's language (i18n/usage.py).
app = typer.Typer(cls=TranslatedGroup, add_completion=False, no_args_is_help=True,
                  help="Inspect government websites against the national indicators.")
sites_app = typer.Typer(no_args_is_help=True, help="The registry of sites to inspect.")
checks_app = typer.Typer(no_args_is_help=True, help="The check modules.")
accounts_app = typer.Typer(no_args_is_help=True, help="The registry of government "
                           "new-media accounts, and auditors' results for them.")
app.add_typer(sites_app, name="sites")
app.add_typer(accounts_app, name="accounts")
app.add_typer(checks_app, name="checks")
config_app = typer.Typer(no_args_is_help=True, help="The configuration in force.")
runs_app = typer.Typer(no_args_is_help=True, help="The runs this database holds.")
app.add_typer(runs_app, name="runs")
app.add_typer(config_app, name="config")
findings_app = typer.Typer(no_args_is_help=True, help="Problems across runs, and the "
                           "auditor's overrides (dismiss, restore) with their audit trail.")
app.add_typer(findings_app, name="findings")

# An error or status line is never folded: a log reader greps whole lines.
err = Console(stderr=True, soft_wrap=True)
out = Console()


def fit_output_width() -> None:
    """Piped or in a cron log, rich would fall back to 80 columns and fold every
    URL; a file gets a readable width instead ($COLUMNS still wins). Decided per
    command, for the output and environment of that command."""
    out.width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") \
        else 160  # type: ignore[assignment]


def listing(title: str, columns: tuple[str, ...]) -> Table:
    """A terminal table of a listing command (sites, runs, checks, findings,
    accounts, probe): its title and headings said in the interface's language."""
    table = Table(title=say(title))
    for column in columns:
        table.add_column(say(column), overflow="fold")
    return table


def yes_no(value: bool) -> str:
    return say(msg("yes") if value else msg("no"))


class UsageFailure(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


@dataclass
class Context:
    config_path: Path | None
    db_url: str | None
    _config: Config | None = None
    _store: Store | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, db_url=self.db_url)
            enabled_checks(self._config)  # validate per-check blocks up front
            enabled_account_checks(self._config)
        return self._config

    @property
    def store(self) -> Store:
        if self._store is None:
            storage = self.config.storage
            self._store = open_store(storage.url, busy_timeout_s=storage.busy_timeout_s)
        return self._store


def database_problem(exc: Exception) -> str:
    """A database error as one line an operator can act on."""
    text = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    if "locked" in text:
        return msg("the database is locked by another process ({error}); try again, or raise "
                   "storage.busy_timeout_s", error=text)
    if "readonly" in text or "read-only" in text:
        return msg("the database is read-only ({error}): give govsite write access to it",
                   error=text)
    return msg("database error: {error}", error=text)


def note(message: str) -> None:
    """A status line on stderr, in the interface's language when catalogued, and in
    the log file (--log-file) in English."""
    err.print(escape(say(message)), highlight=False, soft_wrap=True)
    log.info("%s", message)


def fail(message: str) -> typer.Exit:
    """One line on stderr (in the interface's language when the message is
    catalogued) and in the log (in English), exit code 2."""
    head = "错误" if interface_lang() == "zh" else "error"
    err.print(f"[bold red]{head}:[/] {escape(say(message))}", highlight=False, soft_wrap=True)
    log.error("%s", message)
    return typer.Exit(EXIT_ERROR)


log = logging.getLogger("govsite.cli")
# The command log goes to --log-file only: never to Scrapy's stderr handler
# (an error is already said once on stderr, by fail()).
log.propagate = False
log.setLevel(logging.INFO)
log.addHandler(logging.NullHandler())
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def open_log_file(path: Path) -> None:
    """Append govsite's log (commands, each site's verdict, errors; Scrapy's
    errors) to `path`, for cron users; nothing of it goes to the terminal."""
    try:
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise fail(msg("--log-file: cannot write {path}: {error}", path=str(path),
                       error=exc.strerror or str(exc))) from None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.set_name("govsite-log-file")
    for name in ("govsite", "govsite.cli", "govsite.progress", "scrapy"):
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if h.get_name() == "govsite-log-file"]:
            logger.removeHandler(old)
            old.close()
        logger.addHandler(handler)
    govsite_logger = logging.getLogger("govsite")
    govsite_logger.setLevel(logging.INFO)
    govsite_logger.propagate = False


def guarded(func):  # type: ignore[no-untyped-def]
    """Turn known errors into one line and exit code 2; never a traceback.

    An unexpected exception (a bug) prints its traceback and also exits 2, so
    CI never mistakes a crash for "a site is unqualified" (exit code 1).
    """
    import functools

    from typer.exceptions import TyperException

    from govsite.storage.registry import RegistryFileError

    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ConfigError, StoreError, ReportError, RegistryFileError, UsageFailure,
                BaselineError, RescoreError, SiteLookupError, RunLockHeld,
                OverrideError, NotifyError) as exc:
            raise fail(exc.args[0] if exc.args and isinstance(exc.args[0], str)
                       else str(exc)) from None
        except (typer.Exit, typer.Abort, TyperException, KeyboardInterrupt):
            raise
        except SQLAlchemyError as exc:  # locked, read-only, full disk, server gone
            raise fail(database_problem(exc)) from None
        except Exception as exc:
            err.print_exception(show_locals=False)
            raise fail(msg("internal error: {kind}: {error}", kind=type(exc).__name__,
                           error=str(exc))) from None

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        name = func.__name__.replace("_", " ")
        log.info("%s started", name)
        try:
            result = run(*args, **kwargs)
        except typer.Exit as exc:
            log.info("%s finished: exit code %s", name, exc.exit_code)
            raise
        log.info("%s finished: exit code 0", name)
        return result
    return wrapper


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option("--config", help="Config file "
                      "(default: the bundled config.yaml).")] = None,
    db: Annotated[str | None, typer.Option("--db", help="SQLAlchemy database URL "
                  "(default: $GOVSITE_DB, then storage.url in the config).")] = None,
    log_file: Annotated[Path | None, typer.Option("--log-file", help="Append a log "
                        "(commands, each site's verdict, errors) to this file: for cron.")]
    = None,
) -> None:
    fit_output_width()
    if log_file is not None:
        open_log_file(log_file)
    ctx.obj = Context(config, db)


def parse_as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageFailure(msg("--as-of: expected a date as YYYY-MM-DD, got {value}",
                               value=repr(value))) from None


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageFailure(msg("--format: expected one of {choices}, got {value}",
                                       choices=", ".join(FORMATS), value=repr(fmt)))
    return fmt


@dataclass
class OutputRequest:
    """What the user asked of a command's result: format, where, language, CI policy."""

    fmt: str = "table"
    output: Path | None = None
    quiet: bool = False
    lang: str | None = None  # None: the locale's (i18n.locale_lang)
    fail_on: str | None = None
    soft_fail: bool = False
    baseline: Path | None = None
    create_baseline: Path | None = None
    period: str | None = None  # notice only
    runs: list[int] | None = None  # notice only
    policy: Policy = field(default_factory=Policy)

    def validate(self) -> OutputRequest:
        """Refuse bad options before anything is crawled."""
        check_format(self.fmt)
        if self.lang is None:
            self.lang = locale_lang()
        if self.lang not in LANGS:
            raise UsageFailure(msg("--lang: expected one of {choices}, got {value}",
                                   choices=", ".join(LANGS), value=repr(self.lang)))
        if self.fail_on is not None and self.fail_on not in FAIL_ON:
            raise UsageFailure(msg("--fail-on: expected one of {choices}, got {value}",
                                   choices=", ".join(FAIL_ON), value=repr(self.fail_on)))
        if FORMATS[self.fmt].render is None and self.output is None:
            raise UsageFailure(msg("--format {fmt} writes a folder: give --output DIR", fmt=self.fmt))
        if self.period is not None:
            from govsite.reports.notice import Quarter

            try:
                Quarter.parse(self.period)
            except ValueError as exc:
                raise UsageFailure(msg("--period: {error}", error=exc.args[0])) from None
        baseline = read_baseline(self.baseline) if self.baseline else frozenset()
        self.policy = Policy(self.fail_on, self.soft_fail, baseline)
        return self


def emit(ctx: typer.Context, request: OutputRequest, run_id: int | None) -> int:
    """Build the result (a run's report, or the notice), write it where asked, and
    return the exit code it implies (reports.outcome.get_exit_code)."""
    store = ctx.obj.store
    spec = FORMATS[request.fmt]
    if spec.source == "notice":
        from govsite.reports.notice import build_notice

        runs = request.runs or ([run_id] if run_id is not None else None)
        data = build_notice(store, ctx.obj.config, period=request.period, run_ids=runs,
                            lang=request.lang)
    else:
        data = build_report(store, run_id, lang=request.lang)
    options: dict[str, Any] = {
        "lang": request.lang, "policy": request.policy,
        "evidence_roots": [store.evidence_root,
                           store.evidence_root / ctx.obj.config.storage.evidence_dir]}
    if request.fmt == "html":  # its pictures: the stored runs up to this one
        from govsite.reports.history import build_history

        options["history"] = build_history(store, data["run"]["id"], {
            c["id"]: c["category"] for c in data.get("checks", [])})
    if request.output is not None:
        try:
            written = write(data, request.fmt, request.output, **options)
        except OSError as exc:
            raise UsageFailure(msg("--output: cannot write {path}: {error}", path=str(request.output),
                                   error=str(exc.strerror or exc))) from None
        if not request.quiet:
            if spec.source == "run":
                print_report(data, err, request.lang)
            more = (msg(" and {count} more file(s)", count=len(written) - 3)
                    if len(written) > 3 else "")
            note(msg("report written to {files}{more}",
                     files=", ".join(str(p) for p in written[:3]), more=more))
    elif request.fmt == "table":
        if not request.quiet:
            print_report(data, out, request.lang)
    else:
        content = render(data, request.fmt, **options)
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
    return finish(data, request)


def finish(data: dict[str, Any], request: OutputRequest) -> int:
    """Baseline writing and the exit code, the same for every command."""
    if request.create_baseline is not None:
        count = write_baseline(data, request.create_baseline)
        note(msg("baseline of {count} finding(s) written to {path}", count=count,
                 path=str(request.create_baseline)))
    code = get_exit_code(data, request.policy)
    if request.soft_fail and get_exit_code(data, Policy(request.fail_on, False,
                                                        request.policy.baseline)):
        note(msg("soft fail: the result fails, exit code 0 as asked (--soft-fail)"))
    return code


# ---------------------------------------------------------------- sites
@sites_app.command("import")
@guarded
def sites_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8/GBK) or XLSX registry file.")],
    skip_invalid: Annotated[bool, typer.Option(help="Import the valid rows even when "
                                               "some rows are bad.")] = False,
) -> None:
    """Import or update sites from a registry file (columns name, url, site_code,
    organizer, region, optional kind and render)."""
    from govsite.storage.registry import import_sites, read_registry

    result, count, bad = import_file(ctx, file, read_registry, import_sites, skip_invalid)
    note(msg("imported {count} site(s): {new} new, {updated} updated{skipped}", count=count,
             new=result.created, updated=result.updated, skipped=skipped_rows(bad)))
    if bad:
        raise typer.Exit(EXIT_FINDINGS)


def import_file(ctx: typer.Context, file: Path, read: Any, write: Any,
                skip_invalid: bool) -> tuple[Any, int, int]:
    """A registry file's import, sites' or accounts': every bad row named; with any,
    nothing imported (exit 2) unless --skip-invalid (the valid rows, exit 1).
    The result, the rows imported and the bad rows."""
    rows, errors = read(file)
    for error in errors:
        row_problem(file, error)
    if errors and not skip_invalid:
        raise fail(msg("{count} bad row(s); nothing imported (fix them, or pass --skip-invalid "
                       "to import the valid rows)", count=rows_with_problems(errors)))
    with ctx.obj.store.sessions.begin() as session:
        result = write(session, rows)
    return result, len(rows), rows_with_problems(errors)


def rows_with_problems(errors: list[Any]) -> int:
    """Bad rows, not problems: a row may have several (each is named on its own line)."""
    return len({error.row_number for error in errors})


def row_problem(file: Path, error: Any) -> None:
    """A registry file's bad row, on stderr in the interface's language (its reason
    too) and in the log in English."""
    line = msg("{file}: {problem}", file=str(file), problem=error.said())
    err.print(escape(say(line)), highlight=False, soft_wrap=True)
    log.error("%s", line)


def skipped_rows(bad: int) -> str:
    return msg("; skipped {count} bad row(s)", count=bad) if bad else ""


@sites_app.command("list")
@guarded
def sites_list(ctx: typer.Context) -> None:
    """Show the registered sites."""
    with ctx.obj.store.sessions() as session:
        sites = session.scalars(select(Site).where(Site.registered).order_by(Site.name)).all()
    table = listing(msg("{count} registered site(s)", count=len(sites)), (
        msg("name"), msg("url"), msg("site code"), msg("organizer"), msg("region"),
        msg("kind"), msg("render")))
    for site in sites:
        table.add_row(site.name, site.url, site.site_code or "", site.organizer or "",
                      site.region or "", say(word(KIND_WORDS, site.kind)),
                      site.render_policy or "")
    out.print(table)


# ---------------------------------------------------------------- accounts
@accounts_app.command("import")
@guarded
def accounts_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8/GBK) or XLSX accounts file.")],
    skip_invalid: Annotated[bool, typer.Option(help="Import the valid rows even when "
                                               "some rows are bad.")] = False,
) -> None:
    """Import or update government new-media accounts (columns name, platform
    wechat|weibo|toutiao|douyin|other, account_id, organizer, region, optional
    feed_url), validated as the sites' registry is: any bad row, nothing is
    imported (exit 2) unless --skip-invalid (exit 1)."""
    from govsite.storage.accounts import import_accounts, read_accounts

    result, count, bad = import_file(ctx, file, read_accounts, import_accounts, skip_invalid)
    note(msg("imported {count} account(s): {new} new, {updated} updated{skipped}", count=count,
             new=result.created, updated=result.updated, skipped=skipped_rows(bad)))
    if bad:
        raise typer.Exit(EXIT_FINDINGS)


@accounts_app.command("list")
@guarded
def accounts_list(ctx: typer.Context) -> None:
    """Show the registered accounts."""
    from govsite.storage.accounts import all_accounts

    with ctx.obj.store.sessions() as session:
        accounts = all_accounts(session)
    table = listing(msg("{count} registered account(s)", count=len(accounts)), (
        msg("name"), msg("platform"), msg("account id"), msg("organizer"), msg("region"),
        msg("feed")))
    for account in accounts:
        table.add_row(account.name, account.platform, account.account_id,
                      account.organizer or "", account.region or "", account.feed_url or "")
    out.print(table)


@accounts_app.command("record")
@guarded
def accounts_record(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8/GBK) or XLSX of results: account, "
                                         "as_of, check, result, note, evidence.")],
    wait: WaitOpt = False,
) -> None:
    """Record auditors' inspection results for accounts (those without a feed, or
    checks no feed shows). Each as-of date becomes a run of command `record`,
    judged and reported as a crawl is. Any bad row: nothing is recorded, exit 2."""
    from govsite.scoring.account_records import record_results
    from govsite.scoring.accounts import AccountJudges
    from govsite.storage.account_records import read_records

    store = ctx.obj.store
    judges = AccountJudges.of(ctx.obj.config)
    with store.sessions() as session:
        rows, errors = read_records(file, session, judges.ids, today=date.today())
    for error in errors:
        row_problem(file, error)
    if errors:
        raise fail(msg("{count} bad row(s); nothing recorded", count=rows_with_problems(errors)))
    if not rows:
        raise fail(msg("{file}: no results to record", file=str(file)))
    with one_run(store, "record", wait):
        run_ids = record_results(store, ctx.obj.config, rows, judges)
    note(msg("recorded {count} result(s) as run(s) {runs}", count=len(rows),
             runs=", ".join(map(str, run_ids))))


# ---------------------------------------------------------------- runs
@runs_app.command("list")
@guarded
def runs_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="Show this many, newest first.")] = 50,
) -> None:
    """Show the runs with their state (running, interrupted, done, failed) and counts."""
    from govsite.storage.runs import run_summaries

    summaries = run_summaries(ctx.obj.store, limit)
    table = listing(msg("{count} run(s)", count=len(summaries)), (
        msg("run"), msg("command"), msg("as of"), msg("started (UTC)"), msg("state"),
        msg("sites done"), msg("pages"), msg("results")))
    for run in summaries:
        table.add_row(str(run.id), say(word(COMMAND_WORDS, run.command)), run.as_of.isoformat(),
                      f"{run.started_at:%Y-%m-%d %H:%M}", say(word(STATE_WORDS, run.state)),
                      f"{run.sites_done}/{run.sites}", str(run.pages), str(run.results))
    out.print(table)


# ---------------------------------------------------------------- findings
def parse_date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageFailure(msg("{option}: expected a date as YYYY-MM-DD, got {value}", option=option,
                               value=repr(value))) from None


def current_user() -> str:
    """Who is at the keyboard, for the audit trail when --by is not given."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


ByOpt = Annotated[str | None, typer.Option("--by", help="Who decides (default: the "
                                           "login name).")]


@findings_app.command("dismiss")
@guarded
def findings_dismiss(
    ctx: typer.Context,
    fingerprint: Annotated[str, typer.Argument(help="The finding's fingerprint (or a "
                                               "unique prefix of it).")],
    reason: Annotated[str, typer.Option("--reason", help="Why the finding is wrong or "
                                        "accepted.")],
    by: ByOpt = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day the dismissal "
                     "holds, YYYY-MM-DD (default: until restored).")] = None,
    kind: Annotated[str, typer.Option("--kind", help="false-positive | exception")]
    = "false-positive",
) -> None:
    """Dismiss a finding: it no longer fails its site in later runs and rescores
    (while its fingerprint matches), and every report lists it apart."""
    from govsite.storage.overrides import dismiss

    problem = dismiss(ctx.obj.store, fingerprint, reason=reason, by=by or current_user(),
                      kind=kind, until=parse_date("--until", until), today=date.today())
    until = (say(msg(" until {until}", until=str(problem.dismissed_until)))
             if problem.dismissed_until else "")
    err.print(escape(say(msg("dismissed {fingerprint} ({check}, {url}){until}; it counts again "
                             "after `govsite findings restore`", fingerprint=problem.fingerprint,
                             check=problem.check, url=problem.url, until=until))),
              highlight=False, soft_wrap=True)


@findings_app.command("restore")
@guarded
def findings_restore(
    ctx: typer.Context,
    fingerprint: Annotated[str, typer.Argument(help="The dismissed finding's fingerprint.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it counts again.")] = "",
    by: ByOpt = None,
) -> None:
    """End a dismissal: the finding counts again from the next run or rescore."""
    from govsite.storage.overrides import restore

    problem = restore(ctx.obj.store, fingerprint, reason=reason, by=by or current_user())
    err.print(escape(say(msg("restored {fingerprint} ({check}, {url})",
                             fingerprint=problem.fingerprint, check=problem.check,
                             url=problem.url))), highlight=False, soft_wrap=True)


@findings_app.command("list")
@guarded
def findings_list(
    ctx: typer.Context,
    site: Annotated[str | None, typer.Option("--site", help="Only this site (name or URL).")]
    = None,
    state: Annotated[str | None, typer.Option("--state", help="open | notified | fixed | "
                     "verified | dismissed")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
) -> None:
    """The problems across runs and their state: open, notified (a rectification
    notice listed it), fixed, verified (by `recheck`), dismissed."""
    from govsite.storage.overrides import list_problems

    if fmt not in ("table", "json"):
        raise UsageFailure(msg("--format: expected table or json, got {value}", value=repr(fmt)))
    site_id = find_site(ctx.obj.store, site).id if site else None
    views = list_problems(ctx.obj.store, site_id=site_id, state=state, today=date.today())
    if fmt == "json":
        sys.stdout.write(json.dumps([v.__dict__ for v in views], ensure_ascii=False,
                                    indent=2) + "\n")
        return
    table = listing(msg("{count} problem(s)", count=len(views)), (
        msg("fingerprint"), msg("site"), msg("check"), msg("severity"), msg("state"),
        msg("runs"), msg("url"), msg("dismissed")))
    for v in views:
        runs = f"{v.first_seen_run}–{v.last_seen_run}" + (
            say(msg(", fixed in {run}", run=v.resolved_run)) if v.resolved_run else "")
        dismissed = (f"{v.dismissal['by']}: {v.dismissal['reason']}"
                     + (say(msg(" (until {until})", until=str(v.dismissal["until"])))
                        if v.dismissal["until"] else "")
                     if v.dismissal else "")
        table.add_row(v.fingerprint, v.site, v.check,
                      say(word(SEVERITY_WORDS, v.severity)),
                      say(word(STATE_WORDS, v.state)), runs, v.url, dismissed)
    out.print(table)


@findings_app.command("history")
@guarded
def findings_history(
    ctx: typer.Context,
    fingerprint: Annotated[str, typer.Argument(help="The finding's fingerprint.")],
) -> None:
    """The audit trail of one problem: who dismissed, restored or notified it, when, why."""
    from govsite.storage.overrides import history

    events = history(ctx.obj.store, fingerprint)
    table = listing(msg("{count} change(s)", count=len(events)), (
        msg("when (UTC)"), msg("action"), msg("by"), msg("reason"), msg("kind"),
        msg("until"), msg("run")))
    for e in events:
        table.add_row(f"{e.at:%Y-%m-%d %H:%M:%S}", say(word(ACTION_WORDS, e.action)), e.actor,
                      e.reason or "", say(word(DISMISS_KIND_WORDS, e.kind or "")),
                      str(e.until or ""), str(e.run_id or ""))
    out.print(table)


# ---------------------------------------------------------------- notify
@app.command()
@guarded
def notify(
    ctx: typer.Context,
    run: Annotated[int | None, typer.Option("--run", help="The run whose problems to "
                   "notify (default: the latest).")] = None,
    site: SiteOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write the messages as .eml "
                       "files (into --output) instead of sending them.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Folder for "
                      "--dry-run's .eml files (default: notices-run-ID).")] = None,
    by: ByOpt = None,
) -> None:
    """E-mail each site's contact its rectification notice (整改通知): its open
    problems with their pages, evidence and remediation, and the date by which to
    rectify. A message already sent for the run is not sent again."""
    from govsite.notify import plan, send, write_eml

    config = ctx.obj.config
    work = plan(ctx.obj.store, config, run, today=date.today(), sites=site)
    for name, why in work.skipped:
        err.print(escape(say(msg("{site}: not notified: {why}", site=name, why=why))),
                  highlight=False)
    if dry_run:
        folder = output or Path(f"notices-run-{work.run_id}")
        written = write_eml(work.notices, folder)
        err.print(escape(say(msg("dry run: {count} message(s) written to {folder}, none sent",
                                 count=len(written), folder=str(folder)))), highlight=False)
        return
    if output is not None:
        raise UsageFailure(msg("--output: only with --dry-run"))
    sent = send(ctx.obj.store, config, work, by=by or current_user())
    for notice in sent:
        err.print(escape(say(msg("{site}: sent to {recipient} ({count} problem(s), rectify by "
                                 "{deadline})", site=notice.site, recipient=notice.recipient,
                                 count=len(notice.fingerprints), deadline=str(work.deadline)))),
                  highlight=False)
    err.print(escape(say(msg("run {run}: {count} message(s) sent", run=work.run_id,
                             count=len(sent)))), highlight=False)


# ---------------------------------------------------------------- checks
@checks_app.command("list")
@guarded
def checks_list(ctx: typer.Context) -> None:
    """Show every check: id, default severity, indicator, enabled or not; the
    websites' checks, then the new-media accounts' (wording-errors judges both)."""
    from govsite.checks.account_base import account_check_classes

    enabled = {check.id for check in enabled_checks(ctx.obj.config)}
    enabled |= {check.id for check in enabled_account_checks(ctx.obj.config)}
    table = listing(msg("Checks"), (msg("id"), msg("for"), msg("severity"), msg("enabled"),
                                    msg("title"), msg("indicator")))
    rows = [(check_id, msg("sites"), cls)
            for check_id, cls in sorted(available_checks().items())]
    rows += [(cls.id, msg("accounts"), cls) for cls in account_check_classes()]
    lang = interface_lang()
    for check_id, applies, cls in rows:
        table.add_row(check_id, say(applies), say(word(SEVERITY_WORDS, cls.severity)),
                      yes_no(check_id in enabled),
                      getattr(cls, f"title_{lang}", None) or gettext(cls.title, lang),
                      gettext(str(cls.indicator), lang))
    out.print(table)


@config_app.command("show")
@guarded
def config_show(ctx: typer.Context) -> None:
    """Print the effective configuration, each key with where its value came
    from: the bundled defaults, the --config file, $GOVSITE_DB or --db."""
    from govsite.checks.registry import effective_settings
    from govsite.config import flatten

    config = ctx.obj.config
    data = config.model_dump(mode="json")
    data["checks"] = effective_settings(config)
    table = listing(msg("Configuration ({source})", source=str(config.source)),
                    (msg("key"), msg("value"), msg("from")))
    for key, value in flatten(data):
        shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        table.add_row(key, shown, config.origin(key))
    out.print(table)


# ---------------------------------------------------------------- crawl, check
def crawl_and_report(ctx: typer.Context, sites: list[Site], command: str, as_of: date,
                     request: OutputRequest, *, evidence: bool = True,
                     wait: bool = False, accounts: list[Any] | None = None) -> int:
    with one_run(ctx.obj.store, command, wait):
        run_id = new_run(ctx, sites, command, as_of, request, evidence=evidence,
                         accounts=accounts)
    return emit_crawled(ctx, request, run_id, command)


def new_run(ctx: typer.Context, sites: list[Site], command: str, as_of: date,
            request: OutputRequest, *, evidence: bool,
            accounts: list[Any] | None = None) -> int:
    """A new run of the command over the sites (and feed accounts); the caller
    holds the run lock."""
    from govsite.crawler.runner import run_inspection

    progress = progress_for(request)
    return run_inspection(ctx.obj.store, ctx.obj.config, sites, as_of=as_of, command=command,
                          progress=progress, evidence=evidence, accounts=accounts)


def resume_and_report(ctx: typer.Context, command: str, request: OutputRequest, *,
                      evidence: bool = True, wait: bool = False,
                      or_start: bool = False) -> int:
    """Go on with the newest interrupted crawl or check (storage/resume.py): its
    finished sites stay, the others are crawled again under the run's own config
    and date, reading the responses it had kept instead of fetching them.
    `or_start` (crawl --continue): with none to go on with, a new crawl of every
    registered site as of today, under the same lock."""
    from govsite.config import stored_config
    from govsite.crawler.runner import run_inspection
    from govsite.storage.models import Account
    from govsite.storage.resume import (
        reset_sites,
        resumable_run,
        unfinished_sites,
        unjudged_accounts,
    )

    store = ctx.obj.store
    with one_run(store, command, wait) as lock:
        run = resumable_run(store, command)
        if run is None and or_start:
            note(msg("no interrupted crawl: a new one starts"))
            sites, accounts = crawl_targets(store, [])
            run_id = new_run(ctx, sites, command, parse_as_of(None), request,
                             evidence=evidence, accounts=accounts)
            return emit_crawled(ctx, request, run_id, command)
        if run is None:
            raise UsageFailure(msg("nothing to resume: the newest {command} in this database "
                                   "finished (govsite runs list shows the runs)",
                                   command=command))
        config = stored_config(run.config_json, machine=ctx.obj.config)
        ids = unfinished_sites(store, run.id)
        with store.sessions() as session:
            sites = list(session.scalars(select(Site).where(Site.id.in_(ids)).order_by(Site.id)))
            accounts = list(session.scalars(select(Account).where(
                Account.id.in_(unjudged_accounts(store, run.id))).order_by(Account.id)))
            for row in [*sites, *accounts]:
                session.expunge(row)
        reset_sites(store, run.id, [site.id for site in sites])
        lock.set_run(run.id)  # `runs list` shows it running again
        note(msg("resuming run {run} (as of {as_of}): {count} site(s) to crawl again, the "
                 "others kept", run=run.id, as_of=str(run.as_of), count=len(sites)))
        progress = progress_for(request)
        run_id = run_inspection(store, config, sites, as_of=run.as_of, command=command,
                                progress=progress, evidence=evidence, resume_run=run.id,
                                accounts=accounts)
    return emit_crawled(ctx, request, run_id, command)


def emit_crawled(ctx: typer.Context, request: OutputRequest, run_id: int, command: str) -> int:
    """A crawl's report; a crawl the memory ceiling stopped exits 2, saying how to go on."""
    from govsite.storage.runs import stopped_early

    code = emit(ctx, request, run_id)
    reason = stopped_early(ctx.obj.store, run_id)
    if reason is None:
        return code
    note(msg("run {run} stopped early: {reason}; its unfinished sites are judged on what they "
             "had. `govsite {command} --resume` goes on with it.", run=run_id, reason=reason,
             command=command))
    return 2


def progress_for(request: OutputRequest) -> Any:
    """A crawl's progress: a live line on stderr unless --quiet, and the log file."""
    from govsite.crawler.progress import LogProgress, NullProgress, RichProgress

    return LogProgress(NullProgress() if request.quiet else RichProgress(err))


def one_run(store: Store, command: str, wait: bool):  # type: ignore[no-untyped-def]
    """The database's run lock for this command (storage/lock.py)."""
    from govsite.storage.lock import run_lock

    return run_lock(store, command, wait=wait, on_wait=note)


FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | json | csv | xlsx "
                                        "| junit | html | notice")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report "
                                                "to this file (html: this folder; notice: "
                                                "X.md and X.html).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Monitoring reference date "
                                             "YYYY-MM-DD (default: today).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display "
                                        "(for cron).")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="zh | en: the report's "
                                             "language in every format (default: the "
                                             "locale's, LC_ALL/LC_MESSAGES/LANG; else zh).")]
FailOnOpt = Annotated[str | None, typer.Option("--fail-on", help="veto | deduct | warn: exit "
                                               "1 when a finding this serious exists "
                                               "(default: the verdict).")]
SoftFailOpt = Annotated[bool, typer.Option("--soft-fail", help="Always exit 0; the result "
                                           "is still printed and written.")]
BaselineOpt = Annotated[Path | None, typer.Option("--baseline", help="Findings whose "
                                                  "fingerprint this file lists never fail.")]
CreateBaselineOpt = Annotated[Path | None, typer.Option(
    "--create-baseline", help="Write the fingerprints of the current findings to this file.")]
SiteOpt = Annotated[list[str] | None, typer.Option("--site", help="Only this site "
                   "(name or URL); repeatable.")]
WaitOpt = Annotated[bool, typer.Option("--wait", help="When another run holds the database, "
                                       "wait for it instead of refusing (exit 2).")]
ResumeOpt = Annotated[bool, typer.Option("--resume", help="Go on with the newest interrupted "
                                        "run of this command: finished sites are kept, the "
                                        "others crawled again under that run's config and "
                                        "as-of date, from the responses it had kept.")]
RedisOpt = Annotated[str | None, typer.Option("--redis", help="A distributed run: offer its "
                                              "sites to workers through this Redis "
                                              "(redis://HOST:PORT/N) and work on it too.")]
NoEvidenceOpt = Annotated[bool, typer.Option("--no-evidence", help="Take no screenshots of "
                                             "the findings' pages.")]

# The options every command that reports a result takes, declared once.
_RESULT_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("fmt", FormatOpt, "table"), ("output", OutputOpt, None), ("quiet", QuietOpt, False),
    ("lang", LangOpt, None), ("fail_on", FailOnOpt, None), ("soft_fail", SoftFailOpt, False),
    ("baseline", BaselineOpt, None), ("create_baseline", CreateBaselineOpt, None))


def result_options(*, quiet: bool = True):  # type: ignore[no-untyped-def]
    """Give a command the result options (format, output, language, CI policy)
    and hand it one validated OutputRequest as `request`."""
    def decorate(func):  # type: ignore[no-untyped-def]
        import functools
        import inspect

        options = [o for o in _RESULT_OPTIONS if quiet or o[0] != "quiet"]
        names = [name for name, _, _ in options]
        signature = inspect.signature(func, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "request"]
        added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                   annotation=annotation) for name, annotation, default in options]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            request = OutputRequest(**{name: kwargs.pop(name) for name in names})
            return func(*args, request=request.validate(), **kwargs)

        wrapper.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
        return wrapper
    return decorate


@app.command()
@guarded
@result_options()
def crawl(
    ctx: typer.Context,
    site: SiteOpt = None,
    as_of: AsOfOpt = None, no_evidence: NoEvidenceOpt = False, wait: WaitOpt = False,
    resume: ResumeOpt = False,
    continue_: Annotated[bool, typer.Option("--continue", help="For schedules: go on with "
                                            "the newest interrupted crawl if there is one, "
                                            "else crawl every registered site as of "
                                            "today.")] = False,
    redis: RedisOpt = None,
    seed: Annotated[bool, typer.Option("--seed", help="With --redis: only offer the run's "
                                       "sites to workers (govsite worker) and exit.")] = False,
    request: OutputRequest | None = None,
) -> None:
    """Crawl and inspect every registered site (or those named by --site) and read
    the feeds of the registered new-media accounts (not with --site)."""
    if seed and not redis:
        raise UsageFailure(msg("--seed offers a run to workers through Redis: give --redis"))
    if redis:
        if resume or continue_:
            raise UsageFailure(msg("a distributed run resumes by itself: a worker takes over "
                                   "the sites of one that stopped; leave out --resume and "
                                   "--continue"))
        raise typer.Exit(seed_and_work(ctx, redis, site or [], parse_as_of(as_of), request,
                                       evidence=not no_evidence, work=not seed))
    if resume or continue_:
        if site or as_of or (resume and continue_):
            raise UsageFailure(msg("--resume and --continue take the interrupted run's sites "
                                   "and as-of date: leave out --site and --as-of, and give one "
                                   "of them"))
        raise typer.Exit(resume_and_report(ctx, "crawl", request, evidence=not no_evidence,
                                           wait=wait, or_start=continue_))
    reference = parse_as_of(as_of)
    sites, accounts = crawl_targets(ctx.obj.store, site or [])
    raise typer.Exit(crawl_and_report(ctx, sites, "crawl", reference, request,
                                      evidence=not no_evidence, wait=wait, accounts=accounts))


def seed_and_work(ctx: typer.Context, redis_url: str, names: list[str], as_of: date,
                  request: OutputRequest, *, evidence: bool, work: bool) -> int:
    """A distributed run (crawler/worker.py): seeded, then worked on by this
    process too unless `work` is off; reported here when this process finished it."""
    from govsite.crawler.worker import seed_run

    sites, accounts = crawl_targets(ctx.obj.store, names)
    with redis_errors(redis_url):
        queue = seed_run(ctx.obj.store, ctx.obj.config, sites, as_of, redis_url, accounts)
    note(msg("run {run} offered to workers: {count} site(s) in {redis}; start workers with "
             "govsite --db DB worker --redis {redis}", run=queue.run_id, count=len(sites),
             redis=redis_url))
    if accounts:
        note(msg("the feeds of {count} new-media account(s) are read by the worker that "
                 "takes them", count=len(accounts)))
    if not work:
        out.print(queue.run_id)
        return 0
    return work_on(ctx, redis_url, queue.run_id, request, evidence=evidence)


def work_on(ctx: typer.Context, redis_url: str, run_id: int, request: OutputRequest, *,
            evidence: bool) -> int:
    """Crawl the run's sites this worker takes until the run is done; the worker
    that finishes it reports it (the others exit 0)."""
    from govsite.config import stored_config
    from govsite.crawler.sitequeue import SiteQueue
    from govsite.crawler.worker import WorkerError, run_worker

    store = ctx.obj.store
    with store.sessions() as session:
        run = session.get(Run, run_id)
        if run is None:
            raise UsageFailure(msg("run {run} is not in this database: give workers the "
                                   "seeder's --db", run=run_id))
        stored, status, as_of = run.config_json, run.status, run.as_of
    if status == "done":
        note(msg("run {run} is done: nothing to work on (govsite report --run {run} reports "
                 "it)", run=run_id))
        return 0
    config = stored_config(stored, machine=ctx.obj.config)
    progress = progress_for(request)
    with redis_errors(redis_url):
        queue = SiteQueue(redis_url, run_id, lease_s=config.distributed.lease_s)
        if not queue.seeded():
            raise UsageFailure(msg("run {run} was not offered in {redis}", run=run_id,
                                   redis=redis_url))
        try:
            finished = run_worker(store, config, queue, as_of, progress=progress,
                                  evidence=evidence)
        except WorkerError as exc:
            raise UsageFailure(msg("this worker stopped: {error}; the run goes on with the "
                                   "other workers", error=exc.args[0])) from None
    if not finished:
        note(msg("run {run}: this worker's sites are done; another worker finishes the run",
                 run=run_id))
        return 0
    return emit_crawled(ctx, request, run_id, "crawl")


@contextmanager
def redis_errors(redis_url: str):  # type: ignore[no-untyped-def]
    """Redis unreachable or refusing: one line and exit 2."""
    from redis.exceptions import RedisError

    try:
        yield
    except RedisError as exc:
        raise UsageFailure(msg("Redis at {redis} failed: {error}", redis=redis_url,
                               error=str(exc))) from None


@app.command()
@guarded
@result_options()
def worker(
    ctx: typer.Context,
    redis: Annotated[str, typer.Option("--redis", help="The Redis the run was offered in: "
                                       "redis://HOST:PORT/N.")],
    run: Annotated[int | None, typer.Option("--run", help="The run to work on (default: "
                                            "the newest offered in that Redis).")] = None,
    no_evidence: NoEvidenceOpt = False,
    request: OutputRequest | None = None,
) -> None:
    """Work on a distributed run (govsite crawl --redis … --seed): take its sites
    from Redis, crawl and judge them into the shared database (--db); the worker
    that sees the last site done finishes the run and reports it."""
    from govsite.crawler.sitequeue import newest_run

    with redis_errors(redis):
        run_id = run if run is not None else newest_run(redis)
    if run_id is None:
        raise UsageFailure(msg("no run was offered in {redis}: seed one with govsite crawl "
                               "--redis {redis} --seed", redis=redis))
    raise typer.Exit(work_on(ctx, redis, run_id, request, evidence=not no_evidence))


def crawl_targets(store: Store, names: list[str]) -> tuple[list[Site], list[Any]]:
    """The sites a crawl inspects (those named, else every registered one) and the
    feed accounts it reads (every registered one, unless sites are named)."""
    accounts = [] if names else feed_accounts(store)
    sites = select_sites(store, names) if names or not accounts or registered_sites(store) \
        else []
    return sites, accounts


def feed_accounts(store: Store) -> list[Any]:
    """The registered accounts with a feed: a full crawl reads them too."""
    from govsite.storage.accounts import all_accounts

    with store.sessions() as session:
        accounts = [a for a in all_accounts(session) if a.feed_url]
        for account in accounts:
            session.expunge(account)
    return accounts


def registered_sites(store: Store) -> bool:
    with store.sessions() as session:
        return session.scalar(select(Site.id).where(Site.registered).limit(1)) is not None


@app.command()
@guarded
@result_options()
def check(
    ctx: typer.Context,
    url: Annotated[str | None, typer.Argument(help="Home page URL of the site to re-check "
                                              "(none with --resume).")] = None,
    name: Annotated[str | None, typer.Option(help="Name to report it under.")] = None,
    as_of: AsOfOpt = None, no_evidence: NoEvidenceOpt = False, wait: WaitOpt = False,
    resume: ResumeOpt = False,
    request: OutputRequest | None = None,
) -> None:
    """Crawl and inspect one site, registered or not (a full inspection of one site)."""
    if resume:
        if url or name or as_of:
            raise UsageFailure(msg("--resume takes the interrupted check's site and as-of "
                                   "date: leave out the URL, --name and --as-of"))
        raise typer.Exit(resume_and_report(ctx, "check", request, evidence=not no_evidence,
                                           wait=wait))
    if url is None:
        raise UsageFailure(msg("check needs the URL of the site's home page (or --resume)"))
    reference = parse_as_of(as_of)
    site = site_for_check(ctx.obj.store, url, name)
    raise typer.Exit(crawl_and_report(ctx, [site], "check", reference, request,
                                      evidence=not no_evidence, wait=wait))


# ---------------------------------------------------------------- recheck, rescore


@app.command()
@guarded
def probe(
    ctx: typer.Context,
    site: SiteOpt = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=256,
                           help="Home pages visited at once.")] = 32,
    quiet: QuietOpt = False,
) -> None:
    """Visit every registered home page once and record whether it opened in time.

    site-unreachable judges a site on a week of these visits (docs/rules.md: ≥20 a
    day): schedule this, e.g. hourly from cron. Exits 0 once the
    visits are recorded, whatever they found.
    """
    from govsite.crawler.probe import probe_and_record
    from govsite.reports.reasons import reason_text

    sites = select_sites(ctx.obj.store, site or [])
    visits = probe_and_record(ctx.obj.store, ctx.obj.config, sites, concurrency=concurrency)
    failed = [v for v in visits if not v.ok]
    if not quiet:
        names = {s.id: s.name for s in sites}
        table = listing(msg("{count} home page(s) visited, {failed} did not open",
                            count=len(visits), failed=len(failed)), (
            msg("site"), msg("url"), msg("opened"), msg("status"), msg("seconds"),
            msg("error")))
        shown = visits if len(visits) <= 50 else failed  # a province: its failures only
        for v in sorted(shown, key=lambda v: (v.ok, names[v.site_id])):
            table.add_row(names[v.site_id], v.url, yes_no(True) if v.ok
                          else f"[red]{yes_no(False)}[/]", str(v.status or ""),
                          f"{v.elapsed_s:.2f}", reason_text(v.error or "", interface_lang()))
        out.print(table)
    raise typer.Exit(EXIT_OK)


@app.command()
@guarded
@result_options()
def recheck(
    ctx: typer.Context,
    site: Annotated[str, typer.Argument(help="Name or URL of the site.")],
    as_of: AsOfOpt = None, no_evidence: NoEvidenceOpt = False, wait: WaitOpt = False,
    request: OutputRequest | None = None,
) -> None:
    """Re-verify only the site's open problems (the auditor confirming a rectification).

    Fetches the home page and each open problem's page (and what those checks
    ask for), evaluates only the checks that own the problems, and records a
    run with command `recheck`; problems not found again are marked resolved.
    """
    from govsite.recheck import outcome, plan_recheck, run_recheck

    reference = parse_as_of(as_of)
    store = ctx.obj.store
    target = find_site(store, site)
    plan = plan_recheck(store, target)
    if not plan.problems:
        note(msg("{site}: no open problems to recheck", site=target.name))
        raise typer.Exit(EXIT_OK)
    if plan.unavailable:
        note(msg("warning: checks not installed, their problems cannot be rechecked: "
                 "{checks}", checks=", ".join(plan.unavailable)))
    assert request is not None
    if not request.quiet:
        note(msg("{site}: rechecking {count} open problem(s) of {checks} over {pages} page(s)",
                 site=target.name, count=len(plan.problems),
                 checks=", ".join(sorted({p.check for p in plan.problems})),
                 pages=len(plan.seeds)))
    progress = progress_for(request)
    with one_run(store, "recheck", wait):
        run_id = run_recheck(store, ctx.obj.config, plan, as_of=reference,
                             progress=progress, evidence=not no_evidence)
    resolved, persisting, unverified = outcome(store, plan, run_id)
    note(msg("recheck run {run}: {resolved} resolved, {persisting} still present, "
             "{unverified} not verified", run=run_id, resolved=resolved, persisting=persisting,
             unverified=unverified))
    raise typer.Exit(emit(ctx, request, run_id))


@app.command()
@guarded
@result_options()
def rescore(
    ctx: typer.Context,
    run: Annotated[int, typer.Option("--run", help="The stored run to re-evaluate.")],
    config: Annotated[Path | None, typer.Option("--config", help="Rules to apply "
                      "(default: the global --config, else the bundled config.yaml).")]
    = None,
    wait: WaitOpt = False,
    request: OutputRequest | None = None,
) -> None:
    """Re-evaluate a stored run under (changed) rules, without the network.

    The stored run is kept; the re-evaluation is written as a new run with
    command `rescore` that names its source run. Compare the two with
    `govsite report --compare RUN NEW`.
    """
    from govsite.scoring.rescore import rescore_run

    if config is not None:
        ctx.obj.config_path, ctx.obj._config = config, None
    settings = ctx.obj.config
    with one_run(ctx.obj.store, "rescore", wait):
        new_run = rescore_run(ctx.obj.store, settings, run)
    with ctx.obj.store.sessions() as session:
        from govsite.storage.models import Run

        stats = session.get(Run, new_run).stats or {}
    note(msg("run {run} re-scored as run {new} under {source} (config {config}): {changed} "
             "verdict(s) changed; compare: govsite report --compare {run} {new}", run=run,
             new=new_run, source=str(settings.source), config=settings.fingerprint(),
             changed=stats.get("verdicts_changed", 0)))
    raise typer.Exit(emit(ctx, request, new_run))


# ---------------------------------------------------------------- report
@app.command()
@guarded
@result_options(quiet=False)
def report(
    ctx: typer.Context,
    run: Annotated[list[int] | None, typer.Option("--run", help="Run id (default: the "
                   "latest); repeatable for --format notice.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="Quarter for --format "
                      "notice, such as 2022Q3 (default: the latest run's).")] = None,
    compare: Annotated[tuple[int, int] | None, typer.Option(
        "--compare", help="RUN_A RUN_B: problems new in B, resolved, persisting.")] = None,
    request: OutputRequest | None = None,
) -> None:
    """Report stored runs again, in any format, without crawling."""
    assert request is not None
    request = replace(request, period=period, runs=list(run or [])).validate()
    if compare is not None:
        raise typer.Exit(report_compare(ctx, request, *compare))
    if FORMATS[request.fmt].source != "notice":
        if period is not None:
            raise UsageFailure(msg("--period: only with --format notice"))
        if run and len(run) > 1:
            raise UsageFailure(msg("--run: give one run (several only with --format notice)"))
    raise typer.Exit(emit(ctx, request, run[0] if run else None))


def report_compare(ctx: typer.Context, request: OutputRequest, run_a: int, run_b: int) -> int:
    from govsite.reports.compare import build_compare, print_compare, render_table
    from govsite.reports.json_report import render as render_json

    if request.fmt not in ("table", "json"):
        raise UsageFailure(msg("--compare: --format table or json"))
    if request.create_baseline is not None:
        raise UsageFailure(msg("--create-baseline: not with --compare (baseline a run instead)"))
    data = build_compare(ctx.obj.store, run_a, run_b)
    text = render_json(data) if request.fmt == "json" else render_table(data)
    if request.output is not None:
        try:
            request.output.parent.mkdir(parents=True, exist_ok=True)
            request.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageFailure(msg("--output: cannot write {path}: {error}", path=str(request.output),
                                   error=str(exc.strerror))) from None
        print_compare(data, err)
    elif request.fmt == "table":
        print_compare(data, out)
    else:
        sys.stdout.write(text)
    return get_exit_code(data, request.policy)


# ---------------------------------------------------------------- demo
@app.command()
@guarded
def demo(
    ctx: typer.Context,
    fmt: FormatOpt = "table", output: OutputOpt = None, quiet: QuietOpt = False,
    lang: LangOpt = None,
) -> None:
    """Serve the bundled demo estate on loopback, inspect it, report, stop.

    Uses ./govsite-demo.db unless --db is given, so a real registry is untouched.
    """
    from govsite.estate.build import build_estate
    from govsite.estate.registry import write_registry_csv
    from govsite.estate.server import EstateServer
    from govsite.storage.registry import import_sites, read_registry

    request = OutputRequest(fmt, output, quiet, lang).validate()
    if ctx.obj.db_url is None:
        ctx.obj.db_url = "sqlite:///govsite-demo.db"
    ctx.obj._config = demo_config(ctx.obj.config)
    estate = build_estate()
    with EstateServer(estate) as server:
        registry = Path(ctx.obj.store.evidence_root) / "govsite-demo-registry.csv"
        write_registry_csv(server, registry)
        rows, errors = read_registry(registry)
        if errors:
            raise UsageFailure(msg("demo registry is invalid: row {row}: {reason}",
                                   row=errors[0].row_number, reason=errors[0].reason))
        with ctx.obj.store.sessions.begin() as session:
            import_sites(session, rows)
        urls = {row.url for row in rows}
        sites = [s for s in select_sites(ctx.obj.store, []) if s.url in urls]
        if not quiet:
            note(msg("demo estate: {count} sites on loopback, as of {as_of}", count=len(sites),
                     as_of=str(estate.as_of)))
        crawl_and_report(ctx, sites, "crawl", estate.as_of, request)
    raise typer.Exit(EXIT_OK)


def demo_config(config: Config) -> Config:
    """The demo serves its own loopback sites: no need to wait between requests."""
    crawl = config.crawl.model_copy(update={"download_delay_s": 0.0, "autothrottle": False,
                                            "concurrent_per_host": 4})
    return config.model_copy(update={"crawl": crawl})


def main() -> None:
    app()


if __name__ == "__main__":
    main()
