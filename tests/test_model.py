"""The shipped block model: the fused ensemble scores exactly as its members averaged."""

from __future__ import annotations

import numpy as np
import pytest

from cleaners.model import BlockModel, load_default_model


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
    got = model.ensemble.logits(x, ids, offsets)
    assert got.shape == (n_blocks,)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_fused_ensemble_without_known_words(model: BlockModel) -> None:
    x = np.ones((5, len(model.mean)), np.float32)
    ids = np.zeros(0, np.int64)
    offsets = np.zeros(6, np.int64)
    expected = np.mean([m.logits(x, ids, offsets) for m in model.members], axis=0)
    np.testing.assert_allclose(model.ensemble.logits(x, ids, offsets), expected, atol=1e-4)
