"""Revisits of URLs that redirect, counted per path on the fixture server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fixture_site import Handler, SiteServer, fast_config
from test_crawl import paths, records, run_crawl

from scraper.jobs import crawl
from scraper.state import SqliteState


def _moving_site(site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """/news and /tmp-news redirect to where ``to`` says; /news/index.html is a hub of a1 and a2,
    /latest/index.html one of a3, and a path in ``to["gone"]`` answers 404."""
    to = {"/news": "/news/index.html", "status": "301", "gone": ""}
    route = Handler.route

    def r(self: Handler, path: str, n: int) -> int:
        if path == to["gone"]:
            return self.send(404, b"<h1>Not found</h1>")
        if path == "/news":
            return self.redirect(int(to["status"]), to["/news"])
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", r)
    site.state.set_page("/news/index.html", '<a href="/articles/a1.html">1</a> '
                                  '<a href="/articles/a2.html">2</a>')
    site.state.set_page("/latest/index.html", '<a href="/articles/a3.html">3</a>')
    return to


def _sources(tmp_path: Path, site: SiteServer, kind: str = "seeds",
             path: str = "/news") -> Path:
    f = tmp_path / "sources.toml"
    f.write_text(f'[[source]]\nname = "g"\n{kind} = ["{site.url(path)}"]\nmax_depth = 1\n'
                 'revisit = "1d"\ndiscovery_revisit = "0s"\n')
    return f


def _hits(site: SiteServer, path: str) -> int:
    return len(site.state.hits(path))


def test_a_permanent_redirect_is_remembered_and_left_when_its_target_goes(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed answering 301 cost two requests every run: the 301, then the target's
    304. The 301 is remembered: later runs ask the target alone (with its validators),
    and when the target answers 404 the seed is asked again and its new target taken."""
    to = _moving_site(site, monkeypatch)
    src = _sources(tmp_path, site)
    run_crawl(tmp_path, site, sources=src)
    assert (_hits(site, "/news"), _hits(site, "/news/index.html")) == (1, 1)
    for _ in range(2):
        s = run_crawl(tmp_path, site, sources=src)
        assert s.not_modified == 1 and s.rejected == 0, s.one_line()
    assert (_hits(site, "/news"), _hits(site, "/news/index.html")) == (1, 3)
    assert all(h.status == 304 for h in site.state.hits("/news/index.html")[1:])
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        row = st.row(site.url("/news"))
        assert row is not None and row["status"] == "redirect" and row["http_status"] == 301
        assert row["final_url"] == site.url("/news/index.html")
    finally:
        st.close()
    # the site moves its news again: the old target is gone, the seed leads elsewhere
    to.update({"/news": "/latest/index.html", "gone": "/news/index.html"})
    s = run_crawl(tmp_path, site, sources=src)
    assert _hits(site, "/news") == 2 and _hits(site, "/latest/index.html") == 1, s.one_line()
    assert paths(records(tmp_path))["/articles/a3.html"] == 1


