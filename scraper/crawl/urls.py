"""URL normalisation and crawl scope.

Two spellings of one page must become one frontier entry, or the crawl fetches and
writes it twice: scheme and host are lower-cased (IDNA for non-ASCII hosts), default
ports and fragments dropped, dot segments resolved, tracking parameters removed and
the rest of the query sorted (courlan's tracker list), percent-escapes in the path given
one spelling, and an empty path becomes ``/``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
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


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _compile(patterns: Iterable[str], what: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise ValueError(f"{what} pattern {p!r} is not a valid regular expression: "
                             f"{exc}") from None
    return tuple(out)


@dataclass(frozen=True)
class Scope:
    """Which discovered URLs a source follows: its hosts, include/exclude regexes, depth.

    ``hosts`` match exactly, or with/without a leading ``www.``; with ``subdomains``
    any subdomain of them is in scope too. An empty ``include`` includes everything.
    ``hubs`` are URLs fetched for their links only (index and tag pages): no record.
    """

    hosts: frozenset[str]
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    hubs: tuple[re.Pattern[str], ...] = ()
    max_depth: int = 2
    subdomains: bool = False
    _bare: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def build(cls, hosts: Iterable[str], include: Iterable[str] = (),
              exclude: Iterable[str] = (), hubs: Iterable[str] = (), max_depth: int = 2,
              subdomains: bool = False) -> Scope:
        hs = frozenset(h.lower().rstrip(".") for h in hosts if h)
        bare = frozenset(h.removeprefix("www.") for h in hs)
        return cls(hs, _compile(include, "include"), _compile(exclude, "exclude"),
                   _compile(hubs, "hub"), max_depth, subdomains, bare)

    def host_ok(self, host: str) -> bool:
        if not self.hosts:
            return True
        bare = host.removeprefix("www.")
        if bare in self._bare:
            return True
        return self.subdomains and any(bare.endswith("." + b) for b in self._bare)

    def allows(self, url: str, depth: int = 0) -> bool:
        if depth > self.max_depth:
            return False
        if not self.host_ok(host_of(url)):
            return False
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)

    def is_hub(self, url: str) -> bool:
        return any(p.search(url) for p in self.hubs)
