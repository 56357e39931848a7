"""Language: cheap script/stop-word choice of vocabulary, and langdetect for the record.

langdetect costs ~0.4 ms per trial plus time linear in the text, so it runs once per
document on a bounded sample of the *cleaned* text, with a fixed seed (deterministic)
and few trials. Choosing which chrome vocabulary applies must happen before cleaning
and on every document, so it uses only script counts and stop-word hits.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from functools import cache

from cleaners.normalize import fold
from cleaners.vocab import available_languages, language_scripts, stopword_table

# Unicode blocks of the scripts our vocabularies are written in (coarse on purpose).
SCRIPT_RANGES = {
    "Cyrillic": re.compile(r"[\u0400-\u04ff\u0500-\u052f]"),
    "Greek": re.compile(r"[\u0370-\u03ff]"),
    "Arabic": re.compile(r"[\u0600-\u06ff]"),
    "Hebrew": re.compile(r"[\u0590-\u05ff]"),
    "Han": re.compile(r"[\u4e00-\u9fff]"),
}
_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_CHARS = 6000
MIN_SCRIPT_CHARS = 3
MIN_STOPWORD_HITS = 3
BASE_LANGUAGE = "en"  # chrome words of many non-English sites are English ("Share", "Login")


def scripts_present(text: str) -> list[str]:
    sample = text[:SAMPLE_CHARS]
    if sample.isascii():
        return ["Latin"]
    found = ["Latin"]
    for script, pattern in SCRIPT_RANGES.items():
        if len(pattern.findall(sample, 0, SAMPLE_CHARS)) >= MIN_SCRIPT_CHARS:
            found.append(script)
    return found


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
    for w, c in Counter(words).items():
        for lang in index.get(w, ()):
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
    for script in scripts_present(text):
        if script == "Latin":
            latin = tuple(lang for lang in by_script.get("Latin", ()) if lang != BASE_LANGUAGE)
            if latin:
                sample = words if words is not None else _WORD.findall(fold(text[:SAMPLE_CHARS]))
                hits = count_stopwords(sample, (*latin, BASE_LANGUAGE))
                best, count = max(hits.items(), key=lambda kv: (kv[1], kv[0]))
                if best != BASE_LANGUAGE and count >= MIN_STOPWORD_HITS:
                    chosen.add(best)
        else:
            chosen.update(by_script.get(script, ()))
    return tuple(sorted(chosen))


def block_vocab_languages(blocks: list) -> tuple[str, ...]:  # list[Block]; no import cycle
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


# --- langdetect -----------------------------------------------------------------------

DETECT_SAMPLE_CHARS = 400
DETECT_TRIALS = 2
MIN_LETTERS = 20
MIN_PROBABILITY = 0.5
_lock = threading.Lock()


@cache
def _factory():  # type: ignore[no-untyped-def]
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def detection_sample(text: str, limit: int = DETECT_SAMPLE_CHARS) -> str:
    """A bounded, representative sample: the longest paragraphs, in document order.

    Long paragraphs are prose; short lines that survive cleaning (names, numbers,
    labels) mislead n-gram language models out of proportion to their length.
    """
    if len(text) <= limit:
        return text
    paras = [p for p in text.split("\n") if p]
    ranked = sorted(range(len(paras)), key=lambda i: -len(paras[i]))
    picked: list[int] = []
    total = 0
    for i in ranked:
        picked.append(i)
        total += len(paras[i]) + 1
        if total >= limit:
            break
    return " ".join(paras[i] for i in sorted(picked))[:limit]


def detect_language(text: str, *, sample_chars: int = DETECT_SAMPLE_CHARS,
                    trials: int = DETECT_TRIALS) -> str | None:
    """ISO 639-1 code (langdetect's, e.g. ``en``, ``uk``, ``zh-cn``) or None if unsure."""
    from langdetect.lang_detect_exception import LangDetectException

    sample = detection_sample(text, sample_chars)
    if len(_WORD.findall(sample)) < 3 or sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    factory = _factory()
    with _lock:  # langdetect's factory shares a random generator seed across detectors
        detector = factory.create()
        detector.n_trial = trials
        detector.set_max_text_length(sample_chars)
        detector.append(sample)
        try:
            probs = detector.get_probabilities()
        except LangDetectException:
            return None
    if not probs or probs[0].prob < MIN_PROBABILITY:
        return None
    return str(probs[0].lang)
