"""Within-document repetition: a paragraph or the whole article printed twice, a teaser
or "Summary" that is the lead cut short, the title repeated in the body.

Exact repeats are found by key; near repeats by word-trigram Jaccard; truncations by
token prefix/containment. Short blocks are exempt: a repeated "Reply" or "1" is not a
duplicated paragraph, and other rules judge it.
"""

from __future__ import annotations

from cleaners.blocks import Block, BlockDoc
from cleaners.patterns import block_words
from cleaners.rules.base import Rule
from cleaners.shape import ends_sentence, is_prose

# A repeated line shorter than this is a label or a product name shown twice (carousel,
# sticky bar), which the classifier judges with its repeat count; on WCXB pages such
# repeats are as often part of the main content as not.
MIN_WORDS = 10
PASSAGE_MIN_WORDS = 3  # shorter repeats ("Reply", "1") never count as passage lines
NEAR_MIN_WORDS = 12
DOUBTED_WORDS = 15  # a paragraph of running text, whose first copy a repeat vouches for
NEAR_JACCARD = 0.8
SIGNATURE_WORDS = 60
TRUNC_MIN_WORDS = 8
# A block is compared with at most this many others of its bucket (near repeats: the
# latest earlier blocks with its signature; teasers: the last blocks that open with its
# words). A templated page (5,000 listings that differ in one name) puts every block in
# one bucket, and comparing each with all the others took minutes for one document. On
# the 1,497 WCXB dumps no bucket holds more than 89 blocks, and no output changes.
CANDIDATES = 64


class ExactDuplicateRule(Rule):
    name = "dedup.exact"
    description = "a block repeated word for word (after normalisation); the later copy goes"

    def apply(self, doc: BlockDoc) -> None:
        seen: set[str] = set()
        seen_short: set[str] = set()
        short_repeats: list[int] = []
        # Paragraphs the classifier alone took, by key: the first copy of one it keeps
        # further down. (Removes block i, or gives back an earlier one: no generator.)
        doubted: dict[str, int] = {}
        for i, block in enumerate(doc.blocks):
            if block.removed_by is not None:
                # (running text only: a table of contents repeats the headings below)
                if (block.removed_by.startswith("model.") and is_prose(block, DOUBTED_WORDS)
                        and block.key not in doubted):
                    doubted[block.key] = i
                continue
            if block.n_words < MIN_WORDS:
                if block.n_words >= PASSAGE_MIN_WORDS:
                    if block.key in seen_short:
                        short_repeats.append(i)
                    seen_short.add(block.key)
                continue
            if block.key in seen:
                doc.remove(i, self.name)
                continue
            seen.add(block.key)
            first = doubted.get(block.key)
            if first is not None:
                # An article printed twice whose first copy the classifier doubted at
                # one paragraph and kept at the other: the paragraph is the article's,
                # and its place is the first copy's (kept later, it came out last).
                doc.give_back(first)
                doc.remove(i, self.name)
        if short_repeats:
            self._with_passage(doc, short_repeats)

    def _with_passage(self, doc: BlockDoc, candidates: list[int]) -> None:
        """A short line repeated inside a repeated passage goes with the passage: an
        article printed twice repeats its one-line paragraphs too. Forwards, then
        backwards, so that runs of short lines next to a removed copy all go."""
        blocks = doc.blocks
        for order in (candidates, candidates[::-1]):
            for i in order:
                if blocks[i].removed_by is not None:
                    continue
                for j in (i - 1, i + 1):
                    if 0 <= j < len(blocks) and blocks[j].removed_by == self.name:
                        doc.remove(i, self.name)
                        break


def _trigrams(words: list[str]) -> set[tuple[str, str, str]]:
    return set(zip(words, words[1:], words[2:], strict=False))


def _near(mine: set[tuple[str, str, str]], other: set[tuple[str, str, str]]) -> bool:
    shared = len(mine & other)
    return shared / (len(mine) + len(other) - shared) >= NEAR_JACCARD


