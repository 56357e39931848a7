"""Per-language chrome vocabulary, loaded from ``cleaners/vocab/<lang>.toml``.

Vocabulary is data so that adding a language never touches code. A :class:`Vocab` is
the merge of the files that apply to one document; merges are cached, so choosing
vocabulary per document costs a dictionary lookup.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from cleaners.normalize import fold
from cleaners.patterns import BLOCK_WORD, HAS_CJK, block_words

CONTAINS_MAX_WORDS = 60


@dataclass(frozen=True, slots=True)
class Vocab:
    """Chrome vocabulary of one or more languages, folded and ready for matching."""

    languages: tuple[str, ...]
    stopwords: frozenset[str]
    lines: dict[str, frozenset[str]]
    sections: dict[str, frozenset[str]]
    prefixes: dict[str, tuple[str, ...]]
    contains: Mapping[str, re.Pattern[str] | None]  # compiled when asked for: _Patterns
    words: dict[str, frozenset[str]]
    month_numbers: dict[str, int]
    # Icons, kept as written (folding trims them): ``symbols.counter_icons``.
    symbols: dict[str, frozenset[str]] = field(default_factory=dict)
    # Derived indexes, so per-block checks are dictionary lookups rather than scans.
    chrome_keys: frozenset[str] = frozenset()
    prefix_index: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    contains_index: dict[str, tuple[tuple[str, int, str], ...]] = field(default_factory=dict)
    section_first_words: frozenset[str] = frozenset()
    share_words: frozenset[str] = frozenset()  # single words of the share/follow phrases
    contains_cjk: tuple[tuple[str, int, str], ...] = ()  # Han/kana phrases, found as text

    def line_kind(self, key: str) -> str | None:
        """The ``lines`` category a whole folded block belongs to, if any."""
        for kind, phrases in self.lines.items():
            if key in phrases:
                return kind
        return None

    def section_kind(self, key: str) -> str | None:
        for kind, phrases in self.sections.items():
            if key in phrases:
                return kind
        return None

    def prefix(self, kind: str, key: str, first: str | None = None) -> str | None:
        """The longest ``prefixes.<kind>`` phrase ``key`` starts with (then space or ':').

        ``first``: the key's first word when the caller has it (a block's ``words[0]``).
        """
        return match_prefix(self.prefix_index.get(kind, {}), key, first)

    def contains_kind(self, key: str, words: list[str] | None = None) -> str | None:
        """The ``contains`` kind of the first phrase found in ``key``.

        Each phrase is indexed by its longest word; only phrases whose anchor word is
        among the block's words are searched for.
        """
        index = self.contains_index
        # The anchors among the block's words, found in C (a dict view intersected with
        # the word list); most blocks have none, and then no Python loop runs at all.
        anchors = index.keys() & (words if words is not None else block_words(key))
        cjk = bool(self.contains_cjk) and HAS_CJK.search(key) is not None
        if not anchors and not cjk:
            return None
        best: tuple[int, str] | None = None
        for w in anchors:
            for phrase, order, kind in index[w]:
                if (best is None or order < best[0]) and phrase in key:
                    best = (order, kind)
        if cjk:
            # Han and kana phrases are not cut into words the same way wherever they
            # stand in a clause ("新民晚报版权所有"), so they are searched for as text.
            for phrase, order, kind in self.contains_cjk:
                if (best is None or order < best[0]) and phrase in key:
                    best = (order, kind)
        # the first kind in table order wins, whatever order the words came in (phrases
        # of one order are of one kind)
        return best[1] if best is not None else None

    def word_set(self, kind: str) -> frozenset[str]:
        return self.words.get(kind, frozenset())


_WORDS = re.compile(r"\w+")


def _first_word(key: str) -> str:
    m = (BLOCK_WORD if HAS_CJK.match(key) else _WORDS).match(key)
    return m.group() if m else ""


def index_prefixes(phrases: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Phrases by their first word, longest first: a key's first word picks the few to
    try (:func:`match_prefix`)."""
    by_first: dict[str, list[str]] = {}
    for phrase in sorted((p for p in phrases if p), key=len, reverse=True):
        by_first.setdefault(_first_word(phrase), []).append(phrase)
    return {w: tuple(v) for w, v in by_first.items()}


