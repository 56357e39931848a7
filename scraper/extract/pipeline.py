"""The stages of :func:`scraper.extract.extract_html`, in order (see :mod:`.core`).

:func:`analyse_page` does everything up to the content decision and is shared with the
model's training script, so the model is trained on exactly what it sees at run time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from cleaners.result import Removal
from scraper.errors import InputError, TooLargeError
from scraper.extract.blocks import Block, page_blocks, render_blocks
from scraper.extract.content import run_trafilatura
from scraper.extract.core import Extracted, ExtractOptions, OutputFormat
from scraper.extract.decode import decode_page
from scraper.extract.errorpage import ERROR_PAGE_RULE, error_page_kind
from scraper.extract.features import PageFacts, features
from scraper.extract.finish import finish_blocks, finish_text, finish_title, normalize_blocks
from scraper.extract.longtables import (
    SetAside,
    markers_found,
    restore_rows,
    set_aside_rows,
    table_blocks,
    whole_tables,
)
from scraper.extract.metadata import (
    absolute,
    choose_title,
    dom_authors,
    dom_byline_authors,
    find_date,
    first_h1,
    impossible_date,
    normalise_date,
    unique,
    with_time_of_day,
)
from scraper.extract.pagetype import detect_page_type
from scraper.extract.profiles import choose_body, profile_for
from scraper.extract.prune import largest_text_block, prune
from scraper.extract.select import load_model
from scraper.extract.sniff import bound_depth, check_bytes, check_markup
from scraper.extract.structured import Structured, read_structured
from scraper.readers.base import human_size
from scraper.urls import normalize_url

MAX_TAGS = 30
MAX_AUTHORS = 10


@dataclass(slots=True)
class PageAnalysis:
    """A page read, decoded, described and pruned, with trafilatura's opinion."""

    html: str
    encoding: str
    st: Structured
    page_type: str
    title: str | None
    authors: list[str]
    blocks: list[Block]
    traf_text: str
    declared_text: str
    has_main: bool
    stats: dict[str, int] = field(default_factory=dict)
    pruned: list[Removal] = field(default_factory=list)  # what pruning took, in page order
    aside: SetAside | None = None  # the rows of long tables, read once content is chosen
    h1: str | None = None  # the first <h1>, which an error page's headline may be

    def facts(self) -> PageFacts:
        return PageFacts(self.page_type, set(self.st.types), self.traf_text,
                         self.declared_text, self.title, self.has_main)


def decode_input(
    data: bytes | str, source: str, url: str | None, headers: Mapping[str, str] | None,
    opts: ExtractOptions,
) -> tuple[str, str]:
    """(page text, encoding) after the size/type checks; raises InputError subclasses."""
    if isinstance(data, str):
        if len(data) > opts.max_bytes:
            raise TooLargeError(
                source, "too-large",
                f"{source}: page is {human_size(len(data))} of text, over the "
                f"{human_size(opts.max_bytes)} limit (raise it with --max-bytes)",
            )
        if not data.strip():
            raise InputError(source, "empty", f"{source}: empty page (no text)")
        text, encoding = data, "unicode"
    else:
        check_bytes(data, source, headers, opts.max_bytes)
        decoded = decode_page(data, source, headers, url)
        text, encoding = decoded.text, decoded.encoding
    check_markup(text, source)
    return text, encoding


def analyse_page(
    data: bytes | str,
    source: str,
    url: str | None,
    headers: Mapping[str, str] | None,
    opts: ExtractOptions,
    page_type: str | None = None,
) -> PageAnalysis:
    """Everything up to the content decision; ``page_type`` overrides detection (the
    training script passes out-of-fold predictions, a caller may know the type)."""
    text, encoding = decode_input(data, source, url, headers, opts)
    html, aside = text, None
    if opts.block_model and load_model() is not None:  # (trafilatura alone reads it all)
        html, aside = set_aside_rows(text)
    html, too_deep = bound_depth(html)
    tree = LexborHTMLParser(html)
    if aside is not None and not markers_found(tree, aside):
        aside = None  # markup the scan misread: the page is read whole
        html, too_deep = bound_depth(text)
        tree = LexborHTMLParser(html)
    st = read_structured(tree)
    h1 = first_h1(tree)
    title = choose_title(st, h1)
    authors = unique(st.authors or dom_authors(tree, st.language)
                     or dom_byline_authors(tree, st.language), MAX_AUTHORS)
    if page_type is None:
        page_type = detect_page_type(tree, st, url, html) if opts.page_types else "article"
    stats: dict[str, int] = {"too_deep_tags": too_deep} if too_deep else {}
    if aside is not None:
        stats["table_rows_set_aside"] = aside.rows
    pruned: list[Removal] = []
    if opts.prune:
        report = prune(tree, page_type=page_type)
        pruned = [Removal(f"{PRUNE_RULE}.{why}", text, None) for why, text in report.texts]
        stats["pruned_elements"] = sum(report.removed.values())
        stats["pruned_chars"] = report.removed_chars
        if report.flattened:
            stats["flattened"] = report.flattened
    has_main = tree.css_first('main, [role="main"], article') is not None
    blocks = page_blocks(tree.body, largest_text_block(tree), stats)
    pruned_html = tree.html or ""
    traf = run_trafilatura(pruned_html, url, profile_for(page_type))
    declared = st.article_body or ""
    if page_type == "forum" and st.forum_posts:
        declared = "\n\n".join(st.forum_posts)
    elif not declared and st.product_description:
        declared = st.product_description
    return PageAnalysis(html, encoding, st, page_type, title, authors, blocks, traf, declared,
                        has_main, stats, pruned, aside, h1)


