"""The crawl loop: frontier -> fetch -> extract (process pool) -> write + state, in batches.

One asyncio event loop does all the I/O; CPU work (HTML parsing, extraction, cleaning)
goes to a process pool. The loop:

- loads due URLs from the state a few hundred at a time into per-host queues, and
  hands them out round-robin over hosts that the politeness limiter says are ready,
  so one slow or rate-limited host never holds up the others;
- for each URL sends a conditional GET (stored ETag / Last-Modified); 304 and a body
  identical to the last one cost no extraction; a changed text writes a new record;
- collects results into a batch that is committed as a whole (see
  :mod:`scraper.crawl.output`): output files first, then one state transaction;
- adapts each URL's revisit interval: unchanged -> longer, changed -> shorter.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import multiprocessing
import os
import secrets
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from scraper.crawl import work
from scraper.crawl.discovery import MAX_SITEMAP_BYTES, looks_like_feed, parse_discovery
from scraper.crawl.output import CrawlOutput, crash_point, reconcile
from scraper.crawl.sources import Source
from scraper.crawl.urls import Scope, host_of, normalize_url
from scraper.crawl.work import (
    PageJob,
    PageOutcome,
    analyse_page,
    body_hash,
    same_version,
    start_worker,
)
from scraper.errors import (
    ContentTypeError,
    FetchError,
    FetchStopped,
    HostBackedOffError,
    HTTPStatusError,
    RetryLaterError,
    RobotsDisallowedError,
)
from scraper.fetch import (
    DISCOVERY_TYPES,
    HTML_TYPES,
    PAGE_TYPES,
    XML_TYPES,
    FetchConfig,
    Fetcher,
    host_key,
)
from scraper.fetch.client import PERMANENT_REDIRECTS, FetchResult
from scraper.fetch.robots import origin_of
from scraper.pipeline import Reject, RunContext
from scraper.record import validate_record
from scraper.runner import RunSummary
from scraper.state.base import CrawlState, NewUrl, UrlEntry, UrlUpdate
from scraper.urls import URL_RULES
from scraper.workers import FORKSERVER_FIRST, KILL_GRACE, cpu_count

DAY = 86400.0
# Sitemap indexes followed below a listed sitemap (sitemaps.org allows none, sites nest
# a few: by year, by month).
MAX_SITEMAP_NESTING = 4
# URLs new to the state one read of one sitemap (or feed) may add: what sitemaps.org lets
# a sitemap list, so a valid one is always taken whole. A text sitemap of a million
# lines, or one of cache-busted URLs the normaliser does not know, put them all in the
# frontier in one run, and on every run after it that found them spelled anew.
MAX_SITEMAP_NEW_URLS = 50_000


@dataclass
class RevisitPolicy:
    """How often a URL is fetched again, adapted to how often it changes.

    The first revisit comes after the source's interval; each fetch that finds the page
    unchanged multiplies the interval by ``grow`` (up to ``max_interval``), each change
    by ``shrink`` (down to ``min_interval``, or the source's interval if that is less).
    Failed fetches are retried after ``retry_base * 2**(attempts-1)``, up to
    ``max_interval``; after ``max_attempts`` failures in a row the URL's status says
    ``failed`` rather than ``error``. The wait keeps doubling rather than jumping to
    ``max_interval`` after a few tries: a page first found during a three-hour outage
    (10, 20, 40, 80 minutes: five failures) was put off for a month, and a news
    article a month late is lost.
    """

    grow: float = 2.0
    shrink: float = 0.5
    min_interval: float = 300.0
    max_interval: float = 30 * DAY
    retry_base: float = 600.0
    max_attempts: int = 5

    def retry_wait(self, attempts: int) -> float:
        """Seconds before a URL that failed ``attempts`` times in a row is asked again."""
        return float(min(self.retry_base * 2 ** min(attempts - 1, 60), self.max_interval))

    def next_interval(self, previous: float | None, base: float, changed: bool) -> float:
        if previous is None:
            return base
        if changed:
            return max(previous * self.shrink, min(self.min_interval, base))
        return min(previous * self.grow, max(self.max_interval, base))


@dataclass
class CrawlConfig:
    """Options of one crawl run (the CLI maps its flags onto these)."""

    output: str | None  # records (JSONL) base name; shards get "-<run>-NNNNN"
    state: str  # SQLite file
    fetch: FetchConfig = field(default_factory=FetchConfig)
    warc: str | None = None  # raw responses as WARC (base name)
    extract: bool = True  # False: fetch, follow links and save raw (WARC) only
    max_pages: int | None = None  # URLs fetched in this run
    max_time: float | None = None  # seconds; then stop dispatching and commit
    workers: int | None = None  # extraction processes (None: all cores; 0: a thread)
    batch_size: int = 500  # records per committed batch (and output shard)
    batch_seconds: float = 10.0
    queue_size: int = 2000  # due URLs loaded from the state at a time
    revisit: RevisitPolicy = field(default_factory=RevisitPolicy)
    output_format: Literal["text", "markdown"] = "text"
    validate: bool = False
    rejects: str | None = None
    stop_grace: float = 10.0  # seconds in-flight fetches get after a stop request


@dataclass
class CrawlSummary(RunSummary):
    """The run summary plus crawl counters; ``one_line`` is what cron logs keep."""

    fetched: int = 0
    new: int = 0
    changed: int = 0
    not_modified: int = 0
    same_content: int = 0
    errors: int = 0  # rejects: URLs the rejects file names (see Crawler._reject)
    disallowed: int = 0
    skipped: int = 0
    duplicates: int = 0  # records another URL of the same canonical address wrote
    deferred: int = 0
    offsite: int = 0  # pages redirected outside their source's hosts (not followed)
    excluded: int = 0  # known URLs outside their source's scope now (not fetched again)
    respelled: int = 0  # known URLs the normaliser spells otherwise now (see _respelled)
    discovered: int = 0
    requests: int = 0
    run_id: str = ""
    # Sources that cannot reach anything past their start pages this run (see
    # Crawler._scope_warnings): printed under the summary line, kept in --summary-json.
    warnings: list[str] = field(default_factory=list)
    state_counts: dict[str, int] = field(default_factory=dict)

    def report_lines(self) -> list[str]:
        """What a run prints when it ends: the summary line, then a line per warning."""
        return [self.one_line(), *(f"pagewash: warning: {w}" for w in self.warnings)]

    def one_line(self) -> str:
        parts = [
            f"pagewash {self.command}: {self.fetched} fetched",
            f"{self.new} new",
            f"{self.changed} changed",
            f"{self.not_modified} unchanged (304)",
            f"{self.same_content} unchanged (same content)",
            f"{self.errors} error{'s' if self.errors != 1 else ''}",
        ]
        for label, n in (("disallowed", self.disallowed), ("skipped", self.skipped),
                         ("duplicates" if self.duplicates != 1 else "duplicate",
                          self.duplicates),
                         ("deferred", self.deferred), ("redirected off-site", self.offsite),
                         ("dropped from the scope", self.excluded),
                         ("old spellings dropped" if self.respelled != 1
                          else "old spelling dropped", self.respelled),
                         ("URLs found" if self.discovered != 1 else "URL found",
                          self.discovered)):
            if n:
                parts.append(f"{n} {label}")
        parts.append(f"{self.seconds:.1f}s")
        if self.stopped:
            parts.append("STOPPED")
        return ", ".join(parts)


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


class _HostQueues:
    """Due URLs per host, handed out round-robin among hosts that may be fetched now."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.queues: dict[str, deque[UrlEntry]] = {}
        self.inflight: dict[str, int] = {}
        self.not_before: dict[str, float] = {}
        self.size = 0

    def push(self, entry: UrlEntry) -> None:
        self.queues.setdefault(host_key(entry.url), deque()).append(entry)
        self.size += 1

    def pop_ready(self) -> tuple[UrlEntry | None, float]:
        """An entry whose host is ready, else (None, seconds until one may be)."""
        now = time.monotonic()
        limiter = self.fetcher.limiter
        soonest = float("inf")
        for host in list(self.queues):
            if self.inflight.get(host, 0) >= limiter.per_host:
                continue
            t = max(limiter.ready_at(host), self.not_before.get(host, 0.0))
            if t <= now:
                dq = self.queues.pop(host)
                entry = dq.popleft()
                if dq:
                    self.queues[host] = dq  # to the back: round robin
                self.size -= 1
                self.inflight[host] = self.inflight.get(host, 0) + 1
                self.not_before[host] = now + limiter.delay_for(host)
                return entry, 0.0
            soonest = min(soonest, t)
        return None, max(0.0, soonest - now)

    def done(self, entry: UrlEntry) -> None:
        host = host_key(entry.url)
        n = self.inflight.get(host, 1) - 1
        if n <= 0:
            self.inflight.pop(host, None)
        else:
            self.inflight[host] = n


@dataclass
class _Batch:
    updates: list[UrlUpdate] = field(default_factory=list)
    new_urls: list[NewUrl] = field(default_factory=list)
    records: int = 0
    # start URLs whose meta refresh leads elsewhere: id -> the target (their final_url)
    moved: dict[int, str] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def __bool__(self) -> bool:
        return bool(self.updates or self.new_urls or self.records)


class Crawler:
    """One crawl run over ``sources`` with ``state``; :meth:`run` returns the summary."""

    def __init__(self, sources: Sequence[Source], config: CrawlConfig, state: CrawlState, *,
                 ctx: RunContext | None = None, err: TextIO | None = None) -> None:
        self.sources = {s.name: s for s in sources}
        self.scopes: dict[str, Scope] = {s.name: s.scope() for s in sources}
        # the seeds, feeds and sitemaps the sources name (not those robots.txt lists)
        self._listed: set[str] = {u for s in sources for u, _ in s.start_urls()}
        self._listed_moved_to: set[str] = set()  # where they redirect (_register_sources)
        self.config = config
        self.state = state
        self.ctx = ctx or RunContext()
        self.err = err or sys.stderr
        self.run_id = new_run_id()
        self.summary = CrawlSummary("crawl", run_id=self.run_id)
        self._pool: Executor | None = None
        self._slots: asyncio.Semaphore | None = None  # pages in the pool at a time
        self._batch = _Batch()
        self._seen: set[int] = set()
        # URLs fetched this run, also as the end of another URL's redirect: the frontier
        # copy of a redirect target is not fetched a second time (see _redirect_target).
        self._handled: set[str] = set()
        self._page_counts: dict[str, int] = {}
        # Pages counted against a capped source's max_pages this run, not yet in the
        # state (queued in the batch): a redirect to one of them counts it once.
        self._counted: set[str] = set()
        self._robots_read: set[tuple[str, str]] = set()  # (source, origin) asked this run
        # source -> [links its start URLs gave this run, of them in scope, unchanged ones]
        self._start_links: dict[str, list[int]] = {}
        self._offsite: list[str] = []  # examples of pages redirected off-site, for a warning
        self._linkless_seeds: list[str] = []  # seeds read this run that link to nothing
        self._written: set[int] = set()  # hash((record id, version)) written this run
        self._refresh_hops: dict[str, int] = {}  # meta refresh targets: refreshes to them
        self._last_commit = time.monotonic()
        # URLs became due during the run (a permanent redirect whose target is gone):
        # the loop claims again before it ends (see _failed).
        self._reclaim = False
        # Since when the state's URLs are spelled by this pagewash's URL_RULES: a page
        # read before then had its links spelled by older ones (see _links_outdated).
        self._rules_since = 0.0
        self.output: CrawlOutput | None = None

    # -- the run -----------------------------------------------------------------------

    async def run(self) -> CrawlSummary:
        c = self.config
        t0 = time.perf_counter()
        now = time.time()
        reconcile(self.state, now, log=self.err)
        self.output = CrawlOutput(c.output if c.extract else None, c.warc, self.run_id)
        self.state.start_run(self.run_id, now, self.output.bases())
        f = c.fetch
        self.state.set_address_policy(
            json.dumps([f.allow_private, sorted(f.allow_addresses)]), now)
        self._rules_since = self.state.url_rules_since(str(URL_RULES), now)
        self._register_sources(now)
        self._name_blocked_start_urls()
        self._page_counts = self.state.page_counts()
        try:
            async with Fetcher(c.fetch) as fetcher:
                self.fetcher = fetcher
                # A host that asked for a pause longer than a run (Retry-After) is held
                # across runs: each cron run asked it again (its robots.txt, a page),
                # every ten minutes of the hour it had asked for.
                for host, until in self.state.host_holds(now).items():
                    fetcher.limiter.hold(host, min(until - now, DAY))
                fetcher.limiter.on_hold = self._keep_hold
                await self._loop(fetcher)
                self.summary.requests = fetcher.requests
                # (each hold was written when it was set: this forgets those past)
                held = time.time()
                self.state.hold_hosts({h: held + min(left, DAY) for h, left
                                       in fetcher.limiter.holds().items()}, held)
        except BaseException:
            self.output.close()
            self._close_pool()
            raise
        self._commit()
        self.output.close()
        self._close_pool()
        s = self.summary
        s.seconds = round(time.perf_counter() - t0, 3)
        s.outputs = self.output.paths
        s.stopped = self.ctx.stop.is_set()
        s.rejected = self.ctx.reject_count
        s.reject_reasons = dict(self.ctx.reject_reasons)
        s.documents_in = s.fetched
        s.records_out = s.new + s.changed
        s.state_counts = self.state.counts()
        s.warnings = self._scope_warnings()
        self.state.finish_run(self.run_id, time.time(), {"line": s.one_line()})
        return s

    def _keep_hold(self, host: str, seconds: float) -> None:
        """Write a host's new hold to the state as it is set, in a transaction of its own.
        Kept only at the end of the run, it was lost when the run was killed (``kill
        -9``, the OOM killer, systemd's SIGKILL after its stop timeout), and the next
        cron run asked the host again, minutes into the hour it had asked for."""
        now = time.time()
        self.state.hold_hosts({host: now + min(seconds, DAY)}, now)

    def _register_sources(self, now: float) -> None:
        new: list[NewUrl] = []
        for src in self.sources.values():
            for url, kind in src.start_urls():
                new.append(NewUrl(url, host_of(url), src.name, kind, 0, now, priority=0))
        self.state.add_urls(new)
        for u in new:
            self.state.update_discovery(u.url, u.source, u.kind, now)
            # where a listed seed redirects is crawled as a seed of its own, not listed;
            # so is where that leads when it moved for good too (remembered, it is not
            # asked through the seed: the second target was dropped from the scope)
            e = self.state.get(u.url)
            for _ in range(self.config.fetch.max_redirects):
                if e is None or not e.final_url:
                    break
                target = normalize_url(e.final_url) or e.final_url
                if target in self._listed_moved_to:
                    break  # (a loop)
                self._listed_moved_to.add(target)
                e = self.state.get(target)
                if e is not None and e.status != "redirect":
                    break

    async def _loop(self, fetcher: Fetcher) -> None:
        c = self.config
        queues = _HostQueues(fetcher)
        tasks: dict[asyncio.Task[None], UrlEntry] = {}
        max_tasks = c.fetch.concurrency + 2 * max(1, self._workers())
        deadline = time.monotonic() + c.max_time if c.max_time else None
        fetcher.should_stop = lambda: self.ctx.stop.is_set() or (
            deadline is not None and time.monotonic() >= deadline)
        budget = c.max_pages
        exhausted = False
        stopping = False
        while True:
            if not stopping and (self.ctx.stop.is_set()
                                 or (deadline is not None and time.monotonic() >= deadline)
                                 or budget == 0):
                stopping = True
            if stopping:
                break
            if self._reclaim:
                self._reclaim, exhausted = False, False
            if not exhausted and queues.size < c.queue_size // 2:
                claimed = self.state.claim_due(self.run_id, time.time(), c.queue_size)
                for e in claimed:
                    queues.push(e)
                exhausted = not claimed
            wait = 0.2
            while len(tasks) < max_tasks and (budget is None or budget > 0):
                entry, wait = queues.pop_ready()
                if entry is None:
                    break
                if entry.url in self._handled:  # fetched already, as a redirect's target
                    queues.done(entry)
                    continue
                if self._respelled(entry) or self._left_scope(entry):
                    queues.done(entry)
                    continue
                if budget is not None:
                    budget -= 1
                task = asyncio.create_task(self._handle(entry))
                tasks[task] = entry
            if not tasks and queues.size == 0 and exhausted:
                if self._batch.new_urls:
                    self._commit()
                    exhausted = False
                    continue
                break
            if tasks:
                done, _ = await asyncio.wait(list(tasks), timeout=min(max(wait, 0.001), 0.2),
                                             return_when=asyncio.FIRST_COMPLETED)
                for t in done:
                    queues.done(tasks.pop(t))
                    t.result()  # a bug in the crawl itself is raised, not hidden
            else:
                await asyncio.sleep(min(max(wait, 0.001), 0.2))
            if self._commit_due(queues.size == 0):
                self._commit()
                exhausted = False
        # Stopping: requests still waiting for their host's turn give up (should_stop);
        # let in-flight fetches finish for a moment, then cancel the rest; their URLs are
        # not committed and stay due for the next run.
        await fetcher.limiter.wake()
        if tasks:
            done, pending = await asyncio.wait(list(tasks), timeout=c.stop_grace)
            for t in pending:
                t.cancel()
            for t in pending:
                with contextlib.suppress(asyncio.CancelledError):
                    await t
            if pending and self._pool is not None:
                # Pages still in the pool are dropped with their tasks (they stay due):
                # the workers are not waited for, or one stuck inside C code on a page
                # held the stop until systemd's SIGKILL.
                self._kill_pool(self._pool)
            for t in done:
                t.result()

    def _commit_due(self, queue_empty: bool) -> bool:
        b = self._batch
        if not b:
            return False
        if b.records >= self.config.batch_size:
            return True
        if len(b.new_urls) >= 5000:
            # A big sitemap: hand its URLs to the state now rather than hold them all.
            return True
        if time.monotonic() - b.started >= self.config.batch_seconds:
            return True
        # Links found but not committed cannot be fetched yet: commit them soon when the
        # queue runs dry, but not more than once a second.
        return queue_empty and bool(b.new_urls) and time.monotonic() - self._last_commit >= 1.0

    def _commit(self) -> None:
        b, self._batch = self._batch, _Batch()
        self._last_commit = time.monotonic()
        if not b:
            return
        assert self.output is not None
        crash_point("before-publish")
        outputs = self.output.publish()
        if outputs:
            crash_point("after-publish")
        for u in b.updates:
            u.final_url = b.moved.get(u.id, u.final_url)
        added = self.state.commit_batch(self.run_id, b.updates, b.new_urls, outputs)
        self.summary.discovered += added
        crash_point("after-state")

    # -- one URL -----------------------------------------------------------------------

    async def _handle(self, entry: UrlEntry) -> None:
        # (not asked, not committed: the URL stays due for the next run)
        with contextlib.suppress(FetchStopped):
            await self._handle_entry(entry)

    async def _handle_entry(self, entry: UrlEntry) -> None:
        self._handled.add(entry.url)
        kind = entry.kind
        if kind in ("seed", "feed", "sitemap"):
            await self._robots_sitemaps(entry)
        # A feed or sitemap of the sources served as text/html (a common misconfiguration)
        # is still read for what it is; the body decides, and a page that is no feed is a
        # bad-feed. Sitemaps robots.txt lists are not: an HTML soft-404 there is skipped.
        accept = PAGE_TYPES if kind not in ("feed", "sitemap") else (
            DISCOVERY_TYPES | HTML_TYPES if self._is_start_url(entry.url) else DISCOVERY_TYPES)
        # A page a --no-extract run fetched has validators but no record yet: asked
        # conditionally it came back 304 on every later extracting run, never extracted.
        fresh = self._never_extracted(entry) or self._links_outdated(entry)
        sent = (None, None) if fresh else (entry.etag, entry.last_modified)
        # Sitemaps may be 50 MB (sitemaps.org), a 50,000-URL news sitemap 10-25 MB: under
        # the pages' 10 MiB cap big sites' sitemaps failed as too-large, or as a
        # decompression bomb when sent gzip-encoded.
        cap = self._discovery_cap() if kind in ("feed", "sitemap") else None
        # (Feeds and sitemaps are read where they redirect, under their own entry, which
        # holds the target's validators; a page's target has an entry of its own.)
        places = kind not in ("feed", "sitemap")
        # A feed or sitemap that moved for good (a 301/308 last time) is asked where it
        # went: asking its old address cost a redirect on every visit. Gone from there
        # (404, 410), the old address is asked again, to see where it leads now. (A page
        # that moved is not asked at all: its target is crawled under its own entry.)
        moved = (not places and entry.final_url is not None
                 and entry.http_status in PERMANENT_REDIRECTS)
        try:
            try:
                res = await self.fetcher.fetch(
                    entry.final_url if moved and entry.final_url else entry.url,
                    etag=sent[0], last_modified=sent[1], accept=accept, max_bytes=cap,
                    follow=self._follow if places else None,
                    validators=self._validators if places else None)
            except HTTPStatusError as exc:
                if not moved or exc.status not in (404, 410):
                    raise
                moved = False
                res = await self.fetcher.fetch(
                    entry.url, etag=sent[0], last_modified=sent[1], accept=accept,
                    max_bytes=cap)
        except FetchError as exc:
            self._failed(entry, exc)
            return
        if moved:  # as if through the redirect it remembers, which holds as long as this
            res = dataclasses.replace(
                res, url=entry.url, redirects=[entry.url, *res.redirects],
                redirect_statuses=[entry.http_status or 301, *res.redirect_statuses])
        self.summary.fetched += 1
        if res.final_url != entry.url and places:
            # A redirect: the page is crawled under its final URL, once, however many
            # URLs lead to it; this entry only remembers where it points. The response
            # is the target's fetch when the target is due: asked for again, it was
            # fetched twice in the run that found it.
            target = self._redirected(entry, res, res.sent)
            if target is None:
                if res.not_modified:
                    self.summary.not_modified += 1
                return
            entry, kind = target, target.kind
            if kind == "seed":
                await self._robots_sitemaps(entry)
        if res.not_modified:
            self.summary.not_modified += 1
            self._start_unchanged(entry)
            self._update(entry, res, changed=False, status="ok")
            return
        if self.output is not None and self.output.warc is not None:
            self.output.warc.write(res.final_url, res.status, _reason(res.status), res.headers,
                                   res.body, res.http_version, iso(res.fetched_at))
        if (kind in ("feed", "sitemap") or res.content_type in XML_TYPES
                or (kind == "seed" and looks_like_feed(res.body))):
            await self._discover(entry, res)
        else:
            await self._page(entry, res)

    def _discovery_cap(self) -> int:
        """Bytes a feed or sitemap may have, downloaded or unpacked from ``.xml.gz``."""
        return max(self.config.fetch.max_bytes, MAX_SITEMAP_BYTES)

    def _name_blocked_start_urls(self) -> None:
        """A start URL an earlier run refused for its address is not asked again until
        the address options change (``set_address_policy``); until then each run names
        it (a reject, exit status 3). A cron job whose only seed is refused otherwise
        reported "0 fetched … 0 errors" and exit status 0 from its second run on."""
        for url in sorted(self._listed):
            entry = self.state.get(url)
            if entry is not None and entry.status == "blocked" and entry.next_due is None:
                self._reject(url, "blocked-address",
                             "refused in an earlier run for its address (loopback, private "
                             "or link-local); use --allow-private or --allow-address to "
                             "crawl it", step="fetch")

    def _is_start_url(self, url: str) -> bool:
        """A seed, feed or sitemap the sources file lists, or where one of them redirects
        (http to https, a new path): the way into a site, held to the daily retry and
        named when it fails. Where a seed moved to counted as an ordinary page, and one
        404 there hid the whole site for 30 days."""
        return url in self._listed or url in self._listed_moved_to

    def _in_scope(self, scope: Scope, entry: UrlEntry, url: str) -> bool:
        """Whether ``url`` (``entry`` itself, or where it leads) is in ``entry``'s scope:
        the include/exclude patterns and depth of its source, unless ``entry`` is a page
        the sources list (``pages``), which is wanted wherever it stands and leads."""
        return scope.allows(url, entry.depth) or self._is_start_url(entry.url)

    def _respelled(self, entry: UrlEntry) -> bool:
        """A URL the state holds under a spelling the normaliser no longer gives (one
        with a cache-buster that an earlier pagewash kept: a sitemap stamped per request
        left each article there under a spelling a run, each revisited for good). It is
        not fetched but dropped for good (no link can lead to it now), and its spelling
        of today taken in its place. Only when that spelling is its own: were it not, the
        new one would be dropped in its turn on its next visit."""
        url = normalize_url(entry.url)
        if url is None or url == entry.url or normalize_url(url) != url:
            return False
        self.state.exclude([entry.id], None)
        self.summary.respelled += 1
        self._add_url(url, entry.source, entry.kind, entry.depth,
                      priority=0 if entry.kind in ("feed", "sitemap") else 1)
        return True

    def _left_scope(self, entry: UrlEntry) -> bool:
        """A known page or hub that its source's scope no longer takes (an exclude or
        include pattern, hosts or max_depth changed since it was found), or a seed or
        feed its source no longer lists, is not fetched: it was revisited, followed and
        written for good. It is looked at again (no request) after the longest revisit
        interval, or at once when a link leads to it in scope or it is listed again.
        Sitemaps are what sites list (indexes, robots.txt): not held to it."""
        src = self.sources.get(entry.source)
        if src is None or src.command_line:
            return False
        if entry.kind in ("page", "hub"):
            if self._in_scope(self.scopes[src.name], entry, entry.url):
                return False
        elif entry.kind not in ("seed", "feed") or self._is_start_url(entry.url):
            return False
        self.state.exclude([entry.id], time.time() + self.config.revisit.max_interval)
        self.summary.excluded += 1
        return True

    def _follow(self, url: str) -> bool:
        """Whether to follow a redirect to ``url``: not when this run fetched it, or is
        fetching it, as a URL of its own (a page linking to an article and to a short
        link of it had the article fetched twice); nor when the state holds it and its
        next visit is still to come: its answer was set aside (see _redirect_target),
        so a new short link to an article crawled an hour ago cost a second request.
        (A URL remembered as moved is followed: see _fetch_due.)"""
        target = normalize_url(url)
        if target in self._handled:
            return False
        known = self.state.get(target) if target is not None else None
        return known is None or _fetch_due(known, time.time())

    def _validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The stored validators of a redirect target, which its hop is asked with (see
        :meth:`Fetcher.fetch`); None for a URL the state does not hold (the hop keeps
        the redirecting URL's, which are those of where it led last time)."""
        target = normalize_url(url)
        known = self.state.get(target) if target is not None else None
        if known is None:
            return None
        if self._never_extracted(known) or self._links_outdated(known):
            return (None, None)
        return (known.etag, known.last_modified)

    async def _robots_sitemaps(self, entry: UrlEntry) -> None:
        """Queue the sitemaps a host's robots.txt lists, once per source and host a run,
        for sources that ask for it (``robots_sitemaps = true``)."""
        src = self.sources.get(entry.source)
        if src is None or not src.robots_sitemaps:
            return
        key = (src.name, origin_of(entry.url))
        if key in self._robots_read:
            return
        self._robots_read.add(key)
        try:
            robots = await self.fetcher.robots.entry(entry.url)
        except FetchError:
            return  # the page fetch itself will say what is wrong with the host
        scope = self._scope(entry)
        for raw in robots.sitemaps():
            url = normalize_url(raw, entry.url)
            if url is not None and scope.host_ok(host_of(url)):
                self._add_url(url, entry.source, "sitemap", 0, priority=0)

    async def _discover(self, entry: UrlEntry, res: FetchResult) -> None:
        bh = body_hash(res.body)
        if bh == entry.body_hash and not self._links_outdated(entry):
            self.summary.same_content += 1
            self._start_unchanged(entry)
            self._update(entry, res, changed=False, status="ok", body_hash=bh)
            return
        try:
            found = await asyncio.to_thread(parse_discovery, res.body, res.final_url,
                                            self._discovery_cap())
        except FetchError as exc:
            self._failed(entry, exc, res)
            return
        scope = self._scope(entry)
        depth = entry.depth + 1
        # A sitemap's depth counts how deep in sitemap indexes it is; its pages are one
        # hop from it. At the same depth as their index, sitemaps that list the next
        # one (a pager's bug: ?p=N lists ?p=N+1, or a fresh session id each time) took
        # a whole run, and every run after it, fetching sitemaps.
        nested = entry.depth + 1 if entry.kind == "sitemap" else entry.depth
        if entry.kind == "sitemap":
            depth = 1
        modified = found.modified.get
        kept = 0
        too_deep: list[str] = []
        bound = _NewUrlBound(len(found.sitemaps) + len(found.pages), self._known)
        for url in found.sitemaps:
            if nested > MAX_SITEMAP_NESTING:
                too_deep.append(url)
            elif scope.host_ok(host_of(url)):
                kept += 1
                if bound.takes(url):
                    self._add_url(url, entry.source, "sitemap", nested, priority=0,
                                  modified=modified(url))
        if too_deep:
            self._reject(entry.url, "sitemap-too-deep", f"lists {len(too_deep)} sitemap"
                         f"{'s' if len(too_deep) != 1 else ''} nested more than "
                         f"{MAX_SITEMAP_NESTING} indexes deep, not followed (e.g. "
                         f"{too_deep[0]})", step="discover")
        for url in found.pages:
            if scope.allows(url, depth):
                kept += 1
                if bound.takes(url):
                    self._add_url(url, entry.source, "hub" if scope.is_hub(url) else "page",
                                  depth, modified=modified(url))
        self._count_start_links(entry, len(found.sitemaps) + len(found.pages), kept)
        if bound.left:
            # Read in part: no validators and no hash kept, so that its next visit reads
            # it again (not a 304, not "same content") and takes the next share.
            self._reject(entry.url, "too-many-new-urls", f"lists {bound.new + bound.left:,} "
                         f"URLs the crawl does not hold, more than the {bound.cap:,} one "
                         f"{entry.kind} may add in a run: {bound.left:,} left for its next "
                         f"visits (e.g. {bound.first_left})", step="discover")
            self._update(entry, res, changed=True, status="ok", partial=True)
            return
        self._update(entry, res, changed=True, status="ok", body_hash=bh)

    async def _page(self, entry: UrlEntry, res: FetchResult) -> None:
        c = self.config
        bh = body_hash(res.body)
        if (bh == entry.body_hash and not self._never_extracted(entry)
                and not self._links_outdated(entry)):
            # Byte-identical to the last fetch: same text, same links; skip the CPU work.
            self.summary.same_content += 1
            self._start_unchanged(entry)
            self._update(entry, res, changed=False, status="ok", body_hash=bh)
            return
        scope = self._scope(entry)
        extract = c.extract and entry.kind == "page"
        # a page the sources list is wanted for itself: its links are not followed
        want_links = entry.depth < scope.max_depth and not (
            entry.kind == "page" and self._is_start_url(entry.url))
        outcome = PageOutcome()
        if extract or want_links:
            job = PageJob(res.body, res.final_url, res.headers, res.status, iso(res.fetched_at),
                          extract, scope if want_links else None, entry.depth,
                          c.output_format)
            outcome = await self._analyse(job)
        depth = entry.depth + 1
        self._count_start_links(entry, outcome.links_found, len(outcome.links))
        if (entry.kind == "seed" and want_links and not outcome.links_found
                and outcome.reject is None and outcome.refresh is None
                and self._is_start_url(entry.url)):
            self._linkless_seeds.append(entry.url)
        for url in outcome.links:
            self._add_url(url, entry.source, "hub" if scope.is_hub(url) else "page", depth)
        if outcome.refresh is not None:
            self._refreshed(entry, outcome.refresh)
        if outcome.reject is not None:
            reason, message = outcome.reject
            self._reject(entry.url, reason, message, step="extract")
            if reason == "worker-crashed":
                # Not the page's fault (or not provably): keep no validators or hash, so
                # the next run fetches and extracts it in full again.
                self._batch.updates.append(UrlUpdate(
                    id=entry.id, status="error", next_due=time.time()
                    + self.config.revisit.retry_base, interval=entry.interval,
                    attempts=entry.attempts + 1, fetched_at=time.time(),
                    http_status=res.status, etag=entry.etag,
                    last_modified=entry.last_modified, error=f"{reason}: {message}"))
                return
            self._update(entry, res, changed=False, status="unextractable", body_hash=bh,
                         error=f"{reason}: {message}")
            return
        if outcome.noindex and extract:
            self.summary.skipped += 1
            self._update(entry, res, changed=False, status="noindex", body_hash=bh)
            return
        rec = outcome.record
        if rec is None:  # hubs, seeds, raw mode
            self._update(entry, res, changed=bh != entry.body_hash, status="ok", body_hash=bh)
            return
        if same_version(entry.content_hash, outcome.content_hash):
            self.summary.same_content += 1
            self._update(entry, res, changed=False, status="ok", body_hash=bh,
                         content_hash=outcome.content_hash)
            return
        if not rec["text"].strip():
            # Nothing left after extraction (an index or gallery page): no record.
            self.summary.skipped += 1
            self._update(entry, res, changed=False, status="empty", body_hash=bh,
                         content_hash=outcome.content_hash)
            return
        if self._duplicate(entry, rec, outcome.content_hash):
            self.summary.duplicates += 1
            self._update(entry, res, changed=False, status="duplicate", body_hash=bh,
                         content_hash=outcome.content_hash)
            return
        if c.validate:
            validate_record(rec)
        assert self.output is not None
        self.output.write(rec)
        self._batch.records += 1
        self._written.add(hash((rec["id"], outcome.content_hash)))
        if entry.content_hash is None:
            self.summary.new += 1
        else:
            self.summary.changed += 1
        self._update(entry, res, changed=True, status="ok", body_hash=bh,
                     content_hash=outcome.content_hash, record_id=rec["id"])

    def _duplicate(self, entry: UrlEntry, rec: dict[str, Any], version: str | None) -> bool:
        """Whether ``rec`` is a record another URL wrote: an article at two addresses
        (its AMP or print copy, a second section) whose ``<link rel="canonical">``
        names one of them. Its id is the canonical address's, so both wrote the same
        record, twice in a run. Skipped when this run wrote that id and version, or
        another URL did in an earlier run, whichever of them came first: the original
        found after its copy was written too, the same record in the output twice. (A
        state from before the state kept that asks the canonical URL's own version: a
        copy found after the original.) A canonical naming a page of another text (a
        site that points every page at its home page) changes nothing: the versions
        differ. The URL's own earlier versions do not count: a page that goes back to
        an earlier text is written again, its latest version."""
        if hash((rec["id"], version)) in self._written:
            return True
        if version is not None and self.state.written_elsewhere(rec["id"], version,
                                                                  entry.url):
            return True
        canonical = normalize_url(rec.get("canonical_url") or "", entry.url)
        if canonical is None or canonical == entry.url:
            return False
        known = self.state.get(canonical)
        return (known is not None and known.content_hash is not None
                and same_version(known.content_hash, version))

    def _redirected(self, entry: UrlEntry, res: FetchResult,
                    sent: tuple[str | None, str | None]) -> UrlEntry | None:
        """Record where ``entry`` redirects; returns the target's entry when ``res`` is
        to be taken as the target's own fetch (see :meth:`_redirect_target`); ``sent``
        are the validators the request carried."""
        target = normalize_url(res.final_url)
        scope = self._scope(entry)
        found: UrlEntry | None = None
        moved_to: str | None = None
        if target is None or target == entry.url:
            pass
        elif scope.host_ok(host_of(target)):
            if self._is_start_url(entry.url):
                self._listed_moved_to.add(target)
            kind = "hub" if scope.is_hub(target) else entry.kind
            # A page sent to an address its source's include/exclude refuses is not
            # taken (it was fetched and written, the pattern notwithstanding).
            if kind not in ("page", "hub") or self._in_scope(scope, entry, target):
                found = self._redirect_target(target, entry.source, kind, entry.depth,
                                              res.not_modified, sent)
                if res.moved_permanently and (found is not None
                                              or self.state.get(target) is not None):
                    moved_to = target
        else:
            # Not followed, and not silently: a seed that moved to another host is the
            # whole source lost (a reject), pages sent elsewhere (a feed's redirector
            # links, a site that moved) are counted and shown under the summary. (Feeds
            # and sitemaps do not come here: they are read where they redirect.)
            self._off_site(entry, res.final_url, "redirected")
        self._update(entry, res, changed=False, status="redirect", moved_to=moved_to)
        return found

    def _off_site(self, entry: UrlEntry, target: str, how: str, step: str = "fetch") -> None:
        """``entry`` leads to ``target`` on a host outside its source's (``how``: by a
        redirect or a meta refresh): not followed, and not silently."""
        where = f"{target}, outside the hosts of source {entry.source!r}"
        if entry.depth == 0 and (entry.kind in ("seed", "feed", "sitemap")
                                 or self._is_start_url(entry.url)):
            self._reject(entry.url, "redirect-out-of-scope", f"{how} to {where}; "
                         "add its host to hosts to follow it", step=step)
        else:
            self.summary.offsite += 1
            if len(self._offsite) < 3:
                self._offsite.append(f"{entry.url} -> {target}")

    def _refreshed(self, entry: UrlEntry, url: str) -> None:
        """A page whose ``<meta http-equiv="refresh">`` sends readers on to ``url`` (a
        static site's redirect pages, a CMS migration): a redirect made in HTML. It was
        an empty page, skipped, and the article it leads to never crawled. The target
        is queued as a redirect's is, at the page's own depth and kind (where a seed
        leads is a seed, remembered in the state as where it redirects)."""
        scope = self._scope(entry)
        kind = "hub" if scope.is_hub(url) else entry.kind
        if not scope.host_ok(host_of(url)):
            # A seed refreshing to another host crawled nothing, exit status 0, no word
            self._off_site(entry, url, "sends readers (meta refresh)", step="extract")
            return
        if kind in ("page", "hub") and not self._in_scope(scope, entry, url):
            return  # (held to the scope as any link is)
        # A chain of refreshes to ever new URLs (a bot check's "?attempt=N+1", a
        # cache-buster) is held to the redirect limit: each target is queued at the
        # page's own depth, so nothing else bounded it, and it took the whole run.
        hops = self._refresh_hops.get(entry.url, 0) + 1
        if hops > self.config.fetch.max_redirects:
            self._reject(entry.url, "too-many-redirects", f"more than "
                         f"{self.config.fetch.max_redirects} meta refreshes in a row, the "
                         f"last to {url}: not followed", step="extract")
            return
        self._refresh_hops[url] = hops
        if self._is_start_url(entry.url):
            self._listed_moved_to.add(url)
            self._batch.moved[entry.id] = url
        self._add_url(url, entry.source, kind, entry.depth)

    def _redirect_target(self, url: str, source: str, kind: str, depth: int,
                         not_modified: bool, sent: tuple[str | None, str | None]
                         ) -> UrlEntry | None:
        """The state entry of a redirect target that this run should fetch: a new URL
        (added at once, so the response has an entry to be recorded under), or a known
        one that is due and not fetched yet this run. None when it is not due, already
        fetched, or over its source's ``max_pages``; or when the response is a 304 to
        validators (``sent``) that are not the target's own, which says nothing of it.

        A new target is added in its own transaction, before the batch that fetched it
        commits: a run killed in between leaves it due, to be fetched by the next run.
        """
        if url in self._handled:
            return None
        known = self.state.get(url)
        now = time.time()
        if not_modified and (known is None or (known.etag, known.last_modified) != sent):
            return None
        if known is None:
            if not self._room_for(url, source, kind):
                return None
            self._seen.add(hash(url))
            self.summary.discovered += self.state.add_urls(
                [_new_url(url, source, kind, depth, now, priority=0)])
            known = self.state.get(url)
        elif not _fetch_due(known, now):
            return None
        if known is not None:
            self._handled.add(url)
        return known

    async def _analyse(self, job: PageJob) -> PageOutcome:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._executor(job.extract)
            try:
                if not isinstance(pool, ProcessPoolExecutor):
                    # (a thread cannot be stopped: --workers 0 runs pages unbounded)
                    return await loop.run_in_executor(pool, analyse_page, job)
                # No more pages handed to the pool than it has workers, so that a page's
                # time is its own, not that of the pages queued before it.
                async with self._pool_slots():
                    return await asyncio.wait_for(
                        loop.run_in_executor(pool, analyse_page, job),
                        work.PAGE_TIME_LIMIT + KILL_GRACE)
            except TimeoutError:  # (before OSError, whose subclass it is)
                # The worker's own timer did not stop the page: it spins inside C code
                # (lxml on a pathological page), where no signal handler runs. The pool
                # cannot stop one task: its workers are killed and a new pool started
                # (the other pages they held are retried there); without this the run's
                # last step, waiting for the pool, never ended and kept the state locked.
                self._kill_pool(pool)
                return PageOutcome(reject=(
                    "timeout", f"extracting the page took longer than "
                    f"{work.PAGE_TIME_LIMIT:g}s; its worker was stopped"))
            except (BrokenProcessPool, EOFError, OSError):
                # A worker died (a parser crash, the OOM killer), or could not start (its
                # forkserver died of a Ctrl-C sent to the whole process group while it
                # was loading): a new pool, one retry, then this page is rejected rather
                # than the whole crawl stopped. The pool's other workers are killed, not
                # asked to stop: they ignore SIGTERM (their parent decides when to stop),
                # and a broken pool joins them before it lets go, so shutting it down
                # waited for ever and the crawl hung with its state locked. Every page in
                # a broken pool fails with it; a later page's handler leaves alone the
                # new pool the first page's retry runs in.
                self._kill_pool(pool)
                if attempt == 2:
                    return PageOutcome(reject=("worker-crashed",
                                               "extraction worker died on this page"))
        raise AssertionError("unreachable")

    # -- bookkeeping -------------------------------------------------------------------

    def _never_extracted(self, entry: UrlEntry) -> bool:
        """A page fetched (by a --no-extract run) that an extracting run has no record
        version of yet."""
        return (self.config.extract and entry.kind == "page" and entry.status == "ok"
                and entry.content_hash is None and entry.body_hash is not None)

    def _links_outdated(self, entry: UrlEntry) -> bool:
        """Whether ``entry``'s links were last read under older URL rules (an earlier
        pagewash, see :data:`scraper.urls.URL_RULES`): then it is fetched without its
        validators and read in full once, not taken as unchanged (304, same bytes). The
        pagewash before 2 dropped ``?cid=``, ``?ref=``... from the links it found, so a
        hub listing ``list.php?cid=1`` and ``?cid=2`` gave one URL; unchanged since, it
        answered 304 on every run and the pages it lists were never found."""
        if entry.last_fetch is None or entry.last_fetch >= self._rules_since:
            return False
        if entry.kind in ("feed", "sitemap"):
            return True
        return entry.depth < self._scope(entry).max_depth  # a page read for its links

    def _start_counts(self, entry: UrlEntry) -> list[int] | None:
        """[links found, of them in scope, start pages unchanged] of the entry's source
        this run, when the entry is one of its start pages (seed, feed, sitemap)."""
        if entry.depth == 0 and entry.kind in ("seed", "feed", "sitemap"):
            return self._start_links.setdefault(entry.source, [0, 0, 0])
        return None

    def _count_start_links(self, entry: UrlEntry, found: int, kept: int) -> None:
        if (counts := self._start_counts(entry)) is not None:
            counts[0] += found
            counts[1] += kept

    def _start_unchanged(self, entry: UrlEntry) -> None:
        """A start page that is unchanged (304, same bytes) had its links, in scope last
        time, not looked at: its source gets no out-of-scope warning this run."""
        if (counts := self._start_counts(entry)) is not None:
            counts[2] += 1

    def _scope_warnings(self) -> list[str]:
        """Sources whose start pages linked somewhere this run, but nowhere in scope.

        A seed outside ``hosts``, an ``include`` that matches none of a site's addresses
        or an ``exclude`` that matches all of them is valid configuration (a hub on an
        aggregator's host is a fair seed), so it cannot be refused when the file is read;
        what shows the mistake is a run in which every link fell outside the scope. A
        cron job that crawls nothing should say so.
        """
        out = []
        for name, (found, kept, unchanged) in sorted(self._start_links.items()):
            src = self.sources.get(name)
            # (with a depth of 0 nothing a start page links to is followed, by request)
            if (found and not kept and not unchanged and src is not None
                    and self.scopes[name].max_depth > 0):
                scope = self.scopes[name]
                hosts = ", ".join(sorted(scope.hosts)) or "any"
                filters = "".join(f"; {n} {key}" for key, n in (
                    ("include", len(src.include)), ("exclude", len(src.exclude))) if n)
                out.append(f"source {name!r}: its seeds, feeds and sitemaps linked "
                           f"to {found} URL{'s' if found != 1 else ''} this run and none is "
                           f"in its scope (hosts: {hosts}{filters}); check its hosts, "
                           "include and exclude")
        for url in self._linkless_seeds:
            # An article given as a seed: "1 fetched, 0 new" and no word of why. Not
            # written as a record: the page-type guess calls a third of WCXB's hub and
            # listing pages (slashdot.org, theverge.com) articles, and seeds are hubs.
            out.append(f"seed {url}: no links to follow on it, so nothing was crawled "
                       "from it; a seed is read for its links only, never written as a "
                       "record (an article? give it with --page, or list it in its "
                       "source's pages)")
        if self.summary.offsite:
            n = self.summary.offsite
            out.append(f"{n} page{'s' if n != 1 else ''} redirected outside the hosts of "
                       f"their source{'s' if n != 1 else ''} and not followed (e.g. "
                       f"{'; '.join(self._offsite)}): add those hosts to follow them")
        return out

    def _scope(self, entry: UrlEntry) -> Scope:
        scope = self.scopes.get(entry.source)
        if scope is None:  # a source removed from the sources file: no link following
            scope = Scope.build([host_of(entry.url)], max_depth=0)
            self.scopes[entry.source] = scope
        return scope

    def _base_interval(self, entry: UrlEntry) -> float:
        src = self.sources.get(entry.source)
        if src is None:
            return self.config.revisit.max_interval
        return src.revisit if entry.kind == "page" else src.discovery_revisit

    def _add_url(self, url: str, source: str, kind: str, depth: int, priority: int = 1,
                 modified: float | None = None) -> None:
        key = hash(url)
        if key in self._seen:
            return
        self._seen.add(key)
        if not self._room_for(url, source, kind):
            return
        self._batch.new_urls.append(
            _new_url(url, source, kind, depth, time.time(), priority, modified))

    def _known(self, url: str) -> bool:
        """Whether ``url`` is in the state, or queued for it this run."""
        return hash(url) in self._seen or self.state.get(url) is not None

    def _room_for(self, url: str, source: str, kind: str) -> bool:
        """Whether the source's ``max_pages`` lets ``url`` in (and count it if so)."""
        if kind == "page":
            src = self.sources.get(source)
            # the cap counts pages the state does not hold yet: those it holds (listed
            # again by every sitemap visit) were counted when they were new
            if src is not None and src.max_pages is not None and url not in self._counted \
                    and self.state.get(url) is None:
                n = self._page_counts.get(source, 0)
                if n >= src.max_pages:
                    return False
                self._page_counts[source] = n + 1
                # (at most max_pages URLs a run: only capped sources keep this set)
                self._counted.add(url)
        return True

    def _update(self, entry: UrlEntry, res: FetchResult, *, changed: bool, status: str,
                body_hash: str | None = None, content_hash: str | None = None,
                error: str | None = None, moved_to: str | None = None,
                partial: bool = False, record_id: str | None = None) -> None:
        """Queue the entry's update after a fetch; ``moved_to``: it answered a permanent
        redirect to that URL, which the state holds and crawls under its own entry;
        ``partial``: only part of what it lists was taken, so its validators are not
        kept (asked with them, it would answer 304 until it changed); ``record_id``: the
        fetch wrote the record of that id, at version ``content_hash``.

        A seed answering 301 cost two requests every run (the 301, then the target's
        304). A moved URL is asked again after its grown interval, but not before a day:
        its target is revisited meanwhile, and when that is gone (404, 410) the moved
        URL is asked at once (:meth:`_failed`), to see where it leads now. Temporary
        redirects (302, 303, 307) keep the interval, the first URL being the one to ask.
        """
        now = time.time()
        interval = self.config.revisit.next_interval(entry.interval, self._base_interval(entry),
                                                     changed)
        due = now + interval
        if moved_to is not None:
            due = now + max(interval, DAY)
        # The URL's own answer when it moved for good: a feed or sitemap read where it
        # redirects is asked there next time (see _handle), a page not at all.
        moved = moved_to is not None or (entry.kind in ("feed", "sitemap")
                                         and res.moved_permanently)
        self._batch.updates.append(UrlUpdate(
            id=entry.id, status=status, next_due=due, interval=interval,
            attempts=0, fetched_at=now,
            http_status=res.redirect_statuses[0] if moved else res.status,
            etag=None if partial else res.etag or (entry.etag if res.not_modified else None),
            last_modified=None if partial else res.last_modified or (
                entry.last_modified if res.not_modified else None),
            body_hash=body_hash, content_hash=content_hash, changed=changed and
            entry.fetches > 0, error=error,
            # ("" clears it: a seed that no longer redirects lets go of its old target,
            # which was kept as a way into the site, and a reject each day once gone)
            final_url=moved_to or (res.final_url if res.final_url != entry.url else ""),
            record_id=record_id,
        ))

    def _failed(self, entry: UrlEntry, exc: FetchError, res: FetchResult | None = None) -> None:
        now = time.time()
        rp = self.config.revisit
        attempts = entry.attempts
        reject = True
        if isinstance(exc, HostBackedOffError):
            status, due, reject = "deferred", max(exc.until, now + 1), False
            self.summary.deferred += 1
        elif isinstance(exc, RetryLaterError):
            # What the server asked, but a day at most: a Retry-After of a year (a
            # misconfigured server, a far-off date) put the URL, a seed too, out of the
            # crawl for that long.
            status, due, reject = "deferred", now + min(exc.retry_after, DAY), False
            self.summary.deferred += 1
        elif exc.reason == "robots-unavailable":
            # The host's robots.txt failed (5xx), not this URL: counted as the URL's own
            # failure, every due URL of the host was a reject line and an attempt, and a
            # robots.txt outage over a few runs sent the site's whole frontier to the
            # 30-day wait of URLs that keep failing. Deferred, as for a host backing
            # off; the sources' own start URLs still name it (a reject, exit status 3).
            status, due = "deferred", now + rp.retry_base
            reject = self._is_start_url(entry.url)
            self.summary.deferred += 1
        elif isinstance(exc, RobotsDisallowedError):
            status, due = "disallowed", now + DAY
            self.summary.disallowed += 1
            # A page robots.txt keeps us from is counted; a seed, feed or sitemap of the
            # sources file is how the site is found, so one it forbids is named (a
            # reject, exit status 3): else its source crawls nothing without a word.
            reject = self._is_start_url(entry.url)
        elif isinstance(exc, ContentTypeError):
            status, due = "skipped", None
            # A start URL of another type (a PDF, a text sitemap given as a seed) is the
            # source's way in: a reject, so an error (counted by _reject), not "skipped",
            # which says a link led to something not for us. It was "0 errors, 1
            # skipped" beside exit status 3. (A robots.txt soft-404 is no reject.)
            reject = self._is_start_url(entry.url)
            if not reject:
                self.summary.skipped += 1
        elif exc.retryable:
            attempts += 1
            status = "failed" if attempts >= rp.max_attempts else "error"
            due = now + rp.retry_wait(attempts)
        else:
            status = {"http-410": "gone", "http-404": "missing",
                      "blocked-address": "blocked"}.get(exc.reason, "failed")
            due = None if status in ("gone", "blocked") else now + rp.max_interval
        if self._is_start_url(entry.url) and status not in ("deferred", "blocked"):
            # A configured seed, feed or sitemap is how the site is found: one bad answer
            # (a maintenance page, a half-written sitemap) must not end its discovery for
            # good, or for a month. It is asked again with the retry backoff, but at
            # least daily. Only those the sources list: a stale sitemap an index or
            # robots.txt still names (a 404) was a reject, and exit status 3, every day.
            attempts = max(attempts, entry.attempts + 1)
            wait = max(self._base_interval(entry), rp.retry_wait(attempts))
            again = now + min(wait, DAY)
            due = again if due is None else min(due, again)
        if exc.reason in ("http-404", "http-410") and self.state.recheck_redirects_to(
                entry.url, now):
            # The target of a remembered permanent redirect is gone: the URLs that led
            # here are asked again, this run, for where they lead now.
            self._reclaim = True
        if reject:
            self._reject(exc.url, exc.reason, exc.message, step="fetch")
        self._batch.updates.append(UrlUpdate(
            id=entry.id, status=status, next_due=due, interval=entry.interval,
            attempts=attempts, fetched_at=now, http_status=getattr(exc, "status", None),
            etag=entry.etag, last_modified=entry.last_modified,
            error=f"{exc.reason}: {exc.message}"))

    def _reject(self, url: str, reason: str, message: str, step: str) -> None:
        """Name ``url`` in the rejects file and count it among the run's errors.

        Every reject is counted here, the one place, so that the summary line's
        ``errors`` is the number of rejects and never reads "0 errors" beside exit
        status 3 (a PDF seed, an extraction that failed, a start URL refused in an
        earlier run, a sitemap read in part all were). ``disallowed`` and ``deferred``
        still count the start URLs among them as well: they say what happened.
        """
        self.summary.errors += 1
        self.ctx.reject(Reject(url, reason, message, step=step))

    # -- extraction pool ---------------------------------------------------------------

    def _workers(self) -> int:
        w = self.config.workers
        return cpu_count() if w is None else w

    def _executor(self, extract: bool) -> Executor:
        if self._pool is None:
            n = self._workers()
            if n <= 0:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="pagewash-extract")
            else:
                # forkserver: workers start from a clean, single-threaded process (never a
                # fork of this one with its event loop and threads), with the heavy
                # modules imported once in the server and shared copy-on-write.
                mp = multiprocessing.get_context("forkserver")
                # Decided by the run, not by the first page (often a hub: no extraction).
                extract = self.config.extract
                mp.set_forkserver_preload([FORKSERVER_FIRST, "scraper.crawl.preload" if extract
                                           else "scraper.crawl.work"])
                self._pool = ProcessPoolExecutor(
                    n, mp_context=mp, initializer=start_worker, initargs=(os.getpid(), extract))
        return self._pool

    def _pool_slots(self) -> asyncio.Semaphore:
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self._workers()))
        return self._slots

    def _kill_pool(self, pool: Executor) -> None:
        """Kill the workers of ``pool`` (one of them stuck on a page), then let it go."""
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                proc.kill()
        if self._pool is pool:
            self._close_pool()

    def _close_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class _NewUrlBound:
    """How many URLs new to the state one sitemap read adds (:data:`MAX_SITEMAP_NEW_URLS`).

    A list no longer than the bound cannot pass it, and costs no look-up; a longer one
    has each URL looked up, those the state holds (or this run queued) taken freely, as
    they add nothing to the frontier and may carry a newer ``<lastmod>``."""

    def __init__(self, listed: int, known: Callable[[str], bool]) -> None:
        self.known = known
        self.cap = MAX_SITEMAP_NEW_URLS
        self.check = listed > self.cap
        self.new = 0
        self.left = 0
        self.first_left = ""

    def takes(self, url: str) -> bool:
        if not self.check or self.known(url):
            return True
        if self.new < self.cap:
            self.new += 1
            return True
        self.left += 1
        self.first_left = self.first_left or url
        return False


