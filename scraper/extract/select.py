"""The block model: which blocks of a page are its main content.

Two stacked gradient-boosted tree ensembles over :mod:`scraper.extract.features`,
trained on the WCXB train split by ``bench/train_extract_model.py`` and shipped as node
arrays in ``scraper/extract/data/block_model.npz`` (see :mod:`.trees`). The second
stage also sees the first stage's opinion of each block's neighbours, page and
look-alikes, because content and chrome come in runs and in families of same-shaped
blocks.

When the model file is missing or was trained on other features, :func:`load_model`
returns None and the caller falls back to trafilatura's text alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from scraper.extract.blocks import Block
from scraper.extract.features import STACK_NAMES, feature_names, stack_features
from scraper.extract.trees import TreeModel, load_arrays, tree_from_arrays

MODEL_FILE = "extract/data/block_model.npz"


@dataclass(frozen=True, slots=True)
class BlockModel:
    stage1: TreeModel
    stage2: TreeModel | None
    threshold: float  # a block is content when its probability is at least this
    meta: dict[str, object]

    def scores(self, x: np.ndarray, blocks: list[Block]) -> np.ndarray:
        p1 = self.stage1.scores(x)
        if self.stage2 is None or len(p1) == 0:
            return p1
        return self.stage2.scores(np.hstack([x, stack_features(p1, blocks)]))


@cache
def load_model() -> BlockModel | None:
    """The shipped block model, or None when absent or built for other features."""
    loaded = load_arrays(MODEL_FILE)
    if loaded is None:
        return None
    arrays, meta = loaded
    if tuple(meta.get("features", ())) != feature_names() or tuple(
        meta.get("stack_features", ())
    ) != STACK_NAMES:
        return None
    stage1 = tree_from_arrays(arrays, "s1_", int(meta["s1_depth"]), float(meta["s1_baseline"]))
    stage2 = None
    if "s2_roots" in arrays:
        stage2 = tree_from_arrays(arrays, "s2_", int(meta["s2_depth"]),
                                  float(meta["s2_baseline"]))
    return BlockModel(stage1, stage2, float(meta["threshold"]), meta)
