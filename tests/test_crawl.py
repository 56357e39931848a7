"""End-to-end crawls of the fixture site on a real server, with a real SQLite state."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fixture_site import SiteServer, fast_config

from scraper.crawl import CrawlSummary
from scraper.errors import StateLockedError
from scraper.jobs import crawl, schedule
from scraper.state import SqliteState, StateLock

ARTICLES = [f"/articles/a{i}.html" for i in range(1, 9)]
EXPECTED = {*ARTICLES, "/ratelimited.html", "/flaky.html", "/changing.html", "/lastmod.html"}


def sources_file(tmp: Path, site: SiteServer, *, exclude: tuple[str, ...] = (),
                 revisit: str = "0s", extra: str = "",
                 discovery_revisit: str | None = None) -> Path:
    f = tmp / "sources.toml"
    ex = ", ".join(json.dumps(e) for e in exclude)
    f.write_text(f'''
[[source]]
name = "gazette"
seeds = ["{site.url('/')}"]
feeds = ["{site.url('/feed.xml')}", "{site.url('/atom.xml')}", "{site.url('/bad-feed.xml')}"]
sitemaps = ["{site.url('/sitemap_index.xml')}"]
hosts = ["127.0.0.1", "10.0.0.1", "169.254.169.254"]
hubs = ["/news/page-"]
exclude = [{ex}]
max_depth = 2
revisit = "{revisit}"
discovery_revisit = "{discovery_revisit or revisit}"
{extra}
''')
    return f


def records(out_dir: Path, stem: str = "out") -> list[dict[str, Any]]:
    recs = []
    for f in sorted(out_dir.glob(f"{stem}-*-[0-9][0-9][0-9][0-9][0-9].jsonl")):
        recs += [json.loads(line) for line in f.read_text().splitlines()]
    return recs


def paths(recs: list[dict[str, Any]]) -> Counter[str]:
    return Counter(re.sub(r"^http://[^/]+", "", r["url"]) for r in recs)


def run_crawl(tmp: Path, site: SiteServer, **kw: Any) -> CrawlSummary:
    src = kw.pop("sources", None) or sources_file(tmp, site)
    fetch = kw.pop("fetch", None) or fast_config()
    kw.setdefault("workers", 0)
    return crawl(output=str(tmp / "out.jsonl"), sources=str(src), fetch=fetch,
                 validate=True, **kw)  # type: ignore[return-value]


def test_first_crawl(tmp_path: Path, site: SiteServer) -> None:
    s = run_crawl(tmp_path, site)
    recs = records(tmp_path)
    assert paths(recs) == Counter({p: 1 for p in EXPECTED})
    a1 = next(r for r in recs if r["url"].endswith("/a1.html"))
    assert a1["title"] == "City council approves new cycling lanes"
    assert "protected cycling lanes" in a1["text"]
    # cleaned: no view counts, prediction widget, related links, share line, repeats
    assert "views" not in a1["text"] and "Vote now" not in a1["text"]
    assert "Related articles" not in a1["text"] and "Share this article" not in a1["text"]
    assert a1["text"].count("The city council voted on Tuesday") == 1
    assert a1["http_status"] == 200 and a1["fetched_at"].endswith("Z")
    assert s.new == len(EXPECTED) and s.changed == 0 and s.records_out == len(EXPECTED)
    # robots.txt: the disallowed page was never requested
    assert site.state.hits("/private/secret.html") == []
    assert s.disallowed == 1 and s.skipped >= 1  # the PDF
    # every failure is in the rejects file with its reason
    assert s.rejects_path is not None
    rejects = [json.loads(x) for x in Path(s.rejects_path).read_text().splitlines()]
    by_url = {re.sub(r"^http://[^/]+", "", r["source"]): r["reason"] for r in rejects}
    assert by_url["/redirect/private"] == "blocked-address"
    assert by_url["/admin"] == "blocked-address"  # http://10.0.0.1/admin
    assert by_url["/latest/meta-data/"] == "blocked-address"
    assert by_url["/redirect/loop1"] == "redirect-loop"
    assert by_url["/gone.html"] == "http-410"
    assert by_url["/missing.html"] == "http-404"
    assert by_url["/slow.html"] == "timeout"
    assert by_url["/huge.html"] == "too-large"
    assert by_url["/bomb.html"] == "decompression-bomb"
    assert by_url["/bad-feed.xml"] == "bad-feed"
    assert s.errors == len(rejects) and s.exit_code == 3
    assert re.fullmatch(
        r"pagewash crawl: \d+ fetched, 12 new, 0 changed, 0 unchanged \(304\), "
        r"0 unchanged \(same content\), \d+ errors?, .*\d+\.\d+s", s.one_line())
    st = SqliteState(tmp_path / "out.crawl.db")
    row = st.row(site.url("/articles/a1.html"))
    # the state's version of the record: its text's hash, then the headline/byline/date's
    assert row is not None and row["etag"]
    assert row["content_hash"].split(":")[0] == a1["content_hash"]
    assert st.row(site.url("/gone.html"))["status"] == "gone"  # type: ignore[index]
    assert st.row(site.url("/gone.html"))["next_due"] is None  # type: ignore[index]
    assert st.row(site.url("/redirect/a5"))["status"] == "redirect"  # type: ignore[index]
    st.close()


def test_x_robots_tag_noindex_is_honoured(tmp_path: Path, site: SiteServer) -> None:
    """The header twin of <meta name=robots>: pages it asks us (or every agent) not to
    index are fetched for their links but never written; another agent's is not ours."""
    site.state.headers.update({
        "/articles/a2.html": {"X-Robots-Tag": "noindex"},
        "/articles/a3.html": {"X-Robots-Tag": "googlebot: noindex, nofollow"},
        "/articles/a4.html": {"X-Robots-Tag": "max-snippet: 20, pagewash: none"},
    })
    s = run_crawl(tmp_path, site)
    got = paths(records(tmp_path))
    assert "/articles/a2.html" not in got and "/articles/a4.html" not in got
    assert got["/articles/a3.html"] == 1 and got["/articles/a1.html"] == 1
    assert s.records_out == len(EXPECTED) - 2
    st = SqliteState(tmp_path / "out.crawl.db")
    assert st.row(site.url("/articles/a2.html"))["status"] == "noindex"  # type: ignore[index]
    st.close()


