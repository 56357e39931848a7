"""The fetcher: one shared ``httpx.AsyncClient`` plus the policies around each request.

Transport (:mod:`httpx`, our guarded network backend) and policy (robots, politeness,
retries, circuit breaker, address checks) stay separate objects; :class:`Fetcher` only
wires them together in a fixed order for every hop of a request:

    URL check -> robots.txt -> circuit breaker -> host limiter -> request -> checks
    on status, type, size, encoding -> redirect (and round again) or result

Bodies are streamed and decoded here, under a cap on both the bytes received and the
bytes decoded, so a huge body or a compression bomb costs at most the cap.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from scraper import __version__
from scraper.errors import (
    BlockedAddressError,
    ContentTypeError,
    DecompressionBombError,
    FetchError,
    FetchStopped,
    FetchTimeoutError,
    HostBackedOffError,
    HTTPStatusError,
    InvalidURLError,
    PartialContentError,
    RedirectError,
    ResponseTooLargeError,
    RetryLaterError,
    RobotsDisallowedError,
    TransportError,
    partial_content_reason,
)
from scraper.fetch.decode import (
    BodyTooLarge,
    CappedDecoder,
    TruncatedBody,
    UnsupportedEncoding,
    accept_encoding,
)
from scraper.fetch.policy import (
    RETRY_STATUSES,
    CircuitBreaker,
    HostLimiter,
    RetryPolicy,
    parse_retry_after,
)
from scraper.fetch.robots import MAX_ROBOTS_BYTES, RobotsAnswer, RobotsCache
from scraper.fetch.security import AddressPolicy, GuardedTransport

DEFAULT_USER_AGENT = f"pagewash/{__version__} (+https://pagewash.invalid/bot)"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset({
    "application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
    "application/rdf+xml", "application/x-rss+xml",
})
# (binary/octet-stream: what S3 serves a file uploaded without a type, sitemaps included)
GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip", "application/octet-stream",
                        "binary/octet-stream"})
#: What a page request accepts: HTML for extraction, feeds/sitemaps for discovery.
PAGE_TYPES = HTML_TYPES | XML_TYPES
#: What a feed or sitemap request accepts (sitemaps may be gzip files or plain text).
DISCOVERY_TYPES = XML_TYPES | GZIP_TYPES | frozenset({"text/plain"})

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})


@dataclass
class FetchConfig:
    """Everything a :class:`Fetcher` needs to know; defaults are polite for public sites."""

    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 16  # connections in all
    per_host: int = 2  # requests in flight per host
    delay: float = 1.0  # seconds between request starts on one host
    obey_robots: bool = True
    max_crawl_delay: float = 30.0  # robots.txt Crawl-delay is honoured up to this
    robots_ttl: float = 3600.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # one request, headers and body
    max_bytes: int = 10 * 2**20  # decoded body cap
    max_redirects: int = 10
    retries: int = 3  # attempts in all, for connection errors, timeouts, 429, 5xx
    backoff_base: float = 0.5
    max_backoff: float = 10.0
    max_retry_after: float = 30.0
    breaker_threshold: int = 5
    breaker_cooldown: float = 30.0
    allow_private: bool = False
    allow_addresses: tuple[str, ...] = ()  # networks allowed even when private
    http2: bool = True
    verify_tls: bool = True


@dataclass
class FetchResult:
    """A usable response: 2xx with a body, or 304 (``not_modified``) with none; or a
    redirect the caller's ``follow`` declined (no body, ``final_url`` its target)."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    elapsed: float
    redirects: list[str] = field(default_factory=list)
    http_version: str = "HTTP/1.1"
    fetched_at: float = 0.0  # epoch seconds
    raw_bytes: int = 0  # bytes on the wire (before decoding)
    # The validators (ETag, Last-Modified) the last hop was asked with: a 304 says the
    # final URL's response still matches these, which may not be the first hop's.
    sent: tuple[str | None, str | None] = (None, None)
    # The status of each hop in ``redirects`` (301, 302, ...), in the same order.
    redirect_statuses: list[int] = field(default_factory=list)

    @property
    def moved_permanently(self) -> bool:
        """Every redirect on the way was permanent (301/308): the first URL has moved
        for good, and asking it again only costs another redirect. A temporary one
        (302, 303, 307) anywhere says to keep asking the first URL."""
        return bool(self.redirect_statuses) and all(
            s in PERMANENT_REDIRECTS for s in self.redirect_statuses)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return mime_type(self.headers.get("content-type"))

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def mime_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


