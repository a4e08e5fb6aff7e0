"""Logs for cron users: `govsite --log-file FILE` appends each command's start and
exit code, each site's verdict as it is judged, and every error as one line;
`--quiet` keeps stderr to one line per error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import AS_OF, tight_config
from stored_runs import channel_facts, crawl_like_run
from synthetic import invoke

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|ERROR|WARNING) [\w.]+: .+$")


def test_commands_and_their_exit_codes_are_logged(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    run = crawl_like_run(db, facts=channel_facts())
    log = tmp_path / "govsite.log"
    assert invoke("--log-file", str(log), "report", "--run", str(run), db=db).code == 1
    failed = invoke("--log-file", str(log), "findings", "dismiss", "abcdef0123", "--reason",
                    "x", db=db)
    assert failed.code == 2 and len(failed.stderr.strip().splitlines()) == 1
    lines = log.read_text(encoding="utf-8").splitlines()
    assert all(LINE.match(line) for line in lines), lines
    said = [line.split(": ", 1)[1] for line in lines]
    assert said == ["report started", "report finished: exit code 1",
                    "findings dismiss started",
                    "fingerprint 'abcdef0123': no problem has it (govsite findings list shows "
                    "them)",
                    "findings dismiss finished: exit code 2"]
    assert " ERROR govsite.cli: fingerprint" in lines[3]


def test_an_unwritable_log_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = invoke("--log-file", str(tmp_path / "no" / "such" / "dir.log"), "runs", "list",
                    db=tmp_path / "x.db")
    assert result.code == 2 and "--log-file: cannot write" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_quiet_crawl_logs_each_site_and_keeps_stderr_quiet(estate_server, tmp_path: Path,
                                                             cli) -> None:
    log = tmp_path / "crawl.log"
    result = cli("--config", str(tight_config(tmp_path)), "--log-file", str(log), "check",
                 estate_server.base_url("qingxi"), "--as-of", AS_OF, "--quiet",
                 "--no-evidence", db=tmp_path / "ok.db", timeout=180)
    assert result.code == 0, result.stderr
    assert result.stderr == ""  # quiet, and nothing went wrong
    text = log.read_text(encoding="utf-8")
    assert "govsite.progress: crawl started: 1 site(s)" in text
    assert re.search(r"govsite.progress: site 1/1 judged: .+: pass \(\d+ pages, 0 errors so far\)",
                     text)
    assert re.search(r"crawl finished: 1/1 site\(s\), \d+ page\(s\), 0 error\(s\)", text)
    assert text.rstrip().endswith("check finished: exit code 0")


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", ("检查", "2/3", "个网站 · 页面3个 · 错误1个 · 最近完成：白河县人民政府（不合格）")),
    ("en", ("inspecting", "2/3", "sites · 3 pages · 1 errors · last: 白河县人民政府 (unqualified)")),
])
def test_the_progress_line_names_the_last_site_judged_in_the_interfaces_language(
        lang: str, said: tuple[str, ...]) -> None:
    import io

    from rich.console import Console

    from govsite.crawler.progress import RichProgress

    screen = io.StringIO()
    progress = RichProgress(Console(file=screen, width=200, force_terminal=False), lang)
    progress.start(3)
    for failed in (False, True, False):
        progress.page(failed)
    progress.site_done("清溪县人民政府", "pass")
    progress.site_done("白河县人民政府", "fail")
    progress.stop()
    shown = screen.getvalue()
    assert all(part in shown for part in said), shown
