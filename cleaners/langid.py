"""Language: cheap script/stop-word choice of vocabulary, and langdetect for the record.

langdetect costs ~0.4 ms per trial plus time linear in the text, so it runs once per
document on a bounded sample of the *cleaned* text, with a fixed seed (deterministic)
and few trials. Choosing which chrome vocabulary applies must happen before cleaning
and on every document, so it uses only script counts and stop-word hits.
"""

from __future__ import annotations

import math
import re
import threading
from array import array
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from cleaners.normalize import fold
from cleaners.vocab import available_languages, language_scripts, stopword_table

if TYPE_CHECKING:
    from cleaners.blocks import Block

# Unicode blocks of the scripts our vocabularies are written in (coarse on purpose).
SCRIPT_RANGES = {
    "Cyrillic": re.compile(r"[\u0400-\u04ff\u0500-\u052f]"),
    "Greek": re.compile(r"[\u0370-\u03ff]"),
    "Arabic": re.compile(r"[\u0600-\u06ff]"),
    "Hebrew": re.compile(r"[\u0590-\u05ff]"),
    "Han": re.compile(r"[\u4e00-\u9fff]"),
    "Kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"),  # Japanese
    # Korean: syllables, and the jamo that make them (sites rarely print bare jamo)
    "Hangul": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
}
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")  # Latin letters only
SAMPLE_CHARS = 6000
MIN_SCRIPT_CHARS = 3
MIN_STOPWORD_HITS = 3
BASE_LANGUAGE = "en"  # chrome words of many non-English sites are English ("Share", "Login")


_ANY_SCRIPT = re.compile(
    "[" + "".join(p.pattern[1:-1] for p in SCRIPT_RANGES.values()) + "]"
)


def scripts_present(text: str) -> list[str]:
    """Scripts with at least a few letters in the text's first part (Latin always).

    One scan finds every letter of any listed script; the distinct letters (a few
    dozen even in Cyrillic text) are then sorted into scripts.
    """
    sample = text[:SAMPLE_CHARS]
    if sample.isascii():
        return ["Latin"]
    counts = Counter(_ANY_SCRIPT.findall(sample))
    if not counts:
        return ["Latin"]
    per_script: Counter[str] = Counter()
    for ch, n in counts.items():
        for script, pattern in SCRIPT_RANGES.items():
            if pattern.match(ch):
                per_script[script] += n
                break
    return ["Latin", *(s for s in SCRIPT_RANGES if per_script[s] >= MIN_SCRIPT_CHARS)]


@cache
def _stopword_languages() -> dict[str, tuple[str, ...]]:
    """Stop word -> the languages it is a stop word of (one pass over a text's words)."""
    out: dict[str, list[str]] = {}
    for lang, stops in stopword_table().items():
        for w in stops:
            out.setdefault(w, []).append(lang)
    return {w: tuple(v) for w, v in out.items()}


def count_stopwords(words: list[str], languages: tuple[str, ...]) -> Counter[str]:
    """Stop-word hits per language among already-folded ``words``."""
    index = _stopword_languages()
    wanted = set(languages)
    hits: Counter[str] = Counter({lang: 0 for lang in languages})
    counts = Counter(words)
    # only the stop words among the text's words (a dict-view intersection, in C); the
    # sums are integers, so the order they are added in does not matter
    for w in index.keys() & counts.keys():
        c = counts[w]
        for lang in index[w]:
            if lang in wanted:
                hits[lang] += c
    return hits


def stopword_hits(text: str, languages: tuple[str, ...]) -> Counter[str]:
    return count_stopwords(_WORD.findall(fold(text[:SAMPLE_CHARS])), languages)


@cache
def _languages_by_script() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for lang, scripts in language_scripts().items():
        for s in scripts:
            out.setdefault(s, []).append(lang)
    return {k: tuple(v) for k, v in out.items()}


