"""The sources file: what to crawl, per source.

TOML, one ``[[source]]`` table per site or feed group::

    [defaults]                     # optional; any source key, applied to every source
    revisit = "6h"

    [[source]]
    name = "example-news"
    seeds = ["https://news.example.com/"]           # hub pages: links followed, no record
    feeds = ["https://news.example.com/rss.xml"]    # RSS/Atom
    sitemaps = ["https://news.example.com/sitemap.xml"]   # sitemaps and indexes, .gz too
    pages = ["https://news.example.com/2026/03/budget-vote"]  # articles: a record each
    robots_sitemaps = true                          # also the Sitemap: lines of robots.txt
    include = ['^https://news\\.example\\.com/\\d{4}/']  # regexes a URL must match (any)
    exclude = ['/tag/', '\\?replytocom=']           # regexes that exclude a URL
    hubs = ['/page/\\d+$']                          # followed for links, never a record
    hosts = ["news.example.com"]                    # default: the hosts of the URLs above
    subdomains = false
    max_depth = 2                                   # link hops from a seed/feed/sitemap
    max_pages = 5000                                # pages this source may hold in state
    revisit = "1d"                                  # first revisit interval for articles
    discovery_revisit = "15m"                       # for seeds, feeds and sitemaps

Every problem names the file and the source, and stops the run before it starts: a
typo in a sources file should not become a silent crawl of nothing.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.crawl.urls import Scope, host_of, normalize_url
from scraper.errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d|w)?\s*$", re.IGNORECASE)
_UNITS = {None: 1.0, "ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0,
          "d": 86400.0, "w": 604800.0}

DEFAULT_REVISIT = 86400.0
DEFAULT_DISCOVERY_REVISIT = 900.0


def parse_duration(value: str | float | int, what: str = "duration") -> float:
    """``"15m"`` -> 900.0; numbers are seconds."""
    if isinstance(value, bool):
        raise ValueError(f"{what}: expected a duration like 30s, 15m, 6h, 1d, not {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{what}: expected a duration like 30s, 15m, 6h, 1d, not {value!r}")
        if value < 0:
            raise ValueError(f"{what}: must not be negative")
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f"{what}: expected a duration like 30s, 15m, 6h, 1d, not {value!r}")
    unit = m.group(2).lower() if m.group(2) else None
    return float(m.group(1)) * _UNITS[unit]


@dataclass
class Source:
    """One site (or group of feeds) to crawl, with its scope and revisit settings."""

    name: str
    seeds: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    # Articles to fetch and revisit as such, a record each: a seed is read for its links
    # only, so an article given as one never had a record. Their links are not followed.
    pages: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    hubs: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    subdomains: bool = False
    robots_sitemaps: bool = False  # follow the Sitemap: lines of each host's robots.txt
    max_depth: int = 2
    max_pages: int | None = None
    revisit: float = DEFAULT_REVISIT
    discovery_revisit: float = DEFAULT_DISCOVERY_REVISIT
    # made from seed URLs on the command line: a run with other seeds has another scope,
    # which says nothing of the URLs an earlier run's seeds found
    command_line: bool = False

    def scope(self) -> Scope:
        hosts = self.hosts or [host_of(u) for u in (*self.seeds, *self.feeds, *self.sitemaps,
                                                    *self.pages)]
        return Scope.build(hosts, self.include, self.exclude, self.hubs, self.max_depth,
                           self.subdomains)

    def start_urls(self) -> list[tuple[str, str]]:
        """(normalised URL, kind) for every seed, feed, sitemap and listed page."""
        out: list[tuple[str, str]] = []
        for kind, urls in (("seed", self.seeds), ("feed", self.feeds),
                           ("sitemap", self.sitemaps), ("page", self.pages)):
            for u in urls:
                n = normalize_url(u)
                if n is not None:
                    out.append((n, kind))
        return out


def host_name(entry: str) -> str:
    """The host name a ``hosts`` entry means. Pages are matched on their host name
    alone, so an entry with a port, scheme or path ("example.com:8080",
    "https://example.com/") matched no page, and the crawl stopped at its start pages."""
    text = entry.strip()
    if "://" not in text:
        if text.count(":") > 1 and "[" not in text:  # an IPv6 address, as URLs give it
            return text.lower()
        text = "//" + text
    try:
        return (urlsplit(text).hostname or "").rstrip(".")
    except ValueError:  # an unclosed "[" and the like
        return ""


_LIST_KEYS = ("seeds", "feeds", "sitemaps", "pages", "include", "exclude", "hubs", "hosts")
_KNOWN = {*_LIST_KEYS, "name", "subdomains", "robots_sitemaps", "max_depth", "max_pages", "revisit",
          "discovery_revisit"}


def source_from_dict(data: dict[str, Any], where: str) -> Source:
    """Build and check one source; errors say ``where`` (file and source) and the key."""
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(_KNOWN))})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: every source needs a non-empty name")
    src = Source(name=name.strip())
    for key in _LIST_KEYS:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        setattr(src, key, list(value))
    for key in ("seeds", "feeds", "sitemaps", "pages"):
        for u in getattr(src, key):
            if normalize_url(u) is None:
                raise ConfigError(f"{where}: {key}: {u!r} is not an http(s) URL")
    for host in src.hosts:
        name_only = host_name(host)
        if name_only != host.lower().rstrip("."):
            hint = f"; give {name_only!r}" if name_only else ""
            raise ConfigError(f"{where}: hosts: {host!r} is not a host name{hint} (a host "
                              "is in scope on every port and path)")
    kinds: dict[str, str] = {}
    for url, kind in src.start_urls():
        # one state entry per URL, of one kind: listed twice, it was read as one or the
        # other by turns
        if kinds.setdefault(url, kind) != kind:
            raise ConfigError(f"{where}: {url} is listed as a {kinds[url]} and as a {kind}; "
                              "list it once (pages: a record of it; seeds: its links)")
    if not (src.seeds or src.feeds or src.sitemaps or src.pages):
        raise ConfigError(f"{where}: source {src.name!r} has no seeds, feeds, sitemaps "
                          "or pages")
    try:
        for key in ("revisit", "discovery_revisit"):
            if key in data:
                setattr(src, key, parse_duration(data[key], key))
        for key in ("max_depth", "max_pages"):
            if key in data:
                v = data[key]
                if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                    raise ValueError(f"{key} must be a non-negative integer, not {v!r}")
                setattr(src, key, v)
        for key in ("subdomains", "robots_sitemaps"):
            if key in data:
                if not isinstance(data[key], bool):
                    raise ValueError(f"{key} must be true or false")
                setattr(src, key, data[key])
        src.scope()  # compiles the patterns
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return src


def load_sources(path: str | Path) -> list[Source]:
    """Read a sources file; raise :class:`ConfigError` naming the file on any problem."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read sources file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: sources file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    return sources_from_dict(data, str(p))


