"""Block shapes shared by rules: prose, headline, short label.

Kept in one place so that every rule means the same thing by "a headline-like line".
"""

from __future__ import annotations

from cleaners.blocks import Block
from cleaners.normalize import fold
from cleaners.patterns import SENTENCE_CLOSERS, SENTENCE_MARKS


def ends_sentence(block: Block) -> bool:
    """``patterns.SENTENCE_END`` found in the block's last six characters, with str methods.

    Called several times per block per pass, so it avoids the regex call: the pattern
    is a mark then only closers to the end, i.e. the tail with its closers stripped
    ends with a mark (marks and closers are disjoint). ``$`` also matches before a final
    newline, which a block never has, but the tail is cut before one all the same.
    """
    tail = block.text[-6:]
    if tail.endswith("\n"):
        tail = tail[:-1]
    return tail.rstrip(_CLOSERS).endswith(_MARKS)


_MARKS = tuple(SENTENCE_MARKS)
_CLOSERS = SENTENCE_CLOSERS


def is_prose(block: Block, min_words: int = 12) -> bool:
    """A paragraph of running text: long enough and ending like a sentence."""
    return block.n_words >= min_words and ends_sentence(block)


def is_long_prose(block: Block) -> bool:
    return block.n_words >= 25 and ends_sentence(block)


def is_headline_like(block: Block, max_words: int = 30) -> bool:
    """A title or link text: a handful of words that do not end like a sentence.

    Question and exclamation marks are allowed (headlines use them), a final full stop
    is not (nor the full-width ones of Chinese and Japanese, nor the Arabic comma and
    semicolon).
    """
    n = block.n_words
    if n < 2 or n > max_words:
        return False
    text = block.text.rstrip("\"'”’»)] 」』）")
    return not text.endswith((".", ";", ",", ":", "。", "；", "，", "：", "،", "؛"))


def is_caseless_letter(ch: str) -> bool:
    """A letter of a script without letter case (Arabic, Hebrew, Hangul, Han): there no
    capital marks a name or a headline's first word."""
    return ch.isalpha() and not ch.isupper() and not ch.islower()


def is_name_word(word: str, particles: frozenset[str], stop: frozenset[str] = frozenset()
                 ) -> bool:
    """A word of a personal name: capitalised letters (a hyphen or an apostrophe inside:
    "Jean-Luc", "O'Brien"), no stop word; or a lower-case name particle ("van", "de")."""
    key = fold(word)
    return (word[:1].isupper() and word.replace("-", "").replace("'", "").isalpha()
            and key not in stop) or key in particles
