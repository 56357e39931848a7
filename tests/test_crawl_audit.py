"""Crawl faults a cron user hit, each on the fixture server with a real SQLite state."""

from __future__ import annotations

from pathlib import Path

from fixture_site import SiteServer, fast_config
from test_crawl import paths, records

from scraper.jobs import crawl
from scraper.state import SqliteState


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

