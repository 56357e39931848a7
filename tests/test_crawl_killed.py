"""``kill -9`` at any moment, then a re-run: nothing lost, nothing duplicated.

Deterministic kills at each step of the batch commit (via the PAGEWASH_CRASH_AT hook:
before the shard is published, after it is published but before the state commit,
after the state commit), and kills at arbitrary times from outside.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from fixture_site import Handler, SiteServer, fast_config
from test_crawl import EXPECTED, _cli, paths, records, sources_file

from scraper.jobs import crawl
from scraper.state import SqliteState

WANT = Counter({p: 1 for p in EXPECTED - {"/ratelimited.html"}})
EXCLUDE = ("slow", "ratelimited", "huge", "bomb")


def _run(tmp: Path, src: Path, crash: str | None = None, *extra: str
         ) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PAGEWASH_CRASH_AT", None)
    if crash:
        env["PAGEWASH_CRASH_AT"] = crash
    return subprocess.run(_cli(tmp, src, "--batch-size", "2", *extra), env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("crash", ["before-publish:2", "after-publish:1", "after-publish:3",
                                   "after-state:2"])
def test_kill_at_commit_steps_then_rerun(tmp_path: Path, site: SiteServer, crash: str) -> None:
    src = sources_file(tmp_path, site, revisit="1d", exclude=EXCLUDE)
    killed = _run(tmp_path, src, crash)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    done = _run(tmp_path, src)
    assert done.returncode in (0, 3), done.stderr
    if crash.startswith("after-publish"):
        assert "never committed; its pages will be fetched again" in done.stderr
    assert paths(records(tmp_path)) == WANT
    assert not list(tmp_path.glob(".out-*"))  # no temp files left behind


def test_kill_at_random_moments(tmp_path: Path, site: SiteServer) -> None:
    site.state.page_delay = 0.05
    src = sources_file(tmp_path, site, revisit="1d", exclude=EXCLUDE)
    rng = random.Random(4)
    kills = 0
    for _ in range(4):
        env = dict(os.environ)
        env.pop("PAGEWASH_CRASH_AT", None)
        proc = subprocess.Popen(_cli(tmp_path, src, "--batch-size", "1", "--concurrency",
                                     "2"), env=env, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.6, 1.4))
        if proc.poll() is None:
            proc.kill()
            kills += 1
        proc.wait()
    assert kills >= 2
    site.state.page_delay = 0
    final = _run(tmp_path, src)
    assert final.returncode in (0, 3), final.stderr
    assert paths(records(tmp_path)) == WANT


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_kill_9_leaves_no_extraction_workers_behind(tmp_path: Path, site: SiteServer) -> None:
    """The crawl's extraction workers wait on a queue they also hold the other end of,
    and ignore SIGINT/SIGTERM (stopping is the crawl's): they watch the crawl instead,
    and leave once it is gone. Without that, each killed crawl left three processes."""
    site.state.page_delay = 0.2
    src = sources_file(tmp_path, site, revisit="1d", exclude=EXCLUDE)
    args = _cli(tmp_path, src)
    args[args.index("--workers") + 1] = "1"  # a process pool, not the in-process thread
    proc = subprocess.Popen([*args, "--batch-size", "1"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not records(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    helpers = _descendants(proc.pid)
    assert helpers, "the extraction pool runs by now"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 15
    while (alive := {p for p in helpers if Path(f"/proc/{p}").exists()
                     and b") Z" not in Path(f"/proc/{p}/stat").read_bytes()}) and \
            time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive


def _holds(state: Path) -> dict[str, float]:
    """The Retry-After holds a state file keeps, read as another process reads it while
    a crawl runs (WAL: a reader never waits for the writer)."""
    if not state.exists():
        return {}
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        return {k.removeprefix("hold:"): float(v) for k, v in db.execute(
            "SELECT key, value FROM meta WHERE key LIKE 'hold:%'")}
    except sqlite3.OperationalError:  # (the tables are not made yet)
        return {}
    finally:
        db.close()


def test_a_retry_after_hold_outlives_a_kill_9(tmp_path: Path, site: SiteServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A host in maintenance answers 503 "Retry-After: 3600". The hold was written to
    the state at the end of the run only: cron's next run after a ``kill -9`` (an OOM
    kill, a reboot, systemd's SIGKILL after its stop timeout) had forgotten it and asked
    the host again. The hold is in the state as soon as it is set.

    A second server (another host: another port) keeps the run busy with a page it
    answers only once the test lets it, so the kill lands in the middle of the run."""
    release = threading.Event()
    route = Handler.route

    def r(self: Handler, path: str, n: int) -> int:
        if path.startswith("/articles/"):
            return self.send(503, b"maintenance", extra={"Retry-After": "3600"})
        if path == "/hang.html":
            release.wait(60)
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", r)
    other = SiteServer().start()
    try:
        state = tmp_path / "out.crawl.db"
        args = [sys.executable, "-m", "scraper", "crawl", site.url("/articles/a1.html"),
                other.url("/hang.html"), "-o", str(tmp_path / "out.jsonl"), "--max-depth",
                "0", "--allow-address", "127.0.0.1", "--delay", "0", "--max-crawl-delay",
                "0", "--timeout", "60", "--workers", "0"]
        proc = subprocess.Popen(args, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while not (site.state.hits("/articles/a1.html") and other.state.hits("/hang.html")
                       and _holds(state)) and time.monotonic() < deadline:
                assert proc.poll() is None, "the run is held up by /hang.html"
                time.sleep(0.05)
            assert proc.poll() is None
            proc.kill()
            proc.wait()
        finally:
            release.set()
        assert [h.path for h in site.state.log] == ["/robots.txt", "/articles/a1.html"]
        # the next cron run, with a page of the held host that is due now
        s = crawl([site.url("/articles/a2.html")], str(tmp_path / "out.jsonl"),
                  fetch=fast_config(robots_ttl=0), workers=0, max_depth=0)
        assert [h.path for h in site.state.log[2:]] == [], s.one_line()  # not asked
        assert s.deferred >= 1, s.one_line()
        st = SqliteState(state)
        try:
            assert st.row(site.url("/articles/a2.html"))["status"] == "deferred"  # type: ignore[index]
        finally:
            st.close()
    finally:
        other.stop()
