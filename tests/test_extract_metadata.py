"""Metadata a page declares the way real sites write it: ``<base href>``, JSON-LD
``@id`` references, dates with a zone after the time."""

from __future__ import annotations

import json

import pytest

from scraper.extract import extract_html
from scraper.extract.metadata import normalise_date
from tests.long_text import long_prose


def _page(head: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in long_prose(4))
    return (f"<html><head><title>Flood barriers approved</title>{head}</head>"
            f"<body><article>{body}</article></body></html>").encode()


def test_a_relative_canonical_resolves_against_the_base_href() -> None:
    """A saved page with ``<base href>`` lost its relative canonical (no URL to join it
    to), and with a URL had it resolved against the page's directory, not the base."""
    page = _page('<base href="https://courier.example.com/news/">'
                 '<link rel="canonical" href="flood.html">'
                 '<meta property="og:image" content="img/flood.jpg">')
    ex = extract_html(page)
    assert ex.canonical_url == "https://courier.example.com/news/flood.html"
    assert ex.image == "https://courier.example.com/news/img/flood.jpg"
    ex = extract_html(page, url="https://mirror.example.org/saved/page.html")
    assert ex.canonical_url == "https://courier.example.com/news/flood.html"
    relative_base = _page('<base href="/news/"><link rel="canonical" href="flood.html">')
    ex = extract_html(relative_base, url="https://courier.example.com/a/b.html")
    assert ex.canonical_url == "https://courier.example.com/news/flood.html"


def test_jsonld_authors_and_publisher_given_by_id_reference() -> None:
    """Yoast's ``@graph`` links the article's author and publisher by ``@id``; the
    record had no authors and no site name."""
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "@id": "https://courier.example.com/x#article",
         "headline": "Flood barriers approved",
         "author": [{"@id": "https://courier.example.com/#/person/1"},
                    {"@id": "https://courier.example.com/#/person/2"}],
         "publisher": {"@id": "https://courier.example.com/#org"},
         "datePublished": "2024-03-05T10:00:00+01:00"},
        {"@type": "Person", "@id": "https://courier.example.com/#/person/1",
         "name": "Mara Jensen"},
        {"@type": "Person", "@id": "https://courier.example.com/#/person/2",
         "name": "Tomas Berg"},
        {"@type": "Organization", "@id": "https://courier.example.com/#org",
         "name": "The Courier"},
    ]}
    ex = extract_html(_page(f'<script type="application/ld+json">{json.dumps(graph)}'
                            "</script>"))
    assert ex.authors == ["Mara Jensen", "Tomas Berg"]
    assert ex.site_name == "The Courier"


@pytest.mark.parametrize(("declared", "published"), [
    ("2024-03-05 10:00 GMT", "2024-03-05T10:00+00:00"),
    ("2024-03-05T10:00:00 UTC+5:30", "2024-03-05T10:00+05:30"),
    ("2024-03-05 10:00 EST", "2024-03-05T10:00"),  # EST names more than one offset
    ("2024-03-05T10:00:00+01:00", "2024-03-05T10:00:00+01:00"),
    ("2024-03-05", "2024-03-05"),
    ("2024-02-31 10:00", None),
])
def test_a_declared_date_keeps_the_time_and_zone_written_after_it(
        declared: str, published: str | None) -> None:
    """"2024-03-05 10:00 GMT" in ``article:published_time`` became "2024-03-05": the
    time and the instant were lost though the README promises them."""
    assert normalise_date(declared) == published
    ex = extract_html(_page(f'<meta property="article:published_time" content="{declared}">'))
    assert ex.published == published


@pytest.mark.parametrize(("head", "title"), [
    ('<meta property="og:title" content="Flood barriers approved | The Courier">'
     '<meta property="og:site_name" content="The Courier">', "Flood barriers approved"),
    ('<meta property="og:title" content="The Courier - Flood barriers approved">'
     '<meta property="og:site_name" content="the courier">', "Flood barriers approved"),
    # a site name with a separator in it
    ('<meta property="og:title" content="Flood barriers approved - Courier | Daily News">'
     '<meta property="og:site_name" content="Courier | Daily News">', "Flood barriers approved"),
    # a headline that merely ends with a word of the site name keeps it
    ('<meta property="og:title" content="Q&amp;A: why the courier - and why now">'
     '<meta property="og:site_name" content="now">', "Q&A: why the courier - and why now"),
    ('<meta property="og:title" content="The Courier">'
     '<meta property="og:site_name" content="The Courier">', "The Courier"),
])
def test_the_declared_title_loses_the_site_name(head: str, title: str) -> None:
    """``og:title`` "Headline | Site" with ``og:site_name`` "Site" was the record's
    title as written, site name and all (215 of the 1,497 WCXB pages)."""
    assert extract_html(_page(head)).title == title