def test_second_run_is_incremental(tmp_path: Path, site: SiteServer) -> None:
    run_crawl(tmp_path, site)
    first = records(tmp_path)
    n_log = len(site.state.log)
    # Between runs: one article is edited (new ETag and Last-Modified), the live blog
    # changes its text but keeps its ETag.
    a2 = (Path(__file__).parent.parent / "fixtures/site/articles/a2.html").read_text()
    site.state.set_page("/articles/a2.html", a2.replace(
        "rooftop reading garden", "rooftop reading garden and a small cafe"))
    site.state.changing_version = 2
    s = run_crawl(tmp_path, site)
    second = records(tmp_path)[len(first):]
    assert paths(second) == Counter({"/articles/a2.html": 1, "/changing.html": 1})
    assert "small cafe" in next(r for r in second if "a2" in r["url"])["text"]
    assert "Update 2" in next(r for r in second if "changing" in r["url"])["text"]
    old_a2 = next(r for r in first if "a2" in r["url"])
    new_a2 = next(r for r in second if "a2" in r["url"])
    assert old_a2["id"] == new_a2["id"] and old_a2["content_hash"] != new_a2["content_hash"]
    assert s.changed == 2 and s.new == 0 and s.not_modified >= 9
    # conditional requests were sent
    run2 = site.state.log[n_log:]
    a1 = next(h for h in run2 if h.path == "/articles/a1.html")
    assert "if-none-match" in a1.headers and a1.status == 304
    weather = next(h for h in run2 if h.path == "/lastmod.html")
    assert "if-modified-since" in weather.headers and weather.status == 304
    # failed URLs are not retried before their retry time
    assert not any(h.path in ("/gone.html", "/slow.html", "/bomb.html") for h in run2)
    # a third run with nothing changed writes nothing at all
    s3 = run_crawl(tmp_path, site)
    assert len(records(tmp_path)) == len(first) + 2
    assert s3.new == s3.changed == 0 and s3.outputs == [] and s3.exit_code == 0
    assert s3.same_content >= 1  # changing.html: 200, same text


def test_a_sitemap_lastmod_brings_a_changed_page_forward(tmp_path: Path,
                                                        site: SiteServer) -> None:
    """Pages are revisited daily, sitemaps every run. When the sitemap says an article
    changed after it was fetched, the next run fetches it, a day early; the others wait."""
    src = sources_file(tmp_path, site, revisit="1d", discovery_revisit="0s")
    run_crawl(tmp_path, site, sources=src)
    first = records(tmp_path)
    n_log = len(site.state.log)
    a3 = (Path(__file__).parent.parent / "fixtures/site/articles/a3.html").read_text()
    site.state.set_page("/articles/a3.html", a3.replace(
        "expected on Thursday.", "expected on Thursday. A correction was added."))
    sitemap = (Path(__file__).parent.parent / "fixtures/site/sitemap-articles.xml").read_text()
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 5))
    site.state.set_page("/sitemap-articles.xml.gz", sitemap.replace(
        "a3.html</loc><lastmod>2024-10-12", f"a3.html</loc><lastmod>{now}"))
    s = run_crawl(tmp_path, site, sources=src)
    fetched = {h.path for h in site.state.log[n_log:]}
    assert "/articles/a3.html" in fetched and "/sitemap-articles.xml.gz" in fetched
    assert not fetched & (set(ARTICLES) - {"/articles/a3.html"})  # not due for a day
    second = records(tmp_path)[len(first):]
    assert paths(second) == Counter({"/articles/a3.html": 1}) and s.changed == 1
    assert "A correction was added." in second[0]["text"]


