"""Faults a user met running ``pagewash extract`` (and the crawler's fetch) on saved
pages and WARC files: each test fails without its fix."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fixture_site import Handler, SiteServer, article_html, fast_config

from scraper.jobs import crawl, extract_files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
GOOD = (FIXTURES / "news_article.html").read_bytes()


def _jsonl(path: Path | str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line]


# -- 206 Partial Content ---------------------------------------------------------------
# pagewash never sends a Range header, so a 206 body is a slice of a page: it was
# extracted as if it were the whole article (a record of its first paragraphs).


def test_a_206_response_in_a_warc_is_a_reject_naming_the_record_and_url(
        tmp_path: Path, make_warc: Callable[..., list[int]]) -> None:
    warc = tmp_path / "crawl.warc.gz"
    html = [("Content-Type", "text/html; charset=utf-8")]
    offsets = make_warc(warc, [
        {"type": "response", "uri": "https://courier.example.com/whole", "payload": GOOD,
         "headers": html},
        {"type": "response", "uri": "https://courier.example.com/part",
         "payload": GOOD[:2000], "status": "206 Partial Content",
         "headers": [*html, ("Content-Range", f"bytes 0-1999/{len(GOOD)}")]},
        # a range that is the whole page is the whole page
        {"type": "response", "uri": "https://courier.example.com/all-of-it", "payload": GOOD,
         "status": "206 Partial Content",
         "headers": [*html, ("Content-Range", f"bytes 0-{len(GOOD) - 1}/{len(GOOD)}")]},
        # a slice of a video is no page at all: skipped, as a 200 video is
        {"type": "response", "uri": "https://courier.example.com/clip.mp4",
         "payload": b"\x00\x00\x00\x18ftypmp42", "status": "206 Partial Content",
         "headers": [("Content-Type", "video/mp4"), ("Content-Range", "bytes 0-11/90000")]},
    ])
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(warc)], str(out))
    assert [r["url"] for r in _jsonl(out)] == ["https://courier.example.com/whole",
                                               "https://courier.example.com/all-of-it"]
    [rej] = _jsonl(summary.rejects_path or "")
    assert rej["source"] == f"{warc}@{offsets[1]}" and rej["reason"] == "partial-content"
    assert "https://courier.example.com/part" in rej["message"]
    assert "206 Partial Content" in rej["message"] and "bytes 0-1999/" in rej["message"]
    assert summary.exit_code == 3


def test_a_206_answer_to_a_crawl_is_a_reject_not_a_record(
        tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch) -> None:
    route = Handler.route

    def partial(self: Handler, path: str, n: int) -> int:
        if path == "/partial.html":  # a cache that answers with a slice, unasked
            page = article_html("partial")
            return self.send(206, page[:400],
                             extra={"Content-Range": f"bytes 0-399/{len(page)}"})
        return route(self, path, n)

    monkeypatch.setattr(Handler, "route", partial)
    site.state.set_page("/hub.html", '<a href="/partial.html">partial</a>')
    s = crawl([site.url("/hub.html")], str(tmp_path / "out.jsonl"), workers=0, max_depth=1,
              fetch=fast_config(retries=1))
    assert s.records_out == 0 and s.reject_reasons == {"partial-content": 1}, s.one_line()
    [rej] = _jsonl(s.rejects_path or "")
    assert rej["source"] == site.url("/partial.html")
    assert "206 Partial Content (Content-Range bytes 0-399/" in rej["message"]


# -- UTF-16 without a byte-order mark ------------------------------------------------------
# Windows tools save pages as UTF-16 with no BOM; the NUL beside each byte of their ASCII
# markup made them "binary file (NUL bytes)" rejects.

UTF16_PAGE = (
    "<!DOCTYPE html>\n<html lang='ru'><head><meta charset='utf-16'>"
    "<title>Мост через реку</title></head><body><article><h1>Мост через реку</h1>"
    "<p>Городской совет в среду утвердил бюджет на строительство двух новых мостов через "
    "реку, сообщила пресс-служба мэрии.</p><p>一号桥的工程将于明年春天开始，预计需要两年时间完成。"
    "</p><p>По словам мэра, строительство начнётся весной следующего года и займёт два "
    "года.</p><a href='/next-story'>next</a></article></body></html>"
)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_page_without_a_bom_is_extracted(tmp_path: Path, codec: str) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a-saved.html").write_bytes(UTF16_PAGE.encode(codec))
    # true binary stays refused, NUL bytes on both sides of the pairs, or no markup
    (pages / "b-noise.html").write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4000)))
    (pages / "c-clip.htm").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(2000))
    (pages / "d-notes.html").write_bytes("Just notes, no markup. " .encode(codec) * 40)
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(pages)], str(out))
    [rec] = _jsonl(out)
    assert rec["source"].endswith("a-saved.html") and rec["title"] == "Мост через реку"
    assert "утвердил бюджет" in rec["text"] and "一号桥的工程" in rec["text"]
    assert "\x00" not in rec["text"]
    reasons = {Path(r["source"]).name: r["reason"] for r in _jsonl(summary.rejects_path or "")}
    assert reasons == {"b-noise.html": "binary", "c-clip.htm": "binary",
                       "d-notes.html": "binary"}


def test_a_utf16_page_without_a_bom_in_a_warc_and_its_links(
        tmp_path: Path, make_warc: Callable[..., list[int]]) -> None:
    from scraper.crawl.discovery import extract_links
    from scraper.extract import extract_html

    body = UTF16_PAGE.encode("utf-16-le")
    ex = extract_html(body, url="https://news.example.ru/most")
    assert ex.title == "Мост через реку" and ex.encoding == "utf-16-le"
    # the crawler's link reader: the hub's links were lost in the NULs
    assert extract_links(body, "https://news.example.ru/most").links == [
        "https://news.example.ru/next-story"]
    assert extract_links(b"\xff\xfe" + body, "https://news.example.ru/most").links == [
        "https://news.example.ru/next-story"]
    _assert_warc_read(tmp_path, make_warc, body)


def _assert_warc_read(tmp_path: Path, make_warc: Callable[..., list[int]], body: bytes) -> None:
    """The page ``body`` as a WARC response without a Content-Type (so it is sniffed)
    gives its record, titled, and a clean exit."""
    warc = tmp_path / "saved.warc.gz"
    make_warc(warc, [{"type": "response", "uri": "https://news.example.ru/most",
                      "payload": body, "headers": []}])
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(warc)], str(out))
    [rec] = _jsonl(out)
    assert rec["title"] == "Мост через реку" and summary.exit_code == 0


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xef\xbb\xbf"])
def test_a_page_with_a_bom_in_a_warc_record_without_a_content_type_is_read(
        tmp_path: Path, make_warc: Callable[..., list[int]], bom: bytes) -> None:
    """A record without a Content-Type is sniffed for HTML: UTF-16 without a BOM now
    passes, but the same page with its BOM (what "Save as Unicode" writes first), or a
    UTF-8 one whose BOM hid its opening ``<!DOCTYPE html>`` and that has no ``<html>``
    tag, was skipped as non-HTML, a record gone with no reject. A file of it was read."""
    page = UTF16_PAGE.replace("<html lang='ru'>", "").replace("</html>", "")
    body = bom + page.encode("utf-16-le" if bom == b"\xff\xfe" else "utf-8")
    _assert_warc_read(tmp_path, make_warc, body)
    page_file = tmp_path / "most.html"
    page_file.write_bytes(body)
    assert extract_files([str(page_file)], str(tmp_path / "file.jsonl")).records_out == 1
    assert [r["title"] for r in _jsonl(tmp_path / "file.jsonl")] == ["Мост через реку"]


# -- the title: a JSON-LD headline the page contradicts -------------------------------------


def _titled(headline: str | None, og: str | None, h1: str | None, title: str = "",
            site: str | None = None) -> str | None:
    from scraper.extract import extract_html

    ld = ('<script type="application/ld+json">'
          + json.dumps({"@context": "https://schema.org", "@type": "BlogPosting",
                        "headline": headline, "datePublished": "2025-06-02"})
          + "</script>") if headline else ""
    meta = f'<meta property="og:title" content="{og}">' if og else ""
    meta += f'<meta property="og:site_name" content="{site}">' if site else ""
    heading = f"<h1>{h1}</h1>" if h1 else ""
    page = (f"<html><head><title>{title or og or ''}</title>{meta}{ld}</head><body><article>"
            f"{heading}<p>The expo hall was full of new ideas this year, and five of them "
            "stood out from the rest for anyone who works with patients every day.</p>"
            "</article></body></html>")
    return extract_html(page.encode(), url="https://blog.example.com/post").title


def test_a_json_ld_headline_that_is_a_description_loses_to_the_title() -> None:
    excerpt = ("The Nutrition 2025 meeting hosted annually by the American Society for "
               "Nutrition brought together leading experts and clinicians to Orlando. I've "
               "compiled 5 trends that stood out to me while walking the expo hall.")
    assert _titled(excerpt, "5 Trends from Nutrition 2025", "5 Trends from Nutrition 2025"
                   ) == "5 Trends from Nutrition 2025"
    # no <h1>: the length and the two sentences say it, against og:title and <title>
    assert _titled(excerpt, "5 Trends from Nutrition 2025", None) == "5 Trends from Nutrition 2025"
    # a section label as headline, where og:title and the <h1> agree with each other
    assert _titled("Sample menus", "7 days of healthy meals on a budget",
                   "7 days of healthy meals on a budget") == "7 days of healthy meals on a budget"


def test_a_json_ld_headline_the_page_shows_still_wins() -> None:
    # the <h1> shows the headline: a shorter, different og:title (for sharing) loses
    seven = "The 7 Biggest Diet and Nutrition Trends in 2025, According to Nutritionists"
    assert _titled(seven, "Nutritionists Explain the Biggest Diet Trends of 2025", seven) == seven
    # a plain headline with no <h1> to back og:title keeps its place
    assert _titled("Cleaning Services Costs In San Diego", "The Average Cost of House Cleaning",
                   None) == "Cleaning Services Costs In San Diego"


def test_a_headline_with_abbreviations_is_not_taken_for_two_sentences() -> None:
    # "U.S." and "Sen." end no sentence: with no og:title and an <h1> of the section,
    # the headline (which <title> repeats) was taken for a description and lost to it
    headline = "U.S. Sen. Warren unveils plan to cap rents"
    assert _titled(headline, None, "Politics", title=headline) == headline
    # a real second sentence still tells a description
    excerpt = "Warren unveils plan. It would cap rents in every city for five years."
    assert _titled(excerpt, None, "Politics", title="Rent caps") == "Politics"


def test_a_declared_title_is_cut_to_the_part_the_h1_shows() -> None:
    assert _titled(None, "Using promises - JavaScript | MDN", "Using promises") == "Using promises"
    assert _titled(None, "Water Bottles | REI Co-op", "Water Bottles") == "Water Bottles"
    # an <h1> that is the site's name (its logo) cuts nothing
    assert _titled(None, "Budget Guide To Travel Insurance - Budget Travel With Gabby",
                   "Budget Travel With Gabby", site="Budget Travel With Gabby"
                   ) == "Budget Guide To Travel Insurance"
    assert _titled(None, "Budget Guide To Travel Insurance - Budget Travel With Gabby",
                   "Budget Travel With Gabby", site="Gabby's"
                   ) == "Budget Guide To Travel Insurance - Budget Travel With Gabby"


def test_a_topic_label_h1_does_not_cut_the_headline_it_opens() -> None:
    """"Brexit - what happens next" over an <h1> "Brexit" (a topic label) was cut to
    "Brexit". What follows the label opens with a lower-case function word and runs
    on: the rest of the headline, in og:title and in <title> alike; a site name after
    it still goes."""
    assert _titled(None, "Brexit - what happens next", "Brexit") == "Brexit - what happens next"
    assert _titled(None, "Brexit - what happens next | BBC News", "Brexit"
                   ) == "Brexit - what happens next"
    assert _titled(None, None, "Brexit", title="Brexit - what happens next | BBC News"
                   ) == "Brexit - what happens next"
    assert _titled(None, "Wahlen – was sich jetzt ändert", "Wahlen"
                   ) == "Wahlen – was sich jetzt ändert"
    # a site, section or shop name after the label is still cut, whatever its case
    assert _titled(None, None, "Promise", title="Promise - JavaScript | MDN") == "Promise"
    assert _titled(None, "Bread Makers - us-cuisinart-sfra", "Bread Makers") == "Bread Makers"
    assert _titled(None, "iPhone Parts | iFixit", "iPhone Parts") == "iPhone Parts"
    # a long <h1> is the headline itself: "by …" after it is a byline tail
    h1 = "Have an App Idea? Affordable Software Development is Finally Accessible"
    assert _titled(None, f"{h1} - by Summer Swann | Yeti LLC", h1) == h1


def test_a_site_named_with_a_lower_case_article_is_no_rest_of_the_headline() -> None:
    """La Repubblica's topic pages say "Brexit - la Repubblica" over an <h1> "Brexit": the
    site's name opens with a lower-case stop word ("la", Dutch "de Volkskrant") and runs
    on, so it was kept as the rest of the headline. A name is capitalised after its
    article; a headline's words go on in lower case."""
    assert _titled(None, None, "Brexit", title="Brexit - la Repubblica") == "Brexit"
    assert _titled(None, "Brexit - de Volkskrant", "Brexit") == "Brexit"
    assert _titled(None, "Brexit - the EU view", "Brexit") == "Brexit - the EU view"


