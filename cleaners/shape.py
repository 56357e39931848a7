"""Block shapes shared by rules: prose, headline, short label.

Kept in one place so that every rule means the same thing by "a headline-like line".
"""

from __future__ import annotations

from cleaners.blocks import Block
from cleaners.patterns import SENTENCE_END


def ends_sentence(block: Block) -> bool:
    # the pattern is anchored at the end; searching only the tail avoids a scan of
    # the whole paragraph
    return bool(SENTENCE_END.search(block.text[-6:]))


def is_prose(block: Block, min_words: int = 12) -> bool:
    """A paragraph of running text: long enough and ending like a sentence."""
    return block.n_words >= min_words and ends_sentence(block)


def is_long_prose(block: Block) -> bool:
    return block.n_words >= 25 and ends_sentence(block)


def is_headline_like(block: Block, max_words: int = 30) -> bool:
    """A title or link text: a handful of words that do not end like a sentence.

    Question and exclamation marks are allowed (headlines use them), a final full stop
    is not (nor the full-width ones of Chinese and Japanese).
    """
    n = block.n_words
    if n < 2 or n > max_words:
        return False
    text = block.text.rstrip("\"'”’»)] 」』）")
    return not text.endswith((".", ";", ",", ":", "。", "；", "，", "："))


def is_short(block: Block, max_words: int = 4) -> bool:
    return block.n_words <= max_words
