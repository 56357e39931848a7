"""Finding URLs: RSS/Atom feeds, sitemaps (and indexes, gzip too), and links in HTML.

XML from the web is parsed with :mod:`defusedxml`: entity declarations and external
references are refused, so a "billion laughs" feed or an XXE sitemap is an error for
that URL, not a hung or leaking crawler.

Sitemaps and Atom feeds also say when each page last changed (``<lastmod>``,
``<updated>``): the crawl revisits a known page early when it changed after the last
fetch, instead of waiting out its revisit interval (or never noticing a correction to an
article it had stopped checking often).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from selectolax.lexbor import LexborHTMLParser

from scraper.crawl.urls import normalize_url
from scraper.errors import DiscoveryError
from scraper.extract.decode import bom_codec
from scraper.extract.sniff import bound_depth
from scraper.fetch.decode import BodyTooLarge, CappedDecoder
from scraper.readers.decoding import utf16_markup

MAX_SITEMAP_BYTES = 60 * 2**20  # sitemaps.org: 50 MB uncompressed, plus slack


@dataclass
class Discovered:
    """What a feed or sitemap lists: pages, and further sitemaps (from an index)."""

    kind: str  # rss, atom, rdf, urlset, sitemapindex, text
    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    # when a listed page or sitemap last changed (Unix time), where the list says so and
    # the dates look real (:func:`_trusted`)
    modified: dict[str, float] = field(default_factory=dict)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if _local(c.tag) == name]


def _text(el: Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def gunzip_capped(data: bytes, url: str, cap: int = MAX_SITEMAP_BYTES) -> bytes:
    dec = CappedDecoder("gzip", cap)
    try:
        dec.feed(data)
        return dec.finish()
    except BodyTooLarge:
        raise DiscoveryError(url, f"gzip file inflates past {cap:,} bytes; refused") from None
    except Exception as exc:  # zlib.error and friends
        raise DiscoveryError(url, f"corrupt gzip data: {exc}") from None


_COMMENTS = re.compile(rb"<!--.*?-->", re.DOTALL)
_FEED_ROOTS = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|urlset|sitemapindex|RDF)[\s>]")


# Byte-order marks a feed or sitemap may start with (Windows tools and some CMS plugins
# write them), and the codec that reads what follows.
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _head(data: bytes, size: int) -> bytes:
    """The first ``size`` bytes or so of ``data`` as ASCII-compatible bytes, without a
    byte-order mark (UTF-16 re-encoded): a feed or sitemap with a BOM was read as a text
    sitemap and rejected as ``bad-feed``, or as a page when it was a seed."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):len(bom) + size].decode(codec, "ignore").encode("utf-8")
    return data[:size]


def _starts_with_markup(data: bytes) -> bool:
    return _head(data, 512).lstrip()[:1] == b"<"


def looks_like_feed(data: bytes) -> bool:
    """Whether a body served as a web page is a feed or sitemap (a seed given on the
    command line may be one whatever its name or content type): its first element, after
    the XML declaration, comments and doctype, is a feed's or a sitemap's."""
    head = _COMMENTS.sub(b"", _head(data, 4096)).lstrip()
    if not head.startswith(b"<"):
        return False
    m = re.search(rb"<[^?!]", head)
    return m is not None and _FEED_ROOTS.match(head, m.start()) is not None


