"""``extract_html``: one page in, one :class:`Extracted` out -- the API the CLI, the
pipeline step and the crawler share.

The stages, each in its own module:

1. :mod:`.sniff` -- refuse what is not a page (PDF, image, JSON, empty, too large);
2. :mod:`.decode` -- bytes to text (header, BOM, meta, detection; never mojibake);
3. :mod:`.structured` -- JSON-LD / meta / microdata, read before anything is removed;
4. :mod:`.pagetype` -- article, forum, product, documentation, listing, collection,
   service;
5. :mod:`.prune` -- chrome out of the DOM (vocabulary in data files);
6. :mod:`.content` -- trafilatura on the pruned page with a per-type profile, and
   :mod:`.fallback` when it finds little; JSON-LD bodies when they are complete;
7. :mod:`.finish` -- the cleaners' structural rules, title/metadata, language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from cleaners.result import Removal
from scraper.document import Document
from scraper.errors import InputError
from scraper.extract.errorpage import ERROR_PAGE_FLAG
from scraper.extract.sniff import DEFAULT_MAX_BYTES
from scraper.readers.decoding import REPLACED_FLAG, bytes_replaced

OutputFormat = Literal["text", "markdown"]


@dataclass(slots=True)
class Extracted:
    """The main content and metadata of one page (see ``scraper/schema``)."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    page_type: str | None = None
    format: OutputFormat = "text"
    removed: list[Removal] = field(default_factory=list)
    encoding: str = "utf-8"
    stats: dict[str, int] = field(default_factory=dict)  # pruning/extraction counters
    # An error, log-in, bot-check or "enable JavaScript" page: its kind (``not_found``,
    # ``login``, ...; see scraper/extract/errorpage.py), and then ``text`` is empty.
    error_page: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Knobs of :func:`extract_html`; the defaults are what the benchmark measures."""

    max_bytes: int = DEFAULT_MAX_BYTES
    prune: bool = True
    clean: bool = True
    structured_body: bool = True
    page_types: bool = True
    block_model: bool = True  # False: trafilatura's text alone (the model's fallback)
    detect_language: bool = True
    dates: bool = True  # htmldate when the page declares no date


DEFAULT_OPTIONS = ExtractOptions()


def extract_html(
    data: bytes | str,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    output_format: OutputFormat = "text",
    source: str | None = None,
    options: ExtractOptions = DEFAULT_OPTIONS,
    status: int | None = None,
) -> Extracted:
    """Extract the main content and metadata of one page.

    ``data`` is the page as served (bytes; decoded here, with ``headers`` for the
    charset) or already-decoded text. ``source`` names the page in error messages
    (defaults to the URL). ``status``, the HTTP status it was served with when known,
    tells an error page (4xx, 5xx) from an article. Raises
    :class:`~scraper.errors.InputError` subclasses with ``reason`` ``not-html``,
    ``empty``, ``too-large`` or ``undecodable`` for bad pages.
    """
    from scraper.extract.pipeline import run_extraction

    if output_format not in ("text", "markdown"):
        raise ValueError(f"output_format must be 'text' or 'markdown', not {output_format!r}")
    where = source or url or "<page>"
    return run_extraction(data, where, url, headers, output_format, options, status)


def apply_extracted(doc: Document, ex: Extracted) -> None:
    """Move an extraction into ``doc``: text, title, language, removals and metadata.

    What the input already knew wins over what the page says: a JSONL ``title`` or
    ``authors`` field is the user's data and is kept. ``doc.html`` is cleared (records
    carry text, and the bytes would otherwise ride along to the writer).
    """
    from scraper.record import sha256_hex

    raw = doc.html
    if raw is not None and "input_hash" not in doc.meta:
        blob = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
        doc.meta["input_hash"] = _bytes_hash(blob) if isinstance(raw, bytes) else sha256_hex(raw)
    doc.html = None
    doc.text = ex.text
    if doc.title is None and ex.title:  # an input's title, even "", is carried as is
        doc.title = ex.title
    doc.language = ex.language
    doc.removed = list(ex.removed)
    meta = doc.meta
    if not meta.get("authors") and ex.authors:
        meta["authors"] = list(ex.authors)
    if not meta.get("published") and ex.published:
        meta["published"] = ex.published
    for key in ("canonical_url", "site_name", "description", "image", "page_type"):
        value = getattr(ex, key)
        if value is not None:
            meta[key] = value
    if ex.tags:
        meta["tags"] = list(ex.tags)
    meta["format"] = ex.format
    meta["encoding"] = ex.encoding
    if bytes_replaced(ex.encoding):
        doc.flags.append(REPLACED_FLAG)
    if ex.stats.get("node_limit") and NODE_LIMIT_FLAG not in doc.flags:
        doc.flags.append(NODE_LIMIT_FLAG)
    if ex.error_page is not None and ERROR_PAGE_FLAG not in doc.flags:
        doc.flags.append(ERROR_PAGE_FLAG)


# The record flag of a page of more elements than the block reader walks (a list of
# 200,000 links; a long table's rows past its first are read apart, see longtables): its
# text after them is missing, which it was without a word.
NODE_LIMIT_FLAG = "too-many-elements"


def _bytes_hash(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


__all__ = [
    "DEFAULT_OPTIONS",
    "ExtractOptions",
    "Extracted",
    "InputError",
    "OutputFormat",
    "apply_extracted",
    "extract_html",
]
