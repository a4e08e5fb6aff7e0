"""A crawl's stored evidence without a crawl: one site's home page (and any facts a
test gives), written through RunRecorder and judged by every enabled check
(scoring.judge.judge_and_record), as a crawl does at a site's end."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from govsite.checks.registry import enabled_checks
from govsite.config import load_config
from govsite.scoring.judge import judge_and_record
from govsite.storage.db import open_store
from govsite.storage.models import Site
from govsite.storage.recorder import RunRecorder, site_info, utcnow

AS_OF = date(2026, 11, 16)
URL = "http://www.qingshan.gov.cn/"
NAME = "青山县人民政府"
CONTACT = "webmaster@qingshan.gov.cn"

# The channels a site's pages linked to: a petition channel (never counts) and a
# mailbox whose page was never fetched.
CANDIDATES = [{"url": "http://www.qingshan.gov.cn/xf/", "text": "网上信访", "kind": "excluded"},
              {"url": "http://www.qingshan.gov.cn/xx/", "text": "县长信箱",
               "kind": "consultation"}]


def crawl_like_run(db: Path, as_of: date = AS_OF, *, url: str = URL, name: str = NAME,
                   region: str = "云南省", kind: str = "portal", contact: str | None = CONTACT,
                   facts: list[tuple[str, str, str, dict[str, Any]]] = (),  # type: ignore[assignment]
                   command: str = "crawl") -> int:
    """A run of one site: the home page opened (200), plus these (check, url, kind,
    data) facts; every enabled check judges it. Returns the run's id."""
    store = open_store(f"sqlite:///{db}")
    with store.sessions.begin() as session:
        site = session.query(Site).filter_by(url=url).one_or_none()
        if site is None:
            site = Site(name=name, url=url, kind=kind, region=region, registered=True,
                        contact_email=contact, created_at=utcnow(), updated_at=utcnow())
            session.add(site)
            session.flush()
        info = site_info(site)
    config = load_config()
    recorder = RunRecorder.start_run(store, config, command, as_of, [info.id])
    recorder.add_page({"site_id": info.id, "url": url, "final_url": url, "status": 200,
                       "content_type": "text/html", "depth": 0, "purpose": "crawl",
                       "fetched_at": utcnow(), "title": name, "size": 100, "rendered": False})
    for check, fact_url, fact_kind, data in facts:
        recorder.add_fact(info.id, check, fact_url, fact_kind, data)
    judge_and_record(recorder, info, enabled_checks(config), as_of)
    recorder.finish_run("done", {})
    store.engine.dispose()
    return recorder.run_id


def channel_facts() -> list[tuple[str, str, str, dict[str, Any]]]:
    return [("consultation-channel", URL, "candidate", c) for c in CANDIDATES]


def working_channel_facts() -> list[tuple[str, str, str, dict[str, Any]]]:
    """The site rectified: its home page itself carries a message form."""
    return [("consultation-channel", URL, "candidate",
             {"url": URL, "text": "县长信箱", "kind": "consultation"}),
            ("consultation-channel", URL, "channel-page",
             {"form": True, "messages": False, "maintenance": None, "next": []})]
