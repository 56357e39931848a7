"""Parquet input: the records ``clean``, ``extract`` and ``crawl`` write with
``-o x.parquet``, read back as the JSON Lines reader reads lines (same fields, same
checks), one row at a time in batches so a large file is never loaded whole.

A row's source is ``path:N``, N counting rows from 1, as a JSON line's is its line
number. Absent fields come back from Parquet as nulls; they are dropped before the row
is read, so a null is never taken for a value the schema refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from scraper.readers.base import Item, ReadOptions, reject, too_large
from scraper.readers.jsonl import parse_object

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
    row = 0
    batches = file.iter_batches(batch_size=BATCH_ROWS)
    while True:
        try:
            batch = next(batches, None)
        except Exception as err:  # a damaged row group: what came before it stands
            yield reject(f"{label}:{row + 1}", "bad-parquet",
                         f"{label}: cannot read rows after row {row} ({err}); {row} rows "
                         "before it were read")
            return
        if batch is None:
            break
        for values in batch.to_pylist():
            row += 1
            yield _row(values, f"{label}:{row}", field, opts)
    if row == 0:
        yield reject(label, "empty", f"{label}: a Parquet file without rows")


def _row(values: dict[str, Any], source: str, field: str, opts: ReadOptions) -> Item:
    obj = {k: v for k, v in values.items() if v is not None}
    value = obj.get(field)
    if isinstance(value, str | bytes) and len(value) > opts.max_bytes:
        return too_large(source, f"the {field!r} value", opts.max_bytes, value[:200])
    return parse_object(obj, source, field, opts)
