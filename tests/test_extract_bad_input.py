"""Bad pages in ``pagewash extract``: each is a reject naming the item with its reason,
the run goes on, the good pages still come out, and nothing is half-written."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scraper.cli import app
from scraper.errors import InputError
from scraper.extract import ExtractOptions, extract_html
from scraper.jobs import extract_files
from scraper.record import validate_record

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
GOOD = (FIXTURES / "news_article.html").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def _bad_pages(root: Path) -> dict[str, tuple[bytes, str]]:
    """file name -> (bytes, expected reject reason)."""
    return {
        "report.html": (b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>", "not-html"),
        "logo.htm": (PNG, "binary"),  # the reader already sees NUL bytes
        "api.html": (b'{"items": [{"id": 1, "title": "not a page"}]}', "not-html"),
        "empty.html": (b"", "empty"),
        "blank.html": (b"   \n\t  \n", "empty"),
        "notes.html": (b"Just some notes I saved, no markup at all.\n", "not-html"),
    }


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def test_bad_files_are_rejected_and_the_run_goes_on(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    expected = _bad_pages(pages)
    for name, (data, _) in expected.items():
        (pages / name).write_bytes(data)
    (pages / "a-good.html").write_bytes(GOOD)
    (pages / "b-broken-markup.html").write_bytes(
        b"<html><body><div><p>Unclosed <b>bold <i>and italic<p>The harbour board met on "
        b"Friday and agreed to dredge the channel before the summer season begins. <td>stray"
        b"</span></div></div></section><p>Members said the work would take six weeks."
    )
    (pages / "c-wrong-charset.html").write_bytes(
        '<html><head><meta charset="utf-8"></head><body><article><p>Городской совет в среду '
        'утвердил бюджет на строительство двух новых мостов через реку.</p><p>По словам мэра, '
        'строительство начнётся весной следующего года.</p></article></body></html>'
        .encode("cp1251"))
    (pages / "d-deep.html").write_bytes(
        b"<html><body>" + b"<div>" * 10_000 + b"<p>Deep text.</p>" + b"</div>" * 10_000
        + b"<p>The ferry timetable changes on Monday, with two extra sailings each evening.</p>"
        b"</body></html>")
    (pages / "e-page.html.gz").write_bytes(gzip.compress(GOOD))
    big = pages / "huge.html"
    with big.open("wb") as f:  # 50 MB, written in chunks: never built in memory here
        f.write(b"<html><body>")
        chunk = b"<p>" + b"x" * 1_048_000 + b"</p>"
        for _ in range(50):
            f.write(chunk)
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(pages)], str(out))
    records = _read_jsonl(out)
    sources = [r["source"] for r in records]
    assert sources == [str(pages / n) for n in (
        "a-good.html", "b-broken-markup.html", "c-wrong-charset.html", "d-deep.html",
        "e-page.html.gz")]
    for rec in records:
        validate_record(rec)
    by_source = {Path(r["source"]).name: r for r in records}
    broken = by_source["b-broken-markup.html"]["text"]
    assert "Members said the work would take six weeks." in broken
    assert "утвердил бюджет" in by_source["c-wrong-charset.html"]["text"]
    assert "ferry timetable changes on Monday" in by_source["d-deep.html"]["text"]
    assert by_source["e-page.html.gz"]["text"] == by_source["a-good.html"]["text"]
    rejects = {Path(r["source"]).name: r for r in _read_jsonl(Path(summary.rejects_path))}
    assert set(rejects) == {*expected, "huge.html"}
    for name, (_, reason) in expected.items():
        assert rejects[name]["reason"] == reason, (name, rejects[name])
        assert name in rejects[name]["message"]
    assert rejects["huge.html"]["reason"] == "too-large"
    assert summary.rejected == len(expected) + 1
    assert summary.records_out == 5
    assert summary.exit_code == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "out.rejects.jsonl", "pages"]


def test_truncated_warc_keeps_whole_records(tmp_path: Path,
                                            make_warc: Callable[..., list[int]]) -> None:
    warc = tmp_path / "crawl.warc.gz"
    specs = [
        {"type": "response", "uri": f"https://courier.example.com/{i}", "payload": GOOD,
         "headers": [("Content-Type", "text/html; charset=utf-8")]}
        for i in range(3)
    ]
    specs.insert(1, {"type": "response", "uri": "https://courier.example.com/doc.pdf",
                     "payload": b"%PDF-1.4 binary", "headers": [("Content-Type", "text/html")]})
    offsets = make_warc(warc, specs)
    data = warc.read_bytes()
    warc.write_bytes(data[: offsets[3] + 200])  # cut inside the last record
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(warc)], str(out))
    records = _read_jsonl(out)
    assert [r["url"] for r in records] == ["https://courier.example.com/0",
                                           "https://courier.example.com/1"]
    assert records[0]["source"] == f"{warc}@{offsets[0]}"
    assert records[0]["http_status"] == 200 and records[0]["fetched_at"]
    reasons = {r["source"]: r["reason"] for r in _read_jsonl(Path(summary.rejects_path))}
    assert reasons == {f"{warc}@{offsets[1]}": "not-html", f"{warc}@{offsets[3]}": "truncated"}


def test_jsonl_input_carries_id_and_url(tmp_path: Path) -> None:
    src = tmp_path / "pages.jsonl"
    lines = [
        {"id": 7, "url": "https://courier.example.com/a", "html": GOOD.decode("utf-8")},
        {"id": "b", "html": ""},
        {"id": "c", "html": "<html><body><p>Short page.</p></body></html>",
         "headers": {"Content-Type": "text/html; charset=utf-8"}},
    ]
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(src)], str(out))
    records = _read_jsonl(out)
    assert [r["id"] for r in records] == [7, "c"]
    assert records[0]["url"] == "https://courier.example.com/a"
    assert records[0]["source"] == f"{src}:1"
    assert summary.reject_reasons == {"empty": 1}


def test_size_cap_applies_to_the_api() -> None:
    with pytest.raises(InputError) as err:
        extract_html(GOOD, url="https://x.example/big", options=ExtractOptions(max_bytes=1000))
    assert err.value.reason == "too-large"
    assert "https://x.example/big" in err.value.message


def test_content_type_header_says_not_html() -> None:
    with pytest.raises(InputError) as err:
        extract_html(GOOD, url="https://x.example/a", headers={"Content-Type": "application/pdf"})
    assert err.value.reason == "not-html"


def test_cli_extract(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(GOOD)
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"%PDF-1.4\n%binary")
    out = tmp_path / "out.jsonl.gz"
    result = CliRunner().invoke(app, ["extract", str(page), str(bad), "-o", str(out),
                                      "--format", "markdown", "--no-progress"])
    assert result.exit_code == 3, result.output
    assert "bad.html" in result.output and "not-html" in result.output
    records = [json.loads(x) for x in gzip.decompress(out.read_bytes()).decode().splitlines()]
    assert len(records) == 1 and records[0]["format"] == "markdown"
    result = CliRunner().invoke(app, ["extract", str(page), "-o", str(tmp_path / "o.jsonl"),
                                      "--format", "pdf"])
    assert result.exit_code == 1
    assert "unknown format" in result.output


ARTICLE = "".join(
    f"<p>Paragraph {i}: the council voted on Tuesday to approve the budget for next year, "
    f"after a debate that lasted most of the afternoon.</p>" for i in range(6)
)


def _deepest(html: str) -> int:
    from selectolax.lexbor import LexborHTMLParser

    deepest, stack = 0, [(LexborHTMLParser(html).root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.iter(include_text=False))
    return deepest


def test_nesting_beyond_the_limit_is_unwrapped_and_its_text_kept() -> None:
    from scraper.extract.sniff import bound_depth

    page = f"<html><body>{'<div>' * 300}{ARTICLE}{'</div>' * 300}<p>After.</p></body></html>"
    assert _deepest(page) > 300
    flat, dropped = bound_depth(page, limit=50)
    assert dropped > 0
    assert _deepest(flat) <= 50 + 2  # the document node and <html> sit above the count
    assert flat.endswith("</div><p>After.</p></body></html>")  # the kept closes stay
    for i in range(6):
        assert f"Paragraph {i}: the council" in flat
    shallow = f"<html><body>{ARTICLE}</body></html>"
    assert bound_depth(shallow, limit=50) == (shallow, 0)


def test_a_page_nested_100000_deep_is_extracted() -> None:
    """The HTML parser spends time in proportion to depth per element: unbounded, this
    page took minutes. Its article comes out, and the stats say tags were dropped."""
    page = f"<html><body>{'<div>' * 100_000}<article>{ARTICLE}</article>" \
           f"{'</div>' * 100_000}</body></html>"
    ex = extract_html(page.encode(), url="https://example.org/news/budget-vote")
    for i in range(6):
        assert f"Paragraph {i}: the council voted" in ex.text
    assert ex.stats["too_deep_tags"] >= 2 * (100_000 - 10_000)


def test_links_of_a_page_nested_100000_deep() -> None:
    from scraper.crawl.discovery import extract_links

    page = f"<html><body>{'<div>' * 100_000}<a href='/story/1'>One</a>" \
           f"{'</div>' * 100_000}<a href='/story/2'>Two</a></body></html>"
    links = extract_links(page, "https://example.org/")
    # the link inside the depth limit is found; one deeper is unwrapped to its text
    assert links.links == ["https://example.org/story/2"]
    shallower = page.replace("<div>" * 100_000, "<div>" * 9_000, 1)
    assert extract_links(shallower, "https://example.org/").links == [
        "https://example.org/story/1", "https://example.org/story/2"]


def test_a_page_named_with_another_extension_is_read_as_html(tmp_path: Path) -> None:
    """``pagewash extract page.php page.xhtml 'article?id=3'`` (what wget and "save
    as" write) rejected each as "no-html: the item has no HTML to extract from": a
    named file of no known extension was read as plain text."""
    names = ["page.php", "page.xhtml", "article?id=3"]
    for name in names:
        (tmp_path / name).write_bytes(GOOD)
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(tmp_path / n) for n in names], str(out))
    assert summary.rejected == 0
    records = _read_jsonl(out)
    assert [Path(r["source"]).name for r in records] == names
    assert all("flood barriers" in r["text"].lower() for r in records)


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_resume_with_the_other_format_is_refused(tmp_path: Path, suffix: str) -> None:
    """``extract --resume --format markdown`` on a text run's output appended markdown
    records to the text ones: one output in two formats, nothing said."""
    from scraper.errors import ConfigError

    (tmp_path / "a.html").write_bytes(GOOD)
    out = tmp_path / f"out{suffix}"
    extract_files([str(tmp_path / "a.html")], str(out))
    before = out.read_bytes()
    (tmp_path / "b.html").write_bytes(GOOD)
    with pytest.raises(ConfigError, match="--format text, not markdown"):
        extract_files([str(tmp_path)], str(out), output_format="markdown", resume=True)
    assert out.read_bytes() == before
    summary = extract_files([str(tmp_path)], str(out), resume=True)  # the same format
    assert summary.records_out == 1 and summary.resumed_records == 1
