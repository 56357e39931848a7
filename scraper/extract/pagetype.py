"""What kind of page is this? article, forum, product, documentation, listing,
collection or service -- the seven WCXB page types.

Each type wants different extraction (a forum's comments are its content, a listing's
link-heavy item titles are its content), so the type is decided before pruning, from
cheap evidence: JSON-LD ``@type`` and ``og:type`` (what the publisher says), URL path
words (``/questions/``, ``/product/``, ``/docs/``), and DOM shape (``<pre>`` blocks,
prices and cart buttons, repeated cards). Path words live in
``scraper/extract/vocab/pagetype.toml``.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from scraper.extract.prune import largest_paragraph_run
from scraper.extract.structured import (
    ARTICLE_TYPES,
    DOC_TYPES,
    LISTING_TYPES,
    PRODUCT_TYPES,
    SERVICE_TYPES,
    Structured,
)
from scraper.extract.trees import TreeModel, load_arrays, tree_from_arrays

PAGE_TYPES = ("article", "forum", "product", "documentation", "listing", "collection", "service")
_PATH_SPLIT = re.compile(r"[/\-_.?=&]+")
_DATE_PATH = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])/")
_SLUG_SPLIT = re.compile(r"[\-_.+~,]+")
_PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$")
# A last path segment of this many words or more names one item ("my-post-slug"), which
# the list words of the path above it do not make a list; of more, it is a title.
ITEM_SLUG_WORDS = 3
# A page whose paragraphs in one element run this long is a text, whatever list its URL
# is in (``/blog/bolmo``): the WCXB listings have 2,300 at most, a post 8,000.
ARTICLE_PROSE_CHARS = 3000


@dataclass(frozen=True, slots=True)
class PageTypeVocab:
    path_words: dict[str, frozenset[str]]
    path_prefixes: dict[str, tuple[str, ...]]


@cache
def pagetype_vocab() -> PageTypeVocab:
    raw = tomllib.loads(
        resources.files("scraper").joinpath("extract/vocab/pagetype.toml").read_text("utf-8")
    )
    words = {k: frozenset(v) for k, v in raw.get("path_words", {}).items()}
    prefixes = {k: tuple(v) for k, v in raw.get("path_prefixes", {}).items()}
    return PageTypeVocab(words, prefixes)


@dataclass(slots=True)
class PageSignals:
    """The evidence the page type is decided on (also the type model's input)."""

    jsonld: set[str]
    og_type: str
    path_votes: dict[str, int]
    dated_path: bool
    pre_blocks: int
    paragraphs: int
    articles: int
    forms_posts: int
    has_price: bool
    has_cart: bool
    # Characters of the page's longest run of paragraphs in one element: an article's
    # body, where a listing has a teaser in each card.
    prose_chars: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # tag / selector -> matches
    url_shape: dict[str, float] = field(default_factory=dict)
    text_hits: dict[str, int] = field(default_factory=dict)


def _slug_words(segment: str) -> list[str]:
    """The words of a path segment ("my-post-slug.html" -> my, post, slug)."""
    return [w for w in _SLUG_SPLIT.split(_PAGE_EXTENSION.sub("", segment)) if w]


def url_votes(url: str | None) -> tuple[dict[str, int], bool]:
    """Page types named by words of the URL path (``/questions/123`` -> forum).

    A listing word names a list only where the page is the list. Under it, an item
    slug (``/blog/my-post-slug``, ``/events/summer-fair-2024``) is one item of the
    list: a post, an event, a job. And the words of a longer slug are its title's
    ("what-are-the-latest-trends-in-...", "how-to-list-files"), not the site's
    structure. Both voted listing, and blog posts were read as listings (64 WCXB
    articles, given the listing profile). Other types' words (``/forum/``, ``/docs/``)
    name the item's kind as well as the section's, and vote wherever they stand.
    """
    votes: dict[str, int] = {}
    if not url:
        return votes, False
    try:
        parts = urlsplit(url)
    except ValueError:
        return votes, False
    path = parts.path.lower()
    host = (parts.hostname or "").lower()
    vocab = pagetype_vocab()
    segments = [seg for seg in path.split("/") if seg]
    last = _slug_words(segments[-1]) if segments else []
    words = set(_PATH_SPLIT.split(path)) | set(host.split("."))
    if len(last) < ITEM_SLUG_WORDS:
        list_words = words  # /news, /blog/, /news/technology, /jobs/software-engineer
    elif len(last) == ITEM_SLUG_WORDS:
        list_words = set(last)  # a list's name ("all-latest-news") or an item's
    else:
        list_words = set()  # a title
    for kind, vocab_words in vocab.path_words.items():
        hits = len((list_words if kind == "listing" else words) & vocab_words)
        if hits:
            votes[kind] = votes.get(kind, 0) + hits
    for kind, prefixes in vocab.path_prefixes.items():
        if any(host.startswith(p) or path.startswith("/" + p) for p in prefixes):
            votes[kind] = votes.get(kind, 0) + 2
    return votes, bool(_DATE_PATH.search(path))


_COUNTED = (
    "p", "li", "a", "pre", "code", "table", "tr", "article", "section", "h1", "h2", "h3",
    "form", "input", "select", "button", "img", "time", "blockquote", "dl", "iframe",
    "[class*=price]", "[class*=product]", "[class*=cart]", "[class*=card]",
    "[class*=item]", "[class*=post]", "[class*=message]", "[class*=reply]",
    "[class*=comment]", "[class*=user]", "[class*=avatar]", "[class*=review]",
    "[class*=grid]", "[class*=filter]", "[class*=sidebar]", "[class*=toc]",
    "[class*=highlight]", "[class*=author]", "[class*=date]", "[itemprop]",
)
_TEXT_PATTERNS = {
    "money": re.compile(r"[$€£¥]\s?\d|\d\s?(?:€|zł|kr)"),
    "reply": re.compile(r"\b(?:repl(?:y|ies)|posted|joined|quote|upvote|answered|asked)\b", re.I),
    "cart": re.compile(r"\b(?:add to (?:cart|bag|basket)|buy now|in stock|checkout)\b", re.I),
    "book": re.compile(r"\b(?:book (?:now|a|an|online)|get a quote|contact us|schedule)\b",
                       re.I),
    "docs": re.compile(r"\b(?:parameters|returns|example|syntax|version|install)\b", re.I),
}
_TEXT_SAMPLE = 300_000


def page_signals(
    tree: LexborHTMLParser, st: Structured, url: str | None, html: str = "",
    *, full: bool = True,
) -> PageSignals:
    """What the page says about its type. ``full=False`` leaves out the selector counts
    and text hits only the trained type model reads: they cost more than the rules."""
    votes, dated = url_votes(url)
    low = html[:400_000].lower()
    paragraphs = tree.css("p")
    counts: dict[str, int] = {}
    text_hits: dict[str, int] = {}
    if full:
        counts = {sel: len(tree.css(sel)) for sel in _COUNTED}
        body = tree.body
        visible = body.text(separator=" ")[:_TEXT_SAMPLE] if body is not None else ""
        text_hits = {k: len(p.findall(visible)) for k, p in _TEXT_PATTERNS.items()}
    return PageSignals(
        jsonld=set(st.types),
        og_type=(st.og_type or "").lower(),
        path_votes=votes,
        dated_path=dated,
        pre_blocks=len(tree.css("pre")),
        paragraphs=len(paragraphs),
        articles=len(tree.css("article")),
        forms_posts=len(tree.css('[itemtype*="Comment"], [itemtype*="Answer"], '
                                 '[class*="post-body"], [class*="postbody"], [id^="post-"]')),
        has_price='itemprop="price"' in low or "og:price" in low or "product:price" in low,
        has_cart="add to cart" in low or "add-to-cart" in low or "addtocart" in low,
        prose_chars=largest_paragraph_run(paragraphs)[1],
        counts=counts,
        url_shape=_url_shape(url),
        text_hits=text_hits,
    )


def _url_shape(url: str | None) -> dict[str, float]:
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return {}
    segments = [seg for seg in parts.path.split("/") if seg]
    last = segments[-1] if segments else ""
    return {
        "depth": float(len(segments)),
        "query": float(bool(parts.query)),
        "numeric": float(any(seg.isdigit() for seg in segments)),
        "long_slug": float(last.count("-") >= 3),
        "file": float(last.endswith((".html", ".htm", ".php", ".aspx", ".asp"))),
        "root": float(not segments),
    }


JSONLD_GROUPS = {
    "article": ARTICLE_TYPES, "product": PRODUCT_TYPES, "listing": LISTING_TYPES,
    "service": SERVICE_TYPES, "docs": DOC_TYPES,
    "forum": frozenset({"qapage", "discussionforumposting", "question", "answer"}),
    "faq": frozenset({"faqpage"}), "breadcrumb": frozenset({"breadcrumblist"}),
    "webpage": frozenset({"webpage"}), "website": frozenset({"website"}),
    "organization": frozenset({"organization", "corporation", "localbusiness"}),
    "event": frozenset({"event"}), "recipe": frozenset({"recipe"}),
    "review": frozenset({"review", "aggregaterating"}), "howto": frozenset({"howto"}),
}
OG_TYPES = ("article", "product", "website", "video", "profile")


@cache
def signal_names() -> tuple[str, ...]:
    names = [f"count_{c}" for c in _COUNTED]
    names += [f"url_{k}" for k in ("depth", "query", "numeric", "long_slug", "file", "root")]
    names += [f"text_{k}" for k in _TEXT_PATTERNS]
    names += [f"vote_{t}" for t in PAGE_TYPES] + ["dated_path"]
    names += [f"ld_{g}" for g in JSONLD_GROUPS] + [f"og_{t}" for t in OG_TYPES] + ["og_other"]
    names += ["has_price", "has_cart", "forms_posts"] + [f"rule_{t}" for t in PAGE_TYPES]
    return tuple(names)


def signal_vector(s: PageSignals) -> np.ndarray:
    """The signals as numbers, in :func:`signal_names` order."""
    v: list[float] = [math.log1p(s.counts.get(c, 0)) for c in _COUNTED]
    v += [s.url_shape.get(k, 0.0) for k in ("depth", "query", "numeric", "long_slug", "file",
                                             "root")]
    v += [math.log1p(s.text_hits.get(k, 0)) for k in _TEXT_PATTERNS]
    v += [float(s.path_votes.get(t, 0)) for t in PAGE_TYPES] + [float(s.dated_path)]
    v += [float(bool(s.jsonld & group)) for group in JSONLD_GROUPS.values()]
    og = s.og_type.split(".", 1)[0].removeprefix("og:")
    v += [float(og == t) for t in OG_TYPES] + [float(bool(og) and og not in OG_TYPES)]
    v += [float(s.has_price), float(s.has_cart), math.log1p(s.forms_posts)]
    rule = classify(s)
    v += [float(rule == t) for t in PAGE_TYPES]
    return np.array(v, dtype=np.float32)


def detect_page_type(
    tree: LexborHTMLParser, st: Structured, url: str | None, html: str = ""
) -> str:
    """The most likely of :data:`PAGE_TYPES` for this page (``html``: its source text):
    the trained type model when it is installed, else :func:`classify`'s rules."""
    model = load_type_model()
    signals = page_signals(tree, st, url, html, full=model is not None)
    if model is None:
        return classify(signals)
    probs = model.probabilities(signal_vector(signals)[None, :])[0]
    return model.classes[int(np.argmax(probs))]


TYPE_MODEL_FILE = "extract/data/pagetype_model.npz"


@dataclass(frozen=True, slots=True)
class TypeModel:
    """One tree ensemble per page type (raw scores, softmax across types)."""

    classes: tuple[str, ...]
    trees: tuple[TreeModel, ...]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        raw = np.stack([t.raw(x) for t in self.trees], axis=1)
        raw -= raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)


