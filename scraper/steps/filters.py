"""Corpus steps before deduplication: normalise, language, document-quality rules.

The quality rules are document filters from Gopher (Rae et al. 2021, "Scaling Language
Models", appendix A) and C4, each a small named class with its own counter. They judge
whole documents; removing chrome inside a document is the cleaner's job (``pagewash
clean``). The ones that are cheap and rarely hurt a cleaned article run by default and
are switched off by name (``--disable word-length``). Gopher's repetition rules are
switched on by name or all at once (``--enable repetition``): they also drop about 3%
of real articles (buying guides whose every item ends in the same "Buying options"
line, course pages repeating one requirement), a trade a web-scale corpus makes
gladly and a small one may not (``python bench/corpus_filters.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import filterfalse

from cleaners.langid import detect_language, known_trigram_share
from cleaners.normalize import fold_text, normalize_text
from cleaners.patterns import CJK_RANGES, text_pieces
from scraper.document import Document
from scraper.errors import ConfigError
from scraper.pipeline import RunContext, Step
from scraper.record import document_tally, sha256_hex
from scraper.steps.drops import DropSink, DropStep
from scraper.steps.repetition import NgramRepetition

DEFAULT_MIN_WORDS = 50

# Written without spaces between words: word-length rules mean nothing there.
_UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
# Spaced, but a word (a Korean eojeol: a stem and its particles) is two to four syllable
# blocks of one character each: Gopher's lower bound of 3 was set for English, and
# dropped the hand-written Korean article of fixtures/multilingual (mean 2.9).
_SHORT_WORD_LANGUAGES = frozenset({"ko"})
# Telling those scripts for a document without a language: Han and kana (each character
# a word, cleaners.patterns.words), Thai, Lao, Khmer, Myanmar and Tibetan (no spaces
# between words), and Hangul.
_SCRIPT_SAMPLE = 6000
_LETTER_RE = re.compile(r"[^\W\d_]")
_LETTERS, _LETTER = _LETTER_RE.findall, _LETTER_RE.search
_UNSPACED_SCRIPT = re.compile(
    f"[{CJK_RANGES}\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff]").findall
_HAN_KANA = re.compile(f"[{CJK_RANGES}]").findall  # each one a word of its own (word_tally)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]").findall
_BULLETS = ("•", "·", "‣", "▪", "●", "◦", "-", "*", "–", "—")
_ELLIPSES = ("...", "…")
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n")
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

    @property
    def word_count(self) -> int:
        return document_tally(self.doc)[0]  # the tokens the record's word_count counts

    @property
    def word_chars(self) -> int:
        return document_tally(self.doc)[1]

    @cached_property
    def lines(self) -> list[str]:
        return [line for line in self.text.split("\n") if line]

    @cached_property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in _BLANK_LINES.split(self.text) if p.strip()]

    @cached_property
    def ngrams(self) -> NgramRepetition:
        return NgramRepetition.of_text(self.text)

    @cached_property
    def judged_language(self) -> str | None:
        """The language the gibberish rules judge by: the record's, else the detector's
        (under ``--no-language`` too: which words are function words, and which letter
        sequences occur, depends on it; the record stays untagged)."""
        return self.language if self.language is not None else detect_language(self.text)

    @cached_property
    def _script(self) -> str | None:
        """For a document without a language (``--no-language``, or a record the detector
        left undetermined): ``"unspaced"`` or ``"short"`` when letters of such scripts
        are most of its first part, else None. Without it word-length dropped every
        untagged Chinese, Japanese and Korean article (a mean word of 1.0 or 2.9)."""
        if self.language is not None:
            return None
        sample = self.text[:_SCRIPT_SAMPLE]
        if sample.isascii():
            return None
        letters = len(_LETTERS(sample))
        if 2 * len(_UNSPACED_SCRIPT(sample)) > letters:
            return "unspaced"
        if 2 * len(_HANGUL(sample)) > letters:
            return "short"
        return None

    @property
    def spaced(self) -> bool:
        """Words are separated by spaces (word-level rules mean something)."""
        if self._script == "unspaced":
            return False
        return (self.language or "").split("-")[0] not in _UNSPACED_LANGUAGES

    @property
    def short_words(self) -> bool:
        """A word is a few syllable blocks (Korean): only the upper length bound holds."""
        return (self._script == "short"
                or (self.language or "").split("-")[0] in _SHORT_WORD_LANGUAGES)


class Rule:
    """A document filter: :meth:`check` returns why ``stats`` fails it, or None.

    ``default``: whether it runs unless disabled (else only when enabled by name).
    """

    name = "rule"
    default = True

    def check(self, stats: TextStats) -> str | None:
        raise NotImplementedError


class TooShort(Rule):
    """Fewer than ``min_words`` words (``\\w+`` tokens, as the record's ``word_count``)."""

    name = "too-short"

    def __init__(self, min_words: int = DEFAULT_MIN_WORDS) -> None:
        self.min_words = min_words

    def check(self, stats: TextStats) -> str | None:
        n = stats.word_count
        return f"{n} words, fewer than {self.min_words}" if n < self.min_words else None


class WordLength(Rule):
    """Mean word length outside 3..10 characters (Gopher): tables of numbers, symbol
    soup, base64 or URL lists. Not applied to languages written without spaces; in
    Korean only the upper bound holds."""

    name = "word-length"
    low, high = 3.0, 10.0

    def check(self, stats: TextStats) -> str | None:
        if not stats.spaced or not stats.word_count:
            return None
        words, chars = stats.word_count, stats.word_chars
        if not stats.text.isascii():
            # Han and kana count a word a character: a page half Chinese, half English,
            # tagged English, had a mean word of 2.4 and was dropped. Those words say
            # nothing of the spaced part's word lengths.
            unspaced = len(_HAN_KANA(stats.text))
            words, chars = words - unspaced, chars - unspaced
            if words <= 0:
                return None
        mean = chars / words
        low = 1.0 if stats.short_words else self.low
        if low <= mean <= self.high:
            return None
        return f"mean word length {mean:.1f}, outside {low:g}-{self.high:g}"


class SymbolRatio(Rule):
    """More than 0.1 hash signs or ellipses per word (Gopher): tag clouds, teasers."""

    name = "symbol-ratio"
    limit = 0.1

    def check(self, stats: TextStats) -> str | None:
        text = stats.text
        symbols = text.count("#") + text.count("...") + text.count("…")
        if not symbols:
            return None
        ratio = symbols / max(stats.word_count, 1)
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
        total = letterless = 0
        # (a slice of the text at a time: the token list of a 50 MB text is 480 MB)
        for piece in text_pieces(stats.text):
            tokens = piece.split()
            total += len(tokens)
            letterless += len(tokens) - _with_letters(tokens)
        if not total:
            return None
        share = 1.0 - letterless / total
        if share < self.limit:
            return f"{share:.0%} of words have a letter, under {self.limit:.0%}"
        return None


def _with_letters(tokens: list[str]) -> int:
    """How many of ``tokens`` have a letter. Most words are all letters (str.isalpha, in
    C); only the rest need the regex: a quarter of the time of testing every character
    of every word."""
    mixed = list(filterfalse(str.isalpha, tokens))
    return len(tokens) - len(mixed) + sum(map(bool, map(_LETTER, mixed)))


class StopWords(Rule):
    """Under 5% of the words (those with a letter) are function words of the document's
    language: strings of random letters ("xkqjz wpvbn trelq."), word salad, lists of
    names. Gopher's rule asks for two of eight English stop words; here every language
    with a stop-word list in ``cleaners/vocab`` is judged by that list, and a share of
    the words, not a count, judges long documents too (a few "the" in pages of gibberish
    do not save it).

    The list is that of the language and of every other language written in its script
    (Danish, Norwegian and Swedish list only the words the others use less, and the
    detector may take one for another); real prose has 13% and more (Korean; Finnish
    and Russian 19%), random letters 0-1.5%. A language without a list (Persian, Urdu,
    Lithuanian: 0-4% of their words are in the lists of their script) is left to
    :class:`LetterNgrams`; languages written without spaces have no words to count.
    """

    name = "stop-words"
    limit = 0.05

    def check(self, stats: TextStats) -> str | None:
        if not stats.spaced:
            return None
        language = _base(stats.judged_language)
        stop = _script_stopwords().get(language or "")
        if stop is None:
            return None
        words = hits = 0
        for piece in text_pieces(stats.text):  # (bounded memory, as in AlphaWords)
            # Whitespace-separated words with a letter (prices, bullets and dashes are
            # no words here: a shop's listing is not short of function words for its
            # prices); a regex for letter runs took three times as long, and a function
            # word is seldom the one a comma or full stop is glued to.
            tokens = fold_text(piece).split()
            words += _with_letters(tokens)
            hits += sum(map(stop.__contains__, tokens))
        if not words:
            return None
        share = hits / words
        if share >= self.limit:
            return None
        return (f"{share:.1%} of {words} words are stop words of {language}, "
                f"under {self.limit:.0%}")


class LetterNgrams(Rule):
    """Under half of the letter 3-grams of a document in a language without a stop-word
    list are ones its language's profile knows (the n-gram profiles the language
    detector scores with): random letters tagged Albanian, Croatian or Swahili, which
    :class:`StopWords` has no list to judge. Real text in those languages has 76%
    (Hindi) and more, random letters 6-20%. Not applied where a stop-word list exists
    (the sharper test; Korean, a syllable a letter, has 36%) nor to unspaced scripts.
    """

    name = "letter-ngrams"
    limit = 0.5
    sample_chars = 3000

    def check(self, stats: TextStats) -> str | None:
        language = stats.judged_language
        if not stats.spaced or language is None or _base(language) in _script_stopwords():
            return None
        share = known_trigram_share(stats.text, language, self.sample_chars)
        if share is None or share >= self.limit:
            return None
        return f"{share:.0%} of letter 3-grams occur in {language} text, under {self.limit:.0%}"


def _base(language: str | None) -> str | None:
    return language.split("-")[0].lower() if language else None


@cache
def _script_stopwords() -> dict[str, frozenset[str]]:
    """Each vocabulary language's stop words joined with those of the other languages
    that share a script with it (folded, as :func:`cleaners.normalize.fold_text` folds
    the text)."""
    from cleaners.vocab import language_scripts, stopword_table

    table, scripts = stopword_table(), language_scripts()
    return {lang: frozenset().union(*(table[other] for other in table
                                      if set(scripts[other]) & set(scripts[lang])))
            for lang in table}


class _RepeatedParts(Rule):
    """Gopher's duplicate lines or paragraphs: too many of them repeat an earlier one
    (``count_limit``), or the repeats hold too much of the text (``char_limit``)."""

    default = False
    part = "part"
    count_limit, char_limit = 0.3, 0.2

    def parts(self, stats: TextStats) -> list[str]:
        raise NotImplementedError

    def check(self, stats: TextStats) -> str | None:
        parts = self.parts(stats)
        if len(parts) < 2:
            return None
        seen: set[str] = set()
        repeats = repeated_chars = 0
        for part in parts:
            if part in seen:
                repeats += 1
                repeated_chars += len(part)
            else:
                seen.add(part)
        if not repeats:
            return None
        share = repeats / len(parts)
        if share > self.count_limit:
            return f"{share:.0%} of {self.part}s repeat an earlier one, over " \
                   f"{self.count_limit:.0%}"
        chars = sum(map(len, parts))
        char_share = repeated_chars / chars
        if char_share > self.char_limit:
            return f"repeated {self.part}s hold {char_share:.0%} of the characters, over " \
                   f"{self.char_limit:.0%}"
        return None


class DuplicateLines(_RepeatedParts):
    """Over 30% of lines, or lines holding over 20% of the characters, repeat an
    earlier line (Gopher): templated listings, a block pasted down the page."""

    name = "dup-lines"
    part = "line"

    def parts(self, stats: TextStats) -> list[str]:
        return [line for line in map(str.strip, stats.lines) if line]


class DuplicateParagraphs(_RepeatedParts):
    """As :class:`DuplicateLines`, for paragraphs (text between blank lines)."""

    name = "dup-paragraphs"
    part = "paragraph"

    def parts(self, stats: TextStats) -> list[str]:
        return stats.paragraphs


class _NgramShares(Rule):
    """A Gopher n-gram rule: a share of the word characters per n, each with its limit.
    Not for languages written without spaces (their "words" are characters)."""

    default = False
    limits: tuple[tuple[int, float], ...] = ()

    def share(self, stats: TextStats, n: int) -> float:
        raise NotImplementedError

    def reason(self, n: int, share: float, limit: float) -> str:
        raise NotImplementedError

    def check(self, stats: TextStats) -> str | None:
        if not stats.spaced:
            return None
        for n, limit in self.limits:
            share = self.share(stats, n)
            if share > limit:
                return self.reason(n, share, limit)
            if share == 0.0:
                return None  # no n-gram repeats, so no longer one does either
        return None


class TopNgrams(_NgramShares):
    """The most frequent word 2-, 3- or 4-gram covers over 20%, 18% or 16% of the word
    characters (Gopher): keyword stuffing, one phrase down a whole page."""

    name = "top-ngrams"
    limits = ((2, 0.20), (3, 0.18), (4, 0.16))

    def share(self, stats: TextStats, n: int) -> float:
        return stats.ngrams.top_share(n)

    def reason(self, n: int, share: float, limit: float) -> str:
        return f"the most frequent {n}-gram covers {share:.0%}, over {limit:.0%}"


class DuplicateNgrams(_NgramShares):
    """Over 15% of the word characters lie in word 5-grams said before, or 14%, 13%,
    12%, 11%, 10% in 6- to 10-grams (Gopher): text repeated at length."""

    name = "dup-ngrams"
    limits = ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10))

    def share(self, stats: TextStats, n: int) -> float:
        return stats.ngrams.duplicate_share(n)

    def reason(self, n: int, share: float, limit: float) -> str:
        return f"{share:.0%} lies in repeated {n}-grams, over {limit:.0%}"