def test_a_seed_that_moves_twice_keeps_its_way_into_the_site(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed moved for good (remembered: asked again after a day at the earliest) whose
    new address then moves for good too (http to https, then /news to /news/): the
    second target was a seed no source lists, dropped from the scope on the next run,
    and the source crawled nothing until the seed was asked again, days later; then
    its remembered move led to the dropped URL, which was not asked either."""
    to = _moving_site(site, monkeypatch)
    to["/news"] = "/mid"
    route = Handler.route
    mid = {"to": ""}

    def r(self: Handler, path: str, n: int) -> int:
        if path == "/mid":
            if mid["to"]:
                return self.redirect(301, mid["to"])
            return self.send(200, b'<a href="/articles/a1.html">1</a>')
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", r)
    src = _sources(tmp_path, site)
    run_crawl(tmp_path, site, sources=src)
    mid["to"] = "/latest/index.html"  # the new address moves too
    s = run_crawl(tmp_path, site, sources=src)
    assert _hits(site, "/latest/index.html") == 1, s.one_line()
    s = run_crawl(tmp_path, site, sources=src)
    assert s.excluded == 0 and _hits(site, "/latest/index.html") == 2, s.one_line()
    assert _hits(site, "/news") == 1


@pytest.mark.parametrize("status", [302, 303, 307])
def test_a_temporary_redirect_keeps_being_asked(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch,
        status: int) -> None:
    to = _moving_site(site, monkeypatch)
    to["status"] = str(status)
    src = _sources(tmp_path, site)
    for _ in range(3):
        run_crawl(tmp_path, site, sources=src)
    assert (_hits(site, "/news"), _hits(site, "/news/index.html")) == (3, 3)


def _moving_feed(site: SiteServer, monkeypatch: pytest.MonkeyPatch, status: int
                 ) -> dict[str, str]:
    """/old-feed.xml redirects (``status``) to where ``to`` says; ``to["gone"]`` is 404."""
    to = {"/old-feed.xml": "/feed.xml", "gone": ""}
    route = Handler.route

    def r(self: Handler, path: str, n: int) -> int:
        if path == to["gone"]:
            return self.send(404, b"<h1>Not found</h1>")
        if path == "/old-feed.xml":
            return self.redirect(status, to["/old-feed.xml"])
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", r)
    return to


def _feed_sources(tmp_path: Path, site: SiteServer) -> Path:
    return _sources(tmp_path, site, "feeds", "/old-feed.xml")


def test_a_feed_moved_for_good_is_asked_where_it_went(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed moved with a 301 (to a feed service, to https) was asked at its old
    address every run, then at the new one: two requests for each 304. Later runs ask
    the new address, with the feed's validators; when that answers 404 the old address
    is asked again, in the same run, and wherever it leads now is read."""
    to = _moving_feed(site, monkeypatch, 301)
    src = _feed_sources(tmp_path, site)
    run_crawl(tmp_path, site, sources=src)
    for _ in range(2):
        s = run_crawl(tmp_path, site, sources=src)
        assert s.not_modified == 1 and s.rejected == 0, s.one_line()
    assert (_hits(site, "/old-feed.xml"), _hits(site, "/feed.xml")) == (1, 3)
    assert all(h.status == 304 for h in site.state.hits("/feed.xml")[1:])
    to.update({"/old-feed.xml": "/atom.xml", "gone": "/feed.xml"})
    s = run_crawl(tmp_path, site, sources=src)
    assert s.rejected == 0, s.one_line()
    assert (_hits(site, "/old-feed.xml"), _hits(site, "/atom.xml")) == (2, 1)
    s = run_crawl(tmp_path, site, sources=src)
    assert (_hits(site, "/old-feed.xml"), _hits(site, "/atom.xml")) == (2, 2), s.one_line()


def test_a_feed_redirected_for_now_keeps_being_asked(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    _moving_feed(site, monkeypatch, 302)
    src = _feed_sources(tmp_path, site)
    for _ in range(3):
        run_crawl(tmp_path, site, sources=src)
    assert (_hits(site, "/old-feed.xml"), _hits(site, "/feed.xml")) == (3, 3)


def test_a_new_redirect_to_a_page_not_due_does_not_fetch_the_page(
        tmp_path: Path, site: SiteServer) -> None:
    """A link to a short URL of an article crawled an hour ago (revisited daily): the
    redirect was followed and the article asked again, its answer then set aside as
    not due. The redirect alone is asked; the article waits for its own revisit."""
    out = str(tmp_path / "out.jsonl")
    site.state.set_page("/hub.html", '<a href="/articles/a5.html">a5</a>')
    crawl([site.url("/hub.html")], out, fetch=fast_config(), workers=0, max_depth=1,
          revisit=86400)
    site.state.set_page("/hub.html", '<a href="/articles/a5.html">a5</a> '
                                     '<a href="/redirect/a5">short</a>')
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        st.db.execute("UPDATE urls SET next_due = 0 WHERE url = ?", (site.url("/hub.html"),))
    finally:
        st.close()
    s = crawl([site.url("/hub.html")], out, fetch=fast_config(), workers=0, max_depth=1,
              revisit=86400)
    assert _hits(site, "/redirect/a5") == 1 and s.rejected == 0, s.one_line()
    assert _hits(site, "/articles/a5.html") == 1, s.one_line()


@pytest.mark.parametrize("content", [
    "0; url={target}", "0;URL='{target}'", "3 ; URL = {target}",
    "0; URL=&quot;{target}&quot;", "0, url={target}",
])
def test_a_meta_refresh_is_followed_like_a_redirect(
        tmp_path: Path, site: SiteServer, content: str) -> None:
    """A page that moved by ``<meta http-equiv="refresh" content="0; url=...">`` (a
    static site's redirect pages, a CMS migration) was an empty page, skipped, and the
    article it sends readers to was never crawled. Its target is queued as a
    redirect's is, at the page's own depth: also from a page at the source's
    max_depth, whose links are not followed."""
    site.state.set_page("/old/ferry.html", (
        '<html><head><meta http-equiv="Refresh" content="'
        + content.format(target="/articles/a6.html") + '"></head><body></body></html>'))
    site.state.set_page("/hub.html", '<a href="/old/ferry.html">ferry</a>')
    s = crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), fetch=fast_config(),
              workers=0, max_depth=1)
    assert paths(records(tmp_path)) == {"/articles/a6.html": 1}, s.one_line()


