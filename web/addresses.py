"""Which network addresses a site's crawl may reach: scope by address class.

A public government site's pages may link (or redirect) to a cloud metadata
service (169.254.169.254), a private intranet host or the inspector's own
machine. govsite never requests those: an inspector fetching them would leak
or probe what is not the site's to show. The one exception is the class a
registered site itself lives on: a site registered on loopback (the tests'
estates) or on an intranet may reach its own kind of address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Literal
from urllib.parse import urlsplit

AddressClass = Literal["public", "loopback", "private", "link-local", "reserved"]
PUBLIC: frozenset[str] = frozenset({"public"})
# Carrier-grade NAT space is not a public address either (RFC 6598).
_SHARED = ipaddress.ip_network("100.64.0.0/10")

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_class(ip: str | IP) -> AddressClass:
    """The class of one address; IPv4-mapped IPv6 addresses are read as IPv4."""
    address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return "private"
    if address.is_private and not (address.is_unspecified or address.is_reserved):
        return "private"
    if address.is_global and not address.is_multicast:
        return "public"
    return "reserved"  # multicast, unspecified, documentation, benchmarking …


def literal_address(host: str) -> IP | None:
    """The address when a URL's host is written as one (`10.0.0.1`, `[::1]`)."""
    host = host.strip("[]")
    if not host or not (host[0].isdigit() or ":" in host):
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def allowed_classes(hosts: Iterable[str]) -> frozenset[str]:
    """Public addresses, plus the class of each registered host written as an address."""
    classes = set(PUBLIC)
    for host in hosts:
        address = literal_address(urlsplit("//" + host).hostname or "")
        if address is not None:
            classes.add(address_class(address))
    return frozenset(classes)


def may_be_refused(url: str) -> bool:
    """A cheap first look (the crawl asks for every link): is the host written
    as an address, or the scheme other than http(s)? Only then call `refusal`."""
    head, sep, rest = url.partition("://")
    if not sep or head.lower() not in ("http", "https"):
        return True
    return rest[:1].isdigit() or rest[:1] == "["


def refusal(url: str, allowed: frozenset[str]) -> str | None:
    """Why this URL must not be requested (one line), or None when it may be.

    Only what the URL itself says is judged here (its scheme, an address as its
    host); a name that resolves to such an address is refused at resolution."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'!r} is not http(s)"
    address = literal_address(parts.hostname or "")
    if address is None:
        return None
    kind = address_class(address)
    if kind in allowed:
        return None
    return f"{address} is a {kind} address, outside a public site's scope"
