"""One run at a time on a database: a lock row with a heartbeat.

A crawl, check, recheck or rescore takes the lock before it writes a run and
gives it back at its end (also on error and Ctrl-C). While it runs, a thread
renews `heartbeat_at`. A second run finds the lock held and refuses with one
line naming the holder (or waits, `--wait`). A lock whose holder is gone is
taken over: its process no longer exists on this host, or its heartbeat is
older than the lease (a holder on another machine, or a frozen one). Taking
a lock is a compare-and-swap on the one row, so two runs that start together
cannot both win. `govsite probe` takes no lock: it only adds visits.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from govsite.i18n import Message, msg
from govsite.i18n.words import COMMAND_WORDS, word
from govsite.storage.db import Store
from govsite.storage.models import Run, RunLock
from govsite.storage.recorder import utcnow

LEASE_S = 120.0  # a heartbeat older than this: the holder is gone
HEARTBEAT_S = 20.0
WAIT_POLL_S = 5.0
LOCK_ID = 1


class RunLockHeld(Exception):
    """Another run holds the database; the message is one line for the user."""


@dataclass(frozen=True)
class Holder:
    command: str
    run_id: int | None
    host: str
    pid: int
    acquired_at: datetime
    heartbeat_at: datetime

    def describe(self) -> Message:
        since = f"{self.acquired_at:%Y-%m-%d %H:%M:%S}"
        command = word(COMMAND_WORDS, self.command)
        if self.run_id:
            return msg("run {run} ({command}) is running on this database: pid {pid} on "
                       "{host}, since {since} UTC", run=self.run_id, command=command,
                       pid=self.pid, host=self.host, since=since)
        return msg("a {command} is running on this database: pid {pid} on {host}, since "
                   "{since} UTC", command=command, pid=self.pid, host=self.host, since=since)


def _alive_here(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder_gone(holder: Holder, now: datetime, *, lease_s: float = LEASE_S,
                host: str | None = None) -> bool:
    """Whether a lock's holder can no longer be running."""
    if now - holder.heartbeat_at > timedelta(seconds=lease_s):
        return True
    return holder.host == (host or socket.gethostname()) and not _alive_here(holder.pid)


class LockHandle:
    """The lock this process holds; renews its heartbeat until released."""

    def __init__(self, store: Store, holder: Holder, heartbeat_s: float) -> None:
        self.store, self.holder = store, holder
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, args=(heartbeat_s,),
                                        name="govsite-run-lock", daemon=True)
        self._thread.start()

    def _mine(self):  # type: ignore[no-untyped-def]
        h = self.holder
        return (RunLock.id == LOCK_ID) & (RunLock.pid == h.pid) & (RunLock.host == h.host) \
            & (RunLock.acquired_at == h.acquired_at)

    def _beat(self, every_s: float) -> None:
        while not self._stop.wait(every_s):
            # A busy database: the next beat tries again.
            with suppress(Exception), self.store.sessions.begin() as session:
                session.execute(update(RunLock).where(self._mine())
                                .values(heartbeat_at=utcnow()))

    def set_run(self, run_id: int) -> None:
        with self.store.sessions.begin() as session:
            session.execute(update(RunLock).where(self._mine()).values(run_id=run_id))

    def release(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with suppress(Exception), self.store.sessions.begin() as session:
            session.execute(delete(RunLock).where(self._mine()))


def current_holder(store: Store) -> Holder | None:
    """Who holds the lock, with the run it is writing (the newest running run
    started since it took the lock)."""
    with store.sessions() as session:
        row = session.scalar(select(RunLock).where(RunLock.id == LOCK_ID))
        if row is None:
            return None
        run_id = row.run_id or session.scalar(
            select(Run.id).where(Run.status == "running", Run.started_at >= row.acquired_at)
            .order_by(Run.id.desc()).limit(1))
        return Holder(row.command, run_id, row.host, row.pid, row.acquired_at,
                      row.heartbeat_at)


def try_acquire(store: Store, command: str, *, lease_s: float = LEASE_S,
                heartbeat_s: float = HEARTBEAT_S, pid: int | None = None,
                host: str | None = None) -> LockHandle:
    """The lock, or RunLockHeld naming who has it."""
    now = utcnow().replace(microsecond=0)
    mine = Holder(command, None, host or socket.gethostname(), pid or os.getpid(), now, now)
    values = {"command": mine.command, "run_id": None, "host": mine.host, "pid": mine.pid,
              "acquired_at": mine.acquired_at, "heartbeat_at": mine.heartbeat_at}
    try:
        with store.sessions.begin() as session:
            session.add(RunLock(id=LOCK_ID, **values))
        return LockHandle(store, mine, heartbeat_s)
    except IntegrityError:
        pass
    held = current_holder(store)
    if held is None:  # released between the two looks: one more try
        return try_acquire(store, command, lease_s=lease_s, heartbeat_s=heartbeat_s,
                           pid=pid, host=host)
    if not holder_gone(held, now, lease_s=lease_s, host=mine.host):
        raise RunLockHeld(msg("{holder}; wait for it, or give --wait", holder=held.describe()))
    with store.sessions.begin() as session:  # take over only the lock we saw
        taken = session.execute(update(RunLock).where(
            RunLock.id == LOCK_ID, RunLock.pid == held.pid, RunLock.host == held.host,
            RunLock.heartbeat_at == held.heartbeat_at).values(**values))
    if taken.rowcount != 1:
        raise RunLockHeld(msg("another run took the database at the same moment; give --wait"))
    return LockHandle(store, mine, heartbeat_s)


@contextmanager
def run_lock(store: Store, command: str, *, wait: bool = False,
             on_wait: Callable[[str], None] | None = None,
             poll_s: float = WAIT_POLL_S, lease_s: float = LEASE_S) -> Iterator[LockHandle]:
    """Hold the database's run lock for the block; wait for it with `wait`."""
    told = False
    while True:
        try:
            handle = try_acquire(store, command, lease_s=lease_s)
            break
        except RunLockHeld as exc:
            if not wait:
                raise
            if on_wait is not None and not told:
                on_wait(msg("waiting: {reason}", reason=exc.args[0]))
                told = True
            time.sleep(poll_s)
    try:
        yield handle
    finally:
        handle.release()