# -- a folder of pages saved from a browser ----------------------------------------------


def test_the_folder_of_a_page_saved_complete_is_not_read_as_pages(tmp_path: Path) -> None:
    """"Save Page As, complete" puts the page's frames (ads, players, comment widgets)
    as .html files in "<page>_files/" beside it: each came out as a record of its own."""
    saved = tmp_path / "saved"
    files = saved / "Flood barriers approved_files"
    (files / "frames").mkdir(parents=True)
    (saved / "Flood barriers approved.html").write_bytes(GOOD)
    (files / "saved_resource.html").write_text(
        "<html><body><div class='ad'><p>Win a cruise for two! Enter the draw today and "
        "see the terms below for the full rules of the prize.</p></div></body></html>")
    (files / "frames" / "player.htm").write_text("<html><body><p>Video player</p></body></html>")
    (files / "style.css").write_text("body { margin: 0 }")
    german = saved / "de"
    (german / "Hochwasserschutz-Dateien").mkdir(parents=True)
    (german / "Hochwasserschutz.html").write_bytes(GOOD)
    (german / "Hochwasserschutz-Dateien" / "werbung.html").write_text(
        "<html><body><p>Werbung</p></body></html>")
    # a folder that only shares a page's first word is a folder of pages
    (saved / "about-us").mkdir()
    (saved / "about.html").write_bytes(GOOD)
    (saved / "about-us" / "index.html").write_bytes(GOOD)
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(saved)], str(out))
    assert sorted(Path(r["source"]).relative_to(saved).as_posix() for r in _jsonl(out)) == [
        "Flood barriers approved.html", "about-us/index.html", "about.html",
        "de/Hochwasserschutz.html"]
    assert summary.exit_code == 0
    assert "4 files in directories not read (saved-page files 4;" in summary.one_line()
    # named on purpose, a frame is read
    one = extract_files([str(files / "saved_resource.html")], str(tmp_path / "one.jsonl"))
    assert one.records_out == 1
    # a pattern's wildcards take the pages, not the frames; one that names the folder
    # takes its files
    pattern = extract_files([f"{saved}/**/*.htm*"], str(tmp_path / "pattern.jsonl"))
    assert sorted(Path(r["source"]).relative_to(saved).as_posix()
                  for r in _jsonl(tmp_path / "pattern.jsonl")) == [
        "Flood barriers approved.html", "about-us/index.html", "about.html",
        "de/Hochwasserschutz.html"]
    assert "saved-page files 3" in pattern.one_line()
    named = extract_files([f"{files}/*.html"], str(tmp_path / "named.jsonl"))
    assert named.records_out == 1


