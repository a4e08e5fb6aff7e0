"""The response journal's read side: what an interrupted run had received.

The crawl writes each response through the run's recorder (RunRecorder.add_response);
a resume looks up what it may read again instead of fetching
(crawler/journal.py). See storage/resume.py for the run-level view.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select

from govsite.storage.db import Store
from govsite.storage.models import JournalEntry


def journal_index(store: Store, run_id: int, site_ids: Collection[int], *,
                  unowned: bool = True) -> dict[str, list[int]]:
    """Request key -> its journal entries in the order they were received, for
    the given sites and (`unowned`) for Scrapy's own requests (robots.txt, kept
    under no site). One key may have several: a retried 503 and the 200 that
    followed, Scrapy's robots.txt request and a check's."""
    owners = JournalEntry.site_id.in_(list(site_ids))
    query = (select(JournalEntry.key, JournalEntry.id)
             .where(JournalEntry.run_id == run_id,
                    or_(owners, JournalEntry.site_id.is_(None)) if unowned else owners)
             .order_by(JournalEntry.id))
    index: dict[str, list[int]] = {}
    with store.sessions() as session:
        for key, entry_id in session.execute(query):
            index.setdefault(key, []).append(entry_id)
    return index


def journal_entry(store: Store, entry_id: int) -> JournalEntry | None:
    with store.sessions() as session:
        entry = session.get(JournalEntry, entry_id)
        if entry is not None:
            session.expunge(entry)
        return entry
