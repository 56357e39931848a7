"""What the corpus already holds: exact text hashes and MinHash signatures with LSH bands.

Both dedup steps ask one index. :class:`SeenIndex` keeps a single run in memory;
:class:`SqliteIndex` adds a SQLite file so that later runs (new crawls added to an
existing corpus) drop documents that earlier runs already wrote.

The rule that keeps the state honest: **the database only ever names documents that
are in a published output file.** Steps add what they pass to the in-memory layer at
once (later documents of the same run must see them); :meth:`SqliteIndex.written`
journals a document after its record is written, and :meth:`SqliteIndex.commit` --
called by the writer right after it has published a shard or the output -- moves the
journal into the database in one transaction. A run stopped by Ctrl-C commits what it
published; a run that fails publishes nothing more and commits nothing more; a run
killed between a publish and the transaction (a few milliseconds) leaves documents
the state does not know, so a later run may keep a copy of them -- never the reverse.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scraper.dedup.minhash import LshParams, similarity
from scraper.document import Document
from scraper.errors import StateError
from scraper.record import record_id
from scraper.state.lock import StateLock

# doc.meta keys (never written out) through which the steps tell the index what they added.
EXACT_KEY = "_dedup_hash"
NEAR_KEY = "_dedup_near"

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL,             -- the record id, as JSON (an integer id stays one)
    hash BLOB NOT NULL UNIQUE,    -- sha256 of the text: the record's content_hash
    signature BLOB                -- MinHash, little-endian uint32; NULL if near dedup was off
);
-- the text of a document dropped as a near duplicate -> the id of the one it duplicates,
-- so that an exact copy of it is an exact duplicate of that one, in this run or a later
CREATE TABLE IF NOT EXISTS aliases (
    hash BLOB PRIMARY KEY,
    id TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,         -- LSH band key
    doc INTEGER NOT NULL REFERENCES docs (n),
    PRIMARY KEY (key, doc)
) WITHOUT ROWID;
"""

# The aliases the last run (of output meta 'last_output') committed, by the pass that
# committed them (meta 'run_pass': 0 for the run, 1, 2, ... for each --resume of it): a
# resumed run judges its earlier passes' near duplicates again, and an alias one of them
# left would turn a near duplicate into an exact one the second time. Made by the first
# commit that needs it, with 'last_output': a run that is refused, or publishes nothing,
# leaves a state made before this table as it was.
_RUN_ALIASES = """
CREATE TABLE IF NOT EXISTS run_aliases (
    hash BLOB PRIMARY KEY,
    pass INTEGER NOT NULL
) WITHOUT ROWID
"""


@dataclass(frozen=True, slots=True)
class NearEntry:
    """A signature as the index holds it; ``slot`` finds it again in the memory layer."""

    signature: np.ndarray
    keys: list[int]
    slot: int


# What a run fixes on the state it first writes to; a state still empty takes the next
# run's settings instead.
_RUN_SETTINGS = ("lsh", "threshold", "redact_pii")
_SETTING_MARKS = ",".join("?" * len(_RUN_SETTINGS))


