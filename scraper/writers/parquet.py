"""Parquet output: the record schema as typed columns, atomic, optionally sharded.

What training-corpus users load with ``datasets``, pandas or duckdb. Needs pyarrow
(``pip install 'pagewash[parquet]'``); it is imported only when a ``.parquet`` output is
asked for, and its absence is a :class:`~scraper.errors.ConfigError` before any input
is read.

Columns: one per property of ``scraper/schema/record.schema.json``, in its order,
derived from the JSON Schema (:func:`record_arrow_schema`), so every shard of every run
has the same schema even when no record carries an optional field (it is then null).
Dates stay the ISO 8601 strings JSONL has. Two things a Parquet column cannot hold as
JSON does: an ``id`` may be a string or an integer, and a column has one type, so
integer ids are written as their decimal string; a lone surrogate (``"\\ud800"`` from a
JSON escape) is not UTF-8, so it becomes U+FFFD.

Atomicity: rows go to a hidden temp file next to the target (``.NAME.tmp-PID-XXXX``, as
for JSON Lines), written as row groups of at most :data:`ROW_GROUP_RECORDS` records or
about :data:`ROW_GROUP_BYTES` bytes, so memory stays bounded whatever the shard size; the
footer is written and the file renamed into place on commit. A Parquet file without its
footer cannot be read at all, and this way no reader ever sees one. A row group is
written by a single pyarrow call, which a ``KeyboardInterrupt`` cannot split; the temp
file's position before that call tells afterwards whether it happened, so a commit after
Ctrl-C keeps every record written exactly once.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scraper.errors import ConfigError, OutputError
from scraper.record import record_schema
from scraper.writers.atomic import fsync_dir, output_error, temp_name
from scraper.writers.base import Shard, ShardedWriter, is_stream
from scraper.writers.jsonl import encode_line

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

ROW_GROUP_RECORDS = 1000
ROW_GROUP_BYTES = 32 << 20  # estimated as JSON: a few hundred long articles
INSTALL_HINT = "pip install 'pagewash[parquet]'"

_SURROGATE = re.compile("[\ud800-\udfff]")


def require_pyarrow(path: str | os.PathLike[str]) -> Any:
    """The ``pyarrow`` module, or a :class:`ConfigError` naming the output that needs it."""
    try:
        import pyarrow
        import pyarrow.parquet  # a separate module, missing from some builds
    except ImportError as err:
        raise ConfigError(f"{path}: writing Parquet needs pyarrow, which is not installed; "
                          f"run {INSTALL_HINT}") from err
    return pyarrow


# -- the schema ---------------------------------------------------------------------------


def _json_types(spec: dict[str, Any]) -> set[str]:
    if "enum" in spec:
        names = {str: "string", int: "integer", type(None): "null"}
        return {names.get(type(v), "unknown") for v in spec["enum"]}
    kind = spec.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _arrow_type(arrow: Any, where: str, spec: dict[str, Any]) -> pa.DataType:
    types = _json_types(spec) - {"null"}
    if types == {"string"}:
        return arrow.string()
    if types == {"integer"}:
        return arrow.int64()
    if types == {"string", "integer"}:
        return arrow.string()  # one type per column: integers are stored as decimal strings
    if types == {"boolean"}:
        return arrow.bool_()
    if types == {"number"}:
        return arrow.float64()
    if types == {"array"}:
        items = spec.get("items", {})
        return arrow.list_(arrow.field("item", _arrow_type(arrow, f"{where}[]", items),
                                       nullable="null" in _json_types(items)))
    if types == {"object"}:
        required = set(spec.get("required", ()))
        return arrow.struct([
            arrow.field(name, _arrow_type(arrow, f"{where}.{name}", sub),
                     nullable=name not in required or "null" in _json_types(sub))
            for name, sub in spec.get("properties", {}).items()
        ])
    # A new kind of property must get a column on purpose, not be dropped silently.
    raise TypeError(f"record schema property {where!r}: no Parquet type for {spec}")


@cache
def record_arrow_schema() -> pa.Schema:
    """The Parquet schema of a record, derived from ``record.schema.json``: a required
    field that cannot be null is a non-nullable column, everything else nullable."""
    arrow = require_pyarrow("<parquet output>")
    schema = record_schema()
    required = set(schema.get("required", ()))
    fields = [
        arrow.field(name, _arrow_type(arrow, name, spec),
                    nullable=name not in required or "null" in _json_types(spec))
        for name, spec in schema["properties"].items()
    ]
    return arrow.schema(fields, metadata={"pagewash.record_schema": schema.get("$id", "")})


@cache
def _stringified() -> tuple[str, ...]:
    """Fields the JSON Schema lets be a string or an integer (``id``)."""
    return tuple(name for name, spec in record_schema()["properties"].items()
                 if {"string", "integer"} <= _json_types(spec))


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {k: _replace_surrogates(v) for k, v in value.items()}
    return value


# -- the writer ---------------------------------------------------------------------------


class _ParquetShard(Shard):
    def __init__(self, final: Path, tmp: Path, sink: Any, writer: pq.ParquetWriter) -> None:
        super().__init__(final)
        self.tmp = tmp
        self.sink = sink
        self.writer = writer
        # (temp file size after the last whole row group, rows not yet written): replaced
        # as one value, like the JSON Lines writer's tail.
        self.tail: tuple[int, list[dict[str, Any]]] = (sink.tell(), [])
        self.pending_bytes = 0
        self.flushing = 0  # rows handed to the pyarrow call in progress
        self.published = False


class ParquetWriter(ShardedWriter[_ParquetShard]):
    """Write records (the record schema, nothing else) as Parquet to ``path`` or shards
    of it; zstd-compressed columns by default."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        shard_records: int | None = None,
        shard_bytes: int | None = None,
        compression: str = "zstd",
        fsync: bool = True,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        if str(path) == "-":
            raise ConfigError("Parquet cannot be written to stdout (readers start from the "
                              "footer at the end of the file): give a .parquet file")
        self._pa = require_pyarrow(path)
        import pyarrow.parquet

        self._pq = pyarrow.parquet
        super().__init__(path, shard_records=shard_records, shard_bytes=shard_bytes,
                         fsync=fsync, on_commit=on_commit)
        if is_stream(self.path):
            raise ConfigError(f"{self.path}: Parquet needs a regular file (readers start "
                              "from the footer at its end), not a device or pipe")
        try:
            known = compression == "none" or self._pa.Codec.is_available(compression)
        except ValueError:
            known = False
        if not known:
            raise ConfigError(f"{path}: unknown or unavailable Parquet compression "
                              f"{compression!r} (zstd, snappy, gzip, lz4, brotli or none)")
        self.compression = compression
        self.schema = record_arrow_schema()
        self._columns = frozenset(self.schema.names)
        self._not_null = tuple(f.name for f in self.schema if not f.nullable)

    def continue_from(self, published: list[Path], *,
                      last_shard: tuple[int, int] | None = None) -> None:
        """Unsharded (or sharded with ``last_shard``, which is filled up), the published
        file is copied into the next version row group by row group: one of another
        schema must be refused now, naming it, not after the run has done its work."""
        if not self._sharded or last_shard is not None:
            for path in published[-1:] if self._sharded else published:
                try:
                    schema = self._pq.read_schema(path)
                except Exception as err:  # pyarrow's own ArrowInvalid / OSError kinds
                    raise ConfigError(f"{path}: cannot resume from it: {err}") from err
                if not schema.equals(self.schema, check_metadata=False):
                    raise ConfigError(f"{path}: cannot resume: its columns are not the ones "
                                      "pagewash writes now; write to a new output")
        super().continue_from(published, last_shard=last_shard)

    # -- records ---------------------------------------------------------------------

    def _encode(self, obj: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Check the record against the columns here, where the error can name it: a
        field with no column would otherwise be dropped without a word."""
        unknown = obj.keys() - self._columns
        if unknown:
            raise OutputError(f"{self.path}: record {obj.get('id')!r}: no Parquet column for "
                              f"{', '.join(sorted(unknown))} (not in the record schema)")
        for name in self._not_null:
            if obj.get(name) is None:
                raise OutputError(f"{self.path}: record {obj.get('id')!r}: {name} is missing")
        for name in _stringified():
            value = obj.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                obj = {**obj, name: str(value)}
        return obj, len(encode_line(obj))  # the size the same record has as JSON Lines

    def _table(self, rows: list[dict[str, Any]]) -> pa.Table:
        pa = self._pa
        try:
            try:
                return pa.Table.from_pylist(rows, schema=self.schema)
            except UnicodeEncodeError:
                return pa.Table.from_pylist(_replace_surrogates(rows), schema=self.schema)
        except (pa.ArrowException, TypeError, ValueError) as err:
            bad = next((r for r in rows if not self._converts(r)), rows[0])
            raise OutputError(f"{self.path}: record {bad.get('id')!r} does not fit the Parquet "
                              f"schema: {err}") from err

    def _converts(self, row: dict[str, Any]) -> bool:
        try:
            self._pa.Table.from_pylist([_replace_surrogates(row)], schema=self.schema)
        except (self._pa.ArrowException, TypeError, ValueError):
            return False
        return True

    # -- shard files -----------------------------------------------------------------

    def _open_shard(self, final: Path, keep_published: bool) -> _ParquetShard:
        tmp = temp_name(final)
        sink = None
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "xb"):  # exclusive: never share a temp file with another writer
                pass
            sink = self._pa.OSFile(str(tmp), "wb")
            writer = self._pq.ParquetWriter(sink, self.schema, compression=self.compression)
            shard = _ParquetShard(final, tmp, sink, writer)
        except BaseException as err:
            if sink is not None:
                sink.close()
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(err, OSError):
                raise output_error(final, err, "create") from err
            raise
        if keep_published and final.exists():
            self._copy_published(shard)
        return shard

    def _copy_published(self, shard: _ParquetShard) -> None:
        """A Parquet file cannot be appended to: a second commit of an unsharded output
        rewrites what the first published, one row group at a time."""
        try:
            published = self._pq.ParquetFile(shard.final)
            for i in range(published.num_row_groups):
                shard.writer.write_table(published.read_row_group(i))
        except BaseException as err:
            self._discard(shard)
            if isinstance(err, OSError):
                raise output_error(shard.final, err, "read back") from err
            raise
        shard.tail = (shard.sink.tell(), [])

    def _add(self, shard: _ParquetShard, item: dict[str, Any], nbytes: int) -> None:
        shard.tail[1].append(item)  # the single step that adds the record
        shard.pending_bytes += nbytes

    def _added(self, shard: _ParquetShard) -> None:
        if len(shard.tail[1]) >= ROW_GROUP_RECORDS or shard.pending_bytes >= ROW_GROUP_BYTES:
            self._flush(shard)

    def _flush(self, shard: _ParquetShard) -> None:
        if shard.sink.closed:
            return  # a commit interrupted after the footer: everything is in the file
        pos, rows = shard.tail
        if shard.sink.tell() != pos:
            # Interrupted after pyarrow wrote the row group, before it was noted here.
            shard.tail = pos, rows = shard.sink.tell(), rows[shard.flushing:]
        if not rows:
            return
        table = self._table(rows)
        shard.flushing = len(rows)
        try:
            shard.writer.write_table(table)  # the whole row group, or nothing
        except OSError as err:
            raise output_error(shard.final, err) from err
        shard.tail = (shard.sink.tell(), [])
        shard.pending_bytes = 0

    def _publish(self, shard: _ParquetShard) -> None:
        if shard.published:
            return
        try:
            self._flush(shard)
            shard.writer.close()  # the footer: from here on the file is readable
            shard.sink.close()
            if self._fsync:
                with open(shard.tmp, "rb") as fh:
                    os.fsync(fh.fileno())
            os.replace(shard.tmp, shard.final)
        except KeyboardInterrupt:
            raise  # nothing is lost: committing again finishes the job
        except OSError as err:
            self._discard(shard)
            raise output_error(shard.final, err, "commit") from err
        except BaseException:
            self._discard(shard)  # a record that does not fit: publish nothing half-done
            raise
        shard.published = True
        if self._fsync:
            fsync_dir(shard.final.parent)

    def _discard(self, shard: _ParquetShard) -> None:
        # Close the pyarrow writer before its file: left open, it would try to write a
        # footer into a closed file when garbage-collected.
        with contextlib.suppress(Exception):
            shard.writer.close()
        with contextlib.suppress(Exception):
            shard.sink.close()
        if not shard.published:
            with contextlib.suppress(OSError):
                os.unlink(shard.tmp)
