"""One plain-text input (a ``.txt`` file, an unknown extension named on purpose, stdin)."""

from __future__ import annotations

from collections.abc import Iterator

from scraper.document import Document
from scraper.errors import DecodeError
from scraper.readers.base import (
    ByteStream,
    Item,
    ReadOptions,
    read_whole,
    reject,
    reject_from,
)
from scraper.readers.decoding import REPLACED_FLAG, bytes_replaced, decode_text


def read_text(
    stream: ByteStream, source: str, opts: ReadOptions, *, page_name: bool = False
) -> Iterator[Item]:
    """Yield one :class:`Document` for the whole stream, or one reject.

    ``page_name``: the file is named as a web page (``.html``, ``.htm``, ``.mhtml``).
    When it holds markup it is a ``html-page`` reject that points to ``pagewash
    extract``: cleaned as text, its tags, scripts and styles became the record's text,
    a record that looked fine in the summary and was garbage for training.
    """
    data = read_whole(stream, source, opts.max_bytes)
    if not isinstance(data, bytes):
        yield data
        return
    if not data:
        yield reject(source, "empty", f"{source}: empty input (0 bytes)")
        return
    if page_name:
        from scraper.extract.sniff import is_page_markup

        if is_page_markup(data):
            yield reject(source, "html-page",
                         f"{source}: an HTML page, not a text dump; extract its article "
                         f"with `pagewash extract {source}`", data[:64])
            return
    try:
        decoded = decode_text(data, source, opts.encoding)
    except DecodeError as err:
        yield reject_from(err, getattr(err, "sample", ""))
        return
    if not decoded.text.strip():
        yield reject(source, "empty", f"{source}: only whitespace, no text")
        return
    doc = Document(source=source, text=decoded.text)
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        doc.meta["encoding"] = decoded.encoding  # so a guessed encoding can be audited
    if bytes_replaced(decoded.encoding):
        doc.flags.append(REPLACED_FLAG)
    # This frame waits at the yield while the document goes through every step: the
    # bytes, and the text as read once a step has replaced it, would be held to the end
    # (two more copies of a 50 MB document).
    del data, decoded
    yield doc
