"""jusText-style classification for blocks no specific rule recognised.

Features per block give a first label (good prose / bad boilerplate / short, undecided);
then context decides the undecided ones from their nearest decided neighbours. This is
the plain-heuristics classifier; the trained block model (``cleaners.model``) replaces it
when its data file is present, and the benchmark compares the two on held-out pages.
"""

from __future__ import annotations

from cleaners.blocks import Block, BlockDoc
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence

GOOD, BAD, SHORT = "good", "bad", "short"
LENGTH_LOW, LENGTH_HIGH = 8, 25
STOP_LOW, STOP_HIGH = 0.15, 0.28
MAX_SHORT_BETWEEN = 12


def stopword_ratio(block: Block, stopwords: frozenset[str]) -> float:
    if not block.words:
        return 0.0
    return sum(w in stopwords for w in block.words) / len(block.words)


def first_label(block: Block, stopwords: frozenset[str]) -> str:
    n = block.n_words
    ratio = stopword_ratio(block, stopwords)
    if n < LENGTH_LOW:
        return SHORT if ends_sentence(block) or n > 2 else BAD
    if ratio >= STOP_HIGH and (n >= LENGTH_HIGH or ends_sentence(block)):
        return GOOD
    if ratio < STOP_LOW and not ends_sentence(block):
        return BAD
    return GOOD if n >= LENGTH_HIGH and ratio >= STOP_LOW else SHORT


class ContextRule(Rule):
    name = "context"
    kinds = ("bad", "short")
    description = "heuristic block classifier: length, stop words, punctuation, then neighbours"

    def apply(self, doc: BlockDoc) -> None:
        stopwords = doc.vocab.stopwords
        alive = doc.alive()
        labels = [first_label(doc.blocks[i], stopwords) for i in alive]
        n = len(labels)
        final = list(labels)
        for k, label in enumerate(labels):
            if label != SHORT:
                continue
            prev = next((labels[j] for j in range(k - 1, max(-1, k - MAX_SHORT_BETWEEN), -1)
                         if labels[j] != SHORT), BAD)
            nxt = next((labels[j] for j in range(k + 1, min(n, k + MAX_SHORT_BETWEEN))
                        if labels[j] != SHORT), BAD)
            final[k] = GOOD if prev == GOOD and nxt == GOOD else (
                GOOD if GOOD in (prev, nxt) and doc.blocks[alive[k]].n_words >= 5
                and ends_sentence(doc.blocks[alive[k]]) else BAD
            )
        for k, label in enumerate(final):
            if label == BAD:
                rule = f"{self.name}.bad" if labels[k] == BAD else f"{self.name}.short"
                doc.remove(alive[k], rule)