def test_a_seed_that_refreshes_to_its_home_page_keeps_it_as_a_seed(
        tmp_path: Path, site: SiteServer) -> None:
    """A site's root that sends readers on to /en/ with a meta refresh: where it leads
    is crawled as the seed, run after run (it is not a seed taken out of the sources)."""
    site.state.set_page("/start.html", '<meta http-equiv="refresh" content="0;url=/en.html">')
    site.state.set_page("/en.html", '<a href="/articles/a1.html">a1</a>')
    f = tmp_path / "sources.toml"
    f.write_text(f'[[source]]\nname = "g"\nseeds = ["{site.url("/start.html")}"]\n'
                 'max_depth = 1\nrevisit = "0s"\ndiscovery_revisit = "0s"\n')
    run_crawl(tmp_path, site, sources=f)
    s = run_crawl(tmp_path, site, sources=f)
    assert s.excluded == 0 and _hits(site, "/en.html") == 2, s.one_line()
    assert paths(records(tmp_path)) == {"/articles/a1.html": 1}


def test_a_meta_refresh_to_another_host_is_named_not_silent(
        tmp_path: Path, site: SiteServer) -> None:
    """A seed whose meta refresh sends readers to another host (a site that moved
    domain) crawled nothing, with exit status 0 and no word, where the same move made
    with a 301 is a redirect-out-of-scope reject; a page doing so is counted as
    redirected off-site."""
    away = "http://moved.invalid/en/"
    site.state.set_page("/start.html", f'<meta http-equiv="refresh" content="0;url={away}">')
    site.state.set_page("/hub.html", '<a href="/old/ferry.html">ferry</a>')
    site.state.set_page("/old/ferry.html", f'<meta http-equiv="refresh" content="0;url={away}">')
    f = tmp_path / "sources.toml"
    f.write_text(f'[[source]]\nname = "g"\nseeds = ["{site.url("/start.html")}", '
                 f'"{site.url("/hub.html")}"]\nmax_depth = 1\n')
    s = run_crawl(tmp_path, site, sources=f)
    assert s.exit_code == 3 and s.offsite == 1, s.one_line()
    [rej] = [json.loads(x) for x in Path(s.rejects_path or "").read_text().splitlines()]
    assert (rej["reason"], rej["source"]) == ("redirect-out-of-scope", site.url("/start.html"))
    assert away in rej["message"] and "'g'" in rej["message"]
    assert any("/old/ferry.html -> " + away in w for w in s.warnings), s.warnings
    assert _hits(site, "/en/") == 0


