"""One record schema for every command: ids, sites, dates and flags agree across
``clean``, ``extract`` and ``corpus`` (an audit found each of these disagreeing)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from scraper.crawl.work import PageJob, analyse_page
from scraper.extract import extract_html
from scraper.jobs import clean_files, corpus_files, extract_files
from scraper.readers.jsonl import normalise_published
from scraper.record import field_is_valid, registered_domain, stable_id, validate_record

QUIET = io.StringIO


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_one_page_one_id_however_its_url_is_spelled() -> None:
    """clean and extract hashed the URL string as given, crawl its normalised form: one
    page had three ids. All now hash the spelling crawl keys its frontier by."""
    same = ["https://example.org/a/b", "https://EXAMPLE.org:443/a/./b#top",
            "HTTPS://example.org/a/b?utm_source=feed"]
    assert len({stable_id(u, "") for u in same}) == 1
    assert stable_id("https://example.org/a/c", "") != stable_id(same[0], "")
    assert stable_id("https://bücher.de/a", "") == stable_id("https://xn--bcher-kva.de/a", "")
    assert registered_domain("https://bücher.de/a") == "xn--bcher-kva.de"
    assert registered_domain("https://www.xn--bcher-kva.de/a") == "xn--bcher-kva.de"


_PAGE = ("<html><head><title>{t}</title><link rel=canonical href='{c}'></head><body><article>"
         "<h1>{t}</h1><p>{t} is what the council decided on Monday after a long debate "
         "about the harbour, the ferries and the summer timetable for the islands.</p>"
         "<p>Residents can read the decision in full at the town hall from next week.</p>"
         "</article></body></html>")


@pytest.mark.parametrize("canonical", ["javascript:void(0)", "mailto:desk@e.org",
                                       "data:text/html,x"])
def test_a_canonical_that_is_no_page_address_is_not_used(canonical: str) -> None:
    """Every page with ``href="javascript:void(0)"`` got one id and a null site, so
    keeping the latest record per id silently dropped unrelated articles."""
    for url in ("https://a.example.com/story-1", None):
        ex = extract_html(_PAGE.format(t="Ferries", c=canonical).encode(), url=url)
        assert ex.canonical_url is None


def test_saved_pages_without_url_do_not_share_an_id_through_a_relative_canonical(
        tmp_path: Path) -> None:
    for name, title in (("a.html", "Ferries"), ("b.html", "Harbour")):
        (tmp_path / name).write_text(_PAGE.format(t=title, c="/"), "utf-8")
    out = tmp_path / "x.jsonl"
    extract_files([str(tmp_path / "a.html"), str(tmp_path / "b.html")], str(out),
                  workers=1, err=QUIET())
    recs = _records(out)
    assert len({r["id"] for r in recs}) == 2
    for r in recs:
        validate_record(r)


@pytest.mark.parametrize(("given", "written"), [
    ("2024-03-05T10:00:00+01:00:30", "2024-03-05T08:59:30Z"),
    ("2024-03-05T10:00:00+010030", "2024-03-05T08:59:30Z"),
    ("2024-03-05T10:00:00+01:00", "2024-03-05T10:00:00+01:00"),
    ("2024-03-05", "2024-03-05"),
    # one shape for one instant (pages write it many ways), to the precision given
    ("2024-10-08T06:17:34-0500", "2024-10-08T06:17:34-05:00"),
    ("2025-12-19 12:00:00Z", "2025-12-19T12:00:00Z"),
    ("2025-11-25 08:33", "2025-11-25T08:33"),
    ("2024-03-05T10:00+01:00", "2024-03-05T10:00+01:00"),
    ("2025-12-02 08:30:10 -0600", "2025-12-02T08:30:10-06:00"),  # JSON-LD of a real page
    ("2022-09-26T21:58:32.947Z", "2022-09-26T21:58:32.947Z"),
    ("2025-06-04T17:56:23.000+00:00", "2025-06-04T17:56:23+00:00"),
])
def test_published_is_always_in_the_schemas_shape(given: str, written: str) -> None:
    """An offset with seconds (local mean time) was written as given, and the schema
    refused the record; the same instant is now written in UTC."""
    assert normalise_published(given) == written
    assert normalise_published(written) == written
    assert field_is_valid("published", written)


def test_date_time_fields_are_checked_not_just_typed() -> None:
    """jsonschema checks "format": "date-time" only when an optional package is
    installed; without it any string passed, and corpus carried "not a date" along."""
    for bad in ("not a date", "2024-02-30T00:00:00Z", "2024-03-05", "2024-03-05T25:00:00Z"):
        assert not field_is_valid("fetched_at", bad), bad
    assert field_is_valid("fetched_at", "2024-03-05T10:00:00Z")
    assert field_is_valid("fetched_at", "2024-03-05T10:00:00.25+01:00")
    assert field_is_valid("fetched_at", None)


def test_an_input_records_empty_flag_does_not_outlive_its_empty_text(tmp_path: Path) -> None:
    """A record flagged empty by an earlier run, given text since, kept the flag: the
    record said "empty" over 20 words and the writer counted it empty."""
    src = tmp_path / "records.jsonl"
    src.write_text(json.dumps({
        "id": "r1", "flags": ["empty", "invalid-bytes-replaced"],
        "text": "The harbour reopens next week after a long repair of the quay, and boats "
                "may return on Tuesday, the council said.",
    }) + "\n", "utf-8")
    for job in (clean_files, corpus_files):
        out = tmp_path / f"{job.__name__}.jsonl"
        summary = job([str(src)], str(out), err=QUIET(), **(
            {"min_words": 0} if job is corpus_files else {"workers": 1}))
        (rec,) = _records(out)
        assert "empty" not in rec.get("flags", []), job.__name__
        assert summary.empty == 0, job.__name__


def test_corpus_keeps_flags_refuses_bad_dates_and_ids_text_like_clean(tmp_path: Path) -> None:
    src = tmp_path / "records.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [
        {"id": "r1", "text": "A record whose bytes were mended on the way in, and it says so.",
         "flags": ["invalid-bytes-replaced"], "fetched_at": "2024-03-05T10:00:00Z"},
        {"id": "r2", "text": "A record that claims a fetch time that is not a time at all.",
         "fetched_at": "not a date"},
    ]) + "\n", "utf-8")
    out = tmp_path / "corpus.jsonl"
    corpus_files([str(src)], str(out), min_words=0, err=QUIET())
    recs = {r["id"]: r for r in _records(out)}
    assert recs["r1"]["flags"] == ["invalid-bytes-replaced"]
    assert recs["r1"]["fetched_at"] == "2024-03-05T10:00:00Z"
    assert "fetched_at" not in recs["r2"] or recs["r2"]["fetched_at"] is None
    assert "bad-fetched_at" in recs["r2"]["flags"]
    for r in recs.values():
        validate_record(r)
        with pytest.raises(jsonschema.ValidationError):
            validate_record({**r, "processed_at": "yesterday"})

    # A plain text file (with whitespace to normalise) gets one id from both commands.
    text = tmp_path / "page.txt"
    text.write_text("The harbour  reopens next week after a long repair of the quay.\r\n\r\n"
                    "Boats may return on Tuesday, the council said in a statement.\n", "utf-8")
    cleaned, corpus = tmp_path / "c.jsonl", tmp_path / "k.jsonl"
    clean_files([str(text)], str(cleaned), workers=1, err=QUIET())
    corpus_files([str(text)], str(corpus), min_words=0, err=QUIET())
    assert _records(cleaned)[0]["id"] == _records(corpus)[0]["id"]


def test_extract_carries_an_input_title_even_when_it_is_empty(tmp_path: Path) -> None:
    src = tmp_path / "pages.jsonl"
    src.write_text(json.dumps({"html": _PAGE.format(t="Ferries", c="/"), "title": "",
                               "url": "https://e.org/ferries"}) + "\n", "utf-8")
    out = tmp_path / "x.jsonl"
    extract_files([str(src)], str(out), workers=1, err=QUIET())
    assert _records(out)[0]["title"] == ""


_E = "e\u0301"  # é, decomposed (as macOS and some CMSs write it)
_TITLE = f"Caf{_E} owners win late licen\u00adces for the harbour front"
_PARAS = [
    f"\ufeffThe caf{_E} owners of the harbour front won late licen\u00adces on Monday: their "
    "ter\u00adraces may stay open until midnight through the summer, after a long debate "
    "with the council about noise, rubbish and the ferry timetable.",
    "Residents who live above the square said the music was\u200b fine as long as it "
    f"stopped at ten, and the mayor promised a re{_E}view of the licences in the autumn, "
    "when the last ferries of the season have left.",
    "The ferries to the islands will run every hour from June, the operator said, and "
    f"tickets can be bought at the kiosk beside the old caf{_E}\u200b. A return costs "
    "twelve euros, and children under five travel free.",
    f"Fishermen, who share the quay with the caf{_E}s, asked for the loading bay to stay "
    "clear before seven in the morning. The council agreed, and will paint new lines on "
    "the quay before the season starts.",
]
_URL = "https://news.example.org/2024/05/harbour-cafes-late-licences"


def test_extract_normalises_text_and_title_as_clean_does(tmp_path: Path) -> None:
    """extract wrote the page's soft hyphens, BOM, zero-width spaces and decomposed
    accents into the record (and read a zero-width space as a space: "café ."), so
    ``extract`` and ``clean`` of one article gave two texts and two content_hashes, and
    dedup kept both. A headline spelled so was also no match for the title, and stayed
    in the text."""
    html = ("<html><head><title>" + _TITLE + "</title></head><body><header><nav>"
            "<a href='/'>Home</a> <a href='/news'>News</a></nav></header><main><article>"
            "<h1>" + _TITLE + "</h1><p>\u200b</p>" + "".join(f"<p>{p}</p>" for p in _PARAS)
            + "</article></main><footer>© 2024 Harbour News</footer></body></html>")
    pages, dump = tmp_path / "pages.jsonl", tmp_path / "dump.jsonl"
    pages.write_text(json.dumps({"html": html, "url": _URL}) + "\n", "utf-8")
    dump.write_text(json.dumps({"text": "\n\n".join(_PARAS), "url": _URL,
                                "title": _TITLE}) + "\n", "utf-8")
    extract_files([str(pages)], str(tmp_path / "x.jsonl"), workers=1, err=QUIET())
    clean_files([str(dump)], str(tmp_path / "c.jsonl"), workers=1, err=QUIET())
    (extracted,), (cleaned,) = _records(tmp_path / "x.jsonl"), _records(tmp_path / "c.jsonl")
    assert extracted["text"] == cleaned["text"]
    assert extracted["content_hash"] == cleaned["content_hash"]
    assert extracted["text"].startswith("The caf\u00e9 owners of the harbour front won late "
                                        "licences on Monday: their terraces may")
    assert "the old caf\u00e9. A return" in extracted["text"]
    assert extracted["text"].count("\n\n") == len(_PARAS) - 1  # one paragraph a paragraph
    assert extracted["title"] == "Caf\u00e9 owners win late licences for the harbour front"
    # the crawler's worker makes its record through the same extractor
    crawled = analyse_page(PageJob(html.encode(), _URL, {"content-type": "text/html"}, 200,
                                   "2024-05-02T10:00:00Z", True, None, 0)).record
    assert crawled is not None
    assert (crawled["text"], crawled["title"]) == (extracted["text"], extracted["title"])
    assert crawled["content_hash"] == cleaned["content_hash"]
    # clean keeps an input's title as given, but now knows it for its headline too
    dump.write_text(json.dumps({"text": "\n\n".join([_TITLE, *_PARAS]), "url": _URL,
                                "title": _TITLE}) + "\n", "utf-8")
    clean_files([str(dump)], str(tmp_path / "c2.jsonl"), workers=1, err=QUIET())
    (again,) = _records(tmp_path / "c2.jsonl")
    assert again["content_hash"] == extracted["content_hash"]
    assert again["title"] == _TITLE


def test_extract_normalises_code_characters_but_keeps_its_indentation() -> None:
    """A <pre> block's spaces are the code's: only its characters are normalised."""
    page = ("<html><body><main><article><h1>Reading a file line by line</h1>"
            "<p>Python reads a text file one line at a time when you loop over it, which "
            "keeps memory flat however large the file is, as this short example shows.</p>"
            "<pre>with open(path) as f:\n    for line in f:\n        print(line.strip()) "
            "# caf" + _E + "\u00ad\u200b</pre>"
            "<p>The file is closed when the block ends, even if the loop raises an error "
            "half way through the file, so there is no need to call close yourself.</p>"
            "</article></main></body></html>")
    for fmt in ("text", "markdown"):
        ex = extract_html(page.encode(), url="https://docs.example.org/files", output_format=fmt)
        assert "    for line in f:\n        print(line.strip()) # caf\u00e9\n" in ex.text + "\n"
        assert not any(c in ex.text for c in "\u00ad\u200b\u0301")
