"""View, read, comment and like counters: "• 15971 переглядів", "1.2K views", "5 min read".

A counter line is made of numbers and counter words only (plus icons and bullets). The
words come from ``words.counters`` of the active vocabulary; their inflections are data.
"""

from __future__ import annotations

from cleaners.blocks import BlockDoc
from cleaners.patterns import HAS_DIGIT, is_number, pieces
from cleaners.rules.base import Rule

MAX_PIECES = 8


class CounterRule(Rule):
    name = "counter"
    context_free = True
    description = "a line of numbers and counter words (views, reads, comments, min read)"

    def apply(self, doc: BlockDoc) -> None:
        words = doc.vocab.word_set("counters") | doc.vocab.word_set("metadata_labels")
        counters = doc.vocab.word_set("counters")
        for i, block in doc.iter_alive():
            if block.n_words > MAX_PIECES or len(block.text) > 80:
                continue
            if not HAS_DIGIT.search(block.text):
                continue
            ps = pieces(block.text)
            if not ps or len(ps) > MAX_PIECES:
                continue
            has_number = has_counter = False
            for p in ps:
                if is_number(p):
                    has_number = True
                elif p in counters:
                    has_counter = True
                elif p not in words:
                    break
            else:
                if has_number and has_counter:
                    doc.remove(i, self.name)