def test_a_configured_feed_that_failed_is_asked_again_on_its_cadence(
    tmp_path: Path, site: SiteServer
) -> None:
    """/bad-feed.xml (in the sources file) is malformed: a failure, but not the end of
    that feed. It is asked again after the retry backoff (10 minutes, doubling), at
    least daily, not in a month; so a feed fixed meanwhile is read on a later run."""
    run_crawl(tmp_path, site)
    st = SqliteState(tmp_path / "out.crawl.db")
    row = st.row(site.url("/bad-feed.xml"))
    assert row is not None and row["status"] == "failed"
    assert 590 < row["next_due"] - row["last_fetch"] <= 610
    st.db.execute("UPDATE urls SET next_due = 0 WHERE url = ?", (site.url("/bad-feed.xml"),))
    st.db.commit()
    st.close()
    feed = (Path(__file__).parent.parent / "fixtures/site/feed.xml").read_text()
    site.state.set_page("/bad-feed.xml", feed)
    s = run_crawl(tmp_path, site)
    assert len(site.state.hits("/bad-feed.xml")) == 2 and s.rejected == 0


def test_revisit_interval_adapts(tmp_path: Path, site: SiteServer) -> None:
    src = sources_file(tmp_path, site, revisit="1h", exclude=("slow", "ratelimited"))
    run_crawl(tmp_path, site, sources=src)
    st = SqliteState(tmp_path / "out.crawl.db")
    row = st.row(site.url("/articles/a1.html"))
    assert row is not None and row["interval"] == 3600
    assert 3500 < row["next_due"] - row["last_fetch"] <= 3600
    # Make a1 due now and fetch it again unchanged: its interval doubles.
    st.db.execute("UPDATE urls SET next_due=0 WHERE url=?", (site.url("/articles/a1.html"),))
    st.close()
    run_crawl(tmp_path, site, sources=src)
    st = SqliteState(tmp_path / "out.crawl.db")
    assert st.row(site.url("/articles/a1.html"))["interval"] == 7200  # type: ignore[index]
    st.close()