def _fetch_due(known: UrlEntry, now: float) -> bool:
    """Whether a redirect's answer from ``known`` is to be taken as its fetch: when it
    is due, or it is remembered as moved (status ``redirect``), whose next visit is a
    slow re-check of where it leads, not a copy still fresh. A site that undid a move
    (the new address sending back to the old one) had the old one's answer set aside
    for a day or more, and its article written nowhere."""
    if known.status == "redirect":
        return True
    return known.next_due is None or known.next_due <= now


def _new_url(url: str, source: str, kind: str, depth: int, now: float, priority: int,
             modified: float | None = None) -> NewUrl:
    """A URL found by crawling; ``priority`` counts for feeds and sitemaps only, pages
    and hubs come by depth."""
    return NewUrl(url, host_of(url), source, kind, depth, now,
                  priority=priority if kind in ("sitemap", "feed") else 1 + depth,
                  modified=modified)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def run_crawl(sources: Sequence[Source], config: CrawlConfig, state: CrawlState, *,
              ctx: RunContext | None = None, err: TextIO | None = None) -> CrawlSummary:
    """Run one crawl to the end in a fresh event loop (the caller holds the state lock)."""
    crawler = Crawler(sources, config, state, ctx=ctx, err=err)
    return asyncio.run(crawler.run())


__all__ = ["CrawlConfig", "CrawlSummary", "Crawler", "RevisitPolicy", "run_crawl"]
