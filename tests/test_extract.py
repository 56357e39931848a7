"""``extract_html`` on hand-made pages in the style of real sites: what is kept, what
is dropped, which metadata is found, markdown output, records that follow the schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scraper.document import Document
from scraper.extract import Extracted, apply_extracted, extract_html
from scraper.record import build_record, validate_record
from tests.long_text import long_prose

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"


def _page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def news() -> Extracted:
    return extract_html(_page("news_article.html"),
                        url="https://courier.example.com/news/2024/03/flood-barriers-approved")


def test_news_article_text(news: Extracted) -> None:
    text = news.text
    for sentence in (
        "The city council voted 9-2 on Wednesday night",
        "will be stored in a new depot near the old tram yard",
        "This is not the whole answer",
        "The project is expected to cost 18.5 million",
        "Construction of the depot starts in May.",
        "the barriers would only prove themselves in the next storm season",
    ):
        assert sentence in text, sentence
    for chrome in (
        "We use cookies", "Share on Facebook", "312 shares", "Politics", "Search the Courier",
        "Where to collect free sandbags", "Most read", "Five restaurants to try",
        "Leave a Reply", "Post Comment", "Waste of money", "Sign up for our free newsletter",
        "All rights reserved", "Privacy policy",
    ):
        assert chrome not in text, chrome
    assert not text.startswith("City council approves")  # the headline is the title


def test_news_article_metadata(news: Extracted) -> None:
    assert news.title == "City council approves new flood barriers for the river district"
    assert news.authors == ["Maria Lindqvist", "Tom Okafor"]
    assert news.published == "2024-03-14T08:30:00+00:00"
    assert news.site_name == "The Riverside Courier"
    assert news.canonical_url == "https://courier.example.com/news/2024/03/flood-barriers-approved"
    assert news.description and news.description.startswith("The council voted 9-2")
    assert news.tags == ["Flooding", "City council"]
    assert news.image == "https://courier.example.com/img/flood-barriers.jpg"
    assert news.language == "en"
    assert news.page_type == "article"
    assert news.encoding == "utf-8"
    assert news.format == "text"


def test_forum_thread_keeps_every_post() -> None:
    ex = extract_html(_page("forum_thread.html"),
                      url="https://forum.homebaking.example/threads/sourdough.48213/")
    assert ex.page_type == "forum"
    for sentence in (
        "every morning it smells strongly of acetone",
        "The acetone smell means the yeast and bacteria are hungry",
        "after two days the smell is much milder",
        "leave it in an open jug overnight before using it",
    ):
        assert sentence in ex.text, sentence
    for chrome in ("Write your reply", "Similar threads", "Best flour for a rye starter",
                   "Terms and rules"):
        assert chrome not in ex.text, chrome
    assert ex.authors == ["crumbshot"]
    assert ex.published == "2024-02-03T19:12:44Z"  # as declared (ISO 8601 already)


def test_product_page_keeps_description_and_specs() -> None:
    ex = extract_html(_page("product_page.html"),
                      url="https://shop.northpeak.example/p/alder-trail-2")
    assert ex.page_type == "product"
    assert ex.title == "Alder Trail 2 Ultralight Tent"
    for sentence in ("a freestanding two-person tent", "Two doors and two vestibules",
                     "15D silicone-coated ripstop nylon", "Eight aluminium stakes"):
        assert sentence in ex.text, sentence
    for chrome in ("You may also like", "Ultralight Stake Set", "Join the trail club",
                   "Free shipping on orders over", "Sign in"):
        assert chrome not in ex.text, chrome


def test_markdown_keeps_structure() -> None:
    ex = extract_html(_page("docs_page.html"), url="https://tidepool.example/retries/",
                      output_format="markdown")
    md = ex.text
    assert ex.format == "markdown"
    assert "## Which failures are retried" in md
    assert "### Disabling retries" in md
    assert "```\nfrom tidepool import Client, RetryPolicy" in md
    assert "policy = RetryPolicy(attempts=5, backoff=0.5, max_backoff=30)" in md
    assert "| attempts | 3 | How many times a request is tried in total |" in md
    assert "|---|---|---|" in md
    assert "- Retries apply to idempotent methods only." in md
    assert "Quickstart" not in md
    plain = extract_html(_page("docs_page.html"), url="https://tidepool.example/retries/")
    assert "##" not in plain.text and "```" not in plain.text
    assert "Which failures are retried" in plain.text


def test_declared_article_body_fills_in_for_a_script_rendered_page() -> None:
    body = (
        "The harbour authority confirmed on Monday that the old lighthouse will reopen "
        "to visitors in June after a two-year restoration. "
    )
    full = " ".join([body] * 6) + "Tickets go on sale next week."
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": "Lighthouse to reopen", "articleBody": full}
    html = (
        "<html><head><title>Lighthouse to reopen</title><script type='application/ld+json'>"
        + json.dumps(ld)
        + "</script></head><body><nav><a href='/'>Home</a></nav><div id='app'></div>"
        "<footer>© Harbour News</footer></body></html>"
    )
    ex = extract_html(html.encode(), url="https://harbour.example/news/lighthouse")
    assert "Tickets go on sale next week." in ex.text
    teaser = dict(ld, articleBody=body[:120] + "...")
    html2 = html.replace(json.dumps(ld), json.dumps(teaser))
    ex2 = extract_html(html2.encode(), url="https://harbour.example/news/lighthouse")
    assert "Tickets go on sale" not in ex2.text


def test_a_short_declared_body_fills_in_only_for_a_page_that_shows_nothing() -> None:
    """A script-rendered brief, two sentences in JSON-LD's articleBody over an empty
    <div id="root">, came out empty: a declared body under 400 characters never won.
    Where the page shows no text it is the text; where the page shows its own text, a
    short declared body (often a summary) still does not replace it, and a teaser
    ("…") fills in nothing."""
    brief = ("The harbour authority confirmed on Monday that the old lighthouse will "
             "reopen in June. Tickets go on sale next week.")
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": "Lighthouse to reopen", "articleBody": brief}

    def page(ld: dict, shown: str = "") -> bytes:
        return ("<html><head><title>Lighthouse to reopen</title>"
                f"<script type='application/ld+json'>{json.dumps(ld)}</script></head><body>"
                f"<nav><a href='/'>Home</a></nav><div id='root'>{shown}</div>"
                "<footer>© Harbour News</footer></body></html>").encode()

    url = "https://harbour.example/news/lighthouse"
    assert extract_html(page(ld), url=url).text == brief
    teaser = dict(ld, articleBody="The harbour authority confirmed on Monday that the old…")
    assert extract_html(page(teaser), url=url).text == ""
    shown = ("<article><p>The old lighthouse on the harbour wall will reopen to visitors in "
             "June, the harbour authority said on Monday, after a restoration that took two "
             "years and cost more than the town had planned.</p></article>")
    ex = extract_html(page(ld, shown), url=url)
    assert ex.text.startswith("The old lighthouse on the harbour wall") and "Tickets" not in ex.text


def test_records_follow_the_schema() -> None:
    for name in sorted(p.name for p in FIXTURES.glob("*.html")):
        doc = Document(source=name, html=_page(name), url=f"https://example.org/{name}")
        apply_extracted(doc, extract_html(doc.html, url=doc.url))  # type: ignore[arg-type]
        assert doc.html is None
        rec = build_record(doc)
        validate_record(rec)
        assert len(rec["text"]) > 150 and rec["word_count"] > 0, name
        assert rec["format"] == "text"


def test_input_fields_win_over_page_metadata() -> None:
    doc = Document(source="x:1", html=_page("news_article.html"), title="My own title",
                   meta={"authors": ["Desk"], "published": "2024-01-01"})
    apply_extracted(doc, extract_html(doc.html))  # type: ignore[arg-type]
    rec = build_record(doc)
    assert rec["title"] == "My own title"
    assert rec["authors"] == ["Desk"]
    assert rec["published"] == "2024-01-01"
    assert rec["site_name"] == "The Riverside Courier"


def test_str_input_and_unknown_format() -> None:
    html = _page("news_article.html").decode("utf-8")
    ex = extract_html(html)
    assert "flood barriers" in ex.text
    assert ex.encoding == "unicode"
    with pytest.raises(ValueError):
        extract_html(html, output_format="pdf")  # type: ignore[arg-type]


def _page_with_byline(head: str = "") -> str:
    para = "<p>" + " ".join(
        ["The city council approved the new transport plan on Tuesday after a long debate."
         f" Speaker {n} said the vote was close." for n in range(3)]) + "</p>"
    body = "".join(para.replace("Speaker", f"Member {k}") for k in range(4))
    return (f"<html><head><title>Council backs plan</title>{head}</head><body>"
            "<nav><a href=/>Home</a> <a href=/news>News</a></nav><article>"
            "<h1>Council backs transport plan</h1><p>By Jane Doe and John Smith</p>"
            f"{body}</article><footer>© 2026 Example</footer></body></html>")


def test_a_byline_in_the_text_gives_the_authors_the_metadata_lacks() -> None:
    url = "https://example.com/news/council-backs-plan"
    ex = extract_html(_page_with_byline(), url=url)
    assert ex.authors == ["Jane Doe", "John Smith"]
    assert "By Jane Doe" not in ex.text
    meta = extract_html(_page_with_byline('<meta name="author" content="Meta Author">'),
                        url=url)
    assert meta.authors == ["Meta Author"]


def _long_article(paragraphs: list[str], chrome: bool = False) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    related = footer_links = ""
    if chrome:  # what follows an article on a news site
        related = ("<aside><h2>Related stories</h2><ul>" + "".join(
            f"<li><a href='/news/{i}'>Council story number {i} about the city</a></li>"
            for i in range(12)) + "</ul></aside>")
        footer_links = "<ul>" + "".join(
            f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(30)) + "</ul>"
    return ("<html><head><title>Annual report</title></head><body><header><nav>"
            "<a href='/'>Home</a> <a href='/news'>News</a></nav></header><main><article>"
            f"<h1>Annual report</h1>{body}</article></main>{related}<footer>{footer_links}"
            "<p>© 2024 Example News. All rights reserved.</p></footer></body></html>").encode()


def test_an_article_of_100_paragraphs_comes_out_whole() -> None:
    wanted = long_prose(100)
    ex = extract_html(_long_article(wanted), url="https://example.org/reports/annual-report")
    assert ex.text.split("\n\n") == wanted


def test_an_article_of_300_paragraphs_comes_out_whole_and_its_footer_does_not() -> None:
    # The block model once placed blocks by their share of the page alone, and cut the
    # second half of any article much longer than its training pages as a "footer".
    wanted = long_prose(300)
    ex = extract_html(_long_article(wanted, chrome=True),
                      url="https://example.org/reports/annual-report")
    recorded = {r.text for r in ex.removed}  # named rules (the text has near-repeats)
    kept = set(ex.text.split("\n\n"))
    assert "Related stories" not in ex.text and "Section 7" not in ex.text
    assert "All rights reserved" not in ex.text
    assert [p for p in wanted if p not in kept and p not in recorded] == []


_MENU = "<header><nav>" + " ".join(
    f"<a href='/c/{i}'>Category {i}</a>" for i in range(15)) + "</nav></header>"
_FOOTER = "<footer><ul>" + "".join(
    f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(25)) + "</ul></footer>"


def _thread(posts: list[str]) -> bytes:
    body = "".join(
        f"<div class='post'><div class='author'><a href='/u/{i}'>user{i % 37}</a> "
        f"<span class='date'>Mar {1 + i % 28}, 2024</span></div><div class='content'>"
        f"<p>{p}</p></div><div class='actions'><a href='#'>Reply</a></div></div>"
        for i, p in enumerate(posts))
    return (f"<html><head><title>Help with my garden</title></head><body>{_MENU}<main>"
            f"<h1>Help with my garden</h1>{body}</main>{_FOOTER}</body></html>").encode()


def _guide(paragraphs: list[str]) -> bytes:
    body = "".join((f"<h2>Part {i // 5}</h2>" if i % 5 == 0 else "") + f"<p>{p}</p>"
                   for i, p in enumerate(paragraphs))
    side = "<aside><ul>" + "".join(
        f"<li><a href='/docs/{i}'>Topic {i}</a></li>" for i in range(40)) + "</ul></aside>"
    return (f"<html><head><title>Guide</title></head><body>{_MENU}{side}<main><article>"
            f"<h1>User guide</h1>{body}</article></main>{_FOOTER}</body></html>").encode()


@pytest.mark.parametrize(("make", "url"), [
    (_thread, "https://forum.example.org/threads/help-with-my-garden.1234/"),
    (_guide, "https://docs.example.org/guide/setup"),
], ids=["forum-thread", "documentation"])
def test_a_long_thread_or_guide_keeps_its_second_half(
    make: Callable[[list[str]], bytes], url: str
) -> None:
    # The block model trained on WCXB pages alone dropped the tail of both.
    wanted = long_prose(300)
    ex = extract_html(make(wanted), url=url)
    kept = set(ex.text.split("\n\n")) | {r.text for r in ex.removed}
    assert [i for i, p in enumerate(wanted) if p not in kept] == []
    assert "Section 7" not in ex.text and "Category 3" not in ex.text


_BYLINE_PAGE = """<!doctype html><html lang="en"><head><title>Byline story</title></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>Byline story</h1>{bylines}<p>March 3, 2024</p>
<p>The river barrier project will protect more than four thousand homes along the eastern
bank, engineers said during the public meeting on Tuesday evening.</p>
<p>Construction is expected to begin in the spring and to last about two years, with most
of the work happening outside the main flood season.</p>
<p>The council will vote on the final budget next month after a second round of
consultation with businesses in the old harbour district.</p></article>
<footer><p>Copyright 2024 Example Media.</p></footer></body></html>"""


def test_a_byline_the_page_marks_by_class_names_the_authors() -> None:
    """The block model dropped <p class="byline"> as page furniture, and the authors with
    it (an audit's page); the one element a page marks as its byline is read directly."""
    one = '<p class="byline">By Jane Doe and John Smith</p>'
    ex = extract_html(_BYLINE_PAGE.format(bylines=one).encode(), url="https://e.org/a")
    assert ex.authors == ["Jane Doe", "John Smith"]
    for bare in ('<p class="byline">Anna Berg</p>',
                 '<div class="byline"><a href="/a/anna">Anna Berg</a> | March 3, 2024</div>'):
        ex = extract_html(_BYLINE_PAGE.format(bylines=bare).encode(), url="https://e.org/a")
        assert ex.authors == ["Anna Berg"], bare
    cards = '<p class="byline">By Jane Doe</p><p class="byline">By John Smith</p>'
    ex = extract_html(_BYLINE_PAGE.format(bylines=cards).encode(), url="https://e.org/a")
    assert "John Smith" not in ex.authors  # several bylines: a listing, no one's page


def test_markdown_closes_a_code_block_that_a_table_follows() -> None:
    """The fence was closed only before a paragraph, heading or list: a table right
    after the code ran on inside it, with the rest of the page (an audit's page)."""
    html = (b"<html><head><title>Guide</title></head><body><article><h1>Guide</h1>"
            b"<p>This guide explains step by step how to install the tool on a new computer "
            b"and how to configure it correctly afterwards for daily use.</p>"
            b"<h2>Commands</h2><pre><code>pip install tool\ntool --version</code></pre>"
            b"<table><tr><th>Name</th><th>Role</th></tr><tr><td>Alice</td><td>Engineer</td>"
            b"</tr><tr><td>Bob</td><td>Designer</td></tr></table><p>After the installation "
            b"you should restart the computer once so that all settings take effect.</p>"
            b"</article></body></html>")
    text = extract_html(html, url="https://e.org/a", output_format="markdown").text
    assert "```\npip install tool\ntool --version\n```\n\n| Name | Role |" in text
    assert text.count("```") == 2


@pytest.mark.parametrize("after", ["<p>Then run it.</p>", "<ul><li>Then run it.</li></ul>"])
def test_code_between_kept_text_is_kept(after: str) -> None:
    """A short snippet between two paragraphs of a guide: the model, judging the block
    alone, dropped it (with no word in the record of why); text above and below vouch."""
    html = ("<html><head><title>Guide</title></head><body><article><h1>Guide</h1>"
            "<p>This guide explains step by step how to install the tool on a new computer "
            "and how to configure it correctly afterwards for daily use.</p>"
            "<pre><code>pip install tool\ntool --version</code></pre>" + after +
            "<p>After the installation you should restart the computer once so that all "
            "settings take effect and the background service is running.</p>"
            "</article></body></html>").encode()
    for fmt in ("text", "markdown"):
        assert "pip install tool\ntool --version" in extract_html(
            html, url="https://e.org/a", output_format=fmt).text


def test_blocks_the_model_leaves_out_are_listed_as_removed() -> None:
    """--with-removed lists the blocks the block model left out, not only the cleaning
    rules' removals: here the byline, which the model takes for page furniture."""
    page = _BYLINE_PAGE.format(bylines='<p class="byline">By Jane Doe</p>').encode()
    ex = extract_html(page, url="https://e.org/a")
    gone = [r.text for r in ex.removed if r.rule == "model.boilerplate"]
    assert gone == ["By Jane Doe"] and "By Jane Doe" not in ex.text


def test_elements_pruned_from_the_dom_are_listed_as_removed() -> None:
    """Pruning takes whole widgets out before the model sees the page; --with-removed
    listed none of them, so a menu or a related-posts box vanished without a word."""
    html = (b"<html><head><title>Harbour</title><style>p{color:red}</style></head><body>"
            b"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            b"<article><h1>Harbour</h1>"
            b"<p>The harbour reopens next week after a long repair of the old stone quay, "
            b"the council said on Monday, thanking residents for their patience.</p>"
            b"<div class='share-buttons'><a href='/s'>Share on Facebook</a></div>"
            b"<p>Boats will be allowed back from Tuesday morning, and the fish market will "
            b"return to its usual place on the quay by the end of the month.</p></article>"
            b"<div class='related-posts'><h3>More stories</h3><a href='/x'>Ferry timetable "
            b"changes</a> <a href='/y'>Museum extends opening hours</a></div>"
            b"<script>var tracking = 1;</script></body></html>")
    ex = extract_html(html, url="https://e.org/harbour")
    pruned = [(r.rule, r.text) for r in ex.removed if r.rule.startswith("dom.")]
    assert ("dom.tag:nav", "Home News") in pruned
    assert any(rule.startswith("dom.class:") and text == "Share on Facebook"
               for rule, text in pruned)
    assert any(rule.startswith("dom.class:") and "Museum extends opening hours" in text
               for rule, text in pruned)
    assert not any("tracking" in text or "color" in text for _, text in pruned)
    assert ex.stats["pruned_elements"] >= 3
    for _, text in pruned:
        assert text not in ex.text


def test_markdown_numbers_nests_and_escapes() -> None:
    """An <ol> keeps its numbers (from its start), a nested list its depth, a "|" in a
    cell stays in its cell, and a quote after a list is a paragraph of its own."""
    html = (b"<html><body><article><h1>Steps</h1><p>How to do it, in order, with care and "
            b"attention to every little detail of the job at hand.</p><ol start='3'>"
            b"<li>Open the box and take out the parts one by one.</li><li>Read the manual "
            b"first.<ul><li>Check the screws</li><li>Check the bolts</li></ul></li>"
            b"<li>Assemble the frame.</li></ol><blockquote>Do not rush.</blockquote>"
            b"<table><tr><th>a|b</th><th>c</th></tr><tr><td>1</td><td>2</td></tr></table>"
            b"<p>That is all there is to it, and the rest is practice and patience over many "
            b"weeks of work.</p></article></body></html>")
    md = extract_html(html, url="http://x.example/a", output_format="markdown").text
    assert ("3. Open the box and take out the parts one by one.\n4. Read the manual first.\n"
            "    - Check the screws\n    - Check the bolts\n5. Assemble the frame.\n\n"
            "> Do not rush.") in md
    assert "| a\\|b | c |\n|---|---|\n| 1 | 2 |" in md
    text = extract_html(html, url="http://x.example/a").text
    assert "Open the box" in text and "3." not in text  # plain text is unchanged


@pytest.mark.parametrize("declared", ["2024-02-31", "2024-04-31", "2024-02-30T10:00:00Z"])
def test_a_declared_date_no_calendar_has_gives_no_date(declared: str) -> None:
    """htmldate, asked when the declared date did not parse, read 2024-02-31 as
    2024-02-01: a wrong date that looks right."""
    body = "<p>" + "The council met on Wednesday to discuss the new bridge. " * 6 + "</p>"
    page = (f'<html><head><title>B</title><meta property="article:published_time" '
            f'content="{declared}"></head><body><article><h1>B</h1>{body}</article>'
            '</body></html>')
    assert extract_html(page.encode()).published is None
    good = page.replace(declared, "2024-02-29T10:00:00-0500")
    assert extract_html(good.encode()).published == "2024-02-29T10:00:00-05:00"


@pytest.mark.parametrize("inner", ['<div>By </div><a href="/a">Sofia Kondrat</a>',
                                   "Sofia Kondrat", "by Sofia Kondrat"])
def test_an_author_element_loses_its_by(inner: str) -> None:
    """A real page (WCXB 0357) puts "By " inside its author-name element: the record's
    author was "By Sofia Kondrat"."""
    body = "<p>" + "The council met on Wednesday to discuss the new bridge. " * 6 + "</p>"
    page = (f'<html><head><title>B</title></head><body><article><h1>B</h1>'
            f'<div class="author-name">{inner}</div>{body}</article></body></html>')
    assert extract_html(page.encode()).authors == ["Sofia Kondrat"]


@pytest.mark.parametrize(("lang", "inner", "name"), [
    ("de", "Von Max Mustermann", "Max Mustermann"),
    ("fr-FR", "Par Julie Martin", "Julie Martin"),
    ("pl", "Autor: Jan Kowalski", "Jan Kowalski"),
    ("es", "Por Ana García", "Ana García"),
    # no language declared: English labels only, or first names read as labels
    (None, "Oleh Petro Shevchenko", "Oleh Petro Shevchenko"),
    ("en", "Di Maria Angel", "Di Maria Angel"),
    (None, "By Jane Doe", "Jane Doe"),
])
def test_an_author_element_loses_its_label_in_the_page_language(
        lang: str | None, inner: str, name: str) -> None:
    """A byline this short tells the cleaner nothing of its language, so only English
    labels were read off: the author of a German page was "Von Max Mustermann". The
    page's declared language chooses the labels; a page declaring none is read with
    English ones."""
    body = "<p>" + "Der Stadtrat hat am Mittwoch über die neue Brücke beraten. " * 6 + "</p>"
    attr = f' lang="{lang}"' if lang else ""
    for element in (f'<div class="author-name">{inner}</div>',
                    f'<p class="byline">{inner}</p>'):
        page = (f'<html{attr}><head><title>B</title></head><body><article><h1>B</h1>'
                f'{element}{body}</article></body></html>')
        assert extract_html(page.encode()).authors == [name], element


def test_a_zero_placeholder_date_lets_the_page_be_searched() -> None:
    """0000-00-00 is a CMS's "no date", not a broken one: htmldate is still asked for
    the date written elsewhere on the page, as before."""
    from scraper.extract.metadata import impossible_date

    assert not impossible_date("0000-00-00 00:00:00") and impossible_date("2024-02-31")


_BRIEF_CHROME = ('<header><nav><a href="/">Home</a> <a href="/news">News</a> '
                 '<a href="/sport">Sport</a></nav></header>{main}'
                 '<footer><p>© 2024 Springfield News. All rights reserved.</p>'
                 '<a href="/privacy">Privacy</a></footer>')


@pytest.mark.parametrize(("main", "paragraph"), [
    ("<article><p>{p}</p></article>",
     "The office will be closed on Friday 12 July for the staff training day, reopening "
     "Monday."),
    ("<main><p>{p}</p></main>",
     "The office will be closed on Friday 12 July for the staff training day, reopening "
     "Monday."),
    ('<div class="content"><article><p>{p}</p></article></div>',
     "The office will be closed on Friday for the staff training day."),
    ("<article><p>{p}</p></article>", "市图书馆将于周一因电力维修闭馆一天，市政府今天宣布。"),
])
def test_a_brief_of_one_paragraph_is_its_text(main: str, paragraph: str) -> None:
    """A news brief or a one-line announcement, one paragraph inside <article> or
    <main> with a menu and a footer around it, came out empty: the block model scored
    its lone paragraph under its threshold. The paragraph the page puts in its article
    element, and trafilatura keeps, is the record's text."""
    body = _BRIEF_CHROME.format(main=main.format(p=paragraph))
    ex = extract_html(f"<html><head><title>Notice</title></head><body>{body}</body></html>",
                      url="https://news.example.com/2024/07/notice")
    assert ex.text == paragraph
    assert ex.stats.get("brief_paragraphs") == 1
    assert [r.rule for r in ex.removed if r.rule == "model.boilerplate"] == []


@pytest.mark.parametrize("main", [
    "<main><p>We use cookies to improve your experience on our site. By continuing to "
    "browse you agree to our use of cookies.</p></main>",
    "<main><p>Please enable JavaScript in your browser to view this page.</p></main>",
    "<main><p>Please log in or subscribe to continue reading this article.</p></main>",
    "<main><p>This content is not available in your region.</p></main>",
    "<main><h1>Just a moment...</h1><p>Checking if the site connection is secure. This "
    "process is automatic.</p></main>",
    "<main><ul><li><a href='/a'>Office chairs for every budget and room.</a></li></ul></main>",
    # a "soft 404" (answered 200): its one line was the record's text
    "<main><h1>Oops!</h1><p>Sorry, the page you are looking for could not be found on "
    "this server.</p></main>",
    "<main><p>We can't find the page you asked for. It may have been moved or deleted."
    "</p></main>",
])
def test_a_page_of_chrome_in_its_main_element_stays_empty(main: str) -> None:
    """The brief's paragraph is taken only when it is prose that no chrome rule knows:
    a cookie prompt, a JavaScript or log-in wall, a geo-block or a bot check inside
    <main> still leaves the record empty, as does a list of links."""
    body = _BRIEF_CHROME.format(main=main)
    ex = extract_html(f"<html><head><title>Notice</title></head><body>{body}</body></html>",
                      url="https://news.example.com/2024/07/notice")
    assert ex.text == ""


@pytest.mark.parametrize("layout", ["p", "pre-wrap", "pre"])
def test_a_block_longer_than_the_block_limit_keeps_all_its_text(layout: str) -> None:
    """A block over 20,000 characters (an article in one <p>, a story pasted into a
    <div> shown with white-space: pre-wrap, a text in one <pre>) was cut at the limit:
    the rest of the article was lost without a flag. It is now read as several blocks
    (at blank lines, sentence ends or line ends), and the record holds all of it."""
    paragraphs = long_prose(200)
    text = "\n\n".join(paragraphs)
    assert len(text) > 40_000
    inner = {"p": f"<p>{' '.join(paragraphs)}</p>",
             "pre-wrap": f"<div style='white-space: pre-wrap'>{text}</div>",
             "pre": f"<pre>{text}</pre>"}[layout]
    html = ("<html><head><title>Report</title></head><body><nav><a href='/'>Home</a> "
            f"<a href='/news'>News</a></nav><article><h1>Report</h1>{inner}</article>"
            "<footer>© 2024 Example News</footer></body></html>")
    ex = extract_html(html.encode(), url="https://news.example.com/2024/report")
    words = ex.text.split()
    assert words == text.split()
    assert paragraphs[-1] in " ".join(words)


def test_a_link_farm_laid_out_in_a_table_is_still_a_link_template() -> None:
    """A table-layout footer of machine-made links ("Affordable Gym in Atco, NJ |
    Affordable Gym in Atco North, NJ", row after row, every cell a link) went into the
    article's text once table rows were spared the link-template rule; its rows are
    links, not data."""
    towns = ["Atco", "Berlin", "Camden", "Cherry Hill", "Deptford", "Edison", "Ewing",
             "Franklin", "Glassboro", "Hamilton", "Hoboken", "Jersey City", "Lakewood",
             "Linden", "Marlton", "Newark", "Paramus", "Princeton", "Trenton", "Vineland",
             "Wayne", "Woodbury"]
    rows = "".join(f'<tr><td><a href="/gym/{t}">Affordable Gym in {t}, NJ</a></td>'
                   f'<td><a href="/gym/{t}/n">Affordable Gym in {t} North, NJ</a></td></tr>'
                   for t in towns)
    html = ("<html><head><title>New hall opens</title></head><body><main><article>"
            "<h1>New hall opens at the gym</h1>"
            "<p>The gym opened its new hall on Monday, with classes for beginners and a pool "
            "that members have asked for since the club moved to the old mill.</p>"
            "<p>Membership rose by a third last year, and the owners say the hall will take "
            "the evening classes that were turned away for lack of room.</p>"
            "<p>The pool opens in the spring, once the heating has been tested by the "
            "council's inspectors and the changing rooms are finished.</p>"
            f"</article></main><footer><table>{rows}</table></footer></body></html>")
    ex = extract_html(html.encode(), url="https://gym.example.com/2024/new-hall")
    assert "the changing rooms are finished" in ex.text
    assert "Affordable Gym" not in ex.text


def test_the_rows_of_a_data_table_are_no_link_template() -> None:
    """An auction catalogue in a table ("Lot 12 | Oak chair | 87 GBP", 40 rows) lost
    lots 10 to 39: the dump cleaners' link-template rule, which takes fifteen short lines
    in a row opening with the same two words (a number standing for any number of as
    many digits) for a machine-filled link farm, read the rows as lines. A table row is
    data, whatever its first words."""
    items = ["Oak chair", "Pine table", "Brass lamp", "Wool rug", "Clock"]
    rows = "".join(f"<tr><td>Lot {n}</td><td>{items[n % 5]}</td><td>{n * 7 + 3} GBP</td></tr>"
                   for n in range(1, 41))
    html = ("<html><head><title>Spring sale</title></head><body><main><article>"
            "<h1>Spring sale catalogue</h1><p>The spring sale of furniture and household "
            "goods takes place on Saturday; viewing is from nine on the morning of the sale."
            f"</p><table>{rows}</table><p>Buyers pay a premium of twenty per cent on the "
            "hammer price, and lots must be collected within a week.</p>"
            "</article></main></body></html>")
    ex = extract_html(html.encode(), url="https://auctions.example.com/2024/spring-sale")
    for n in range(1, 41):
        assert f"Lot {n} | {items[n % 5]} | {n * 7 + 3} GBP" in ex.text
    assert "lots must be collected within a week" in ex.text
    assert not any(r.rule == "nav.template" for r in ex.removed)
