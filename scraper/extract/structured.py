"""What a page says about itself: JSON-LD, ``og:``/``article:``/``twitter:`` meta, microdata.

Publishers fill these for search engines and social cards, so they are the most
reliable source of title, authors, dates, site name and image -- and sometimes of the
whole article text (``articleBody``) or a forum thread (``DiscussionForumPosting``,
``QAPage``). Everything here is read from the parsed tree *before* pruning (meta tags
and scripts are exactly what pruning throws away) and nothing here raises: malformed
JSON-LD is common and simply ignored.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_JSONLD_BYTES = 2_000_000  # one script; larger ones are app state, not metadata
MAX_JSONLD_NODES = 5_000

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle",
    "scholarlyarticle", "socialmediaposting", "liveblogposting", "report", "review",
    "medicalwebpage", "howto", "recipe", "posting", "creativework",
})
FORUM_TYPES = frozenset({"discussionforumposting", "qapage", "question", "answer", "comment"})
PRODUCT_TYPES = frozenset({
    "product", "productgroup", "offer", "aggregateoffer", "individualproduct", "car",
    "book", "softwareapplication", "vehicle", "productmodel",
})
LISTING_TYPES = frozenset({
    "itemlist", "collectionpage", "searchresultspage", "offercatalog", "breadcrumblist",
})
SERVICE_TYPES = frozenset({
    "service", "localbusiness", "organization", "professionalservice", "contactpage",
    "aboutpage", "faqpage", "event", "course", "educationalorganization", "medicalbusiness",
    "store", "restaurant", "hotel",
})
DOC_TYPES = frozenset({"techarticle", "apireference", "softwaresourcecode"})

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


@dataclass(slots=True)
class Structured:
    """Everything the page declares about itself, as plain strings and lists."""

    types: list[str] = field(default_factory=list)  # JSON-LD @type values, lower-case
    title: str | None = None  # headline / og:title / twitter:title
    headline: str | None = None  # the JSON-LD article's own headline, when it has one
    html_title: str | None = None  # <title>
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    description: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    base_href: str | None = None  # <base href>: what relative URLs on the page resolve to
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    language: str | None = None  # <html lang> / og:locale / inLanguage
    og_type: str | None = None
    article_body: str | None = None
    forum_posts: list[str] = field(default_factory=list)  # QAPage / DiscussionForumPosting
    product_description: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # every <meta> name/property -> content
    # ``<time datetime>`` values with a time of day, in page order (the first few): the
    # day htmldate finds is often one of them, and the record keeps its time
    time_stamps: list[str] = field(default_factory=list)


def clean_value(value: Any) -> str | None:
    """A JSON-LD or meta value as one line of plain text (entities and tags removed)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int | float) and str(v)), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = str(value)
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "&" in text:
        text = htmllib.unescape(text)
    text = " ".join(text.split())
    return text or None


def clean_body(value: Any) -> str | None:
    """A long text value (articleBody, post text) with its paragraph breaks kept."""
    if not isinstance(value, str):
        return None
    text = value
    if "<" in text:
        text = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\b[^>]*>", "\n", text)
        text = _TAGS.sub(" ", text)
    if "&" in text:
        text = htmllib.unescape(text)
    lines = [_SPACE.sub(" ", ln).strip() for ln in text.replace("\r", "\n").split("\n")]
    out = "\n\n".join(ln for ln in lines if ln)
    return out or None


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return [t.rsplit("/", 1)[-1].lower()]
    if isinstance(t, list):
        return [x.rsplit("/", 1)[-1].lower() for x in t if isinstance(x, str)]
    return []