# The provenance of a block the block model left out, and the prefix of an element
# pruning took out of the DOM (``dom.class:related``): --with-removed lists those too,
# so that text missing from a record is always accounted for.
MODEL_RULE = "model.boilerplate"
PRUNE_RULE = "dom"
# The rows of a long table past those the analysis read, when the table was left out:
# they go with it (see scraper.extract.longtables).
TABLE_RULE = "table.rest"


def select_blocks(a: PageAnalysis, opts: ExtractOptions) -> list[Block] | None:
    """The blocks the model judges to be content; None when there is no model."""
    model = load_model() if opts.block_model else None
    if model is None:
        return None
    if not a.blocks:
        return []
    probs = model.scores(features(a.blocks, a.facts()), a.blocks)
    flags = [p >= model.threshold for p in probs]
    _keep_code_between_kept(a.blocks, flags)
    _keep_terms_of_kept_definitions(a.blocks, flags)
    if a.aside is not None:
        whole_tables(a.blocks, flags)
    keep = [b for b, k in zip(a.blocks, flags, strict=True) if k]
    a.stats["blocks"] = len(a.blocks)
    a.stats["blocks_kept"] = len(keep)
    return keep


def _keep_code_between_kept(blocks: list[Block], flags: list[bool]) -> None:
    """A code block (lines of one <pre>) with kept text right above and below it is
    part of that text: the model, reading a block by its own features, dropped a short
    snippet between two paragraphs of a guide (jusText's context step, for code)."""
    n = len(blocks)
    i = 0
    while i < n:
        if not blocks[i].in_pre:
            i += 1
            continue
        j = i
        while j < n and blocks[j].in_pre:
            j += 1
        if i > 0 and j < n and flags[i - 1] and flags[j] and not any(flags[i:j]):
            flags[i:j] = [True] * (j - i)
        i = j


def _keep_terms_of_kept_definitions(blocks: list[Block], flags: list[bool]) -> None:
    """The terms (``<dt>``) of a definition the model kept are kept with it: the model,
    reading each block alone, dropped the short terms of a glossary ("Wort", "Mash")
    and kept their definitions, which then defined nothing. A list whose definitions
    are left out (a footer's "Contact: Write to us") keeps none of its terms, and a
    term repeated on the page is left to the model: that is a field's label on every
    card of a category page ("Brand Name", "Color", "Price"), not a term defined."""
    kept = {b.entry for b, k in zip(blocks, flags, strict=True)
            if k and b.definition == "dd"}
    if not kept:
        return
    terms = Counter(b.text for b in blocks if b.definition == "dt")
    for i, b in enumerate(blocks):
        if b.definition == "dt" and b.entry in kept and terms[b.text] == 1:
            flags[i] = True


# A paragraph of a short page: at least this many words (or characters, in a script
# written without spaces), ending as a sentence ends.
BRIEF_MIN_WORDS = 8
BRIEF_MIN_CHARS = 20
_WORDS = re.compile(r"\w+")
_SENTENCE_END = tuple(".!?。！？…\"'”»)")


def lone_paragraphs(a: PageAnalysis) -> list[Block]:
    """The prose paragraphs inside the page's ``<main>``/``<article>`` that trafilatura
    also took for content, for a page where the block model kept nothing that is left.

    A news brief or a one-line announcement (one paragraph of fifteen words inside an
    ``<article>``, a menu and a footer around it) is a real article, but the model,
    trained on pages of many paragraphs, scored its lone paragraph under its threshold,
    and the record came out empty. Two independent signs stand for the model here: the
    publisher put the paragraph in the article element, and trafilatura kept it.
    Headings, list items, table rows and link lines are not taken, and what is taken
    still goes through the cleaners' rules (a cookie prompt or a "page not found" line
    in ``<main>`` is removed there), so a page of chrome alone still comes out empty.
    """
    traf = " ".join(a.traf_text.split())
    if not traf:
        return []
    out: list[Block] = []
    for b in a.blocks:
        text = " ".join(b.text.split())
        if (not b.in_main or b.heading or b.in_list or b.in_table or b.in_pre
                or b.link_chars > 0.3 * len(text) or not text.endswith(_SENTENCE_END)):
            continue
        long_enough = (len(_WORDS.findall(text)) >= BRIEF_MIN_WORDS if " " in text
                       else len(text) >= BRIEF_MIN_CHARS)
        if long_enough and text in traf:
            out.append(b)
    return out


