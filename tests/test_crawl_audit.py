"""Crawl faults a cron user hit, each on the fixture server with a real SQLite state."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fixture_site import Handler, SiteServer, article_html, fast_config
from test_crawl import paths, records, run_crawl, sources_file

from scraper.crawl.discovery import looks_like_feed, parse_discovery
from scraper.errors import StateError, StateLockedError
from scraper.fetch.decode import CappedDecoder
from scraper.jobs import crawl
from scraper.state import NewUrl, SqliteState, StateLock


def test_a_redirect_target_is_fetched_once_in_the_run_that_finds_it(
        tmp_path: Path, site: SiteServer) -> None:
    """A hub linking to /redirect/a5 (-> /articles/a5.html) and to the article itself:
    the article was fetched by the redirect, then again as the URL the redirect added
    (or the other way round). The redirect's response is the target's fetch."""
    site.state.set_page("/hub.html", '<html><body><a href="/redirect/a5">moved</a> '
                        '<a href="/articles/a5.html">a5</a></body></html>')
    s = crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_depth=1, revisit=0)
    assert len(site.state.hits("/articles/a5.html")) == 1
    assert paths(records(tmp_path)) == {"/articles/a5.html": 1}
    assert s.new == 1 and s.fetched == 3, s.one_line()  # hub, redirect, a5
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        a5 = st.row(site.url("/articles/a5.html"))
        assert a5 is not None and a5["status"] == "ok" and a5["fetches"] == 1 and a5["etag"]
        via = st.row(site.url("/redirect/a5"))
        assert via is not None and via["status"] == "redirect"
    finally:
        st.close()
    # the next run asks the target conditionally, under its own entry: no new record
    again = crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
                  workers=0, max_depth=1, revisit=0)
    assert again.new == 0 and again.changed == 0 and again.not_modified == 2
    assert len(site.state.hits("/articles/a5.html")) == 2, again.one_line()


def test_a_new_redirect_target_alone_is_fetched_once(tmp_path: Path,
                                                    site: SiteServer) -> None:
    site.state.set_page("/hub.html", '<html><body><a href="/redirect/a5">x</a></body></html>')
    s = crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_depth=1)
    assert len(site.state.hits("/articles/a5.html")) == 1 and s.new == 1
    assert s.rejected == 0 and s.discovered == 2  # the redirect and its target


URLSET = (b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
          b'schemas/sitemap/0.9"><url><loc>/articles/a1.html</loc></url></urlset>\n')
RSS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><item>'
       b'<link>/articles/a2.html</link></item></channel></rss>\n')


@pytest.mark.parametrize(("body", "page"), [
    (b"\xef\xbb\xbf" + URLSET, "/articles/a1.html"),
    (b"\xef\xbb\xbf" + RSS, "/articles/a2.html"),
    (RSS.decode().replace("UTF-8", "UTF-16").encode("utf-16"), "/articles/a2.html"),
    (b"\xef\xbb\xbfhttp://example.org/articles/a3.html\n", "/articles/a3.html"),
])
def test_a_feed_or_sitemap_with_a_byte_order_mark_is_read(body: bytes, page: str) -> None:
    """A UTF-8 BOM before <?xml (or a UTF-16 feed) was read as a text sitemap and the
    whole feed rejected: "bad-feed: not a feed or sitemap: '\\ufeff<?xml ...' is not a
    URL"."""
    found = parse_discovery(body, "http://example.org/list")
    assert found.pages == ["http://example.org" + page]


def test_a_feed_with_a_byte_order_mark_served_as_html_is_a_feed() -> None:
    assert looks_like_feed(b"\xef\xbb\xbf" + RSS)
    # UTF-16 too (parse_discovery read it; the seed's sniff called it a page)
    assert looks_like_feed(RSS.decode().replace("UTF-8", "UTF-16").encode("utf-16"))
    assert not looks_like_feed("<html><body>x</body></html>".encode("utf-16"))