def test_a_chain_of_meta_refreshes_is_held_to_the_redirect_limit(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bot check that refreshes to itself with a new query each time ("?attempt=N+1")
    was a redirect to a new URL at the same depth, every time: the run spent its whole
    page budget on it (60 of 60 pages), and each later run went on with the chain. It
    is cut where a chain of HTTP redirects is, and named."""
    route = Handler.route

    def r(self: Handler, path: str, n: int) -> int:
        if path == "/check":
            k = int(self.path.split("=", 1)[1]) if "=" in self.path else 0
            return self.send(200, f'<meta http-equiv="refresh" content="0;url=/check?'
                                  f'attempt={k + 1}">'.encode())
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", r)
    f = tmp_path / "sources.toml"
    f.write_text(f'[[source]]\nname = "g"\nseeds = ["{site.url("/check")}"]\n'
                 'max_depth = 1\nrevisit = "1d"\ndiscovery_revisit = "0s"\n')
    s = run_crawl(tmp_path, site, sources=f, max_pages=60)
    limit = fast_config().max_redirects
    assert _hits(site, "/check") == limit + 1, s.one_line()
    [rej] = [json.loads(x) for x in Path(s.rejects_path or "").read_text().splitlines()]
    assert rej["reason"] == "too-many-redirects"
    assert f"attempt={limit + 1}" in rej["message"]
    s = run_crawl(tmp_path, site, sources=f, max_pages=60)
    # the seed and where it leads are asked again; the chain goes no further
    assert s.discovered == 0 and _hits(site, "/check") <= limit + 3, s.one_line()


def test_a_page_refreshing_itself_is_no_redirect() -> None:
    from scraper.crawl.discovery import extract_links

    page = b'<meta http-equiv="refresh" content="300"><a href="/b">b</a>'
    assert extract_links(page, "http://example.org/a").refresh is None
    page = b'<meta http-equiv="refresh" content="300; url=http://example.org/a">'
    assert extract_links(page, "http://example.org/a").refresh is None


def test_a_redirect_back_to_a_url_remembered_as_moved_is_followed(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """/story.html moved to /story-new.html (301, remembered); then the site undid it:
    the new address sends to the old one, which serves the article again. The old
    one's next visit is its slow re-check of the redirect, not a sign of a fresh copy:
    the redirect back is followed and its answer taken, not set aside for a day."""
    from fixture_site import article_html

    way = {"from": "/story.html", "to": "/story-new.html"}
    route = Handler.route

    def r(self: Handler, path: str, n: int) -> int:
        if path == way["from"]:
            return self.redirect(301, way["to"])
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", r)
    site.state.set_page("/story-new.html", article_html("a9"))
    site.state.set_page("/hub.html", '<a href="/story.html">story</a>')
    out = str(tmp_path / "out.jsonl")
    crawl([site.url("/hub.html")], out, fetch=fast_config(), workers=0, max_depth=1, revisit=0)
    way.update({"from": "/story-new.html", "to": "/story.html"})
    site.state.set_page("/story.html", article_html("a9 again, corrected"))
    s = crawl([site.url("/hub.html")], out, fetch=fast_config(), workers=0, max_depth=1,
              revisit=0)
    assert paths(records(tmp_path))["/story.html"] == 1, s.one_line()


def test_a_seed_that_no_longer_redirects_lets_go_of_its_old_target(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed that once redirected kept that target in the state for good (final_url
    was never cleared): after the site served the seed itself again, the old target
    was still crawled as a way into the site, and once it went, it was a reject and
    exit status 3 every day, a URL the sources never listed."""
    to = _moving_site(site, monkeypatch)
    src = _sources(tmp_path, site)
    run_crawl(tmp_path, site, sources=src)
    # a day on, the seed serves the news itself; later its old target goes
    to["/news"] = ""
    monkeypatch.setattr(Handler, "route", _serving("/news", Handler.route))
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        st.db.execute("UPDATE urls SET next_due = 0 WHERE url = ?", (site.url("/news"),))
    finally:
        st.close()
    run_crawl(tmp_path, site, sources=src)
    to["gone"] = "/news/index.html"
    for _ in range(2):
        s = run_crawl(tmp_path, site, sources=src)
        assert s.rejected == 0, s.one_line()


def _serving(path: str, route: Callable[[Handler, str, int], int]
             ) -> Callable[[Handler, str, int], int]:
    """``route`` with ``path`` serving a hub of a3 as HTML."""
    def r(self: Handler, p: str, n: int) -> int:
        if p == path:
            return self.send(200, b'<a href="/articles/a3.html">3</a>')
        return route(self, p, n)
    return r


def test_a_page_and_its_copy_under_another_url_make_one_record(
        tmp_path: Path, site: SiteServer) -> None:
    """An article at two URLs (its AMP or print copy, a second section) whose
    ``<link rel="canonical">`` names one of them: both were written, the same record
    (same id, same text) twice in one run, and again by a later run that found the
    copy once the original was crawled. A record version another URL of the same
    canonical address wrote is not written again (counted as a duplicate); a page
    with the canonical of a different text is still written."""
    from fixture_site import article_html

    def canon(body: bytes) -> bytes:
        return body.replace(b"<head>", b'<head><link rel="canonical" href="'
                            + site.url("/story/ferry.html").encode() + b'">')

    site.state.set_page("/story/ferry.html", canon(article_html("ratelimited")))
    site.state.set_page("/amp/ferry.html", canon(article_html("ratelimited")))
    site.state.set_page("/print/ferry.html", canon(article_html("slow")))  # another text
    out = str(tmp_path / "out.jsonl")
    site.state.set_page("/hub.html", '<a href="/story/ferry.html">1</a> '
                                     '<a href="/amp/ferry.html">2</a>')
    s = crawl([site.url("/hub.html")], out, fetch=fast_config(), workers=0, max_depth=1)
    assert s.new == 1 and "1 duplicate" in s.one_line(), s.one_line()
    site.state.set_page("/hub2.html", '<a href="/amp/ferry.html?from=hub2">1</a> '
                                      '<a href="/print/ferry.html">2</a>')
    s = crawl([site.url("/hub2.html")], out, fetch=fast_config(), workers=0, max_depth=1)
    assert s.new == 1, s.one_line()
    got = paths(records(tmp_path))
    assert sum(got.values()) == 2 and got["/print/ferry.html"] == 1, got


def test_a_copy_written_first_keeps_its_original_from_a_later_run(
        tmp_path: Path, site: SiteServer) -> None:
    """The other way round across runs: the copy (an AMP page) is found and written
    first, its canonical address not crawled yet; a later run finds the original and
    wrote it too, the same record (same id, same version) twice in the output. What a
    copy wrote is kept in the state with the record's id and version: the original is
    a duplicate, and so is a third copy found later still. An edit of the original is a
    new version, written."""
    from fixture_site import article_html

    def canon(body: bytes) -> bytes:
        return body.replace(b"<head>", b'<head><link rel="canonical" href="'
                            + site.url("/story/ferry.html").encode() + b'">')

    for path in ("/story/ferry.html", "/amp/ferry.html", "/print/ferry.html"):
        site.state.set_page(path, canon(article_html("ratelimited")))
    out = str(tmp_path / "out.jsonl")

    def run(*links: str) -> str:
        hub = "/hub-" + str(len(site.state.log)) + ".html"
        site.state.set_page(hub, " ".join(f'<a href="{u}">x</a>' for u in links))
        return crawl([site.url(hub)], out, fetch=fast_config(), workers=0, max_depth=1,
                     revisit=0).one_line()

    assert ", 1 new," in run("/amp/ferry.html")
    line = run("/story/ferry.html")
    assert ", 0 new," in line and "1 duplicate" in line, line
    st = SqliteState(tmp_path / "out.crawl.db")
    try:
        assert (st.row(site.url("/story/ferry.html")) or {}).get("status") == "duplicate"
    finally:
        st.close()
    line = run("/print/ferry.html")
    assert ", 0 new," in line and "1 duplicate" in line, line
    recs = records(tmp_path)
    assert len(recs) == 1 and recs[0]["url"].endswith("/amp/ferry.html"), paths(recs)
    site.state.set_page("/story/ferry.html", canon(article_html("ratelimited").replace(
        b"was announced this morning", b"was announced on Monday")))
    line = run("/story/ferry.html")
    assert sorted(paths(records(tmp_path))) == ["/amp/ferry.html", "/story/ferry.html"], line
