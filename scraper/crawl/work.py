"""The CPU-heavy part of a crawl, run in worker processes: extract, clean, find links.

Fetching is I/O and runs on one event loop; parsing a 200 KB page and cleaning its
text is CPU and would cap the crawl at one core. So each fetched page goes to a
process pool as plain picklable values (bytes, URL, a headers dict) and comes back as a
finished record dict plus the in-scope links it contains.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from scraper.crawl.discovery import extract_links, robots_header
from scraper.crawl.urls import Scope
from scraper.document import Document
from scraper.errors import InputError
from scraper.extract.workers import DEFAULT_TIMEOUT as EXTRACT_TIMEOUT
from scraper.workers import ItemTimeout, exit_with, release_memory, time_limit

# Seconds one page's links and extraction may take in a worker (the extract command's
# default). A page that sent the parser or a rule into a spin held its worker for good:
# the run's last step, waiting for the pool, never ended, and kept the state's lock,
# so every later cron run exited 75.
PAGE_TIME_LIMIT = EXTRACT_TIMEOUT


@dataclass
class PageJob:
    body: bytes
    url: str  # final URL (after redirects)
    headers: dict[str, str]
    status: int
    fetched_at: str  # ISO 8601
    extract: bool
    scope: Scope | None  # None: do not collect links
    depth: int
    output_format: Literal["text", "markdown"] = "text"


@dataclass
class PageOutcome:
    record: dict[str, Any] | None = None
    # The record's version: its text's content_hash, then ":" and a digest of its title,
    # authors and date (see record_version); None when not extracted.
    content_hash: str | None = None
    links: list[str] = field(default_factory=list)
    links_found: int = 0  # before the scope: a source whose links all fall outside it warns
    reject: tuple[str, str] | None = None  # (reason, message)
    noindex: bool = False
    refresh: str | None = None  # where a <meta http-equiv=refresh> leads (any depth)


def body_hash(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


_WARM = False

_SAMPLE = (b"<html><head><title>Warm up</title></head><body><article><h1>Warm up</h1>"
           b"<p>" + b"This paragraph only initialises the extractor's lazy state. " * 8
           + b"</p></article></body></html>")


def start_worker(parent: int, extract: bool) -> None:
    """Pool initializer: leave when the crawl is gone (``kill -9``), then warm up."""
    exit_with(parent)
    if extract:
        warm_up()


def warm_up() -> None:
    """Import the extraction stack and initialise its lazy state (models, language
    profiles, public-suffix list) once.

    Run in the forkserver before it forks the workers (``scraper.crawl.preload``), this
    leaves those large read-only structures in pages the workers share copy-on-write
    instead of each worker building its own copy; run again in a worker it is a no-op.
    """
    global _WARM
    if _WARM:
        return
    _WARM = True
    from scraper.extract import apply_extracted, extract_html
    from scraper.record import build_record

    doc = Document(source="warm-up", url="http://warm-up.invalid/a")
    apply_extracted(doc, extract_html(_SAMPLE, url=doc.url))
    build_record(doc)


def analyse_page(job: PageJob) -> PageOutcome:
    """Links (when a scope is given) and, when ``job.extract``, the finished record; a
    ``timeout`` reject when that takes over :data:`PAGE_TIME_LIMIT` (the timer needs a
    worker process: with ``--workers 0`` pages run unbounded). The timer cannot stop
    C code; the crawl kills a worker that overruns it (``Crawler._analyse``)."""
    out: PageOutcome | None = None
    try:
        with time_limit(PAGE_TIME_LIMIT) as timer:
            out = _analyse(job)
    except ItemTimeout:
        pass
    finally:
        release_memory()  # (the page's trees are freed by now)
    if out is None or timer.expired:  # (the extractor's own handler may have caught it)
        return PageOutcome(reject=("timeout", f"extracting the page took longer than "
                                              f"{PAGE_TIME_LIMIT:g}s"))
    return out


def _analyse(job: PageJob) -> PageOutcome:
    out = PageOutcome()
    if job.scope is not None or job.extract:
        try:
            found = extract_links(job.body, job.url)
        except Exception as exc:  # a parser crash on one page must not end the crawl
            out.reject = ("bad-html", f"cannot parse HTML: {exc!r}")
            return out
        header_nofollow, header_noindex = robots_header(job.headers.get("x-robots-tag"))
        out.noindex = found.noindex or header_noindex
        out.refresh = found.refresh
        if header_nofollow:
            found.links = []
        if job.scope is not None and job.depth < job.scope.max_depth:
            out.links_found = len(found.links)
            out.links = [u for u in found.links if job.scope.allows(u, job.depth + 1)]
    if job.extract and not out.noindex:
        _extract(job, out)
    return out


def _extract(job: PageJob, out: PageOutcome) -> None:
    # extract_html runs the cleaners' rules itself (menus, counters, widgets, repeats),
    # so the text it returns is the cleaned article text.
    from scraper.extract import apply_extracted, extract_html
    from scraper.record import build_record, sha256_hex

    try:
        ex = extract_html(job.body, url=job.url, headers=job.headers,
                          output_format=job.output_format, status=job.status)
    except InputError as exc:
        out.reject = (exc.reason, exc.message)
        return
    except Exception as exc:  # an extractor bug on one page must not end the crawl
        out.reject = ("extract-failed", f"extraction failed: {exc!r}")
        return
    doc = Document(source=job.url, url=job.url)
    apply_extracted(doc, ex)
    doc.meta["input_hash"] = sha256_hex(job.body.decode("utf-8", "replace"))
    doc.meta["fetched_at"] = job.fetched_at
    doc.meta["http_status"] = job.status
    rec = build_record(doc)
    out.content_hash = record_version(rec)
    out.record = rec


def record_version(rec: dict[str, Any]) -> str:
    """What decides whether a fetched page is a new version of its record: the text, and
    the headline, bylines and date around it. With the text alone, a corrected headline
    was "unchanged (same content)" and the stored record kept the old one for good."""
    meta = json.dumps([rec.get("title"), rec.get("authors"), rec.get("published")],
                      ensure_ascii=False)
    return f"{rec['content_hash']}:{hashlib.blake2b(meta.encode(), digest_size=8).hexdigest()}"


def same_version(stored: str | None, new: str | None) -> bool:
    """States written before record_version hold the text's hash alone: compared on that,
    so an upgrade does not write every page of a crawl again."""
    if stored is None or new is None:
        return stored == new
    return new == stored if ":" in stored else new.split(":", 1)[0] == stored