def test_a_sitemap_with_a_byte_order_mark_is_crawled(tmp_path: Path, site: SiteServer) -> None:
    site.state.set_page("/bom-sitemap.xml", b"\xef\xbb\xbf" + URLSET)
    s = crawl([site.url("/bom-sitemap.xml")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_depth=1)
    assert s.rejected == 0 and s.new == 1, s.one_line()
    assert paths(records(tmp_path)) == {"/articles/a1.html": 1}


@pytest.mark.parametrize("schema", [
    # a corpus --state file: its meta table also says schema 1
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO meta VALUES ('schema', '1');"
    "CREATE TABLE docs (n INTEGER PRIMARY KEY, id TEXT, hash BLOB, signature BLOB);"
    "CREATE TABLE bands (key INTEGER, doc INTEGER);",
    "CREATE TABLE stuff (k TEXT);",  # another program's database
    "CREATE TABLE meta (k TEXT, v TEXT);",
])
def test_a_database_that_is_no_crawl_state_is_refused_untouched(tmp_path: Path,
                                                                schema: str) -> None:
    """--state pointing at the corpus state (or any SQLite file) was taken for a crawl
    state: switched to WAL, given the crawl's tables, and crawled into."""
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.executescript(schema)
    db.commit()
    before = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    db.close()
    with pytest.raises(StateError, match=r"other\.sqlite: not a pagewash crawl state"):
        crawl(["http://127.0.0.1:9/"], str(tmp_path / "out.jsonl"), state=str(path),
              fetch=fast_config(), workers=0)
    db = sqlite3.connect(path)
    assert db.execute("SELECT type, name, sql FROM sqlite_master").fetchall() == before
    assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    db.close()
    assert not list(tmp_path.glob("out*"))


def test_a_crawl_state_and_a_new_file_are_still_opened(tmp_path: Path) -> None:
    SqliteState(tmp_path / "a.db").close()
    SqliteState(tmp_path / "a.db").close()  # its own tables are no foreign ones
    (tmp_path / "empty.db").write_bytes(b"")
    SqliteState(tmp_path / "empty.db").close()


def test_a_site_with_a_big_backlog_does_not_starve_the_others(tmp_path: Path) -> None:
    """Due URLs were claimed in due order only: a site whose sitemap listed thousands
    of pages filled every claim (2,000 at a time), fetched at one request a second, and
    the other sources' new articles, found later, waited hours. A claim now takes the
    start URLs first, then the hosts' pages in turn."""
    st = SqliteState(tmp_path / "c.db")
    try:
        st.add_urls([NewUrl(f"http://big.example/{i}", "big.example", "big", "page", 1,
                            float(i), 2) for i in range(50)])
        st.add_urls([NewUrl(f"http://small.example/{i}", "small.example", "small", "page", 1,
                            100.0 + i, 2) for i in range(3)])
        st.add_urls([NewUrl("http://big.example/feed", "big.example", "big", "feed", 0,
                            200.0, 0)])
        claimed = [e.url for e in st.claim_due("run", 1000.0, 8)]
        assert claimed[0] == "http://big.example/feed"
        assert {f"http://small.example/{i}" for i in range(3)} <= set(claimed)
        # each host's pages in their due order
        assert [u for u in claimed if "big" in u][1:] == [
            f"http://big.example/{i}" for i in range(4)]
    finally:
        st.close()


def test_a_robots_txt_outage_defers_pages_without_counting_failures(tmp_path: Path,
                                                                    site: SiteServer) -> None:
    """robots.txt answering 503: every due page of the host was a reject line and a
    failed attempt of its own, so a few runs of a robots.txt outage sent the whole site
    to the 30-day wait of URLs that keep failing. Pages are deferred (no attempt), the
    sources' start URLs name the host."""
    src = sources_file(tmp_path, site, revisit="0s",
                       exclude=("slow", "ratelimited", "huge", "bomb", "flaky"))
    run_crawl(tmp_path, site, sources=src)
    site.state.robots_status = 503
    s = run_crawl(tmp_path, site, sources=src)
    rejects = [json.loads(x) for x in Path(s.rejects_path or "").read_text().splitlines()]
    assert {r["reason"] for r in rejects} == {"robots-unavailable"}
    assert {r["source"].removeprefix(site.base) for r in rejects} == {
        "/", "/feed.xml", "/atom.xml", "/sitemap_index.xml"}  # (bad-feed.xml: not due)
    assert s.deferred > 10 and s.exit_code == 3, s.one_line()
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        a1 = st.row(site.url("/articles/a1.html"))
        assert a1 is not None and a1["status"] == "deferred" and a1["attempts"] == 0
        assert 590 < a1["next_due"] - a1["last_fetch"] <= 610
    finally:
        st.close()


def test_a_url_refused_for_its_address_is_fetched_once_the_options_allow_it(
        tmp_path: Path, site: SiteServer) -> None:
    """The message says "use --allow-private to crawl such addresses"; run again with
    it, the crawl fetched nothing with exit status 0, for good: a blocked URL had no
    next due time. A change of the address options makes blocked URLs due again."""
    out = str(tmp_path / "out.jsonl")
    seeds = [site.url("/articles/a1.html"), "http://10.0.0.1/x"]
    first = crawl(seeds, out, workers=0, max_depth=0, fetch=fast_config(allow_addresses=()))
    assert first.reject_reasons == {"blocked-address": 2} and site.state.log == []
    allowed = crawl(seeds, out, workers=0, max_depth=0, fetch=fast_config())
    assert allowed.fetched == 1 and allowed.reject_reasons == {"blocked-address": 1}
    assert len(site.state.hits("/articles/a1.html")) == 1
    # the same options again: what they block is not asked again, but a start URL is
    # named each run (else a cron job whose seed is refused says "0 errors", status 0)
    again = crawl(seeds, out, workers=0, max_depth=0, fetch=fast_config())
    assert again.reject_reasons == {"blocked-address": 1} and again.exit_code == 3, (
        again.one_line())
    assert again.fetched == 0 and len(site.state.hits("/articles/a1.html")) == 1


def test_a_retry_after_of_a_year_defers_a_day_at_most(tmp_path: Path, site: SiteServer,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A 503 with "Retry-After: 31536000" (or a far-off date) deferred the URL, a seed
    too and with it the whole source, for a year."""
    route = Handler.route

    def maintenance(self: Handler, path: str, n: int) -> int:
        if path == "/":
            return self.send(503, b"maintenance", extra={"Retry-After": "31536000"})
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", maintenance)
    s = crawl([site.url("/")], str(tmp_path / "out.jsonl"), fetch=fast_config(), workers=0)
    assert s.deferred == 1, s.one_line()
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        row = st.row(site.url("/"))
        assert row is not None and row["status"] == "deferred"
        assert row["next_due"] - row["last_fetch"] <= 86400
    finally:
        st.close()


@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_a_sitemap_over_the_page_size_cap_is_read(tmp_path: Path, site: SiteServer,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  encoding: str | None) -> None:
    """Sitemaps may be 50 MB; a big site's 50,000-URL sitemap is often over the 10 MiB
    page cap (--max-bytes), and failed as too-large, or as a decompression bomb when
    sent gzip-encoded. Feeds and sitemaps are read up to the sitemap protocol's size."""
    body = URLSET.replace(b"</urlset>", b"<!--" + b" " * (3 * 2**20) + b"--></urlset>")
    route = Handler.route

    def big(self: Handler, path: str, n: int) -> int:
        if path == "/big-sitemap.xml":
            if encoding:
                return self.send(200, gzip.compress(body), ctype="application/xml",
                                 extra={"Content-Encoding": encoding})
            return self.send(200, body, ctype="application/xml")
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", big)
    cap = 2 * 2**20
    s = crawl([site.url("/big-sitemap.xml")], str(tmp_path / "out.jsonl"), workers=0,
              max_depth=1, fetch=fast_config(max_bytes=cap))
    assert len(body) > cap and s.rejected == 0 and s.new == 1, s.one_line()


def test_a_sitemap_an_index_lists_served_as_binary_octet_stream_is_read(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """S3 serves a file uploaded without a type as binary/octet-stream: the index's
    .xml.gz sitemaps were "skipped" (counted, no reject), and their pages never found."""
    route = Handler.route

    def s3(self: Handler, path: str, n: int) -> int:
        if path == "/s3/sitemap-1.xml.gz":
            return self.send(200, gzip.compress(URLSET), ctype="binary/octet-stream")
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", s3)
    site.state.set_page("/s3-index.xml", '<sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                        f'sitemap/0.9"><sitemap><loc>{site.url("/s3/sitemap-1.xml.gz")}</loc>'
                        '</sitemap></sitemapindex>')
    s = crawl([site.url("/s3-index.xml")], str(tmp_path / "out.jsonl"), workers=0,
              max_depth=1, fetch=fast_config())
    assert s.skipped == 0 and s.new == 1, s.one_line()


def test_a_gzip_body_cut_off_is_retried_not_written_half(tmp_path: Path, site: SiteServer,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A gzip-encoded page whose transfer was cut off (whole by its Content-Length, but
    its gzip stream unfinished) decoded to half an article, written as the record."""
    route = Handler.route

    def cut(self: Handler, path: str, n: int) -> int:
        if path == "/cut.html":
            body = gzip.compress(article_html("flaky"))
            if n > 1:  # the next run gets the whole page
                return self.send(200, body, extra={"Content-Encoding": "gzip"})
            return self.send(200, body[:len(body) // 2], extra={"Content-Encoding": "gzip"})
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", cut)
    site.state.set_page("/hub.html", '<a href="/cut.html">cut</a>')
    out = str(tmp_path / "out.jsonl")
    s = crawl([site.url("/hub.html")], out, workers=0, max_depth=1,
              fetch=fast_config(retries=1))
    assert s.records_out == 0 and s.reject_reasons == {"truncated-body": 1}, s.one_line()
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        row = st.row(site.url("/cut.html"))
        assert row is not None and row["status"] == "error" and row["attempts"] == 1
        st.db.execute("UPDATE urls SET next_due = 0")
    finally:
        st.close()
    s = crawl([site.url("/hub.html")], out, workers=0, max_depth=1, fetch=fast_config())
    assert s.new == 1, s.one_line()
    [rec] = records(tmp_path)
    assert s.new == 1 and rec["text"].rstrip().endswith("before the decision was made final.")


def test_an_empty_gzip_encoded_body_is_no_cut_off_one() -> None:
    dec = CappedDecoder("gzip", 100)
    dec.feed(b"")
    assert dec.finish() == b""


def test_a_dead_sitemap_an_index_lists_is_not_a_reject_every_day(tmp_path: Path,
                                                                  site: SiteServer) -> None:
    """Sitemap indexes keep listing old sitemaps that are gone (404). Such a sitemap was
    treated as one the sources file lists: asked again daily, a reject line and exit
    status 3 every day, for good. It now waits as any 404 does; the index is still
    read on its own cadence."""
    site.state.set_page("/idx-sitemap.xml", '<sitemapindex xmlns="http://www.sitemaps.org/'
                        f'schemas/sitemap/0.9"><sitemap><loc>{site.url("/old-sitemap.xml")}'
                        '</loc></sitemap></sitemapindex>')
    s = crawl([site.url("/idx-sitemap.xml")], str(tmp_path / "out.jsonl"), workers=0,
              max_depth=1, fetch=fast_config())
    assert s.reject_reasons == {"http-404": 1}
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        old = st.row(site.url("/old-sitemap.xml"))
        assert old is not None and old["status"] == "missing"
        assert old["next_due"] - old["last_fetch"] > 7 * 86400
    finally:
        st.close()


@pytest.mark.parametrize("command", ["crawl", "schedule"])
@pytest.mark.parametrize(("option", "value"), [("--max-depth", "5"), ("--max-depth", "0"),
                                               ("--revisit", "1h")])
def test_seed_options_with_a_sources_file_alone_are_refused(
        tmp_path: Path, command: str, option: str, value: str) -> None:
    """--max-depth and --revisit shape the source of the command line's seed URLs; with
    --sources and no seeds they changed nothing, and the run said nothing of it."""
    from typer.testing import CliRunner

    from scraper.cli import app

    src = tmp_path / "s.toml"
    src.write_text('[[source]]\nname = "x"\nseeds = ["http://127.0.0.1:9/"]\n')
    once = ["--iterations", "1"] if command == "schedule" else []
    result = CliRunner().invoke(app, [command, "--sources", str(src), "-o",
                                      str(tmp_path / "o.jsonl"), option, value, *once])
    assert result.exit_code == 2, result.output
    assert f"{option}: for seed URLs given on the command line only" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_a_page_an_exclude_added_later_covers_is_not_fetched_again(tmp_path: Path,
                                                                    site: SiteServer) -> None:
    """exclude (include, hosts, max_depth) held only for URLs found after the change: the
    pages already known were revisited, and written, for good."""
    skip = ("slow", "ratelimited", "huge", "bomb", "flaky")
    src = sources_file(tmp_path, site, exclude=skip)
    run_crawl(tmp_path, site, sources=src)
    assert len(site.state.hits("/articles/a1.html")) == 1
    narrower = sources_file(tmp_path, site, exclude=(*skip, "/articles/a[12]"))
    s = run_crawl(tmp_path, site, sources=narrower)
    assert s.excluded == 2 and "2 dropped from the scope" in s.one_line(), s.one_line()
    assert len(site.state.hits("/articles/a1.html")) == 1
    assert len(site.state.hits("/articles/a3.html")) == 2
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        row = st.row(site.url("/articles/a2.html"))
        assert row is not None and row["status"] == "excluded"
        assert row["next_due"] - time.time() > 29 * 86400  # looked at again in a month
        st.db.execute("UPDATE urls SET next_due = 0 WHERE status = 'excluded'")
    finally:
        st.close()
    # a month on, the pattern taken back: the pages are crawled again
    s = run_crawl(tmp_path, site, sources=sources_file(tmp_path, site, exclude=skip))
    assert len(site.state.hits("/articles/a1.html")) == 2 and s.excluded == 0


@pytest.mark.parametrize(("hops", "a1_fetched"), [
    (5, False),  # five redirects are followed: its Disallow holds
    (50, True),  # more (a loop): no robots.txt, as for a 404
])
def test_a_robots_txt_behind_redirects(tmp_path: Path, site: SiteServer,
                                       monkeypatch: pytest.MonkeyPatch, hops: int,
                                       a1_fetched: bool) -> None:
    """robots.txt redirected more than four times (a loop through a consent page) was
    "no answer": the host unavailable, run after run, its site never crawled; and a
    fifth redirect, which RFC 9309 says to follow, was not followed."""
    route = Handler.route

    def chain(self: Handler, path: str, n: int) -> int:
        if path == "/robots.txt" or path.startswith("/robots-hop"):
            hop = int(path.removeprefix("/robots-hop") or 0) if path != "/robots.txt" else 0
            if hop < hops:
                return self.redirect(302, f"/robots-hop{hop + 1}")
            return self.send(200, b"User-agent: *\nDisallow: /articles/a1\n",
                             ctype="text/plain")
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", chain)
    site.state.set_page("/hub.html", '<a href="/articles/a1.html">a1</a> '
                        '<a href="/articles/a2.html">a2</a>')
    s = crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), workers=0, max_depth=1,
              fetch=fast_config())
    assert s.rejected == 0 and s.deferred == 0, s.one_line()
    assert len(site.state.hits("/articles/a2.html")) == 1
    assert len(site.state.hits("/articles/a1.html")) == int(a1_fetched)


def test_a_state_named_through_a_symlink_is_locked_as_itself(tmp_path: Path) -> None:
    """The lock was "<state as named>.lock": the same state reached through a symlink
    had a second lock file, and two runs shared the state at once."""
    real = tmp_path / "real.crawl.db"
    SqliteState(real).close()
    (tmp_path / "link.crawl.db").symlink_to(real)
    with StateLock(real), pytest.raises(StateLockedError):
        StateLock(tmp_path / "link.crawl.db").acquire()


def test_a_seed_or_feed_taken_out_of_the_sources_is_not_fetched_again(
        tmp_path: Path, site: SiteServer) -> None:
    """A seed or feed removed from the sources file stayed in the state as one: fetched
    on the discovery cadence and its links followed for good (and, failing, a reject
    and exit status 3 every day). One listed again is fetched at once."""
    def sources(*feeds: str) -> Path:
        f = tmp_path / "sources.toml"
        listed = ", ".join(f'"{site.url(x)}"' for x in feeds)
        f.write_text(f'[[source]]\nname = "gazette"\nseeds = ["{site.url("/redirect/a5")}"]\n'
                     f'feeds = [{listed}]\nrevisit = "0s"\ndiscovery_revisit = "0s"\n'
                     'max_depth = 1\n')
        return f

    run_crawl(tmp_path, site, sources=sources("/feed.xml", "/atom.xml"))
    s = run_crawl(tmp_path, site, sources=sources("/feed.xml"))
    assert len(site.state.hits("/atom.xml")) == 1 and s.excluded == 1, s.one_line()
    assert len(site.state.hits("/feed.xml")) == 2
    # the seed's redirect target, a seed of its own in the state, is still crawled
    assert len(site.state.hits("/articles/a5.html")) == 2
    s = run_crawl(tmp_path, site, sources=sources("/feed.xml", "/atom.xml"))
    assert len(site.state.hits("/atom.xml")) == 2 and s.excluded == 0, s.one_line()


def test_crawl_help_names_every_exit_status() -> None:
    """The README and the run give 2 for a wrong command line (no seeds, no --output);
    --help listed every status but that one."""
    from typer.testing import CliRunner

    from scraper.cli import app

    text = " ".join(CliRunner().invoke(app, ["crawl", "--help"]).output.split())
    assert "75 another run holds the crawl state" in text
    assert "2 wrong command line" in text


def test_a_page_that_spins_the_extractor_is_a_timeout_reject(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that sent extraction into a spin held its worker for good: the run never
    ended and kept the state's lock. It is now rejected after the page time limit, also
    when the extractor's own error handler caught the timer's exception."""
    from scraper.crawl import work

    def spin(job: work.PageJob, out: work.PageOutcome) -> None:
        try:
            while True:
                pass
        except Exception as exc:  # as _extract's handler does: the timer must still win
            out.reject = ("extract-failed", repr(exc))

    monkeypatch.setattr(work, "_extract", spin)
    monkeypatch.setattr(work, "PAGE_TIME_LIMIT", 0.2)
    job = work.PageJob(body=b"<html><body><p>x</p></body></html>", url="http://127.0.0.1/a",
                       headers={}, status=200, fetched_at="2026-12-01T00:00:00Z",
                       extract=True, scope=None, depth=0)
    out = work.analyse_page(job)
    assert out.reject is not None and out.reject[0] == "timeout"
    assert out.record is None


def test_a_page_failing_through_an_outage_is_not_put_off_for_a_month(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Five failures in a row (10, 20, 40, 80 minutes apart: a three-hour outage) sent a
    page to the 30-day wait; an article first found during the outage came a month late.
    The wait keeps doubling from where it was, up to the 30 days."""
    route = Handler.route

    def down(self: Handler, path: str, n: int) -> int:
        if path == "/down.html":
            return self.send(503, b"maintenance")
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", down)
    site.state.set_page("/hub.html", '<a href="/down.html">down</a>')
    out = str(tmp_path / "out.jsonl")
    waits = []
    for _ in range(7):
        before = time.time()
        crawl([site.url("/hub.html")], out, workers=0, max_depth=1,
              fetch=fast_config(retries=1))
        st = SqliteState(tmp_path / "out.crawl.db")
        try:
            row = st.row(site.url("/down.html"))
            assert row is not None
            waits.append((row["attempts"], row["status"], round((row["next_due"] - before) / 60)))
            st.db.execute("UPDATE urls SET next_due = 0")
        finally:
            st.close()
    assert [w[0] for w in waits] == [1, 2, 3, 4, 5, 6, 7]
    assert [w[1] for w in waits] == ["error"] * 4 + ["failed"] * 3
    assert [w[2] for w in waits] == [10, 20, 40, 80, 160, 320, 640]


def _sources(tmp_path: Path, *blocks: str) -> Path:
    f = tmp_path / "sources.toml"
    f.write_text("".join(f"[[source]]\n{b}\n" for b in blocks))
    return f


def test_a_redirect_into_a_path_the_source_excludes_is_not_taken(
        tmp_path: Path, site: SiteServer) -> None:
    """The redirect's response was taken as the target's fetch with the hosts checked
    but not include/exclude: a page the source excludes was fetched and written."""
    site.state.set_page("/hub.html", '<a href="/redirect/a5">moved</a>')
    f = _sources(tmp_path, f'name = "g"\nseeds = ["{site.url("/hub.html")}"]\n'
                           'exclude = ["/articles/a5"]\nmax_depth = 1\n')
    run_crawl(tmp_path, site, sources=f)
    assert "/articles/a5.html" not in paths(records(tmp_path))


def test_where_a_seed_redirects_keeps_the_daily_retry_of_a_seed(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A listed seed that redirects (http to https, a new path): one 404 at its target
    put the target, and with it the whole source, off for 30 days."""
    route = Handler.route
    broken = {"on": False}

    def r(self: Handler, path: str, n: int) -> int:
        if path == "/articles/a5.html" and broken["on"]:
            return self.send(404, b"maintenance")
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", r)
    f = _sources(tmp_path, f'name = "g"\nseeds = ["{site.url("/redirect/a5")}"]\n'
                           'max_depth = 1\nrevisit = "0s"\ndiscovery_revisit = "0s"\n')
    run_crawl(tmp_path, site, sources=f)
    broken["on"] = True
    before = time.time()
    s = run_crawl(tmp_path, site, sources=f)
    assert s.reject_reasons.get("http-404") == 1, s.one_line()  # named: the way in
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        row = st.row(site.url("/articles/a5.html"))
        assert row is not None and row["next_due"] - before <= 86400 + 60
    finally:
        st.close()


def test_a_page_another_source_takes_over_is_crawled_under_it(
        tmp_path: Path, site: SiteServer) -> None:
    """A site split into two sources (an exclude on the first, a new source for what it
    excludes): the pages the new source links to stayed the first's, excluded at each
    claim, and were never crawled again."""
    site.state.set_page("/hub1.html", '<a href="/articles/a1.html">a1</a> '
                                      '<a href="/articles/a2.html">a2</a>')
    site.state.set_page("/hub2.html", '<a href="/articles/a1.html">a1</a>')
    news = (f'name = "news"\nseeds = ["{site.url("/hub1.html")}"]\nmax_depth = 1\n'
            'revisit = "0s"\ndiscovery_revisit = "0s"\n')
    run_crawl(tmp_path, site, sources=_sources(tmp_path, news))
    split = _sources(tmp_path, news + 'exclude = ["/articles/a1"]\n',
                     f'name = "other"\nseeds = ["{site.url("/hub2.html")}"]\nmax_depth = 1\n'
                     'revisit = "0s"\ndiscovery_revisit = "0s"\n')
    hits = len(site.state.hits("/articles/a1.html"))
    for _ in range(3):
        run_crawl(tmp_path, site, sources=split)
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        row = st.row(site.url("/articles/a1.html"))
        assert row is not None and row["source"] == "other" and row["status"] != "excluded"
    finally:
        st.close()
    assert len(site.state.hits("/articles/a1.html")) > hits


def test_a_crawl_state_sqlite_analysed_is_still_a_crawl_state(tmp_path: Path) -> None:
    """ANALYZE (or PRAGMA optimize) adds SQLite's own sqlite_stat1 table: the state was
    then refused as another program's database."""
    path = tmp_path / "s.db"
    SqliteState(path).close()
    db = sqlite3.connect(path)
    db.execute("ANALYZE")
    db.commit()
    db.close()
    SqliteState(path).close()


def test_a_gzipped_sitemap_unpacks_to_the_cap_its_download_had() -> None:
    """The download of a feed or sitemap is capped at max(--max-bytes, 60 MiB), but a
    .xml.gz was always unpacked under 60 MiB: with a larger --max-bytes a big sitemap
    was downloaded, then refused."""
    from scraper.crawl.discovery import DiscoveryError

    xml = URLSET.replace(b"</urlset>", b"<!-- " + b"padding " * 1000 + b"--></urlset>")
    body = gzip.compress(xml)
    with pytest.raises(DiscoveryError, match="inflates past"):
        parse_discovery(body, "http://example.org/s.xml.gz", max_bytes=len(xml) // 2)
    found = parse_discovery(body, "http://example.org/s.xml.gz", max_bytes=len(xml))
    assert found.pages == ["http://example.org/articles/a1.html"]


def test_a_redirect_target_queued_in_the_same_batch_counts_once_against_max_pages(
        tmp_path: Path, site: SiteServer) -> None:
    """A hub found /articles/a5.html (queued in the batch, counted against the source's
    max_pages), then /redirect/a5 led to it before the batch was committed: the target
    was counted a second time, and the source got a page fewer than its cap allows."""
    site.state.set_page("/hub.html", '<html><body><a href="/hub2.html">more</a> '
                        '<a href="/redirect/a5">moved</a></body></html>')
    site.state.set_page("/hub2.html", '<html><body><a href="/articles/a5.html">a5</a> '
                        '<a href="/articles/a1.html">a1</a></body></html>')
    src = tmp_path / "sources.toml"
    src.write_text(f'''
[[source]]
name = "capped"
seeds = ["{site.url('/hub.html')}"]
hubs = ["/hub2.html"]
max_depth = 3
max_pages = 4
''')
    # one request at a time: hub2's links are queued before the redirect is fetched
    s = crawl(sources=str(src), output=str(tmp_path / "out.jsonl"), workers=0,
              fetch=fast_config(per_host=1, concurrency=1))
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        assert st.page_counts()["capped"] == 4, s.one_line()  # redirect/a5, a5, a1, one more
    finally:
        st.close()


def _a5_via_redirect(tmp_path: Path, site: SiteServer) -> None:
    """A first run: a hub links to /redirect/a5 only, which leads to /articles/a5.html."""
    site.state.set_page("/hub.html", '<html><body><a href="/redirect/a5">x</a></body></html>')
    s = crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_depth=1, revisit=0)
    assert s.new == 1, s.one_line()


def _again(tmp_path: Path, site: SiteServer) -> list[tuple[int, dict[str, str]]]:
    """The next run, one request at a time (the redirect is asked before its target):
    each response the target gave, with the request's headers."""
    n = len(site.state.log)
    crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), workers=0, max_depth=1,
          revisit=0, fetch=fast_config(per_host=1, concurrency=1))
    return [(h.status, h.headers) for h in site.state.log[n:]
            if h.path == "/articles/a5.html"]


def test_a_redirect_target_is_asked_with_its_own_validators(tmp_path: Path,
                                                           site: SiteServer) -> None:
    """The redirect's hop to its target carried the redirecting URL's validators. Those
    are lost when a run fetches the target first (the redirect is then not followed and
    stores none): the unchanged target was downloaded in full rather than a 304."""
    _a5_via_redirect(tmp_path, site)
    db = sqlite3.connect(tmp_path / "out.crawl.db")
    with db:  # as a run that fetched the target first leaves the redirect's entry
        db.execute("UPDATE urls SET etag=NULL, last_modified=NULL WHERE url=?",
                   (site.url("/redirect/a5"),))
    db.close()
    hits = _again(tmp_path, site)
    assert [status for status, _ in hits] == [304]
    assert hits[0][1].get("if-none-match")


def test_a_304_through_a_redirect_to_other_validators_costs_no_second_request(
        tmp_path: Path, site: SiteServer) -> None:
    """The redirect's stored validators were newer than its target's (a run took the
    redirect's response, but the target was not due): its 304 said nothing of the
    target's stored copy, and the target was fetched again under its own entry."""
    _a5_via_redirect(tmp_path, site)
    site.state.set_page("/articles/a5.html", article_html("a5 moved on"))
    etag = '"' + hashlib.sha1(article_html("a5 moved on")).hexdigest()[:16] + '"'
    db = sqlite3.connect(tmp_path / "out.crawl.db")
    with db:
        db.execute("UPDATE urls SET etag=?, last_modified=NULL WHERE url=?",
                   (etag, site.url("/redirect/a5")))
    db.close()
    hits = _again(tmp_path, site)
    assert [status for status, _ in hits] == [200]  # the new version, once
    assert paths(records(tmp_path)) == {"/articles/a5.html": 2}


def _pool_workers() -> list[Any]:
    """This process's extraction workers: the children of its forkserver."""
    import psutil

    me = psutil.Process()
    server = [p for p in me.children() if "forkserver" in " ".join(p.cmdline())]
    return [w for s in server for w in s.children()]


def _hub(site: SiteServer, n: int) -> None:
    """/hub.html links the fixture site's articles a1 .. a{n}."""
    links = " ".join(f'<a href="/articles/a{i}.html">{i}</a>' for i in range(1, n + 1))
    site.state.set_page("/hub.html", f"<html><body>{links}</body></html>")


def _hub_crawl(tmp_path: Path, site: SiteServer, workers: int) -> Callable[[], Any]:
    """A one-page-a-batch crawl of the hub and its articles with ``workers`` workers."""
    return lambda: crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"),
                         workers=workers, max_depth=1, batch_size=1,
                         fetch=fast_config(per_host=workers, concurrency=workers))


@contextlib.contextmanager
def _stuck_workers(tmp_path: Path, run: Callable[[], Any]
                   ) -> Iterator[tuple[threading.Thread, list[Any], list[Any]]]:
    """``run`` (a crawl) in a thread, its extraction workers stopped with SIGSTOP once
    it has written a record: to the crawl, a spin inside C code. Yields (thread, [its
    result once it ends], the stopped workers), and kills those at the end."""
    done: list[Any] = []
    thread = threading.Thread(target=lambda: done.append(run()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not records(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.02)
    stuck = _pool_workers()
    assert stuck, "the extraction pool runs by now"
    for w in stuck:
        os.kill(w.pid, signal.SIGSTOP)
    try:
        yield thread, done, stuck
    finally:
        for w in stuck:
            with contextlib.suppress(ProcessLookupError):
                os.kill(w.pid, signal.SIGKILL)


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="stops a worker with SIGSTOP")
def test_a_worker_stuck_where_its_timer_cannot_stop_it_is_killed(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page time limit was a timer inside the worker: a spin inside C code (lxml on
    a pathological page), where no signal handler runs, held the worker for good, and the
    run, waiting for it, never ended and kept the state locked. A stopped worker is such
    a spin: its page is a timeout reject, the worker is replaced, the crawl goes on."""
    from scraper.crawl import crawler, work

    # The parent's deadline: the stopped worker never answers, so any limit catches it;
    # 1 s also caught the new worker's first page on a loaded machine (models loading),
    # a second timeout reject that failed the test.
    monkeypatch.setattr(work, "PAGE_TIME_LIMIT", 5.0)
    monkeypatch.setattr(crawler, "KILL_GRACE", 0.5, raising=False)
    _hub(site, 8)
    site.state.page_delay = 0.1
    with _stuck_workers(tmp_path, _hub_crawl(tmp_path, site, 1)) as (thread, done, stuck):
        thread.join(60)
        assert not thread.is_alive(), "the crawl waited for the stuck worker"
    s = done[0]
    assert s.reject_reasons.get("timeout") == 1, s.reject_reasons
    assert s.new == 7, s.one_line()  # every other article, by the new worker
    assert not any(w.is_running() and w.status() != "zombie" for w in stuck)


def test_a_robots_txt_with_a_byte_order_mark_is_obeyed(tmp_path: Path,
                                                       site: SiteServer) -> None:
    """A robots.txt saved by a Windows editor starts with a UTF-8 BOM: its first line
    ("\\ufeffUser-agent: *") was no User-agent line, so the group's rules applied to
    no one and the disallowed pages were crawled."""
    site.state.set_page("/robots.txt", b"\xef\xbb\xbfUser-agent: *\r\nDisallow: /private/\r\n")
    site.state.set_page("/hub.html", '<html><body><a href="/private/secret.html">x</a> '
                        '<a href="/articles/a1.html">a1</a></body></html>')
    s = crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_depth=1)
    assert not site.state.hits("/private/secret.html")
    assert s.disallowed == 1 and s.new == 1, s.one_line()


_KEPT_AFTER_A_BIG_PAGE = '''
import gc
from scraper.crawl.work import PageJob, analyse_page, warm_up
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
warm_up(); gc.collect()
para = "<p>" + "The harbour board met on Tuesday to discuss the winter timetable. " * 6 + "</p>"
body = ("<html><body><article><h1>A long report</h1>" + "".join(
    f'<div class="c{i % 50} s-{i}">{para}</div>' for i in range(3000))
    + "</article></body></html>").encode()
before = rss()
analyse_page(PageJob(body, "http://example.org/a", {}, 200, "2026-01-01T00:00:00Z", True,
                     None, 0))
gc.collect()
print(rss() - before)
'''


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_an_extraction_worker_gives_back_what_a_big_page_took() -> None:
    """The C library kept the heap a 1.3 MB page's parse trees had freed (26-34 MB) for
    the worker's life: each worker held the high-water mark of its largest pages, and a
    crawl of a 100,000-URL frontier went over its 300 MB memory budget."""
    import ctypes.util
    import subprocess
    import sys

    libc = ctypes.util.find_library("c")
    if not libc or not hasattr(ctypes.CDLL(libc), "malloc_trim"):
        pytest.skip("no glibc malloc_trim")
    out = subprocess.run([sys.executable, "-c", _KEPT_AFTER_A_BIG_PAGE], check=True,
                         capture_output=True, text=True).stdout
    assert float(out) < 10, f"{float(out):.1f} MB kept after the page"


def test_a_damaged_state_is_named_not_a_traceback(tmp_path: Path, site: SiteServer) -> None:
    """A state whose table pages are damaged (a disk error, a copy taken mid-write)
    opened, then failed on its first write: a Python traceback (sqlite3.DatabaseError)
    naming no file. It is now a StateError naming the state (exit status 1)."""
    crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
          workers=0, max_depth=0)
    path = tmp_path / "out.crawl.db"
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name='runs'").fetchone()[0]
    db.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page:root * page] = bytes(range(256)) * (page // 256)
    path.write_bytes(bytes(data))
    with pytest.raises(StateError, match=r"out\.crawl\.db: crawl state database error: "
                                         r"database disk image is malformed"):
        crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_depth=0)


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="stops a worker with SIGSTOP")
def test_a_stop_does_not_wait_for_a_worker_stuck_on_a_page(tmp_path: Path,
                                                          site: SiteServer) -> None:
    """SIGTERM while a worker spun inside C code on a page: the page's task was
    cancelled after the grace time, but the run's end waited for the pool, that is for
    the stuck page (up to the 30 s page limit, for good before it): `systemctl stop`
    ended in a SIGKILL. The workers are killed; the page stays due."""
    from scraper.crawl.run import build_config, crawl_sources, gather_sources
    from scraper.pipeline import RunContext

    _hub(site, 8)
    site.state.page_delay = 0.1
    ctx = RunContext()
    config = build_config(str(tmp_path / "out.jsonl"), workers=1, batch_size=1,
                          stop_grace=0.5, fetch=fast_config(per_host=1, concurrency=1))
    sources = gather_sources([site.url("/hub.html")], None, max_depth=1)
    with _stuck_workers(tmp_path, lambda: crawl_sources(
            sources, config, ctx=ctx, err=io.StringIO())) as (thread, done, _):
        time.sleep(0.5)  # the next page is in the stuck worker
        ctx.stop.set()
        thread.join(10)
        assert not thread.is_alive(), "the stop waited for the stuck worker"
    s = done[0]
    assert s.stopped and 1 <= s.new < 8, s.one_line()


def test_the_crawl_process_itself_does_not_load_the_cleaner(tmp_path: Path,
                                                            site: SiteServer) -> None:
    """The crawl's own process fetches, keeps the state and writes; pages are extracted
    and cleaned in its worker processes. It loaded the cleaner anyway (the CLI's and the
    jobs' imports reached it), and with it numpy and the block model: 13 MB of the
    100,000-URL frontier's 300 MB budget spent on nothing."""
    import subprocess
    import sys

    _hub(site, 3)
    code = "\n".join([
        "import sys",
        "import scraper.cli",
        "from fixture_site import fast_config",
        "from scraper.jobs import crawl",
        f"s = crawl([{site.url('/hub.html')!r}], {str(tmp_path / 'out.jsonl')!r}, workers=1,",
        "          max_depth=1, fetch=fast_config())",
        "print(s.new, 'numpy' in sys.modules, 'cleaners.cleaner' in sys.modules)",
    ])
    tests = str(Path(__file__).resolve().parent)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": tests})
    assert done.stdout.split() == ["3", "False", "False"], done.stderr[-2000:]
    assert len(records(tmp_path)) == 3  # (cleaned, in the workers)


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="stops workers with SIGSTOP")
def test_workers_dying_together_cost_no_page(tmp_path: Path, site: SiteServer) -> None:
    """When a pool's worker dies (the OOM killer), the pool breaks and joins its other
    workers before it lets go; they ignore SIGTERM (the parent decides when they stop),
    so the crawl, shutting the broken pool down, waited for ever with its state locked
    (here: a worker the pool started after the others were stopped). The workers of a
    broken pool are killed; its pages are retried in a new one, which a later page's
    handler leaves alone."""
    _hub(site, 8)
    site.state.page_delay = 0.05
    with _stuck_workers(tmp_path, _hub_crawl(tmp_path, site, 2)) as (thread, done, stuck):
        time.sleep(0.5)  # both workers hold a page by now
        for w in stuck:
            os.kill(w.pid, signal.SIGKILL)
        thread.join(60)
        assert not thread.is_alive(), "the crawl did not end"
    assert done, "the crawl raised"
    s = done[0]
    assert s.new == 8 and not s.reject_reasons, s.one_line()


def test_the_summary_line_counts_one_error_in_the_singular() -> None:
    """A crawl with one failed URL logged "1 errors"."""
    from scraper.crawl.crawler import CrawlSummary

    assert ", 1 error, " in CrawlSummary(command="crawl", errors=1).one_line()
    assert ", 2 errors, " in CrawlSummary(command="crawl", errors=2).one_line()
    assert ", 0 errors, " in CrawlSummary(command="crawl").one_line()


def test_a_seed_that_links_nowhere_says_why_nothing_came_of_it(
        tmp_path: Path, site: SiteServer) -> None:
    """An article given as a seed: "1 fetched, 0 new", exit status 0, and no word of why.
    A seed is read for its links; one that has none now says so, and how to get the
    article, on stderr and in the summary; a hub that links somewhere does not."""
    import subprocess
    import sys

    story = article_html("story").replace(b'<nav><a href="/">Home</a> '
                                          b'<a href="/news/page-2.html">News</a></nav>', b"")
    assert b"<a " not in story
    site.state.set_page("/story.html", story)
    s = crawl([site.url("/story.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, revisit=0)
    assert s.fetched == 1 and s.new == 0, s.one_line()
    [warning] = s.warnings
    assert warning.startswith(f"seed {site.url('/story.html')}: no links to follow on it")
    assert "--page" in warning
    assert warning in s.to_dict()["warnings"]  # (what --summary-json writes)
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", "crawl", site.url("/story.html"), "-o",
         str(tmp_path / "cli" / "out.jsonl"), "--allow-address", "127.0.0.1", "--delay",
         "0", "--workers", "0"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "pagewash: warning: seed " in proc.stderr and "no links to follow" in proc.stderr

    site.state.set_page("/hub.html", '<html><body><a href="/story.html">a story</a>'
                        '</body></html>')
    s = crawl([site.url("/hub.html")], str(tmp_path / "hub.jsonl"), fetch=fast_config(),
              workers=0, max_depth=1, revisit=0)
    assert s.new == 1 and s.warnings == [], (s.one_line(), s.warnings)


def test_an_article_listed_as_a_page_gets_a_record_and_its_links_are_not_followed(
        tmp_path: Path, site: SiteServer) -> None:
    """A seed is read for its links, so an article given as one had no record: the
    user who wants a few articles tracked lists them as ``pages`` (``--page``). Each is
    fetched, extracted and revisited; its links (the menu's "Home", "News") are not
    followed; an include pattern it does not match does not drop it."""
    site.state.set_page("/story.html", article_html("Harbour bridge reopens after repairs"))
    src = tmp_path / "sources.toml"
    src.write_text(f'''
[[source]]
name = "tracked"
pages = ["{site.url('/story.html')}"]
include = ['/articles/']
revisit = "0s"
''')
    s = run_crawl(tmp_path, site, sources=src)
    assert (s.fetched, s.new, s.warnings) == (1, 1, []), s.one_line()
    [rec] = records(tmp_path)
    assert rec["url"] == site.url("/story.html")
    assert rec["title"] == "Harbour bridge reopens after repairs"
    assert "officials responsible" in rec["text"]
    assert site.state.hits("/") == [] and site.state.hits("/news/page-2.html") == []
    again = run_crawl(tmp_path, site, sources=src)  # revisited as an article is
    assert (again.fetched, again.new, again.changed) == (1, 0, 0), again.one_line()
    assert len(records(tmp_path)) == 1


def test_a_page_on_the_command_line_gets_a_record_and_a_failed_one_is_named(
        tmp_path: Path, site: SiteServer) -> None:
    import subprocess
    import sys

    site.state.set_page("/story.html", article_html("Harbour bridge reopens after repairs"))
    out = tmp_path / "cli" / "out.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", "crawl", "--page", site.url("/story.html"),
         "--page", site.url("/gone.html"), "-o", str(out), "--allow-address",
         "127.0.0.1", "--delay", "0", "--workers", "0"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr  # the gone page is a reject
    [rec] = records(out.parent)
    assert rec["url"] == site.url("/story.html")
    assert f"{site.url('/gone.html')}" in proc.stderr and "410" in proc.stderr
    assert "warning" not in proc.stderr


def test_a_url_listed_as_a_seed_and_a_page_is_refused(tmp_path: Path) -> None:
    from scraper.crawl.sources import load_sources
    from scraper.errors import ConfigError

    src = tmp_path / "sources.toml"
    src.write_text('''
[[source]]
name = "news"
seeds = ["https://news.example.com/"]
pages = ["https://news.example.com/"]
''')
    with pytest.raises(ConfigError, match="listed as a seed and as a page"):
        load_sources(src)
    src.write_text('[[source]]\nname = "news"\npages = ["news.example.com/story"]\n')
    with pytest.raises(ConfigError, match=r"pages: 'news.example.com/story' is not an http"):
        load_sources(src)
