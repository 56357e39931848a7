"""Within-document repetition: a paragraph or the whole article printed twice, a teaser
or "Summary" that is the lead cut short, the title repeated in the body.

Exact repeats are found by key; near repeats by word-trigram Jaccard; truncations by
token prefix/containment. Short blocks are exempt: a repeated "Reply" or "1" is not a
duplicated paragraph, and other rules judge it.
"""

from __future__ import annotations

from cleaners.blocks import BlockDoc
from cleaners.rules.base import Rule

MIN_WORDS = 6
NEAR_MIN_WORDS = 12
NEAR_JACCARD = 0.8
TRUNC_MIN_WORDS = 8


class ExactDuplicateRule(Rule):
    name = "dedup.exact"
    description = "a block repeated word for word (after normalisation); the later copy goes"

    def apply(self, doc: BlockDoc) -> None:
        seen: set[str] = set()
        for i, block in doc.iter_alive():
            if block.n_words < MIN_WORDS:
                continue
            if block.key in seen:
                doc.remove(i, self.name)
            else:
                seen.add(block.key)


def _trigrams(words: list[str]) -> set[tuple[str, str, str]]:
    return {(words[j], words[j + 1], words[j + 2]) for j in range(len(words) - 2)}


class NearDuplicateRule(Rule):
    name = "dedup.near"
    description = "a block that is almost the same as an earlier one (trigram Jaccard >= 0.8)"

    def apply(self, doc: BlockDoc) -> None:
        kept: list[tuple[int, set[tuple[str, str, str]]]] = []
        index: dict[tuple[str, str, str], list[int]] = {}
        for i, block in doc.iter_alive():
            if block.n_words < NEAR_MIN_WORDS:
                continue
            grams = _trigrams(block.words)
            candidates: dict[int, int] = {}
            for g in grams:
                for c in index.get(g, ()):
                    candidates[c] = candidates.get(c, 0) + 1
            duplicate = False
            for c, shared in candidates.items():
                other = kept[c][1]
                if shared / (len(grams) + len(other) - shared) >= NEAR_JACCARD:
                    duplicate = True
                    break
            if duplicate:
                doc.remove(i, self.name)
                continue
            pos = len(kept)
            kept.append((i, grams))
            for g in grams:
                index.setdefault(g, []).append(pos)


class TruncatedRepeatRule(Rule):
    name = "dedup.truncated"
    description = "a block that is another block cut short (teasers, summaries, ellipses)"

    def apply(self, doc: BlockDoc) -> None:
        alive = [(i, b) for i, b in doc.iter_alive() if b.n_words >= TRUNC_MIN_WORDS]
        if len(alive) < 2:
            return
        # Index each block's word 4-grams (start positions) to find containing blocks fast.
        index: dict[tuple[str, ...], list[int]] = {}
        for pos, (_, b) in enumerate(alive):
            w = b.words
            for j in range(len(w) - 3):
                index.setdefault(tuple(w[j : j + 4]), []).append(pos)
        for pos, (i, b) in enumerate(alive):
            # drop the last word: a cut-off teaser often ends mid-word ("Vladivos…")
            probe = b.words[:-1]
            head = tuple(probe[:4])
            for other_pos in set(index.get(head, ())):
                if other_pos == pos:
                    continue
                other = alive[other_pos][1]
                if other.n_words <= b.n_words:
                    continue
                if _contains(other.words, probe):
                    doc.remove(i, self.name)
                    break


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    first = needle[0]
    for j in range(len(haystack) - n + 1):
        if haystack[j] == first and haystack[j : j + n] == needle:
            return True
    return False
