"""Which writer an output path gets: the one place that looks at ``-o``'s extension.

``.parquet`` is Parquet (:class:`~scraper.writers.parquet.ParquetWriter`, needs the
``parquet`` extra); anything else is JSON Lines (:class:`~scraper.writers.jsonl.JsonlWriter`,
``.gz``/``.zst`` compressed by extension, ``-`` for stdout).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scraper.errors import ConfigError
from scraper.writers.base import ShardedWriter
from scraper.writers.jsonl import JsonlWriter

RecordWriter = ShardedWriter[Any]

_COMPRESSED = (".gz", ".zst", ".zstd")
# Compressions pagewash does not write: such a name got plain JSON Lines, which the
# tools the name promises (bunzip2, xz -d) then refused.
_NOT_WRITTEN = (".bz2", ".xz", ".lzma", ".lz4", ".br", ".zip", ".7z")


def check_compression_name(path: str | os.PathLike[str], what: str) -> None:
    """Refuse a file name that promises a compression pagewash does not write: it got
    plain text, which the tools the name promises (bunzip2, xz -d) then refused. Every
    file a run writes is checked (the output, --rejects, --dropped, --summary-json)."""
    name = Path(path).name
    other = next((ext for ext in _NOT_WRITTEN if name.lower().endswith(ext)), None)
    if other is not None:
        stem = name[: -len(other)]
        raise ConfigError(f"{path}: pagewash compresses files with gzip or zstd only, "
                          f"not {other}; name {what} {stem}.gz or {stem}.zst")


def is_parquet(path: str | os.PathLike[str]) -> bool:
    return Path(path).name.lower().endswith(".parquet")


def check_output(path: str | os.PathLike[str]) -> None:
    """Refuse an output this install cannot write, before a job reads or creates anything.

    The writer checks the same when it is made; jobs that open other files first (the
    corpus state) call this so that a missing extra does not leave them half set up.
    """
    name = Path(path).name.lower()
    check_compression_name(path, "the output")
    if name.endswith(_COMPRESSED) and ".parquet." in name:
        raise ConfigError(f"{path}: Parquet compresses its columns itself (zstd); "
                          f"name the output {Path(path).stem}")
    if is_parquet(path):
        from scraper.writers.parquet import require_pyarrow

        require_pyarrow(path)


def open_output(
    path: str | os.PathLike[str],
    *,
    shard_records: int | None = None,
    shard_bytes: int | None = None,
    fsync: bool = True,
    on_commit: Callable[[], None] | None = None,
) -> RecordWriter:
    """The record writer for ``path``; see the module docstring for the choice."""
    check_output(path)
    options: dict[str, Any] = {"shard_records": shard_records, "shard_bytes": shard_bytes,
                               "fsync": fsync, "on_commit": on_commit}
    if is_parquet(path):
        from scraper.writers.parquet import ParquetWriter

        return ParquetWriter(path, **options)
    return JsonlWriter(path, **options)