def test_warc_output_and_raw_mode(tmp_path: Path, site: SiteServer) -> None:
    from warcio.archiveiterator import ArchiveIterator

    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge", "bomb"))
    s = crawl(output=None, sources=str(src), fetch=fast_config(), workers=0, extract=False,
              warc=str(tmp_path / "raw.warc.gz"))
    assert s.records_out == 0  # type: ignore[attr-defined]
    assert not list(tmp_path.glob("raw-*.jsonl"))
    uris: list[str] = []
    for f in sorted(tmp_path.glob("raw-*-[0-9]*.warc.gz")):
        with open(f, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    uris.append(rec.rec_headers.get_header("WARC-Target-URI"))
                    body = rec.content_stream().read()
                    if uris[-1].endswith("/a1.html"):
                        assert b"cycling lanes" in body
    got = {re.sub(r"^http://[^/]+", "", u) for u in uris}
    assert {*ARTICLES, "/", "/news/page-2.html", "/feed.xml"} <= got
    assert len(uris) == len(set(uris))


def test_warc_readable_by_pagewash_reader(tmp_path: Path, site: SiteServer, read_inputs: Any
                                           ) -> None:
    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge", "bomb"))
    run_crawl(tmp_path, site, sources=src, warc=str(tmp_path / "raw.warc.gz"))
    warcs = sorted(tmp_path.glob("raw-*.warc.gz"))
    assert warcs
    result = read_inputs(warcs, mode="html")
    urls = {d.url for d in result.docs}
    assert site.url("/articles/a3.html") in urls


def test_lock_prevents_overlapping_runs(tmp_path: Path, site: SiteServer) -> None:
    src = sources_file(tmp_path, site)
    with StateLock(tmp_path / "out.crawl.db"), pytest.raises(StateLockedError):
        run_crawl(tmp_path, site, sources=src)
    assert site.state.log == []
    with StateLock(tmp_path / "out.crawl.db"):
        proc = subprocess.run(
            [sys.executable, "-m", "scraper", "crawl", "--sources", str(src), "-o",
             str(tmp_path / "out.jsonl"), "--allow-address", "127.0.0.1"],
            capture_output=True, text=True, timeout=60)
    assert proc.returncode == 75
    assert "another pagewash run is using this state" in proc.stderr


def test_max_pages_then_resume(tmp_path: Path, site: SiteServer) -> None:
    src = sources_file(tmp_path, site, revisit="1d",
                       exclude=("slow", "ratelimited", "huge", "bomb"))
    s1 = run_crawl(tmp_path, site, sources=src, max_pages=4)
    assert s1.requests == 5  # four URLs and robots.txt
    for _ in range(10):
        s = run_crawl(tmp_path, site, sources=src, max_pages=6)
        if s.fetched == 0 and s.errors == 0:
            break
    assert paths(records(tmp_path)) == Counter({p: 1 for p in EXPECTED - {
        "/ratelimited.html"}})


def test_per_source_max_pages(tmp_path: Path, site: SiteServer) -> None:
    src = sources_file(tmp_path, site, extra="max_pages = 3")
    run_crawl(tmp_path, site, sources=src)
    st = SqliteState(tmp_path / "out.crawl.db")
    assert st.page_counts()["gazette"] <= 3
    st.close()


def test_per_source_max_pages_counts_known_pages_once(tmp_path: Path,
                                                     site: SiteServer) -> None:
    """Raising a source's cap lets that many pages in: the pages it already has, listed
    again by its feeds and sitemaps, are not counted a second time against it."""
    run_crawl(tmp_path, site, sources=sources_file(tmp_path, site, extra="max_pages = 3"))
    sitemap = (Path(__file__).resolve().parent.parent / "fixtures/site/sitemap-articles.xml")
    site.state.set_page("/sitemap-articles.xml.gz",  # changed, so it is read again
                        sitemap.read_text() + "<!-- one more article soon -->\n")
    run_crawl(tmp_path, site, sources=sources_file(tmp_path, site, extra="max_pages = 6"))
    st = SqliteState(tmp_path / "out.crawl.db")
    assert st.page_counts()["gazette"] == 6
    st.close()


@pytest.mark.parametrize("follow", [False, True])
def test_sitemaps_listed_in_robots_txt(tmp_path: Path, site: SiteServer, follow: bool) -> None:
    """A source that only names one page finds the site's articles through the Sitemap:
    line of robots.txt when it asks for it, and only then."""
    f = tmp_path / "sources.toml"
    f.write_text(f'''
[[source]]
name = "gazette"
seeds = ["{site.url('/lastmod.html')}"]
max_depth = 1
robots_sitemaps = {"true" if follow else "false"}
''')
    run_crawl(tmp_path, site, sources=f)
    found = set(paths(records(tmp_path)))
    linked = {"/articles/a1.html", "/articles/a4.html", "/articles/a5.html"}
    assert linked <= found  # the seed's own links, either way
    if follow:
        assert set(ARTICLES) <= found
        assert site.state.hits("/sitemap_index.xml")
    else:
        assert not (set(ARTICLES) - linked) & found
        assert site.state.hits("/sitemap_index.xml") == []


def test_process_pool_extraction(tmp_path: Path, site: SiteServer) -> None:
    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge", "bomb"))
    s = run_crawl(tmp_path, site, sources=src, workers=2)
    assert paths(records(tmp_path)) == Counter({p: 1 for p in EXPECTED - {
        "/ratelimited.html"}})
    assert s.new == len(EXPECTED) - 1


def test_dead_host_and_bad_seed_do_not_stop_the_run(tmp_path: Path, site: SiteServer) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    s = crawl([f"http://127.0.0.1:{port}/", site.url("/articles/a1.html")],
              output=str(tmp_path / "out.jsonl"), fetch=fast_config(), workers=0,
              max_depth=0)
    rejects = Path(s.rejects_path).read_text()  # type: ignore[attr-defined]
    assert f"http://127.0.0.1:{port}/" in rejects and "connect-error" in rejects
    assert s.errors == 1  # type: ignore[attr-defined]


def test_schedule_loop(tmp_path: Path, site: SiteServer) -> None:
    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge", "bomb"))
    summaries = schedule(output=str(tmp_path / "out.jsonl"), sources=str(src),
                         fetch=fast_config(), workers=0, every=0.0, iterations=2)
    assert len(summaries) == 2
    first, second = summaries
    assert first.new == len(EXPECTED) - 1  # type: ignore[attr-defined]
    assert second.new == 0 and second.not_modified > 0  # type: ignore[attr-defined]


def _cli(tmp: Path, src: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scraper", "crawl", "--sources", str(src), "-o",
            str(tmp / "out.jsonl"), "--allow-address", "127.0.0.1", "--delay", "0",
            "--max-crawl-delay", "0", "--timeout", "0.3", "--retries", "2", "--workers", "0",
            *extra]


def test_cli_crawl_summary_and_exit_status(tmp_path: Path, site: SiteServer) -> None:
    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge"))
    proc = subprocess.run(_cli(tmp_path, src), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr  # some URLs failed
    line = next(x for x in proc.stderr.splitlines() if x.startswith("pagewash crawl:"))
    assert re.match(r"pagewash crawl: \d+ fetched, 11 new, 0 changed, 0 unchanged \(304\)",
                    line)
    assert "decompression-bomb" in proc.stderr


def test_sigterm_stops_gracefully_and_resumes(tmp_path: Path, site: SiteServer) -> None:
    site.state.page_delay = 0.15
    src = sources_file(tmp_path, site, revisit="1d",
                       exclude=("slow", "ratelimited", "huge", "bomb"))
    proc = subprocess.Popen(_cli(tmp_path, src, "--batch-size", "2", "--concurrency", "2"),
                            stderr=subprocess.PIPE, text=True)
    # Signal once the first batch is published (the crawl is under way), not after a
    # fixed time: on a loaded machine 1.5 s did not cover the start-up, and SIGTERM then
    # found no handler yet.
    deadline = time.monotonic() + 60
    while not records(tmp_path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "STOPPED" in err
    # what the README says a stop does, not "finishing the current item"
    assert ("SIGTERM: finishing the pages in flight (10 s at most; the rest stay due for "
            "the next run) and committing what is done, then stopping") in err
    readme = " ".join((Path(__file__).resolve().parent.parent / "README.md").read_text(
        "utf-8").split())
    assert ("SIGINT/SIGTERM start no new fetch, give the pages in flight 10 s at most (the "
            "rest stay due for the next run), commit what is done") in readme
    partial = records(tmp_path)
    assert len(partial) < len(EXPECTED) - 1
    site.state.page_delay = 0
    run_crawl(tmp_path, site, sources=src)
    assert paths(records(tmp_path)) == Counter({p: 1 for p in EXPECTED - {
        "/ratelimited.html"}})


def test_schedule_stopped_between_runs_exits_130(tmp_path: Path, site: SiteServer) -> None:
    """SIGTERM while the loop waits for the next run is a stop like one during a run:
    status 130, not the finished run's 0 or 3. (Pages revisited hourly: with the
    default "0s" of these tests the next run was due a second later, so the signal
    often came during a second run, not the wait this test is about.)"""
    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge", "bomb"),
                       revisit="1h")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper", "schedule", "--sources", str(src), "-o",
         str(tmp_path / "out.jsonl"), "--allow-address", "127.0.0.1", "--delay", "0",
         "--workers", "0", "--every", "1h"], stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # the first run's summary: the loop now waits an hour
        if line.startswith("pagewash crawl:"):
            break
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 130


def test_cli_schedule_runs_and_stops(tmp_path: Path, site: SiteServer) -> None:
    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge", "bomb"))
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", "schedule", "--sources", str(src), "-o",
         str(tmp_path / "out.jsonl"), "--allow-address", "127.0.0.1", "--delay", "0",
         "--workers", "0", "--every", "0s", "--iterations", "2"],
        capture_output=True, text=True, timeout=120)
    lines = [x for x in proc.stderr.splitlines() if x.startswith("pagewash crawl:")]
    assert len(lines) == 2, proc.stderr
    assert " 11 new," in lines[0] and " 0 new," in lines[1]
    # The exit status is the last run's: its failed URLs are not due yet, so none failed.
    assert proc.returncode == 0