RULES: dict[str, type[Rule]] = {
    cls.name: cls for cls in (TooShort, WordLength, SymbolRatio, EllipsisLines, BulletLines,
                              AlphaWords, StopWords, LetterNgrams, DuplicateLines,
                              DuplicateParagraphs, TopNgrams, DuplicateNgrams)
}
# Names that stand for several rules in ``enable`` and ``disable``.
GROUPS: dict[str, tuple[str, ...]] = {
    "gibberish": (StopWords.name, LetterNgrams.name),
    "repetition": (DuplicateLines.name, DuplicateParagraphs.name, TopNgrams.name,
                   DuplicateNgrams.name),
}


class QualityFilter(DropStep):
    """Drop documents that fail any enabled rule; the first failing rule is the reason."""

    name = "quality"

    def __init__(self, *, min_words: int = DEFAULT_MIN_WORDS, disable: Sequence[str] = (),
                 enable: Sequence[str] = (), sink: DropSink | None = None) -> None:
        super().__init__(sink)
        off, on = _rule_names(disable), _rule_names(enable)
        if min_words < 0:
            raise ConfigError(f"min_words must not be negative, not {min_words}")
        self.rules: list[Rule] = []
        for name, cls in RULES.items():
            wanted = cls.default or name in on
            if not wanted or name in off or (cls is TooShort and min_words == 0):
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


def _rule_names(names: Sequence[str]) -> set[str]:
    """Rule names, groups expanded; an unknown name is an error that lists the known."""
    unknown = sorted(set(names) - set(RULES) - set(GROUPS))
    if unknown:
        raise ConfigError(f"unknown filter {', '.join(unknown)} "
                          f"(filters: {', '.join([*RULES, *GROUPS])})")
    return {rule for name in names for rule in GROUPS.get(name, (name,))}


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
            if self.keep and not self.wanted(doc.language):
                self.drop(doc, "language",
                          detail=f"{doc.language or 'undetermined'}, not "
                                 f"{', '.join(sorted(self.keep))}")
                continue
            self.stats["kept"] += 1
            yield doc

    def wanted(self, language: str | None) -> bool:
        """Whether ``--lang`` keeps a document of ``language``."""
        if language is None:
            return False
        return language in self.keep or language.split("-")[0] in self.keep
