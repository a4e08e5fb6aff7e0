"""A run's sites shared by any number of workers through Redis (issue 15).

A site is the unit of work: one worker crawls a site from its first page to
its judgement, so the site's politeness (one host's requests paced by one
Scrapy slot), bounds and judgement stay whole. Workers take sites from a
Redis list fed like scrapy-redis feeds a spider (`crawl --redis` seeds it,
`govsite worker` takes from it). A taken site is leased: the lease lives
`lease_s` seconds and the worker renews it while it crawls. A worker killed
mid-site stops renewing; when its lease lapses, any worker puts the site
back in the queue, and whoever takes it resumes it from the run's response
journal in the shared database. Every step is one Lua script, so a kill
between two Redis calls cannot lose or double a site.

Keys, under `govsite:run:<id>:`: `queue` (list of site ids), `held` (hash
site -> worker), `lease:<site>` (worker, with a TTL), `done` (set), `total`,
`finisher` (the worker that finishes the run), and for the run's statistics
`judged_by` and `replayed` (hashes worker -> count).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

from scrapy_redis.connection import get_redis

RUNS_KEY = "govsite:runs"  # the seeded runs, newest last

# Pop a site and lease it to the worker, in one step.
_TAKE = """
local site = redis.call('LPOP', KEYS[1])
if not site then return false end
redis.call('HSET', KEYS[2], site, ARGV[1])
redis.call('SET', KEYS[3] .. site, ARGV[1], 'EX', ARGV[2])
return site
"""
# Renew the worker's leases; return those it no longer holds.
_RENEW = """
local lost = {}
for i, site in ipairs(ARGV) do
  if i > 2 then
    if redis.call('HGET', KEYS[1], site) == ARGV[1] then
      redis.call('SET', KEYS[2] .. site, ARGV[1], 'EX', ARGV[2])
    else
      table.insert(lost, site)
    end
  end
end
return lost
"""
# A site is judged once: the first worker to say so marks it done.
_FINISH = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3] .. ARGV[1])
redis.call('HINCRBY', KEYS[4], ARGV[2], 1)
return 1
"""
# Sites held under a lapsed lease go back to the front of the queue.
_RECLAIM = """
local back = {}
local held = redis.call('HGETALL', KEYS[1])
for i = 1, #held, 2 do
  local site = held[i]
  if redis.call('EXISTS', KEYS[2] .. site) == 0 then
    redis.call('HDEL', KEYS[1], site)
    if redis.call('SISMEMBER', KEYS[4], site) == 0 then
      redis.call('LPUSH', KEYS[3], site)
      table.insert(back, site)
    end
  end
end
return back
"""


def worker_name() -> str:
    """Unique per process, readable in `held`: host, pid and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class SiteQueue:
    """One run's shared sites, seen from one worker."""

    redis_url: str
    run_id: int
    lease_s: int = 60
    worker: str = field(default_factory=worker_name)

    def __post_init__(self) -> None:
        self.server: Any = get_redis(url=self.redis_url)
        self._take = self.server.register_script(_TAKE)
        self._renew = self.server.register_script(_RENEW)
        self._finish = self.server.register_script(_FINISH)
        self._reclaim = self.server.register_script(_RECLAIM)

    def key(self, name: str) -> str:
        return f"govsite:run:{self.run_id}:{name}"

    # -- the seeder --------------------------------------------------------
    def seed(self, site_ids: list[int]) -> None:
        """Offer the run's sites to the workers (a new run: nothing to clear)."""
        with self.server.pipeline() as pipe:
            pipe.delete(*(self.key(name) for name in ("queue", "held", "done", "finisher",
                                                      "judged_by", "replayed")))
            if site_ids:
                pipe.rpush(self.key("queue"), *site_ids)
            pipe.set(self.key("total"), len(site_ids))
            pipe.rpush(RUNS_KEY, self.run_id)
            pipe.execute()

    # -- a worker ----------------------------------------------------------
    def take(self, count: int) -> list[int]:
        """Up to `count` sites, leased to this worker."""
        taken = []
        for _ in range(count):
            site = self._take(keys=[self.key("queue"), self.key("held"), self.key("lease:")],
                              args=[self.worker, self.lease_s])
            if site is None:
                break
            taken.append(int(site))
        return taken

    def renew(self, site_ids: list[int]) -> list[int]:
        """Keep this worker's leases alive; the sites it lost (its lease lapsed
        and another worker took them) come back."""
        if not site_ids:
            return []
        lost = self._renew(keys=[self.key("held"), self.key("lease:")],
                           args=[self.worker, self.lease_s, *site_ids])
        return [int(site) for site in lost]

    def finish(self, site_id: int) -> bool:
        """Mark the site done; False when another worker already had."""
        return bool(self._finish(keys=[self.key("done"), self.key("held"), self.key("lease:"),
                                       self.key("judged_by")], args=[site_id, self.worker]))

    def reclaim(self) -> list[int]:
        """Put back in the queue the sites whose worker stopped renewing."""
        back = self._reclaim(keys=[self.key("held"), self.key("lease:"), self.key("queue"),
                                   self.key("done")])
        return [int(site) for site in back]

    def holder(self, site_id: int) -> str | None:
        """The worker holding the site, or None."""
        holder = self.server.hget(self.key("held"), site_id)
        return holder.decode() if holder is not None else None

    # -- the run's state ---------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.server.pipeline() as pipe:
            pipe.get(self.key("total"))
            pipe.llen(self.key("queue"))
            pipe.hlen(self.key("held"))
            pipe.scard(self.key("done"))
            total, queued, held, done = pipe.execute()
        return {"total": int(total or 0), "queued": queued, "held": held, "done": done}

    def note_replayed(self, count: int) -> None:
        """Answers this worker read from the journal instead of fetching them."""
        if count:
            self.server.hincrby(self.key("replayed"), self.worker, count)

    def workers(self) -> dict[str, dict[str, int]]:
        """Per worker: the sites it judged and the answers it read from the journal."""
        judged = self.server.hgetall(self.key("judged_by"))
        replayed = self.server.hgetall(self.key("replayed"))
        names = {name.decode() for name in [*judged, *replayed]}
        return {name: {"sites": int(judged.get(name.encode(), 0)),
                       "journal_replayed": int(replayed.get(name.encode(), 0))}
                for name in sorted(names)}

    def complete(self) -> bool:
        counts = self.counts()
        return counts["done"] >= counts["total"]

    def claim_finish(self, hold_s: int = 3600) -> bool:
        """The one worker that finishes the run (evidence, statistics, status);
        should it die doing so, another may after `hold_s`."""
        return bool(self.server.set(self.key("finisher"), self.worker, nx=True, ex=hold_s))

    def seeded(self) -> bool:
        return bool(self.server.exists(self.key("total")))


def newest_run(redis_url: str) -> int | None:
    """The newest run seeded in this Redis, or None."""
    newest = get_redis(url=redis_url).lindex(RUNS_KEY, -1)
    return int(newest) if newest is not None else None
