"""Run one tool as a child process and measure it: wall time, CPU of its tree, peak RSS.

CPU is user+sys of the whole process tree, from `getrusage(RUSAGE_CHILDREN)`
before and after the tool (every descendant that was waited for counts, so a
browser the tool started and reaped is included), with psutil's sampled
figure as a floor for descendants that were never reaped. Peak RSS is the
largest sum of RSS over the tree, sampled every `interval` seconds.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil


@dataclass
class Measurement:
    command: list[str]
    returncode: int
    wall_s: float
    cpu_user_s: float
    cpu_sys_s: float
    peak_rss_bytes: int
    timed_out: bool = False
    samples: int = 0
    peak_pss_bytes: int = 0  # proportional set size: memory shared between processes once
    server_cpu_s: float = 0.0  # nginx's CPU during the run
    stdout_path: Path | None = None
    stderr_path: Path | None = None
    rss_timeline: list[tuple[float, int]] = field(default_factory=list, repr=False)

    @property
    def cpu_s(self) -> float:
        return self.cpu_user_s + self.cpu_sys_s

    @property
    def peak_rss_mb(self) -> float:
        return self.peak_rss_bytes / 2**20


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return [root]


def _cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


def run_measured(command: list[str], *, out_dir: Path, label: str, env: dict[str, str] | None = None,
                 cwd: Path | None = None, timeout_s: float | None = None, interval: float = 0.1,
                 server_pids: list[int] | None = None) -> Measurement:
    """Run `command` to completion (or `timeout_s`), sampling its tree; stdout/err go to files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stdout_path = out_dir / f"{label}.out"
    stderr_path = out_dir / f"{label}.err"
    server_before = _cpu_of(server_pids or [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = peak_pss = 0
    samples = 0
    sampled_cpu: dict[int, float] = {}
    timeline: list[tuple[float, int]] = []
    timed_out = False
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   env=env, cwd=cwd, start_new_session=True)
        root = psutil.Process(process.pid)
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak, peak_pss, samples
            while not stop.is_set():
                total = 0
                tree = _tree(root)
                for proc in tree:
                    with contextlib.suppress(psutil.Error):
                        info = proc.as_dict(["memory_info", "cpu_times"])
                        total += info["memory_info"].rss
                        times = info["cpu_times"]
                        sampled_cpu[proc.pid] = times.user + times.system
                if len(tree) > 1 and samples % 10 == 0:  # smaps is slow: once a second
                    pss = 0
                    for proc in tree:
                        with contextlib.suppress(psutil.Error, AttributeError):
                            pss += proc.memory_full_info().pss
                    peak_pss = max(peak_pss, pss)
                samples += 1
                if total > peak:
                    peak = total
                timeline.append((time.perf_counter() - start, total))
                stop.wait(interval)

        sampler = threading.Thread(target=sample, name=f"sample-{label}", daemon=True)
        sampler.start()
        try:
            returncode = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            returncode = process.wait()
        except BaseException:
            _kill_group(process)
            process.wait()
            raise
        finally:
            wall = time.perf_counter() - start
            stop.set()
            sampler.join(timeout=5)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    floor = sum(sampled_cpu.values())
    if floor > user + system:  # descendants that were never reaped by their parents
        user += floor - (user + system)
    return Measurement(command, returncode, wall, user, system, peak, timed_out, samples,
                       peak_pss, _cpu_of(server_pids or []) - server_before, stdout_path,
                       stderr_path, timeline[:: max(1, len(timeline) // 400)])


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the tool's own process group, then SIGKILL after a grace period."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