def test_cli_schedule_takes_crawl_options(tmp_path: Path, site: SiteServer) -> None:
    """schedule is crawl in a loop: the fetch options reach the fetcher (before, the
    loop always ran with 3 attempts per request, 20 s timeouts and robots' delays), and
    --rejects and --summary-json hold the latest run's, as after the same crawl run
    from cron."""
    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge", "bomb"))
    summary, rejects = tmp_path / "last.json", tmp_path / "failed.jsonl"

    def run(iterations: int) -> list[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "scraper", "schedule", "--sources", str(src), "-o",
             str(tmp_path / "out.jsonl"), "--allow-address", "127.0.0.1", "--delay", "0",
             "--workers", "0", "--every", "0s", "--iterations", str(iterations),
             "--max-crawl-delay", "0", "--timeout", "0.3", "--retries", "1",
             "--rejects", str(rejects), "--summary-json", str(summary),
             "--batch-size", "3"],
            capture_output=True, text=True, timeout=120)
        return [x for x in proc.stderr.splitlines() if x.startswith("pagewash crawl:")]

    first = run(1)
    # One attempt per request: the page that fails once before it answers is rejected.
    assert len(first) == 1 and " 10 new," in first[0], first
    failed = [json.loads(x) for x in rejects.read_text().splitlines()]
    assert "flaky.html" in {r["source"].rsplit("/", 1)[1] for r in failed}
    assert json.loads(summary.read_text())["new"] == 10
    recs = records(tmp_path)
    assert len(recs) == 10
    # batches of 3 (one shard each; default 500 would make one): records that finish
    # together can share a batch on a loaded machine: several shards, not exactly 4
    assert len(list(tmp_path.glob("out-*-[0-9][0-9][0-9][0-9][0-9].jsonl"))) >= 2

    later = run(2)
    assert len(later) == 2, later
    assert json.loads(summary.read_text())["new"] == int(later[1].split(" new,")[0]
                                                          .rsplit(" ", 1)[1])