_WRAPPER_START = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)")
_WRAPPER_END = re.compile(r"(?://\s*)?(?:\]\]>|-->)\s*$")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _load_jsonld(raw: str) -> Any:
    """The JSON of one ld+json script as browsers' and search engines' readers take it,
    or None. CMSs wrap it in ``//<![CDATA[ ... //]]>`` or ``<!-- -->``, start it with a
    BOM, put raw newlines in strings and leave trailing commas: a strict parse refused
    every such page's headline, authors and date."""
    text = _WRAPPER_END.sub("", _WRAPPER_START.sub("", raw.strip().lstrip("\ufeff"))).strip()
    text = text.rstrip(";")
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def iter_jsonld(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` and arrays flattened one level."""
    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True)
        if not raw or len(raw) > MAX_JSONLD_BYTES:
            continue
        data = _load_jsonld(raw)
        if data is None:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack[:MAX_JSONLD_NODES]:
            if not isinstance(item, dict):
                continue
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (g for g in graph[:MAX_JSONLD_NODES] if isinstance(g, dict))
            elif isinstance(graph, dict):
                yield graph
            if "@type" in item:
                yield item


def _names(value: Any, by_id: Mapping[str, dict[str, Any]] | None = None) -> list[str]:
    """Author-like values: a string, an object with ``name``, or a list of those; an
    object that is only an ``@id`` is the node of that id elsewhere on the page (how
    Yoast and most WordPress sites link an article's author in their ``@graph``)."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for v in items[:20]:
        v = _resolve(v, by_id)
        name = author_name(clean_value(v.get("name") if isinstance(v, dict) else v))
        if name:
            out.append(name)
    return out


_NO_NAME = frozenset({"undefined", "null", "none", "nan", "[object object]"})
_SCHEMELESS_URL = re.compile(r"(?i)^(?:www\.|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/)")


def author_name(name: str | None) -> str | None:
    """``name`` as a person's or organisation's name, or None for what templates and
    CMSs put in the author slot instead: ", USA TODAY" (a "{name}, {publication}"
    template with an empty name; Gannett's JSON-LD), "undefined" (a JavaScript
    template), a Facebook profile id ("262588213843476") or address
    ("www.facebook.com/...") in ``article:author``, a name JSON-encoded twice
    (``"\"David Kim\""``)."""
    if not name:
        return None
    name = unquoted(name)
    if (not name or len(name) >= 120 or name.startswith(("http://", "https://", ",", ";"))
            or name.casefold() in _NO_NAME or not any(c.isalpha() for c in name)
            or _SCHEMELESS_URL.match(name)):
        return None
    return name


def unquoted(text: str) -> str:
    """``text`` without the quotation marks of a value JSON-encoded twice (a CMS's
    ``"\"2025-12-17T13:22:47Z\""``, ``"\"David Kim\""``)."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].strip()
    return text


def _resolve(value: Any, by_id: Mapping[str, dict[str, Any]] | None) -> Any:
    """The node a bare ``{"@id": ...}`` reference names, when the page has it."""
    if by_id and isinstance(value, dict) and "name" not in value:
        ref = value.get("@id")
        if isinstance(ref, str) and ref in by_id:
            return by_id[ref]
    return value


def _image(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) and value.strip() else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list):
        return [k for k in (clean_value(v) for v in value) if k]
    return []


def _post_texts(node: dict[str, Any]) -> list[str]:
    """Texts of a question/forum post and its answers/comments, in page order."""
    out: list[str] = []
    for key in ("text", "articleBody"):
        body = clean_body(node.get(key))
        if body:
            out.append(body)
            break
    for key in ("acceptedAnswer", "suggestedAnswer", "comment", "hasPart"):
        value = node.get(key)
        for item in (value if isinstance(value, list) else [value])[:500]:
            if isinstance(item, dict):
                out.extend(_post_texts(item))
    return out


def read_structured(tree: LexborHTMLParser) -> Structured:
    """Collect metadata from the (unpruned) tree; missing pieces stay ``None``."""
    s = Structured()
    _read_meta(tree, s)
    _read_jsonld(tree, s)
    _read_microdata(tree, s)
    return s


def _read_meta(tree: LexborHTMLParser, s: Structured) -> None:
    meta: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        value = attrs.get("content")
        if not key or not value:
            continue
        key = key.strip().lower()
        if key in ("article:tag", "article:author", "og:image"):  # repeatable
            meta.setdefault(key, value)
            if key == "article:tag":
                tag = clean_value(value)
                if tag:
                    s.tags.append(tag)
            if key == "article:author":
                s.authors.extend(_names(value))
            continue
        meta.setdefault(key, value)
    s.meta = meta
    s.title = clean_value(meta.get("og:title") or meta.get("twitter:title"))
    title_node = tree.css_first("title")
    if title_node is not None:
        s.html_title = clean_value(title_node.text(deep=True))
    s.description = clean_value(
        meta.get("og:description") or meta.get("description") or meta.get("twitter:description")
    )
    s.site_name = clean_value(meta.get("og:site_name") or meta.get("application-name"))
    s.image = clean_value(meta.get("og:image") or meta.get("twitter:image")
                          or meta.get("og:image:url"))
    s.og_type = clean_value(meta.get("og:type"))
    s.published = clean_value(
        meta.get("article:published_time") or meta.get("og:published_time")
        or meta.get("datepublished") or meta.get("citation_publication_date")
        or meta.get("dc.date.issued") or meta.get("dc.date") or meta.get("pubdate")
        or meta.get("publish-date") or meta.get("parsely-pub-date")
        or meta.get("sailthru.date")
    )
    s.modified = clean_value(meta.get("article:modified_time") or meta.get("og:updated_time"))
    if not s.authors:
        for key in ("author", "article:author", "citation_author", "dc.creator",
                    "parsely-author", "sailthru.author", "byl"):
            if meta.get(key):
                value = meta[key]
                if key == "byl":
                    value = re.sub(r"(?i)^by\s+", "", value)
                s.authors = [n for a in re.split(r"\s*(?:,|\band\b|&)\s*", value)
                             if (n := author_name(a.strip()))]
                if s.authors:
                    break
    if not s.tags:
        s.tags = _keywords(meta.get("keywords") or meta.get("news_keywords") or "")
    s.section = clean_value(meta.get("article:section"))
    link = tree.css_first('link[rel="canonical"][href]')
    if link is not None:
        s.canonical_url = (link.attributes.get("href") or "").strip() or None
    if not s.canonical_url and meta.get("og:url"):
        s.canonical_url = meta["og:url"].strip()
    base = tree.css_first("base[href]")
    if base is not None:
        s.base_href = (base.attributes.get("href") or "").strip() or None
    html_node = tree.css_first("html")
    lang = html_node.attributes.get("lang") if html_node is not None else None
    lang = lang or meta.get("og:locale") or meta.get("content-language") or ""
    s.language = lang.strip() or None


def _read_jsonld(tree: LexborHTMLParser, s: Structured) -> None:
    best_article: dict[str, Any] | None = None
    nodes = list(iter_jsonld(tree))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    for node in nodes:
        types = _types(node)
        s.types.extend(t for t in types if t not in s.types)
        tset = set(types)
        if tset & ARTICLE_TYPES or (tset & {"webpage", "itempage"} and node.get("articleBody")):
            body = node.get("articleBody")
            known = len(str(best_article.get("articleBody") or "")) if best_article else -1
            if best_article is None or (isinstance(body, str) and len(body) > known):
                best_article = node
        if tset & {"qapage", "discussionforumposting", "question"}:
            main = node.get("mainEntity") if "qapage" in tset else node
            if isinstance(main, list):
                main = main[0] if main else None
            if isinstance(main, dict):
                posts = _post_texts(main)
                if len(posts) > len(s.forum_posts):
                    s.forum_posts = posts
                s.title = s.title or clean_value(main.get("name") or main.get("headline"))
                if not s.authors:
                    s.authors = _names(main.get("author"), by_id)
                s.published = s.published or clean_value(main.get("datePublished")
                                                         or main.get("dateCreated"))
        if tset & PRODUCT_TYPES and not s.product_description:
            s.product_description = clean_body(node.get("description"))
            s.image = s.image or _image(node.get("image"))
        if "website" in tset and not s.site_name:
            s.site_name = clean_value(node.get("name"))
        s.language = s.language or clean_value(node.get("inLanguage"))
    if best_article is None:
        return
    a = best_article
    s.article_body = clean_body(a.get("articleBody"))
    s.headline = clean_value(a.get("headline"))
    s.title = s.headline or s.title or clean_value(a.get("name"))
    authors = _names(a.get("author") or a.get("creator"), by_id)
    if authors:
        s.authors = authors
    s.published = clean_value(a.get("datePublished") or a.get("dateCreated")) or s.published
    s.modified = clean_value(a.get("dateModified")) or s.modified
    s.description = s.description or clean_value(a.get("description"))
    s.image = s.image or _image(a.get("image") or a.get("thumbnailUrl"))
    if not s.tags:
        s.tags = _keywords(a.get("keywords"))
    s.section = s.section or clean_value(a.get("articleSection"))
    publisher = _resolve(a.get("publisher"), by_id)
    if isinstance(publisher, dict) and not s.site_name:
        s.site_name = clean_value(publisher.get("name"))


def _read_microdata(tree: LexborHTMLParser, s: Structured) -> None:
    """Cheap microdata: only the few ``itemprop`` values metadata may lack."""
    if not s.authors:
        node = tree.css_first('[itemprop="author"]')
        if node is not None:
            name = node.css_first('[itemprop="name"]') or node
            text = clean_value(_attr_or_text(name))
            if text and len(text) < 120:
                s.authors = [text]
    if not s.published:
        node = tree.css_first('[itemprop="datePublished"]')
        if node is not None:
            s.published = clean_value(node.attributes.get("datetime") or _attr_or_text(node))
    if s.published:
        return
    times = tree.css("time[datetime]")  # (asked only of a page that declares no date)
    if times and "pubdate" in times[0].attributes:
        # (a bare ``pubdate`` has no value: selectolax gives None for it, so ask for
        # the name, not the value)
        s.published = clean_value(times[0].attributes.get("datetime"))
    for node in times[:MAX_TIME_STAMPS]:
        value = clean_value(node.attributes.get("datetime"))
        if value and len(value) > 12 and value[10] in "T ":
            s.time_stamps.append(value)


MAX_TIME_STAMPS = 10


def _attr_or_text(node: LexborNode) -> str | None:
    attrs = node.attributes
    return attrs.get("content") or node.text(deep=True)