def match_prefix(index: dict[str, tuple[str, ...]], key: str,
                 first: str | None = None) -> str | None:
    """The longest indexed phrase ``key`` starts with, followed by the end of the key or
    a non-word character (so "more" does not match "moreover")."""
    if first is None:
        first = _first_word(key)
    for phrase in index.get(first, ()):  # longest first
        if key.startswith(phrase) and (len(key) == len(phrase) or not key[len(phrase)].isalnum()):
            return phrase
    return None


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of ``phrases``, longest first (so the longest one matches)."""
    return "|".join(map(re.escape, sorted((p for p in phrases if p), key=len, reverse=True)))


def _build_indexes(
    lines: dict[str, frozenset[str]], sections: dict[str, frozenset[str]],
    prefixes: dict[str, tuple[str, ...]], contains_phrases: dict[str, set[str]],
) -> dict[str, Any]:
    chrome = frozenset().union(
        *(v for k, v in lines.items() if k != "navigation"), *sections.values()
    )
    prefix_index: dict[str, dict[str, tuple[str, ...]]] = {}
    # "Browse all stories on X", "Read more about X": read-more links carry an object.
    line_prefixes = {
        "line:read_more": tuple(sorted((p for p in lines.get("read_more", ()) if " " in p),
                                       key=len, reverse=True)),
    }
    for kind, starts in {**prefixes, **line_prefixes}.items():
        prefix_index[kind] = index_prefixes(starts)
    contains_index: dict[str, list[tuple[str, int, str]]] = {}
    contains_cjk: list[tuple[str, int, str]] = []
    for order, (kind, phrases) in enumerate(contains_phrases.items()):
        for phrase in sorted(phrases):
            if HAS_CJK.search(phrase):
                contains_cjk.append((phrase, order, kind))
                continue
            words = _WORDS.findall(phrase)
            if not words:
                continue
            anchor = max(words, key=len)
            contains_index.setdefault(anchor, []).append((phrase, order, kind))
    return {
        "chrome_keys": chrome,
        "prefix_index": prefix_index,
        "contains_index": {w: tuple(v) for w, v in contains_index.items()},
        "contains_cjk": tuple(contains_cjk),
        # a heading that names the site's section ("More from Politics") opens with a
        # prefixes.section phrase
        "section_first_words": frozenset(
            _first_word(p) for v in (*sections.values(), prefixes.get("section", ()))
            for p in v
        ),
        "share_words": frozenset(
            w for p in lines.get("share", ()) for w in block_words(p)
        ) - {"this", "the", "on", "us", "via", "to", "article", "story", "post"},
    }


def vocab_dir() -> resources.abc.Traversable:
    return resources.files("cleaners").joinpath("vocab")


@cache
def available_languages() -> tuple[str, ...]:
    return tuple(
        sorted(p.name[:-5] for p in vocab_dir().iterdir() if p.name.endswith(".toml"))
    )


@cache
def _raw(lang: str) -> dict[str, Any]:
    path = vocab_dir().joinpath(f"{lang}.toml")
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise KeyError(f"no chrome vocabulary for language {lang!r}") from None


def _stopwords(raw: dict[str, Any]) -> list[str]:
    # Top-level ``stopwords`` is the documented place; a key under [meta] is accepted
    # because TOML puts keys that follow a table header into that table.
    return list(raw.get("stopwords") or raw.get("meta", {}).get("stopwords", []))


def _folded(items: Iterable[str]) -> frozenset[str]:
    return frozenset(k for k in (fold(s) for s in items) if k)


@cache
def load_vocab(languages: tuple[str, ...]) -> Vocab:
    """Merged vocabulary of ``languages`` (order does not matter; cached)."""
    langs = tuple(sorted(set(languages)))
    stop: set[str] = set()
    months: dict[str, int] = {}
    symbols: dict[str, set[str]] = {}
    tables: dict[str, dict[str, set[str]]] = {
        "lines": {}, "sections": {}, "prefixes": {}, "contains": {}, "words": {},
    }
    for lang in langs:
        raw = _raw(lang)
        stop.update(fold(w) for w in _stopwords(raw))
        for name, number in raw.get("month_numbers", {}).items():
            months[fold(name)] = int(number)
        for table, target in tables.items():
            for kind, phrases in raw.get(table, {}).items():
                target.setdefault(kind, set()).update(fold(p) for p in phrases)
        for kind, marks in raw.get("symbols", {}).items():
            symbols.setdefault(kind, set()).update(marks)
    contains = _Patterns(tables["contains"])
    lines = {k: _folded(v) for k, v in tables["lines"].items()}
    sections = {k: _folded(v) for k, v in tables["sections"].items()}
    prefixes = {
        k: tuple(sorted((p for p in v if p), key=len, reverse=True))
        for k, v in tables["prefixes"].items()
    }
    return Vocab(
        languages=langs,
        stopwords=frozenset(w for w in stop if w),
        lines=lines,
        sections=sections,
        prefixes=prefixes,
        contains=contains,
        words={k: _folded(v) for k, v in tables["words"].items()},
        month_numbers=months,
        symbols={k: frozenset(v) for k, v in symbols.items()},
        **_build_indexes(lines, sections, prefixes, tables["contains"]),
    )


class _Patterns(Mapping[str, "re.Pattern[str] | None"]):
    """``Vocab.contains``: each kind's phrases as one regex alternation, compiled the
    first time that kind is asked for.

    The cleaner finds ``contains`` phrases through ``Vocab.contains_index`` and only
    reads this mapping's keys (the kind names), yet compiling every alternation of
    hundreds of phrases was half the cost of merging a vocabulary, paid again for each
    new combination of languages (15 on the WCXB pages: 0.45 ms a page).
    """

    def __init__(self, phrases: dict[str, set[str]]) -> None:
        self._phrases = phrases
        self._compiled: dict[str, re.Pattern[str] | None] = {}

    def __getitem__(self, kind: str) -> re.Pattern[str] | None:
        if kind not in self._compiled:
            phrases = self._phrases[kind]  # KeyError for an unknown kind, as a dict
            self._compiled[kind] = re.compile(alternation(phrases)) if any(phrases) else None
        return self._compiled[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._phrases)

    def __len__(self) -> int:
        return len(self._phrases)


@cache
def language_scripts() -> dict[str, tuple[str, ...]]:
    return {
        lang: tuple(_raw(lang).get("meta", {}).get("scripts", ["Latin"]))
        for lang in available_languages()
    }


@cache
def stopword_table() -> dict[str, frozenset[str]]:
    """Each language's folded stop words (for choosing vocabulary without langdetect)."""
    return {lang: _folded(_stopwords(_raw(lang))) for lang in available_languages()}


@cache
def phrase_table(table: str) -> dict[str, frozenset[str]]:
    """The folded phrases of ``table`` in every language file, by kind: for a table the
    text cleaner does not read, whose phrases are meant in any language (``error_page``,
    which ``pagewash extract`` reads; see ``cleaners/vocab/README.md``)."""
    merged: dict[str, set[str]] = {}
    for lang in available_languages():
        for kind, phrases in _raw(lang).get(table, {}).items():
            merged.setdefault(kind, set()).update(fold(p) for p in phrases)
    return {kind: frozenset(p for p in phrases if p) for kind, phrases in merged.items()}