def test_a_pool_whose_forkserver_died_is_replaced_not_fatal() -> None:
    """A Ctrl-C sent to the process group can kill the pool's forkserver while it loads;
    the next submit raises EOFError. The page gets a new pool and one retry; it is not
    the end of the crawl."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from scraper.crawl.crawler import Crawler
    from scraper.crawl.work import PageJob

    class DeadPool:
        def submit(self, *args: object, **kwargs: object) -> object:
            raise EOFError("the forkserver is gone")

    class Stub:
        def __init__(self) -> None:
            self.pools: list[object] = [DeadPool(), ThreadPoolExecutor(1)]
            self.closed = 0

        def _executor(self, extract: bool) -> object:
            return self.pools[0]

        def _close_pool(self) -> None:
            self.closed += 1
            self.pools.pop(0)

        def _kill_pool(self, pool: object) -> None:
            if self.pools[0] is pool:  # (as Crawler._kill_pool: the current pool only)
                self._close_pool()

    stub = Stub()
    job = PageJob(body=b"<html><body><p>Hello there, a short page.</p></body></html>",
                  url="http://127.0.0.1/a", headers={}, status=200,
                  fetched_at="2026-11-30T00:00:00+00:00", extract=False, scope=None, depth=0)
    outcome = asyncio.run(Crawler._analyse(stub, job))  # type: ignore[arg-type]
    assert stub.closed == 1 and outcome.reject is None


def test_the_wait_between_scheduled_runs_ends_soon_after_a_stop() -> None:
    """The loop sleeps in short slices: a stop (a signal handler run whenever the main
    thread next runs Python) ends an hour's wait at once."""
    import threading

    from scraper.crawl.run import WAIT_SLICE, _sleep_until
    from scraper.pipeline import RunContext

    ctx = RunContext()
    threading.Timer(0.2, ctx.stop.set).start()
    t0 = time.monotonic()
    _sleep_until(time.time() + 3600, ctx)
    assert time.monotonic() - t0 < 0.2 + WAIT_SLICE + 1.0
    t0 = time.monotonic()
    _sleep_until(time.time() - 1, RunContext())  # already due: no wait
    assert time.monotonic() - t0 < 0.1


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--concurrency", "0", "--concurrency must be at least 1, not 0"),
    ("--max-pages", "-1", "--max-pages must be at least 1, not -1"),
    ("--delay", "nan", "--delay must be at least 0, not nan"),
    ("--timeout", "0", "--timeout must be more than 0, not 0.0"),
    ("--retries", "0", "--retries must be at least 1, not 0"),
])
def test_option_values_that_cannot_mean_anything_are_refused(
        tmp_path: Path, option: str, value: str, message: str) -> None:
    """A concurrency of 0 or a negative page cap made the crawl wait for ever; they are
    refused before the state is locked or anything is fetched."""
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", "crawl", "http://127.0.0.1:9/", "-o",
         str(tmp_path / "out.jsonl"), "--allow-private", option, value],
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and message in proc.stderr, proc.stderr
    assert not (tmp_path / "out.crawl.db").exists()


def test_a_seed_robots_txt_forbids_is_named(tmp_path: Path, site: SiteServer) -> None:
    """A page robots.txt forbids is counted; a seed it forbids is how the source was to be
    found, so it is a reject naming the URL (exit status 3), not a silent empty crawl."""
    f = tmp_path / "sources.toml"
    f.write_text(f'''
[[source]]
name = "members"
seeds = ["{site.url('/private/secret.html')}"]
''')
    s = run_crawl(tmp_path, site, sources=f)
    assert s.disallowed == 1 and s.exit_code == 3
    assert s.rejects_path is not None
    [rej] = [json.loads(x) for x in Path(s.rejects_path).read_text().splitlines()]
    assert rej["reason"] == "robots-disallowed" and rej["source"].endswith("/private/secret.html")
    assert site.state.hits("/private/secret.html") == []