@dataclass
class _Hop:
    status: int
    headers: dict[str, str]
    body: bytes
    location: str | None
    http_version: str
    raw_bytes: int


def host_key(url: str) -> str:
    """The politeness unit: host and port, lower case."""
    return urlsplit(url).netloc.lower().rsplit("@", 1)[-1]


class Fetcher:
    """Fetch URLs politely and safely. Use as ``async with Fetcher(config) as f``.

    ``fetch`` returns a :class:`FetchResult` or raises a :class:`scraper.errors.FetchError`
    subclass naming the URL; it never raises httpx exceptions. ``transport`` replaces
    the guarded transport (e.g. ``httpx.MockTransport``); URLs are still checked, but
    connect-time address checks are then that transport's business.
    """

    def __init__(self, config: FetchConfig | None = None, *,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = c = config or FetchConfig()
        self.policy = AddressPolicy.build(c.allow_private, c.allow_addresses)
        limits = httpx.Limits(max_connections=c.concurrency,
                              max_keepalive_connections=c.concurrency)
        self._client = httpx.AsyncClient(
            transport=transport or GuardedTransport(self.policy, http2=c.http2, limits=limits,
                                                    verify=c.verify_tls),
            timeout=httpx.Timeout(connect=c.connect_timeout, read=c.read_timeout,
                                  write=c.read_timeout, pool=c.total_timeout),
            follow_redirects=False,  # each hop is checked here
            headers={"User-Agent": c.user_agent, "Accept-Encoding": accept_encoding()},
            trust_env=False,
        )
        self.limiter = HostLimiter(c.per_host, c.delay)
        self.breaker = CircuitBreaker(c.breaker_threshold, c.breaker_cooldown)
        self.retry = RetryPolicy(c.retries, c.backoff_base, c.max_backoff, c.max_retry_after)
        self.robots = RobotsCache(self._get_robots, c.user_agent, ttl=c.robots_ttl)
        self._global = asyncio.Semaphore(c.concurrency)
        self.requests = 0  # requests sent, including robots.txt, retries and redirects
        # Asked when a request's turn at its host comes (after the per-host delay, which
        # may be half a minute): true once the caller is stopping, and then no request
        # is sent (FetchStopped). A crawl stopped by Ctrl-C or --max-time sent its
        # queued requests seconds after it said it had stopped dispatching.
        self.should_stop: Callable[[], bool] | None = None

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- public ------------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Iterable[str] | None = PAGE_TYPES,
        max_bytes: int | None = None,
        robots: bool = True,
        follow: Callable[[str], bool] | None = None,
        validators: Callable[[str], tuple[str | None, str | None] | None] | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects; conditional when ``etag``/``last_modified``.

        ``accept`` is the set of MIME types the caller can use (None: any); a response of
        another type is refused as soon as its headers arrive, before its body.
        ``follow`` may decline a redirect hop (a crawl that fetches the target anyway):
        the result is then the redirect itself, its ``final_url`` the target, no body.
        ``validators`` gives a redirect target's own (ETag, Last-Modified), which its
        hop is asked with (None: the previous hop's); the result's ``sent`` says which
        the last hop carried. A moved page's stored copy is the target's: asked with
        the first URL's validators, the target answered in full, or with a 304 to
        validators that were not its own, and was fetched again.
        """
        wanted = frozenset(accept) if accept is not None else None
        cap = max_bytes or self.config.max_bytes
        sent = (etag, last_modified)
        headers = _conditional(sent)
        redirects: list[str] = []
        statuses: list[int] = []
        seen: set[str] = set()
        current = url
        t0 = time.monotonic()
        hop: _Hop | None = None
        while True:
            try:
                self.policy.check_url(current)
            except FetchError as exc:
                raise _renamed(exc, url, current) from None
            key = _loop_key(current)
            if key in seen:
                raise RedirectError(url, "redirect-loop",
                                    f"redirect loop: {' -> '.join([*redirects, current])}")
            seen.add(key)
            # A held host (a long Retry-After, maybe from an earlier run) is not asked
            # anything, its robots.txt included: that failed as "robots unavailable".
            self._check_hold(url, host_key(current))
            if robots and self.config.obey_robots:
                await self._check_robots(url, current)
            if hop is not None and follow is not None and not follow(current):
                # (after the checks: a hop to a blocked or disallowed URL is still an error)
                return FetchResult(
                    url=url, final_url=current, status=hop.status, headers=hop.headers,
                    body=b"", elapsed=time.monotonic() - t0, redirects=redirects,
                    http_version=hop.http_version, fetched_at=time.time(), raw_bytes=0,
                    sent=sent, redirect_statuses=statuses,
                )
            if hop is not None and validators is not None:
                own = validators(current)
                if own is not None:
                    sent = own
                    headers = _conditional(sent)
            hop = await self._with_retries(url, current, headers, wanted, cap)
            if hop.location is None:
                return FetchResult(
                    url=url, final_url=current, status=hop.status, headers=hop.headers,
                    body=hop.body, elapsed=time.monotonic() - t0, redirects=redirects,
                    http_version=hop.http_version, fetched_at=time.time(),
                    raw_bytes=hop.raw_bytes, sent=sent, redirect_statuses=statuses,
                )
            redirects.append(current)
            statuses.append(hop.status)
            if len(redirects) > self.config.max_redirects:
                raise RedirectError(url, "too-many-redirects",
                                    f"more than {self.config.max_redirects} redirects")
            current = hop.location

    # -- internals -----------------------------------------------------------------------

    async def _check_robots(self, url: str, current: str) -> None:
        try:
            entry = await self.robots.entry(current)
        except FetchError as exc:
            # the page's reject says the failure was robots.txt's, not the page's
            raise _renamed(exc, url, current, f"robots.txt of {host_key(current)}: ") from None
        if entry.disallow_all:
            raise TransportError(url, f"robots.txt of {host_key(current)} unavailable "
                                 f"(status {entry.status or 'none'}); retry later",
                                 reason="robots-unavailable")
        delay = entry.crawl_delay(self.config.user_agent)
        if delay:
            self.limiter.set_host_delay(host_key(current),
                                        min(delay, self.config.max_crawl_delay))
        if not entry.allowed(current, self.config.user_agent):
            raise RobotsDisallowedError(current if current == url else url)

    async def _get_robots(self, robots_url: str) -> RobotsAnswer:
        """Fetch robots.txt: (status, body); (0, b"") when the host cannot be reached."""
        current = robots_url
        for _ in range(6):  # the first request and five redirects (RFC 9309, 2.3.1.2)
            self.policy.check_url(current)
            try:
                hop = await self._with_retries(robots_url, current, {}, None, MAX_ROBOTS_BYTES,
                                               truncate=True)
            except (BlockedAddressError, TransportError, HostBackedOffError):
                raise  # the host cannot be reached at all: that is the URL's error too
            except HTTPStatusError as exc:
                # RFC 9309: a 4xx (no robots.txt, 404 or 403) allows everything, a 5xx
                # after retries makes the host unavailable; RobotsCache.parse decides,
                # from the status, so it must see the real one.
                return (exc.status, b"")
            except RetryLaterError:
                return (0, b"")
            if hop.location is None:
                if hop.status == 206 and not partial_content_reason(
                        hop.headers.get("content-range", "")):
                    return (200, hop.body)  # a "part" that is the whole file
                return (hop.status, hop.body)
            current = hop.location
        # More redirects (a loop through a login or consent page): RFC 9309 lets the file
        # be taken as unavailable, a 4xx, which allows all, as Google does. As "no
        # answer" it kept the whole site from being crawled, run after run.
        return (404, b"")

    def _check_hold(self, url: str, host: str) -> None:
        """The host said (Retry-After) to come back later than a run waits: no request
        to it until then; the URL is deferred as the first one was."""
        held = self.limiter.held_for(host)
        if held > 0:
            raise RetryLaterError(url, 429, held)

    async def _with_retries(self, url: str, current: str, headers: Mapping[str, str],
                            wanted: frozenset[str] | None, cap: int,
                            truncate: bool = False) -> _Hop:
        host = host_key(current)
        attempt = 0
        while True:
            attempt += 1
            until = self.breaker.blocked_until(host)
            if until is not None:
                raise HostBackedOffError(url, host, time.time() + until - time.monotonic())
            self._check_hold(url, host)
            if not await self.limiter.acquire(host, self.should_stop):
                raise FetchStopped(url)
            try:  # (a hold that began while this request waited for its turn)
                self._check_hold(url, host)
            except RetryLaterError:
                await self.limiter.release(host)
                raise
            try:
                async with self._global:
                    hop = await self._once(url, current, headers, wanted, cap, truncate)
            except FetchError as exc:
                if isinstance(exc, HostBackedOffError):
                    raise
                if not exc.retryable:
                    # The host answered (with a type, size or body this URL cannot use):
                    # it is up, which a probe of an open breaker must record, else the
                    # breaker stays half-open and blocks the host for the rest of the run.
                    self.breaker.success(host)
                    raise
                self.breaker.failure(host)
                if not self.retry.should_retry(attempt):
                    raise
                wait = self.retry.backoff(attempt)
                self.limiter.defer(host, wait)
                await asyncio.sleep(wait)
                continue
            finally:
                await self.limiter.release(host)
            if hop.status in RETRY_STATUSES:
                if hop.status >= 500:
                    self.breaker.failure(host)
                retry_after = parse_retry_after(hop.headers.get("retry-after"))
                if retry_after is not None and retry_after > self.retry.max_retry_after:
                    # held for all of it: the host's other URLs are deferred, not asked
                    # again once 30 s have passed (what the server asked is the rule)
                    self.limiter.hold(host, retry_after)
                    raise RetryLaterError(url, hop.status, retry_after)
                if not self.retry.should_retry(attempt):
                    raise HTTPStatusError(url, hop.status)
                wait = self.retry.wait(attempt, retry_after)
                self.limiter.defer(host, wait)
                await asyncio.sleep(wait)
                continue
            self.breaker.success(host)
            if hop.status >= 400 or (hop.status >= 300 and hop.status != 304
                                     and hop.location is None):
                raise HTTPStatusError(url, hop.status)
            return hop

    async def _once(self, url: str, current: str, headers: Mapping[str, str],
                    wanted: frozenset[str] | None, cap: int, truncate: bool) -> _Hop:
        c = self.config
        self.requests += 1
        try:
            async with asyncio.timeout(c.total_timeout):
                request = self._client.build_request("GET", current, headers=headers)
                response = await self._client.send(request, stream=True)
                try:
                    return await self._read(url, current, response, wanted, cap, truncate)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise FetchTimeoutError(url, f"no complete response within {c.total_timeout:g}s"
                                    ) from None
        except httpx.ConnectTimeout:
            raise FetchTimeoutError(url, f"no connection within {c.connect_timeout:g}s"
                                    ) from None
        except httpx.TimeoutException as exc:
            raise FetchTimeoutError(url, f"no data for {c.read_timeout:g}s "
                                    f"({type(exc).__name__})") from None
        except httpx.ProtocolError as exc:  # a malformed status line, a cut-off body
            raise TransportError(url, f"{type(exc).__name__}: {exc}",
                                 reason="protocol-error") from None
        except httpx.TransportError as exc:
            raise TransportError(url, f"{type(exc).__name__}: {exc}") from None
        except FetchError as exc:
            raise _renamed(exc, url, current) from None

    async def _read(self, url: str, current: str, response: httpx.Response,
                    wanted: frozenset[str] | None, cap: int, truncate: bool) -> _Hop:
        status = response.status_code
        headers = {k.lower(): v for k, v in response.headers.items()}
        version = response.http_version
        if status in REDIRECT_STATUSES:
            location = headers.get("location")
            if not location:
                return _Hop(status, headers, b"", None, version, 0)
            return _Hop(status, headers, b"", urljoin(current, location.strip()), version, 0)
        if status == 304 or status >= 300:
            return _Hop(status, headers, b"", None, version, 0)
        ctype = mime_type(headers.get("content-type"))
        if wanted is not None and ctype and ctype not in wanted:
            raise ContentTypeError(url, ctype, "one of " + ", ".join(sorted(wanted)))
        if status == 206 and not truncate and (
                fragment := partial_content_reason(headers.get("content-range", ""))):
            # No Range was sent: the server (or a cache) answered with a slice of the page
            raise PartialContentError(url, fragment)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > cap and not truncate:
            raise ResponseTooLargeError(url, f"Content-Length {int(length):,} is over the "
                                        f"{cap:,}-byte cap")
        try:
            decoder = CappedDecoder(headers.get("content-encoding"), cap)
        except UnsupportedEncoding as exc:
            raise FetchError(url, "bad-encoding", f"unsupported Content-Encoding {exc}") from None
        raw = 0
        try:
            async for chunk in response.aiter_raw():
                raw += len(chunk)
                if raw > cap and not decoder.compressed:
                    raise BodyTooLarge(raw, False)
                decoder.feed(chunk)
            body = decoder.finish()
        except BodyTooLarge as exc:
            if truncate:
                body = b"".join(decoder._parts)[:cap]
            elif exc.bomb:
                raise DecompressionBombError(
                    url, f"body inflates past the {cap:,}-byte cap "
                    f"({raw:,} compressed bytes read); refused") from None
            else:
                raise ResponseTooLargeError(url, f"body is over the {cap:,}-byte cap; "
                                            "refused while streaming") from None
        except zlib.error as exc:
            raise FetchError(url, "bad-encoding", f"corrupt compressed body: {exc}") from None
        except TruncatedBody as exc:  # retried, as a connection cut off is
            raise TransportError(url, str(exc), reason="truncated-body") from None
        return _Hop(status, headers, body, None, version, raw)


def _conditional(validators: tuple[str | None, str | None]) -> dict[str, str]:
    """The conditional request headers for stored (ETag, Last-Modified)."""
    etag, last_modified = validators
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _loop_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path or '/'}?{parts.query}"


def _renamed(exc: FetchError, url: str, current: str, what: str = "") -> FetchError:
    """The same error, naming the URL asked for (and the redirect target when different);
    ``what`` says what failed when it was not the URL itself ("robots.txt of host: ")."""
    if exc.url == url:
        return exc
    via = f" (redirected to {current})" if current != url else ""
    if isinstance(exc, BlockedAddressError):
        return BlockedAddressError(url, exc.address, exc.why, via)
    if isinstance(exc, InvalidURLError):
        return InvalidURLError(url, f"{what}{exc.message}{via}")
    if isinstance(exc, HostBackedOffError):
        return HostBackedOffError(url, exc.host, exc.until)
    if isinstance(exc, FetchTimeoutError):
        return FetchTimeoutError(url, f"{what}{exc.message}{via}")
    if isinstance(exc, TransportError):
        return TransportError(url, f"{what}{exc.message}{via}", reason=exc.reason)
    err = FetchError(url, exc.reason, f"{what}{exc.message}{via}")
    err.retryable = exc.retryable
    return err
