"""The SQLite crawl state, the run lock and output reconciliation."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scraper.crawl.output import CrawlOutput, reconcile
from scraper.errors import StateError, StateLockedError
from scraper.state import NewUrl, OutputFile, SqliteState, StateLock, UrlUpdate


def urls(*names: str, kind: str = "page", priority: int = 1, due: float = 0.0) -> list[NewUrl]:
    return [NewUrl(f"http://h.example/{n}", "h.example", "s", kind, 1, due, priority)
            for n in names]


def test_wal_mode_and_schema(tmp_path: Path) -> None:
    st = SqliteState(tmp_path / "c.db")
    assert st.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    st.close()
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StateError, match=r"junk\.db"):
        SqliteState(tmp_path / "junk.db")


def test_add_claim_and_due_order(tmp_path: Path) -> None:
    st = SqliteState(tmp_path / "c.db")
    assert st.add_urls(urls("a", "b")) == 2
    assert st.add_urls(urls("a", "c")) == 1  # a is known
    st.add_urls(urls("feed", kind="feed", priority=0))
    st.add_urls(urls("later", due=time.time() + 3600))
    claimed = st.claim_due("run1", time.time(), 10)
    assert claimed[0].url.endswith("/feed")  # discovery first
    assert sorted(e.url.rsplit("/", 1)[1] for e in claimed) == ["a", "b", "c", "feed"]
    assert st.claim_due("run1", time.time(), 10) == []  # once per run
    assert len(st.claim_due("run2", time.time(), 10)) == 4  # a killed run's claims lapse
    assert st.next_due() is not None


def test_a_known_url_modified_after_its_fetch_is_due_now(tmp_path: Path) -> None:
    st = SqliteState(tmp_path / "c.db")
    st.add_urls(urls("changed", "same", "gone", "wait", "new"))
    now = time.time()
    fetched = {e.url.rsplit("/", 1)[1]: e for e in st.claim_due("r", now, 10)}
    week = now + 7 * 86400
    st.commit_batch("r", [
        UrlUpdate(id=fetched[name].id, status=status, next_due=due, interval=86400,
                  attempts=0, fetched_at=now - 100)
        for name, status, due in (("changed", "ok", week), ("same", "ok", week),
                                  ("gone", "gone", None), ("wait", "deferred", week))],
        [], [])
    later = now + 5
    relisted = [NewUrl(u.url, u.host, u.source, u.kind, u.depth, later, modified=m)
                for u, m in zip(urls("changed", "same", "gone", "wait", "new", "brand-new"),
                                (now - 50, now - 200, now - 50, now - 50, now - 50, now - 50),
                                strict=True)]
    assert st.add_urls(relisted) == 1  # only brand-new is added
    due = {n: st.get(f"http://h.example/{n}").next_due  # type: ignore[union-attr]
           for n in ("changed", "same", "gone", "wait", "new", "brand-new")}
    assert due["changed"] == later  # changed after its fetch: due now
    assert due["same"] == week  # changed before it: waits
    assert due["gone"] is None  # 410: stays gone
    assert due["wait"] == week  # the server asked us to wait (Retry-After)
    assert due["new"] == 0.0 and due["brand-new"] == later  # never fetched: as before
    st.close()


def test_commit_batch_is_atomic(tmp_path: Path) -> None:
    st = SqliteState(tmp_path / "c.db")
    st.add_urls(urls("a"))
    entry = st.claim_due("r", time.time(), 1)[0]
    upd = UrlUpdate(id=entry.id, status="ok", next_due=time.time() + 60, interval=60,
                    attempts=0, fetched_at=time.time(), http_status=200, etag='"x"',
                    content_hash="c" * 64, changed=True)
    bad = [OutputFile(None, "records", 1)]  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):  # fails after the URL update ran
        st.commit_batch("r", [upd], urls("new"), bad)
    assert st.get(entry.url).etag is None  # type: ignore[union-attr]
    assert st.committed_outputs("r") == set()
    assert st.get("http://h.example/new") is None
    assert st.commit_batch("r", [upd], urls("new"), [OutputFile("/o/x.jsonl", "records", 1)]) == 1
    got = st.get(entry.url)
    assert got is not None and got.etag == '"x"' and got.fetches == 1
    assert st.committed_outputs("r") == {"/o/x.jsonl"}


def test_lock_is_exclusive_across_processes_and_freed_by_kill(tmp_path: Path) -> None:
    state = tmp_path / "c.db"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from scraper.state import StateLock; "
         f"StateLock({str(state)!r}).acquire(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StateLockedError) as info:
            StateLock(state).acquire()
        assert f"pid {holder.pid}" in str(info.value)
        assert "another pagewash run" in str(info.value)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    with StateLock(state):  # the kernel released it with the process
        pass


def test_reconcile_removes_uncommitted_output_of_killed_runs(tmp_path: Path) -> None:
    st = SqliteState(tmp_path / "c.db")
    out = CrawlOutput(str(tmp_path / "a.jsonl"), None, "RUN1")
    st.start_run("RUN1", time.time(), out.bases())
    out.write({"n": 1})
    committed = out.publish()
    st.commit_batch("RUN1", [], [], committed)
    out.write({"n": 2})
    orphan = out.publish()  # published, then "killed" before the state commit
    out.write({"n": 3})  # written, never published: a temp file
    assert out.writer is not None and out.writer._shard is not None
    out.writer._flush(out.writer._shard)
    temp = out.writer._shard.file.tmp
    assert temp.exists() and Path(orphan[0].path).exists()
    unrelated = tmp_path / "a-OTHER-00000.jsonl"
    unrelated.write_text("{}\n")
    removed = reconcile(st, time.time())
    assert sorted(removed) == sorted([orphan[0].path, str(temp)])
    assert Path(committed[0].path).exists() and unrelated.exists()
    assert st.unfinished_runs() == []


def test_a_state_an_older_pagewash_made_opens_and_gains_the_new_columns(
        tmp_path: Path) -> None:
    """The columns that say which record version a URL wrote (record_id, written) came
    after the first release. A state made before opens: they are added, empty, and the
    URLs, runs and outputs it held are kept; the schema version stays 1, as an older
    pagewash reads such a state too (it names the columns it reads)."""
    path = tmp_path / "c.db"
    st = SqliteState(path)
    st.add_urls(urls("b"))
    e = st.claim_due("r", time.time(), 10)[0]
    st.commit_batch("r", [UrlUpdate(id=e.id, status="ok", next_due=None, interval=None,
                                    attempts=0, fetched_at=time.time(),
                                    content_hash="t1:m1")], [], [])
    st.close()
    db = sqlite3.connect(path)  # as the first release left it
    db.executescript("DROP INDEX urls_written; ALTER TABLE urls DROP COLUMN written; "
                     "ALTER TABLE urls DROP COLUMN record_id;")
    db.close()
    st = SqliteState(path)
    try:
        row = st.row("http://h.example/b")
        assert row is not None and row["content_hash"] == "t1:m1"
        assert row["record_id"] is None and row["written"] is None
        assert st.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == ("1",)
        assert not st.written_elsewhere("u1", "t1:m1", "http://h.example/a")
        st.add_urls(urls("c"))
        c = st.get("http://h.example/c")
        assert c is not None
        st.commit_batch("r2", [UrlUpdate(id=c.id, status="ok", next_due=None, interval=None,
                                         attempts=0, fetched_at=time.time(),
                                         content_hash="t2:m2", record_id="u1")], [], [])
        assert st.written_elsewhere("u1", "t2:m2", "http://h.example/a")
        assert not st.written_elsewhere("u1", "t2:m2", "http://h.example/c")  # its own
        assert not st.written_elsewhere("u1", "t1:m1", "http://h.example/a")
    finally:
        st.close()


def test_opening_a_state_a_crawl_is_writing_does_not_wait_for_it(tmp_path: Path) -> None:
    """A state that is up to date is only read when it is opened: a status tool opening
    it while a crawl holds a write transaction does not wait for the crawl (30 s, then
    "database is locked")."""
    path = tmp_path / "c.db"
    SqliteState(path).close()
    writer = sqlite3.connect(path, isolation_level=None, timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    try:
        st = SqliteState(path)
        assert st.counts() == {}
        st.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_url_rules_since(tmp_path: Path) -> None:
    """Since when the state's URLs are spelled by the run's URL rules: a state from
    before the rules were noted, or from other rules, has them from this run on; the
    same rules keep their first time, also in the next process."""
    st = SqliteState(tmp_path / "c.db")
    assert st.url_rules_since("2", 100.0) == 100.0
    assert st.url_rules_since("2", 200.0) == 100.0
    st.close()
    st = SqliteState(tmp_path / "c.db")
    try:
        assert st.url_rules_since("2", 300.0) == 100.0
        assert st.url_rules_since("3", 400.0) == 400.0
        assert st.url_rules_since("3", 500.0) == 400.0
    finally:
        st.close()
