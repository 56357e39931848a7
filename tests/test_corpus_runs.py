"""`corpus` and `clean` as a user runs them on real inputs: Common Crawl WET files with
empty conversion records, large documents, the readers' agreement on what an empty
document is."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scraper.cli import app
from scraper.jobs import clean_files, corpus_files

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "expected"
ARTICLES = [p.read_text("utf-8").strip() for p in sorted(SEEDS.glob("*.txt"))]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def write_wet(path: Path, pages: list[tuple[str, bytes]]) -> list[int]:
    """A WET file as Common Crawl writes one (warcinfo, then one gzipped ``conversion``
    record per page), written by warcio; returns the conversion records' offsets."""
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
    offsets = []
    for uri, payload in pages:
        offsets.append(buf.tell())
        writer.write_record(writer.create_warc_record(
            uri, "conversion", payload=io.BytesIO(payload), warc_content_type="text/plain",
            warc_headers_dict={"WARC-Date": "2024-10-24T10:02:00Z"}))
    path.write_bytes(buf.getvalue())
    return offsets


def _wet_with_empty_pages(tmp_path: Path) -> tuple[Path, list[str]]:
    wet = tmp_path / "CC-MAIN-test.warc.wet.gz"
    offsets = write_wet(wet, [
        ("https://news.example/a", ARTICLES[0].encode()),
        ("https://news.example/image-only", b""),            # Content-Length: 0
        ("https://news.example/script-only", b" \r\n\t\n"),  # only blanks
        ("https://news.example/b", ARTICLES[3].encode()),
    ])
    from warcio.archiveiterator import ArchiveIterator

    with open(wet, "rb") as f:  # the file really holds the records Common Crawl writes
        lengths = [r.rec_headers.get_header("Content-Length") for r in ArchiveIterator(f)]
    assert lengths[2:4] == ["0", "5"]
    return wet, [f"{wet}@{o}" for o in offsets]


