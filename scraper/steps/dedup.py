"""Deduplication across documents: exact (text hash), then near (MinHash + LSH).

The first occurrence in input order is kept and every later copy is dropped with the
id of the document it duplicates. Both steps ask one :class:`~scraper.dedup.index.SeenIndex`
(in memory for one run, or SQLite state shared by runs) and add what they pass to it.

Exact dedup runs first because it is nearly free and catches the common case (the
same record twice in concatenated dumps or crawls); near dedup then needs a MinHash
only for documents whose text is new. A document passed by the exact step but dropped
as a near duplicate is re-pointed in the exact step's memory at the document it
duplicates, so an exact copy of it later in the run names a kept document in
``duplicate_of``, never a dropped one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from scraper.dedup.index import EXACT_KEY, NEAR_KEY, SeenIndex
from scraper.dedup.minhash import LshParams, MinHasher
from scraper.document import Document
from scraper.errors import ConfigError
from scraper.pipeline import RunContext, Step
from scraper.record import record_id, sha256_hex
from scraper.steps.drops import DropSink, DropStep

if TYPE_CHECKING:
    from scraper.resume import ResumePoint

DEFAULT_NEAR_THRESHOLD = 0.8


class ExactDedup(DropStep):
    """Drop a document whose text has the same sha256 as an earlier one.

    The hash is computed here rather than read from an input ``content_hash``: it is
    exactly what the output record's ``content_hash`` will be (the text after the
    Normalise step), so an input record whose text was edited after its hash was
    written cannot be matched to the wrong document; hashing costs ~1 ms per MB.
    """

    name = "exact_dedup"

    def __init__(self, index: SeenIndex, sink: DropSink | None = None) -> None:
        super().__init__(sink)
        self.index = index

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            content_hash = sha256_hex(doc.text)
            first = self.index.find_exact(content_hash)
            if first is not None:
                self.drop(doc, "exact-duplicate", duplicate_of=first,
                          detail="the same text, after normalisation")
                continue
            self.index.add_exact(content_hash, record_id(doc))
            doc.meta[EXACT_KEY] = content_hash
            self.stats["kept"] += 1
            yield doc


class NearDedup(DropStep):
    """Drop a document whose word 5-gram shingles overlap an earlier one's by at least
    ``threshold`` (Jaccard similarity, estimated from 128-value MinHash signatures).

    LSH bands find candidates (the band layout is chosen so that a pair right at the
    threshold becomes a candidate 95% of the time, more above it); each candidate is
    then checked on the full signatures, so a band collision alone never drops a
    document. Shingles are lower-cased ``\\w+`` words: case and punctuation changes
    do not make a copy new.
    """

    name = "near_dedup"

    def __init__(self, index: SeenIndex, *, threshold: float = DEFAULT_NEAR_THRESHOLD,
                 params: LshParams | None = None, sink: DropSink | None = None) -> None:
        super().__init__(sink)
        self.index = index
        self.threshold = threshold
        self.hasher = MinHasher(params or LshParams.for_threshold(threshold))

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            signature = self.hasher.signature(doc.text)
            if signature is None:
                self.stats["no_words"] += 1  # nothing to compare; exact dedup covered it
                yield doc
                continue
            keys = self.hasher.band_keys(signature)
            found = self.index.find_near(signature, keys, self.threshold)
            if found is not None:
                first, sim = found
                self.drop(doc, "near-duplicate", duplicate_of=first,
                          detail=f"estimated Jaccard similarity {sim:.2f}")
                content_hash = doc.meta.get(EXACT_KEY)
                if content_hash is not None:
                    # an exact copy of this dropped text later names the kept document
                    self.index.add_alias(content_hash, first)
                continue
            doc.meta[NEAR_KEY] = self.index.add_near(signature, keys, record_id(doc))
            self.stats["kept"] += 1
            yield doc


class OutputSeed:
    """``corpus --resume``: put the records an earlier run of this output published into
    the index, as that run had them when it stopped, so that what comes next is judged
    as one uninterrupted run judges it.

    Hashes and signatures are computed from the records' text with the same code the
    steps use (the text a record holds is the text they saw). A state already holds the
    published records; only those a ``kill -9`` kept from it (published, not yet
    committed) are added, and committed at once. A record this run would not have
    written -- a copy or near copy of an earlier record, one of another text hash than
    its ``content_hash`` -- means the output was written by another command or with
    other settings: appending to it would mix two corpora, so it is refused, by record.
    """

    def __init__(self, index: SeenIndex, *, threshold: float,
                 params: LshParams | None) -> None:
        self.index = index
        self.threshold = threshold
        self.hasher = MinHasher(params) if params is not None else None
        self.added = 0
        self.known = 0  # records the index held already (a state committed them)

    def add(self, where: str, record: dict[str, Any]) -> None:
        """Index one published record; ``where`` names it in a refusal."""
        text, doc_id = record.get("text"), record.get("id")
        if not isinstance(text, str) or doc_id is None:
            raise ConfigError(f"{where}: cannot resume: the record has no text or no id; "
                              "is this a pagewash output?")
        content_hash = sha256_hex(text)
        if record.get("content_hash") != content_hash:
            raise ConfigError(f"{where}: cannot resume: its text does not match its "
                              "content_hash (changed since it was written?)")
        known = self.index.knows(content_hash)
        if known is not None:
            self.known += 1
            self.index.check_resume(self.known)  # the state's last run, or refused
            if str(known) != str(doc_id):  # (Parquet keeps an integer id as its digits)
                raise ConfigError(f"{where}: cannot resume: the state holds this text as "
                                  f"document {known!r}, not {doc_id!r}")
            return  # committed by the earlier run
        first = self.index.find_exact(content_hash)
        if first is not None:
            raise ConfigError(
                f"{where}: cannot resume: the same text as {first!r} earlier in the "
                "output, which corpus never writes twice; was it written by another "
                "command?")
        self.index.add_exact(content_hash, doc_id)
        doc = Document(source=str(record.get("source", "")), id=doc_id)
        doc.meta[EXACT_KEY] = content_hash
        if self.hasher is not None:
            signature = self.hasher.signature(text)
            if signature is not None:
                keys = self.hasher.band_keys(signature)
                found = self.index.find_near(signature, keys, self.threshold)
                if found is not None:
                    raise ConfigError(
                        f"{where}: cannot resume: a near duplicate of {found[0]!r} earlier "
                        f"in the output (estimated Jaccard similarity {found[1]:.2f}), "
                        f"which --near-threshold {self.threshold:g} drops: was it written "
                        "with another --near-threshold or with --no-near-dedup?")
                doc.meta[NEAR_KEY] = self.index.add_near(signature, keys, doc_id)
        self.index.written(doc)  # a state commits it with the next commit
        self.added += 1


class ResumedOrder(Step):
    """``corpus --resume``: refuse a document to be written while records of the
    earlier run that come after it in the input are still to be met.

    That run judged the document and did not write it; this run would, so the two ran
    with different options (a lower ``--near-threshold``, other filters: what the output
    cannot show) or on other inputs (one added in the middle of the order), and the
    record would land after records it precedes. Nothing of this run is written yet
    when it is found (an earlier write would have been refused the same way), so the
    refusal leaves the output as it was.
    """

    name = "resume_order"

    def __init__(self) -> None:
        super().__init__()
        self.point: ResumePoint | None = None  # set once the earlier run has been read

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            point = self.point
            if point is not None and point.skipped < point.records:
                raise ConfigError(
                    f"{doc.source}: cannot resume: this run would keep it, but the earlier "
                    "run, which went on past it, did not write it: was the output written "
                    "with other options (such as a lower --near-threshold) or from other "
                    "inputs (inputs added since can only come after the earlier run's)? "
                    "Resume with the same options and inputs, or write a new output")
            yield doc
