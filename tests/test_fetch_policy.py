"""Politeness and failure policy without I/O: a fake clock drives them."""

from __future__ import annotations

import asyncio
import random

import pytest

from scraper.fetch import CircuitBreaker, HostLimiter, RetryPolicy, RobotsCache, parse_retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    when = parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    assert when == pytest.approx(10.0)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0


def test_backoff_grows_with_jitter_and_cap() -> None:
    rp = RetryPolicy(attempts=5, base=1.0, max_delay=4.0, rng=random.Random(1))
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 4.0)]:
        waits = [rp.backoff(attempt) for _ in range(50)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 1  # jittered
    assert rp.should_retry(4) and not rp.should_retry(5)
    assert rp.wait(1, retry_after=3.0) == 3.0


def test_circuit_breaker_opens_probes_and_closes() -> None:
    clock = Clock()
    cb = CircuitBreaker(threshold=3, cooldown=10, max_cooldown=25, clock=clock)
    for _ in range(2):
        cb.failure("h")
    assert cb.blocked_until("h") is None  # two failures: still closed
    cb.failure("h")
    assert cb.blocked_until("h") == 1010.0 and cb.is_open("h")
    assert cb.blocked_until("other") is None  # per host
    clock.now = 1010.0
    assert cb.blocked_until("h") is None  # the probe may go
    assert cb.blocked_until("h") == 1020.0  # ...but only one, for a cooldown
    cb.failure("h")  # probe failed: open again, for twice as long
    assert cb.blocked_until("h") == 1030.0
    clock.now = 1030.0
    assert cb.blocked_until("h") is None
    cb.failure("h")
    assert cb.blocked_until("h") == 1030.0 + 25  # capped
    clock.now = 2000.0
    assert cb.blocked_until("h") is None
    cb.success("h")
    assert not cb.is_open("h") and cb.blocked_until("h") is None


def test_a_probe_that_never_reports_does_not_close_the_host_for_good() -> None:
    """A probe cancelled, or ended by an answer that says nothing of the host, reports
    neither success nor failure; after another cooldown a new probe may go."""
    clock = Clock()
    cb = CircuitBreaker(threshold=1, cooldown=10, clock=clock)
    cb.failure("h")
    clock.now = 1010.0
    assert cb.blocked_until("h") is None  # the probe goes, and is never heard of
    clock.now = 1019.0
    assert cb.blocked_until("h") == 1020.0
    clock.now = 1020.0
    assert cb.blocked_until("h") is None  # a new probe
    cb.success("h")
    assert cb.blocked_until("h") is None and not cb.is_open("h")


def test_a_crawl_delay_learnt_from_robots_spaces_the_first_page_too() -> None:
    """robots.txt is itself a request: the first page after it waits the Crawl-delay
    from it (a crawl audit measured 0.96 s after robots.txt, then 2.0 s)."""
    clock = Clock()
    lim = HostLimiter(per_host=1, delay=1.0, clock=clock)

    async def robots_then_page() -> float:
        await lim.acquire("h")  # robots.txt, at 1000
        await lim.release("h")
        lim.set_host_delay("h", 2.0)  # Crawl-delay: 2
        return lim.ready_at("h")

    assert asyncio.run(robots_then_page()) == 1002.0


def test_host_limiter_delay_and_concurrency() -> None:
    async def go() -> list[tuple[str, float]]:
        lim = HostLimiter(per_host=1, delay=0.05)
        lim.set_host_delay("slow", 0.12)
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        order: list[tuple[str, float]] = []

        async def one(host: str) -> None:
            await lim.acquire(host)
            order.append((host, loop.time() - t0))
            await lim.release(host)

        await asyncio.gather(*(one(h) for h in ["a", "a", "a", "slow", "slow"]))
        return order

    order = asyncio.run(go())
    a = [t for h, t in order if h == "a"]
    slow = [t for h, t in order if h == "slow"]
    assert a[1] - a[0] >= 0.045 and a[2] - a[1] >= 0.045
    assert slow[1] - slow[0] >= 0.115
    assert slow[0] < 0.03  # another host is not held up by "a"


def test_host_limiter_defer() -> None:
    clock = Clock()
    lim = HostLimiter(per_host=2, delay=0, clock=clock)
    lim.defer("h", 30)
    assert lim.ready_at("h") == 1030.0 and lim.ready_at("x") == 0.0


def test_robots_answers() -> None:
    async def go() -> None:
        answers = {
            "http://ok/robots.txt": (200, b"User-agent: *\nDisallow: /no/\nCrawl-delay: 2\n"),
            "http://none/robots.txt": (404, b""),
            "http://down/robots.txt": (503, b""),
            "http://gone/robots.txt": (0, b""),
        }
        calls: list[str] = []

        async def getter(url: str) -> tuple[int, bytes]:
            calls.append(url)
            return answers[url]

        cache = RobotsCache(getter, "pagewash/1.0", ttl=100, error_ttl=10)
        assert await cache.allowed("http://ok/yes")
        assert not await cache.allowed("http://ok/no/x")
        assert (await cache.entry("http://ok/")).crawl_delay("pagewash") == 2.0
        assert await cache.allowed("http://none/anything")  # no robots.txt: all allowed
        assert (await cache.entry("http://down/x")).disallow_all  # 5xx: assume the worst
        assert (await cache.entry("http://gone/x")).disallow_all
        assert calls.count("http://ok/robots.txt") == 1  # cached

    asyncio.run(go())


def test_robots_expiry_refetches() -> None:
    clock = Clock()
    n = {"calls": 0}

    async def getter(url: str) -> tuple[int, bytes]:
        n["calls"] += 1
        return (200, b"User-agent: *\nDisallow:\n")

    async def go() -> None:
        cache = RobotsCache(getter, "ua", ttl=60, clock=clock)
        await cache.entry("http://h/")
        await cache.entry("http://h/a")
        clock.now += 61
        await cache.entry("http://h/b")

    asyncio.run(go())
    assert n["calls"] == 2


def test_a_long_politeness_delay_is_no_hold() -> None:
    """held_for read the spacing itself: with --delay 40 (or a Crawl-delay over 30 s)
    every URL after the first was "deferred" with a 429 the server never sent, and no
    page of the host was ever fetched. Only a Retry-After hold counts."""
    clock = lambda: 1000.0  # noqa: E731

    async def go() -> tuple[float, float]:
        lim = HostLimiter(per_host=1, delay=40.0, clock=clock)
        await lim.acquire("h")
        await lim.release("h")
        before = lim.held_for("h")
        lim.hold("h", 120)
        return before, lim.held_for("h")

    assert asyncio.run(go()) == (0.0, 120.0)
