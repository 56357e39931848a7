"""What a crawl's frontier takes in, run after run, on the fixture server with a real
state: a site that did not change must not make it grow."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from courlan.clean import clean_query
from fixture_site import Handler, SiteServer, article_html, fast_config
from test_crawl import paths, records

import scraper.urls
from scraper.crawl.crawler import Crawler
from scraper.jobs import crawl
from scraper.record import stable_id
from scraper.state import NewUrl, SqliteState


def _page_urls(state: Path) -> list[str]:
    st = SqliteState(state)
    try:
        return sorted(r[0] for r in st.db.execute("SELECT url FROM urls WHERE kind='page'"))
    finally:
        st.close()


def test_cache_busters_in_a_sitemap_do_not_grow_the_frontier(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sitemap generated on each request stamps its URLs with a cache-buster (the time
    in seconds or milliseconds, a counter): every run took them for new pages, so the
    state grew by the whole sitemap on each run of a site that did not change, and each
    article was written again under a new id. A parameter that selects what a page shows
    (``?p=``, ``?id=``, ``?page=``) keeps its URL apart."""
    route = Handler.route

    def stamped(self: Handler, path: str, n: int) -> int:
        if path == "/stamped-sitemap.xml":
            locs = [f"/articles/a1.html?v={1_733_000_000 + n}",
                    f"/articles/a2.html?_={1_733_000_000_000 + n}",
                    f"/articles/a3.html?cb={n}&amp;rnd=0.{n}9",
                    f"/articles/a4.html?utm_source=sitemap&amp;utm_campaign=c{n}",
                    "/articles/a5.html?p=5", "/articles/a6.html?id=6&amp;page=2"]
            body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    'sitemap/0.9">' + "".join(f"<url><loc>{site.base}{loc}</loc></url>"
                                              for loc in locs) + "</urlset>")
            return self.send(200, body.encode(), ctype="application/xml")
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", stamped)
    out = str(tmp_path / "out.jsonl")
    for _ in range(3):  # three cron runs; the sitemap is due on each
        s = crawl([site.url("/stamped-sitemap.xml")], out, fetch=fast_config(), workers=0,
                  revisit=0, max_depth=1)
    assert len(site.state.hits("/stamped-sitemap.xml")) == 3
    assert _page_urls(tmp_path / "out.crawl.db") == [site.url(p) for p in (
        "/articles/a1.html", "/articles/a2.html", "/articles/a3.html", "/articles/a4.html",
        "/articles/a5.html?p=5", "/articles/a6.html?id=6&page=2")]
    got = paths(records(tmp_path))
    assert sum(got.values()) == 6 and set(got.values()) == {1}, got
    assert s.new == 0 and s.discovered == 0, s.one_line()


