"""The page type ``extract`` reads a page with: a blog post is no listing because its
URL runs through ``/blog/``, and a list stays a list."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract_html
from scraper.extract.pagetype import classify, page_signals, url_votes
from scraper.extract.structured import read_structured

PARAGRAPHS = [
    "For most of last year our continuous integration spent more time downloading caches "
    "than compiling code, and on busy afternoons the cache server was the bottleneck.",
    "We had grown the cache the obvious way: one large machine with fast disks, shared by "
    "every runner, which worked well while we had twenty runners and not at two hundred.",
    "Moving to object storage removed the single machine altogether: runners fetch cache "
    "archives from a bucket in their region, and nobody has been paged since the switch.",
]


def _post(paragraphs: list[str]) -> bytes:
    """A blog post as small sites serve one: no JSON-LD, no og:type, no date in the URL."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Why we moved our build cache | Lattice</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/blog'>Blog</a> "
        "<a href='/careers'>Careers</a></nav></header>"
        "<div class='post'><h1>Why we moved our build cache</h1>"
        "<div class='post-meta'>March 12, 2024 · Dana Whitfield</div>"
        f"<div class='post-body'>{body}</div></div>"
        "<aside class='sidebar'><h3>Recent posts</h3><ul><li><a href='/blog/flaky-tests'>"
        "Taming flaky tests</a></li></ul></aside>"
        "<footer><p>&copy; 2024 Lattice Inc.</p></footer></body></html>"
    ).encode()


def _listing() -> bytes:
    cards = "".join(
        f"<div class='card'><h2><a href='/blog/post-{i}'>Post number {i} of our blog</a></h2>"
        f"<p>A short teaser of post {i}, to make you read it.</p>"
        f"<a href='/blog/post-{i}'>Read more</a></div>" for i in range(12))
    return (f"<html><head><title>Blog | Lattice</title></head><body><main><h1>Blog</h1>"
            f"{cards}</main></body></html>").encode()


def _type(html: bytes, url: str) -> str:
    text = html.decode()
    tree = LexborHTMLParser(text)
    return classify(page_signals(tree, read_structured(tree), url, text, full=False))


@pytest.mark.parametrize("url", [
    "https://example.com/blog/my-post-slug",
    "https://lattice.example/blog/why-we-moved-our-build-cache/",
    "https://example.com/en/news/2024-results-of-the-annual-survey.html",
    "https://example.com/resources/blog/what-are-the-latest-trends-in-ci",  # "latest"
    "https://blog.example.com/how-to-list-files-in-a-bucket",  # "blog", "list"
])
def test_a_post_under_a_list_section_is_an_article(url: str) -> None:
    """A listing word of the path above an item slug, or one of the slug's title words,
    voted listing, and the post was extracted with the listing profile."""
    assert "listing" not in url_votes(url)[0]
    ex = extract_html(_post(PARAGRAPHS), url=url)
    assert ex.page_type == "article"
    assert "\n\n".join(PARAGRAPHS) in ex.text
    # read as the same post at an address that names no list is
    assert ex.text == extract_html(_post(PARAGRAPHS), url="https://example.com/p/1").text


@pytest.mark.parametrize("url", [
    "https://example.com/blog/", "https://example.com/blog", "https://example.com/news",
    "https://blog.example.com/", "https://example.com/blog/page/2",
    "https://example.com/news/technology", "https://example.com/remote-jobs/software-engineer",
    "https://example.com/list/1-10/all-latest-news.html",
    "https://example.com/trending/top/online-learning-programs",
])
def test_a_list_s_own_address_still_votes_listing(url: str) -> None:
    assert url_votes(url)[0].get("listing")


def test_a_listing_at_a_list_address_is_a_listing() -> None:
    assert _type(_listing(), "https://lattice.example/blog/") == "listing"
    assert extract_html(_listing(), url="https://lattice.example/blog/").page_type == "listing"


def test_a_long_post_at_a_one_word_slug_is_an_article() -> None:
    """``/blog/bolmo``: the address cannot tell, the page can: one body of prose far
    longer than any listing's teasers."""
    url = "https://allenai.example/blog/bolmo"
    assert url_votes(url)[0].get("listing")
    assert _type(_post(PARAGRAPHS * 8), url) == "article"
    assert _type(_post(PARAGRAPHS), url) == "listing"  # a short one: the URL decides
