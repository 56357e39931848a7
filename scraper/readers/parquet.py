"""Parquet input: the records ``clean``, ``extract`` and ``crawl`` write with
``-o x.parquet``, read back as the JSON Lines reader reads lines (same fields, same
checks), one row at a time in batches so a large file is never loaded whole.

A row's source is ``path:N``, N counting rows from 1, as a JSON line's is its line
number. Absent fields come back from Parquet as nulls; they are dropped before the row
is read, so a null is never taken for a value the schema refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from scraper.errors import DecodeError
from scraper.readers.base import Item, ReadOptions, reject, reject_from, too_large
from scraper.readers.decoding import decode_text
from scraper.readers.jsonl import parse_object

if TYPE_CHECKING:
    import pyarrow as pa

BATCH_ROWS = 1024


def read_parquet(stream: BinaryIO, label: str, opts: ReadOptions) -> Iterator[Item]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield reject(label, "unsupported", f"{label}: reading Parquet needs pyarrow: "
                     "pip install 'pagewash[parquet]'")
        return
    field = opts.html_field if opts.mode == "html" else opts.text_field
    try:
        file = pq.ParquetFile(stream)
    except Exception as err:  # pyarrow raises its own ArrowInvalid / OSError kinds
        yield reject(label, "bad-parquet", f"{label}: not a readable Parquet file ({err})")
        return
    if field not in file.schema_arrow.names:
        names = ", ".join(file.schema_arrow.names[:10])
        yield reject(label, "missing-field", f"{label}: no column {field!r} (columns: "
                     f"{names}); choose it with --{'html' if opts.mode == 'html' else 'text'}"
                     "-field")
        return
    column_type = file.schema_arrow.field(field).type
    kind = _column_kind(column_type)
    if kind is None:
        # Every row would be refused alike: one reject naming the file and the type says
        # it once, where a reject per row would bury the reason under a million lines.
        yield reject(label, "wrong-type", f"{label}: column {field!r} holds {column_type}, "
                     "not text; choose a text column with "
                     f"--{'html' if opts.mode == 'html' else 'text'}-field")
        return
    row = 0
    groups = file.metadata.num_row_groups
    for group in range(groups):
        # Group by group: a damaged one cost every row after it (a bad group of 1,000
        # rows lost the next 427 good ones too, under a single reject); its rows are
        # one reject now, and reading goes on with the next group.
        first, size = row + 1, file.metadata.row_group(group).num_rows
        batches = file.iter_batches(batch_size=BATCH_ROWS, row_groups=[group])
        while True:
            try:
                batch = next(batches, None)
            except Exception as err:  # what came before it in the group stands
                left = first + size - row - 1
                yield reject(f"{label}:{row + 1}", "bad-parquet",
                             f"{label}: row group {group + 1} of {groups} (rows {first}-"
                             f"{first + size - 1}) is damaged ({err}); its {left} rows from "
                             f"row {row + 1} are not read"
                             + ("; reading goes on with the next row group"
                                if group + 1 < groups else ""))
                row = first + size - 1
                break
            if batch is None:
                break
            for values in batch.to_pylist():
                row += 1
                yield _row(values, f"{label}:{row}", field, opts)


def _column_kind(t: pa.DataType) -> str | None:
    """``"str"`` or ``"bytes"`` for a column rows can be read from; None for one they
    cannot (numbers, lists, a column of nulls only)."""
    import pyarrow as pa

    types = pa.types
    if types.is_dictionary(t):
        t = t.value_type
    # (the view types came with pyarrow 16; pagewash accepts 14)
    if types.is_string(t) or types.is_large_string(t) or str(t) == "string_view":
        return "str"
    if (types.is_binary(t) or types.is_large_binary(t) or types.is_fixed_size_binary(t)
            or str(t) == "binary_view"):
        return "bytes"
    return None


def _row(values: dict[str, Any], source: str, field: str, opts: ReadOptions) -> Item:
    obj = {k: v for k, v in values.items() if v is not None}
    value = obj.get(field)
    if isinstance(value, str | bytes) and len(value) > opts.max_bytes:
        return too_large(source, f"the {field!r} value", opts.max_bytes, value[:200])
    if isinstance(value, bytes) and opts.mode != "html":
        # A binary column (how crawl datasets often keep pages): text is decoded as a
        # text file is, so a non-UTF-8 value is a reject pointing at the bad byte; HTML
        # goes to the extractor as bytes, which reads its charset from the page.
        try:
            obj[field] = decode_text(value, source, opts.encoding).text
        except DecodeError as err:
            return reject_from(err, getattr(err, "sample", ""))
    return parse_object(obj, source, field, opts)
