"""How a site answers over TLS: one look per site per run, for the `https` check.

Scrapy fetches HTTPS pages without verifying certificates (an expired
certificate must not hide a site's pages from the other checks), so the
certificate is judged here, once, the way a visitor's browser judges it: a
verified handshake against the system's trust store (or `checks.https.ca_bundle`),
and whether the plain-HTTP home page sends visitors to HTTPS. The result is a
fact of the `https` check; evaluation stays offline.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from govsite.i18n import msg
from govsite.web.addresses import allowed_classes, refusal

TLS_FACT = "tls"


def _origin(scheme: str, host: str, port: int | None) -> str:
    default = {"http": 80, "https": 443}[scheme]
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + (f":{port}" if port and port != default else "") + "/"


def _plain_answer(url: str, timeout_s: float, user_agent: str) -> tuple[int | None, str | None,
                                                                          str | None]:
    """(status, Location, error) of one HEAD of a plain-HTTP URL, redirects not followed
    (HEAD: the redirect is in the headers; the page itself is the crawl's to fetch)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80,
                                            timeout=timeout_s)
    try:
        connection.request("HEAD", parts.path or "/", headers={"User-Agent": user_agent})
        response = connection.getresponse()
        return response.status, response.getheader("Location"), None
    except (OSError, http.client.HTTPException) as exc:
        return None, None, f"{type(exc).__name__}: {exc}"[:200]
    finally:
        connection.close()


def _handshake(host: str, port: int, timeout_s: float, cafile: str | None) -> dict[str, Any]:
    """A verified TLS handshake, as a browser makes it; what went wrong if it failed."""
    context = ssl.create_default_context(cafile=cafile or None)
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            cert = tls.getpeercert() or {}
            not_after = cert.get("notAfter")
            return {"tls": "ok", "not_after": _iso(not_after) if not_after else None}
    except ssl.SSLCertVerificationError as exc:
        return {"tls": "invalid", "reason": _reason(exc), "error": str(exc)[:300]}
    except ssl.SSLError as exc:
        return {"tls": "error", "error": msg("TLS error: {detail}", detail=str(exc)[:300])}
    except ConnectionRefusedError:
        return {"tls": "refused", "error": msg("nothing answers on port {port}", port=port)}
    except TimeoutError:
        return {"tls": "error", "error": msg("no answer within {seconds} s",
                                                  seconds=f"{timeout_s:g}")}
    except OSError as exc:
        return {"tls": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}


def _reason(exc: ssl.SSLCertVerificationError) -> str:
    message = (exc.verify_message or str(exc)).lower()
    if "expired" in message:
        return "expired"
    if "not yet valid" in message:
        return "not-yet-valid"
    if "self-signed" in message or "self signed" in message:
        return "self-signed"
    if "mismatch" in message or "not valid for" in message:
        return "wrong-host"
    return "untrusted"


def _iso(stamp: str) -> str:
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(stamp), UTC).date().isoformat()


def inspect_site(url: str, *, timeout_s: float, cafile: str | None,
                 user_agent: str) -> dict[str, Any]:
    """The TLS fact of one registered site (never raises)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    data: dict[str, Any] = {"registered": url}
    if parts.scheme == "https":
        https_url = _origin("https", host, parts.port)
        http_url = _origin("http", host, None)
    else:
        http_url = _origin("http", host, parts.port)
        https_url = _origin("https", host, None)
    status, location, error = _plain_answer(http_url, timeout_s, user_agent)
    target = urljoin(http_url, location) if location else None
    data.update({"http_url": http_url, "http_status": status, "http_error": error,
                 "redirects_to": target})
    if status is not None and 300 <= status < 400 and target and target.startswith("https://"):
        data["redirects_to_https"] = True
        https_url = _origin("https", urlsplit(target).hostname or host, urlsplit(target).port)
    elif status is not None and 200 <= status < 300:
        data["redirects_to_https"] = False  # the page itself, over plain HTTP
    else:
        data["redirects_to_https"] = None  # no answer, an error, HEAD refused: not judged
    https = urlsplit(https_url)
    data["https_url"] = https_url
    out_of_scope = refusal(https_url, allowed_classes([parts.netloc]))
    if out_of_scope is not None:  # a redirect to a metadata or private address
        data.update({"tls": "error", "error": msg("not inspected: {reason}",
                                                         reason=out_of_scope)})
        return data
    data.update(_handshake(https.hostname or host, https.port or 443, timeout_s, cafile))
    return data


def record_tls(recorder: Any, checks: list[Any], sites: dict[int, str],
               user_agent: str) -> None:
    """When the `https` check is on: inspect every site of the run, store the facts."""
    store_tls(recorder, sites, tls_facts(checks, sites, user_agent))


def tls_facts(checks: list[Any], sites: dict[int, str],
              user_agent: str) -> list[tuple[int, str, dict[str, Any]]]:
    """(site id, check id, fact) of every site when the `https` check is on; safe
    in any thread (it only looks)."""
    check = next((c for c in checks if c.id == "https"), None)
    if check is None:
        return []
    settings = check.settings
    found = inspect_sites(sites, timeout_s=settings.timeout_s, cafile=settings.ca_bundle or None,
                          user_agent=user_agent)
    return [(site_id, check.id, data) for site_id, data in found.items()]


def store_tls(recorder: Any, sites: dict[int, str],
              facts: list[tuple[int, str, dict[str, Any]]]) -> None:
    """The facts into the run's recorder (in the thread that owns it)."""
    for site_id, check_id, data in facts:
        recorder.add_fact(site_id, check_id, sites[site_id], TLS_FACT, data)


def inspect_sites(urls: dict[int, str], *, timeout_s: float, cafile: str | None,
                  user_agent: str, workers: int = 16) -> dict[int, dict[str, Any]]:
    """Every site at once (bounded threads): site id -> its TLS fact."""
    if not urls:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(urls))) as pool:
        futures = {site_id: pool.submit(inspect_site, url, timeout_s=timeout_s, cafile=cafile,
                                        user_agent=user_agent)
                   for site_id, url in urls.items()}
        return {site_id: future.result() for site_id, future in futures.items()}
