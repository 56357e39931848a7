"""Generate a static news site for the crawl benchmark (never committed: into a temp dir).

Article pages are real pages from the WCXB dev set (100-400 KB of HTML each), made
unique per URL (title, a dateline paragraph) and given a block of links to other
articles and to the index, as a news site's "related" and navigation links are.
Index pages are paginated (50 articles each) with a pager linking every index page, so
any page is at most three links from the first index page.

Optionally, a sitemap index listing ``frontier`` URLs (``/articles/N.html?v=K``; nginx
ignores the query) for the 100,000-URL frontier memory test.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

DEV_HTML = Path("/work/shared/datasets/wcxb-dev/html")
DEV_TRUTH = DEV_HTML.parent / "ground-truth.json"
PER_INDEX = 50

_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)
_TITLE = re.compile(rb"<title[^>]*>.*?</title>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(rb"""(<a\b[^>]*?\bhref\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def templates(min_bytes: int = 100_000, max_bytes: int = 400_000) -> list[bytes]:
    """Dev-set pages of article type whose HTML is 100-400 KB."""
    kinds: dict[str, str] = {}
    if DEV_TRUTH.exists():
        truth = json.loads(DEV_TRUTH.read_text("utf-8"))
        kinds = {k: v.get("page_type", "") for k, v in truth.items()}
    out = []
    for f in sorted(DEV_HTML.glob("*.html.gz")):
        ident = f.name.split(".")[0]
        if kinds and kinds.get(ident) not in ("article", None):
            continue
        # The page's own links point at a site that is not there: they become "#", so
        # both crawlers follow only the generated site's links (no 404 storm).
        data = _HREF.sub(rb'\1"#"', gzip.decompress(f.read_bytes()))
        if min_bytes <= len(data) <= max_bytes and _BODY.search(data):
            out.append(data)
    if not out:
        raise SystemExit(f"no dev-set templates of {min_bytes}-{max_bytes} bytes in {DEV_HTML}")
    return out


def generate(root: Path, pages: int, *, frontier: int = 0, seed: int = 4) -> dict[str, int]:
    rng = random.Random(seed)
    pool = templates()
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "index").mkdir(exist_ok=True)
    n_index = (pages + PER_INDEX - 1) // PER_INDEX
    total = 0
    for i in range(pages):
        tpl = pool[i % len(pool)]
        related = "".join(
            f'<li><a href="/articles/{rng.randrange(pages)}.html">Related story {j}</a></li>'
            for j in range(6))
        nav = (f'<nav class="site"><a href="/index/page-1.html">Home</a> '
               f'<a href="/index/page-{i // PER_INDEX + 1}.html">Section</a></nav>'
               f'<p class="dateline">Story {i}, filed {2000 + i % 25}-{1 + i % 12:02d}-'
               f'{1 + i % 28:02d}.</p>')
        page = _TITLE.sub(f"<title>Story {i}</title>".encode(), tpl, count=1)
        page = _BODY.sub(lambda m, nav=nav: m.group(0) + nav.encode(), page, count=1)
        page = page.replace(b"</body>", f'<ul class="related">{related}</ul></body>'.encode(), 1)
        (root / "articles" / f"{i}.html").write_bytes(page)
        total += len(page)
    pager = "".join(f'<a href="/index/page-{p}.html">{p}</a> ' for p in range(1, n_index + 1))
    for p in range(1, n_index + 1):
        items = "".join(f'<li><a href="/articles/{i}.html">Story {i}</a></li>'
                        for i in range((p - 1) * PER_INDEX, min(p * PER_INDEX, pages)))
        (root / "index" / f"page-{p}.html").write_text(
            f"<!DOCTYPE html><html><head><title>News, page {p}</title></head><body>"
            f"<h1>Latest news</h1><ul>{items}</ul><nav class='pager'>{pager}</nav>"
            "</body></html>", "utf-8")
    if frontier:
        per = 40_000
        maps = []
        for m in range(0, frontier, per):
            urls = "".join(f"<url><loc>BASE/articles/{k % pages}.html?v={k // pages}</loc></url>"
                           for k in range(m, min(m + per, frontier)))
            name = f"sitemap-{m // per}.xml"
            (root / name).write_text(
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{urls}</urlset>', "utf-8")
            maps.append(name)
        (root / "sitemap_index.xml").write_text(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            'sitemap/0.9">' + "".join(f"<sitemap><loc>BASE/{n}</loc></sitemap>" for n in maps)
            + "</sitemapindex>", "utf-8")
    return {"articles": pages, "index_pages": n_index, "article_bytes": total,
            "templates": len(pool)}


def set_base(root: Path, base: str) -> None:
    """Put the server's address into the sitemaps (known only once nginx listens)."""
    for f in root.glob("sitemap*.xml"):
        f.write_text(f.read_text("utf-8").replace("BASE", base), "utf-8")
