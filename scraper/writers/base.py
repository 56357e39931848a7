"""What every record writer shares: shard naming, shard rollover, commit/close/abort.

A format (JSON Lines, Parquet) only says how one shard file is opened, filled,
published and dropped; when a shard is full, how shards are named, what ``commit``,
``close`` and ``abort`` mean and how an exception leaving a ``with`` block is treated
are decided here once, so every ``-o`` format behaves the same under sharding,
Ctrl-C and errors.

Shard names: with ``shard_records`` and/or ``shard_bytes``, ``-NNNNN`` (five digits,
from 00000) goes before the last ``.jsonl``/``.json``/``.ndjson``/``.parquet`` part of
the name, or else before the first extension: ``out.jsonl.gz`` -> ``out-00000.jsonl.gz``,
``my.data.parquet`` -> ``my.data-00000.parquet``, ``out`` -> ``out-00000``.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Literal, Self, TypeVar

from scraper.errors import ConfigError, OutputError


def output_target(path: Path) -> Path:
    """Where output named ``path`` really goes, refused early when it cannot go there.

    Output is renamed into place, and a rename replaces whatever has the name: so a
    symlink is followed to its target (the link stays a link), and a directory, a path
    under a file or in a read-only place is refused before the job starts rather than
    after it ran.
    A device or pipe (``/dev/null``, a FIFO) is not renamed over: see :func:`is_stream`.
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; name an output file inside it")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{path}: cannot create: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot create: {parent} is not writable")
    return path


def is_stream(path: Path) -> bool:
    """An existing output that is not a regular file (a character device such as
    ``/dev/null``, a FIFO, a socket): written straight through, as stdout is."""
    return path.exists() and not path.is_file()


# Name parts that say what format a file is in: the shard number goes before them.
FORMAT_PARTS = ("jsonl", "json", "ndjson", "parquet")


def shard_path(path: Path | str, index: int) -> Path:
    """Where shard ``index`` of output ``path`` goes (see the module docstring)."""
    path = Path(path)
    name = path.name
    lead = len(name) - len(name.lstrip("."))
    parts = name[lead:].split(".")
    cut = next(
        (i for i in range(len(parts) - 1, 0, -1) if parts[i].lower() in FORMAT_PARTS),
        1 if len(parts) > 1 else len(parts),
    )
    stem, ext = ".".join(parts[:cut]), ".".join(parts[cut:])
    return path.with_name(f"{name[:lead]}{stem}-{index:05d}" + (f".{ext}" if ext else ""))


def output_names(path: Path | str) -> str:
    """A regex (source) of the names output ``path`` is written under: the file's own
    name or one of its numbered shards (``out.jsonl``, ``out-00012.jsonl``)."""
    name = Path(path).name
    head, tail = shard_path(name, 0).name.rsplit("00000", 1)
    return f"{re.escape(name)}|{re.escape(head)}\\d+{re.escape(tail)}"


