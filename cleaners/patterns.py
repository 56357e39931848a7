"""Language-neutral shapes: numbers, dates, times, percentages, sentence ends.

Anything that depends on words of a language belongs in the vocabulary files; these
patterns only look at digits, punctuation and letter case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaners.normalize import fold, fold_text

# A block that ends like a sentence (closing quotes/brackets allowed after the mark).
# The two classes are also used as str arguments (cleaners.shape.ends_sentence).
# (؟ and ؛ are the Arabic question mark and semicolon.)
SENTENCE_MARKS = ".!?…。！？;:؟؛"
SENTENCE_CLOSERS = "\"'”’»)]"
SENTENCE_END = re.compile(
    f"[{re.escape(SENTENCE_MARKS)}][{re.escape(SENTENCE_CLOSERS)}]*$"
)
# Pieces for structural rules: numbers (1,234 / 1.2k / 15 971), words split from digits
# and camel-case joins ("Words1" -> words 1, "CountDetails" -> Count Details).
# A number glued to letters keeps its piece too ("14th" -> 14 th, "5min" -> 5 min).
PIECE = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?[kKmMbB]?\b|\d+(?=[^\W\d_])"
                   r"|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
CAMEL = re.compile(r"(?<=[a-zа-яёіїєґ])(?=[A-ZА-ЯЁІЇЄҐ])")
NUMBER = re.compile(r"^\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?[kKmMbB]?$")
HAS_DIGIT = re.compile(r"\d")
# An outcome and its chance: "Yes • 50%", or its price in cents, as prediction markets
# quote a contract ("Above $9B 62¢").
PERCENT_ROW = re.compile(
    r"^(?P<label>[^%¢]{1,80}?)\s*[•·|:–—\-]?\s*(?P<pct><?\d{1,3}(?:[.,]\d+)?)\s?[%¢]$"
)
MONEY_VOLUME = re.compile(r"^[$€£¥₴₽]?\s?\d+(?:[.,]\d+)?\s?[kKmMbB]?\b")
# Numeric dates and times: 29.10.24, 2024-10-24, 10/24/2024, 08:45, 10:02 AM; Czech,
# Slovak and formal German put a space after each dot: 12. 11. 2024.
NUMERIC_DATE = re.compile(
    r"\b(?:\d{1,2}(?:[./-]|\.\s)\d{1,2}(?:[./-]|\.\s)\d{2,4}"
    r"|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b"
)
TIME = re.compile(r"\b\d{1,2}(?::\d{2}(?::\d{2})?|h\d{2})\b")  # 08:45, 16h45
# A headline with a date (and maybe a time) glued to its end: "...than expected29.10.24, 08:45",
# "...늘어2024.11.10 18:20", "...od ledna12. 11. 2024".
TRAILING_DATETIME = re.compile(
    r"(?P<head>.*?(?:[^\W\d_\"'”’)!?]|%))\s*(?P<stamp>(?:\d{1,2}(?:[./]|\.\s)\d{1,2}(?:[./]|\.\s)\d{2,4}"
    r"|\d{4}(?:[./-]|\.\s)\d{1,2}(?:[./-]|\.\s)\d{1,2}\.?)"
    # the time after the date, perhaps after a short word ("kl. 19.45", "at 08:45")
    r"(?:\s*[,|·•\-–]?\s*(?:[^\W\d_]{1,3}\.?\s+)?\d{1,2}(?::\d{2}(?::\d{2})?|h\d{2}|\.\d{2}))?"
    r"|\d{1,2}:\d{2})$"
)
URLISH = re.compile(r"^(?:https?://|www\.)\S+$|^\S+\.(?:com|org|net|html?)(?:/\S*)?$", re.I)
# Chinese and Japanese are written without spaces between words: each Han or kana
# character counts as a word (as word processors count CJK text), anything else as a
# run of word characters. ``\w+`` alone made a whole clause one word, so a 500-character
# Chinese article counted 17 words and fell under every length threshold.
# (U+30FB, the katakana middle dot, is punctuation: "撮影・山田太郎" has a label and a name.)
CJK_RANGES = ("\u3040-\u30fa\u30fc-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
        "\uff66-\uff9f\U00020000-\U0002fa1f")
HAS_CJK = re.compile(f"[{CJK_RANGES}]")


_UNSPACED = ((0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF))


def _mark_ranges() -> str:
    """A character class body of the combining marks (Unicode categories Mn, Mc, Me).

    ``\\w`` has no marks, so it cut Hindi, Bengali or Tamil words at every vowel sign
    ("हिन्दी" was the words "ह", "न", "द"): word counts three times too high, a mean word
    length of 1.3 (the corpus dropped real Hindi as symbol soup), shingles of
    fragments. A mark belongs to the word it is written on.

    Not in scripts written without spaces (Thai, Lao, Tibetan, Myanmar, Khmer): there a
    run of letters is a phrase, and the pieces between marks, about a syllable each,
    count closer to its words."""
    import unicodedata

    category = unicodedata.category
    marks = [cp for cp in range(0x300, 0x10000)  # (the marks beyond: historic scripts)
             if category(chr(cp))[0] == "M"
             and not any(a <= cp <= b for a, b in _UNSPACED)]
    ranges: list[list[int]] = []
    for cp in marks:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in ranges)


MARKS = _mark_ranges()
_CJK_WORD = re.compile(f"[{CJK_RANGES}]|(?:[^\\W{CJK_RANGES}]|[{MARKS}])+")
_WORD = re.compile(f"[\\w{MARKS}]+")
# The cleaner's blocks, though, judge layout by length: "a headline is under 30 words,
# a paragraph over 12". A Chinese word is about two characters, so there a block's
# words are two-character pieces of each Han/kana run, and the same thresholds mean
# the same shapes in every script.
BLOCK_WORD = re.compile(f"[{CJK_RANGES}]{{1,2}}|(?:[^\\W{CJK_RANGES}]|[{MARKS}])+")
LABEL_VALUE = re.compile(r"^(?P<label>[^\W\d_][\w .'’/-]{0,30}?)\s*[:：]\s*(?P<value>.+)$")


def label_value(text: str) -> tuple[str, str] | None:
    """A "Label: value" line's folded label and its value, or None."""
    m = LABEL_VALUE.match(text)
    return (fold(m.group("label")), m.group("value")) if m else None