def sources_from_dict(data: dict[str, Any], where: str = "<sources>") -> list[Source]:
    extra = sorted(set(data) - {"source", "defaults"})
    if extra:
        raise ConfigError(f"{where}: unknown table(s) {', '.join(extra)} "
                          "(expected [defaults] and [[source]])")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ConfigError(f"{where}: [defaults] must be a table")
    raw = data.get("source", [])
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: no [[source]] tables")
    sources: list[Source] = []
    names: set[str] = set()
    starts: dict[str, str] = {}  # start URL -> the source that lists it
    for i, entry in enumerate(raw, 1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: source #{i} is not a table")
        label = entry.get("name") if isinstance(entry.get("name"), str) else f"#{i}"
        src = source_from_dict({**defaults, **entry}, f"{where}: source {label}")
        if src.name in names:
            raise ConfigError(f"{where}: source name {src.name!r} used twice")
        names.add(src.name)
        for url, kind in src.start_urls():
            # The state holds a URL once, for one source: the other source would never
            # see what the shared feed lists, without a word.
            if url in starts and starts[url] != src.name:
                raise ConfigError(
                    f"{where}: {kind} {url} is listed by sources {starts[url]!r} and "
                    f"{src.name!r}; a URL belongs to one source: list it once, in a source "
                    "whose include patterns cover what both want")
            starts[url] = src.name
        sources.append(src)
    return sources


def source_from_urls(urls: Sequence[str], *, name: str = "cli", max_depth: int = 2,
                     pages: Sequence[str] = (), **options: Any) -> Source:
    """The source for seeds given on the command line (feeds/sitemaps recognised by
    name), and for the articles given with ``--page``."""
    data: dict[str, Any] = {"name": name, "seeds": [], "feeds": [], "sitemaps": [],
                            "pages": list(pages), "max_depth": max_depth, **options}
    for u in (*urls, *pages):
        if normalize_url(u) is None:
            raise ConfigError(f"{u!r} is not an http(s) URL")
    for u in urls:
        low = u.lower().split("?", 1)[0]
        if "sitemap" in low and low.endswith((".xml", ".xml.gz", ".txt")):
            data["sitemaps"].append(u)
        elif low.endswith((".rss", ".atom", "/feed", "/rss", "feed.xml", "rss.xml",
                           "atom.xml")):
            data["feeds"].append(u)
        else:
            data["seeds"].append(u)
    src = source_from_dict(data, "command line")
    src.command_line = True
    return src
