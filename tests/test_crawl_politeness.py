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
