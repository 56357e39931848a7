"""Politeness that must hold across cron runs, on the fixture server with a real state."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_site import Handler, SiteServer, fast_config

from scraper.jobs import crawl


def test_a_long_retry_after_holds_the_host_across_runs(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site in maintenance answers 503 with "Retry-After: 3600". The run held the host
    and deferred its URLs, but the hold was the run's alone: the next cron run, ten
    minutes later, asked the host again (its robots.txt, then a page newly due), and
    so did every run in the hour. The hold is kept in the state: later runs in the
    hour defer the host's URLs without a request."""
    route = Handler.route

    def maintenance(self: Handler, path: str, n: int) -> int:
        if path.startswith("/articles/"):
            return self.send(503, b"maintenance", extra={"Retry-After": "3600"})
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", maintenance)
    out = str(tmp_path / "out.jsonl")
    s = crawl([site.url("/articles/a1.html")], out, fetch=fast_config(), workers=0)
    assert s.deferred == 1 and len(site.state.log) == 2, s.one_line()  # robots.txt, a1
    seen = len(site.state.log)
    s = crawl([site.url("/articles/a2.html")], out, fetch=fast_config(robots_ttl=0),
              workers=0)
    assert s.deferred == 1 and s.rejected == 0, s.one_line()
    assert [h.path for h in site.state.log[seen:]] == []
    # another host is not held
    other = site.url("/").replace("127.0.0.1", "localhost")
    s = crawl([other], out, fetch=fast_config(allow_addresses=("127.0.0.1", "::1")),
              workers=0, max_depth=0)
    assert s.fetched == 1 and s.deferred == 0, s.one_line()


def test_sitemap_indexes_that_list_the_next_one_end(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sitemap index whose pager lists the next page of itself for ever (?p=N lists
    ?p=N+1): each new sitemap sat at its index's depth, so the run spent all its time
    (and the next run, and the next) fetching sitemaps. Sitemaps nested deeper than a
    few indexes are not followed, and the index that lists them is a reject naming
    one; the pages of the nested sitemaps that are read are crawled."""
    route = Handler.route

    def pager(self: Handler, path: str, n: int) -> int:
        if path == "/trap.xml":
            q = int(self.path.split("=")[1]) if "=" in self.path else 0
            body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/'
                    f'schemas/sitemap/0.9"><sitemap><loc>/trap.xml?p={q + 1}</loc></sitemap>'
                    '<sitemap><loc>/sitemap-articles.xml</loc></sitemap></sitemapindex>')
            return self.send(200, body.encode(), ctype="application/xml")
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", pager)
    s = crawl([site.url("/trap.xml")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_time=30, max_depth=1)
    assert not s.stopped and s.reject_reasons == {"sitemap-too-deep": 1}, s.one_line()
    assert len(site.state.hits("/trap.xml")) == 6  # the seed, then 5 indexes deep
    assert s.new >= 8, s.one_line()  # the articles of sitemap-articles.xml


def test_no_request_starts_after_the_time_limit(tmp_path: Path, site: SiteServer) -> None:
    """``--max-time`` stops dispatching, but a page already handed out waited for its
    turn at the host (the per-host delay) and was fetched after the limit, seconds after
    the run had stopped; so was one after Ctrl-C. A request whose turn comes after the
    stop is not sent, and its page is fetched by the next run."""
    pages = [site.url(f"/articles/a{n}.html") for n in (1, 2, 3)]
    out = str(tmp_path / "out.jsonl")
    s = crawl([], out, pages=pages, fetch=fast_config(delay=1.0, per_host=2), workers=0,
              max_time=1.5)
    # robots.txt at once, a1 a second later; a2's turn would come after the limit
    assert [h.path for h in site.state.log] == ["/robots.txt", "/articles/a1.html"]
    assert s.fetched == 1, s.one_line()
    s = crawl([], out, pages=pages, fetch=fast_config(), workers=0)
    assert s.fetched == 2 and s.new == 2, s.one_line()
    assert sorted(h.path for h in site.state.log[2:] if h.path != "/robots.txt") == [
        "/articles/a2.html", "/articles/a3.html"]