class Shard:
    """Counters of the file being written; formats add their own handle and buffers."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.records = 0
        self.bytes = 0


S = TypeVar("S", bound=Shard)


class ShardedWriter(ABC, Generic[S]):
    """Write records to ``path`` or to shards of it; nothing is under a final name until
    it is whole (see :meth:`commit`).

    Subclasses implement the abstract ``_``-methods below for one file format.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        shard_records: int | None = None,
        shard_bytes: int | None = None,
        fsync: bool = True,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        """``on_commit`` runs after every commit, once what was written is published
        (a dedup index records then which documents the output now holds)."""
        for name, value in (("shard_records", shard_records), ("shard_bytes", shard_bytes)):
            if value is not None and value <= 0:
                raise ConfigError(f"{name} must be positive, not {value}")
        self.path = Path(path) if str(path) == "-" else output_target(Path(path))
        self.shard_records = shard_records
        self.shard_bytes = shard_bytes
        self._sharded = bool(shard_records or shard_bytes)
        self._fsync = fsync
        self._on_commit = on_commit
        self._shard: S | None = None
        self._index = 0
        self._refill: tuple[int, int] | None = None  # (continue_from) the last shard's fill
        self._closed = False
        self.paths: list[Path] = []
        self.records = 0
        self.bytes = 0

    # -- the format's part -----------------------------------------------------------

    @abstractmethod
    def _encode(self, obj: dict[str, Any]) -> tuple[Any, int]:
        """``obj`` as the format stores it, and its size in bytes for ``shard_bytes``.

        Runs before the shard is chosen, so a record the format refuses raises here
        and never starts or fills a shard.
        """

    @abstractmethod
    def _open_shard(self, final: Path, keep_published: bool) -> S:
        """Start the temp file that becomes ``final``; with ``keep_published`` it
        starts with what an earlier commit published under that name."""

    @abstractmethod
    def _add(self, shard: S, item: Any, nbytes: int) -> None:
        """Put one encoded record into ``shard`` in a single step, so that an interrupt
        finds it either not added or kept by the next publish."""

    def _added(self, shard: S) -> None:
        """The record just added is counted: write buffered records out if enough have
        gathered (after counting, so an interrupt in the write loses no count)."""

    @abstractmethod
    def _publish(self, shard: S) -> None:
        """Finish ``shard``'s file and rename it to ``shard.final``; safe to call again
        when interrupted."""

    @abstractmethod
    def _discard(self, shard: S) -> None:
        """Drop ``shard``'s temp file; its final name keeps what it had before."""

    # -- writing ---------------------------------------------------------------------

    @property
    def _writes_files(self) -> bool:
        """False for a stream (stdout), which has no file to create when nothing came."""
        return True

    def _check_open(self) -> None:
        if self._closed:
            raise OutputError(f"{self.path}: write after close")

    def write(self, obj: dict[str, Any]) -> None:
        """Add one record; it is on disk under a final name after the next commit."""
        self._check_open()
        item, nbytes = self._encode(obj)
        shard = self._shard
        if shard is not None and self._full(shard, nbytes):
            self.commit()
            shard = None
        if shard is None:
            shard = self._new_shard()
            if shard.records and self._full(shard, nbytes):
                # the last shard of an earlier run (continue_from), full already: it
                # stays as that run published it
                self._discard(shard)
                shard = self._new_shard()
            self._shard = shard
        self._add(shard, item, nbytes)
        shard.records += 1
        shard.bytes += nbytes
        self.records += 1
        self.bytes += nbytes
        self._added(shard)

    def continue_from(self, published: list[Path], *,
                      last_shard: tuple[int, int] | None = None) -> None:
        """Append to what an earlier run published (``--resume``): unsharded, the first
        commit keeps the file's records before this run's; sharded, numbering goes on
        after the last shard, which stays as it is.

        ``last_shard`` (its records, and their bytes as JSON lines) fills the last shard
        up first instead: a run stopped mid-shard published a short one, and only filling
        it gives the shards an uninterrupted run writes (``corpus --resume``). Until a
        record comes, the shard stays as published.
        """
        if self.records or self._shard is not None or self.paths:
            raise OutputError(f"{self.path}: continue_from after writing")
        self.paths = list(published)
        if self._sharded:
            self._index = len(published)
            if last_shard is not None and published:
                self._index -= 1
                self._refill = last_shard

    def commit(self) -> list[Path]:
        """Publish the current file under its final name; later writes start a new shard
        (or, unsharded, a new version of ``path`` that keeps everything committed).

        Returns every final path committed so far, in order.
        """
        shard = self._shard
        if shard is not None:
            self._publish(shard)  # safe to repeat if interrupted
            if shard.final not in self.paths:
                self.paths.append(shard.final)
            self._shard = None
        return self._committed()

    def _committed(self) -> list[Path]:
        if self._on_commit is not None:
            self._on_commit()
        return list(self.paths)

    def close(self) -> list[Path]:
        """Commit and finish; returns every final path written, in order.

        A run that wrote nothing still gets one empty file, so that an empty result
        looks different from a run that never happened.
        """
        if self._closed:
            return list(self.paths)
        if self._writes_files and self._shard is None and not self.paths:
            self._shard = self._new_shard()
        self.commit()
        self._closed = True
        return list(self.paths)

    def abort(self) -> None:
        """Drop what was not committed; committed files stay."""
        shard, self._shard = self._shard, None
        if shard is not None:
            self._discard(shard)
        self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        # Ctrl-C or sys.exit mid-run: every record written is whole, so keep them all.
        # Any other exception may mean the records themselves are wrong: publish nothing.
        if exc_type is None or issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self.close()
        else:
            self.abort()
        return False

    # -- internals -------------------------------------------------------------------

    def _full(self, shard: S, nbytes: int) -> bool:
        if not self._sharded or shard.records == 0:
            return False
        if self.shard_records is not None and shard.records + 1 > self.shard_records:
            return True
        return self.shard_bytes is not None and shard.bytes + nbytes > self.shard_bytes

    def _new_shard(self) -> S:
        if self._sharded:
            final = shard_path(self.path, self._index)
            self._index += 1
            refill, self._refill = self._refill, None
            shard = self._open_shard(final, keep_published=refill is not None)
            if refill is not None:
                shard.records, shard.bytes = refill  # full as the earlier run left it
            return shard
        # Unsharded and committed before: carry the published content over, so the
        # next commit of the same path does not lose it.
        return self._open_shard(self.path, keep_published=bool(self.paths))