def parse_discovery(data: bytes, url: str, max_bytes: int = MAX_SITEMAP_BYTES) -> Discovered:
    """Parse a feed, sitemap, sitemap index or plain-text sitemap fetched from ``url``;
    a gzipped file (``sitemap.xml.gz``) may unpack to ``max_bytes``, the cap its
    download had."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_capped(data, url, max_bytes)
    if not _starts_with_markup(data):
        return _text_sitemap(data, url)
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DiscoveryError(url, f"XML refused ({type(exc).__name__}): entity declarations "
                             "and external references are not allowed") from None
    except ParseError as exc:
        raise DiscoveryError(url, f"malformed XML: {exc}") from None
    name = _local(root.tag)
    if name == "urlset":
        pages, modified = _locs(root, "url", url)
        return Discovered("urlset", pages, modified=modified)
    if name == "sitemapindex":
        sitemaps, modified = _locs(root, "sitemap", url)
        return Discovered("sitemapindex", sitemaps=sitemaps, modified=modified)
    if name == "rss":
        items = [i for ch in _children(root, "channel") for i in _children(ch, "item")]
        return Discovered("rss", _rss_links(items, url))
    if name == "rdf":
        return Discovered("rdf", _rss_links(_children(root, "item"), url))
    if name == "feed":
        pages, modified = _atom_links(root, url)
        return Discovered("atom", pages, modified=modified)
    raise DiscoveryError(url, f"not a feed or sitemap (root element <{name}>)")


def _locs(root: Element, child: str, base: str) -> tuple[list[str], dict[str, float]]:
    out = []
    stamps: dict[str, str] = {}
    for entry in _children(root, child):
        loc = lastmod = ""
        for c in entry:
            tag = _local(c.tag)
            if tag == "loc":
                loc = _text(c)
            elif tag == "lastmod":
                lastmod = _text(c)
        n = normalize_url(loc, base) if loc else None
        if n:
            out.append(n)
            if lastmod:
                stamps.setdefault(n, lastmod)
    return out, _trusted(stamps)


def parse_w3c_datetime(value: str) -> float | None:
    """Unix time of a sitemap ``<lastmod>`` or Atom ``<updated>`` (W3C datetime / RFC
    3339: "2024", "2024-10", "2024-10-10", "2024-10-10T08:45:00+02:00", "...Z"); UTC
    when no zone is given; None when it is not a date."""
    value = value.strip().upper()  # RFC 3339 allows "t" and "z"
    if len(value) in (4, 7) and value[:4].isdigit():  # W3C's "2024" and "2024-10"
        value += "-01-01" if len(value) == 4 else "-01"
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


FUTURE_SLACK = 86400.0  # a lastmod more than a day ahead of our clock is not a real one
GENERATED_SHARE = 0.5  # ... nor one that most of a list's entries share


def _trusted(stamps: dict[str, str]) -> dict[str, float]:
    """The dates worth acting on. Many sites stamp every entry with the moment the
    sitemap was generated; trusted, that would send the crawl to every page on every
    visit. So when most entries of a list of five or more share one value, the list's
    dates are ignored, as are dates in the future and ones that do not parse."""
    if len(stamps) >= 5:
        most = Counter(stamps.values()).most_common(1)[0][1]
        if most > GENERATED_SHARE * len(stamps):
            return {}
    limit = time.time() + FUTURE_SLACK
    out = {}
    for url, value in stamps.items():
        when = parse_w3c_datetime(value)
        if when is not None and when <= limit:
            out[url] = when
    return out


def _rss_links(items: list[Element], base: str) -> list[str]:
    out = []
    for item in items:
        link = next((_text(c) for c in item if _local(c.tag) == "link" and _text(c)), "")
        if not link:
            for c in item:
                if _local(c.tag) == "guid" and c.get("isPermaLink", "true") != "false":
                    link = _text(c)
        n = normalize_url(link, base) if link else None
        if n:
            out.append(n)
    return out


_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _based(el: Element, base: str) -> str:
    """``base`` moved by the element's ``xml:base`` (RFC 4287 resolves an Atom feed's
    relative links against it, not against the feed's address)."""
    given = el.get(_XML_BASE)
    return (normalize_url(given, base) or base) if given else base


def _atom_links(root: Element, base: str) -> tuple[list[str], dict[str, float]]:
    out = []
    stamps: dict[str, str] = {}
    feed_base = _based(root, base)
    for entry in _children(root, "entry"):
        links = [c for c in entry if _local(c.tag) == "link"]
        best = next((c for c in links if c.get("rel", "alternate") == "alternate"), None)
        href = best.get("href", "") if best is not None else ""
        n = normalize_url(href, _based(best, _based(entry, feed_base))) if (
            href and best is not None) else None
        if n:
            out.append(n)
            updated = next((_text(c) for c in entry if _local(c.tag) == "updated"), "")
            if updated:
                stamps.setdefault(n, updated)
    return out, _trusted(stamps)


def _text_sitemap(data: bytes, url: str) -> Discovered:
    text = data.decode("utf-8-sig", "replace")
    pages = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        n = normalize_url(line)
        if n is None:
            raise DiscoveryError(url, f"not a feed or sitemap: {line[:60]!r} is not a URL")
        pages.append(n)
    return Discovered("text", pages)


@dataclass
class PageLinks:
    links: list[str]
    nofollow: bool = False  # <meta name=robots content=nofollow>
    noindex: bool = False
    refresh: str | None = None  # where <meta http-equiv=refresh> sends the reader


