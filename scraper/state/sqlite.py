"""Crawl state in one SQLite file (WAL mode).

WAL lets a reader (``pagewash`` status tools, a dashboard) look at the state while a
crawl writes it, and makes each batch commit one sequential append. ``synchronous =
NORMAL`` keeps every committed transaction across a process crash (``kill -9``); after
a power cut the last transactions may be lost, which the output reconciliation on the
next start turns into re-fetches, never into duplicates.
"""

from __future__ import annotations

import heapq
import json
import os
import sqlite3
import time
from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from scraper.errors import StateError
from scraper.state.base import NewUrl, OutputFile, UrlEntry, UrlUpdate

# Changed only when an older pagewash could not use the file (it refuses any other
# version). Columns added since version 1 are added to an older file when it is opened
# (:data:`_ADDED_COLUMNS`), and an older pagewash reads a file that has them: it names
# the columns it reads.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    outputs TEXT NOT NULL,          -- JSON: {"records": base path, "warc": base path}
    summary TEXT
);
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY NOT NULL,
    run TEXT NOT NULL,
    kind TEXT NOT NULL,
    records INTEGER NOT NULL,
    committed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS urls (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    depth INTEGER NOT NULL,
    priority INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'new',
    attempts INTEGER NOT NULL DEFAULT 0,
    http_status INTEGER,
    first_seen REAL NOT NULL,
    last_fetch REAL,
    last_change REAL,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    content_hash TEXT,  -- record version: text sha256, ":", title/authors/date digest
    interval REAL,
    next_due REAL,
    fetches INTEGER NOT NULL DEFAULT 0,
    changes INTEGER NOT NULL DEFAULT 0,
    last_run TEXT,
    final_url TEXT,
    error TEXT,
    record_id TEXT,     -- the id of the record the URL last wrote (its canonical's)
    written TEXT        -- ... and that record's version (content_hash as above)
);
CREATE INDEX IF NOT EXISTS urls_due ON urls (next_due);
CREATE INDEX IF NOT EXISTS urls_host_turn ON urls (host, priority, next_due, id);
-- the redirects that lead to a URL (recheck_redirects_to, when it is gone)
CREATE INDEX IF NOT EXISTS urls_redirect_to ON urls (final_url) WHERE status = 'redirect';
"""

_TABLES = frozenset({"meta", "runs", "outputs", "urls"})

# (table, column, type) added to the schema after its first release, in order.
_ADDED_COLUMNS = (("urls", "record_id", "TEXT"), ("urls", "written", "TEXT"))

# Indexes of _ADDED_COLUMNS, made after them (an older file has them only then).
_LATER_INDEXES = {
    # the URLs that wrote a record version (written_elsewhere)
    "urls_written": "CREATE INDEX IF NOT EXISTS urls_written ON urls (record_id, written) "
                    "WHERE record_id IS NOT NULL",
}

_ENTRY_COLS = ("id, url, source, kind, depth, status, attempts, etag, last_modified, "
               "body_hash, content_hash, interval, next_due, last_fetch, fetches, changes, "
               "final_url, http_status")


_first = itemgetter(0)


class SqliteState:
    """:class:`scraper.state.base.CrawlState` on SQLite. Use one instance per process."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0,
                                      check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise StateError(f"{self.path}: not a usable crawl state database: {exc}") from None
        try:
            self._check_ours()
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) != SCHEMA_VERSION:
                raise StateError(f"{self.path}: crawl state schema {row[0]}, this pagewash "
                                 f"reads {SCHEMA_VERSION}")
            self._add_columns()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StateError(f"{self.path}: not a usable crawl state database: {exc}") from None
        except StateError:
            self.db.close()
            raise

    def _add_columns(self) -> None:
        """Bring a state an older pagewash made up to date, in one transaction: its
        columns are kept as they are and the new ones start empty. A state that is up
        to date is not written to (a write would wait for a running crawl's, and a
        status tool opening the state during a crawl would wait with it)."""
        def missing() -> list[tuple[str, str, str]]:
            have = {(t, r[1]) for t in {a[0] for a in _ADDED_COLUMNS}
                    for r in self.db.execute(f"PRAGMA table_info({t})")}
            return [a for a in _ADDED_COLUMNS if (a[0], a[1]) not in have]

        indexes = {r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='index'")}
        if not missing() and indexes >= _LATER_INDEXES.keys():
            return
        with self._tx():
            for table, column, kind in missing():  # (asked again: under the lock now)
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            for statement in _LATER_INDEXES.values():
                self.db.execute(statement)

    def _check_ours(self) -> None:
        """Refuse another program's database, or a ``corpus --state`` file (whose ``meta``
        table also says schema 1), before anything is written to it: it was taken for
        a crawl state, switched to WAL and given the crawl's tables, without a word."""
        # (SQLite's own tables, such as sqlite_stat1 that ANALYZE or PRAGMA optimize
        # adds, say nothing of whose database it is)
        tables = {r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")
            if not r[0].startswith("sqlite_")}
        if not tables:
            return  # a new file
        foreign = sorted(tables - _TABLES)
        meta = [r[1] for r in self.db.execute("PRAGMA table_info(meta)")]
        if foreign or (meta and meta != ["key", "value"]):
            held = ", ".join(foreign or sorted(tables))
            raise StateError(f"{self.path}: not a pagewash crawl state (it holds the tables "
                             f"{held}: another program's database, or a corpus --state "
                             "file); give --state a crawl state or a new file name")

    # -- runs and outputs ---------------------------------------------------------------

    def start_run(self, run_id: str, started: float, outputs: dict[str, str]) -> None:
        with self._tx():
            self.db.execute("INSERT INTO runs (id, started, outputs) VALUES (?, ?, ?)",
                            (run_id, started, json.dumps(outputs)))

    def finish_run(self, run_id: str, finished: float, summary: dict[str, Any]) -> None:
        with self._tx():
            self.db.execute("UPDATE runs SET finished=?, summary=? WHERE id=?",
                            (finished, json.dumps(summary, default=str), run_id))

    def unfinished_runs(self) -> list[tuple[str, dict[str, str]]]:
        rows = self.db.execute("SELECT id, outputs FROM runs WHERE finished IS NULL").fetchall()
        return [(r[0], json.loads(r[1])) for r in rows]

    def mark_reconciled(self, run_id: str, finished: float) -> None:
        with self._tx():
            self.db.execute(
                "UPDATE runs SET finished=?, summary=? WHERE id=? AND finished IS NULL",
                (finished, json.dumps({"killed": True}), run_id))

    def committed_outputs(self, run_id: str) -> set[str]:
        rows = self.db.execute("SELECT path FROM outputs WHERE run=?", (run_id,)).fetchall()
        return {r[0] for r in rows}

    # -- URLs ---------------------------------------------------------------------------

    def add_urls(self, urls: Sequence[NewUrl]) -> int:
        with self._tx():
            return self._insert(urls)

    def update_discovery(self, url: str, source: str, kind: str, now: float) -> None:
        with self._tx():
            self.db.execute(
                "UPDATE urls SET source=?, kind=?, priority=0, depth=0, "
                "next_due=MIN(COALESCE(next_due, ?), ?) WHERE url=? "
                "AND (source<>? OR kind<>? OR status='excluded')",
                (source, kind, now, now, url, source, kind))

    def set_address_policy(self, policy: str, now: float) -> int:
        # A blocked URL has no next due time: nothing but the options can unblock it.
        # Without this, a crawl refused for a private address and run again with the
        # --allow-private its message advises fetched nothing, with exit status 0.
        with self._tx():
            row = self.db.execute("SELECT value FROM meta WHERE key='address_policy'"
                                  ).fetchone()
            if row is not None and row[0] == policy:
                return 0
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('address_policy', ?)",
                            (policy,))
            return self.db.execute("UPDATE urls SET next_due=? WHERE status='blocked'",
                                   (now,)).rowcount

    def url_rules_since(self, rules: str, now: float) -> float:
        # (A state from before these keys has neither: as if the rules had changed.)
        rows = dict(self.db.execute(
            "SELECT key, value FROM meta WHERE key IN ('url_rules', 'url_rules_since')"))
        if rows.get("url_rules") == rules and "url_rules_since" in rows:
            return float(rows["url_rules_since"])
        with self._tx():
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                [("url_rules", rules), ("url_rules_since", repr(now))])
        return now

    def host_holds(self, now: float) -> dict[str, float]:
        rows = self.db.execute("SELECT key, value FROM meta WHERE key LIKE 'hold:%'").fetchall()
        return {k.removeprefix("hold:"): float(v) for k, v in rows if float(v) > now}

    def hold_hosts(self, holds: dict[str, float], now: float) -> None:
        with self._tx():
            self.db.execute("DELETE FROM meta WHERE key LIKE 'hold:%' AND CAST(value AS REAL) <= ?",
                            (now,))
            self.db.executemany(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                "value = MAX(CAST(value AS REAL), CAST(excluded.value AS REAL))",
                [(f"hold:{h}", repr(until)) for h, until in holds.items()])

    def exclude(self, ids: Sequence[int], next_due: float | None) -> None:
        with self._tx():
            self.db.executemany("UPDATE urls SET status='excluded', next_due=? WHERE id=?",
                                [(next_due, i) for i in ids])

    def recheck_redirects_to(self, url: str, now: float) -> int:
        with self._tx():
            return self.db.execute(
                "UPDATE urls SET next_due=? WHERE status='redirect' AND final_url=? "
                "AND next_due>?", (now, url, now)).rowcount

    def claim_due(self, run_id: str, now: float, limit: int) -> list[UrlEntry]:
        """Up to ``limit`` due URLs not yet claimed by this run: seeds, feeds and
        sitemaps first, then the hosts' pages taken in turn (each host's first due page,
        then each one's second, ...), each host's by priority and due time.

        In plain due order a site whose sitemap listed 50,000 pages filled every claim,
        and the other sources' new articles waited the hours those took at one request
        a second. Each host's first ``limit`` due URLs come from its index, so a claim
        costs a short query a host rather than sorting every due URL (a window over
        300,000 due URLs took a second, with the crawl's event loop waiting).
        """
        due = "next_due <= ? AND (last_run IS NULL OR last_run <> ?)"
        with self._tx():
            hosts = [h for (h,) in self.db.execute(
                "SELECT DISTINCT host FROM urls INDEXED BY urls_host_turn WHERE next_due <= ?",
                (now,))]
            ranked: list[tuple[tuple[int, int, int, float, int], tuple[Any, ...]]] = []
            for host in hosts:
                rows = self.db.execute(
                    f"SELECT {_ENTRY_COLS}, priority FROM urls INDEXED BY urls_host_turn "
                    f"WHERE host = ? AND {due} ORDER BY priority, next_due, id LIMIT ?",
                    (host, now, run_id, limit)).fetchall()
                for turn, row in enumerate(rows, 1):
                    priority = row[-1]
                    ranked.append(((min(priority, 1), turn, priority, row[12], row[0]),
                                   row[:-1]))
            rows = [row for _key, row in heapq.nsmallest(limit, ranked, key=_first)]
            if rows:
                self.db.executemany("UPDATE urls SET last_run=? WHERE id=?",
                                    [(run_id, r[0]) for r in rows])
        return [UrlEntry(*r) for r in rows]

    def commit_batch(self, run_id: str, updates: Sequence[UrlUpdate],
                     new_urls: Sequence[NewUrl], outputs: Sequence[OutputFile]) -> int:
        with self._tx():
            self.db.executemany(
                "UPDATE urls SET status=?, next_due=?, interval=?, attempts=?, last_fetch=?, "
                "http_status=COALESCE(?, http_status), etag=?, last_modified=?, "
                "body_hash=COALESCE(?, body_hash), content_hash=COALESCE(?, content_hash), "
                "fetches=fetches+1, changes=changes+?, "
                "last_change=CASE WHEN ? THEN ? ELSE last_change END, error=?, "
                "final_url=NULLIF(COALESCE(?, final_url), ''), "
                "record_id=COALESCE(?, record_id), written=COALESCE(?, written) WHERE id=?",
                [(u.status, u.next_due, u.interval, u.attempts, u.fetched_at, u.http_status,
                  u.etag, u.last_modified, u.body_hash, u.content_hash, int(u.changed),
                  int(u.changed), u.fetched_at, u.error, u.final_url, u.record_id,
                  u.content_hash if u.record_id is not None else None, u.id)
                 for u in updates])
            added = self._insert(new_urls)
            self.db.executemany(
                "INSERT OR REPLACE INTO outputs (path, run, kind, records, committed) "
                "VALUES (?, ?, ?, ?, ?)",
                [(o.path, run_id, o.kind, o.records, time.time()) for o in outputs])
        return added

    def _insert(self, urls: Sequence[NewUrl]) -> int:
        if not urls:
            return 0
        before = self.db.total_changes
        self.db.executemany(
            "INSERT OR IGNORE INTO urls (url, host, source, kind, depth, priority, first_seen,"
            " next_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(u.url, u.host, u.source, u.kind, u.depth, u.priority, u.next_due, u.next_due)
             for u in urls])
        added = self.db.total_changes - before
        # Found in scope again (an exclude pattern taken back, or a link from a source
        # whose scope takes it): due again, and the finder's from now on. Kept under the
        # source that had excluded it, it was excluded again at once: a site split into
        # two sources never crawled the pages the new one took over.
        self.db.executemany(
            "UPDATE urls SET status='new', next_due=?, source=?, kind=?, depth=?, "
            "priority=? WHERE url=? AND status='excluded'",
            [(u.next_due, u.source, u.kind, u.depth, u.priority, u.url) for u in urls])
        # A known URL that changed since its last fetch (a sitemap's lastmod) is due now,
        # not at the end of its interval; one never fetched, gone (no next_due) or
        # deferred (the server asked us to wait: Retry-After) is left as it is.
        self.db.executemany(
            "UPDATE urls SET next_due=? WHERE url=? AND next_due>? AND last_fetch<? "
            "AND status<>'deferred'",
            [(u.next_due, u.url, u.next_due, u.modified) for u in urls
             if u.modified is not None])
        return added

    def written_elsewhere(self, record_id: str, version: str, url: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM urls INDEXED BY urls_written WHERE record_id=? AND written=? "
            "AND url<>? LIMIT 1", (record_id, version, url)).fetchone()
        return row is not None

    def page_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT source, COUNT(*) FROM urls WHERE kind='page' "
                               "GROUP BY source").fetchall()
        return {r[0]: r[1] for r in rows}

    def next_due(self) -> float | None:
        row = self.db.execute("SELECT MIN(next_due) FROM urls").fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM urls GROUP BY status").fetchall()
        return {r[0]: r[1] for r in rows}

    def get(self, url: str) -> UrlEntry | None:
        row = self.db.execute(f"SELECT {_ENTRY_COLS} FROM urls WHERE url=?", (url,)).fetchone()
        return UrlEntry(*row) if row else None

    def row(self, url: str) -> dict[str, Any] | None:
        """Every stored column of one URL (for tests and inspection tools)."""
        cur = self.db.execute("SELECT * FROM urls WHERE url=?", (url,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def close(self) -> None:
        self.db.close()

    def _tx(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
