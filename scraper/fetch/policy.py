"""Politeness and failure policy, kept apart from the transport.

- :class:`RetryPolicy`: which failures are retried and how long to wait (exponential
  backoff with full jitter, ``Retry-After`` honoured up to a cap);
- :class:`CircuitBreaker`: a host that keeps failing is left alone for a while as a
  whole, instead of each of its URLs being retried against it;
- :class:`HostLimiter`: per-host concurrency and the minimum delay between two
  request starts on one host (the larger of our delay and robots.txt ``Crawl-delay``).

None of them does I/O; the fetcher asks them what to do, which keeps them easy to test
with a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class RetryPolicy:
    """``attempts`` tries in all; waits ``base * 2**n`` (full jitter) capped at ``max_delay``.

    A ``Retry-After`` longer than ``max_retry_after`` is not waited for inside a run:
    the URL is deferred to a later run instead of holding a worker.
    """

    attempts: int = 3
    base: float = 0.5
    max_delay: float = 10.0
    max_retry_after: float = 30.0
    rng: random.Random = field(default_factory=random.Random)

    def should_retry(self, attempt: int) -> bool:
        """``attempt`` counts from 1 (the first try)."""
        return attempt < self.attempts

    def backoff(self, attempt: int) -> float:
        ceiling = min(self.max_delay, self.base * (2 ** (attempt - 1)))
        # Full jitter: clients that failed together do not come back together.
        return self.rng.uniform(ceiling / 2, ceiling)

    def wait(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return max(retry_after, 0.0)
        return self.backoff(attempt)


@dataclass
class _HostHealth:
    failures: int = 0
    opened: int = 0  # how many times the breaker opened in a row
    until: float = 0.0
    probing: bool = False
    probe_started: float = 0.0


class CircuitBreaker:
    """Open a host's circuit after ``threshold`` consecutive failures.

    While open (``cooldown`` seconds, doubling each time it re-opens, up to
    ``max_cooldown``) every request to the host fails at once with no traffic. After
    the cooldown one request goes through as a probe: success closes the circuit,
    failure opens it again for longer.
    """

    def __init__(self, threshold: int = 5, cooldown: float = 30.0, max_cooldown: float = 900.0,
                 clock: Clock = time.monotonic) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.max_cooldown = max_cooldown
        self.clock = clock
        self._hosts: dict[str, _HostHealth] = {}

    def blocked_until(self, host: str) -> float | None:
        """None when a request may go out now, else the clock time the host reopens."""
        h = self._hosts.get(host)
        if h is None or h.until == 0.0:
            return None
        now = self.clock()
        if now < h.until:
            return h.until
        # One probe at a time; a probe that never reported (cancelled, or ended in a way
        # that says nothing of the host) must not keep the host closed for the whole
        # run, so after another cooldown a new one may go.
        if h.probing and now - h.probe_started < self.cooldown:
            return h.probe_started + self.cooldown
        h.probing = True
        h.probe_started = now
        return None

    def success(self, host: str) -> None:
        self._hosts.pop(host, None)

    def failure(self, host: str) -> None:
        h = self._hosts.setdefault(host, _HostHealth())
        h.failures += 1
        if h.probing or h.failures >= self.threshold:
            h.opened += 1
            h.until = self.clock() + min(self.max_cooldown,
                                         self.cooldown * 2 ** (h.opened - 1))
            h.failures = 0
            h.probing = False

    def is_open(self, host: str) -> bool:
        h = self._hosts.get(host)
        return h is not None and h.until > self.clock()


class HostLimiter:
    """Per-host concurrency and spacing of request starts.

    ``delay_for(host)`` is consulted at each acquire, and a ``Crawl-delay`` learnt from
    robots.txt also moves the next start of that host (:meth:`set_host_delay`).
    """

    def __init__(self, per_host: int = 2, delay: float = 1.0,
                 clock: Clock = time.monotonic) -> None:
        self.per_host = max(1, per_host)
        self.delay = max(0.0, delay)
        self.clock = clock
        self._active: dict[str, int] = {}
        self._next: dict[str, float] = {}
        self._held: dict[str, float] = {}  # hosts a long Retry-After put off (see hold)
        # Told of each hold as it is set (host, seconds): the crawl keeps it in its state
        # at once, so that a run killed before its end does not forget it.
        self.on_hold: Callable[[str, float], None] | None = None
        self._last: dict[str, float] = {}  # when the last request to a host started
        self._extra: dict[str, float] = {}
        self._cond: asyncio.Condition | None = None

    def set_host_delay(self, host: str, delay: float) -> None:
        """A host-specific delay (from robots.txt) that applies when larger than ours,
        from the last request on: that was the robots.txt request itself, and the first
        page must keep the Crawl-delay from it too."""
        self._extra[host] = delay
        if host in self._last:
            self._next[host] = max(self._next.get(host, 0.0),
                                   self._last[host] + self.delay_for(host))

    def delay_for(self, host: str) -> float:
        return max(self.delay, self._extra.get(host, 0.0))

    def ready_at(self, host: str) -> float:
        """When the next request to ``host`` may start (clock time); inf when full."""
        if self._active.get(host, 0) >= self.per_host:
            return float("inf")
        return self._next.get(host, 0.0)

    def _condition(self) -> asyncio.Condition:
        if self._cond is None:
            self._cond = asyncio.Condition()
        return self._cond

    async def acquire(self, host: str,
                      give_up: Callable[[], bool] | None = None) -> bool:
        """Wait for ``host``'s turn and take it (True); or, once ``give_up()`` says so
        (checked on every wake, :meth:`wake` included), take nothing (False)."""
        cond = self._condition()
        async with cond:
            while True:
                if give_up is not None and give_up():
                    return False
                ready = self.ready_at(host)
                now = self.clock()
                if ready <= now:
                    break
                timeout = None if ready == float("inf") else ready - now
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(cond.wait(), timeout)
            self._active[host] = self._active.get(host, 0) + 1
            self._last[host] = now
            self._next[host] = now + self.delay_for(host)
            return True

    async def wake(self) -> None:
        """Wake every waiter to ask its ``give_up`` again (the run is stopping)."""
        cond = self._condition()
        async with cond:
            cond.notify_all()

    async def release(self, host: str) -> None:
        cond = self._condition()
        async with cond:
            n = self._active.get(host, 1) - 1
            if n <= 0:
                self._active.pop(host, None)
            else:
                self._active[host] = n
            cond.notify_all()

    def defer(self, host: str, seconds: float) -> None:
        """Hold every request to ``host`` for ``seconds`` (after a 429/503 Retry-After)."""
        self._next[host] = max(self._next.get(host, 0.0), self.clock() + seconds)

    def hold(self, host: str, seconds: float) -> None:
        """Ask ``host`` nothing more for ``seconds``: a Retry-After longer than a run
        waits. Kept apart from the spacing (``_next``), which a long --delay or
        Crawl-delay also makes long, and which requests wait out rather than give up on."""
        self._held[host] = max(self._held.get(host, 0.0), self.clock() + seconds)
        if self.on_hold is not None:
            self.on_hold(host, seconds)

    def holds(self) -> dict[str, float]:
        """Every host a :meth:`hold` still keeps, with the seconds left."""
        now = self.clock()
        return {h: until - now for h, until in self._held.items() if until > now}

    def held_for(self, host: str) -> float:
        """Seconds a :meth:`hold` still keeps ``host`` (0 when none does)."""
        return max(0.0, self._held.get(host, 0.0) - self.clock())

