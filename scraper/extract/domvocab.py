"""The DOM chrome vocabulary (``scraper/extract/vocab/dom.toml``), loaded once.

Class names, ids and ``data-*`` values are matched by *tokens* (see the data file's
header): "share" matches ``share-bar`` and ``shareBar`` but not ``shareholders``, and a
multi-word entry matches a run of adjacent tokens. The decision per attribute value is
cached, because the same few class strings repeat hundreds of times on a page.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from cleaners.normalize import fold

_SPLIT = re.compile(r"[\s\-_.:/]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_COMPACT = re.compile(r"[\s\-_.:/]+")
MAX_TOKENS_PER_NAME = 8  # longer class names are generated hashes, not words


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    tokens: frozenset[str]  # compact, lower-case entries
    keep_content: bool  # spare text-rich elements (see prune.py)
    exact: bool  # match whole class names only
    not_chrome_for: frozenset[str]  # page types where this is content


@dataclass(frozen=True, slots=True)
class DomVocab:
    always_tags: frozenset[str]
    unless_main_tags: frozenset[str]
    unless_text_tags: frozenset[str]
    chrome_roles: frozenset[str]
    document_roles: frozenset[str]  # parts of a document, not chrome ([document])
    document_tokens: frozenset[str]
    categories: tuple[Category, ...]
    shown_by: tuple[re.Pattern[str], ...]
    hiding_styles: tuple[str, ...]
    section_headings: dict[str, frozenset[str]]  # from the cleaners' vocabulary


def compact(entry: str) -> str:
    return _COMPACT.sub("", entry).lower()


def name_tokens(name: str) -> list[str]:
    """``relatedPosts-list`` -> ``["related", "posts", "list"]``."""
    return [t for t in _SPLIT.split(_CAMEL.sub(" ", name).lower()) if t]


@cache
def dom_vocab() -> DomVocab:
    raw = tomllib.loads(
        resources.files("scraper").joinpath("extract/vocab/dom.toml").read_text("utf-8")
    )
    cats = []
    for name, spec in raw.get("categories", {}).items():
        cats.append(Category(
            name=name,
            tokens=frozenset(compact(t) for t in spec.get("tokens", []) if compact(t)),
            keep_content=spec.get("content", "drop") == "keep",
            exact=spec.get("match", "token") == "exact",
            not_chrome_for=frozenset(spec.get("types", [])),
        ))
    hidden = raw.get("hidden", {})
    return DomVocab(
        always_tags=frozenset(raw.get("tags", {}).get("always", [])),
        unless_main_tags=frozenset(raw.get("tags", {}).get("unless_main", [])),
        unless_text_tags=frozenset(raw.get("tags", {}).get("unless_text", [])),
        chrome_roles=frozenset(raw.get("roles", {}).get("chrome", [])),
        document_roles=frozenset(raw.get("document", {}).get("roles", [])),
        document_tokens=frozenset(compact(t) for t in raw.get("document", {}).get("tokens", [])),
        categories=tuple(cats),
        shown_by=tuple(re.compile(p) for p in hidden.get("shown_by", [])),
        hiding_styles=tuple(s.replace(" ", "") for s in hidden.get("styles", [])),
        section_headings=_section_headings(),
    )


def _section_headings() -> dict[str, frozenset[str]]:
    """Headings of related/comment sections in every language the cleaners know."""
    from cleaners.vocab import available_languages, load_vocab

    vocab = load_vocab(available_languages())
    return {kind: vocab.sections.get(kind, frozenset()) for kind in ("related", "comments")}


@lru_cache(maxsize=8192)
def classify_value(value: str) -> tuple[str, ...]:
    """Names of the categories an attribute value (class list, id, data value) matches."""
    vocab = dom_vocab()
    found: list[str] = []
    names = value.split()
    if len(names) > 30:
        names = names[:30]
    shown = any(p.match(n) for n in names for p in vocab.shown_by)
    for name in names:
        low = name.lower()
        toks = name_tokens(name)
        if len(toks) > MAX_TOKENS_PER_NAME:
            continue
        runs = {compact(low)}
        for i in range(len(toks)):
            acc = ""
            for j in range(i, len(toks)):
                acc += toks[j]
                runs.add(acc)
        for cat in vocab.categories:
            if cat.name in found:
                continue
            if cat.exact:
                if not shown and compact(low) in cat.tokens:
                    found.append(cat.name)
            elif runs & cat.tokens:
                found.append(cat.name)
    return tuple(found)


def heading_kind(text: str) -> str | None:
    """``related``/``comments`` when a heading names such a section in any language."""
    if not text or len(text) > 80:
        return None
    key = fold(text)
    for kind, phrases in dom_vocab().section_headings.items():
        if key in phrases:
            return kind
    return None


@cache
def hint_names() -> tuple[str, ...]:
    """Hint categories in bit order (``chrome`` last: any removal category matched)."""
    raw = tomllib.loads(
        resources.files("scraper").joinpath("extract/vocab/dom.toml").read_text("utf-8")
    )
    return (*raw.get("hints", {}).keys(), "chrome")


@cache
def _hint_tokens() -> tuple[frozenset[str], ...]:
    raw = tomllib.loads(
        resources.files("scraper").joinpath("extract/vocab/dom.toml").read_text("utf-8")
    )
    return tuple(
        frozenset(compact(t) for t in tokens if compact(t))
        for tokens in raw.get("hints", {}).values()
    )


@lru_cache(maxsize=16384)
def hint_flags(value: str) -> int:
    """Bit set of the hint categories a class list / id names (see ``[hints]``)."""
    flags = 0
    tables = _hint_tokens()
    for name in value.split()[:30]:
        toks = name_tokens(name)
        if not toks or len(toks) > MAX_TOKENS_PER_NAME:
            continue
        runs = set(toks)
        for i in range(len(toks)):
            acc = toks[i]
            for j in range(i + 1, len(toks)):
                acc += toks[j]
                runs.add(acc)
        for bit, tokens in enumerate(tables):
            if runs & tokens:
                flags |= 1 << bit
    if classify_value(value):
        flags |= 1 << len(tables)
    return flags
