"""Gradient-boosted tree ensembles as plain numpy arrays (no scikit-learn at run time).

The training script (``bench/train_extract_model.py``) fits scikit-learn's
HistGradientBoostingClassifier and flattens every tree into node arrays; here all trees
are evaluated at once: one gather per tree level for all rows and trees, so scoring a
page's thousand blocks costs well under a millisecond.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

NODE_FIELDS = ("feature", "threshold", "left", "right", "value", "is_leaf", "roots")


@dataclass(frozen=True, slots=True)
class TreeModel:
    """A flattened tree ensemble: node arrays of all trees, concatenated."""

    feature: np.ndarray  # int32, per node
    threshold: np.ndarray  # float64 (exact: features are float32), left when x <= threshold
    left: np.ndarray  # int32, absolute node index
    right: np.ndarray  # int32
    value: np.ndarray  # float32, leaf value (raw score contribution)
    is_leaf: np.ndarray  # bool
    roots: np.ndarray  # int32, root node index of each tree
    depth: int
    baseline: float
    # Derived for scoring: leaves made into self-loops (split on feature 0 at +inf, both
    # children themselves), so every row can take ``depth`` steps without a leaf test.
    _split_feature: np.ndarray = field(init=False, repr=False, compare=False)
    _split_threshold: np.ndarray = field(init=False, repr=False, compare=False)
    _children: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        leaf = self.is_leaf.astype(bool)
        own = np.arange(len(leaf), dtype=np.int64)
        children = np.empty(2 * len(leaf), dtype=np.int64)
        children[0::2] = np.where(leaf, own, self.left)
        children[1::2] = np.where(leaf, own, self.right)
        object.__setattr__(self, "_split_feature",
                           np.where(leaf, 0, self.feature).astype(np.int64))
        object.__setattr__(self, "_split_threshold",
                           np.where(leaf, np.inf, self.threshold).astype(np.float64))
        object.__setattr__(self, "_children", children)

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw (log-odds) score of each row of ``x``."""
        n = x.shape[0]
        if n == 0:
            return np.zeros(0, dtype=np.float64)
        flat = np.ascontiguousarray(x).ravel()
        offset = (np.arange(n, dtype=np.int64) * x.shape[1])[:, None]
        nodes = np.broadcast_to(self.roots.astype(np.int64), (n, len(self.roots)))
        for _ in range(self.depth):
            right = flat[offset + self._split_feature[nodes]] > self._split_threshold[nodes]
            nodes = self._children[2 * nodes + right]
        return self.baseline + self.value[nodes].sum(axis=1, dtype=np.float64)

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row of ``x`` (binary models)."""
        if x.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        return (1.0 / (1.0 + np.exp(-self.raw(x)))).astype(np.float32)


def tree_from_arrays(
    arrays: dict[str, np.ndarray], prefix: str, depth: int, baseline: float
) -> TreeModel:
    return TreeModel(
        feature=arrays[f"{prefix}feature"].astype(np.int32),
        threshold=arrays[f"{prefix}threshold"].astype(np.float64),
        left=arrays[f"{prefix}left"].astype(np.int32),
        right=arrays[f"{prefix}right"].astype(np.int32),
        value=arrays[f"{prefix}value"].astype(np.float32),
        is_leaf=arrays[f"{prefix}is_leaf"].astype(bool),
        roots=arrays[f"{prefix}roots"].astype(np.int32),
        depth=depth,
        baseline=baseline,
    )


def save_arrays(path: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write a model file: node arrays plus a JSON ``meta`` record (training script)."""
    # (mypy matches **arrays against numpy 2's ``allow_pickle: bool`` too; the arrays
    # are named after node fields, never so. Naming the flag is no way out: numpy 1.26,
    # which pyproject allows, has no such flag and would save it as an array.)
    np.savez_compressed(path, **arrays, meta=np.frombuffer(  # type: ignore[arg-type]
        json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8))


def load_arrays(name: str) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
    """(arrays, meta) of a model file shipped in the package, or None when absent."""
    ref = resources.files("scraper").joinpath(name)
    try:
        with ref.open("rb") as f:
            data = np.load(f)
            arrays = {k: data[k] for k in data.files}
    except (FileNotFoundError, OSError, ValueError):
        return None
    meta = json.loads(bytes(arrays.pop("meta")).decode("utf-8"))
    return arrays, meta