@cache
def load_type_model() -> TypeModel | None:
    """The shipped page-type model, or None when absent or built for other signals."""
    loaded = load_arrays(TYPE_MODEL_FILE)
    if loaded is None:
        return None
    arrays, meta = loaded
    if tuple(meta.get("signals", ())) != signal_names():
        return None
    classes = tuple(meta["classes"])
    trees = tuple(
        tree_from_arrays(arrays, f"c{i}_", int(meta[f"c{i}_depth"]),
                         float(meta[f"c{i}_baseline"]))
        for i in range(len(classes))
    )
    return TypeModel(classes, trees)


def classify_vector(v: np.ndarray) -> str:
    """The rules' type, as recorded in a :func:`signal_vector` (its ``rule_*`` columns)."""
    names = signal_names()
    first = names.index(f"rule_{PAGE_TYPES[0]}")
    return PAGE_TYPES[int(np.argmax(v[first : first + len(PAGE_TYPES)]))]


def classify(s: PageSignals) -> str:
    """Rules in order of certainty; the publisher's own declaration goes first."""
    ld = s.jsonld
    if ld & {"qapage", "discussionforumposting"}:
        return "forum"
    if s.path_votes.get("forum", 0) >= 1 and not s.dated_path:
        return "forum"
    if ld & PRODUCT_TYPES or s.og_type in ("product", "og:product", "product.item"):
        if s.path_votes.get("collection") and not s.path_votes.get("product"):
            return "collection"
        return "product"
    if (s.path_votes.get("documentation") or ld & DOC_TYPES or s.pre_blocks >= 3) and not (
        ld & {"newsarticle", "blogposting"} or s.dated_path
    ):
        return "documentation"
    if s.path_votes.get("product") and (s.has_price or s.has_cart):
        return "product"
    if s.path_votes.get("collection") or ld & {"collectionpage", "offercatalog"}:
        return "collection"
    if s.dated_path or ld & ARTICLE_TYPES or s.og_type == "article":
        return "article"
    if (s.path_votes.get("listing") and s.prose_chars < ARTICLE_PROSE_CHARS) or (
        ld & LISTING_TYPES
    ):
        return "listing"
    if s.path_votes.get("service") or ld & SERVICE_TYPES:
        return "service"
    if s.has_cart or s.has_price:
        return "product"
    return "article"