@pytest.mark.parametrize("scope", ['hosts = ["news.example.org"]', 'include = ["/nowhere/"]'])
def test_a_source_whose_links_all_fall_outside_its_scope_warns(
        tmp_path: Path, site: SiteServer, scope: str) -> None:
    """A seed on another host than ``hosts`` (or an include no address matches) is valid
    configuration, but a run in which the start pages linked only outside the scope
    crawled nothing past them: the summary says so, naming the source."""
    f = tmp_path / "sources.toml"
    f.write_text(f'''
[[source]]
name = "mistyped"
seeds = ["{site.url('/')}"]
{scope}
''')
    s = run_crawl(tmp_path, site, sources=f)
    assert s.fetched == 1 and s.new == 0
    [warning] = s.warnings
    assert warning.startswith("source 'mistyped': its seeds, feeds and sitemaps linked to ")
    assert "none is in its scope" in warning
    proc = subprocess.run(_cli(tmp_path, f, "--state", str(tmp_path / "cli.sqlite")),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "pagewash: warning: source 'mistyped'" in proc.stderr


def test_a_source_that_reaches_its_pages_does_not_warn(tmp_path: Path, site: SiteServer
                                                       ) -> None:
    s = run_crawl(tmp_path, site, sources=sources_file(tmp_path, site,
                                                       exclude=("slow", "huge")))
    assert s.new > 0 and s.warnings == []


def test_a_corrected_headline_is_a_new_version_of_the_record(tmp_path: Path,
                                                            site: SiteServer) -> None:
    """Only the text was compared: a page whose headline (or byline, or date) was
    corrected came back "unchanged (same content)" and the record kept the old one."""
    run_crawl(tmp_path, site)
    first = records(tmp_path)
    a3 = (Path(__file__).parent.parent / "fixtures/site/articles/a3.html").read_text()
    site.state.set_page("/articles/a3.html", a3.replace(
        "Storm brings flooding to coastal towns", "Storm floods three coastal towns"))
    s = run_crawl(tmp_path, site)
    [new] = [r for r in records(tmp_path)[len(first):] if "a3" in r["url"]]
    old = next(r for r in first if "a3" in r["url"])
    assert old["title"] == "Storm brings flooding to coastal towns"
    assert new["title"] == "Storm floods three coastal towns"
    assert new["id"] == old["id"] and new["content_hash"] == old["content_hash"]
    assert s.changed == 1


def test_a_state_of_text_hashes_alone_is_not_rewritten_on_upgrade() -> None:
    """States written before the title, authors and date counted hold the text's hash
    alone; compared on that, an upgrade does not write every page again."""
    from scraper.crawl.work import record_version, same_version

    rec = {"content_hash": "ab" * 32, "title": "T", "authors": [], "published": None}
    version = record_version(rec)
    assert same_version("ab" * 32, version) and same_version(version, version)
    assert not same_version(version, record_version({**rec, "title": "T2"}))
    assert not same_version("cd" * 32, version) and not same_version(None, version)


def test_a_redirect_outside_the_scope_is_named_not_silent(tmp_path: Path,
                                                         site: SiteServer) -> None:
    """A seed or feed item that redirects to another host (a feed's redirector links, a
    site that moved) was stored as "redirect": no record, no reject, exit status 0."""
    site.state.set_page("/hub-offsite.html", '<html><body><a href="/redirect/offsite?via=hub">x</a>'
                        ' <a href="/articles/a1.html">y</a></body></html>')
    f = tmp_path / "sources.toml"
    f.write_text(f'''
[[source]]
name = "moved"
seeds = ["{site.url('/redirect/offsite')}"]
[[source]]
name = "hub"
seeds = ["{site.url('/hub-offsite.html')}"]
max_depth = 1
''')
    s = run_crawl(tmp_path, site, sources=f)
    assert s.new == 1 and s.offsite == 1 and s.exit_code == 3
    [rej] = [json.loads(x) for x in Path(s.rejects_path or "").read_text().splitlines()]
    assert rej["reason"] == "redirect-out-of-scope"
    assert rej["source"] == site.url("/redirect/offsite")
    assert "localhost" in rej["message"] and "'moved'" in rej["message"]
    [warning] = s.warnings
    assert warning.startswith("1 page redirected outside the hosts of their source")
    assert "/redirect/offsite?via=hub -> http://localhost:" in warning
    assert "redirected off-site" in s.one_line()


def test_a_feed_served_as_a_web_page_is_read_as_a_feed(tmp_path: Path,
                                                       site: SiteServer) -> None:
    """A feed with Content-Type text/html was "1 skipped" in a sources file and a hub
    without links on the command line: nothing crawled, exit status 0. The body decides;
    a start URL of a type nothing reads (a PDF) is a reject naming it."""
    feed = (Path(__file__).parent.parent / "fixtures/site/feed.xml").read_bytes()
    site.state.set_page("/feed-as-page.html", feed)
    site.state.set_page("/report.pdf", b"%PDF-1.4 not a page")
    f = tmp_path / "sources.toml"
    f.write_text(f'''
[[source]]
name = "misconfigured"
feeds = ["{site.url('/feed-as-page.html')}"]
seeds = ["{site.url('/report.pdf')}"]
max_depth = 1
''')
    s = run_crawl(tmp_path, site, sources=f)
    assert s.new >= 3, s.one_line()
    [rej] = [json.loads(x) for x in Path(s.rejects_path or "").read_text().splitlines()]
    assert rej["source"] == site.url("/report.pdf") and rej["reason"] == "content-type"

    cli = crawl(seeds=[site.url("/feed-as-page.html")], output=str(tmp_path / "cli.jsonl"),
                fetch=fast_config(), workers=0, max_depth=1)
    assert cli.new >= 3, cli.one_line()


def test_a_pdf_seed_is_an_error_in_the_summary_line(tmp_path: Path, site: SiteServer) -> None:
    """A PDF given as a seed is a reject (exit status 3), yet the summary line said "0
    errors, 1 skipped": the log line cron keeps disagreed with the status. It is an error
    now, as a seed that cannot be reached is, and the rejected line names its reason; a
    PDF a page links to is not for us (skipped), no reject and no error."""
    pdf, out = site.url("/files/report.pdf"), tmp_path / "cli.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", "crawl", pdf, "-o", str(out), "--workers", "0",
         "--allow-address", "127.0.0.1"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("pagewash crawl:"))
    assert ", 1 error, " in line and "skipped" not in line, line
    assert "rejected: 1 (content-type 1) -> " in proc.stderr
    [rej] = [json.loads(x) for x in next(tmp_path.glob("cli.rejects-*.jsonl")).read_text()
             .splitlines()]
    assert rej["source"] == pdf and "application/pdf" in rej["message"]

    # the same count as a seed that cannot be reached: errors == rejects, whatever the reason
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    closed = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    sock.close()
    both = crawl([pdf, closed], str(tmp_path / "both.jsonl"), fetch=fast_config(), workers=0,
                 max_depth=0)
    assert both.reject_reasons == {"content-type": 1, "connect-error": 1}, both.one_line()
    assert both.errors == both.rejected == 2 and both.skipped == 0 and both.exit_code == 3

    # a PDF linked from a seed: skipped, not a reject
    site.state.set_page("/hub.html", f'<html><body><a href="{pdf}">Annual report</a> '
                        f'<a href="/articles/a1.html">Cycling lanes</a></body></html>')
    linked = crawl([site.url("/hub.html")], str(tmp_path / "linked.jsonl"),
                   fetch=fast_config(), workers=0, max_depth=1)
    assert linked.skipped == 1 and linked.errors == linked.rejected == 0, linked.one_line()
    assert linked.new == 1 and linked.exit_code == 0 and "0 errors" in linked.one_line()


