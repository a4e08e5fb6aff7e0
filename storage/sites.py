"""Finding sites in the store by what a user types: a name or a URL."""

from __future__ import annotations

from sqlalchemy import select

from govsite.i18n import msg
from govsite.storage.db import Store
from govsite.storage.models import Site
from govsite.storage.recorder import utcnow
from govsite.storage.registry import normalise_url
from govsite.web.urls import host_key


class SiteLookupError(Exception):
    """No site, or more than one, answers to what the user typed; one line."""


def _as_url(selector: str) -> str | None:
    if "." not in selector and "/" not in selector:
        return None
    try:
        return normalise_url(selector)
    except ValueError:
        return selector


def select_sites(store: Store, selectors: list[str]) -> list[Site]:
    """Registered sites named by name or URL (`--site`); all of them when none is named."""
    with store.sessions() as session:
        registered = session.scalars(select(Site).where(Site.registered)
                                     .order_by(Site.id)).all()
    if not selectors:
        if not registered:
            raise SiteLookupError(msg("no sites registered: run `govsite sites import FILE` first"))
        return list(registered)
    chosen: list[Site] = []
    for selector in selectors:
        matches = [s for s in registered if s.name == selector]
        wanted = _as_url(selector) if not matches else None
        if wanted is not None:
            matches = [s for s in registered if s.url == wanted]
        if not matches:
            raise SiteLookupError(msg("--site {site}: no registered site has that name or URL",
                                      site=repr(selector)))
        chosen += [s for s in matches if s not in chosen]
    return chosen


def find_site(store: Store, selector: str) -> Site:
    """One site by name or URL, registered or not (ad-hoc `check` sites too)."""
    with store.sessions() as session:
        matches = session.scalars(select(Site).where(Site.name == selector)
                                  .order_by(Site.id)).all()
        wanted = _as_url(selector) if not matches else None
        if wanted is not None:
            matches = session.scalars(select(Site).where(Site.url == wanted)).all()
    if not matches:
        raise SiteLookupError(msg("site {site}: no site has that name or URL", site=repr(selector)))
    if len(matches) > 1:
        raise SiteLookupError(msg("site {site}: {count} sites have that name; give the URL",
                                  site=repr(selector), count=len(matches)))
    return matches[0]


def site_for_check(store: Store, url: str, name: str | None) -> Site:
    """The site `govsite check URL` inspects: the stored one with that URL, or a
    new unregistered one (kept out of the registry and the notice)."""
    try:
        normalised = normalise_url(url)
    except ValueError as exc:
        raise SiteLookupError(exc.args[0] if exc.args else str(exc)) from None
    with store.sessions.begin() as session:
        site = session.scalar(select(Site).where(Site.url == normalised))
        if site is None:
            site = Site(name=name or host_key(normalised), url=normalised, kind="department",
                        registered=False, created_at=utcnow(), updated_at=utcnow())
            session.add(site)
            session.flush()
    return site
