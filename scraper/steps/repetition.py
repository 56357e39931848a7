"""Repetition statistics of a document's words, for the corpus's Gopher repetition rules.

Gopher (Rae et al. 2021, "Scaling Language Models", appendix A, table A1) drops a
document when one n-gram (n = 2..4) covers too much of it, or when too much of it lies
in n-grams (n = 5..10) it has already said: spam, keyword stuffing, a template repeated
down a page. Counted naively that is nine dictionaries of joined strings per document;
here each word becomes a 64-bit hash once, an n-gram's hash is the (n-1)-gram's times a
constant plus the next word's (wrapping), and each n is one sort. A repeated n-gram
needs all its 5-grams repeated, so n > 5 only sorts where that holds (usually nothing).
That keeps all nine measurements near 1 ms for a 1,500-word document.

Shares are of word characters (the letters and digits of ``\\w+`` tokens, what the
record's ``word_count`` counts), not of all characters as in the paper: spacing and
punctuation say nothing about repetition, and this way a share means the same in every
script that separates its words.
"""

from __future__ import annotations

import numpy as np

from cleaners.patterns import text_pieces, word_pattern

_MUL = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplication by it is a bijection mod 2**64
SHORTEST_DUPLICATE = 5  # duplicate-n-gram shares start here (Gopher's 5..10)


class NgramRepetition:
    """The n-gram repetition measures of one document's words, computed on demand."""

    def __init__(self, words: list[str]) -> None:
        self._start(*_arrays(words))

    @classmethod
    def of_text(cls, text: str) -> NgramRepetition:
        """The measures of the words of ``text`` (:func:`cleaners.patterns.words`),
        gathered a slice of the text at a time: the word list of a 50 MB document
        would take 480 MB, its two arrays 130 MB."""
        self = cls.__new__(cls)
        pattern = word_pattern(text)
        parts = [_arrays(pattern.findall(piece)) for piece in text_pieces(text)]
        if len(parts) == 1:
            self._start(*parts[0])
        else:
            self._start(np.concatenate([p[0] for p in parts]),
                        np.concatenate([p[1] for p in parts]))
        return self

    def _start(self, ids: np.ndarray, lens: np.ndarray) -> None:
        m = len(ids)
        self._ids = ids
        self._lens = lens
        self._cum = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(self._lens, out=self._cum[1:])
        self.n_words = m
        self.chars = int(self._cum[-1])
        # (k, hashes of the k-grams): the last level built. The rules ask for n = 2, 3,
        # ... 10 in turn, each built from the one before; keeping all nine was nine
        # arrays the size of the document's words (580 MB for a 50 MB document).
        self._level: tuple[int, np.ndarray] = (1, self._ids)
        self._repeated5: np.ndarray | None = None

    def _ngrams(self, n: int) -> np.ndarray:
        """Hash of the n-gram starting at each position (``n_words - n + 1`` of them)."""
        k, h = self._level
        if n < k:
            k, h = 1, self._ids
        while k < n:
            k += 1  # the length being built
            h = h[:-1] * _MUL + self._ids[k - 1:]
        self._level = (k, h)
        return h

    def top_share(self, n: int) -> float:
        """Share of word characters in the occurrences of the most frequent n-gram (of
        those equally frequent, the one covering the most characters); 0 when no n-gram
        occurs twice."""
        if self.n_words < n or not self.chars:
            return 0.0
        order, starts, sizes = _groups(self._ngrams(n))
        best = int(sizes.max())
        if best < 2:
            return 0.0
        first = order[starts[sizes == best]]  # a position of each most frequent n-gram
        length = int((self._cum[first + n] - self._cum[first]).max())
        # overlapping occurrences ("a a a a") count each time, as in Gopher; the share
        # of the text they cover is at most all of it
        return min(best * length / self.chars, 1.0)

    def duplicate_share(self, n: int) -> float:
        """Share of word characters inside n-grams that occurred earlier in the text.

        Every occurrence after an n-gram's first marks its words; a word marked by
        several is counted once. ``n`` is at least 5 (see the module docstring).
        """
        if n < SHORTEST_DUPLICATE:
            raise ValueError(f"duplicate n-gram shares start at {SHORTEST_DUPLICATE}, not {n}")
        if self.n_words < n or not self.chars:
            return 0.0
        hashes = self._ngrams(n)
        # Positions that can start a repeated n-gram; None: every one (5-grams), where
        # sorting the hashes themselves spares two arrays the size of the text's words.
        candidates: np.ndarray | None = None
        if n > SHORTEST_DUPLICATE:
            if self._repeated5 is None:
                self.duplicate_share(SHORTEST_DUPLICATE)
            repeated = self._repeated5
            assert repeated is not None  # set by every path of the 5-gram share
            ok = repeated[: len(hashes)].copy()
            for j in range(1, n - SHORTEST_DUPLICATE + 1):
                ok &= repeated[j : j + len(hashes)]
            candidates = np.flatnonzero(ok)
            if not len(candidates):
                return 0.0
        order, starts, sizes = _groups(hashes if candidates is None else hashes[candidates])
        multi = sizes > 1
        if not multi.any():
            if n == SHORTEST_DUPLICATE:
                self._repeated5 = np.zeros(len(hashes), dtype=bool)
            return 0.0
        in_multi = np.repeat(multi, sizes)  # sorted order: part of a repeated n-gram
        members = order[in_multi]
        if candidates is not None:
            members = candidates[members]
        if n == SHORTEST_DUPLICATE:
            self._repeated5 = np.zeros(len(hashes), dtype=bool)
            self._repeated5[members] = True
        earliest = np.minimum.reduceat(order, starts)[multi]
        if candidates is not None:
            earliest = candidates[earliest]
        later = np.setdiff1d(members, earliest, assume_unique=True)
        m = self.n_words
        # +1 where a later occurrence starts, -1 after its last word: covered where > 0
        edges = (np.bincount(later, minlength=m + 1)[: m + 1]
                 - np.bincount(later + n, minlength=m + 1)[: m + 1])
        covered = np.cumsum(edges[:m]) > 0
        return int(self._lens[covered].sum()) / self.chars


def _arrays(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each word's id and length. str hashes are cached on the strings and equal for
    equal strings: all a grouping needs (a 64-bit collision inside one document is not
    a concern)."""
    m = len(words)
    return (np.fromiter(map(hash, words), dtype=np.int64, count=m).view(np.uint64),
            np.fromiter(map(len, words), dtype=np.int32, count=m))


def _groups(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``order`` sorting ``values``, and where each run of equal values starts in it and
    how long it is."""
    order = np.argsort(values)
    ranked = values[order]
    new = np.empty(len(ranked), dtype=bool)
    new[:1] = True
    np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    del ranked  # (each of these is the size of the document's words: let go at once)
    starts = np.flatnonzero(new)
    del new
    sizes = np.empty_like(starts)
    np.subtract(starts[1:], starts[:-1], out=sizes[:-1])
    sizes[-1:] = len(values) - starts[-1:]
    return order, starts, sizes