def test_what_one_sitemap_adds_in_a_run_is_bounded(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sitemap listing more new URLs than a sitemap may hold (50,000: a text sitemap
    of a million lines, or one of cache-busted URLs the normaliser does not know) put
    all of them in the frontier in one run. One read of one sitemap adds at most
    ``MAX_SITEMAP_NEW_URLS`` URLs the state does not hold; the rest are taken on its
    next visits (it is read again in full, not answered 304 by its validators), and the
    run says so (a ``too-many-new-urls`` reject naming the sitemap)."""
    from scraper.crawl import crawler

    monkeypatch.setattr(crawler, "MAX_SITEMAP_NEW_URLS", 3)
    out = str(tmp_path / "out.jsonl")
    articles = [site.url(f"/articles/a{i}.html") for i in range(1, 9)]
    taken = []
    for _ in range(4):
        s = crawl([site.url("/sitemap-articles.xml")], out, fetch=fast_config(), workers=0,
                  revisit=0, max_depth=1)
        taken.append((_page_urls(tmp_path / "out.crawl.db"), s.reject_reasons))
    assert taken[0] == (articles[:3], {"too-many-new-urls": 1})
    assert taken[1] == (articles[:6], {"too-many-new-urls": 1})
    assert taken[2] == (articles, {})  # two left: within the bound, read in full
    assert taken[3] == (articles, {})
    sitemap = [h.status for h in site.state.hits("/sitemap-articles.xml")]
    assert sitemap == [200, 200, 200, 304]  # validators kept once it was read whole
    assert sum(paths(records(tmp_path)).values()) == 8


def test_a_url_the_state_holds_with_a_cache_buster_is_respelled(
        tmp_path: Path, site: SiteServer) -> None:
    """A state an earlier pagewash filled from such a sitemap holds each article under
    many spellings, each revisited for good. When one falls due it is not fetched: it
    is dropped (never due again: no link can lead to it now) and its new spelling
    taken in its place, once, as a page of its source."""
    state = tmp_path / "out.crawl.db"
    st = SqliteState(state)
    old = [site.url(f"/articles/a1.html?v={1_733_000_000 + i}") for i in range(3)]
    st.add_urls([NewUrl(u, "127.0.0.1", "cli", "page", 1, 0.0) for u in old])
    st.close()
    s = crawl([site.url("/articles/a2.html")], str(tmp_path / "out.jsonl"),
              fetch=fast_config(), workers=0, max_depth=0)
    assert [h.path for h in site.state.log if "a1" in h.path] == ["/articles/a1.html"]
    # (a2, given on the command line, is a seed: read for its links)
    assert s.respelled == 3 and s.new == 1 and "3 old spellings dropped" in s.one_line(), \
        s.one_line()
    st = SqliteState(state)
    try:
        assert [(st.row(u) or {}).get("next_due") for u in old] == [None] * 3
        assert (st.row(site.url("/articles/a1.html")) or {}).get("status") == "ok"
        assert (st.row(site.url("/articles/a1.html")) or {}).get("depth") == 1
    finally:
        st.close()
    assert sorted(paths(records(tmp_path))) == ["/articles/a1.html"]


_CATALOG = """<!DOCTYPE html><html><head><title>Categories</title></head><body><ul>
<li><a href="/list.php?cid=1">Ferries</a></li>
<li><a href="/list.php?cid=2">Museums</a></li>
<li><a href="/list.php?cid=1&amp;utm_source=nav&amp;fbclid=IwAR0">Ferries (tracked)</a></li>
<li><a href="/list.php?cid=2&amp;PHPSESSID=8f2a9c">Museums (session)</a></li>
</ul></body></html>"""


def _categories(monkeypatch: pytest.MonkeyPatch, site: SiteServer) -> None:
    """A PHP-style site: /list.php shows the category its ``cid`` names (1 without one)."""
    route = Handler.route

    def listing(self: Handler, path: str, n: int) -> int:
        if path == "/list.php":
            cid = parse_qs(urlsplit(self.path).query).get("cid", ["1"])[0]
            title = {"1": "Ferry timetable changes for winter",
                     "2": "Museum extends opening hours"}.get(cid, "No such category")
            return self.send(200, article_html(title))
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", listing)
    site.state.set_page("/catalog.html", _CATALOG)


def test_pages_a_content_parameter_selects_are_two_pages(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """``list.php?cid=1`` and ``?cid=2`` are two pages: the normaliser dropped ``cid``
    (courlan's tracker pattern), so the crawl fetched ``list.php`` once, both pages were
    lost, and clean/extract gave their records one id. Trackers and a session id still
    make no URL of their own."""
    _categories(monkeypatch, site)
    s = crawl([site.url("/catalog.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_depth=1)
    assert sorted(h.path for h in site.state.hits("/list.php")) == \
        ["/list.php?cid=1", "/list.php?cid=2"]
    recs = records(tmp_path)
    assert sorted(paths(recs)) == ["/list.php?cid=1", "/list.php?cid=2"]
    assert len({r["id"] for r in recs}) == 2
    assert {r["title"] for r in recs} == {"Ferry timetable changes for winter",
                                          "Museum extends opening hours"}
    assert all(r["id"] == stable_id(r["url"], "") for r in recs)
    assert s.new == 2, s.one_line()


def test_a_state_the_previous_pagewash_wrote_finds_the_pages_it_merged(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A state from before URL_RULES 2 holds ``list.php`` for both categories, and the
    catalog linking them answers 304 on every run: its links were not read again, so
    the two pages were never found. After the upgrade the catalog is read in full once
    (no validators) and the two pages crawled; ``list.php``, a URL the state holds, stays
    as it was (not dropped as an old spelling, its record not written again); the run
    after is as usual (304)."""
    _categories(monkeypatch, site)
    out = str(tmp_path / "out.jsonl")
    with monkeypatch.context() as m:  # the previous pagewash: its query rules, no re-read
        m.setattr(scraper.urls, "_clean_query", _previous_clean_query)
        m.setattr(Crawler, "_links_outdated", lambda self, entry: False, raising=False)
        for _ in range(2):
            s = crawl([site.url("/catalog.html")], out, fetch=fast_config(), workers=0,
                      revisit=0, max_depth=1)
    state = SqliteState(tmp_path / "out.crawl.db")
    state.db.execute("DELETE FROM meta WHERE key LIKE 'url_rules%'")  # (it wrote none)
    state.close()
    assert [h.status for h in site.state.hits("/catalog.html")] == [200, 304]
    assert _page_urls(tmp_path / "out.crawl.db") == [site.url("/list.php")]
    old = records(tmp_path)
    assert paths(old) == {"/list.php": 1} and s.new == 0, s.one_line()

    s = crawl([site.url("/catalog.html")], out, fetch=fast_config(), workers=0, revisit=0,
              max_depth=1)
    catalog = site.state.hits("/catalog.html")
    assert [h.status for h in catalog] == [200, 304, 200]
    assert "if-none-match" not in catalog[2].headers
    assert _page_urls(tmp_path / "out.crawl.db") == [
        site.url("/list.php"), site.url("/list.php?cid=1"), site.url("/list.php?cid=2")]
    recs = records(tmp_path)
    assert paths(recs) == {"/list.php": 1, "/list.php?cid=1": 1, "/list.php?cid=2": 1}
    assert len({r["id"] for r in recs}) == 3  # the merged page keeps its id
    assert s.new == 2 and s.respelled == 0 and s.same_content == 1, s.one_line()
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        assert (st.row(site.url("/list.php")) or {}).get("status") == "ok"
    finally:
        st.close()

    s = crawl([site.url("/catalog.html")], out, fetch=fast_config(), workers=0, revisit=0,
              max_depth=1)
    assert [h.status for h in site.state.hits("/catalog.html")] == [200, 304, 200, 304]
    assert s.new == 0 and len(records(tmp_path)) == 3, s.one_line()


def _previous_clean_query(query: str) -> str:
    """The query rules of pagewash before URL_RULES 2: the cache busters, then courlan's
    ``clean_query`` (its tracker pattern dropped ``cid``)."""
    kept = [p for p in query.split("&")
            if p and not scraper.urls._dropped(*map(unquote_plus, p.partition("=")[::2]))]
    return clean_query("&".join(kept), strict=False, language=None) if kept else ""
