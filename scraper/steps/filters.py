"""Corpus steps before deduplication: normalise, language, document-quality rules.

The quality rules are a few of the document filters from Gopher (Rae et al. 2021,
"Scaling Language Models", appendix A) and C4 -- the ones that are cheap, need no
model and rarely hurt a cleaned article -- each a small named class with its own
counter, each switched off by name (``--disable word-length``). They judge whole
documents; removing chrome inside a document is the cleaner's job (``pagewash clean``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import filterfalse

from cleaners.langid import detect_language
from cleaners.normalize import normalize_text
from scraper.document import Document
from scraper.errors import ConfigError
from scraper.pipeline import RunContext, Step
from scraper.record import document_words, sha256_hex
from scraper.steps.drops import DropSink, DropStep

DEFAULT_MIN_WORDS = 50

# Written without spaces between words: word-length rules mean nothing there.
_UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
_BULLETS = ("•", "·", "‣", "▪", "●", "◦", "-", "*", "–", "—")
_ELLIPSES = ("...", "…")
_LETTER = re.compile(r"[^\W\d_]").search
_WORD_CHAR = re.compile(r"\w").search


class Normalise(Step):
    """NFC, one kind of space, no invisible characters: the cleaner's normalisation.

    Records from ``clean``/``extract``/``crawl`` are already normalised (this changes
    nothing); plain text and foreign JSONL get the same form, so that the exact-dedup
    hash -- the output record's ``content_hash`` -- ignores whitespace and Unicode
    spelling differences there too.
    """

    name = "normalise"

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            text = normalize_text(doc.text)
            if text != doc.text:
                self.stats["changed"] += 1
                # the id of a document without a URL is the hash of its input, as in
                # ``clean``: the same text file gets the same id from both commands
                doc.meta.setdefault("input_hash", sha256_hex(doc.text))
                doc.text = text
            yield doc


class DropEmpty(DropStep):
    """Drop documents with no words left (``empty``).

    ``clean`` and ``extract`` write a record even when nothing survived cleaning (flagged
    ``empty``, so no input goes missing); such a record is valid input here, not a
    reject, but it has nothing to give a corpus.
    """

    name = "empty"

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            if _WORD_CHAR(doc.text) is None:
                self.drop(doc, "empty", detail="no words in the text")
                continue
            self.stats["kept"] += 1
            yield doc


@dataclass
class TextStats:
    """What several rules look at, computed once per document and only when asked."""

    doc: Document

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def language(self) -> str | None:
        return self.doc.language

    @cached_property
    def words(self) -> list[str]:
        return document_words(self.doc)  # the tokens the record's word_count counts

    @cached_property
    def lines(self) -> list[str]:
        return [line for line in self.text.split("\n") if line]


class Rule:
    """A document filter: :meth:`check` returns why ``stats`` fails it, or None."""

    name = "rule"

    def check(self, stats: TextStats) -> str | None:
        raise NotImplementedError


class TooShort(Rule):
    """Fewer than ``min_words`` words (``\\w+`` tokens, as the record's ``word_count``)."""

    name = "too-short"

    def __init__(self, min_words: int = DEFAULT_MIN_WORDS) -> None:
        self.min_words = min_words

    def check(self, stats: TextStats) -> str | None:
        n = len(stats.words)
        return f"{n} words, fewer than {self.min_words}" if n < self.min_words else None


class WordLength(Rule):
    """Mean word length outside 3..10 characters (Gopher): tables of numbers, symbol
    soup, base64 or URL lists. Not applied to languages written without spaces."""

    name = "word-length"
    low, high = 3.0, 10.0

    def check(self, stats: TextStats) -> str | None:
        lang = (stats.language or "").split("-")[0]
        if lang in _UNSPACED_LANGUAGES or not stats.words:
            return None
        mean = sum(map(len, stats.words)) / len(stats.words)
        if self.low <= mean <= self.high:
            return None
        return f"mean word length {mean:.1f}, outside {self.low:g}-{self.high:g}"


class SymbolRatio(Rule):
    """More than 0.1 hash signs or ellipses per word (Gopher): tag clouds, teasers."""

    name = "symbol-ratio"
    limit = 0.1

    def check(self, stats: TextStats) -> str | None:
        text = stats.text
        symbols = text.count("#") + text.count("...") + text.count("…")
        if not symbols:
            return None
        ratio = symbols / max(len(stats.words), 1)
        return f"{ratio:.2f} symbols per word, over {self.limit:g}" if ratio > self.limit else None


class EllipsisLines(Rule):
    """Over 30% of lines end in an ellipsis (Gopher): lists of truncated teasers."""

    name = "ellipsis-lines"
    limit = 0.3

    def check(self, stats: TextStats) -> str | None:
        lines = stats.lines
        if not lines:
            return None
        share = sum(line.rstrip().endswith(_ELLIPSES) for line in lines) / len(lines)
        if share > self.limit:
            return f"{share:.0%} of lines end in an ellipsis, over {self.limit:.0%}"
        return None


class BulletLines(Rule):
    """Over 90% of lines start with a bullet (Gopher): menus and link lists."""

    name = "bullet-lines"
    limit = 0.9

    def check(self, stats: TextStats) -> str | None:
        lines = stats.lines
        if not lines:
            return None
        share = sum(line.lstrip().startswith(_BULLETS) for line in lines) / len(lines)
        if share > self.limit:
            return f"{share:.0%} of lines start with a bullet, over {self.limit:.0%}"
        return None


class AlphaWords(Rule):
    """Under 80% of whitespace-separated words contain a letter (Gopher): number
    tables, code, markup."""

    name = "alpha-words"
    limit = 0.8

    def check(self, stats: TextStats) -> str | None:
        tokens = stats.text.split()
        if not tokens:
            return None
        # Most words are all letters (str.isalpha, in C); only the rest need the regex.
        # A quarter of the time of testing every character of every word in Python.
        mixed = list(filterfalse(str.isalpha, tokens))
        letterless = len(mixed) - sum(map(bool, map(_LETTER, mixed)))
        share = 1.0 - letterless / len(tokens)
        if share < self.limit:
            return f"{share:.0%} of words have a letter, under {self.limit:.0%}"
        return None


RULES: dict[str, type[Rule]] = {
    cls.name: cls for cls in (TooShort, WordLength, SymbolRatio, EllipsisLines, BulletLines,
                              AlphaWords)
}


class QualityFilter(DropStep):
    """Drop documents that fail any enabled rule; the first failing rule is the reason."""

    name = "quality"

    def __init__(self, *, min_words: int = DEFAULT_MIN_WORDS, disable: Sequence[str] = (),
                 sink: DropSink | None = None) -> None:
        super().__init__(sink)
        unknown = sorted(set(disable) - set(RULES))
        if unknown:
            raise ConfigError(f"unknown filter {', '.join(unknown)} "
                              f"(filters: {', '.join(RULES)})")
        if min_words < 0:
            raise ConfigError(f"min_words must not be negative, not {min_words}")
        self.rules: list[Rule] = []
        for name, cls in RULES.items():
            if name in disable or (cls is TooShort and min_words == 0):
                continue
            self.rules.append(TooShort(min_words) if cls is TooShort else cls())

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            stats = TextStats(doc)
            for rule in self.rules:
                why = rule.check(stats)
                if why is not None:
                    self.drop(doc, rule.name, detail=why)
                    break
            else:
                self.stats["kept"] += 1
                yield doc


class LanguageFilter(DropStep):
    """Tag every document with a language and keep only the wanted ones.

    A record's own ``language`` is trusted (clean, extract and crawl detected it on the
    cleaned text); a document without one is detected with the cleaners' detector --
    the same deterministic scorer over langdetect's profiles that fills ``language``
    for every other command. ``keep`` entries match a code or its base: ``zh`` keeps
    ``zh-cn`` and ``zh-tw``.
    """

    name = "language"

    def __init__(self, keep: Sequence[str] = (), *, detect: bool = True,
                 sink: DropSink | None = None) -> None:
        super().__init__(sink)
        self.keep = frozenset(code.strip().lower() for code in keep if code.strip())
        self.detect = detect

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            if doc.language is None and self.detect:
                doc.language = detect_language(doc.text)
                self.stats["detected"] += 1
            if doc.language is None:
                self.stats["undetermined"] += 1
            if self.keep and not self._wanted(doc.language):
                self.drop(doc, "language",
                          detail=f"{doc.language or 'undetermined'}, not "
                                 f"{', '.join(sorted(self.keep))}")
                continue
            self.stats["kept"] += 1
            yield doc

    def _wanted(self, language: str | None) -> bool:
        if language is None:
            return False
        return language in self.keep or language.split("-")[0] in self.keep
