"""Crawl scope; URL normalisation lives in :mod:`scraper.urls` (records use it too)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scraper.urls import normalize_url

__all__ = ["Scope", "host_of", "normalize_url"]

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