# content="5; url=/next", "0;URL='/next'", "0, url=/next" (the HTML standard's parse,
# less its corner cases); "300" alone reloads the page itself.
_REFRESH = re.compile(r"\s*[\d.]*\s*[;,]\s*(?:url\s*=\s*)?(['\"]?)([^'\"]+)\1", re.I)


def _refresh_target(tree: LexborHTMLParser, base: str, url: str) -> str | None:
    """The URL a ``<meta http-equiv="refresh">`` sends the reader to, unless the page
    itself (a news page reloading every few minutes)."""
    for meta in tree.css("meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        m = _REFRESH.match(meta.attributes.get("content") or "")
        target = normalize_url(m.group(2).strip(), base) if m else None
        if target is not None and target != normalize_url(url):
            return target
    return None


def extract_links(html: bytes | str, base_url: str) -> PageLinks:
    """Normalised, de-duplicated ``<a href>`` targets; ``rel=nofollow`` links are skipped,
    ``<base href>`` is honoured, and ``<meta name=robots>`` and the target of a ``<meta
    http-equiv=refresh>`` (a redirect made in HTML, followed as one) are reported."""
    text = html if isinstance(html, str) else _link_text(html)
    tree = LexborHTMLParser(bound_depth(text)[0])
    base = base_url
    base_el = tree.css_first("base[href]")
    if base_el is not None:
        b = normalize_url(base_el.attributes.get("href") or "", base_url)
        if b:
            base = b
    nofollow = noindex = False
    for meta in tree.css("meta[name]"):
        if (meta.attributes.get("name") or "").lower() in ("robots", ROBOTS_AGENT):
            content = (meta.attributes.get("content") or "").lower()
            nofollow = nofollow or "nofollow" in content or "none" in content
            noindex = noindex or "noindex" in content or "none" in content
    seen: dict[str, None] = {}
    done: set[str] = set()
    if not nofollow:
        for a in tree.css("a[href]"):
            attrs = a.attributes
            href = (attrs.get("href") or "").strip()
            # Fragments and non-web schemes are most of a news page's links and can
            # never become a page URL: skip them before the (costly) normalisation.
            if not href or href in done or href.startswith(_SKIP_HREF):
                continue
            done.add(href)
            if "nofollow" in (attrs.get("rel") or "").lower():
                continue
            n = normalize_url(href, base)
            if n:
                seen.setdefault(n)
    return PageLinks(list(seen), nofollow, noindex, _refresh_target(tree, base, base_url))


def _link_text(data: bytes) -> str:
    """The page as text for its links: UTF-8 reads the ASCII of URLs right in any
    charset but UTF-16 and UTF-32 (a BOM, or NUL bytes beside ASCII markup), where
    it read as NUL-strewn text with no link in it, so a hub saved by a Windows tool
    led nowhere."""
    wide = bom_codec(data) or utf16_markup(data)
    if wide is None or wide == "utf-8":
        return data.decode("utf-8", "replace")
    return data.decode(wide, "replace").removeprefix("\ufeff")


_SKIP_HREF = ("#", "javascript:", "mailto:", "tel:", "data:", "sms:", "whatsapp:")

# Directives that carry a value after a colon ("max-snippet: 20"): not a user-agent
# prefix like "googlebot: noindex".
_VALUED_DIRECTIVES = frozenset({"unavailable_after", "max-snippet", "max-image-preview",
                                "max-video-preview"})
ROBOTS_AGENT = "pagewash"  # the name `<meta name=...>` and X-Robots-Tag may address us by


def robots_header(value: str | None) -> tuple[bool, bool]:
    """(nofollow, noindex) from an ``X-Robots-Tag`` header, the HTTP twin of ``<meta
    name=robots>`` (also how a PDF or a feed says "do not index").

    Directives for every agent count, and those after a ``pagewash:`` prefix; those after
    another agent's name ("googlebot: noindex, nofollow") do not. Repeated headers
    arrive joined by commas, so a prefix holds until the next one.
    """
    nofollow = noindex = False
    agent: str | None = None  # None: the directives apply to every agent
    for piece in (value or "").lower().split(","):
        head, colon, rest = piece.partition(":")
        head = head.strip()
        if colon and head not in _VALUED_DIRECTIVES and head and " " not in head:
            agent, piece = head, rest
        if agent not in (None, ROBOTS_AGENT):
            continue
        directive = piece.strip().partition(":")[0].strip()
        nofollow = nofollow or directive in ("nofollow", "none")
        noindex = noindex or directive in ("noindex", "none")
    return nofollow, noindex
