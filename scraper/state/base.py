"""The crawl state interface: what a crawl needs from its store of URLs and outputs.

The crawl only talks to :class:`CrawlState`; SQLite (:mod:`scraper.state.sqlite`) is the
default, one file per crawl. A shared server database for many workers can implement
the same methods later; the one hard requirement is :meth:`CrawlState.commit_batch`:
URL updates, newly found URLs and the names of the output files that hold the batch's
records must become visible together or not at all. That is what makes a crawl that
is killed at any moment lose nothing and duplicate nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

#: URL kinds: ``page`` (article: extracted, a record), ``hub`` and ``seed`` (fetched for
#: links only), ``feed`` and ``sitemap`` (parsed for URLs).
KINDS = ("page", "hub", "seed", "feed", "sitemap")


@dataclass(slots=True)
class UrlEntry:
    """One URL as the state knows it."""

    id: int
    url: str
    source: str
    kind: str
    depth: int
    status: str = "new"
    attempts: int = 0
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    content_hash: str | None = None
    interval: float | None = None
    next_due: float | None = None
    last_fetch: float | None = None
    fetches: int = 0
    changes: int = 0
    final_url: str | None = None  # where it redirected when last fetched
    # The URL's own last answer (301 when it redirected permanently, for a feed too)
    http_status: int | None = None


@dataclass(slots=True)
class NewUrl:
    url: str
    host: str
    source: str
    kind: str
    depth: int
    next_due: float
    priority: int = 1
    # When a sitemap or feed says the page last changed (Unix time): a known URL fetched
    # before then becomes due now.
    modified: float | None = None


@dataclass(slots=True)
class UrlUpdate:
    """The result of fetching one URL, as stored."""

    id: int
    status: str
    next_due: float | None
    interval: float | None
    attempts: int
    fetched_at: float
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    content_hash: str | None = None
    changed: bool = False
    error: str | None = None
    final_url: str | None = None  # None: as it was (a failed fetch); "": no redirect
    # The id of the record this fetch wrote (at version content_hash); None: none written
    record_id: str | None = None


@dataclass(slots=True)
class OutputFile:
    path: str  # absolute
    kind: str  # records | warc
    records: int


class CrawlState(Protocol):
    """Store of URLs, runs and committed output files for one crawl."""

    def start_run(self, run_id: str, started: float, outputs: dict[str, str]) -> None:
        """Record a run and the output name patterns it will use, before any output."""

    def finish_run(self, run_id: str, finished: float, summary: dict[str, Any]) -> None: ...

    def unfinished_runs(self) -> list[tuple[str, dict[str, str]]]:
        """Runs that never finished (killed): their output may need reconciling."""

    def mark_reconciled(self, run_id: str, finished: float) -> None:
        """Close a killed run once its uncommitted output has been removed."""

    def committed_outputs(self, run_id: str) -> set[str]: ...

    def add_urls(self, urls: Sequence[NewUrl]) -> int:
        """Insert URLs not yet known (own transaction); returns how many were new."""

    def update_discovery(self, url: str, source: str, kind: str, now: float) -> None:
        """Make a configured seed/feed/sitemap due now if its kind or source changed, or
        it was excluded (listed again after it had been taken out of the sources)."""

    def set_address_policy(self, policy: str, now: float) -> int:
        """Note the run's address policy; when it is not the last run's, make the URLs
        refused for their address (status ``blocked``) due now. Returns how many."""

    def url_rules_since(self, rules: str, now: float) -> float:
        """Note the URL rules (:data:`scraper.urls.URL_RULES`) the run spells links by;
        returns since when the state has had them (``now`` when they are not the last
        run's, or the state is new): pages last read before then are read again for
        their links."""

    def host_holds(self, now: float) -> dict[str, float]:
        """Hosts (host:port) that asked not to be asked before a time (a long
        ``Retry-After``), with that time; only those still to come."""

    def hold_hosts(self, holds: dict[str, float], now: float) -> None:
        """Keep these holds (host -> until) for later runs, and forget those past."""

    def exclude(self, ids: Sequence[int], next_due: float | None) -> None:
        """Leave these URLs alone until ``next_due`` (None: for good) (own transaction):
        their source's scope no longer takes them. Found again in scope
        (:meth:`add_urls`), they are due again at once."""

    def recheck_redirects_to(self, url: str, now: float) -> int:
        """Make the URLs that last redirected to ``url`` (status ``redirect``) due now
        (own transaction): it is gone, and where they lead now is to be asked. Returns
        how many."""

    def claim_due(self, run_id: str, now: float, limit: int) -> list[UrlEntry]:
        """Up to ``limit`` URLs due at ``now`` not yet handled by ``run_id``."""

    def commit_batch(self, run_id: str, updates: Sequence[UrlUpdate],
                     new_urls: Sequence[NewUrl], outputs: Sequence[OutputFile]) -> int:
        """Apply a batch atomically; returns how many ``new_urls`` were new."""

    def written_elsewhere(self, record_id: str, version: str, url: str) -> bool:
        """Whether a URL other than ``url`` wrote the record ``record_id`` at ``version``
        (an article's copy at another address, which names the same canonical URL), in
        a batch committed before."""

    def page_counts(self) -> dict[str, int]: ...

    def next_due(self) -> float | None:
        """The earliest due time of any URL (None when nothing is scheduled)."""

    def counts(self) -> dict[str, int]:
        """URLs by status."""

    def get(self, url: str) -> UrlEntry | None: ...

    def close(self) -> None: ...
