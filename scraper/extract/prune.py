"""Remove page chrome from the DOM before extraction (selectolax/lexbor).

Trafilatura judges blocks by text and link density; it cannot see that a block of
prose-like teasers sits in ``<div class="related-posts">`` or that a paragraph is a
cookie notice. Pruning first, on the tree, with that vocabulary
(:mod:`scraper.extract.domvocab`) removes whole widgets at once, whatever language
their text is in.

The one thing pruning must never do is remove the article itself, so before anything
is removed the *main content* is located -- ``<article>``, ``<main>``, ``role=main``,
``itemprop=articleBody`` and the element holding the most paragraph text -- and that
element and all its ancestors are protected. Vocabulary matches inside the main
content are still removed (a share bar inside ``<article>``), but categories whose
markers are ambiguous (``related``, ``widget``, ...) spare elements that hold a lot of
prose and few links: a page builder's ``elementor-widget-container`` holds real text.

One depth-first walk does everything, so removed subtrees are never visited and no
node is touched after it was freed; the walk also flattens absurd nesting, which would
otherwise make lxml (inside trafilatura) stop parsing at depth 255 and drop the rest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.domvocab import (
    DomVocab,
    classify_value,
    dom_vocab,
    heading_kind,
    name_tokens,
)

MAX_DEPTH = 180  # lxml/libxml2 stops at 256; leave room for trafilatura's own wrappers
TEXT_RICH_CHARS = 400  # a "keep" category spares elements with this much non-link text
TEXT_RICH_LINK_DENSITY = 0.3
SECTION_LINK_DENSITY = 0.5  # a titled "Related" block is removed when it is mostly links
MAIN_SHARE = 0.5  # another <article> is protected when it has this share of the largest
PAGE_SHARE = 0.4  # nothing holding this share of the page's text is chrome (ASP.NET <form>)
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_MAIN_SELECTORS = ("main", '[role="main"]', '[itemprop="articleBody"]', "article")
_SKIP_NODES = frozenset({"-text", "_comment", "-comment", "!doctype"})
_INVISIBLE = frozenset({"script", "style", "template", "noscript", "head"})


@dataclass(slots=True)
class PruneReport:
    """What pruning removed, by reason (``tag:nav``, ``class:related``, ``hidden``...)."""

    removed: Counter[str] = field(default_factory=Counter)
    removed_chars: int = 0
    flattened: int = 0
    main_found: bool = False
    # (reason, visible text) of each removed element that showed any, in page order:
    # what --with-removed lists, so text missing from a record is always accounted for
    texts: list[tuple[str, str]] = field(default_factory=list)

    def note(self, why: str, node: LexborNode, size: int, *, count: bool = True) -> None:
        """Account for ``node``'s removal (``size`` characters of text) and keep its text;
        ``count=False``: a part of a removal already counted (a section's lists)."""
        if count:
            self.removed[why] += 1
        self.removed_chars += size
        if size and node.tag not in _INVISIBLE:
            self.texts.append((why, " ".join(node.text(deep=True, separator=" ").split())))


def text_len(node: LexborNode) -> int:
    return len(node.text(deep=True, strip=True))


def link_density(node: LexborNode, total: int | None = None) -> float:
    total = text_len(node) if total is None else total
    if not total:
        return 1.0
    links = sum(len(a.text(deep=True, strip=True)) for a in node.css("a"))
    return min(links / total, 1.0)


def main_nodes(tree: LexborHTMLParser) -> list[LexborNode]:
    """Elements that hold the main content, most specific evidence first."""
    out: list[LexborNode] = []
    for sel in _MAIN_SELECTORS[:3]:
        node = tree.css_first(sel)
        if node is not None:
            out.append(node)
    articles = tree.css("article")
    if articles:
        sizes = [(text_len(a), a) for a in articles[:50]]
        top = max(s for s, _ in sizes)
        out.extend(a for s, a in sizes if top and s >= MAIN_SHARE * top)
    block = largest_text_block(tree)
    if block is not None:
        out.append(block)
    return out


def largest_text_block(tree: LexborHTMLParser) -> LexborNode | None:
    """The element whose direct ``<p>`` children hold the most text."""
    node, chars = largest_paragraph_run(tree.css("p"))
    return node if chars >= 200 else None


def largest_paragraph_run(paragraphs: list[LexborNode]) -> tuple[LexborNode | None, int]:
    """(the parent of ``paragraphs`` whose own ones hold the most text, that many
    characters); (None, 0) when there are none."""
    sums: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    for p in paragraphs:
        parent = p.parent
        if parent is None:
            continue
        key = parent.mem_id
        sums[key] = sums.get(key, 0) + len(p.text(deep=True, strip=True))
        nodes.setdefault(key, parent)
    if not sums:
        return None, 0
    key = max(sums, key=sums.__getitem__)
    return nodes[key], sums[key]


def _protected(nodes: list[LexborNode]) -> tuple[set[int], set[int]]:
    """(ids of main nodes and all their ancestors, ids of the main nodes themselves)."""
    protected: set[int] = set()
    mains: set[int] = set()
    for node in nodes:
        mains.add(node.mem_id)
        cur: LexborNode | None = node
        while cur is not None and cur.mem_id not in protected:
            protected.add(cur.mem_id)
            cur = cur.parent
    return protected, mains


def prune(
    tree: LexborHTMLParser,
    *,
    page_type: str | None = None,
    vocab: DomVocab | None = None,
    keep_tags: frozenset[str] = frozenset(),
) -> PruneReport:
    """Remove chrome from ``tree`` in place and say what was removed.

    ``page_type`` switches off categories that are content on that kind of page
    (comments on a forum thread); ``keep_tags`` spares tags a page-type handler needs.
    """
    vocab = vocab or dom_vocab()
    report = PruneReport()
    body = tree.body
    if body is None:
        return report
    mains = main_nodes(tree)
    report.main_found = bool(mains)
    protected, main_ids = _protected(mains)
    categories_off = {c.name for c in vocab.categories if page_type in c.not_chrome_for}
    page_chars = text_len(body)
    too_big = max(int(PAGE_SHARE * page_chars), 200)
    always = vocab.always_tags - keep_tags
    unless_main = vocab.unless_main_tags - keep_tags

    # Each stack entry: (first node of a sibling run, depth, inside main content).
    stack: list[tuple[LexborNode | None, int, bool]] = [(body.child, 1, body.mem_id in main_ids)]
    while stack:
        node, depth, in_main = stack.pop()
        while node is not None:
            nxt = node.next
            tag = node.tag
            if tag in _SKIP_NODES or tag is None:
                node = nxt
                continue
            mem = node.mem_id
            is_protected = mem in protected
            why = None if is_protected else _chrome_reason(
                node, tag, in_main, always, unless_main, vocab, categories_off
            )
            if why is not None and in_main and _document_part(node, vocab):
                why = None
                if tag in always:
                    # The tag goes, its content stays where it stood and is walked
                    # next: trafilatura drops every <aside>, and the block model, which
                    # listens to it, took the footnote for chrome.
                    first = node.child
                    node.unwrap()
                    node = first if first is not None else nxt
                    continue
            if why is not None:
                size = text_len(node)
                if size <= too_big or why.startswith(("tag:script", "tag:style")):
                    report.note(why, node, size)
                    node.decompose()
                    node = nxt
                    continue
                report.removed["spared:page-share"] += 1
            if tag in _HEADINGS and not is_protected:
                kind = heading_kind(node.text(deep=True, strip=True))
                if kind is not None and (kind != "comments" or "comments" not in categories_off):
                    ended, resume = _drop_section(node, kind, protected, report)
                    # When the parent went, the sibling run we were walking is gone.
                    node = None if ended else resume
                    continue
            child = node.child
            if child is not None:
                if depth >= MAX_DEPTH:
                    _flatten(node)
                    report.flattened += 1
                    node = nxt
                    continue
                stack.append((nxt, depth, in_main))
                node, depth, in_main = child, depth + 1, in_main or mem in main_ids
                continue
            node = nxt
    return report


def _chrome_reason(
    node: LexborNode,
    tag: str,
    in_main: bool,
    always: frozenset[str],
    unless_main: frozenset[str],
    vocab: DomVocab,
    categories_off: set[str],
) -> str | None:
    """Why ``node`` is chrome, or None. ``node`` is known not to hold the main content."""
    if tag in always:
        return f"tag:{tag}"
    if tag in unless_main and not in_main:
        return f"tag:{tag}"
    if tag in vocab.unless_text_tags and text_len(node) < TEXT_RICH_CHARS:
        return f"tag:{tag}"
    attrs = node.attributes
    if not attrs:
        return None
    role = attrs.get("role")
    if role and role.strip().lower() in vocab.chrome_roles:
        return f"role:{role.strip().lower()}"
    if _hidden(attrs, vocab):
        return "hidden"
    matched: list[str] = []
    for key, value in attrs.items():
        if not value or len(value) > 300:
            continue
        if key in ("class", "id") or (key.startswith("data-") and len(value) < 60):
            matched.extend(c for c in classify_value(value) if c not in categories_off)
    if not matched:
        return None
    cats = {c.name: c for c in vocab.categories}
    if all(cats[m].keep_content for m in matched) and _text_rich(node):
        return None
    return f"class:{matched[0]}"


def _hidden(attrs: dict[str, str | None], vocab: DomVocab) -> bool:
    """Whether an element's attributes hide it (``hidden``, ``aria-hidden``, a style)."""
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = attrs.get("style")
    if style and ("none" in style or "hidden" in style):
        flat = style.replace(" ", "").lower()
        return any(s in flat for s in vocab.hiding_styles)
    return False


def _document_part(node: LexborNode, vocab: DomVocab) -> bool:
    """Whether ``node`` is a footnote, an admonition or another part of a document's
    text (``[document]`` in the vocabulary) that its tag or class would make chrome;
    a hidden one is not (the page does not show it)."""
    attrs = node.attributes
    cls = attrs.get("class") or ""
    if _hidden(attrs, vocab) or "hidden" in classify_value(cls):
        return False
    role = (attrs.get("role") or "").strip().lower()
    if role in vocab.document_roles:
        return True
    return any(token in vocab.document_tokens
               for name in cls.split()[:30] for token in name_tokens(name))


def _text_rich(node: LexborNode) -> bool:
    total = text_len(node)
    if total < TEXT_RICH_CHARS:
        return False
    density = link_density(node, total)
    return density < TEXT_RICH_LINK_DENSITY and total * (1 - density) >= TEXT_RICH_CHARS


def _drop_section(
    heading: LexborNode, kind: str, protected: set[int], report: PruneReport
) -> tuple[bool, LexborNode | None]:
    """Remove a "Related"/"Comments" section introduced by ``heading``.

    The heading's parent goes when it is not main content and is mostly links (a
    titled box of teasers); otherwise the heading goes with the link-heavy lists that
    follow it. Returns (parent removed, the sibling to resume the walk at).
    """
    parent = heading.parent
    if parent is not None and parent.mem_id not in protected and parent.tag != "body":
        total = text_len(parent)
        if kind == "comments" or link_density(parent, total) >= SECTION_LINK_DENSITY:
            report.note(f"section:{kind}", parent, total)
            parent.decompose()
            return True, None
    follower = heading.next
    report.note(f"section:{kind}", heading, text_len(heading))
    heading.decompose()
    while follower is not None:
        nxt = follower.next
        if follower.tag in _SKIP_NODES:
            follower = nxt
            continue
        if follower.tag in _HEADINGS or follower.mem_id in protected:
            break
        total = text_len(follower)
        if total and link_density(follower, total) < SECTION_LINK_DENSITY:
            break
        report.note(f"section:{kind}", follower, total, count=False)
        follower.decompose()
        follower = nxt
    return False, follower


def _flatten(node: LexborNode) -> None:
    """Replace a too-deep subtree by its text, so parsers downstream see all of it."""
    text = node.text(deep=True, separator=" ", strip=True)
    node.replace_with(text)
