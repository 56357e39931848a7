"""One spelling per URL, shared by every command: the crawl's frontier keys, record ids
and ``site``.

Two spellings of one page must be one page, or the crawl fetches and writes it twice
and ``clean``, ``extract`` and ``crawl`` give its record three ids: scheme and host are
lower-cased (IDNA for non-ASCII hosts), default ports and fragments dropped, dot
segments resolved, tracking parameters removed and the rest of the query sorted
(courlan's tracker list), percent-escapes in the path given one spelling, and an empty
path becomes ``/``.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from courlan.clean import clean_query

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SPACE = re.compile(r"[\t\n\r]")


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
    query = clean_query(parts.query, strict=False, language=None) if parts.query else ""
    return urlunsplit((scheme, netloc, path, query, ""))
