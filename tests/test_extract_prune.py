"""DOM pruning: vocabulary matching by tokens, protection of the main content, deep
nesting, hidden elements."""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract_html
from scraper.extract.blocks import page_blocks
from scraper.extract.domvocab import classify_value, dom_vocab, heading_kind, hint_flags
from scraper.extract.prune import MAX_DEPTH, prune

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
PROSE = (
    "The committee met on Tuesday to review the proposal in detail, and its members "
    "asked the engineers to explain how the new system would be maintained over time. "
) * 4


def _text(tree: LexborHTMLParser) -> str:
    return tree.body.text(separator=" ") if tree.body is not None else ""


def test_tokens_not_substrings() -> None:
    assert "share" in classify_value("share-bar")
    assert "share" in classify_value("shareBar")
    assert "related" in classify_value("relatedPosts")
    assert "popular" in classify_value("most_read")
    assert "author_box" in classify_value("authorBox")
    assert classify_value("shareholders-report") == ()
    assert classify_value("entry-content post") == ()
    assert classify_value("articleBody") == ()


def test_multilingual_tokens_come_from_data() -> None:
    assert "related" in classify_value("articoli-correlati")
    assert "related" in classify_value("chitaite-takzhe")
    assert "popular" in classify_value("meistgelesen")
    assert "newsletter" in classify_value("nieuwsbrief")
    # Section headings come from the cleaners' vocabulary, in every language it has.
    assert heading_kind("Related articles") == "related"
    assert heading_kind("Читайте также") == "related"
    assert heading_kind("Leave a Reply") == "comments"
    assert heading_kind("The committee's findings") is None


def test_hidden_needs_a_whole_class_and_no_responsive_override() -> None:
    assert "hidden" in classify_value("sr-only")
    assert "hidden" in classify_value("hidden")
    assert "hidden" not in classify_value("hide-mobile")
    assert "hidden" not in classify_value("hidden md:block")
    assert "hidden" not in classify_value("d-none d-lg-block")


def test_hints_are_bits() -> None:
    assert hint_flags("entry-content") & 1  # first hint: content
    assert hint_flags("") == 0


def test_vocabulary_file_is_consistent() -> None:
    vocab = dom_vocab()
    names = [c.name for c in vocab.categories]
    assert len(names) == len(set(names))
    assert all(c.tokens for c in vocab.categories)
    assert "nav" in vocab.always_tags and "form" in vocab.unless_main_tags


def test_news_page_loses_its_chrome_but_not_its_article() -> None:
    tree = LexborHTMLParser((FIXTURES / "news_article.html").read_text("utf-8"))
    report = prune(tree, page_type="article")
    text = _text(tree)
    assert "removable flood barriers along the river district" in text
    assert "Construction of the depot starts in May." in text
    for chrome in ("We use cookies", "Share on Facebook", "Most read", "Related stories",
                   "Leave a Reply", "Sign up for our free newsletter", "Politics"):
        assert chrome not in text, chrome
    assert report.main_found
    assert report.removed["tag:header"] == 1  # the site header, with its <nav> inside


def test_article_with_a_chrome_word_in_its_class_is_protected() -> None:
    html = (f"<html><body><nav><a href='/'>Home</a></nav><div class='wrap post-related'>"
            f"<article class='post-related single'><h1>T</h1><p>{PROSE}</p></article></div>"
            "<div class='related'><a href='/x'>Another story</a></div></body></html>")
    tree = LexborHTMLParser(html)
    prune(tree)
    text = _text(tree)
    assert "The committee met on Tuesday" in text
    assert "Another story" not in text


def test_page_wide_form_is_not_removed() -> None:
    html = (f"<html><body><form id='aspnetForm' action='/x'><div class='content'><p>{PROSE}</p>"
            "</div></form></body></html>")
    tree = LexborHTMLParser(html)
    prune(tree)
    assert "The committee met" in _text(tree)


def test_text_rich_widget_containers_are_spared() -> None:
    html = (f"<html><body><div class='elementor-widget elementor-widget-text-editor'>"
            f"<div class='elementor-widget-container'><p>{PROSE}</p></div></div>"
            "<div class='widget'><a href='/a'>Archives</a> <a href='/b'>Categories</a></div>"
            "</body></html>")
    tree = LexborHTMLParser(html)
    prune(tree)
    text = _text(tree)
    assert "The committee met" in text
    assert "Archives" not in text


def test_hidden_elements_go() -> None:
    html = (f"<html><body><main><p>{PROSE}</p><div hidden>secret one</div>"
            "<div style='display: none'>secret two</div><span aria-hidden='true'>secret three"
            "</span><div class='hidden lg:flex'>shown on desktop</div></main></body></html>")
    tree = LexborHTMLParser(html)
    prune(tree)
    text = _text(tree)
    assert "secret" not in text
    assert "shown on desktop" in text


def test_comments_are_content_on_forums() -> None:
    reply = "I was at the meeting and the engineers did answer that question well."
    html = (f"<html><body><main><article><p>{PROSE}</p></article><div class='comments'>"
            f"<div class='comment'><p>{reply}</p></div></div></main></body></html>")
    article = LexborHTMLParser(html)
    prune(article, page_type="article")
    forum = LexborHTMLParser(html)
    prune(forum, page_type="forum")
    assert "The committee met" in _text(article)
    assert reply not in _text(article)
    assert reply in _text(forum)


def test_noscript_with_the_whole_page_is_kept() -> None:
    html = (f"<html><body><noscript><img src='pixel.gif'></noscript><noscript><div class='post'>"
            f"<p>{PROSE}</p></div></noscript></body></html>")
    tree = LexborHTMLParser(html)
    prune(tree)
    assert "The committee met" in _text(tree)
    assert len(tree.css("noscript")) == 1


def test_ten_thousand_deep_nesting_is_flattened_not_fatal() -> None:
    depth = 10_000
    html = ("<html><body>" + "<div>" * depth + "<p>deep inside</p>" + "</div>" * depth
            + f"<p>{PROSE}</p></body></html>")
    tree = LexborHTMLParser(html)
    report = prune(tree)
    assert report.flattened >= 1
    blocks = page_blocks(tree.body)
    assert max(b.depth for b in blocks) <= MAX_DEPTH + 2
    assert any("deep inside" in b.text for b in blocks)
    ex = extract_html(html.encode(), url="https://example.org/deep")
    assert "The committee met on Tuesday" in ex.text
