"""Access to the WCXB development set in ../shared (never copied into the repo).

WCXB: Web Content eXtraction Benchmark v1.0, Murrough Foley (2026), CC-BY-4.0.
The split is fixed by a hash of the page id so that anything fitted on ``train`` can be
checked on ``holdout`` pages it never saw.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CREDIT = "WCXB v1.0 dev split (Murrough Foley, 2026, CC-BY-4.0)"
HOLDOUT_PERCENT = 30


def dataset_dir() -> Path:
    env = os.environ.get("PAGEWASH_WCXB")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    for cand in (here.parent / "shared/datasets/wcxb-dev", here / "../shared/datasets/wcxb-dev"):
        if cand.exists():
            return cand.resolve()
    raise SystemExit("WCXB dev set not found: set PAGEWASH_WCXB=/path/to/wcxb-dev")


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    page_type: str
    title: str
    body: str
    split: str

    def dump(self) -> str:
        return (dataset_dir() / "dumps" / f"{self.id}.txt").read_text("utf-8")

    def html(self) -> bytes:
        return gzip.decompress((dataset_dir() / "html" / f"{self.id}.html.gz").read_bytes())


def split_of(page_id: str) -> str:
    h = int(hashlib.sha1(page_id.encode()).hexdigest()[:8], 16)
    return "holdout" if h % 100 < HOLDOUT_PERCENT else "train"


def in_validation(page_id: str, fraction: float) -> bool:
    """Whether a train page is in the validation part (``fraction`` of the train pages,
    fixed by a hash): what training scripts set aside to choose settings without looking
    at ``holdout``."""
    h = int(hashlib.sha1(f"val:{page_id}".encode()).hexdigest()[:8], 16)
    return split_of(page_id) == "train" and h % 1000 < fraction * 1000


@cache
def _truth() -> dict:
    return json.loads((dataset_dir() / "ground-truth.json").read_text("utf-8"))


def pages(split: str = "all") -> Iterator[Page]:
    """Pages of ``split`` ("all", "train" or "holdout") in id order."""
    for pid, v in sorted(_truth().items()):
        s = split_of(pid)
        if split != "all" and s != split:
            continue
        yield Page(pid, v.get("url") or "", v.get("page_type") or "unknown",
                   v.get("title") or "", v.get("articleBody") or "", s)


@cache
def true_paragraphs(types: frozenset[str], min_words: int) -> tuple[str, ...]:
    """Distinct lines of at least ``min_words`` words from the true content of the *train*
    pages of ``types``, in page order: real prose, for training scripts that lengthen
    pages with it (never holdout text)."""
    out = (line.strip() for page in pages("train") if page.page_type in types
           for line in page.body.splitlines() if len(line.split()) >= min_words)
    return tuple(dict.fromkeys(out))
