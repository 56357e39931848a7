"""One spelling per URL, shared by every command: the crawl's frontier keys, record ids
and ``site``.

Two spellings of one page must be one page, or the crawl fetches and writes it twice
and ``clean``, ``extract`` and ``crawl`` give its record three ids: scheme and host are
lower-cased (IDNA for non-ASCII hosts), default ports and fragments dropped, dot
segments resolved, tracking and cache-busting parameters removed (courlan's tracker
list and :data:`DROPPED_QUERY_PARAMS`) and the rest of the query sorted, percent-escapes
in the path given one spelling, and an empty path becomes ``/``.
"""

from __future__ import annotations

import posixpath
import re
from typing import Literal
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

from courlan.clean import clean_query

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SPACE = re.compile(r"[\t\n\r]")

#: Query parameters dropped from every URL, on top of courlan's tracker list (which
#: drops ``utm_*``, ``fbclid``, ``gclid``, ``mc_*``, ``pk_*``, ``ref``, ``source`` and
#: the like). A parameter kept that changes on every visit makes every visit a new URL:
#: a sitemap generated per request added its whole list to the frontier on each run,
#: and each article was written again under a new id. Names are compared lower-cased.
#: ``"any"``: dropped whatever its value; ``"unix-time"``: only when its value is a Unix
#: time (seconds from 2001 to 2128, 10 digits and maybe a fraction, or milliseconds, 13
#: digits), since the same names select content elsewhere (``watch?v=<video id>``,
#: ``viewtopic.php?t=<topic>``, ``?version=2`` of a document). Parameters that select
#: content (``id``, ``p``, ``page``, ``q``, ...) are never here.
DROPPED_QUERY_PARAMS: dict[str, Literal["any", "unix-time"]] = {
    # Cache busters: a value made new for each request so that no cache (the browser's,
    # a proxy's, a CDN's) answers with a stored copy. The server ignores it by design:
    # it exists to reach the same resource.
    "_": "any",  # jQuery's $.ajax({cache: false}): "_=<ms timestamp>"
    "_dc": "any",  # Ext JS disableCaching: "_dc=<ms timestamp>"
    "cb": "any", "cachebust": "any", "cachebuster": "any", "cache_buster": "any",
    "nocache": "any", "no_cache": "any", "rnd": "any", "rand": "any",
    # Time stamps: a sitemap generator or template stamping each URL with the time it
    # wrote it ("?v=1733000000"); with a Unix time as its value, no site selects content.
    "v": "unix-time", "ver": "unix-time", "version": "unix-time", "t": "unix-time",
    "_t": "unix-time", "ts": "unix-time", "_ts": "unix-time", "time": "unix-time",
    "timestamp": "unix-time", "tstamp": "unix-time",
    # Click and campaign trackers courlan's list misses: they say who sent the reader
    # (an ad, a newsletter, a shop listing), never what the page shows.
    "ttclid": "any",  # TikTok ads
    "li_fat_id": "any",  # LinkedIn ads
    "_hsenc": "any", "_hsmi": "any", "__hstc": "any", "__hssc": "any",  # HubSpot
    "__hsfp": "any", "hsctatracking": "any",
    "srsltid": "any",  # Google Merchant Center listings
    "_openstat": "any",  # Yandex
    "_kx": "any",  # Klaviyo
    "ck_subscriber_id": "any",  # ConvertKit
    "s_kwcid": "any",  # Adobe Analytics
    "irclickid": "any",  # Impact affiliate clicks
}

# A Unix time from 2001 to 2128 in seconds (10 digits) or milliseconds (13).
_UNIX_TIME = re.compile(r"(?:[1-4]\d{9}(?:\.\d+)?|[1-4]\d{12})")


def _dropped(pair: str) -> bool:
    """Whether a ``name=value`` piece of a query is in :data:`DROPPED_QUERY_PARAMS`."""
    name, _, value = pair.partition("=")
    rule = DROPPED_QUERY_PARAMS.get(unquote_plus(name).strip().lower())
    if rule is None:
        return False
    return rule == "any" or _UNIX_TIME.fullmatch(unquote_plus(value).strip()) is not None


def _clean_query(query: str) -> str:
    kept = [p for p in query.split("&") if p and not _dropped(p)]
    return clean_query("&".join(kept), strict=False, language=None) if kept else ""


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# What a path may hold as it is (RFC 3986 pchar and "/"); "%" keeps existing escapes.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def _normalize_escapes(path: str) -> str:
    """One spelling per path (RFC 3986, 6.2.2): escapes of unreserved characters decoded
    (``%7Ejo`` -> ``~jo``), other escapes upper-cased, and characters a path may not
    hold as they are (a space, ``€``) escaped as UTF-8, as a browser sends them."""
    if "%" in path:
        path = _ESCAPE.sub(_one_escape, path)
    return quote(path, safe=_PATH_SAFE)


def _one_escape(m: re.Match[str]) -> str:
    char = chr(int(m.group(1), 16))
    return char if char in _UNRESERVED else "%" + m.group(1).upper()


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    trailing = path.endswith(("/", "/.", "/.."))
    norm = posixpath.normpath(path)
    if norm.startswith("//"):
        norm = "/" + norm.lstrip("/")
    if norm == ".":
        norm = "/"
    if trailing and not norm.endswith("/"):
        norm += "/"
    return norm


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical spelling of ``url`` (resolved against ``base``), or None when it is
    not an http(s) URL with a host."""
    url = _SPACE.sub("", url.strip())
    if not url:
        return None
    try:
        if base is not None:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        host = (parts.hostname or "").rstrip(".")
        if not host:
            return None
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
        host = host.lower()
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        port = parts.port
    except (ValueError, UnicodeError):
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        return None  # credentials in links are never followed
    path = _remove_dot_segments(_normalize_escapes(parts.path or "/"))
    query = _clean_query(parts.query) if parts.query else ""
    return urlunsplit((scheme, netloc, path, query, ""))