def test_an_empty_name_slot_in_jsonld_is_no_author() -> None:
    """Gannett's JSON-LD writes ``"name": ", USA TODAY"`` when its byline template has
    no name: the record's author was ", USA TODAY"."""
    ld = {"@type": "NewsArticle", "headline": "Flood barriers approved",
          "author": {"@type": "Person", "name": ", USA TODAY"}}
    ex = extract_html(_page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert ex.authors == []


def test_an_author_element_loses_its_by_label() -> None:
    """``<h4 class="author-name">By <a>The Currency editors</a></h4>``: a name the
    byline rule does not take kept the "By"."""
    page = _page("").replace(
        b"<article>", b'<article><h4 class="author-name">By <a href="/e">The Currency '
        b"editors</a></h4>")
    assert extract_html(page).authors == ["The Currency editors"]


@pytest.mark.parametrize(("head", "authors"), [
    ('<script type="application/ld+json">{"@type": "Article", "author": '
     '{"@type": "Person", "name": "undefined"}}</script>', []),
    ('<meta property="article:author" content="262588213843476">'
     '<meta name="author" content="Mara Jensen">', ["Mara Jensen"]),
    ('<meta property="article:author" content="www.facebook.com/marajensen">', []),
    ('<meta name="author" content="null"><meta name="parsely-author" content="Mara Jensen">',
     ["Mara Jensen"]),
    ('<script type="application/ld+json">{"@type": "Article", "author": '
     '{"@type": "Person", "name": "\\"Mara Jensen\\""}}</script>', ["Mara Jensen"]),
])
def test_what_templates_put_in_the_author_slot_is_no_name(
        head: str, authors: list[str]) -> None:
    """Real pages' authors read "undefined", "262588213843476" (a Facebook id),
    "www.facebook.com/..." and '"David Kim"' (JSON-encoded twice)."""
    assert extract_html(_page(head)).authors == authors


def test_a_date_json_encoded_twice_keeps_its_time() -> None:
    """``"datePublished": "\\"2025-12-17T13:22:47Z\\""`` came out as the bare day."""
    ld = {"@type": "Article", "datePublished": '"2025-12-17T13:22:47Z"'}
    ex = extract_html(_page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert ex.published == "2025-12-17T13:22:47Z"


@pytest.mark.parametrize(("declared", "published"), [
    ("Nov 05, 2025", "2025-11-05"),
    ("5 November 2025", "2025-11-05"),
    ("Tuesday, Nov 5 2025", "2025-11-05"),
    ("not a date at all", None),
])
def test_a_declared_date_with_a_month_name(declared: str, published: str | None) -> None:
    """``"datePublished": "Nov 05, 2025"`` (two WCXB pages): the record had no date."""
    assert normalise_date(declared) == published
    ld = {"@type": "Article", "datePublished": declared}
    ex = extract_html(_page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert ex.published == published


def test_an_unresolvable_relative_canonical_leaves_the_og_url() -> None:
    """A page saved without its URL whose canonical is relative ("/news/flood") had no
    canonical URL (and so an id from its bytes) though its og:url named it."""
    page = _page('<link rel="canonical" href="/news/flood">'
                 '<meta property="og:url" content="https://courier.example.com/news/flood">')
    assert extract_html(page).canonical_url == "https://courier.example.com/news/flood"
    ex = extract_html(page, url="https://courier.example.com/news/flood?utm_source=x")
    assert ex.canonical_url == "https://courier.example.com/news/flood"


_LD = ('{"@context": "https://schema.org", "@type": "NewsArticle", '
       '"headline": "Flood barriers approved", "author": {"@type": "Person", '
       '"name": "Mara Jensen"}, "datePublished": "2024-03-05T10:00:00+01:00"}')


@pytest.mark.parametrize("script", [
    "//<![CDATA[\n" + _LD + "\n//]]>",
    "<!--\n" + _LD + "\n-->",
    _LD[:-1] + ", }",  # a trailing comma
    _LD.replace("Flood barriers", "Flood\nbarriers"),  # a raw newline in a string
    "\ufeff" + _LD,
])
def test_jsonld_as_cms_write_it_is_read(script: str) -> None:
    """JSON-LD in a CDATA or comment wrapper, with a trailing comma, a raw newline in
    a string or a BOM was refused whole: no headline, no authors, no date."""
    ex = extract_html(_page(f'<script type="application/ld+json">{script}</script>'))
    assert ex.authors == ["Mara Jensen"]
    assert ex.published == "2024-03-05T10:00:00+01:00"
    assert ex.title is not None and ex.title.replace("\n", " ") == "Flood barriers approved"


def _article(meta_html: str, body_extra: str = "", lang: str = "en") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in long_prose(4))
    return (f'<html lang="{lang}"><head><title>Flood barriers approved</title></head><body>'
            f"<article><h1>Flood barriers approved</h1>{meta_html}{body}{body_extra}"
            "</article></body></html>").encode()


@pytest.mark.parametrize("time_tag", [
    '<time datetime="2024-02-10T15:00:00+01:00" pubdate>10 Feb</time>',  # bare pubdate
    '<time datetime="2024-02-10T15:00:00+01:00">10 Feb, 3 pm</time>',  # htmldate's day
])
def test_the_time_of_a_time_element_stays_with_its_day(time_tag: str) -> None:
    """A bare ``pubdate`` (no value) was not seen, and htmldate gave the day alone: the
    record lost the time the page states."""
    ex = extract_html(_article(f'<div class="meta">{time_tag}</div>'))
    assert ex.published == "2024-02-10T15:00:00+01:00"


@pytest.mark.parametrize("meta", [
    '<div class="entry-meta">Posted on July 3, 2023 by <span class="author vcard">'
    "Julie Martin</span></div>",
    '<div class="entry-meta">Posted on July 3, 2023 by Julie Martin</div>',
])
def test_a_wordpress_meta_line_names_the_author(meta: str) -> None:
    """The block model drops the theme's meta line as furniture, and with it the page's
    only statement of its author."""
    assert extract_html(_article(meta)).authors == ["Julie Martin"]


def test_a_meta_line_without_a_byline_names_no_one() -> None:
    assert extract_html(_article('<div class="entry-meta">July 3, 2023 · Travel Tips</div>'
                                 )).authors == []


def test_a_documentation_headings_permalink_mark_is_no_part_of_it() -> None:
    page = _article('', '<h2>Environment variables<a class="headerlink" href="#env">¶</a></h2>'
                    '<p>' + long_prose(1)[0] + '</p>').replace(
        b"<h1>Flood barriers approved</h1>",
        b'<h1>Reading configuration files<a class="headerlink" href="#r">\xc2\xb6</a></h1>')
    ex = extract_html(page, output_format="markdown")
    assert "¶" not in ex.text
    assert "## Environment variables" in ex.text


def test_line_breaks_inside_a_paragraph_stay_line_breaks() -> None:
    """Each line of a ``<br>``-broken paragraph (a poem's stanza, an address) came out
    as a paragraph of its own: the stanzas could not be told apart. Two ``<br>`` in a
    row are the blank line of old-style pages, and a ``<br>`` ending an element ends
    nothing more than it."""
    stanza1 = "The snow came down on Sunday night,<br>and covered all the town in white;"
    stanza2 = "The river froze from bank to bank,<br>the old boat in the harbour sank;"
    note = ("The poem was sent to us by a reader from Yorkshire last December.<br><br>"
            "We publish the best poems of our readers every month in this column.")
    page = _article("", f"<p>{stanza1}</p><p>{stanza2}<br></p><p>{note}</p>")
    text = extract_html(page).text
    assert ("The snow came down on Sunday night,\nand covered all the town in white;\n\n"
            "The river froze from bank to bank,\nthe old boat in the harbour sank;\n\n"
            "The poem was sent to us by a reader from Yorkshire last December.\n\n"
            "We publish the best poems") in text
