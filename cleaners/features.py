"""Block features for the trained classifier.

Features per block (shape of the text itself), then the same features smoothed over
neighbours and a few document-level numbers, so that a small model can do what
jusText's context step does by hand: a short line between paragraphs is content, the
same line inside a run of short lines is a menu. Lexical cohesion adds what shape
cannot see: a checklist inside an article repeats the article's words, a menu does not.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from itertools import chain, compress, count, repeat
from operator import attrgetter, itemgetter, methodcaller
from typing import Any

import numpy as np

from cleaners.blocks import Block, BlockDoc
from cleaners.patterns import SENTENCE_END
from cleaners.urls import url_words

_BULLETS = ("•", "-", "*", "·", "–", "—", "►", "▪", "●", "○", "◦", "→")
SHAPE_CHARS = 300  # shape ratios of long paragraphs are read off their start
STOP_WORDS_SEEN = 80

# Features of the block alone, cached on the block (they survive re-passes): word-level
# ones computed per block, character statistics for all blocks of a page at once.
WORD_FEATURES = [
    "log_words", "log_chars", "stop_ratio", "ends_sentence", "ends_colon", "starts_upper",
    "mean_word_len", "nav_vocab", "chrome_vocab", "bullet", "number_only", "headline_like",
    "long_prose",
]
CHAR_FEATURES = [
    "titlecase_ratio", "digit_ratio", "punct_ratio", "comma_per_word", "separator", "all_caps",
]
CACHED = WORD_FEATURES + CHAR_FEATURES
DOC_BLOCK = ["para_start", "para_end", "repeat_count"]
INTRINSIC = CACHED + DOC_BLOCK
CONTEXT = [
    "rel_pos", "log_from_start", "log_from_end", "words_before_share",
    "prev_log_words", "next_log_words", "prev_stop", "next_stop", "prev_ends", "next_ends",
    "win3_log_words", "win10_log_words", "win3_ends", "win3_stop", "short_run",
    "in_main", "log_dist_main", "log_dist_prose", "prev2_log_words", "next2_log_words",
]
# What the specific rules and the headline finder saw around a block: chrome removed
# right next to it, a link-list or comment section above it (the article has ended), the
# headline above or below it (the article starts under its headline).
RULES = [
    "removed_before", "removed_after", "end_marker_before", "log_since_end_marker",
    "end_marker_after", "has_title", "before_title", "log_dist_title", "byline_start",
]
DOC = ["doc_log_blocks", "doc_log_words", "doc_prose_share", "doc_short_share"]
# Lexical cohesion: how much of a block's vocabulary the page's own prose and address
# share. A checklist or a code comment inside an article repeats the article's words; a
# menu item or a related headline names other things (TextTiling's idea, per block).
LEXICAL = ["prose_overlap", "url_overlap"]
FEATURES = INTRINSIC + CONTEXT + RULES + DOC + LEXICAL
_COL = {name: j for j, name in enumerate(INTRINSIC)}

# Removals that mark the end of the article body when they occur.
_END_MARKERS = ("section.", "comments.", "chrome.comment", "chrome.share", "related.see_also")


def word_statistics(blocks: list[Block], stop: frozenset[str], nav: frozenset[str],
                    chrome: frozenset[str]) -> np.ndarray:
    """:data:`WORD_FEATURES` for many blocks at once.

    This runs for every block of every document, so each feature is one pass of C-level
    string methods over the page's blocks (or over all their first words, summed per
    block with numpy), not a Python function call per block: the per-block tests are
    ``map`` over bound methods and ``operator`` getters, which run without a Python
    frame per block (a generator expression per feature cost a third of this function).
    """
    n_blocks = len(blocks)
    texts = list(map(_TEXT, blocks))
    keys = list(map(_KEY, blocks))
    n = np.fromiter(map(_N_WORDS, blocks), dtype=np.int64, count=n_blocks)
    seen = list(map(_HEAD_WORDS, map(_WORDS, blocks)))
    counts = np.fromiter(map(len, seen), dtype=np.int64, count=n_blocks)
    flat = list(chain.from_iterable(seen))
    stops = np.fromiter(map(stop.__contains__, flat), dtype=bool, count=len(flat))
    # the letters of a block's first words, counted on their concatenation (one len a block)
    letters = np.fromiter(map(len, map("".join, seen)), dtype=np.int64, count=n_blocks)
    stop_ratio = np.zeros(n_blocks)
    mean_len = np.zeros(n_blocks)
    some = counts > 0
    if len(flat):
        starts = (np.cumsum(counts) - counts)[some]
        stop_ratio[some] = np.add.reduceat(stops, starts, dtype=np.int64) / counts[some]
        mean_len[some] = letters[some] / counts[some]

    def flags(values: Iterable[object]) -> np.ndarray:
        return np.fromiter(map(bool, values), dtype=bool, count=n_blocks)

    ends = flags(map(SENTENCE_END.search, map(_TAIL, texts)))
    headline_end = ~flags(map(_ENDS_CLAUSE, map(_STRIP_CLOSERS, texts)))
    # "0 < words <= 6, all of them digits": the words are non-empty, so "all digits" is
    # "their concatenation is digits"; at most 7 words are joined, so a paragraph is not.
    numbers = (n > 0) & (n <= 6) & flags(
        map(str.isdigit, map("".join, map(_FIRST_7, map(_WORDS, blocks)))))
    return np.column_stack([
        np.log1p(n.astype(float)),
        np.log1p(np.fromiter(map(len, texts), dtype=float, count=n_blocks)),
        stop_ratio,
        ends,
        flags(map(_ENDS_COLON, texts)),
        flags(map(str.isupper, map(_FIRST_CHAR, texts))),
        mean_len,
        flags(map(nav.__contains__, keys)),
        flags(map(chrome.__contains__, keys)),
        flags(map(_STARTS_BULLET, texts)),
        numbers,
        (n >= 2) & (n <= 30) & headline_end,
        (n >= 25) & ends,
    ]).astype(float)


# Getters and string tests for word_statistics' map() passes (see there).
_TEXT, _KEY, _WORDS, _N_WORDS = (attrgetter(a) for a in ("text", "key", "words", "n_words"))
_HEAD_WORDS = itemgetter(slice(None, STOP_WORDS_SEEN))
_FIRST_7 = itemgetter(slice(None, 7))
_TAIL = itemgetter(slice(-6, None))  # SENTENCE_END is anchored at the end
_FIRST_CHAR = itemgetter(slice(None, 1))
_STRIP_CLOSERS = methodcaller("rstrip", "\"'”’»)] ")
_ENDS_CLAUSE = methodcaller("endswith", (".", ";", ",", ":"))
_ENDS_COLON = methodcaller("endswith", ":")
_STARTS_BULLET = methodcaller("startswith", _BULLETS)


def _ranges(cp: np.ndarray, spans: tuple[tuple[int, int], ...]) -> np.ndarray:
    mask = np.zeros(cp.shape, dtype=bool)
    for lo, hi in spans:
        mask |= (cp >= lo) & (cp <= hi)
    return mask


# Upper- and lower-case letters of the scripts the vocabularies cover (Latin, Latin-1,
# Latin Extended-A by parity is left out on purpose: its case alternates per letter).
_UPPER = ((65, 90), (0xC0, 0xD6), (0xD8, 0xDE), (0x391, 0x3A9), (0x400, 0x42F), (0x490, 0x490))
_LOWER = ((97, 122), (0xDF, 0xF6), (0xF8, 0xFF), (0x3B1, 0x3C9), (0x430, 0x45F), (0x491, 0x491))
_PUNCT_CP = np.array([ord(c) for c in ",.;:!?"], dtype=np.uint32)
_SEP_CP = np.array([ord(c) for c in "|»›/•·"], dtype=np.uint32)


# One class byte per code point (bit flags), so a page's character statistics are a
# table lookup and one sum per block instead of a dozen comparisons over the page.
_UPPER_BIT, _LOWER_BIT, _DIGIT_BIT, _PUNCT_BIT, _SEP_BIT, _SPACE_BIT, _COMMA_BIT = (
    1, 2, 4, 8, 16, 32, 64)
_INITIAL_BIT = 128  # an upper-case letter that starts a word (set per page)
_TABLE_SIZE = 0x2100  # every code point the classes name is below this; above: class 0


def _class_table() -> np.ndarray:
    cp = np.arange(_TABLE_SIZE, dtype=np.uint32)
    table = np.zeros(_TABLE_SIZE, dtype=np.uint8)
    table[_ranges(cp, _UPPER)] |= _UPPER_BIT
    table[_ranges(cp, _LOWER)] |= _LOWER_BIT
    table[48:58] |= _DIGIT_BIT
    table[_PUNCT_CP] |= _PUNCT_BIT
    table[_SEP_CP] |= _SEP_BIT
    table[32] |= _SPACE_BIT
    table[44] |= _COMMA_BIT
    table[_TABLE_SIZE - 1] = 0  # the clamp target of every higher code point
    return table


_CLASS = _class_table()


def char_statistics(heads: list[str]) -> np.ndarray:
    """:data:`CHAR_FEATURES` for many texts at once, from their code points."""
    lengths = np.fromiter(map(len, heads), dtype=np.int64, count=len(heads))
    cp = np.frombuffer("".join(heads).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    cls = _CLASS[np.minimum(cp, _TABLE_SIZE - 1)]
    after_space = np.empty(len(cls), dtype=bool)
    after_space[0] = True
    np.not_equal(cls[:-1] & _SPACE_BIT, 0, out=after_space[1:])
    after_space[starts] = True  # every block starts a word
    cls |= ((cls & _UPPER_BIT).astype(bool) & after_space).astype(np.uint8) << 7
    bits = np.unpackbits(cls[:, None], axis=1, bitorder="little")
    counts = np.add.reduceat(bits, starts, axis=0, dtype=np.int32).astype(float)

    def per_block(bit: int) -> np.ndarray:
        return counts[:, bit.bit_length() - 1]

    words = per_block(_SPACE_BIT) + 1.0
    n_upper = per_block(_UPPER_BIT)
    n_lower = per_block(_LOWER_BIT)
    chars = lengths.astype(float)
    return np.column_stack([
        per_block(_INITIAL_BIT) / words,
        per_block(_DIGIT_BIT) / chars,
        per_block(_PUNCT_BIT) / chars,
        per_block(_COMMA_BIT) / words,
        (per_block(_SEP_BIT) > 0).astype(float),
        ((n_upper > 0) & (n_lower == 0) & (chars > 2)).astype(float),
    ])


def intrinsic_matrix(doc: BlockDoc, blocks: list[Block]) -> np.ndarray:
    """Rows of :data:`INTRINSIC` for ``blocks``, reusing each block's cached part.

    A block caches where its row is, ``(languages, page matrix, row number)``: turning
    rows into Python floats and back cost more than computing them. When every block is
    fresh (a first pass) the page matrix is used as it is; on a later pass one gather
    from it (:func:`cached_rows`).
    """
    vocab = doc.vocab
    langs = vocab.languages
    fresh = [b for b in blocks if b.feat is None or b.feat[0] != langs]
    X = np.empty((len(blocks), len(INTRINSIC)))
    cached = None
    if fresh:
        nav = vocab.lines.get("navigation", frozenset())
        chrome = vocab.chrome_keys
        stop = vocab.stopwords
        cached = np.hstack([word_statistics(fresh, stop, nav, chrome),
                            char_statistics([b.text[:SHAPE_CHARS] for b in fresh])])
        for k, b in enumerate(fresh):
            b.feat = (langs, cached, k)
    if len(fresh) == len(blocks):
        X[:, : len(CACHED)] = cached
    else:
        X[:, : len(CACHED)] = cached_rows(list(map(_FEAT, blocks)))
    keys = list(map(_KEY, blocks))
    counts = Counter(keys)
    para = np.fromiter(map(_PARA_START, blocks), dtype=float, count=len(blocks))
    X[:, len(CACHED)] = para
    X[:, len(CACHED) + 1] = np.append(para[1:], 1.0)
    X[:, len(CACHED) + 2] = np.log(
        np.fromiter(map(counts.__getitem__, keys), dtype=float, count=len(blocks))
    )
    return X


_PARA_START = attrgetter("para_start")
_FEAT = attrgetter("feat")


def cached_rows(entries: list[Any]) -> np.ndarray:
    """The rows that per-block cache entries ``(key, page matrix, row number)`` point at,
    in order: one gather when one matrix holds them all (a later pass over a page: its
    blocks are a subset of the first pass's), else a stack of single rows.

    Stacking a few hundred row views cost more than the model's input layer; the
    matrices are compared by identity (``id``), in C.
    """
    matrices = list(map(_MATRIX, entries))
    if len(set(map(id, matrices))) == 1:
        at = np.fromiter(map(_ROW, entries), dtype=np.intp, count=len(entries))
        return matrices[0][at]
    return np.stack([m[k] for m, k in zip(matrices, map(_ROW, entries), strict=True)])


_MATRIX, _ROW = itemgetter(1), itemgetter(2)


def run_lengths(mask: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of True it sits in (0 where False).

    Runs start where the mask rises and end where it falls (its edges padded with
    False); each run's length is repeated over its positions.
    """
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    run = np.zeros(len(mask))
    run[mask] = np.repeat(lengths, lengths)
    return run


def _window(n: int, radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each position's window ``[lo, hi)`` of ``radius`` blocks either side, cut at the
    document's edges, and its width (one per radius, shared by the features' means)."""
    idx = np.arange(n)
    lo = np.maximum(idx - radius, 0)
    hi = np.minimum(idx + radius + 1, n)
    return lo, hi, hi - lo


def _window_mean(x: np.ndarray, window: tuple[np.ndarray, np.ndarray, np.ndarray]
                 ) -> np.ndarray:
    lo, hi, width = window
    c = np.concatenate(([0.0], np.cumsum(x)))
    return (c[hi] - c[lo]) / width


def _shift(x: np.ndarray, k: int, fill: float) -> np.ndarray:
    out = np.full_like(x, fill)
    if k > 0:
        out[k:] = x[:-k]
    elif k < 0:
        out[:k] = x[-k:]
    else:
        out[:] = x
    return out


def _main_region(words: np.ndarray) -> tuple[int, int]:
    """Maximum-sum run of blocks scoring (words - 8): the body-text region (BTE idea)."""
    score = np.minimum(words, 60) - 8
    best, best_lo, best_hi = -1e9, 0, 0
    cur, lo = 0.0, 0
    for i, s in enumerate(score.tolist()):
        if cur <= 0:
            cur, lo = s, i
        else:
            cur += s
        if cur > best:
            best, best_lo, best_hi = cur, lo, i
    return best_lo, best_hi


def distance_to(mask: np.ndarray, far: float) -> np.ndarray:
    """Distance (in blocks) from each block to the nearest block where ``mask`` holds;
    ``far`` where there is none. Shared with the HTML block features."""
    n = len(mask)
    hits = np.flatnonzero(mask)
    if len(hits) == 0:
        return np.full(n, far)
    idx = np.arange(n)
    j = np.searchsorted(hits, idx)
    left = idx - hits[np.maximum(j - 1, 0)]
    right = hits[np.minimum(j, len(hits) - 1)] - idx
    left = np.where(j > 0, left, far)
    right = np.where(j < len(hits), right, far)
    return np.minimum(np.minimum(left, right), far).astype(np.float64)


def block_features(doc: BlockDoc, indices: list[int]) -> np.ndarray:
    """Feature matrix (len(indices) x len(FEATURES)) for the blocks at ``indices``, in
    float32 as the model takes it (computed in float64, rounded once on the way in)."""
    blocks = [doc.blocks[i] for i in indices]
    n = len(blocks)
    out = np.empty((n, len(FEATURES)), np.float32)
    if n == 0:
        return out
    X = intrinsic_matrix(doc, blocks)
    col = _COL
    logw = X[:, col["log_words"]]
    stop = X[:, col["stop_ratio"]]
    ends = X[:, col["ends_sentence"]]
    words = np.expm1(logw)
    idx = np.arange(n, dtype=float)
    cum = np.cumsum(words) - words
    total = max(words.sum(), 1.0)
    short = words <= 4
    run = run_lengths(short)
    lo, hi = _main_region(words)
    in_main = ((idx >= lo) & (idx <= hi)).astype(float)
    dist_main = np.where(in_main > 0, 0.0, np.minimum(np.abs(idx - lo), np.abs(idx - hi)))
    prose = X[:, col["long_prose"]] > 0
    dist_prose = distance_to(prose, float(n + 1))
    near, wide = _window(n, 3), _window(n, 10)
    context = np.column_stack([
        idx / max(n - 1, 1),
        np.log1p(idx),
        np.log1p(n - 1 - idx),
        cum / total,
        _shift(logw, 1, 0.0), _shift(logw, -1, 0.0),
        _shift(stop, 1, 0.0), _shift(stop, -1, 0.0),
        _shift(ends, 1, 0.0), _shift(ends, -1, 0.0),
        _window_mean(logw, near), _window_mean(logw, wide), _window_mean(ends, near),
        _window_mean(stop, near),
        np.log1p(run),
        in_main,
        np.log1p(dist_main),
        np.log1p(np.minimum(dist_prose, 50)),
        _shift(logw, 2, 0.0), _shift(logw, -2, 0.0),
    ])
    # each group straight into its columns of the float32 matrix (no stacked float64 copy)
    at = 0
    for part in (X, context, _rule_context(doc, indices)):
        out[:, at : at + part.shape[1]] = part
        at += part.shape[1]
    out[:, at : at + len(DOC)] = (math.log1p(n), math.log1p(total), float(prose.mean()),
                                  float(short.mean()))
    at += len(DOC)
    out[:, at:] = lexical_overlap(blocks, prose.tolist(), doc.vocab.stopwords, doc.url)
    return out


MIN_CONTENT_WORD = 3  # shorter words ("of", "2", "uk") say nothing about the topic


def lexical_overlap(blocks: list[Block], prose: list[bool], stop: frozenset[str],
                    url: str | None) -> np.ndarray:
    """:data:`LEXICAL` for each block: shares of its content words found elsewhere.

    ``prose_overlap`` counts a word when a prose block other than this one has it, so a
    lone paragraph does not vouch for itself; ``url_overlap`` when the page's path has it.
    Words count once per block; a block without content words gets 0 for both. One pass
    numbers the page's content words (kept across the cleaner's passes:
    :class:`_Lexicon`), then numpy does the rest (the per-block sets this replaced cost
    a third of all feature time).
    """
    n = len(blocks)
    out = np.zeros((n, len(LEXICAL)))
    if not n:
        return out
    lexicon, block, word, counts = _content_words(blocks, stop)
    if not len(word):
        return out
    is_prose = np.asarray(prose, dtype=bool)[block]
    size = len(lexicon.numbers)
    df = np.bincount(word[is_prose], minlength=size)
    has = counts > 0
    # the weights are 0/1, so the sums are exact whatever the order of a block's words
    shared = np.bincount(block, weights=df[word] > is_prose, minlength=n)
    out[has, 0] = shared[has] / counts[has]
    numbers = lexicon.numbers
    slug = [numbers[w] for w in url_words(url) if w in numbers]
    if slug:
        in_slug = np.zeros(size, dtype=bool)
        in_slug[slug] = True
        hits = np.bincount(block, weights=in_slug[word], minlength=n)
        out[has, 1] = hits[has] / counts[has]
    return out


class _Lexicon:
    """A document's content words numbered, for one stop-word list, and each block's
    distinct ones: ``word[starts[k]:starts[k] + counts[k]]`` for the k-th block numbered.

    A block keeps ``(lexicon, k)`` (``Block.lex``) across the cleaner's passes: its words
    never change, and a later pass, which sees a subset of the first pass's blocks,
    gathers their words from here instead of numbering the page again. Numbers only need
    to agree among the blocks of one call, which holds when one lexicon numbered them all.
    """

    __slots__ = ("counts", "numbers", "starts", "stop", "word")

    def __init__(self, numbers: dict[str, int], stop: frozenset[str], word: np.ndarray,
                 counts: np.ndarray) -> None:
        self.numbers = numbers  # content word -> number
        self.stop = stop
        self.word = word
        self.counts = counts
        self.starts = np.cumsum(counts) - counts


def _content_words(blocks: list[Block], stop: frozenset[str]
                   ) -> tuple[_Lexicon, np.ndarray, np.ndarray, np.ndarray]:
    """(lexicon, block, word, counts): each block's distinct content words as pairs
    (block position, word number), grouped by block, and how many each block has."""
    n = len(blocks)
    first = blocks[0].lex
    if first is not None and first[0].stop is stop:
        lexicon = first[0]
        if all(b.lex is not None and b.lex[0] is lexicon for b in blocks):
            at = np.fromiter((b.lex[1] for b in blocks), dtype=np.int64,  # type: ignore[index]
                             count=n)
            counts = lexicon.counts[at]
            before = np.cumsum(counts) - counts  # where each block's words go
            index = np.repeat(lexicon.starts[at] - before, counts) + np.arange(
                int(counts.sum()), dtype=np.int64)
            block = np.repeat(np.arange(n, dtype=np.int64), counts)
            return lexicon, block, lexicon.word[index], counts
    flat = list(chain.from_iterable(map(_WORDS, blocks)))
    # distinct words in order of first use (dict keys), then the content ones numbered
    distinct = list(dict.fromkeys(flat))
    size = len(distinct)
    content = np.fromiter(map(len, distinct), dtype=np.int64, count=size) >= MIN_CONTENT_WORD
    content &= ~np.fromiter(map(stop.__contains__, distinct), dtype=bool, count=size)
    content &= ~np.fromiter(map(str.isdigit, distinct), dtype=bool, count=size)
    numbers = dict(zip(compress(distinct, content.tolist()), count()))
    ids = np.fromiter(map(numbers.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    owner = np.repeat(np.arange(n, dtype=np.int64),
                      np.fromiter(map(len, map(_WORDS, blocks)), dtype=np.int64, count=n))
    keep = ids >= 0
    size = max(len(numbers), 1)
    pairs = np.sort(owner[keep] * size + ids[keep])
    if len(pairs):
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # each pair once
    block, word = pairs // size, pairs % size
    counts = np.bincount(block, minlength=n)
    lexicon = _Lexicon(numbers, stop, word, counts)
    for k, b in enumerate(blocks):
        b.lex = (lexicon, k)
    return lexicon, block, word, counts


def _rule_context(doc: BlockDoc, indices: list[int]) -> np.ndarray:
    blocks = doc.blocks
    n = len(indices)
    out = np.zeros((n, len(RULES)))
    at = np.asarray(indices, dtype=np.int64)
    # removed blocks between consecutive alive blocks
    gaps = np.diff(np.concatenate(([-1], at, [len(blocks)]))) - 1
    g = np.log1p(gaps.astype(float))
    out[:, 0] = g[:-1]
    out[:, 1] = g[1:]
    markers = np.fromiter(
        (i for i, b in enumerate(blocks)
         if b.removed_by is not None and b.removed_by.startswith(_END_MARKERS)),
        dtype=np.int64,
    )
    if len(markers):
        # the last end marker above each block, and whether one lies below it
        above = np.searchsorted(markers, at) - 1
        seen = above >= 0
        out[seen, 2] = 1.0
        out[seen, 3] = np.log1p(at[seen] - markers[above[seen]])
        out[:, 4] = (markers[-1] > at).astype(float)
    byline = doc.vocab.word_set("byline")
    out[:, 8] = [1.0 if (w := blocks[i].words) and w[0] in byline else 0.0 for i in indices]
    title = doc.title_index
    if title is not None:
        idx = at.astype(float)
        out[:, 5] = 1.0
        out[:, 6] = (idx < title).astype(float)
        out[:, 7] = np.log1p(np.abs(idx - title))
    return out


TOKENS_PER_BLOCK = 24


def block_token_ids(blocks: list[Block], word_ids: dict[str, int],
                    limit: int = TOKENS_PER_BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Known-word ids of each block's first ``limit`` words, flattened, with offsets.

    ``ids[offsets[k]:offsets[k+1]]`` are block k's ids; unknown words are skipped (a block
    of only unknown words gets the zero embedding). The first words carry the lexical
    cue ("Share", "Posted by", "Sign up for", "Photo:"); the rest of a long paragraph
    adds cost, not signal.
    """
    heads = list(map(itemgetter(slice(None, limit)), map(_WORDS, blocks)))
    # One dictionary pass over all the page's words, then numpy to drop the unknown
    # ones and count what is left per block (a filter per block cost twice as much).
    flat = list(chain.from_iterable(heads))
    looked = np.fromiter(map(word_ids.get, flat, repeat(-1, len(flat))), dtype=np.int64,
                         count=len(flat))
    known = looked >= 0
    owner = np.repeat(np.arange(len(heads)), np.fromiter(map(len, heads), dtype=np.int64,
                                                         count=len(heads)))
    counts = np.bincount(owner[known], minlength=len(heads))
    offsets = np.zeros(len(heads) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return looked[known], offsets
