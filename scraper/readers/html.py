"""One HTML file, kept as raw bytes.

The bytes are not decoded here: the charset of a page lives in its ``<meta>`` tags
and HTTP headers, which the extractor reads; decoding early with a guess would bake
in mojibake that the extractor could have avoided.
"""

from __future__ import annotations

from collections.abc import Iterator

from scraper.document import Document
from scraper.errors import InputError
from scraper.readers.base import (
    ByteStream,
    Item,
    ReadOptions,
    printable_sample,
    read_whole,
    reject,
    reject_from,
)
from scraper.readers.decoding import binary_reason, bom_encoding, utf16_markup
from scraper.readers.mhtml import is_mhtml, mhtml_page


def read_html(stream: ByteStream, source: str, opts: ReadOptions) -> Iterator[Item]:
    """Yield one :class:`Document` with ``html`` set, or one reject."""
    data = read_whole(stream, source, opts.max_bytes)
    if not isinstance(data, bytes):
        yield data
        return
    if not data.strip():
        yield reject(source, "empty", f"{source}: empty HTML file")
        return
    url: str | None = None
    headers: dict[str, str] = {}
    if is_mhtml(data):  # a page saved as one file: its HTML part is the page
        try:
            page = mhtml_page(data, source)
        except InputError as err:
            yield reject_from(err, data[:64])
            return
        data, url, headers = page.html, page.url, page.headers
    if bom_encoding(data) is None and not utf16_markup(data) and (why := binary_reason(data)):
        yield reject(source, "binary", f"{source}: {why}", printable_sample(data[:64]))
        return
    doc = Document(source=source, html=data, url=url)
    if headers:
        doc.meta["http_headers"] = headers
    yield doc