def vocab_languages(text: str, words: list[str] | None = None) -> tuple[str, ...]:
    """Which vocabulary files apply: English, every language of a non-Latin script in
    the text, and the Latin-script language with most stop-word hits.

    ``words`` (folded, e.g. the blocks' words) saves re-tokenising ``text``.
    """
    by_script = _languages_by_script()
    chosen = {BASE_LANGUAGE} & set(available_languages())
    scripts = scripts_present(text)
    for script in scripts:
        if script == "Latin":
            latin = tuple(lang for lang in by_script.get("Latin", ()) if lang != BASE_LANGUAGE)
            if latin:
                if len(scripts) > 1:
                    # Only words written in Latin letters: folding writes Greek "το",
                    # "ο", "τα" and Cyrillic "а", "о" as the Latin look-alikes, and a
                    # Greek page got Czech chrome words for its Latin "to", "o", "ta".
                    latin_words = " ".join(_LATIN_WORD.findall(text[:SAMPLE_CHARS]))
                    sample = _WORD.findall(fold(latin_words))  # (one fold, not one a word)
                elif words is not None:
                    sample = words
                else:
                    sample = _WORD.findall(fold(text[:SAMPLE_CHARS]))
                hits = count_stopwords(sample, (*latin, BASE_LANGUAGE))
                best, count = max(hits.items(), key=lambda kv: (kv[1], kv[0]))
                if best != BASE_LANGUAGE and count >= MIN_STOPWORD_HITS:
                    chosen.add(best)
        else:
            chosen.update(by_script.get(script, ()))
    return tuple(sorted(chosen))


def block_vocab_languages(blocks: list[Block]) -> tuple[str, ...]:
    """:func:`vocab_languages` of the text the blocks make, from a bounded sample."""
    texts: list[str] = []
    words: list[str] = []
    size = 0
    for b in blocks:
        texts.append(b.text)
        words.extend(b.words)
        size += len(b.text) + 1
        if size >= SAMPLE_CHARS:
            break
    return vocab_languages("\n".join(texts), words)


# --- language of the cleaned text: langdetect's profiles, scored deterministically ------
#
# langdetect samples n-grams at random over several trials (~0.4 ms a trial plus a
# per-character Python loop, ~1.5 ms a document). Here the same profiles and the same
# character normalisation score *every* n-gram of a bounded sample at once (naive Bayes
# with langdetect's smoothing, a numpy row sum): the same model, deterministic, and
# about ten times cheaper.

DETECT_SAMPLE_CHARS = 600
SAMPLE_PIECES = 4  # paragraphs that share the sample (see detection_sample)
_NON_ASCII_LETTER = re.compile(r"[^A-Za-z]+")
_LATIN = re.compile(r"[A-z]")  # langdetect's 'A' <= ch <= 'z' (includes [\]^_`)
_NON_LATIN = re.compile(r"[\u0300-\U0010ffff]")
MIN_LETTERS = 20
MIN_NGRAMS = 12
_ALPHA = 0.5  # langdetect's default smoothing weight
_BASE_FREQ = 10000
_lock = threading.Lock()


def _gram_key(gram: str) -> int:
    """An n-gram of 1-3 characters as one integer: 21 bits per code point."""
    key = 0
    for i, ch in enumerate(gram):
        key |= ord(ch) << (21 * i)
    return key


