"""URL normalisation, scope, sources files, feeds, sitemaps and links."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from scraper.crawl import (
    Scope,
    extract_links,
    load_sources,
    normalize_url,
    parse_discovery,
    parse_duration,
    source_from_urls,
)
from scraper.crawl.discovery import parse_w3c_datetime, robots_header
from scraper.crawl.sources import sources_from_dict
from scraper.errors import ConfigError, DiscoveryError

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"


@pytest.mark.parametrize(("raw", "norm"), [
    ("HTTP://Example.COM:80/a/b/?utm_source=x&id=3&fbclid=9#frag", "http://example.com/a/b/?id=3"),
    ("https://example.com:443/News?b=2&a=1", "https://example.com/News?a=1&b=2"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com/a/../b/./c", "http://example.com/b/c"),
    ("http://example.com:8080/x", "http://example.com:8080/x"),
    ("http://bücher.example/", "http://xn--bcher-kva.example/"),
    ("  http://example.com/\tx ", "http://example.com/x"),
    ("mailto:someone@example.com", None),
    ("javascript:void(0)", None),
    ("ftp://example.com/", None),
    ("http://user:pw@example.com/", None),
    ("http://[::1]:99/", "http://[::1]:99/"),
    # one spelling per path: the hub linking /a/€ and /a/%E2%82%AC made two records
    ("http://example.com/a/€", "http://example.com/a/%E2%82%AC"),
    ("http://example.com/a/%e2%82%ac", "http://example.com/a/%E2%82%AC"),
    ("http://example.com/a/x y", "http://example.com/a/x%20y"),
    ("http://example.com/a/%7Ejo", "http://example.com/a/~jo"),
    ("http://example.com/a%2Fb/c", "http://example.com/a%2Fb/c"),  # reserved: kept
    ("http://example.com/wiki/Caf%C3%A9_(x)", "http://example.com/wiki/Caf%C3%A9_(x)"),
    # cache busters and time stamps: a sitemap made per request is the same URLs each time
    ("http://example.com/a?v=1733000000", "http://example.com/a"),
    ("http://example.com/a?v=1733000000.25&id=7", "http://example.com/a?id=7"),
    ("http://example.com/a?_=1733000000123&p=2", "http://example.com/a?p=2"),
    ("http://example.com/a?page=3&cb=x9&rnd=0.5&NoCache=1", "http://example.com/a?page=3"),
    ("http://example.com/a?ttclid=E.C.P&srsltid=AfmB&_hsenc=p2A", "http://example.com/a"),
    # ... but the same names that select content keep it
    ("http://example.com/watch?v=dQw4w9WgXcQ", "http://example.com/watch?v=dQw4w9WgXcQ"),
    ("http://example.com/viewtopic.php?t=123456", "http://example.com/viewtopic.php?t=123456"),
    ("http://example.com/doc?version=2", "http://example.com/doc?version=2"),
    ("http://example.com/a?id=1733000000&p=1733000000&page=1733000000",
     "http://example.com/a?id=1733000000&p=1733000000&page=1733000000"),
])
def test_normalize_url(raw: str, norm: str | None) -> None:
    assert normalize_url(raw) == norm


def test_normalize_relative() -> None:
    assert normalize_url("../x?utm_medium=rss#c", "https://s.example/a/b/c") == \
        "https://s.example/a/x"


def test_scope() -> None:
    scope = Scope.build(["www.news.example"], include=[r"/\d{4}/", r"/news/"],
                        exclude=[r"/tag/"], hubs=[r"/page/\d+"], max_depth=2)
    assert scope.allows("https://news.example/2024/a")  # www. or not
    assert scope.allows("https://www.news.example/news/b", 2)
    assert not scope.allows("https://www.news.example/news/b", 3)  # too deep
    assert not scope.allows("https://www.news.example/about")  # not included
    assert not scope.allows("https://www.news.example/news/tag/x")  # excluded
    assert not scope.allows("https://other.example/news/x")
    assert not scope.allows("https://sub.news.example/news/x")
    assert Scope.build(["news.example"], subdomains=True).allows("https://sub.news.example/")
    assert scope.is_hub("https://news.example/news/page/3")


def test_parse_duration() -> None:
    assert parse_duration("15m") == 900 and parse_duration("2h") == 7200
    assert parse_duration("1d") == 86400 and parse_duration(30) == 30
    assert parse_duration("250ms") == 0.25
    with pytest.raises(ValueError, match="duration"):
        parse_duration("soon")


def test_sources_file(tmp_path: Path) -> None:
    f = tmp_path / "sources.toml"
    f.write_text('''
[defaults]
revisit = "6h"
max_depth = 1

[[source]]
name = "gazette"
seeds = ["https://gazette.example/"]
feeds = ["https://gazette.example/feed.xml"]
sitemaps = ["https://gazette.example/sitemap_index.xml"]
exclude = ["/tag/"]
hubs = ["/page/"]
max_pages = 100

[[source]]
name = "blog"
feeds = ["https://blog.example/atom.xml"]
revisit = "1d"
discovery_revisit = "10m"
''')
    a, b = load_sources(f)
    assert a.name == "gazette" and a.revisit == 6 * 3600 and a.max_depth == 1
    assert a.max_pages == 100 and a.scope().allows("https://gazette.example/x", 1)
    assert not a.scope().allows("https://gazette.example/tag/x", 1)
    assert [k for _, k in a.start_urls()] == ["seed", "feed", "sitemap"]
    assert b.revisit == 86400 and b.discovery_revisit == 600
    assert b.scope().host_ok("blog.example")


@pytest.mark.parametrize(("text", "message"), [
    ("[[source]]\nname = 'x'\n", "has no seeds, feeds, sitemaps or pages"),
    ("[[source]]\nseeds = ['http://a.example/']\n", "needs a non-empty name"),
    ("[[source]]\nname='x'\nseeds = ['notaurl']\n", "'notaurl' is not an http(s) URL"),
    ("[[source]]\nname='x'\nseeds = ['http://a/']\nrevisit = 'often'\n", "revisit"),
    ("[[source]]\nname='x'\nseeds = ['http://a/']\nexclude = ['(']\n", "not a valid regular"),
    ("[[source]]\nname='x'\nseeds = ['http://a/']\nseed = ['http://b/']\n", "unknown key"),
    ("[[source]]\nname='x'\nseeds = ['http://a/']\n[[source]]\nname='x'\nfeeds=['http://b/']\n",
     "used twice"),
    ("[[source]]\nname='x'\nseeds = ['http://a/']\nmax_pages = -1\n", "max_pages"),
    # the state holds a URL for one source: the other got nothing from the shared feed
    ("[[source]]\nname='x'\nfeeds = ['http://a/rss']\ninclude = ['/1']\n[[source]]\n"
     "name='y'\nfeeds = ['http://A/rss#top']\ninclude = ['/2']\n",
     "feed http://a/rss is listed by sources 'x' and 'y'"),
    ("name = 'x'\n", "unknown table"),
    ("[[source]\n", "not valid TOML"),
    ("", "no [[source]] tables"),
])
def test_bad_sources_file_names_file_and_problem(tmp_path: Path, text: str,
                                                  message: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_sources(f)
    assert str(f) in str(info.value) and message in str(info.value)


@pytest.mark.parametrize(("entry", "hint"), [
    ("news.example.com:8080", "; give 'news.example.com'"),
    ("https://news.example.com/", "; give 'news.example.com'"),
    ("news.example.com/world", "; give 'news.example.com'"),
    ("[::1]:8080", "; give '::1'"),
    (" news.example.com", "; give 'news.example.com'"),
    ("http://", ""),
])
def test_a_hosts_entry_that_is_no_host_name_is_refused(entry: str, hint: str) -> None:
    """A port, scheme or path in ``hosts`` matched no page: the crawl fetched its start
    pages and stopped, with only a warning that nothing was in scope."""
    data = {"source": [{"name": "n", "seeds": ["https://news.example.com/"],
                        "hosts": [entry]}]}
    with pytest.raises(ConfigError) as info:
        sources_from_dict(data, "s.toml")
    assert str(info.value) == (f"s.toml: source n: hosts: {entry!r} is not a host name{hint} "
                               "(a host is in scope on every port and path)")


def test_host_names_are_taken_as_they_are() -> None:
    hosts = ["news.example.com", "WWW.Example.com", "example.org.", "127.0.0.1", "::1",
             "bücher.example"]
    data = {"source": [{"name": "n", "seeds": ["https://news.example.com/"], "hosts": hosts}]}
    assert sources_from_dict(data, "s.toml")[0].hosts == hosts


def test_missing_sources_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read sources file"):
        load_sources(tmp_path / "nope.toml")


def test_source_from_urls_sorts_kinds() -> None:
    src = source_from_urls(["https://a.example/", "https://a.example/feed.xml",
                            "https://a.example/sitemap_index.xml"])
    assert (src.seeds, src.feeds, src.sitemaps) == (["https://a.example/"],
                                                   ["https://a.example/feed.xml"],
                                                   ["https://a.example/sitemap_index.xml"])
    with pytest.raises(ConfigError, match="not an http"):
        source_from_urls(["a.example"])


def _site(name: str) -> bytes:
    return (SITE / name).read_bytes().replace(b"{{SITE}}", b"http://s.example")


def test_rss_atom_and_sitemaps() -> None:
    rss = parse_discovery(_site("feed.xml"), "http://s.example/feed.xml")
    assert rss.kind == "rss" and len(rss.pages) == 5
    assert rss.pages[0] == "http://s.example/articles/a1.html"  # utm_medium dropped
    atom = parse_discovery(_site("atom.xml"), "http://s.example/atom.xml")
    assert atom.pages == ["http://s.example/articles/a4.html", "http://s.example/articles/a7.html"]
    index = parse_discovery(_site("sitemap_index.xml"), "http://s.example/sitemap_index.xml")
    assert index.kind == "sitemapindex" and len(index.sitemaps) == 2
    urlset = parse_discovery(gzip.compress(_site("sitemap-articles.xml")),
                             "http://s.example/sitemap-articles.xml.gz")
    assert urlset.kind == "urlset" and len(urlset.pages) == 8
    text = parse_discovery(b"http://s.example/a\n\nhttp://s.example/b\n", "http://s.example/s.txt")
    assert text.pages == ["http://s.example/a", "http://s.example/b"]


@pytest.mark.parametrize(("name", "message"), [
    ("bad-feed.xml", "entity declarations"),
    ("broken-feed.xml", "malformed XML"),
])
def test_hostile_and_broken_feeds(name: str, message: str) -> None:
    with pytest.raises(DiscoveryError) as info:
        parse_discovery(_site(name), f"http://s.example/{name}")
    assert info.value.url == f"http://s.example/{name}" and message in info.value.message
    assert info.value.reason == "bad-feed"


def test_xxe_refused() -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<urlset><url><loc>&x;</loc></url></urlset>")
    with pytest.raises(DiscoveryError, match="entity"):
        parse_discovery(xxe, "http://s.example/sitemap.xml")


def test_not_a_feed() -> None:
    with pytest.raises(DiscoveryError, match=r"root element <html>"):
        parse_discovery(b"<html><body>hi</body></html>", "http://s.example/feed")
    with pytest.raises(DiscoveryError, match="not a URL"):
        parse_discovery(b"hello world\n", "http://s.example/feed")


def test_gzip_bomb_sitemap_refused() -> None:
    bomb = gzip.compress(b" " * (80 * 2**20))
    with pytest.raises(DiscoveryError, match="inflates"):
        parse_discovery(bomb, "http://s.example/sitemap.xml.gz")


def test_extract_links() -> None:
    html = (SITE / "index.html").read_bytes()
    found = extract_links(html, "http://s.example/")
    assert "http://s.example/articles/a1.html" in found.links  # utm and fragment gone
    assert "http://10.0.0.1/admin" in found.links  # found; scope and policy decide later
    assert len(found.links) == len(set(found.links))
    page = (b'<html><head><base href="/sub/"><meta name="robots" content="noindex"></head>'
            b'<body><a href="x">x</a><a rel="nofollow" href="/n">n</a></body></html>')
    got = extract_links(page, "http://s.example/a")
    assert got.links == ["http://s.example/sub/x"] and got.noindex and not got.nofollow
    nf = extract_links(b'<meta name="robots" content="nofollow"><a href="/x">x</a>', "http://s/")
    assert nf.nofollow and nf.links == []


def test_revisit_policy_adapts() -> None:
    from scraper.crawl import RevisitPolicy

    rp = RevisitPolicy(grow=2.0, shrink=0.5, min_interval=600, max_interval=86400)
    assert rp.next_interval(None, 3600, changed=True) == 3600  # first fetch: the base
    assert rp.next_interval(3600, 3600, changed=False) == 7200  # unchanged: longer
    assert rp.next_interval(86400, 3600, changed=False) == 86400  # capped
    assert rp.next_interval(3600, 3600, changed=True) == 1800  # changed: sooner
    assert rp.next_interval(700, 3600, changed=True) == 600  # floored
    assert rp.next_interval(0, 0, changed=False) == 0  # "always due" stays so


@pytest.mark.parametrize(("header", "expected"), [
    (None, (False, False)),
    ("noindex", (False, True)),
    ("NoIndex, NoFollow", (True, True)),
    ("none", (True, True)),
    ("googlebot: noindex, nofollow", (False, False)),  # another agent's, both directives
    ("googlebot: noindex, pagewash: nofollow", (True, False)),
    ("noindex, googlebot: nofollow", (False, True)),  # two headers joined by a comma
    ("max-snippet: 20, unavailable_after: 2030-01-01", (False, False)),
    ("max-snippet: 20, noindex", (False, True)),  # a valued directive is not an agent
])
def test_x_robots_tag(header: str | None, expected: tuple[bool, bool]) -> None:
    assert robots_header(header) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-10-10", 1728518400.0),
    ("2024-10-10T08:45:00Z", 1728549900.0),
    ("2024-10-10T10:45:00+02:00", 1728549900.0),
    ("2024-10-10T08:45:00.250Z", 1728549900.25),
    ("2024-10-10T08:45", 1728549900.0),  # no zone: UTC
    ("2024-10-10t08:45:00z", 1728549900.0),  # RFC 3339 allows lower case
    ("2024-10", 1727740800.0),  # W3C datetime's month and year forms
    ("2024", 1704067200.0),
    ("last tuesday", None),
    ("", None),
])
def test_w3c_datetimes(value: str, expected: float | None) -> None:
    assert parse_w3c_datetime(value) == expected


def _urlset(stamps: list[str]) -> bytes:
    rows = "".join(f"<url><loc>http://s.example/{i}</loc><lastmod>{v}</lastmod></url>"
                   for i, v in enumerate(stamps))
    return (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
            ).encode()


def test_lastmod_is_read_from_sitemaps_indexes_and_atom() -> None:
    found = parse_discovery(_urlset(["2024-10-10", "2024-10-11", "bogus", "3024-01-01"]),
                            "http://s.example/sitemap.xml")
    assert found.pages == [f"http://s.example/{i}" for i in range(4)]
    # the unparseable date and the one a thousand years ahead are not acted on
    assert found.modified == {"http://s.example/0": 1728518400.0,
                              "http://s.example/1": 1728604800.0}
    index = parse_discovery(
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
        b"<loc>http://s.example/a.xml</loc><lastmod>2024-10-10</lastmod></sitemap>"
        b"<sitemap><loc>http://s.example/b.xml</loc></sitemap></sitemapindex>",
        "http://s.example/index.xml")
    assert index.sitemaps == ["http://s.example/a.xml", "http://s.example/b.xml"]
    assert index.modified == {"http://s.example/a.xml": 1728518400.0}
    atom = parse_discovery(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://s.example/p"/>'
        b"<updated>2024-10-10T08:45:00Z</updated></entry></feed>", "http://s.example/feed")
    assert atom.modified == {"http://s.example/p": 1728549900.0}


def test_generated_lastmods_are_ignored() -> None:
    """A sitemap that stamps most entries with one moment (when it was generated) says
    nothing about when pages changed; trusting it would refetch every page every time."""
    same = ["2026-11-30T10:00:00Z"] * 4 + ["2024-10-10", "2024-10-11"]
    assert parse_discovery(_urlset(same), "http://s.example/sm.xml").modified == {}
    varied = ["2026-11-30T10:00:00Z"] * 2 + ["2024-10-10", "2024-10-11", "2024-10-12"]
    assert len(parse_discovery(_urlset(varied), "http://s.example/sm.xml").modified) == 5


def test_atom_links_resolve_against_xml_base() -> None:
    feed = (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://h.example/articles/">'
            b'<entry><link href="a5.html"/></entry>'
            b'<entry xml:base="/other/"><link href="b.html"/></entry>'
            b'<entry><link href="http://x.example/abs"/></entry></feed>')
    assert parse_discovery(feed, "http://h.example/rel/feed.xml").pages == [
        "http://h.example/articles/a5.html", "http://h.example/other/b.html",
        "http://x.example/abs"]


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_duration_must_be_finite(value: float) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(value, "revisit")


@pytest.mark.parametrize(("body", "feed"), [
    (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', True),
    (b'<?xml version="1.0"?>\n<!-- <b>made by</b> a CMS --><feed xmlns="x"/>', True),
    (b"<urlset><url><loc>http://a/</loc></url></urlset>", True),
    (b'<!DOCTYPE html><!-- <rss> --><html><body>news</body></html>', False),
    (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', False),
    (b"http://a/1\nhttp://a/2\n", False),
])
def test_a_body_says_whether_it_is_a_feed(body: bytes, feed: bool) -> None:
    """What decides for a seed served as a web page (a tag inside a comment, before
    the root, is no root)."""
    from scraper.crawl.discovery import looks_like_feed

    assert looks_like_feed(body) is feed
