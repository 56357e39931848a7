"""The shipped block model: the fused ensemble scores exactly as its members averaged,
and a page where nothing looks like content comes out empty."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from cleaners.blocks import BlockDoc
from cleaners.model import BlockModel, _mean_embedding, load_default_model
from cleaners.vocab import load_vocab


@pytest.fixture(scope="module")
def model() -> BlockModel:
    m = load_default_model()
    if m is None:
        pytest.fail("the shipped block model does not load (feature list changed?)")
    return m


@pytest.mark.parametrize("n_blocks", [1, 2, 7, 40, 300])
def test_fused_ensemble_matches_member_average(model: BlockModel, n_blocks: int) -> None:
    rng = np.random.default_rng(n_blocks)
    x = rng.normal(size=(n_blocks, len(model.mean))).astype(np.float32)
    lengths = rng.integers(0, 25, size=n_blocks)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    ids = rng.integers(0, len(model.word_ids), size=int(offsets[-1])).astype(np.int64)
    expected = np.mean([m.logits(x, ids, offsets) for m in model.members], axis=0)
    got = model.ensemble.logits(x, _mean_embedding(model.ensemble.embedding_t, ids, offsets))
    assert got.shape == (n_blocks,)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_fused_ensemble_without_known_words(model: BlockModel) -> None:
    x = np.ones((5, len(model.mean)), np.float32)
    ids = np.zeros(0, np.int64)
    offsets = np.zeros(6, np.int64)
    expected = np.mean([m.logits(x, ids, offsets) for m in model.members], axis=0)
    emb = _mean_embedding(model.ensemble.embedding_t, ids, offsets)
    np.testing.assert_allclose(model.ensemble.logits(x, emb), expected, atol=1e-4)


def _doc(lines: list[str]) -> BlockDoc:
    return BlockDoc.from_text("\n\n".join(lines), load_vocab(("en",)))


def _scored(model: BlockModel, logits: list[float]) -> BlockModel:
    """The shipped model with its scores replaced: the page-level decision alone."""
    fixed = copy.copy(model)
    p = 1.0 / (1.0 + np.exp(-np.asarray(logits)))
    fixed.scores = lambda doc, indices: p[: len(indices)]  # type: ignore[method-assign]
    return fixed


PAGE = ["Cart (0)", "Subtotal $0 USD", "Calculated at checkout", "Trade In", "Subscribe"]


def test_page_without_content_comes_out_empty(model: BlockModel) -> None:
    doc = _doc(PAGE)
    _scored(model, [-6.0, -4.5, -3.5, -5.0, -7.0]).apply(doc)
    assert [b.removed_by for b in doc.blocks] == ["model.no_content"] * len(PAGE)


def test_one_content_like_block_keeps_the_page(model: BlockModel) -> None:
    # Below the absolute threshold everywhere, but the best block is not hopeless: the
    # relative cut keeps the best part of the page, as before.
    doc = _doc(PAGE)
    _scored(model, [-6.0, -4.5, -1.0, -5.0, -7.0]).apply(doc)
    assert doc.blocks[2].removed_by is None
    assert all(b.removed_by != "model.no_content" for b in doc.blocks)


def test_no_content_cut_can_be_switched_off(model: BlockModel) -> None:
    doc = _doc(PAGE)
    off = _scored(model, [-6.0, -4.5, -3.5, -5.0, -7.0])
    off.no_content_logit = float("-inf")
    off.apply(doc)
    assert any(b.removed_by is None for b in doc.blocks)


def test_mean_embedding_matches_a_plain_loop() -> None:
    rng = np.random.default_rng(7)
    table = rng.normal(size=(50, 6)).astype(np.float32)
    lengths = [3, 0, 1, 0, 0, 5, 2, 0]  # empty blocks first, between and last
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    ids = rng.integers(0, 50, size=int(offsets[-1])).astype(np.int64)
    got = _mean_embedding(np.ascontiguousarray(table.T), ids, offsets)
    for k, n in enumerate(lengths):
        seg = ids[offsets[k] : offsets[k + 1]]
        want = table[seg].mean(axis=0) if n else np.zeros(6, np.float32)
        np.testing.assert_allclose(got[k], want, rtol=1e-5, atol=1e-6)


def test_block_embeddings_are_kept_for_the_next_pass(model: BlockModel) -> None:
    doc = _doc(["Share this article", "The council voted on Tuesday to approve the budget."])
    first = model.embeddings(doc, [0, 1])
    cached = [b.tok[1] for b in doc.blocks]  # type: ignore[index]
    again = model.embeddings(doc, [1])
    assert again[0] is not first[1] and np.array_equal(again[0], first[1])
    assert doc.blocks[1].tok[1] is cached[1]  # type: ignore[index]  # not recomputed