class NearDuplicateRule(Rule):
    name = "dedup.near"
    description = "a block that is almost the same as an earlier one (trigram Jaccard >= 0.8)"

    def apply(self, doc: BlockDoc) -> None:
        # Two min-hash style signatures per block (its smallest and largest trigram):
        # blocks with Jaccard >= 0.8 share at least one of them with high probability,
        # so only those pairs are compared exactly (and only they need trigram sets).
        # Tuple order is deterministic, so the result does not depend on the process.
        by_sig: dict[tuple[str, str, str], list[int]] = {}
        sets: dict[int, set[tuple[str, str, str]]] = {}
        words_of: dict[int, list[str]] = {}

        def grams_of(i: int) -> set[tuple[str, str, str]]:
            if i not in sets:
                sets[i] = _trigrams(words_of[i])
            return sets[i]

        for i, block in enumerate(doc.blocks):  # removes only block i: no generator
            if block.removed_by is not None or block.n_words < NEAR_MIN_WORDS:
                continue
            w = block.words
            head = w[:SIGNATURE_WORDS]  # signatures from the start; comparison on all
            tri = list(zip(head, head[1:], head[2:], strict=False))
            sigs = (min(tri), max(tri))
            words_of[i] = w
            duplicate = False
            for sig in sigs:
                for j in reversed(by_sig.get(sig, ())[-CANDIDATES:]):
                    if _near(grams_of(i), grams_of(j)):
                        duplicate = True
                        break
                if duplicate:
                    break
            if duplicate:
                doc.remove(i, self.name)
                continue
            for sig in sigs:
                by_sig.setdefault(sig, []).append(i)


PREFIX_KEY = 5


def _cut_short(block: Block) -> bool:
    """Ends mid-sentence or with an ellipsis. A complete sentence that opens a longer
    paragraph ("The offer is valid until March." then the terms) is a lead-in, not a
    teaser."""
    return not ends_sentence(block) or block.text.endswith(("...", "…"))


def _opens(other: list[str], probe: list[str], n_words: int) -> bool:
    """``other`` is longer than the teaser and starts with its words."""
    return len(other) > n_words and other[: len(probe)] == probe


class TruncatedRepeatRule(Rule):
    name = "dedup.truncated"
    description = "a block that is the start of a longer block cut short (teasers, summaries)"

    def apply(self, doc: BlockDoc) -> None:
        alive = [(i, b) for i, b in enumerate(doc.blocks)
                 if b.removed_by is None and b.n_words >= TRUNC_MIN_WORDS]
        cut = [(i, b) for i, b in alive if _cut_short(b)]
        if not cut or len(alive) < 2:
            return
        by_head: dict[tuple[str, ...], list[list[str]]] = {}
        for _, b in alive:
            by_head.setdefault(tuple(b.words[:PREFIX_KEY]), []).append(b.words)
        labels = doc.vocab.sections.get("summary", frozenset())
        for i, b in cut:
            # drop the last word: a cut-off teaser often ends mid-word ("Vladivos…")
            probe = b.words[:-1]
            for other in reversed(by_head.get(tuple(probe[:PREFIX_KEY]), ())[-CANDIDATES:]):
                if _opens(other, probe, b.n_words):
                    doc.remove(i, self.name)
                    break
            else:
                teaser = _labelled(b, labels)
                if teaser and any(_leads_with(other.words, teaser)
                                  for j, other in alive if j != i):
                    doc.remove(i, self.name)


LEAD_OFFSET = 16  # words a lead may open with before the teaser's text ("LONDON (Reuters) -")


def _labelled(block: Block, labels: frozenset[str]) -> list[str] | None:
    """The words of a teaser printed after its label on one line ("Summary: The council
    said…", "摘要：3月11日，…"), without its last (perhaps cut) word; None for others."""
    key = block.key
    for label in labels:
        if key.startswith(label) and key[len(label):len(label) + 1] in (":", "："):
            rest = block.words[len(block_words(label)):-1]
            return rest if len(rest) >= TRUNC_MIN_WORDS else None
    return None


def _leads_with(words: list[str], teaser: list[str]) -> bool:
    """``teaser`` is the start of ``words`` after at most :data:`LEAD_OFFSET` words of
    dateline or byline ("本报讯（记者 王晓燕）3月11日，…")."""
    if len(words) <= len(teaser):
        return False
    first = teaser[0]
    for k in range(min(LEAD_OFFSET + 1, len(words) - len(teaser) + 1)):
        if words[k] == first and words[k:k + len(teaser)] == teaser:
            return True
    return False
