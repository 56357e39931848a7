"""Per-language chrome vocabulary, loaded from ``cleaners/vocab/<lang>.toml``.

Vocabulary is data so that adding a language never touches code. A :class:`Vocab` is
the merge of the files that apply to one document; merges are cached, so choosing
vocabulary per document costs a dictionary lookup.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cleaners.normalize import fold

CONTAINS_MAX_WORDS = 60


@dataclass(frozen=True, slots=True)
class Vocab:
    """Chrome vocabulary of one or more languages, folded and ready for matching."""

    languages: tuple[str, ...]
    stopwords: frozenset[str]
    lines: dict[str, frozenset[str]]
    sections: dict[str, frozenset[str]]
    prefixes: dict[str, tuple[str, ...]]
    contains: dict[str, re.Pattern[str] | None]
    words: dict[str, frozenset[str]]
    month_numbers: dict[str, int]

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

    def prefix(self, kind: str, key: str) -> str | None:
        """The longest ``prefixes.<kind>`` phrase ``key`` starts with (then space or ':')."""
        for phrase in self.prefixes.get(kind, ()):  # sorted longest first
            if key.startswith(phrase) and (
                len(key) == len(phrase) or not key[len(phrase)].isalnum()
            ):
                return phrase
        return None

    def contains_kind(self, key: str) -> str | None:
        for kind, pattern in self.contains.items():
            if pattern is not None and pattern.search(key):
                return kind
        return None

    def word_set(self, kind: str) -> frozenset[str]:
        return self.words.get(kind, frozenset())


def vocab_dir() -> resources.abc.Traversable:
    return resources.files("cleaners").joinpath("vocab")


@cache
def available_languages() -> tuple[str, ...]:
    return tuple(
        sorted(p.name[:-5] for p in vocab_dir().iterdir() if p.name.endswith(".toml"))
    )


@cache
def _raw(lang: str) -> dict:
    path = vocab_dir().joinpath(f"{lang}.toml")
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise KeyError(f"no chrome vocabulary for language {lang!r}") from None


def _stopwords(raw: dict) -> list[str]:
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
    contains: dict[str, re.Pattern[str] | None] = {}
    for kind, phrases in tables["contains"].items():
        alts = sorted((p for p in phrases if p), key=len, reverse=True)
        contains[kind] = re.compile("|".join(map(re.escape, alts))) if alts else None
    return Vocab(
        languages=langs,
        stopwords=frozenset(w for w in stop if w),
        lines={k: _folded(v) for k, v in tables["lines"].items()},
        sections={k: _folded(v) for k, v in tables["sections"].items()},
        prefixes={
            k: tuple(sorted((p for p in v if p), key=len, reverse=True))
            for k, v in tables["prefixes"].items()
        },
        contains=contains,
        words={k: _folded(v) for k, v in tables["words"].items()},
        month_numbers=months,
    )


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


def script_of(ch: str) -> str | None:
    """Coarse Unicode script of a letter, from its character name (no extra data file)."""
    if ch < "\u0250":
        return "Latin" if ch.isalpha() else None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    head = name.split(" ", 1)[0]
    if head in {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"}:
        return {"CJK": "Han", "HIRAGANA": "Hiragana", "KATAKANA": "Katakana",
                "HANGUL": "Hangul"}[head]
    return head.capitalize()
