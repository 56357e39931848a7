"""Cross-document deduplication for the corpus job: MinHash/LSH and the seen-index."""

from __future__ import annotations

from scraper.dedup.index import SeenIndex, SqliteIndex, open_index
from scraper.dedup.minhash import LshParams, MinHasher

__all__ = ["LshParams", "MinHasher", "SeenIndex", "SqliteIndex", "open_index"]
