"""The shipped schedule (deploy/): its systemd units and crontab run the same commands,
and those commands work as written: the monthly one continues a run a kill
interrupted, and starts a new one when none was."""

from __future__ import annotations

import configparser
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import count, tight_config

from govsite.estate import write_registry_csv

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
INSTALLED = "/opt/govsite/.venv/bin/govsite"
CONFIG = "/etc/govsite/config.yaml"
REPORT = "/var/lib/govsite/reports/latest.json"
LOG = "/var/lib/govsite/govsite.log"


def unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


def cron_commands() -> dict[str, str]:
    """Schedule -> command of each line of the crontab (the user field dropped)."""
    commands = {}
    for line in (DEPLOY / "cron" / "govsite").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "=" in line.split()[0]:
            continue
        fields = line.split()
        when = fields[0] if fields[0].startswith("@") else " ".join(fields[:5])
        rest = fields[1:] if fields[0].startswith("@") else fields[5:]
        commands[when] = " ".join(rest[1:]).removeprefix("cd /var/lib/govsite && ")
    return commands


def test_the_units_and_the_crontab_run_the_same_commands() -> None:
    crawl, probe = unit("govsite-crawl.service"), unit("govsite-probe.service")
    cron = cron_commands()
    assert cron["0 2 1 * *"] == crawl["Service"]["ExecStart"]
    assert cron["0 * * * *"] == probe["Service"]["ExecStart"]
    assert cron["@reboot"] == crawl["Service"]["ExecStart"].replace("--continue", "--resume")
    assert "--continue" in crawl["Service"]["ExecStart"]
    environment = (DEPLOY / "cron" / "govsite").read_text(encoding="utf-8")
    for service in (crawl, probe):
        assert f"{service['Service']['Environment']}\n" in environment
    assert unit("govsite-crawl.timer")["Timer"]["OnCalendar"] == "*-*-01 02:00:00"
    assert unit("govsite-crawl.timer")["Timer"]["Persistent"] == "true"
    assert unit("govsite-probe.timer")["Timer"]["OnCalendar"] == "hourly"


def shipped(command: str, config: Path, report: Path) -> list[str]:
    """The shipped command line, run from this checkout with the test's config
    (the report and the log beside it)."""
    argv = shlex.split(command)
    assert argv[0] == INSTALLED
    paths = {CONFIG: str(config), REPORT: str(report), LOG: str(report.with_name("govsite.log"))}
    return [sys.executable, "-m", "govsite.cli", *(paths.get(arg, arg) for arg in argv[1:])]


@pytest.mark.slow
def test_the_shipped_monthly_command_continues_a_killed_run(estate_server,
                                                            tmp_path: Path) -> None:
    registry = write_registry_csv(estate_server, tmp_path / "all.csv")
    lines = registry.read_text(encoding="utf-8").splitlines()
    (tmp_path / "two.csv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    config = tight_config(tmp_path, concurrent_per_host=1)
    db = tmp_path / "govsite.db"
    report = tmp_path / "latest.json"
    env = {**os.environ, "GOVSITE_DB": f"sqlite:///{db}", "GOVSITE_LANG": "en"}
    monthly = shipped(unit("govsite-crawl.service")["Service"]["ExecStart"], config, report)
    probe = shipped(unit("govsite-probe.service")["Service"]["ExecStart"], config, report)

    def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)

    assert run([sys.executable, "-m", "govsite.cli", "sites", "import",
                str(tmp_path / "two.csv")]).returncode == 0
    first = subprocess.Popen(monthly, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while count(db, "select count(*) from pages") < 20 and time.monotonic() < deadline:
        assert first.poll() is None, "the monthly run ended before it could be killed"
        time.sleep(0.1)
    os.killpg(first.pid, signal.SIGKILL)  # the machine went down mid-run
    first.wait(timeout=30)

    second = run(monthly)
    assert second.returncode in (0, 1), second.stderr
    assert "resuming run 1" in second.stderr
    assert len(json.loads(report.read_text(encoding="utf-8"))["sites"]) == 2
    third = run(monthly)  # next month: nothing interrupted, a new run
    assert third.returncode in (0, 1), third.stderr
    assert "a new one starts" in third.stderr
    assert count(db, "select count(*) from runs where status = 'done'") == 2
    assert run(probe).returncode == 0
    log = (tmp_path / "govsite.log").read_text(encoding="utf-8")  # what a cron user reads
    assert log.count("cli: crawl started") == 3 and log.count("cli: crawl finished: exit code") == 2
    assert "resuming run 1" in log and "no interrupted crawl: a new one starts" in log
