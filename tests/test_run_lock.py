"""One run at a time on a database (storage/lock.py): refuse, wait, take over."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import AS_OF, tight_config

from govsite.storage.db import open_store
from govsite.storage.lock import RunLockHeld, current_holder, run_lock, try_acquire


@pytest.fixture
def store(db_url: str):
    return open_store(db_url)


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert done.returncode == 0
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_second_run_refuses_while_the_first_holds_the_lock(store) -> None:
    first = try_acquire(store, "crawl")
    try:
        with pytest.raises(RunLockHeld) as caught:
            try_acquire(store, "check", pid=first.holder.pid + 1)
        message = str(caught.value)
        assert "crawl" in message and f"pid {first.holder.pid}" in message
        assert "\n" not in message
    finally:
        first.release()
    assert current_holder(store) is None
    try_acquire(store, "check").release()  # free again


def test_a_lock_whose_process_is_gone_is_taken_over(store) -> None:
    stale = try_acquire(store, "crawl", pid=dead_pid())
    stale._stop.set()  # its process is gone: no more heartbeats
    taken = try_acquire(store, "crawl")
    try:
        assert current_holder(store).pid == taken.holder.pid
    finally:
        taken.release()


def test_a_lock_from_another_machine_is_taken_over_after_its_lease(store) -> None:
    remote = try_acquire(store, "crawl", host="other-machine", pid=1)
    remote._stop.set()
    with pytest.raises(RunLockHeld):  # its heartbeat is fresh: still running
        try_acquire(store, "crawl", lease_s=60)
    time.sleep(2.1)  # stored times are to the second
    taken = try_acquire(store, "crawl", lease_s=1)
    try:
        assert current_holder(store).host != "other-machine"
    finally:
        taken.release()


def test_the_heartbeat_keeps_a_long_run_alive(store) -> None:
    handle = try_acquire(store, "crawl", heartbeat_s=0.1)
    try:
        first = current_holder(store).heartbeat_at
        time.sleep(0.5)
        assert current_holder(store).heartbeat_at > first
    finally:
        handle.release()


def test_the_lock_is_given_back_when_the_run_fails(store) -> None:
    with pytest.raises(RuntimeError), run_lock(store, "crawl"):
        raise RuntimeError("the crawl broke")
    assert current_holder(store) is None


def test_wait_takes_the_lock_once_it_is_released(store) -> None:
    first = try_acquire(store, "crawl")
    threading.Timer(0.5, first.release).start()
    said: list[str] = []
    started = time.monotonic()
    with run_lock(store, "crawl", wait=True, poll_s=0.1, on_wait=said.append):
        assert time.monotonic() - started >= 0.4
    assert said and said[0].startswith("waiting: ")


@pytest.mark.slow
def test_a_second_crawl_on_the_same_database_exits_2_naming_the_first(tmp_path: Path,
                                                                       cli, db_url: str) -> None:
    db = db_url
    registry = tmp_path / "sites.csv"
    registry.write_text("name,url,site_code\n某某县人民政府,http://127.0.0.9:9/,5301230001\n",
                        encoding="utf-8")
    config = str(tight_config(tmp_path))
    assert cli("--config", config, "sites", "import", str(registry), db=db).code == 0
    holder = try_acquire(open_store(db), "crawl")
    try:
        refused = cli("--config", config, "crawl", "--as-of", AS_OF, "--quiet",
                      "--no-evidence", db=db, timeout=120)
        assert refused.code == 2, refused.stderr
        assert "is running on this database" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        threading.Timer(4.0, holder.release).start()  # the CLI starts in ~1-2 s
        waited = cli("--config", config, "crawl", "--as-of", AS_OF, "--quiet",
                     "--no-evidence", "--wait", db=db, timeout=120)
        assert waited.code in (0, 1), waited.stderr
        assert "waiting: " in waited.stderr
    finally:
        holder.release()