@pytest.mark.parametrize("pattern", ["**/*.html", "*/*.html", "./**/*.html"])
def test_a_relative_pattern_skips_the_saved_page_folders_where_it_is_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str) -> None:
    """Run inside the folder of saved pages (``cd saved; pagewash extract '**/*.html'``),
    a pattern's matches start with the page's folder itself, whose page was looked for
    beside it in ``/``, the root directory, not in the current one: every frame of
    every saved page was read as a page again."""
    (tmp_path / "Flood barriers approved_files").mkdir()
    (tmp_path / "Flood barriers approved.html").write_bytes(GOOD)
    (tmp_path / "Flood barriers approved_files" / "saved_resource.html").write_text(
        "<html><body><div class='ad'><p>Win a cruise for two! Enter the draw today and "
        "see the terms below for the full rules of the prize.</p></div></body></html>")
    monkeypatch.chdir(tmp_path)
    summary = extract_files([pattern], str(tmp_path / "out.jsonl"))
    assert "saved-page files 1" in summary.one_line()
    assert [Path(r["source"]).name for r in _jsonl(tmp_path / "out.jsonl")] == (
        [] if pattern == "*/*.html" else ["Flood barriers approved.html"])


def test_a_pattern_whose_wildcard_matches_a_saved_page_folder_does_not_walk_it(
        tmp_path: Path) -> None:
    """``extract 'saved/*'`` matches the folder "Article_files" itself, and a matched
    directory is walked: the walk began inside the folder, where no page lies beside it,
    and read every frame as a page, though a walk of ``saved/`` and ``'saved/**'`` skip
    them. The folder a wildcard matched is now passed over (its files counted)."""
    saved = tmp_path / "saved"
    (saved / "Flood barriers approved_files" / "frames").mkdir(parents=True)
    (saved / "Flood barriers approved.html").write_bytes(GOOD)
    for name in ("saved_resource.html", "frames/player.htm"):
        (saved / "Flood barriers approved_files" / name).write_text(
            "<html><body><p>Win a cruise for two! Enter the draw today.</p></body></html>")
    (saved / "notes").mkdir()
    (saved / "notes" / "a.html").write_bytes(GOOD)
    summary = extract_files([f"{saved}/*"], str(tmp_path / "out.jsonl"))
    assert sorted(Path(r["source"]).relative_to(saved).as_posix()
                  for r in _jsonl(tmp_path / "out.jsonl")) == [
        "Flood barriers approved.html", "notes/a.html"]
    assert "saved-page files 2" in summary.one_line()
    # spelled out, the folder is read
    named = extract_files([f"{saved}/Flood barriers approved_files"],
                          str(tmp_path / "named.jsonl"))
    assert named.records_out == 2


