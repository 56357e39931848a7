"""View, read, comment and like counters: "• 15971 переглядів", "1.2K views", "5 min read";
and position counters of galleries, carousels and result lists: "Image 3 of 12",
"message 2 of 3.", "Showing 1–24 of 300 results", "Zdjęcie 2 z 5".

A counter line is made of numbers and counter words only (plus icons and bullets); an
icon that stands for the word (``symbols.counter_icons``: "👁 12 548") counts as one. The
words come from ``words.counters`` of the active vocabulary; their inflections are data.
A position counter also has a joining word ("of", "von", "з": ``words.position_joins``)
between two numbers and a counter or position word (``words.position_labels``: image,
slide, message, item, showing), or a slash between the two ("Image 3/12"). The join is
what makes it a position: "Image 3" or "Item# 17454" alone is a caption or a product
number, and "Part 2 of 3" has no counter word, so it stays a heading.
"""

from __future__ import annotations

import re

from cleaners.blocks import BlockDoc
from cleaners.patterns import HAS_DIGIT, is_number, pieces
from cleaners.rules.base import Rule

MAX_PIECES = 8


class CounterRule(Rule):
    name = "counter"
    kinds = ("position",)
    context_free = True
    description = ("a line of numbers and counter words (views, reads, comments, min read), "
                   "or a position: Image 3 of 12")

    def apply(self, doc: BlockDoc) -> None:
        vocab = doc.vocab
        counters = vocab.word_set("counters")
        labels = vocab.word_set("metadata_labels")
        positions = vocab.word_set("position_labels")
        joins = vocab.word_set("position_joins")
        icons = vocab.symbols.get("counter_icons", frozenset())
        for i, block in enumerate(doc.blocks):  # removes only block i: see Rule
            if block.removed_by is not None:
                continue
            if block.n_words > MAX_PIECES or len(block.text) > 80:
                continue
            if not HAS_DIGIT.search(block.text):
                continue
            ps = pieces(block.text)
            if not ps or len(ps) > MAX_PIECES:
                continue
            numbers = 0
            has_counter = has_position = has_join = False
            plain = True  # numbers, counter words and labels only: a plain counter
            for p in ps:
                if is_number(p):
                    numbers += 1
                elif p in counters:
                    has_counter = True
                elif p in positions:
                    has_position, plain = True, False
                elif p in joins:
                    has_join = True
                    plain = plain and p in labels  # French "de" is both
                elif p not in labels:
                    break
            else:
                if plain and numbers and (has_counter or any(c in icons for c in block.text)):
                    doc.remove(i, self.name)
                elif (has_join and numbers >= 2 and (has_counter or has_position)) or (
                        has_position and numbers == 2 and _slash_position(block.text)):
                    doc.remove(i, f"{self.name}.position")


# "Image 3/12", "사진 3 / 12", "Ảnh 3/12": a slash joins the two numbers where a word
# would ("3 of 12"); the first is a place in the second, so never larger. A third number
# ("3/12/2024") makes it a date.
_SLASH_PAIR = re.compile(r"(?<![\d/])(\d{1,4})\s*/\s*(\d{1,4})(?![\d/])")


def _slash_position(text: str) -> bool:
    m = _SLASH_PAIR.search(text)
    return m is not None and 1 <= int(m.group(1)) <= int(m.group(2))
