"""``--resume``: carry on a ``clean`` or ``extract`` run that was stopped, from its output.

A long run (a month of Common Crawl WET files) stopped by Ctrl-C, a reboot or a
``kill -9`` keeps every record it published: the output file after a stop, the shards
committed so far after a kill. Running the same command again with ``--resume`` reads the
``source`` of every record in that output and of every line of its rejects file, skips the
input items they name, and appends what is new. The output then holds what one
uninterrupted run would have written, in the same order when the inputs are the same.

No separate state file is kept: the output and the rejects file are the state, so they
cannot disagree with it. Sources are held as 8-byte digests (about 70 bytes per item in
memory), not as strings.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from scraper.document import Document
from scraper.errors import ConfigError
from scraper.pipeline import RunContext, Step
from scraper.readers.compression import compression_of, decompressing
from scraper.writers.base import shard_path
from scraper.writers.output import is_parquet

# A source is ``path``, ``path:line``, ``path:row`` or ``path@offset`` (or a URL, or
# ``-`` for stdin).
_POSITION = re.compile(r"(?::|@)\d+$")


@lru_cache(maxsize=4096)
def _real(path: str) -> str:
    return os.path.realpath(path)


def _file_part(source: str) -> tuple[str | None, str]:
    """The file path a source names (None for stdin or a URL) and its position suffix."""
    position = _POSITION.search(source)
    path = source[: position.start()] if position else source
    suffix = position.group() if position else ""
    return (None if path == "-" or "://" in path else path), suffix


def _digest(source: str) -> int:
    """The same item under any spelling of its path: ``in/a.jsonl:3`` from one run and
    ``/data/in/a.jsonl:3`` or ``./in/a.jsonl:3`` from the next are one input, so a
    resumed command need not repeat its inputs character for character."""
    path, suffix = _file_part(source)
    if path is not None:
        source = _real(path) + suffix
    raw = source.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little")


@dataclass
class ResumePoint:
    """What an earlier run of the same output already did."""

    outputs: list[Path] = field(default_factory=list)  # published files, in order
    records: int = 0
    rejects: int = 0
    rejects_file: Path | None = None
    skipped: int = 0  # (SkipDone) items of the earlier run met again so far
    _done: set[int] = field(default_factory=set, repr=False)

    def __contains__(self, source: object) -> bool:
        return isinstance(source, str) and _digest(source) in self._done

    def add(self, source: str) -> None:
        self._done.add(_digest(source))


def read_resume_point(output: str, rejects: str, *, sharded: bool) -> ResumePoint:
    """The records and rejects an earlier run left under ``output`` (where the writer
    puts it: through a symlink, the link's target) and ``rejects``.

    Nothing there is a fresh start. Files the other way of writing left (shards when
    this run writes one file, or the reverse) are refused: appending to the wrong ones
    would split the output in two.
    """
    if output == "-":
        raise ConfigError("--resume needs an output file: stdout keeps no earlier records")
    point = ResumePoint()
    single, first_shard = Path(output), shard_path(output, 0)
    if sharded and single.is_file() and not first_shard.exists():
        raise ConfigError(f"{output}: cannot resume: an earlier run wrote one file, not "
                          "shards; run again without --shard-records/--shard-size")
    if not sharded and first_shard.is_file() and not single.exists():
        raise ConfigError(f"{output}: cannot resume: an earlier run wrote shards "
                          f"({first_shard.name}, ...); give the same --shard-records or "
                          "--shard-size")
    if sharded:
        while (shard := shard_path(output, len(point.outputs))).is_file():
            point.outputs.append(shard)
    elif single.is_file():
        point.outputs.append(single)
    first: str | None = None
    for path in point.outputs:
        for source in _sources(path):
            point.add(source)
            point.records += 1
            first = first or source
    rejects_file = Path(rejects)
    if rejects_file.is_file():
        point.rejects_file = rejects_file
        for source in _jsonl_sources(rejects_file):
            point.add(source)
            point.rejects += 1
            first = first or source
    if first is not None:
        _check_relative(first, output)
    return point


def _check_relative(source: str, output: str) -> None:
    """Relative sources are only the same inputs from the directory the earlier run ran
    in; from anywhere else every input would look new and be written a second time.
    (An input removed since is fine as long as its directory is there.)"""
    path, _ = _file_part(source)
    if path is None or os.path.isabs(path) or os.path.lexists(path) \
            or os.path.isdir(os.path.dirname(path) or "."):
        return
    raise ConfigError(
        f"{output}: cannot resume from here: its records name inputs relative to another "
        f"directory ({path!r} is not found from {os.getcwd()}); run the command from the "
        "directory the earlier run ran in")


def _sources(path: Path) -> Iterator[str]:
    if is_parquet(path):
        yield from _parquet_sources(path)
    else:
        yield from _jsonl_sources(path)


def _jsonl_sources(path: Path) -> Iterator[str]:
    for where, line in _jsonl_lines(path, whole_lines=True):
        yield _source_of(line, where)


def _jsonl_lines(path: Path, *, whole_lines: bool = False) -> Iterator[tuple[str, bytes]]:
    """The non-blank lines of a published JSONL output (compressed or not), each with
    where it is (``path:line``); a file that cannot be read is a ConfigError naming it.
    ``whole_lines``: refuse a last line without its newline (pagewash ends every line;
    what a resumed run appends would glue on)."""
    try:
        with open(path, "rb") as raw:
            compression = compression_of(raw.read(4))
            raw.seek(0)
            line = b"\n"
            for number, line in enumerate(decompressing(raw, compression), 1):
                if line.strip():
                    yield f"{path}:{number}", line
            if whole_lines and not line.endswith(b"\n"):
                raise ConfigError(f"{path}: cannot resume: its last line has no newline; "
                                  "was it written by pagewash?")
    except ConfigError:
        raise
    except Exception as err:  # OSError, EOFError, zlib.error, zstandard.ZstdError, ...
        raise ConfigError(f"{path}: cannot resume from it: {err}") from err


def _source_of(line: bytes, where: str) -> str:
    try:
        source = json.loads(line).get("source")
    except (ValueError, AttributeError) as err:
        raise ConfigError(f"{where}: cannot resume: not a record line ({err})") from err
    if not isinstance(source, str):
        raise ConfigError(f"{where}: cannot resume: the line has no 'source'; "
                          "is this a pagewash output?")
    return source


def _parquet_sources(path: Path) -> Iterator[str]:
    from scraper.writers.parquet import require_pyarrow

    require_pyarrow(path)
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
        number = 0
        for batch in file.iter_batches(columns=["source"], batch_size=65536):
            for source in batch.column(0).to_pylist():
                number += 1
                if not isinstance(source, str):
                    raise ConfigError(f"{path}: cannot resume: row {number} has no 'source'")
                yield source
    except ConfigError:
        raise
    except Exception as err:  # pyarrow's own ArrowInvalid / OSError kinds
        raise ConfigError(f"{path}: cannot resume from it: {err}") from err


class SkipDone(Step):
    """Drops the documents an earlier run already wrote or rejected, before any work is
    spent on them; counts them as ``resume.skipped``."""

    name = "resume"

    def __init__(self, point: ResumePoint) -> None:
        super().__init__()
        self.point = point

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            if doc.source in self.point:
                self.stats["skipped"] += 1
                self.point.skipped += 1
                continue
            yield doc


def published_records(path: Path) -> Iterator[tuple[str, dict[str, Any], int]]:
    """Every record of one published output file: where it is (``path:line``, or
    ``path:row N`` in Parquet), the record, and its size as a JSON line (what
    ``--shard-size`` counts). For a command that needs more of its earlier output than
    the sources (``corpus --resume`` seeds its dedup index with the texts)."""
    if is_parquet(path):
        yield from _parquet_records(path)
        return
    for where, line in _jsonl_lines(path):
        try:
            record = json.loads(line)
        except ValueError as err:
            raise ConfigError(f"{where}: cannot resume: not a record line ({err})") from err
        if not isinstance(record, dict):
            raise ConfigError(f"{where}: cannot resume: not a record line")
        yield where, record, len(line)


def _parquet_records(path: Path) -> Iterator[tuple[str, dict[str, Any], int]]:
    from scraper.record import record_schema
    from scraper.writers.jsonl import encode_line
    from scraper.writers.parquet import require_pyarrow

    require_pyarrow(path)
    import pyarrow.parquet as pq

    # A column holds null both for a field the record lacked and for one it had as null;
    # the schema's required fields are always there ("url": null), and their bytes count
    # towards --shard-size as they did when the record was written.
    required = frozenset(record_schema().get("required", ()))
    try:
        file = pq.ParquetFile(path)
        number = 0
        for batch in file.iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                number += 1
                record = {k: v for k, v in row.items()  # as written
                          if v is not None or k in required}
                yield f"{path}:row {number}", record, len(encode_line(record))
    except ConfigError:
        raise
    except Exception as err:  # pyarrow's own ArrowInvalid / OSError kinds
        raise ConfigError(f"{path}: cannot resume from it: {err}") from err


def check_resume_format(output: str, output_format: str, *, sharded: bool) -> None:
    """Refuse to resume an ``extract`` output written in the other ``--format``.

    The resumed run appended its records in the new format to the old ones, one output
    in two formats with nothing said, where README promises what one uninterrupted run
    writes. The first record says the earlier run's format (Parquet: not checked).
    """
    if output == "-":
        return
    path = shard_path(output, 0) if sharded else Path(output)
    if not path.is_file() or is_parquet(path):
        return
    try:
        with open(path, "rb") as raw:
            compression = compression_of(raw.read(4))
            raw.seek(0)
            line = next((x for x in decompressing(raw, compression) if x.strip()), b"")
        earlier = json.loads(line).get("format") if line else None
    except Exception:  # a damaged output is read_resume_point's to report, with its line
        return
    if isinstance(earlier, str) and earlier != output_format:
        raise ConfigError(f"{output}: cannot resume: an earlier run wrote it with --format "
                          f"{earlier}, not {output_format}; give the same --format")