def _mhtml(page: bytes, encoding: str = "quoted-printable") -> bytes:
    """A page saved as one file the way Chrome writes it: MIME multipart/related, the
    page first (quoted-printable or base64), then a style sheet."""
    import base64
    import quopri

    body = (quopri.encodestring(page) if encoding == "quoted-printable"
            else base64.encodebytes(page))
    return b"\r\n".join([
        b"From: <Saved by Blink>",
        b"Snapshot-Content-Location: https://courier.example.com/news/flood",
        b"Subject: Flood barriers",
        b"MIME-Version: 1.0",
        b'Content-Type: multipart/related;',
        b'\ttype="text/html";',
        b'\tboundary="----MultipartBoundary--x----"',
        b"", b"",
        b"------MultipartBoundary--x----",
        b"Content-Type: text/html; charset=utf-8",
        b"Content-Transfer-Encoding: " + encoding.encode(),
        b"Content-Location: https://courier.example.com/news/flood?print=0",
        b"",
        body.replace(b"\n", b"\r\n"),
        b"------MultipartBoundary--x----",
        b"Content-Type: text/css",
        b"Content-Location: https://courier.example.com/site.css",
        b"",
        b"body { margin: 0 }",
        b"------MultipartBoundary--x------", b""])


def test_a_page_saved_as_one_mhtml_file_is_read_for_its_page(tmp_path: Path) -> None:
    """Read as HTML whole, the MIME headers and quoted-printable soft breaks ("th= e
    river") went into the record as the article's text."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "flood.mhtml").write_bytes(_mhtml(GOOD))
    (pages / "flood-b64.mht").write_bytes(_mhtml(GOOD, "base64"))
    (pages / "styles-only.mhtml").write_bytes(
        _mhtml(GOOD).replace(b"Content-Type: text/html; charset=utf-8", b"Content-Type: text/css"))
    (pages / "plain.html").write_bytes(GOOD)
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(pages)], str(out))
    recs = {Path(r["source"]).name: r for r in _jsonl(out)}
    assert set(recs) == {"flood.mhtml", "flood-b64.mht", "plain.html"}
    for name in ("flood.mhtml", "flood-b64.mht"):
        assert recs[name]["text"] == recs["plain.html"]["text"]
        assert recs[name]["title"] == recs["plain.html"]["title"]
        assert recs[name]["url"] == "https://courier.example.com/news/flood?print=0"
    assert "= " not in recs["flood.mhtml"]["text"] and "=3D" not in recs["flood.mhtml"]["text"]
    [rej] = _jsonl(summary.rejects_path or "")
    assert rej["reason"] == "not-html" and "styles-only.mhtml" in rej["message"]
    assert "no HTML part" in rej["message"]


def test_a_warc_response_compressed_in_a_way_warcio_cannot_undo_says_so(
        tmp_path: Path, make_warc: Callable[..., list[int]]) -> None:
    """warcio hands a zstd (or, without the brotli package, br) payload over still
    compressed: it was a "binary data (NUL bytes), not HTML" reject, or mojibake."""
    import zstandard

    html = [("Content-Type", "text/html; charset=utf-8")]
    warc = tmp_path / "crawl.warc.gz"
    offsets = make_warc(warc, [
        {"type": "response", "uri": "https://courier.example.com/zstd",
         "payload": zstandard.ZstdCompressor().compress(GOOD),
         "headers": [*html, ("Content-Encoding", "zstd")]},
        # an archiver that stored the payload decoded but kept the header: read
        {"type": "response", "uri": "https://courier.example.com/decoded", "payload": GOOD,
         "headers": [*html, ("Content-Encoding", "zstd")]},
    ])
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(warc)], str(out))
    assert [r["url"] for r in _jsonl(out)] == ["https://courier.example.com/decoded"]
    [rej] = _jsonl(summary.rejects_path or "")
    assert rej["source"] == f"{warc}@{offsets[0]}" and rej["reason"] == "content-encoding"
    assert "https://courier.example.com/zstd" in rej["message"]
    assert "Content-Encoding zstd" in rej["message"]


@pytest.mark.parametrize("coding", ["none", "UTF-8", "binary"])
def test_a_warc_response_with_a_content_encoding_that_is_no_compression_is_read(
        tmp_path: Path, make_warc: Callable[..., list[int]], coding: str) -> None:
    """Servers send ``Content-Encoding: none``, ``UTF-8`` or ``binary`` (a charset or
    a transfer word where a compression belongs), and warcio leaves such a payload as it
    is: plain HTML. A page that did not open with ``<`` or ``<html`` -- a BOM before it,
    an HTML5 page without the optional ``<html>`` tag, a Windows UTF-16 page -- was
    rejected as "compressed with Content-Encoding none, which this installation cannot
    undo"; before the content-encoding check it was extracted."""
    import re

    html = [("Content-Type", "text/html")]
    no_html_tag = b"\xef\xbb\xbf" + re.sub(rb"</?html[^>]*>", b"", GOOD)
    utf16 = ("\ufeff" + GOOD.decode("utf-8")).encode("utf-16-le")
    warc = tmp_path / "crawl.warc.gz"
    make_warc(warc, [
        {"type": "response", "uri": f"https://courier.example.com/{name}", "payload": body,
         "headers": [*html, ("Content-Encoding", coding)]}
        for name, body in (("bom", no_html_tag), ("utf16", utf16))])
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(warc)], str(out))
    assert summary.reject_reasons == {}, summary.one_line()
    recs = _jsonl(out)
    assert [r["url"] for r in recs] == ["https://courier.example.com/bom",
                                        "https://courier.example.com/utf16"]
    assert all("flood barriers" in r["title"] for r in recs)


