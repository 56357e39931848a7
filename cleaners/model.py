"""The trained block classifier, run with numpy only.

Architecture (mirrored by ``bench/train_block_model.py``, which trains it in PyTorch):

1. each block: its hand-made features (``cleaners.features``, standardised) and the mean
   embedding of its first words (a learned word table, ``words``);
2. a linear layer to ``hidden`` channels, then residual dilated 1-D convolutions across
   neighbouring blocks (dilations 1, 3, 9: each block sees about 25 blocks either side),
   which is where "context decides";
3. each block's channels plus the document mean go to one logistic output;
4. beside the networks, a forest of oblivious decision trees (CatBoost's kind) on the
   same hand-made features; the final logit is a weighted mean of the two. The trees
   judge by thresholds where the networks judge by smooth sums, and their errors differ
   enough that the mix beats either (see ``bench/train_block_model.py --validate``).

Weights and the word list live in ``cleaners/data/block_model.npz``; the feature list is
stored beside them, and a model whose feature list differs from the code is refused (the
heuristic classifier is used instead) rather than silently mis-scoring.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from cleaners.blocks import BlockDoc
from cleaners.features import (
    FEATURES,
    TOKENS_PER_BLOCK,
    block_features,
    block_token_ids,
    cached_rows,
)
from cleaners.rules.base import Rule
from cleaners.shape import is_prose

MODEL_FILE = "data/block_model.npz"
_MODEL_TAGS = itertools.count(1)


# What interrupts an article's text without ending it: an ad slot, a picture's credit,
# an inline "See also" link. A sentence after one of these and before the page's chrome
# is still the article's (BlockModel._restore_closing_sentence); after a poll or a
# newsletter box it is the box's own small print.
_IN_BODY = ("chrome.advertisement", "credit.", "related.see_also")


class BlockModel(Rule):
    name = "model"
    kinds = ("boilerplate", "no_content")
    description = "trained block classifier (block features + words, then neighbours)"

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        if meta.get("features") != FEATURES:
            raise ValueError("block model was trained on a different feature list")
        self.meta = meta
        self.threshold = float(meta.get("threshold", 0.5))
        # The page-level cuts belong to the weights they were chosen for (on train pages,
        # `python bench/clean_quality.py --variants 'model:nc=-2;margin=3,...'`), so
        # they are stored with them.
        self.margin = float(meta.get("margin", 4.0))
        self.no_content_logit = float(meta.get("no_content_logit", self.no_content_logit))
        self.tokens_per_block = int(meta.get("tokens_per_block", TOKENS_PER_BLOCK))
        f32 = np.float32
        self.mean = arrays["mean"].astype(f32)
        self.std = arrays["std"].astype(f32)
        # Each feature's range on the training blocks. The networks are linear in their
        # inputs, so a value far outside it (a 4,000-paragraph book has more blocks and
        # words than any training page) is extrapolated, not judged: such a book lost its
        # last quarter, and each pass the new last quarter. Inputs are held to the range
        # the weights were fitted on; the trees' thresholds all lie inside it anyway.
        self.lo = arrays["lo"].astype(f32) if "lo" in arrays else None
        self.hi = arrays["hi"].astype(f32) if "hi" in arrays else None
        self.word_ids = {str(w): i for i, w in enumerate(arrays["words"].tolist())}
        self.members = [
            _Member(arrays, f"m{j}_", meta["dilations"]) for j in range(int(meta["members"]))
        ]
        self.ensemble = _Ensemble(self.members)
        self.forest_weight = float(meta.get("forest_weight", 0.0))
        self.forest = Forest.from_arrays(arrays, "forest_") if self.forest_weight > 0 else None
        self._tag = next(_MODEL_TAGS)  # marks embeddings this model cached on blocks

    def scores(self, doc: BlockDoc, indices: list[int]) -> np.ndarray:
        """Probability that each block at ``indices`` is content."""
        if not indices:
            return np.zeros(0)
        # The matrices are tiny: a multi-threaded BLAS spends 10-40x longer waking its
        # threads than multiplying, and worse on a busy machine. One thread, locally.
        with _blas_controller().limit(limits=1, user_api="blas"):
            raw = block_features(doc, indices)  # float32, new: clipped in place
            if self.lo is not None:
                np.clip(raw, self.lo, self.hi, out=raw)
            logit = self.ensemble.logits((raw - self.mean) / self.std,
                                         self.embeddings(doc, indices))
            if self.forest is not None:
                a = self.forest_weight
                logit = (1 - a) * logit + a * self.forest.logits(raw)
        return 1.0 / (1.0 + np.exp(-logit))

    def embeddings(self, doc: BlockDoc, indices: list[int]) -> np.ndarray:
        """Each block's mean word embedding (all members side by side), kept on the block
        (where its row is: ``features.cached_rows``): it depends on the block's own words
        only, so a re-pass reuses it."""
        blocks = doc.blocks
        tag = self._tag
        fresh = [b for b in (blocks[i] for i in indices) if b.tok is None or b.tok[0] != tag]
        if fresh:
            ids, offsets = block_token_ids(fresh, self.word_ids, self.tokens_per_block)
            rows = _mean_embedding(self.ensemble.embedding_t, ids, offsets)
            for k, block in enumerate(fresh):
                block.tok = (tag, rows, k)
            if len(fresh) == len(indices):
                return rows  # all blocks new (a first pass): the rows just computed
        return cached_rows([blocks[i].tok for i in indices])

    def apply(self, doc: BlockDoc) -> None:
        alive = doc.alive()
        if not alive:
            return
        p = np.clip(self.scores(doc, alive), 1e-7, 1 - 1e-7)
        logit = np.log(p / (1 - p))
        if float(logit.max()) < self.no_content_logit and sum(
            doc.blocks[i].n_words for i in alive
            if is_prose(doc.blocks[i], self.NO_CONTENT_PARAGRAPH_WORDS)
        ) < self.NO_CONTENT_PROSE_WORDS:
            for i in alive:
                doc.remove(i, f"{self.name}.no_content")
            return
        keep = (logit >= self.cutoff(logit, [doc.blocks[i].n_words for i in alive])).tolist()
        if self.restore_between_prose:
            self._restore_between_prose(doc, alive, keep)
            self._restore_closing_sentence(doc, alive, keep)
        for i, k in zip(alive, keep, strict=True):
            if not k:
                doc.remove(i, f"{self.name}.boilerplate")

    restore_between_prose = True
    # A page whose most content-like block scores this low has no main text in the dump
    # (a bot wall, a cookie screen, a shop page whose products never rendered): keeping
    # its "least bad" lines would put chrome into the corpus, so it comes out empty. The
    # shipped model file sets its own value (-2: on WCXB train pages -1 to -2 score
    # alike and best; `python bench/clean_quality.py --no-content-sweep`); this is the
    # default for model files without one.
    no_content_logit = -3.0
    # ... unless real prose is left: a page of one long paragraph (a news brief under
    # its widgets), or of a few short ones (a three-paragraph brief whose every other
    # line the rules took), is too unlike the training pages for the model to be trusted
    # to call it empty.
    # (On the WCXB pages the model calls empty, prose adds up to 26 words at most.)
    NO_CONTENT_PROSE_WORDS = 30
    NO_CONTENT_PARAGRAPH_WORDS = 15  # a paragraph of running text counts toward them
    RESTORE_MAX_WORDS = 12

    def _restore_between_prose(self, doc: BlockDoc, alive: list[int], keep: list[bool]) -> None:
        """jusText's context step: a short block between two kept paragraphs of prose
        is part of the text (a subheading, "- Miller said.", a one-line answer)."""
        blocks = doc.blocks
        for k in range(1, len(alive) - 1):
            if keep[k] or blocks[alive[k]].n_words > self.RESTORE_MAX_WORDS:
                continue
            if (keep[k - 1] and keep[k + 1] and is_prose(blocks[alive[k - 1]], 15)
                    and is_prose(blocks[alive[k + 1]], 15)):
                keep[k] = True

    def _restore_closing_sentence(self, doc: BlockDoc, alive: list[int],
                                  keep: list[bool]) -> None:
        """The article's last sentence, cut off from the text by an ad label (or a
        credit, an inline link: ``_IN_BODY``) and followed by chrome the rules removed
        ("Reklama", "Ustawa trafi teraz do Senatu.", "Najczęściej czytane"): one short
        sentence right after the last kept paragraph, nothing kept after it."""
        if not any(keep):
            return
        last = max(k for k, x in enumerate(keep) if x)
        k = last + 1
        if k >= len(alive) or any(keep[k:]):
            return
        blocks = doc.blocks
        block, prev = blocks[alive[k]], blocks[alive[last]]
        i = alive[k]
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if (4 <= block.n_words <= self.RESTORE_MAX_WORDS and block.text[:1].isupper()
                and block.text.rstrip().endswith((".", "!", "?"))
                and is_prose(prev, 15)
                and (after is None or (after.removed_by is not None
                                       and after.removed_by != f"{self.name}.boilerplate"))
                and i - 1 != alive[last]
                and all((blocks[j].removed_by or "").startswith(_IN_BODY)
                        for j in range(alive[last] + 1, i))):
            keep[k] = True

    def cutoff(self, logit: np.ndarray, n_words: list[int]) -> float:
        """The logit a block needs to stay: the model's threshold, or lower on pages where
        the model is unsure of everything.

        A page's true content is always its most content-like part, even when the page
        looks unlike the training pages and every score is low; so the cut is also
        measured from the best few paragraphs down (``margin``), never above the
        absolute threshold.
        """
        absolute = float(np.log(self.threshold / (1 - self.threshold)))
        long_ = np.asarray(n_words) >= 10
        pool = logit[long_] if long_.sum() >= 3 else logit
        ref = float(np.sort(pool)[-3:].mean())
        return min(absolute, ref - self.margin)


@cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class _Member:
    """One trained network of the ensemble (the members' logits are averaged)."""

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str,
                 dilations: list[int]) -> None:
        f32 = np.float32
        self.embedding = arrays[prefix + "embedding"].astype(f32)
        self.w_in = arrays[prefix + "in_W"].astype(f32).T  # torch Linear stores (out, in)
        self.b_in = arrays[prefix + "in_b"].astype(f32)
        self.convs = []
        for k, dilation in enumerate(dilations):
            W = arrays[f"{prefix}conv{k}_W"].astype(f32)  # (out, in, kernel)
            kernel = W.shape[2]
            self.convs.append(
                (W.transpose(2, 1, 0).reshape(kernel * W.shape[1], W.shape[0]),
                 arrays[f"{prefix}conv{k}_b"].astype(f32), kernel, int(dilation))
            )
        self.w_out = arrays[prefix + "out_W"].astype(f32).T
        self.b_out = arrays[prefix + "out_b"].astype(f32)

    def logits(self, x: np.ndarray, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """This member alone, written as plainly as the PyTorch network it mirrors.

        Scoring runs through :class:`_Ensemble`; this is the reference it is tested
        against (tests/test_model.py), so it keeps its own simple convolution.
        """
        n = len(x)
        emb = _mean_embedding(np.ascontiguousarray(self.embedding.T), ids, offsets)
        h = np.maximum(np.hstack([x, emb]) @ self.w_in + self.b_in, 0.0)
        for W, b, kernel, dilation in self.convs:
            pad = dilation * (kernel - 1) // 2
            hp = np.pad(h, ((pad, pad), (0, 0)))
            cols = np.hstack([hp[j * dilation : j * dilation + n] for j in range(kernel)])
            h = np.maximum(cols @ W + b, 0.0) + h
        g = np.broadcast_to(h.mean(axis=0, keepdims=True), h.shape)
        return (np.hstack([h, g]) @ self.w_out + self.b_out)[:, 0]


def _mean_embedding(table_t: np.ndarray, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Mean of the embedding rows ``ids[offsets[k]:offsets[k+1]]`` for each block k.

    ``table_t`` is the table transposed (dim x words): gathering columns and summing
    segments along the last axis runs over contiguous memory, several times faster than
    the same reduction down the rows of the row-major table.
    """
    n, dim = len(offsets) - 1, table_t.shape[0]
    out = np.zeros((n, dim), np.float32)
    if not len(ids):
        return out
    counts = np.diff(offsets)
    some = counts > 0
    # reduceat sums from each start to the next one, so only non-empty segments may be
    # given (an empty one would cut its predecessor short at the end of ``ids``)
    sums = np.add.reduceat(table_t[:, ids], offsets[:-1][some], axis=1)
    out[some] = (sums / counts[some].astype(np.float32)).T
    return out


def _dilated_columns(h: np.ndarray, kernel: int, dilation: int) -> np.ndarray:
    """The ``kernel`` shifted copies of ``h`` (members x blocks x channels) side by side
    on the channel axis: a 'same' 1-D convolution's input, zero beyond the document."""
    m, n, width = h.shape
    pad = dilation * (kernel - 1) // 2
    cols = np.zeros((m, n, kernel * width), np.float32)
    for j in range(kernel):
        shift = j * dilation - pad  # row i of tap j reads h[i + shift]
        lo, hi = max(0, -shift), min(n, n - shift)
        if lo < hi:
            cols[:, lo:hi, j * width : (j + 1) * width] = h[:, lo + shift : hi + shift]
    return cols


class _Ensemble:
    """The members run side by side, sharing every numpy call.

    Averaging M small networks one by one costs M times the numpy calls, and at a few
    hundred blocks per page the calls, not the arithmetic, are the cost. Here the
    embedding tables are concatenated and the hand-made features feed all members
    through one block-diagonal input matrix; the convolutions are one batched matmul
    over a (members x blocks x channels) stack; the average of the output layers is one
    contraction. Same logits as averaging the members, up to float32 rounding
    (tests/test_model.py).
    """

    def __init__(self, members: list[_Member]) -> None:
        m = len(members)
        hid = members[0].w_in.shape[1]
        dim = members[0].embedding.shape[1]
        n_feat = members[0].w_in.shape[0] - dim
        self.n_members, self.hidden = m, hid
        # Members hold float32 already; stacking them keeps the dtype.
        self.embedding_t = np.ascontiguousarray(np.hstack([mb.embedding for mb in members]).T)
        w_in = np.zeros((n_feat + m * dim, m * hid), np.float32)
        for j, mb in enumerate(members):
            w_in[:n_feat, j * hid : (j + 1) * hid] = mb.w_in[:n_feat]
            w_in[n_feat + j * dim : n_feat + (j + 1) * dim, j * hid : (j + 1) * hid] = (
                mb.w_in[n_feat:]
            )
        self.w_in = w_in
        self.b_in = np.concatenate([mb.b_in for mb in members])
        self.convs = []
        for layer in range(len(members[0].convs)):
            kernel, dilation = members[0].convs[layer][2], members[0].convs[layer][3]
            W = np.stack([mb.convs[layer][0] for mb in members])  # (m, k*in, out)
            b = np.stack([mb.convs[layer][1] for mb in members])[:, None, :]
            self.convs.append((W, b, kernel, dilation))
        # mean over members of (h_j @ out_h_j + mean(h_j) @ out_g_j + b_j)
        self.w_out_h = np.stack([mb.w_out[:hid, 0] for mb in members]) / np.float32(m)
        self.w_out_g = np.stack([mb.w_out[hid:, 0] for mb in members]) / np.float32(m)
        self.b_out = float(np.mean([mb.b_out[0] for mb in members]))

    def logits(self, x: np.ndarray, emb: np.ndarray) -> np.ndarray:
        """Logits from standardised features ``x`` and mean embeddings ``emb`` (blocks x
        members*dim, :meth:`BlockModel.embeddings`)."""
        n = len(x)
        h2 = np.maximum(np.hstack([x, emb]) @ self.w_in + self.b_in, 0.0)
        h = h2.reshape(n, self.n_members, self.hidden).transpose(1, 0, 2)
        for W, b, kernel, dilation in self.convs:
            h = np.maximum(np.matmul(_dilated_columns(h, kernel, dilation), W) + b, 0.0) + h
        per_block = np.tensordot(h, self.w_out_h, axes=([0, 2], [0, 1]))
        per_doc = float(np.tensordot(h.mean(axis=1), self.w_out_g, axes=2))
        return per_block + per_doc + self.b_out


class Forest:
    """Oblivious decision trees: every level of a tree asks one question (feature >
    border) of all its nodes, so a block's leaf number is the D answers read as bits.

    That makes a whole page one comparison over (distinct questions x blocks), a row
    gather per level and one gather of leaves, where walking ordinary trees (as
    ``scraper.extract.trees`` does for the extractor's shallower ensemble) costs a
    gather per level: 300 LightGBM trees of 31 leaves walked that way took 20 ms for a
    180-block page, 300 oblivious trees here under 1 ms.
    ``leaf`` already includes CatBoost's scale; the logit is the sum of leaves plus
    ``bias``. Features are the raw ones (trees need no standardising).
    """

    def __init__(self, feature: np.ndarray, border: np.ndarray, leaf: np.ndarray,
                 bias: float) -> None:
        n_trees, depth = feature.shape
        if border.shape != feature.shape or leaf.shape != (n_trees, 1 << depth):
            raise ValueError("forest arrays do not fit together")
        if depth > 8:
            raise ValueError("forest trees deeper than 8 levels (leaf numbers are bytes)")
        self.n_trees, self.depth = n_trees, depth
        self.leaf = np.ascontiguousarray(leaf.ravel(), dtype=np.float32)
        # Trees ask far fewer distinct questions than they have levels (875 of 1,800 in
        # the shipped forest): each (feature, border) is answered once per page, and
        # level k of every tree reads its answers' rows back (``ask[k]``).
        pairs = np.stack([np.asarray(feature, np.float64).T.ravel(),
                          np.asarray(border, np.float32).astype(np.float64).T.ravel()], 1)
        questions, ask = np.unique(pairs, axis=0, return_inverse=True)
        self.feature = questions[:, 0].astype(np.intp)
        self.border = questions[:, 1].astype(np.float32)[:, None]
        self.ask = ask.reshape(depth, n_trees)
        # Leaf numbers (tree * 2**depth + answers as bits) in the narrowest integer type.
        index = np.min_scalar_type((n_trees << depth) - 1)
        self.offset = (np.arange(n_trees, dtype=index) << depth)[:, None]
        self.bias = bias

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str = "") -> Forest:
        """The forest stored as ``<prefix>feature/border/leaf/bias`` (the model file, and
        the training script's export before it is saved)."""
        return cls(arrays[prefix + "feature"], arrays[prefix + "border"],
                   arrays[prefix + "leaf"], float(arrays[prefix + "bias"][0]))

    def logits(self, x: np.ndarray) -> np.ndarray:
        # Blocks on the last axis: the gather reads whole feature rows, and a level's
        # answers for all trees are whole rows of ``answers`` (bytes, 0 or 1).
        answers = (np.ascontiguousarray(x.T)[self.feature] > self.border).view(np.uint8)
        bits = answers[self.ask[0]]
        for k in range(1, self.depth):
            bits |= answers[self.ask[k]] << k
        return self.leaf.take(bits + self.offset).sum(axis=0, dtype=np.float64) + self.bias


def load_model_file(path: Any) -> BlockModel:
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays.pop("meta")))
    return BlockModel(arrays, meta)


@cache
def load_default_model() -> BlockModel | None:
    ref = resources.files("cleaners").joinpath(MODEL_FILE)
    try:
        with resources.as_file(ref) as path:
            return load_model_file(path)
    except (FileNotFoundError, KeyError, ValueError):
        return None