def words(text: str) -> list[str]:
    """The words of ``text``: ``\\w+`` runs, each Han or kana character on its own.

    What a record's ``word_count`` counts and what corpus length filters and MinHash
    shingles are made of.
    """
    return word_pattern(text).findall(text)


def word_pattern(text: str) -> re.Pattern[str]:
    """The pattern :func:`words` cuts ``text`` with (chosen once for a whole text)."""
    return _CJK_WORD if HAS_CJK.search(text) else _WORD


PIECE_CHARS = 1 << 20
_SPACE = re.compile(r"\s")


def text_pieces(text: str, size: int = PIECE_CHARS) -> Iterator[str]:
    """``text`` in consecutive slices of about ``size`` characters, each cut just before
    a whitespace character (a text with none after ``size`` stays one slice).

    Why: a list of a text's words costs about 60 bytes a word, 480 MB for a 50 MB
    document; taken a slice at a time, the words (and the lower-casing) of the slices
    are exactly those of the whole -- no word spans whitespace, and whitespace ends the
    context of the one context-dependent lower-casing (a final sigma) -- so counts and
    hashes can be gathered in bounded memory. A short text is yielded itself, uncopied.
    """
    if len(text) <= size:
        yield text
        return
    size = max(size, 1)  # (a slice of none would be cut at the same place for ever)
    start = 0
    while start < len(text):
        found = _SPACE.search(text, start + size)
        end = found.start() if found else len(text)
        yield text[start:end]
        start = end


def word_tally(text: str) -> tuple[int, int]:
    """(number of :func:`words`, their characters), without holding the word list."""
    pattern = word_pattern(text)
    count = chars = 0
    for piece in text_pieces(text):
        found = pattern.findall(piece)
        count += len(found)
        chars += sum(map(len, found))
    return count, chars


def block_words(key: str) -> list[str]:
    """A folded key's words as a block's are cut (:data:`BLOCK_WORD` where Han or kana
    occur), so vocabulary phrases and blocks agree."""
    return (BLOCK_WORD if HAS_CJK.search(key) else _WORD).findall(key)


def pieces(text: str) -> list[str]:
    """Folded numbers and letter runs of ``text``, camel-case and digit joins split.

    Give it the block's original text, not its folded key: the camel-case split needs
    the capitals ("Read CountDetails" -> read, count, details).
    """
    return PIECE.findall(fold_text(CAMEL.sub(" ", text)))


def is_number(piece: str) -> bool:
    return bool(NUMBER.match(piece))