class SeenIndex:
    """One run, in memory: hash -> record id; band key -> slots; slot -> signature.

    Every document added under a band key stays a candidate for that key, as in the
    SQLite state: which documents are found never depends on what is in memory and what
    is in the database (``--state``, shard commits, runs split across the input).
    """

    def __init__(self) -> None:
        self._exact: dict[str, Any] = {}
        # band key -> the slot of its only document (the common case: an int costs less
        # than a list), or the slots of all its documents in the order they were added.
        self._bands: dict[int, int | list[int]] = {}
        self._slots: dict[int, tuple[Any, np.ndarray]] = {}
        self._next_slot = 0

    # -- exact ----------------------------------------------------------------------

    def find_exact(self, content_hash: str) -> Any | None:
        """The id of the document with this text hash, or None."""
        return self._exact.get(content_hash)

    def add_exact(self, content_hash: str, doc_id: Any) -> None:
        self._exact[content_hash] = doc_id

    def add_alias(self, content_hash: str, doc_id: Any) -> None:
        """A text dropped as a near duplicate of ``doc_id``: an exact copy of it later
        names ``doc_id`` (a kept document), never the dropped one."""
        self.add_exact(content_hash, doc_id)

    # -- near -----------------------------------------------------------------------

    def find_near(
        self, signature: np.ndarray, keys: list[int], threshold: float
    ) -> tuple[Any, float] | None:
        """The earliest document sharing a band whose estimated Jaccard similarity is at
        least ``threshold``, with that similarity; None if there is none.

        Every document sharing any of ``keys`` is checked on the full signature, not
        only the first one stored under a key: a later document under the same key may
        be the near duplicate when the first one is not.
        """
        bands = self._bands
        candidates: set[int] = set()
        for k in keys:
            held = bands.get(k)
            if held is None:
                continue
            if isinstance(held, int):
                candidates.add(held)
            else:
                candidates.update(held)
        slots = self._slots
        for slot in sorted(candidates):
            doc_id, other = slots[slot]
            sim = similarity(signature, other)
            if sim >= threshold:
                return doc_id, sim
        return None

    def add_near(self, signature: np.ndarray, keys: list[int], doc_id: Any) -> NearEntry:
        slot = self._next_slot
        self._next_slot += 1
        self._slots[slot] = (doc_id, signature)
        bands = self._bands
        for k in keys:
            held = bands.get(k)
            if held is None:
                bands[k] = slot
            elif isinstance(held, int):
                if held != slot:  # two bands of one signature with one key: keep one
                    bands[k] = [held, slot]
            elif held[-1] != slot:
                held.append(slot)
        return NearEntry(signature, keys, slot)

    def _forget(self, entries: list[tuple[str | None, NearEntry | None]]) -> None:
        """Drop documents from memory once the database holds them (one pass per key,
        however many of its documents go: a key shared by a whole shard stays linear)."""
        gone: set[int] = set()
        keys: set[int] = set()
        for content_hash, near in entries:
            if content_hash is not None:
                self._exact.pop(content_hash, None)
            if near is not None:
                self._slots.pop(near.slot, None)
                gone.add(near.slot)
                keys.update(near.keys)
        bands = self._bands
        for k in keys:
            held = bands.get(k)
            if held is None:
                continue
            if isinstance(held, int):
                if held in gone:
                    del bands[k]
                continue
            left = [slot for slot in held if slot not in gone]
            if not left:
                del bands[k]
            elif len(left) == 1:
                bands[k] = left[0]
            else:
                bands[k] = left

    # -- lifecycle (nothing to keep for a memory-only run) ------------------------------

    def documents(self) -> int:
        """Documents committed where they outlive the run: none for a memory index."""
        return 0

    def begin_run(self, output: str, *, resume: bool) -> None:
        """This run writes ``output``; ``resume``: carrying on the run that wrote it
        (:meth:`SqliteIndex.begin_run`). Nothing to remember for a memory index."""

    def check_resume(self, known: int) -> None:
        """The index holds ``known`` records of the resumed output so far: raises
        StateError when it cannot carry on the run that wrote them
        (:meth:`SqliteIndex.begin_run`)."""

    def knows(self, content_hash: str) -> Any | None:
        """The id of the committed document (not an alias) with this text hash, or None:
        what a resumed run asks of each record the earlier run published."""
        return None

    def written(self, doc: Document) -> None:
        """``doc``'s record has been written (run_job's ``after_write``)."""

    def commit(self) -> None:
        """The writer has published every written record (run_job's ``on_commit``)."""

    def close(self) -> None:
        pass

    def __enter__(self) -> SeenIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteIndex(SeenIndex):
    """:class:`SeenIndex` backed by a SQLite file shared by successive runs.

    One run at a time: the state's lock (``<path>.lock``, beside the real file when
    ``path`` is a symlink) is held from open to close, and a second run on the same
    state stops at once (exit status 75, as for crawl).
    Memory holds only what is not committed yet, so a long run with ``--state`` and a
    sharded output stays small however large the corpus grows (an unsharded output
    commits once, at the end, and holds everything until then).
    """

    # seconds to wait for another program's write (a backup, a sqlite3 shell) to end
    busy_timeout = 30.0

    def __init__(self, path: str | os.PathLike[str], params: LshParams | None,
                 threshold: float | None = None, redact_pii: bool | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self._lock = StateLock(self.path).acquire()  # beside the file a symlink names
        self._journal: list[tuple[str | None, Any, NearEntry | None]] = []
        self._aliases: list[tuple[str, Any]] = []
        self.committed = 0
        # (begin_run) meta to set with the first commit, and the pass of this run:
        # aliases of earlier passes of the same run are not looked up
        self._begin: list[tuple[str, str]] = []
        self._pass = 0
        self._hide_earlier_passes = False
        self._resume_problem: str | None = None
        try:
            self.db = sqlite3.connect(self.path, timeout=self.busy_timeout)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            with self.db:
                self._check_meta(params, threshold)
                if redact_pii is not None:
                    self._check_redaction(redact_pii)
        except sqlite3.DatabaseError as exc:
            self._lock.release()
            raise StateError(f"{self.path}: not a usable corpus state database: {exc}") from None
        except BaseException:
            self._lock.release()
            raise
        self._near_sql = ""
        if params is not None:
            marks = ",".join("?" * params.bands)
            self._near_sql = (
                "SELECT DISTINCT d.n, d.id, d.signature FROM bands b JOIN docs d ON d.n = b.doc "
                f"WHERE b.key IN ({marks}) AND d.signature IS NOT NULL ORDER BY d.n")

    def _check_meta(self, params: LshParams | None, threshold: float | None) -> None:
        meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        version = meta.get("schema")
        if version is None:
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif int(version) != SCHEMA_VERSION:
            raise StateError(f"{self.path}: corpus state schema {version}, this pagewash "
                             f"reads {SCHEMA_VERSION}")
        if meta.keys() & _RUN_SETTINGS and self._holds_nothing():
            # A run refused after opening the state (its output clashed with a file of
            # a walked input) fixed its settings on a state it never wrote to; the next
            # run, with another --near-threshold, was refused for nothing.
            self.db.execute(f"DELETE FROM meta WHERE key IN ({_SETTING_MARKS})",
                            _RUN_SETTINGS)
            meta = {k: v for k, v in meta.items() if k not in _RUN_SETTINGS}
        stored = meta.get("lsh")
        if params is None:
            if stored is not None:
                # Its documents would have no signatures: the near copies of them that
                # later runs meet would all be kept.
                raise StateError(
                    f"{self.path}: this state keeps near-duplicate signatures (made with "
                    f"--near-threshold {meta.get('threshold')}); a --no-near-dedup run "
                    "would add documents without them, whose near copies later runs "
                    "could not find; run with near dedup, or start a new state file")
            return
        wanted = asdict(params)
        if stored is None:
            if self.db.execute("SELECT 1 FROM docs LIMIT 1").fetchone() is not None:
                # its documents have no signatures: none of them could ever be found
                raise StateError(
                    f"{self.path}: this state was made with --no-near-dedup, so its "
                    "documents have no near-duplicate signatures; keep --no-near-dedup "
                    "with it, or start a new state file")
            self.db.execute("INSERT INTO meta VALUES ('lsh', ?)", (json.dumps(wanted),))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('threshold', ?)",
                            (str(threshold),))
        elif json.loads(stored) != wanted or (
            threshold is not None and meta.get("threshold") not in (None, "None")
            and float(meta["threshold"]) != threshold
        ):
            # Band keys of another layout never match: mixing them would silently find
            # no near duplicates of the earlier runs' documents; and two thresholds that
            # share a layout would still drop by different rules in one corpus.
            raise StateError(
                f"{self.path}: this state's near-duplicate bands were made for "
                f"--near-threshold {meta.get('threshold')}; this run asks for {threshold}. "
                "Use the same threshold with this state, or start a new state file")

    def _holds_nothing(self) -> bool:
        return (self.db.execute("SELECT 1 FROM docs LIMIT 1").fetchone() is None
                and self.db.execute("SELECT 1 FROM aliases LIMIT 1").fetchone() is None)

    def _check_redaction(self, redact_pii: bool) -> None:
        """A state's hashes are of redacted text or of raw text: a run of the other
        kind finds none of its documents again (53 of 300 came back, with their
        addresses, after a --redact-pii run), so the two cannot share a state."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'redact_pii'").fetchone()
        wanted = "1" if redact_pii else "0"
        if row is None:  # a new state, or one older than this check: it takes this run's
            self.db.execute("INSERT INTO meta VALUES ('redact_pii', ?)", (wanted,))
        elif row[0] != wanted:
            made, asked = (("with", "without") if row[0] == "1" else ("without", "with"))
            raise StateError(
                f"{self.path}: this state was made {made} --redact-pii and this run is "
                f"{asked} it: their documents would not be found as duplicates of each "
                "other. Use the same setting with this state, or start a new state file")

    # -- lookups: this run's memory, then the database ---------------------------------

    def find_exact(self, content_hash: str) -> Any | None:
        found = super().find_exact(content_hash)
        if found is not None:
            return found
        key = bytes.fromhex(content_hash)
        alias_sql = "SELECT id FROM aliases WHERE hash = ?"
        if self._hide_earlier_passes:
            # the near duplicate this alias was made for is judged again in this pass
            alias_sql += (" AND NOT EXISTS (SELECT 1 FROM run_aliases r "
                          "WHERE r.hash = aliases.hash AND r.pass < ?)")
        with self._reading():
            row = (self.db.execute("SELECT id FROM docs WHERE hash = ?", (key,)).fetchone()
                   or self.db.execute(alias_sql, (key, self._pass)
                                      if self._hide_earlier_passes else (key,)).fetchone())
        return json.loads(row[0]) if row else None

    def knows(self, content_hash: str) -> Any | None:
        with self._reading():
            row = self.db.execute("SELECT id FROM docs WHERE hash = ?",
                                  (bytes.fromhex(content_hash),)).fetchone()
        return json.loads(row[0]) if row else None

    def begin_run(self, output: str, *, resume: bool) -> None:
        """Remember which output this run writes, so that ``--resume`` can tell it is
        carrying on the state's last run (any other would be judged against documents
        of runs that came after it), and which aliases are this run's.

        Written with the first commit: a run that publishes nothing leaves the state
        as it was. Resuming an output the state's last run did not write is refused by
        :meth:`check_resume` once the state is found to hold one of its records; an
        output it holds none of is carried on as a new run (one stopped before its first
        record, or killed between publishing its first shard and committing it).
        """
        output = os.path.realpath(output)
        with self._reading():
            meta = dict(self.db.execute(
                "SELECT key, value FROM meta WHERE key IN ('last_output', 'run_pass')"))
        last = meta.get("last_output")
        if resume and last == output:
            self._pass = int(meta.get("run_pass", "0")) + 1
            self._hide_earlier_passes = True
            self._begin = [("run_pass", str(self._pass))]
            return
        self._begin = [("last_output", output), ("run_pass", "0")]
        if resume and not self._holds_nothing():
            said = (f"its last run wrote {last}" if last is not None else
                    "it does not say which output its last run wrote (a pagewash "
                    "older than --resume for corpus)")
            self._resume_problem = (
                f"{self.path}: cannot resume {output} with this state: {said}. A "
                "resumed run must carry on the state's last run; give that run's "
                "output, or write this run to a new output name without --resume")

    def check_resume(self, known: int) -> None:
        if known and self._resume_problem is not None:
            raise StateError(self._resume_problem)

    def add_alias(self, content_hash: str, doc_id: Any) -> None:
        """Held in memory until the next commit, then in the database: memory held them
        to the end of the run, growing by every near duplicate dropped (4,407 of 6,000
        documents of a sharded run), where the state promises memory that stays flat."""
        super().add_alias(content_hash, doc_id)
        self._aliases.append((content_hash, doc_id))

    def find_near(
        self, signature: np.ndarray, keys: list[int], threshold: float
    ) -> tuple[Any, float] | None:
        # Earlier runs first: their documents came before this run's in corpus order.
        with self._reading():
            for _n, doc_id, blob in self.db.execute(self._near_sql, keys):
                sim = similarity(signature, np.frombuffer(blob, dtype="<u4"))
                if sim >= threshold:
                    return json.loads(doc_id), sim
        return super().find_near(signature, keys, threshold)

    # -- committing --------------------------------------------------------------------

    def written(self, doc: Document) -> None:
        content_hash = doc.meta.get(EXACT_KEY)
        near = doc.meta.get(NEAR_KEY)
        if content_hash is not None or near is not None:
            self._journal.append((content_hash, record_id(doc), near))

    def commit(self) -> None:
        journal, self._journal = self._journal, []
        # (the document an alias names came before the drop: it is written, and now
        # published)
        aliases, self._aliases = self._aliases, []
        if not journal and not aliases:
            return
        begin, self._begin = self._begin, []
        # one transaction: all of this publish, or none of it
        with self._reading("record the published documents in"), self.db:
            self.db.execute(_RUN_ALIASES)
            if begin and dict(begin).get("run_pass") == "0":
                self.db.execute("DELETE FROM run_aliases")  # a new run: none are its own
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", begin)
            self.db.executemany(
                "INSERT OR IGNORE INTO aliases VALUES (?, ?)",
                [(bytes.fromhex(h), json.dumps(doc_id)) for h, doc_id in aliases])
            self.db.executemany(
                "INSERT OR REPLACE INTO run_aliases VALUES (?, ?)",
                [(bytes.fromhex(h), self._pass) for h, _doc_id in aliases])
            for content_hash, doc_id, near in journal:
                if content_hash is None:
                    continue  # the exact step did not run: nothing to find it by
                blob = near.signature.astype("<u4").tobytes() if near is not None else None
                cur = self.db.execute(
                    "INSERT INTO docs (id, hash, signature) VALUES (?, ?, ?)",
                    (json.dumps(doc_id), bytes.fromhex(content_hash), blob))
                if near is not None:
                    self.db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)",
                                        [(k, cur.lastrowid) for k in near.keys])
        self._forget([(content_hash, near) for content_hash, _doc_id, near in journal]
                     + [(content_hash, None) for content_hash, _doc_id in aliases])
        self.committed += len(journal)

    def documents(self) -> int:
        """Documents the state holds (all runs, committed)."""
        with self._reading():
            return int(self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    @contextmanager
    def _reading(self, action: str = "read") -> Iterator[None]:
        """A database error mid-run ("database is locked" by another program, "disk is
        full", a damaged page) was a traceback naming no file: it is a StateError
        naming the state, which stops the run with a message (exit status 1)."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StateError(f"{self.path}: cannot {action} the corpus state: {exc}"
                             ) from None

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            self._lock.release()


def open_index(state: str | None, params: LshParams | None,
               threshold: float | None = None, redact_pii: bool | None = None) -> SeenIndex:
    """A memory index for one run, or the SQLite state at ``state``."""
    if state is None:
        return SeenIndex()
    return SqliteIndex(state, params, threshold, redact_pii)
