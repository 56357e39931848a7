"""MinHash signatures over word 5-gram shingles, and their LSH band keys.

Why our own numpy code and not ``datasketch``: measured on 300 WCXB dumps (15 KB
each) on the 2-core benchmark machine, ``datasketch.MinHash.update_batch`` took
6.4 ms per document -- it hashes every shingle with SHA-1 in a Python loop -- against
about 2 ms here, where each distinct word is hashed once (cached), shingle hashes are
combined from word hashes with vectorised 64-bit arithmetic, and the 128 permutations
are one ``(perms x shingles)`` multiply-add and a row minimum. datasketch also pulls in
scipy, and its LSH stores bands in memory, Redis or Cassandra -- not in the SQLite
state the corpus job keeps between runs -- so only its MinHash would have been used.

Everything is seeded with constants: the same text gives the same signature in every
process, on every machine, in every run (Python's own ``hash`` is salted per process
and must not be used here).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from cleaners.patterns import text_pieces, word_pattern

NUM_PERM = 128
SHINGLE_WORDS = 5
SEED = 20260515
# Recall asked of the LSH bands for a pair exactly at the threshold; pairs above it are
# found more often still. Candidates are then verified on the full signatures, so
# a generous band layout costs some comparisons, not precision.
RECALL_AT_THRESHOLD = 0.95

_SHIFT = np.uint64(32)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: shingle hash = polynomial of words


SIGNATURE_SLICE = 16_384  # shingles per slice: 128 x 16,384 x 8 bytes = 16 MB at most


class _WordHashes(dict[str, int]):
    """word -> stable 64-bit hash, computed once per distinct word.

    ``map(table.__getitem__, words)`` runs the lookup loop in C; only unseen words
    reach the (BLAKE2) hash. The table is cleared when it grows large, so memory stays
    bounded on corpora with unbounded vocabularies (numbers, names, typos).
    """

    LIMIT = 300_000  # about 40 MB of words and hashes

    def __missing__(self, word: str) -> int:
        if len(self) >= self.LIMIT:
            self.clear()
        value = int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"),
                                               digest_size=8).digest(), "little")
        self[word] = value
        return value


@dataclass(frozen=True)
class LshParams:
    """Signature size and band layout; fixed for the life of a dedup state."""

    num_perm: int = NUM_PERM
    bands: int = 18
    rows: int = 7
    shingle_words: int = SHINGLE_WORDS
    seed: int = SEED

    @classmethod
    def for_threshold(cls, threshold: float, num_perm: int = NUM_PERM) -> LshParams:
        """The band layout with the fewest false candidates that still finds a pair at
        Jaccard ``threshold`` with probability >= RECALL_AT_THRESHOLD.

        A pair with Jaccard ``s`` shares at least one of ``b`` bands of ``r`` rows with
        probability ``1 - (1 - s**r)**b``; longer bands (larger ``r``) cut candidates at
        low similarity, so take the largest ``r`` that still reaches the recall.
        """
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], not {threshold}")
        best = 1
        for r in range(1, num_perm + 1):
            b = num_perm // r
            if 1.0 - (1.0 - threshold**r) ** b >= RECALL_AT_THRESHOLD:
                best = r
        return cls(num_perm=num_perm, bands=num_perm // best, rows=best)

    def candidate_probability(self, similarity: float) -> float:
        return 1.0 - (1.0 - similarity**self.rows) ** self.bands


class MinHasher:
    """Signatures (``uint32[num_perm]``) and LSH band keys (``int64[bands]``) of texts."""

    def __init__(self, params: LshParams | None = None) -> None:
        self.params = params or LshParams()
        rng = np.random.default_rng(self.params.seed)
        n = self.params.num_perm
        # Multiply-add-shift hashing: (a*x + b) mod 2**64, keep the high 32 bits.
        self._a = (rng.integers(1, 2**63, n, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
        self._b = rng.integers(0, 2**63, n, dtype=np.uint64)
        self._band_coef = rng.integers(1, 2**63, (self.params.bands, self.params.rows),
                                       dtype=np.uint64) | np.uint64(1)
        self._words = _WordHashes()

    def shingles(self, text: str) -> np.ndarray:
        """Hashes of the lower-cased word ``k``-grams (one for a shorter text); repeats are
        kept -- they cannot change a minimum, and removing them costs more than they do.
        In Chinese and Japanese each character is a word (:func:`cleaners.patterns.words`),
        so two copies of an article that differ in a phrase share most of their shingles,
        not none of their clause-long ones."""
        # A slice of the text at a time (lower-cased and cut as the whole would be): the
        # word list of a 50 MB document is 480 MB, its hashes 64 MB.
        pattern = word_pattern(text)
        parts = []
        for piece in text_pieces(text):
            words = pattern.findall(piece.lower())
            parts.append(np.fromiter(map(self._words.__getitem__, words), dtype=np.uint64,
                                     count=len(words)))
            del words
        h = parts[0] if len(parts) == 1 else np.concatenate(parts)
        del parts
        if not h.size:
            return np.empty(0, dtype=np.uint64)
        k = min(self.params.shingle_words, len(h))
        n = len(h) - k + 1
        out = h[:n].copy()
        for i in range(1, k):
            out *= _MIX
            out += h[i : i + n]
        return out

    def signature(self, text: str) -> np.ndarray | None:
        """The MinHash signature, or None for a text without a single word."""
        shingles = self.shingles(text)
        if shingles.size == 0:
            return None
        # In slices: the (permutations x shingles) product of one 8 MB text was 1.3 GB
        # at once; the running minimum of slices is the same signature.
        best: np.ndarray | None = None
        for start in range(0, shingles.size, SIGNATURE_SLICE):
            x = np.multiply.outer(self._a, shingles[start:start + SIGNATURE_SLICE])
            x += self._b[:, None]
            low = x.min(axis=1)
            best = low if best is None else np.minimum(best, low)
        assert best is not None
        return (best >> _SHIFT).astype(np.uint32)

    def band_keys(self, signature: np.ndarray) -> list[int]:
        """One signed 64-bit key per band (SQLite INTEGER); equal band values in
        different bands give different keys, since each band has its own coefficients."""
        p = self.params
        rows = signature[: p.bands * p.rows].reshape(p.bands, p.rows).astype(np.uint64)
        keys = (rows * self._band_coef).sum(axis=1, dtype=np.uint64)
        return keys.view(np.int64).tolist()


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets: the share of equal minima."""
    return float(np.count_nonzero(a == b)) / len(a)