def test_a_warc_payload_the_crawler_cut_short_is_flagged(
        tmp_path: Path, make_warc: Callable[..., list[int]]) -> None:
    """A record with ``WARC-Truncated`` (Common Crawl keeps the first 1 MiB of a
    response) holds the start of a page only: it read as a whole page, unflagged."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "cc.warc.gz"
    with warc.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for uri, cut in (("https://courier.example.com/cut", "length"),
                         ("https://courier.example.com/whole", None)):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                    protocol="HTTP/1.1")
            extra = {"WARC-Truncated": cut} if cut else {}
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(GOOD), http_headers=http,
                warc_headers_dict=extra))
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(warc)], str(out))
    flags = {r["url"]: r.get("flags", []) for r in _jsonl(out)}
    assert flags == {"https://courier.example.com/cut": ["truncated-payload"],
                     "https://courier.example.com/whole": []}
    assert summary.exit_code == 0
    assert "1 cut short by the crawler (flagged truncated-payload)" in summary.one_line()


# -- a page of more elements than the block reader walks -----------------------------------


def test_a_page_past_the_element_limit_is_flagged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The block reader walks the first 300,000 nodes of a page (a 5 MB register of
    60,000 table rows has 660,000): the rows after them, and the paragraph under the
    table, were missing from the record with no word of it. The record is now flagged
    too-many-elements. (The limit is lowered here: a page past the real one takes
    half a minute to extract.)"""
    import scraper.extract.blocks as blocks

    monkeypatch.setattr(blocks, "MAX_NODES", 400)
    rows = "".join(f"<tr><td>Lot {n}</td><td>Oak chair</td><td>{n * 7} GBP</td></tr>"
                   for n in range(1, 200))
    big = tmp_path / "register.html"
    big.write_text("<html><head><title>Register</title></head><body><main><h1>Register</h1>"
                   "<p>Every lot of the spring sale, with its estimate, as of Monday.</p>"
                   f"<table>{rows}</table><p>The register is updated every month.</p>"
                   "</main></body></html>", "utf-8")
    small = tmp_path / "notice.html"
    small.write_text("<html><head><title>Notice</title></head><body><main><p>The spring sale "
                     "starts on Saturday at ten; viewing is on Friday afternoon.</p></main>"
                     "</body></html>", "utf-8")
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(big), str(small)], str(out))
    assert summary.records_out == 2
    flags = {Path(r["source"]).name: r.get("flags") or [] for r in _jsonl(out)}
    assert flags == {"register.html": ["too-many-elements"], "notice.html": []}
