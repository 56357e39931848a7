"""A real HTTP server on 127.0.0.1 serving ``fixtures/site`` plus misbehaving endpoints.

Static files are served with an ETag (hash of the body) and Last-Modified, and answer
conditional requests with 304, like nginx. ``{{SITE}}`` in a file becomes the server's
base URL and ``{{VERSION}}`` the current ``changing_version``. Special paths:

- ``/redirect/a5`` -> 301 -> ``/articles/a5.html``; ``/redirect/loop1`` <-> ``loop2``;
  ``/redirect/private`` -> 302 -> ``http://169.254.169.254/latest/meta-data/``;
  ``/redirect/offsite`` -> 301 -> ``http://localhost:PORT/articles/a6.html``
- ``/gone.html`` 410; anything unknown 404
- ``/ratelimited.html``: 429 with ``Retry-After: 1`` once, then the page
- ``/flaky.html``: 503 the first ``flaky_failures`` times, then the page
- ``/slow.html``: waits ``slow_seconds`` before answering
- ``/huge.html``: ``huge_bytes`` of HTML, no Content-Length
- ``/bomb.html``: ``Content-Encoding: gzip`` that inflates to 64 MiB
- ``/changing.html``: same ETag always, content changes with ``changing_version``, and
  conditional headers are ignored (a server with a broken ETag)
- ``/lastmod.html``: Last-Modified only (no ETag)
- ``/sitemap-articles.xml.gz``: ``sitemap-articles.xml`` gzipped
- ``SiteState.headers[path]``: extra response headers for a static file

Every request is logged (path, headers, monotonic time) for assertions.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "site"
START = 1_728_547_200  # 2024-10-10, the Last-Modified of every untouched file

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain",
         ".pdf": "application/pdf", ".gz": "application/gzip"}


@cache
def bomb_body() -> bytes:
    return gzip.compress(b"<p>" + b"\0" * (64 * 2**20), compresslevel=9)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float
    status: int = 0


@dataclass
class SiteState:
    base: str = ""
    page_delay: float = 0.0
    slow_seconds: float = 3.0
    huge_bytes: int = 30 * 2**20
    flaky_failures: int = 1
    robots_status: int = 200  # another status: /robots.txt answers it, with no body
    changing_version: int = 1
    overrides: dict[str, bytes] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> extra headers
    mtimes: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path.split("?")[0] == path]

    def set_page(self, path: str, body: bytes | str) -> None:
        """Change a page between runs: new content, new ETag, later Last-Modified."""
        data = body.encode() if isinstance(body, str) else body
        with self.lock:
            self.overrides[path] = data
            self.mtimes[path] = self.mtimes.get(path, START) + 3600


class Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"
    hit: Hit | None = None

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        st = self.server.state
        path = self.path.split("?", 1)[0]
        hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        self.hit = hit
        with st.lock:
            st.log.append(hit)
            n = st.counters[path] = st.counters.get(path, 0) + 1
        if st.page_delay and path.endswith(".html"):
            time.sleep(st.page_delay)
        try:
            hit.status = self.route(path, n)
        except (BrokenPipeError, ConnectionResetError):
            hit.status = -1
        finally:
            self.hit = None  # the connection's next request logs its own

    def send_response(self, code: int, message: str | None = None) -> None:
        # Logged before a byte goes out: once the client has the response, a test may
        # read the log, and the status must already be there.
        hit = getattr(self, "hit", None)
        if hit is not None:
            hit.status = code
        super().send_response(code, message)

    def route(self, path: str, n: int) -> int:
        st = self.server.state
        if path == "/robots.txt" and st.robots_status != 200:
            return self.send(st.robots_status, b"")
        if path == "/redirect/a5":
            return self.redirect(301, "/articles/a5.html")
        if path == "/redirect/loop1":
            return self.redirect(302, "/redirect/loop2")
        if path == "/redirect/loop2":
            return self.redirect(302, "/redirect/loop1")
        if path == "/redirect/private":
            return self.redirect(302, "http://169.254.169.254/latest/meta-data/")
        if path == "/redirect/offsite":  # the same server under another host name
            return self.redirect(301, st.base.replace("127.0.0.1", "localhost")
                                 + "/articles/a6.html")
        if path == "/gone.html":
            return self.send(410, b"<h1>Gone</h1>")
        if path == "/ratelimited.html" and n == 1:
            return self.send(429, b"slow down", extra={"Retry-After": "1"})
        if path == "/flaky.html" and n <= st.flaky_failures:
            return self.send(503, b"try again")
        if path == "/slow.html":
            time.sleep(st.slow_seconds)
        if path == "/huge.html":
            return self.huge()
        if path == "/bomb.html":
            return self.send(200, bomb_body(), ctype="text/html",
                             extra={"Content-Encoding": "gzip"})
        if path in ("/ratelimited.html", "/flaky.html", "/slow.html"):
            return self.send(200, article_html(path.strip("/").removesuffix(".html")))
        return self.static(path)

    def static(self, path: str) -> int:
        st = self.server.state
        name = path.lstrip("/") or "index.html"
        gz = False
        if name.endswith(".xml.gz"):
            name, gz = name[:-3], True
        file = (SITE_ROOT / name).resolve()
        if path in st.overrides:
            body = st.overrides[path]
        elif SITE_ROOT in file.parents and file.is_file():
            body = file.read_bytes()
        else:
            return self.send(404, b"<h1>Not found</h1>")
        body = body.replace(b"{{SITE}}", st.base.encode())
        body = body.replace(b"{{VERSION}}", str(st.changing_version).encode())
        if gz:
            body = gzip.compress(body, mtime=0)
        ctype = TYPES.get(Path(name).suffix, "application/octet-stream")
        if gz:
            ctype = TYPES[".gz"]
        mtime = st.mtimes.get(path, START)
        last_mod = formatdate(mtime, usegmt=True)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"Last-Modified": last_mod, "ETag": etag, **st.headers.get(path, {})}
        if path == "/changing.html":
            headers["ETag"] = '"live-v1"'  # never changes, whatever the content
            return self.send(200, body, ctype=ctype, extra=headers)
        if path == "/lastmod.html":
            del headers["ETag"]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (inm is not None and "ETag" in headers and inm == headers["ETag"]) or (
            inm is None and ims is not None and ims == last_mod
        ):
            return self.send(304, b"", extra=headers)
        return self.send(200, body, ctype=ctype, extra=headers)

    def redirect(self, status: int, location: str) -> int:
        return self.send(status, b"", extra={"Location": location})

    def huge(self) -> int:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>\n"
        sent = 0
        while sent < self.server.state.huge_bytes:
            self.wfile.write(chunk)
            sent += len(chunk)
        self.close_connection = True
        return 200

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
             extra: dict[str, str] | None = None) -> int:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        return status


def article_html(slug: str) -> bytes:
    title = {"ratelimited": "Ferry timetable changes for winter",
             "flaky": "Museum extends opening hours",
             "slow": "Port authority publishes annual figures"}.get(slug, slug)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Harbour Gazette</title></head><body>
<nav><a href="/">Home</a> <a href="/news/page-2.html">News</a></nav>
<article><h1>{title}</h1>
<p>{title} was announced this morning by the officials responsible, who said the change
would take effect from the first of next month and would be reviewed after a year.</p>
<p>Residents who want to know more can read the full notice at the town hall or on the
council's website, where a summary of the decision and the reasons for it is published.</p>
<p>Local groups welcomed the news, though several said they would have liked more time to
discuss the details before the decision was made final.</p>
</article></body></html>""".encode()


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        bomb_body()  # built once, before any client's timeout starts
        self.state = SiteState()
        host, port = self.server_address[:2]
        self.state.base = f"http://{host}:{port}"
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        return self.state.base

    def url(self, path: str) -> str:
        return self.state.base + path

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that give up (timeouts, size caps) reset connections on purpose

    def start(self) -> SiteServer:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


# -- pytest helpers ---------------------------------------------------------------------

import pytest  # noqa: E402

from scraper.fetch import FetchConfig  # noqa: E402


@pytest.fixture
def site() -> SiteServer:
    """A fresh fixture server per test (its counters and log start empty)."""
    server = SiteServer()
    server.state.slow_seconds = 1.0
    server.start()
    yield server  # type: ignore[misc]
    server.stop()


def fast_config(**overrides: object) -> FetchConfig:
    """Fetch settings for tests: 127.0.0.1 allowed (and nothing else private), short
    timeouts and back-offs, no politeness delay unless a test asks for one."""
    base: dict[str, object] = dict(
        allow_addresses=("127.0.0.1",), delay=0.0, max_crawl_delay=0.0, read_timeout=0.3,
        connect_timeout=0.5, total_timeout=1.5, max_bytes=2 * 2**20, retries=2,
        backoff_base=0.01, max_backoff=0.05, concurrency=8, per_host=4,
    )
    base.update(overrides)
    return FetchConfig(**base)  # type: ignore[arg-type]