class ProfileDetector:
    """Naive Bayes over langdetect's language profiles (loaded once per process).

    langdetect keeps a Python list of 55 floats per n-gram (~75 MB per process); here
    the profiles are a sparse matrix (n-gram -> the languages that have it) indexed by
    a sorted array of integer n-gram keys: about 3 MB of numpy and no Python objects
    per n-gram, which matters when every extraction worker shares the tables
    copy-on-write (a dict of 90,000 strings and ints gets its pages copied into each
    worker as lookups touch reference counts). A language without an n-gram scores
    log(alpha) for it, the same for all; only the excess over that is stored, and
    scores are the sums of those excesses.
    """

    def __init__(self) -> None:
        import json
        import os

        import numpy as np
        from langdetect.detector import Detector
        from langdetect.detector_factory import PROFILES_DIRECTORY
        from langdetect.utils.ngram import NGram

        floor = _ALPHA / _BASE_FREQ
        self.langs: list[str] = []
        index: dict[int, int] = {}  # n-gram key -> row, while loading only
        rows, langs, excess = array("i"), array("h"), array("d")  # compact while loading
        for name in sorted(os.listdir(PROFILES_DIRECTORY)):
            with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as f:
                profile = json.load(f)
            lang = len(self.langs)
            self.langs.append(profile["name"])
            n_words = profile["n_words"]
            for gram, count in profile["freq"].items():
                if not 1 <= len(gram) <= 3:
                    continue
                rows.append(index.setdefault(_gram_key(gram), len(index)))
                langs.append(lang)
                excess.append(math.log(count / n_words[len(gram) - 1] + floor)
                              - math.log(floor))
            del profile
        row_of = np.frombuffer(rows, dtype=np.int32)
        order = np.argsort(row_of, kind="stable")
        self.indptr = np.concatenate(
            [[0], np.cumsum(np.bincount(row_of, minlength=len(index)))])
        self.lang_idx = np.frombuffer(langs, dtype=np.int16)[order].copy()
        self.excess = np.frombuffer(excess, dtype=np.float64)[order].copy()
        keys = np.fromiter(index.keys(), dtype=np.uint64, count=len(index))
        by_key = np.argsort(keys)
        self.keys = keys[by_key]  # sorted n-gram keys
        self.key_rows = np.fromiter(index.values(), dtype=np.int64, count=len(index))[by_key]
        del index
        self._np = np
        self._normalize_char = NGram.normalize
        self._normalize_vi = NGram.normalize_vi
        self._url = Detector.URL_RE
        self._mail = Detector.MAIL_RE
        self._chars: dict[str, str] = {}
        # for known_trigram_share, built when first asked for
        self._lengths: Any = None  # each row's n-gram length
        self._rows_of: dict[str, Any] = {}  # language -> which rows its profile has

    def _norm(self, text: str) -> str:
        table = self._chars
        out = []
        for ch in text:
            n = table.get(ch)
            if n is None:
                n = table[ch] = self._normalize_char(ch)
            out.append(n)
        return "".join(out)

    def ngrams(self, text: str) -> Any:
        """Rows of the profile n-grams of ``text`` (with repeats), as langdetect's NGram
        buffer yields them: the 1-, 2- and 3-grams of each word padded with a space.

        The words are joined by single spaces and the grams read off that one code-point
        array at once: every character but a space is a 1-gram, every pair a 2-gram, and
        every triple whose middle is not a space a 3-gram (one with a space in the
        middle would straddle two words).
        """
        np = self._np
        text = self._mail.sub(" ", self._url.sub(" ", text))
        if text.isascii():
            # NGram.normalize on ASCII keeps letters and blanks everything else
            text = _NON_ASCII_LETTER.sub(" ", text)
        else:
            text = self._normalize_vi(text)
            latin = len(_LATIN.findall(text))
            other = len(_NON_LATIN.findall(text))
            if latin * 2 < other:  # langdetect drops Latin runs from non-Latin text
                text = _LATIN.sub("", text)
            text = self._norm(text)
        # langdetect skips all-capital words (acronyms, shouting)
        words = [w for w in text.split() if len(w) == 1 or not w.isupper()]
        if not words:
            return np.zeros(0, dtype=np.int64)
        cp = np.frombuffer(f" {' '.join(words)} ".encode("utf-32-le", "surrogatepass"),
                           dtype=np.uint32).astype(np.uint64)
        space = cp == 32
        one = cp[~space]
        two = cp[:-1] | (cp[1:] << np.uint64(21))
        three = (cp[:-2] | (cp[1:-1] << np.uint64(21)) | (cp[2:] << np.uint64(42)))[~space[1:-1]]
        grams = np.concatenate([one, two, three])
        at = np.searchsorted(self.keys, grams)
        at[at == len(self.keys)] = 0
        return self.key_rows[at[self.keys[at] == grams]]

    def known_trigram_share(self, sample: str, language: str) -> float | None:
        """The share of the letters of ``sample`` whose 3-gram (the letter in the middle,
        as the detector reads a text: one 3-gram a letter) ``language``'s profile has:
        how much the text looks like that language's letters at all, whichever language
        scores best. None when there is no profile of ``language`` or no letter."""
        np = self._np
        if language not in self.langs:
            return None
        if self._lengths is None:
            keys = np.empty(len(self.keys), dtype=np.uint64)
            keys[self.key_rows] = self.keys  # each row's n-gram, 21 bits a character
            self._lengths = 1 + (keys >> np.uint64(21) > 0) + (keys >> np.uint64(42) > 0)
        has = self._rows_of.get(language)
        if has is None:
            row = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))
            has = np.zeros(len(self.indptr) - 1, dtype=bool)
            has[row[self.lang_idx == self.langs.index(language)]] = True
            self._rows_of[language] = has
        ids = self.ngrams(sample)
        n = self._lengths[ids]
        letters = int((n == 1).sum())  # 1-grams: the letters any profile knows
        return float(has[ids[n == 3]].sum()) / letters if letters else None

    def detect(self, sample: str) -> str | None:
        ids = self.ngrams(sample)
        if len(ids) < MIN_NGRAMS:
            return None
        np = self._np
        grams, counts = np.unique(ids, return_counts=True)
        starts = self.indptr[grams]
        lengths = self.indptr[grams + 1] - starts
        # positions of every (n-gram, language) entry of the sample's n-grams
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        pos = offsets + np.arange(int(lengths.sum()))
        scores = np.bincount(self.lang_idx[pos], weights=self.excess[pos] * np.repeat(
            counts, lengths), minlength=len(self.langs))
        return self.langs[int(scores.argmax())]