def test_pages_a_raw_run_fetched_are_extracted_by_a_later_run(tmp_path: Path,
                                                              site: SiteServer) -> None:
    """--no-extract then an extracting crawl on the same state: the archived pages came
    back 304 (or byte-identical) and no record was ever written for them."""
    src = sources_file(tmp_path, site, exclude=("slow", "ratelimited", "huge", "bomb"))
    state = str(tmp_path / "st.db")
    raw = crawl(output=None, sources=str(src), fetch=fast_config(), workers=0,
                extract=False, warc=str(tmp_path / "raw.warc.gz"), state=state)
    assert raw.fetched > 0 and raw.records_out == 0
    s = crawl(output=str(tmp_path / "out.jsonl"), sources=str(src), fetch=fast_config(),
              workers=0, state=state, validate=True)  # type: ignore[call-arg]
    assert set(ARTICLES) <= set(paths(records(tmp_path)))
    assert s.new >= len(ARTICLES)
    third = crawl(output=str(tmp_path / "out.jsonl"), sources=str(src), fetch=fast_config(),
                  workers=0, state=state)
    assert third.new == 0 and third.not_modified > 0  # and conditional again from now on


@pytest.mark.parametrize(("args", "status", "message"), [
    (["crawl", "-o", "{tmp}/x.jsonl"], 2, "nothing to crawl"),
    (["crawl", "http://127.0.0.1:9/"], 2, "give --output"),
    (["crawl", "http://127.0.0.1:9/", "--no-extract"], 2, "give --warc"),
    (["crawl", "http://127.0.0.1:9/", "-o", "-", "--state", "{tmp}/st.db"], 1,
     "crawl output must be a file"),
    (["schedule", "http://127.0.0.1:9/", "-o", "{tmp}/x.jsonl", "--state", "{tmp}/st.db",
      "--iterations", "0"], 1, "--iterations must be at least 1"),
])
def test_a_command_line_that_cannot_crawl_is_refused_before_any_state(
        tmp_path: Path, args: list[str], status: int, message: str) -> None:
    """Missing seeds or output are a wrong command line (2, as the README says; it was
    1); refusals leave no state or lock behind (-o - made both first); --iterations 0
    ran once."""
    from typer.testing import CliRunner

    from scraper.cli import app

    result = CliRunner().invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == status, result.output
    assert message in result.output
    assert not list(tmp_path.iterdir())