def main_text(
    a: PageAnalysis, url: str | None, markdown: bool, opts: ExtractOptions
) -> tuple[str, list[Removal], list[str]]:
    """The cleaned main content: model-selected blocks, or a complete declared body
    (JSON-LD) when the page shows much less of it, or trafilatura's text without a model;
    with what was removed (pruned elements first), and the names of a byline found in
    the text.
    """
    text, removed, byline = _choose_text(a, url, markdown, opts)
    return text, a.pruned + removed, byline


def _choose_text(
    a: PageAnalysis, url: str | None, markdown: bool, opts: ExtractOptions
) -> tuple[str, list[Removal], list[str]]:
    clean = opts.clean
    kept = select_blocks(a, opts)
    if kept is not None:
        blocks, removed, byline = finish_blocks(kept, title=a.title, url=url, clean=clean)
        if not any(b.text.strip() for b in blocks) and (brief := lone_paragraphs(a)):
            kept = brief
            a.stats["brief_paragraphs"] = len(brief)
            blocks, removed, byline = finish_blocks(kept, title=a.title, url=url, clean=clean)
        chosen = {id(b) for b in kept}
        removed = [Removal(MODEL_RULE, b.text, None) for b in a.blocks
                   if id(b) not in chosen and b.text.strip()] + removed
        if a.aside is not None:
            blocks, left = restore_rows(blocks, a.aside)
            removed += [Removal(TABLE_RULE, b.text, None) for t in left
                        for b in table_blocks(a.aside, t, Block("", "tr"))]
        blocks = normalize_blocks(blocks)
        text = render_blocks(blocks, markdown=markdown)
        plain = text if not markdown else render_blocks(blocks)
        if opts.structured_body:
            declared = choose_body(plain, a.st, a.page_type, True, a.stats)
            if declared is not plain:
                return finish_text(declared, title=a.title, url=url, clean=clean)
        return text, removed, byline
    body = choose_body(a.traf_text, a.st, a.page_type, opts.structured_body, a.stats)
    return finish_text(body, title=a.title, url=url, clean=clean)


def run_extraction(
    data: bytes | str,
    source: str,
    url: str | None,
    headers: Mapping[str, str] | None,
    output_format: OutputFormat,
    opts: ExtractOptions,
    status: int | None = None,
) -> Extracted:
    a = analyse_page(data, source, url, headers, opts)
    cleaned, removed, byline = main_text(a, url, output_format == "markdown", opts)
    error_page = error_page_kind(cleaned, (a.title, a.h1), (b.text for b in a.blocks), status)
    if error_page is not None:
        removed += [Removal(f"{ERROR_PAGE_RULE}.{error_page}", part, None)
                    for part in cleaned.split("\n\n") if part.strip()]
        cleaned = ""
    st = a.st
    published = normalise_date(st.published)
    if published is None and opts.dates and not impossible_date(st.published):
        published = with_time_of_day(find_date(a.html, url), st.time_stamps)
    language = None
    if opts.detect_language and cleaned:
        from cleaners.langid import detect_language

        language = detect_language(cleaned)
    if language is None and st.language:
        language = _lang_code(st.language)
    base = page_base(url, st.base_href)
    return Extracted(
        text=cleaned,
        title=finish_title(a.title),
        authors=a.authors or byline,  # the page's metadata first, then a byline
        published=published,
        language=language,
        # a relative canonical on a page saved without its URL cannot be resolved;
        # the page's og:url, when absolute, still names it (and keys its id)
        canonical_url=absolute(st.canonical_url, base) or absolute(st.meta.get("og:url"), base),
        site_name=st.site_name,
        description=st.description,
        tags=unique(st.tags, MAX_TAGS),
        image=absolute(st.image, base),
        page_type=a.page_type,
        format=output_format,
        removed=removed,
        encoding=a.encoding,
        stats=a.stats,
        error_page=error_page,
    )


def page_base(url: str | None, base_href: str | None) -> str | None:
    """The URL relative addresses on the page resolve against: its ``<base href>``
    (itself resolved against the page's URL), as a browser does. A saved page that
    kept its ``<base>`` but lost its URL had its relative canonical dropped, and one
    with both had it resolved against the wrong directory."""
    if not base_href:
        return url
    try:
        joined = urljoin(url, base_href) if url else base_href
    except ValueError:
        return url
    return joined if normalize_url(joined) is not None else url


def _lang_code(value: str) -> str | None:
    code = value.strip().replace("_", "-").lower()
    head = code.split("-", 1)[0]
    return head if head.isalpha() and 2 <= len(head) <= 3 else None
