"""Crawl benchmark: pagewash against Scrapy on a generated news site served by nginx.

    python bench/crawl_bench.py                 # 5,000 pages, concurrency 16, everything
    python bench/crawl_bench.py --pages 500 --skip-scrapy   # a quick look

What runs, each as its own process, all against the same nginx on 127.0.0.1 with
politeness off and the same concurrency:

1. Scrapy (a): fetch, follow links, save raw pages (one file per page).
2. Scrapy (b): fetch, follow links, extract with trafilatura, write JSON Lines.
3. pagewash raw: ``crawl --no-extract --warc`` (fetch, follow links, save raw as WARC).
4. pagewash full: ``crawl`` (fetch, extract, clean, write records; all cores).
5. pagewash again on the same state, nothing changed: conditional requests, 304s.
6. pagewash full with a 100,000-URL frontier (a sitemap index), ``--max-pages``:
   peak memory.

Peak memory is sampled every 0.1 s with psutil: the main process alone and the whole
process tree (pagewash's extraction workers included). nginx is installed from Debian
and Scrapy into its own virtualenv when missing. Nothing here is a test: it prints a
table and writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crawl_site import generate, set_base

ROOT = Path(__file__).resolve().parent.parent
SCRAPY_VENV = Path(os.environ.get("PAGEWASH_BENCH_SCRAPY_VENV", "/tmp/pagewash-bench-scrapy"))

SPIDER = r'''
import json, os, sys, time
from urllib.parse import urlsplit
import scrapy
from scrapy.crawler import CrawlerProcess

mode, start, out, conc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
host = urlsplit(start).netloc

class Bench(scrapy.Spider):
    name = "bench"
    start_urls = [start]

    def parse(self, response):
        self.crawler.stats.inc_value("pages_ok")
        if mode == "a":
            name = response.url.split("://", 1)[1].replace("/", "_")
            with open(os.path.join(out, name), "wb") as f:
                f.write(response.body)
        else:
            import trafilatura
            text = trafilatura.extract(response.text, url=response.url)
            yield {"url": response.url, "text": text or ""}
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc == host:
                yield scrapy.Request(url, callback=self.parse)

settings = {
    "CONCURRENT_REQUESTS": conc, "CONCURRENT_REQUESTS_PER_DOMAIN": conc,
    "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False,
    "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING",
    "DEPTH_LIMIT": 0, "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
}
if mode == "b":
    settings["FEEDS"] = {os.path.join(out, "items.jsonl"): {"format": "jsonlines"}}
proc = CrawlerProcess(settings)
crawler = proc.create_crawler(Bench)
proc.crawl(crawler)
proc.start()
stats = crawler.stats.get_stats()
print(json.dumps({"responses": stats.get("response_received_count", 0),
                  "pages_ok": stats.get("pages_ok", 0),
                  "items": stats.get("item_scraped_count", 0)}))
'''


@dataclass
class Result:
    name: str
    pages: int = 0
    seconds: float = 0.0
    rss_main_mb: float = 0.0
    rss_tree_mb: float = 0.0
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ensure_nginx() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                     else None)
    if path:
        return path
    print("installing nginx from Debian ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("nginx") or "/usr/sbin/nginx"


def ensure_scrapy() -> Path:
    py = SCRAPY_VENV / "bin" / "python"
    probe = [str(py), "-c", "import scrapy, trafilatura, psutil"]
    if py.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return py
    print(f"installing Scrapy and trafilatura into {SCRAPY_VENV} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(SCRAPY_VENV)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", "scrapy", "trafilatura",
                    "lxml_html_clean", "psutil"], check=True)
    return py


class Nginx:
    def __init__(self, root: Path, work: Path) -> None:
        self.port = free_port()
        self.work = work
        conf = work / "nginx.conf"
        conf.write_text(textwrap.dedent(f"""
            daemon off;
            user root;
            worker_processes 1;
            pid {work}/nginx.pid;
            error_log {work}/nginx-error.log warn;
            events {{ worker_connections 1024; }}
            http {{
                access_log off;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 100000;
                keepalive_timeout 60;
                client_body_temp_path {work}/tmp-body;
                proxy_temp_path {work}/tmp-proxy;
                fastcgi_temp_path {work}/tmp-fcgi;
                uwsgi_temp_path {work}/tmp-uwsgi;
                scgi_temp_path {work}/tmp-scgi;
                types {{ text/html html; application/xml xml; }}
                default_type application/octet-stream;
                server {{
                    listen 127.0.0.1:{self.port};
                    root {root};
                    etag on;
                }}
            }}
        """))
        self.proc = subprocess.Popen([ensure_nginx(), "-c", str(conf), "-p", str(work)],
                                     stderr=subprocess.PIPE)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("nginx did not start: " + (self.proc.stderr.read().decode()
                                                      if self.proc.stderr else ""))

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def measure(name: str, cmd: list[str], *, env: dict[str, str] | None = None) -> tuple[
        Result, str, str]:
    """Run ``cmd``, sampling the RSS of it and its children; returns (result, out, err)."""
    res = Result(name)
    res.extra["loadavg_1m_before"] = round(os.getloadavg()[0], 2)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    ps = psutil.Process(proc.pid)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            # Main: RSS. All processes: PSS (shared pages divided among the processes that
            # share them), so forkserver workers' shared pages are not counted twice.
            try:
                main = ps.memory_info().rss
                tree = ps.memory_full_info().pss
                for child in ps.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        tree += child.memory_full_info().pss
            except psutil.Error:
                main = tree = 0
            res.rss_main_mb = max(res.rss_main_mb, main / 2**20)
            res.rss_tree_mb = max(res.rss_tree_mb, tree / 2**20)
            stop.wait(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    res.seconds = time.perf_counter() - t0
    stop.set()
    t.join()
    if proc.returncode not in (0, 3):
        print(f"{name} failed ({proc.returncode}):\n{err[-3000:]}", file=sys.stderr)
    res.extra["exit"] = proc.returncode
    res.extra["loadavg_1m_after"] = round(os.getloadavg()[0], 2)
    return res, out, err


def pagewash_cmd(sources: Path, state: Path, conc: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources),
            "--state", str(state), "--ignore-robots", "--delay", "0", "--per-host",
            str(conc), "--concurrency", str(conc), "--allow-address", "127.0.0.1",
            "--timeout", "30", *extra]


def run_pagewash(name: str, cmd: list[str], summary: Path) -> Result:
    res, _, err = measure(name, [*cmd, "--summary-json", str(summary)])
    if summary.exists():
        s = json.loads(summary.read_text())
        res.pages = int(s["fetched"])
        res.extra.update({k: s[k] for k in ("new", "changed", "not_modified", "same_content",
                                            "errors", "requests")})
        res.note = next((x for x in err.splitlines() if x.startswith("pagewash crawl:")), "")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--frontier", type=int, default=100_000)
    ap.add_argument("--frontier-pages", type=int, default=3000,
                    help="--max-pages of the frontier run")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-scrapy", action="store_true")
    ap.add_argument("--json", default=None, help="write the results here as JSON")
    ap.add_argument("--keep", default=None, help="work in this directory and keep it")
    args = ap.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="pagewash-crawl-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    t0 = time.perf_counter()
    info = generate(site, args.pages, frontier=args.frontier)
    mean_kb = info["article_bytes"] / info["articles"] / 1e3
    print(f"generated {info['articles']} articles ({mean_kb:.0f} KB mean, from "
          f"{info['templates']} dev-set pages) and {info['index_pages']} index pages in "
          f"{time.perf_counter() - t0:.0f}s", flush=True)
    nginx = Nginx(site, work)
    set_base(site, nginx.base)
    seed = f"{nginx.base}/index/page-1.html"
    c = args.concurrency
    results: list[Result] = []
    try:
        src = work / "sources.toml"
        src.write_text(textwrap.dedent(f"""
            [[source]]
            name = "bench"
            seeds = ["{seed}"]
            hubs = ["/index/"]
            max_depth = 5
            revisit = "0s"
            discovery_revisit = "0s"
        """))
        if not args.skip_scrapy:
            py = ensure_scrapy()
            spider = work / "spider.py"
            spider.write_text(SPIDER)
            for mode, label in (("a", "Scrapy (a) fetch+links+save raw"),
                                ("b", "Scrapy (b) fetch+links+trafilatura+JSONL")):
                out = work / f"scrapy-{mode}"
                out.mkdir()
                res, stdout, _ = measure(label, [str(py), str(spider), mode, seed, str(out),
                                                 str(c)])
                stats = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
                res.pages = int(stats.get("pages_ok", 0))
                res.extra.update(stats)
                results.append(res)
                print(_row(res), flush=True)

        raw = run_pagewash("pagewash raw: fetch+links+save WARC", pagewash_cmd(
            src, work / "raw.db", c, "--no-extract", "--warc", str(work / "raw" / "raw.warc.gz"),
            "--workers", str(args.workers)), work / "raw-summary.json")
        results.append(raw)
        print(_row(raw), flush=True)

        full_cmd = pagewash_cmd(src, work / "full.db", c, "-o", str(work / "out" /
                                "articles.jsonl"), "--workers", str(args.workers))
        full = run_pagewash("pagewash full: fetch+extract+clean+write", full_cmd,
                            work / "full-summary.json")
        results.append(full)
        print(_row(full), flush=True)
        again = run_pagewash("pagewash second run, unchanged (304)", full_cmd,
                             work / "again-summary.json")
        results.append(again)
        print(_row(again), flush=True)

        if args.frontier:
            fsrc = work / "frontier.toml"
            fsrc.write_text(textwrap.dedent(f"""
                [[source]]
                name = "frontier"
                sitemaps = ["{nginx.base}/sitemap_index.xml"]
                max_depth = 1
            """))
            fr = run_pagewash(
                f"pagewash full, {args.frontier:,}-URL frontier", pagewash_cmd(
                    fsrc, work / "frontier.db", c, "-o", str(work / "fout" / "a.jsonl"),
                    "--workers", str(args.workers), "--max-pages", str(args.frontier_pages)),
                work / "frontier-summary.json")
            import sqlite3

            db = sqlite3.connect(work / "frontier.db")
            fr.extra["frontier_urls"] = db.execute("SELECT COUNT(*) FROM urls").fetchone()[0]
            db.close()
            results.append(fr)
            print(_row(fr), flush=True)
    finally:
        nginx.stop()

    print()
    print(f"{'run':45} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'RSS main':>9} "
          f"{'PSS all':>8}")
    for r in results:
        print(_row(r))
    by = {r.name.split(":")[0]: r for r in results}
    checks = []
    sb = next((r for r in results if r.name.startswith("Scrapy (b)")), None)
    sa = next((r for r in results if r.name.startswith("Scrapy (a)")), None)
    if sb:
        checks.append(("full crawl >= 2x Scrapy (b)", full.rate >= 2 * sb.rate,
                       f"{full.rate:.1f} vs 2 x {sb.rate:.1f}"))
    if sa:
        checks.append(("raw fetch >= Scrapy (a)", raw.rate >= sa.rate,
                       f"{raw.rate:.1f} vs {sa.rate:.1f}"))
    if args.frontier:
        fr = results[-1]
        checks.append(("peak memory < 300 MB, 100k frontier (all processes, PSS)",
                       fr.rss_tree_mb < 300,
                       f"{fr.rss_tree_mb:.0f} MB (main process RSS {fr.rss_main_mb:.0f} MB)"))
    checks.append(("second unchanged run >= 10x faster", full.seconds >= 10 * again.seconds,
                   f"{full.seconds:.1f}s vs {again.seconds:.1f}s = "
                   f"{full.seconds / max(again.seconds, 1e-9):.1f}x"))
    print()
    for label, ok, detail in checks:
        print(f"{'MET ' if ok else 'MISSED'}  {label}: {detail}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "pages": args.pages, "concurrency": c, "workers": args.workers, "site": info,
            "cpus": os.cpu_count(),
            "results": [{**asdict(r), "pages_per_s": round(r.rate, 2)} for r in results],
            "checks": [{"check": a, "met": b, "detail": d} for a, b, d in checks],
        }, indent=2))
    del by
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _row(r: Result) -> str:
    return (f"{r.name:45} {r.pages:>6} {r.seconds:>8.1f} {r.rate:>8.1f} "
            f"{r.rss_main_mb:>7.0f}MB {r.rss_tree_mb:>6.0f}MB")


if __name__ == "__main__":
    main()
