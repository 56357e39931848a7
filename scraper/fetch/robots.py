"""robots.txt: fetched once per host, parsed with protego, cached with an expiry.

What an answer means follows RFC 9309: the file is parsed when it was downloaded
whole (200, 203: a proxy's copy, 204: an empty file); 4xx (no robots.txt) allows
everything; 5xx or no answer at all means "the server is not able to say", and the
host is treated as fully disallowed until the entry expires (shorter expiry than a
good entry, so the crawl tries again soon). So is any other 2xx: a 206 is a part of
the file (a cache serving a slice; pagewash asks for no range), whose rules may be
missing the very lines that forbid a path, and a 202 or 205 is no file at all. The
RFC takes rules from a file "successfully downloaded" only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from scraper.fetch.policy import Clock

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be parsed
#: The answers that are the whole file (a 206 covering all of it is passed on as 200).
WHOLE_FILE = frozenset({200, 203, 204})

RobotsAnswer = tuple[int, bytes]  # (HTTP status, body); status 0 = no answer
RobotsGetter = Callable[[str], Awaitable[RobotsAnswer]]


@dataclass
class RobotsEntry:
    parser: Protego | None  # None: allow all
    disallow_all: bool
    expires: float
    status: int

    def allowed(self, url: str, agent: str) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, agent))

    def sitemaps(self) -> list[str]:
        """The ``Sitemap:`` URLs the file lists (absolute, as written)."""
        return list(self.parser.sitemaps) if self.parser is not None else []

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        if delay is None:
            rate = self.parser.request_rate(agent)
            if rate is not None and rate.requests:
                return float(rate.seconds) / float(rate.requests)
            return None
        return float(delay)


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class RobotsCache:
    """robots.txt per origin (scheme://host:port); ``get`` fetches it when missing/expired.

    Concurrent callers for one origin share a single fetch.
    """

    def __init__(self, getter: RobotsGetter, agent: str, *, ttl: float = 3600.0,
                 error_ttl: float = 300.0, clock: Clock = time.monotonic) -> None:
        self.getter = getter
        self.agent = agent
        self.ttl = ttl
        self.error_ttl = error_ttl
        self.clock = clock
        self._entries: dict[str, RobotsEntry] = {}
        self._pending: dict[str, asyncio.Future[RobotsEntry]] = {}

    async def entry(self, url: str) -> RobotsEntry:
        origin = origin_of(url)
        cached = self._entries.get(origin)
        if cached is not None and cached.expires > self.clock():
            return cached
        pending = self._pending.get(origin)
        if pending is not None:
            return await asyncio.shield(pending)
        fut: asyncio.Future[RobotsEntry] = asyncio.get_running_loop().create_future()
        self._pending[origin] = fut
        try:
            status, body = await self.getter(robots_url(url))
            entry = self.parse(status, body)
            self._entries[origin] = entry
            fut.set_result(entry)
            return entry
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        finally:
            self._pending.pop(origin, None)

    def parse(self, status: int, body: bytes) -> RobotsEntry:
        now = self.clock()
        if status in WHOLE_FILE:
            # (a byte-order mark made the first line no User-agent line: its group's
            # rules applied to no one, and the disallowed pages were crawled)
            text = body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").removeprefix("\ufeff")
            return RobotsEntry(Protego.parse(text), False, now + self.ttl, status)
        if 400 <= status < 500 and status != 429:
            return RobotsEntry(None, False, now + self.ttl, status)
        return RobotsEntry(None, True, now + self.error_ttl, status)

    async def allowed(self, url: str) -> bool:
        return (await self.entry(url)).allowed(url, self.agent)