@cache
def detectable_languages() -> tuple[str, ...]:
    """The codes :func:`detect_language` can give (langdetect's profiles: ISO 639-1,
    with ``zh-cn`` and ``zh-tw``)."""
    import os

    from langdetect.detector_factory import PROFILES_DIRECTORY

    return tuple(sorted(os.listdir(PROFILES_DIRECTORY)))


@cache
def _detector() -> ProfileDetector:
    with _lock:
        return ProfileDetector()


def known_trigram_share(text: str, language: str, limit: int = 3000) -> float | None:
    """How much of a sample of ``text`` is letter sequences ``language`` uses
    (:meth:`ProfileDetector.known_trigram_share`): random letters tagged with a
    language score low in it, real text of that language high."""
    if language not in detectable_languages():
        language = language.split("-")[0].lower()  # a record's own tag: "en-GB"
    return _detector().known_trigram_share(detection_sample(text, limit), language)


def detection_sample(text: str, limit: int = DETECT_SAMPLE_CHARS,
                     pieces: int = SAMPLE_PIECES) -> str:
    """A bounded, representative sample: pieces of the longest paragraphs, in order
    (``limit`` characters of them, and a space between two).

    Long paragraphs are prose; short lines that survive cleaning (names, numbers,
    labels) mislead n-gram language models out of proportion to their length. But one
    paragraph is no sample of a document: an English article quoting one long Spanish
    paragraph was tagged ``es`` (and dropped by ``corpus --lang en``). So no paragraph
    gives more than a ``pieces``-th of ``limit`` while other prose-length ones (half
    that share or more) are left; only what they cannot fill comes from the longest.
    On WCXB's cleaned dumps this took the disagreements with langdetect on the whole
    text from 6 to 2 of 1,459 (both product listings of Spanish names), for 0.19 ms
    more per document.
    """
    if len(text) <= limit:
        return text
    paras = [p for p in text.split("\n") if p]
    ranked = sorted(range(len(paras)), key=lambda i: -len(paras[i]))
    share = limit // pieces
    take: dict[int, int] = {}
    total = 0
    for i in ranked:  # a share from each paragraph long enough to be prose
        if total >= limit or len(paras[i]) < share // 2:
            break
        take[i] = min(len(paras[i]), share, limit - total)
        total += take[i]
    for i in ranked:  # too few of them: the longest give more
        if total >= limit:
            break
        extra = min(len(paras[i]) - take.get(i, 0), limit - total)
        take[i] = take.get(i, 0) + extra
        total += extra
    return " ".join(paras[i][: take[i]] for i in sorted(take))


def detect_language(text: str, *, sample_chars: int = DETECT_SAMPLE_CHARS) -> str | None:
    """ISO 639-1 code (langdetect's, e.g. ``en``, ``uk``, ``zh-cn``) or None if unsure."""
    sample = detection_sample(text, sample_chars)
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    return _detector().detect(sample)


def detect_language_langdetect(text: str, *, trials: int = 7) -> str | None:
    """langdetect itself (random trials, fixed seed), for comparison in the benchmark."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory(DetectorFactory, PROFILES_DIRECTORY)
    detector = factory.create()
    detector.n_trial = trials
    detector.append(text)
    try:
        return str(detector.detect())
    except LangDetectException:
        return None


@cache
def _langdetect_factory(cls: Callable[[], Any], directory: str) -> Any:  # (langdetect: untyped)
    factory = cls()
    factory.load_profile(directory)
    factory.set_seed(0)
    return factory
