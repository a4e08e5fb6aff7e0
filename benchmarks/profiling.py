"""Profile a govsite crawl with py-spy and summarise where the main thread's time goes.

py-spy samples the running `govsite crawl` from outside (`--idle` so that
waiting on the network counts, `--threads` so the main thread can be told
apart). Each sample's stack counts once towards every function on it
(cumulative) and towards its innermost frame (self). Groups add up the
samples whose stack passes through any of a few named functions, e.g. the
evaluation step (`scoring.judge.judge_and_record`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FRAME = re.compile(r"^(?P<name>.*) \((?P<path>.*?)(?::(?P<line>\d+))?\)$")

# What the report groups samples by: label -> patterns. A pattern is a function-name suffix,
# "path:X" (a frame from a file under a folder X), or "!NAME" (the stack must not pass NAME).
GROUPS: dict[str, tuple[str, ...]] = {
    "evaluation step (judge_and_record)": ("judge_and_record",),
    "  of it: load evidence": ("load_evidence",),
    "  of it: checks' evaluate": ("evaluate_site",),
    "  of it: write findings/verdict": ("write_result",),
    "spider callback (parse_page)": ("parse_page",),
    "  act on a reading (_apply)": ("_apply",),
    "page reading (read_page; in the workers)": ("read_page",),
    "  HTML parse (parse_html)": ("parse_html",),
    "  link list (page_links)": ("page_links",),
    "    urljoin in resolve()": ("resolve",),
    "  follow links (_follow_links)": ("_follow_links",),
    "    canonical()": ("canonical",),
    "    host_key()": ("host_key",),
    "  decode_body": ("decode_body",),
    "  render detection (render_reason)": ("render_reason",),
    "  checks' wants()": ("wants",),
    "  checks' extract()": ("extract",),
    "  store rows (add_page/add_fact/flush)": ("add_page", "add_fact", "RunRecorder.flush"),
    "Scrapy: spider output (_parallel_asyncio)": ("_parallel_asyncio",),
    "Scrapy: download (Downloader._download)": ("Downloader._download",),
    "rendering in the browser (Playwright)": ("path:scrapy_playwright", "path:playwright",
                                              "!_find_and_load"),
    "idle (event loop waiting)": ("select", "epoll.poll", "EpollSelector.select"),
    "start-up (imports)": ("_find_and_load",),
    "report (build_report)": ("build_report",),
}


@dataclass
class Profile:
    samples: int = 0
    cumulative: Counter[str] = field(default_factory=Counter)
    self_time: Counter[str] = field(default_factory=Counter)
    groups: dict[str, int] = field(default_factory=dict)
    raw_path: Path | None = None
    error: str | None = None

    def share(self, key: str) -> float:
        return self.cumulative.get(key, 0) / self.samples if self.samples else 0.0

    def group_share(self, label: str) -> float:
        return self.groups.get(label, 0) / self.samples if self.samples else 0.0


def find_py_spy(python: str) -> str | None:
    beside = Path(python).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def py_spy_command(binary: str, output: Path, rate: int = 100) -> list[str]:
    return [binary, "record", "--idle", "--threads", "--subprocesses", "--rate", str(rate),
            "--format", "raw", "--output", str(output), "--"]


def _package_dir() -> str:
    import govsite

    return Path(govsite.__file__).resolve().parent.name


PACKAGE_DIR = _package_dir()


def short(path: str) -> str:
    """site-packages/x/y.py -> x/y.py; the govsite tree (py-spy names it by its folder,
    e.g. main/cli.py) -> govsite/cli.py."""
    path = re.sub(r".*/site-packages/", "", path)
    path = re.sub(r".*/lib/python3\.\d+/", "", path)
    for prefix in (f"/{PACKAGE_DIR}/", f"{PACKAGE_DIR}/"):
        at = path.find(prefix)
        if at == 0 or (at > 0 and prefix.startswith("/")):
            return "govsite/" + path[at + len(prefix):]
    return path


def per_check(profile: Profile) -> list[tuple[str, float]]:
    """Cumulative share of each check's wants() and extract() (checks/*.py)."""
    found: dict[str, int] = {}
    for key, count in profile.cumulative.items():
        name, _, where = key.partition(" (")
        if "govsite/checks/" in where and name.rsplit(".", 1)[-1] in ("wants", "extract"):
            found[key] = count
    return sorted(((k, v / profile.samples) for k, v in found.items()), key=lambda kv: -kv[1])