def test_empty_wet_conversion_records_are_empty_records_of_clean(tmp_path: Path) -> None:
    """A real WET file has conversion records of no text (image-only pages): they were
    rejects, so every real WET run exited 3. ``clean`` writes them as records flagged
    ``empty``, as it does a page nothing of which survived cleaning."""
    wet, sources = _wet_with_empty_pages(tmp_path)
    out = tmp_path / "clean.jsonl"
    result = CliRunner().invoke(app, ["clean", str(wet), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "4 in, 4 out, 2 empty, 0 rejected" in result.output
    records = read_jsonl(out)
    assert [r["source"] for r in records] == sources
    for rec in records[1:3]:
        assert rec["text"] == "" and rec["flags"] == ["empty"] and rec["word_count"] == 0
    assert records[1]["url"] == "https://news.example/image-only"
    assert not (tmp_path / "clean.rejects.jsonl").exists()


def test_empty_wet_conversion_records_are_dropped_by_corpus(tmp_path: Path) -> None:
    """``corpus`` drops them as ``empty`` (valid input, nothing to give), counted with the
    other drops and listed in ``--dropped``; not rejects."""
    wet, sources = _wet_with_empty_pages(tmp_path)
    out, dropped = tmp_path / "corpus.jsonl", tmp_path / "dropped.jsonl"
    result = CliRunner().invoke(app, ["corpus", str(wet), "-o", str(out), "--dropped",
                                      str(dropped), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "4 in, 2 out, 0 empty, 0 rejected" in result.output
    assert f"dropped: 2 (empty 2) -> {dropped}\n" in result.output  # where they are listed
    assert [r["source"] for r in read_jsonl(out)] == [sources[0], sources[3]]
    assert [(d["source"], d["reason"]) for d in read_jsonl(dropped)] == [
        (sources[1], "empty"), (sources[2], "empty")]


def test_every_reader_takes_a_record_of_empty_text_as_a_document(tmp_path: Path) -> None:
    """A JSON line with an empty text field is the same thing as a WET record of no text:
    one is an output record flagged ``empty`` of ``clean`` and a drop of ``corpus``, like
    the other (the JSON line was a reject of ``clean`` only)."""
    src = tmp_path / "pages.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLES[1]}) + "\n"
                   + json.dumps({"id": "b", "url": "https://news.example/b", "text": "  "})
                   + "\n", "utf-8")
    summary = clean_files([str(src)], str(tmp_path / "c.jsonl"))
    assert summary.exit_code == 0 and summary.rejected == 0
    empty = read_jsonl(tmp_path / "c.jsonl")[1]
    assert (empty["id"], empty["text"], empty["flags"]) == ("b", "", ["empty"])
    summary = corpus_files([str(src)], str(tmp_path / "k.jsonl"))
    assert summary.exit_code == 0 and summary.dropped == {"empty": 1}
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": [ARTICLES[1], ""]}), rows)
    summary = clean_files([str(rows)], str(tmp_path / "p.jsonl"))
    assert summary.exit_code == 0 and summary.rejected == 0
    assert read_jsonl(tmp_path / "p.jsonl")[1]["flags"] == ["empty"]


def test_a_wet_record_with_stray_bytes_is_flagged_as_a_text_file_is(tmp_path: Path) -> None:
    """``--encoding auto`` shows a stray byte of a UTF-8 page as U+FFFD and flags the
    record ``invalid-bytes-replaced``; a WET record's record had the U+FFFD but no flag,
    so a corpus could not find the pages whose text is not what their bytes said."""
    text = " ".join(f"Le conseil municipal a voté le budget n°{i} du café-théâtre, à "
                    "l'unanimité et après un débat très animé sur les crèches."
                    for i in range(12)).encode()
    wet = tmp_path / "stray.warc.wet.gz"
    write_wet(wet, [("https://news.example/a", text[:500] + b"\xff" + text[500:]),
                    ("https://news.example/b", ARTICLES[3].encode())])
    out = tmp_path / "out.jsonl"
    summary = clean_files([str(wet)], str(out), encoding="auto")
    assert summary.exit_code == 0
    first, second = read_jsonl(out)
    assert "\ufffd" in first["text"] and first["flags"] == ["invalid-bytes-replaced"]
    assert "flags" not in second or not second["flags"]
    summary = corpus_files([str(wet)], str(tmp_path / "k.jsonl"), encoding="auto")
    assert read_jsonl(tmp_path / "k.jsonl")[0]["flags"] == ["invalid-bytes-replaced"]


def test_a_json_line_with_stray_bytes_is_flagged_as_a_text_file_is(tmp_path: Path) -> None:
    """The same for a JSON line read with ``--encoding auto``: its U+FFFD came without
    the flag (once, even when the input record already carried it)."""
    line = json.dumps({"id": "a", "text": " ".join(
        f"Le conseil municipal a voté le budget n°{i} du café-théâtre, à l'unanimité "
        "et après un débat très animé sur les crèches." for i in range(12))},
        ensure_ascii=False).encode()
    flagged = json.dumps({"id": "b", "text": "Déjà vu: une journée très réussie à l'école "
                          "maternelle, où les élèves ont présenté leurs dessins."
                          * 10, "flags": ["invalid-bytes-replaced"]}, ensure_ascii=False)
    src = tmp_path / "in.jsonl"
    src.write_bytes(line[:300] + b"\xff" + line[300:] + b"\n"
                    + flagged.encode()[:200] + b"\xfe" + flagged.encode()[200:] + b"\n")
    out = tmp_path / "out.jsonl"
    summary = corpus_files([str(src)], str(out), encoding="auto", min_words=0)
    assert summary.exit_code == 0
    recs = read_jsonl(out)
    assert all("\ufffd" in r["text"] for r in recs)
    assert [r["flags"] for r in recs] == [["invalid-bytes-replaced"]] * 2


_MEMORY_SCRIPT = r'''
import json, random, resource, sys
from pathlib import Path
from scraper.jobs import corpus_files
d, kind, mb, enable = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4:]
random.seed(7)
vocab = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(2, 9)))
         for _ in range(20000)]
# a function word in four, so that the stop-words rule keeps the made-up prose
stops = ["the", "of", "and", "to", "in", "that", "with", "for"]
def sentence():
    words = random.choices(vocab, k=45) + random.choices(stops, k=15)
    random.shuffle(words)
    return " ".join(words) + "."
def text(mb):
    out, size = [], 0
    while size < mb * 2**20:
        out.append(sentence())
        size += len(out[-1]) + 2
    return "\n\n".join(out)
(d / "small.jsonl").write_text(json.dumps({"text": text(0.01)}) + "\n")
big = d / f"big.{kind}"
t = text(mb)
big.write_text(json.dumps({"text": t}) + "\n" if kind == "jsonl" else t)
del t
# a first small run loads what every run loads (language profiles, the index)
corpus_files([str(d / "small.jsonl")], str(d / "s.jsonl"), min_words=0, enable=enable)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
summary = corpus_files([str(big)], str(d / "b.jsonl"), min_words=0, enable=enable)
assert summary.records_out == 1, summary.one_line()
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 / mb)
'''


@pytest.mark.parametrize(("kind", "enable", "limit"), [
    ("txt", (), 16), ("jsonl", (), 16), ("txt", ("repetition",), 24)])
def test_a_large_document_costs_a_few_times_its_size(tmp_path: Path, kind: str,
                                                     enable: tuple[str, ...],
                                                     limit: float) -> None:
    """``corpus`` over one 8 MB document: peak memory grew by 30 times its size (50 MB
    documents took 1.5 GB; 2 GB with the repetition rules): its word list (60 bytes a
    word) was built twice and held through every step, the alpha-words rule split it
    once more, the reader kept the bytes and the text as read, the repetition rules kept
    nine arrays of n-gram hashes. Now 5 times at 50 MB, 10 at 8 MB (fixed costs)."""
    script = tmp_path / "run.py"
    script.write_text(_MEMORY_SCRIPT, "utf-8")
    done = subprocess.run([sys.executable, str(script), str(tmp_path), kind, "8", *enable],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    per_mb = float(done.stdout.split()[-1])
    assert per_mb < limit, f"{per_mb:.1f} MB of peak memory per MB of text"


def test_words_and_shingles_taken_in_slices_are_those_of_the_whole_text() -> None:
    """The slices a long text is now read in must not change a word, a count or a MinHash
    signature (a state keeps signatures across runs): cut at whitespace, final sigmas,
    dotted capitals and Han characters come out as from the whole text."""
    import random

    import numpy as np

    from cleaners.patterns import PIECE_CHARS, text_pieces, word_tally, words
    from scraper.dedup.minhash import _MIX, MinHasher
    from scraper.steps.repetition import NgramRepetition

    rng = random.Random(5)
    parts = ["ΟΔΟΣ", "ΣΑΣ.Α", "İstanbul", "naïve", "中文字符", "Straße", "x" * 5, "ΌΣΟΣ,"]
    text = "\n".join(" ".join(rng.choice(parts) for _ in range(40)) for _ in range(9000))
    assert len(text) > 2 * PIECE_CHARS and len(list(text_pieces(text))) > 2
    assert "".join(text_pieces(text)) == text
    whole = words(text)
    assert word_tally(text) == (len(whole), sum(map(len, whole)))
    hasher = MinHasher()
    low = words(text.lower())
    h = np.array([hasher._words[w] for w in low], dtype=np.uint64)
    expected = h[: len(h) - 4].copy()
    for i in range(1, 5):
        expected *= _MIX
        expected += h[i: i + len(expected)]
    assert np.array_equal(hasher.shingles(text), expected)
    rep, ref = NgramRepetition.of_text(text), NgramRepetition(whole)
    assert [rep.top_share(n) for n in (2, 3, 4)] == [ref.top_share(n) for n in (2, 3, 4)]
    assert [rep.duplicate_share(n) for n in range(5, 11)] == [
        ref.duplicate_share(n) for n in range(5, 11)]


@pytest.mark.parametrize("name", ["month.jsonl", "month.jsonl.gz", "month.jsonl.zst",
                                  "month.parquet"])
def test_an_output_of_no_records_reads_back_as_no_records(tmp_path: Path, name: str) -> None:
    """An incremental month with nothing new writes an output of no records (on purpose:
    an empty result must look different from a run that never happened). Reading the
    months back (``corpus 'corpus-*.jsonl'``) rejected that file as ``empty``, so
    rebuilding a corpus from its own outputs exited 3."""
    if name.endswith(".parquet"):
        pytest.importorskip("pyarrow")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": a}) + "\n"
                           for i, a in enumerate(ARTICLES)), "utf-8")
    state = str(tmp_path / "s.sqlite")
    first, again = tmp_path / f"first-{name}", tmp_path / name
    assert corpus_files([str(src)], str(first), state=state).exit_code == 0
    summary = corpus_files([str(src)], str(again), state=state)
    assert summary.records_out == 0 and again.is_file()
    out = tmp_path / "all.jsonl"
    result = CliRunner().invoke(app, ["corpus", str(first), str(again), "-o", str(out),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    assert f"{len(ARTICLES)} in, {len(ARTICLES)} out, 0 empty, 0 rejected" in result.output
    result = CliRunner().invoke(app, ["clean", str(again), "-o", str(tmp_path / "c.jsonl"),
                                      "--no-progress"])
    assert result.exit_code == 0 and "0 in, 0 out" in result.output, result.output


def test_untagged_chinese_japanese_and_korean_pass_the_word_length_rule(
        tmp_path: Path) -> None:
    """With ``--no-language`` (or a record the detector left undetermined) the rules that
    depend on how a script spaces its words judged every text as English: word-length
    dropped each Chinese and Japanese article (a word is a character: mean 1.0) and the
    Korean one (2.9). The script of the text now stands in for the missing language."""
    expected = Path(__file__).resolve().parent.parent / "fixtures" / "multilingual" / "expected"
    names = ["zh.txt", "ja.txt", "ko.txt", "de.txt"]
    out, dropped = tmp_path / "out.jsonl", tmp_path / "dropped.jsonl"
    summary = corpus_files([str(expected / n) for n in names], str(out),
                           detect_language=False, dropped=str(dropped))
    assert summary.dropped == {}, read_jsonl(dropped)
    assert [Path(r["source"]).name for r in read_jsonl(out)] == names
    assert all(r["language"] is None for r in read_jsonl(out))
    # and symbol soup in a spaced script is still dropped without a language
    soup = tmp_path / "soup.txt"
    soup.write_text(" ".join(["a b c d e f g h i j"] * 20), "utf-8")
    summary = corpus_files([str(soup)], str(tmp_path / "s.jsonl"), detect_language=False)
    assert summary.dropped == {"word-length": 1}


@pytest.mark.parametrize(("command", "option", "value"), [
    ("corpus", "--shard-size", "0"), ("corpus", "--shard-records", "0"),
    ("corpus", "--max-bytes", "0"), ("corpus", "--min-words", "-3"),
    ("clean", "--shard-records", "-1"), ("clean", "--shard-size", "-5MB")])
def test_an_option_value_that_cannot_be_is_named_as_typed(tmp_path: Path, command: str,
                                                          option: str, value: str) -> None:
    """``--shard-size 0`` was refused as "shard_bytes must be positive", ``--min-words
    -3`` as "min_words must ...": names the user never typed. The message names the
    option; nothing is written; exit status 1, as for every bad option value."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": ARTICLES[0]}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, [command, str(src), "-o", str(out), option, value,
                                      "--no-progress"])
    assert result.exit_code == 1, result.output
    assert f"pagewash: error: {option} must" in result.output
    assert "_" not in result.output.split("error:")[1].split("must")[0]
    assert not out.exists() and not list(tmp_path.glob("out*"))


def test_a_directory_of_outputs_is_read_without_its_rejects_files(tmp_path: Path) -> None:
    """``clean in/ -o out/clean.jsonl.gz`` leaves out/clean.rejects.jsonl beside the
    shards (a crawl, out/articles.rejects-<run id>.jsonl); ``corpus out/`` read it as
    input, each line of it a ``missing-field`` reject, and exited 3. A walk or a pattern
    skips files named as pagewash names rejects files, and says so; named, one is read."""
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate(ARTICLES[:3]):
        (src / f"{i}.txt").write_text(text, "utf-8")
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert clean_files([str(src)], str(out / "clean.jsonl.gz"), shard_records=2).rejected == 1
    (out / "articles.rejects-20261201T040000Z-1a2b.jsonl").write_text(
        json.dumps({"source": "https://x.example/", "reason": "http-404", "message": "404"})
        + "\n", "utf-8")
    assert {"articles.rejects-20261201T040000Z-1a2b.jsonl", "clean.rejects.jsonl",
            "clean-00000.jsonl.gz"} <= {p.name for p in out.iterdir()}
    for inputs in ([str(out)], [str(out / "*.jsonl*")]):
        result = CliRunner().invoke(app, ["corpus", *inputs, "-o", str(tmp_path / "c.jsonl"),
                                          "--no-progress"])
        assert result.exit_code == 0, result.output
        assert "3 in, 3 out, 0 empty, 0 rejected, 2 files in directories not read " \
               "(.rejects.jsonl 2;" in result.output
    named = corpus_files([str(out / "clean.rejects.jsonl")], str(tmp_path / "n.jsonl"))
    assert named.reject_reasons == {"missing-field": 1}


@pytest.mark.parametrize(("command", "option", "value"), [
    ("clean", "--workers", "0"), ("extract", "--workers", "-2"),
    ("clean", "--timeout", "-1"), ("extract", "--timeout", "-5"), ("clean", "--timeout", "inf")])
def test_workers_and_timeout_values_that_cannot_be_are_named_as_typed(
        tmp_path: Path, command: str, option: str, value: str) -> None:
    """``--workers 0`` and ``--timeout -1`` of clean and extract were still refused as
    "workers must be at least 1", "timeout must be ...": the job's parameter names, which
    the shard and size options no longer show. The message names the option as typed."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": ARTICLES[0], "html": "<p>x</p>"}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, [command, str(src), "-o", str(out), option, value,
                                      "--no-progress"])
    assert result.exit_code == 1, result.output
    assert f"pagewash: error: {option} must" in result.output
    assert not out.exists()
