"""Link-check answers shared by a distributed run's workers (issue 15).

One process asks for a target several sites link to once (crawler/linkcheck.py).
Workers on several machines keep that promise through Redis: the first worker
to need a target claims it (`asking`, with a TTL a little past the request's
timeout) and stores the answer when it comes; another worker needing it meanwhile
waits for the answer instead of asking again, and asks itself only if the
claim lapses unanswered (its worker died). Keys: `govsite:run:<id>:link:<sha1>`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

ASKING = "asking"
ANSWER_KEPT_S = 7 * 86_400  # a run's answers outlive any run

# The answer if there is one; else the claim of another worker; else this one claims it.
_CLAIM = """
local value = redis.call('GET', KEYS[1])
if value then return value end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false
"""


class SharedLinkAnswers:
    def __init__(self, server: Any, run_id: int, claim_s: float) -> None:
        self.server = server
        self.prefix = f"govsite:run:{run_id}:link:"
        self.claim_s = max(1, int(claim_s))
        self._claim = server.register_script(_CLAIM)

    def _key(self, target: str) -> str:
        return self.prefix + hashlib.sha1(target.encode("utf-8", "surrogatepass")).hexdigest()

    def claim(self, target: str) -> dict[str, Any] | str | None:
        """None: this worker asks for the target. ASKING: another worker does.
        A dict: the answer (LinkResult's fields)."""
        value = self._claim(keys=[self._key(target)], args=[ASKING, self.claim_s])
        return None if value is None else _decoded(value)

    def put(self, target: str, result: Any) -> None:
        self.server.set(self._key(target), json.dumps(asdict(result)), ex=ANSWER_KEPT_S)

    def answers(self, targets: list[str]) -> dict[str, dict[str, Any] | str | None]:
        """What is known of targets others are asking for (None: the claim lapsed)."""
        values = self.server.mget([self._key(target) for target in targets])
        return {target: None if value is None else _decoded(value)
                for target, value in zip(targets, values, strict=True)}


def _decoded(value: bytes) -> dict[str, Any] | str:
    text = value.decode()
    return ASKING if text == ASKING else json.loads(text)