def frame_key(frame: str) -> str:
    match = FRAME.match(frame)
    if not match:
        return frame
    return f"{match.group('name')} ({short(match.group('path'))})"


def analyse(raw: Path, thread: str = "MainThread", role: str = "crawl") -> Profile:
    """Read py-spy's raw (collapsed) output: `[process pid:"cmd";]... thread (tid):
    Name;frame;frame N` lines. `role`: "crawl" keeps the crawl process's samples,
    "workers" those of its analysis workers (spawned children, summed)."""
    profile = Profile(raw_path=raw)
    if not raw.exists():
        profile.error = "py-spy wrote no output"
        return profile
    group_hits: Counter[str] = Counter()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        processes = []
        while (match := _PROCESS.match(stack)) is not None:  # command lines may hold ";"
            processes.append(match.group(0))
            stack = stack[match.end():]
        if processes and _role(processes) != role:
            continue
        frames = stack.split(";")
        if frames and frames[0].startswith("thread ("):
            if thread not in frames[0]:
                continue
            frames = frames[1:]
        n = int(count)
        profile.samples += n
        keys = [frame_key(f) for f in frames]
        for key in set(keys):
            profile.cumulative[key] += n
        if keys:
            profile.self_time[keys[-1]] += n
        names = {k.split(" (", 1)[0] for k in keys}
        for label, patterns in GROUPS.items():
            wanted = [p for p in patterns if not p.startswith("!")]
            unwanted = [p[1:] for p in patterns if p.startswith("!")]
            if any(_matches(p, names, keys) for p in wanted) and \
                    not any(_matches(p, names, keys) for p in unwanted):
                group_hits[label] += n
    profile.groups = dict(group_hits)
    return profile


_PROCESS = re.compile(r'process \d+:"[^"]*";')


def _role(processes: list[str]) -> str:
    """crawl: the process py-spy started; workers: the spawned page readers."""
    if len(processes) == 1:
        return "crawl"
    return "workers" if "spawn_main" in processes[-1] else "other"


def _matches(pattern: str, names: set[str], keys: list[str]) -> bool:
    if pattern.startswith("path:"):
        needle = pattern[5:]
        return any(f"({needle}" in key or f"/{needle}/" in key for key in keys)
    return any(name.endswith(pattern) for name in names)


def top(counter: Counter[str], samples: int, n: int = 15,
        skip: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    found = []
    for key, count in counter.most_common():
        if any(s in key for s in skip):
            continue
        found.append((key, count / samples if samples else 0.0))
        if len(found) >= n:
            break
    return found


# Frames every sample passes through: the CLI, typer and the reactor loop.
PLUMBING = ("<module>", "Typer.", "Command.", "TyperGroup.", "Context.invoke", "_main (typer",
            "get_callback", "guarded.", "main (govsite", "crawl (govsite", "crawl_and_report",
            "run_inspection", "CrawlerProcess.start", "run_forever", "_run_once",
            "AsyncioSelectorReactor.run", "Handle._run", "thread (")


def record(command: list[str], py_spy: str, output: Path, log: Path, rate: int = 100,
           timeout_s: float = 1800, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run `command` under py-spy; return (exit code, last lines of py-spy's output)."""
    with log.open("wb") as handle:
        done = subprocess.run([*py_spy_command(py_spy, output, rate), *command], stdout=handle,
                              stderr=subprocess.STDOUT, timeout=timeout_s, env=env, check=False)
    return done.returncode, log.read_text(errors="replace").strip()[-300:]
