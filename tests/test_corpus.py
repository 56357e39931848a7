"""`pagewash corpus`: filters, exact and near dedup, incremental SQLite state, rejects, CLI.

The articles are the hand-checked expected texts of the bundled seeds: five real news
reports on one story (North Korean troops in Russia), so "a different article on the
same topic" is the real thing, not a made-up one.
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from scraper.cli import app
from scraper.dedup import LshParams, MinHasher, SqliteIndex
from scraper.dedup.minhash import similarity
from scraper.document import Document
from scraper.errors import ConfigError, StateError, StateLockedError
from scraper.jobs import corpus_files
from scraper.pipeline import RunContext, Step
from scraper.readers import Reader
from scraper.record import sha256_hex, validate_record
from scraper.runner import OutputOptions, run_job
from scraper.steps.dedup import ExactDedup, NearDedup
from scraper.steps.filters import Normalise

EXPECTED = Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "expected"
ARTICLES = {p.name[:3]: p.read_text("utf-8").strip() for p in sorted(EXPECTED.glob("*.txt"))}

GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die Radwege in der Innenstadt bis zum "
    "nächsten Sommer deutlich auszubauen. Nach Angaben der Verwaltung sollen vor allem die "
    "Verbindungen zwischen dem Hauptbahnhof und den Schulen sicherer werden, weil dort in "
    "den vergangenen Jahren besonders viele Unfälle gezählt wurden. Die Opposition "
    "kritisierte, dass die Kosten noch nicht feststehen und die Anwohner zu spät beteiligt "
    "worden seien. Der Bürgermeister versprach dagegen eine offene Bürgerversammlung im "
    "Herbst, bei der alle Pläne vorgestellt und besprochen werden sollen."
)


def near_copy(text: str) -> str:
    """The same article with one sentence rewritten and a boilerplate line added."""
    paragraphs = text.split("\n\n")
    first = paragraphs[1].split(". ")
    first[0] = "Officials in Washington said on Monday that talks with partners were going on"
    paragraphs[1] = ". ".join(first)
    return "\n\n".join([*paragraphs, "Follow us on Telegram for the latest news."])


def write_jsonl(path: Path, records: Iterable[dict[str, Any] | str]) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            f.write((rec if isinstance(rec, str) else json.dumps(rec)) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ids(path: Path) -> list[Any]:
    return [r["id"] for r in read_jsonl(path)]


@pytest.mark.parametrize("with_state", [False, True])
def test_duplicate_of_always_names_a_kept_record(tmp_path: Path, with_state: bool) -> None:
    """An exact copy of a text that was itself dropped as a near duplicate names the
    record that text duplicates, not the dropped one (which no output holds)."""
    a = ARTICLES["000"]
    edited = near_copy(a)
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "r1", "text": a}, {"id": "r3", "text": edited}, {"id": "r4", "text": edited}])
    dropped = tmp_path / "dropped.jsonl"
    corpus_files([str(src)], str(tmp_path / "o.jsonl"), dropped=str(dropped),
                 state=str(tmp_path / "s.sqlite") if with_state else None)
    assert ids(tmp_path / "o.jsonl") == ["r1"]
    drops = {d["id"]: (d["reason"], d["duplicate_of"]) for d in read_jsonl(dropped)}
    assert drops == {"r3": ("near-duplicate", "r1"), "r4": ("exact-duplicate", "r1")}


def test_exact_and_near_duplicates_dropped_same_topic_kept(tmp_path: Path) -> None:
    a, b, c = ARTICLES["000"], ARTICLES["003"], ARTICLES["001"]
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": a, "language": "en", "url": "https://unn.ua/en/news/a"},
        {"id": "b", "text": b},
        {"id": "a-again", "text": a},
        {"id": "a-edited", "text": near_copy(a)},
        {"id": "c", "text": c},
    ])
    out, dropped = tmp_path / "corpus.jsonl", tmp_path / "dropped.jsonl"
    summary = corpus_files([str(src)], str(out), dropped=str(dropped), validate=True)

    assert ids(out) == ["a", "b", "c"]
    assert summary.exit_code == 0
    assert (summary.documents_in, summary.records_out) == (5, 3)
    assert summary.dropped == {"exact-duplicate": 1, "near-duplicate": 1}
    assert "2 dropped" in summary.one_line()
    drops = {d["id"]: d for d in read_jsonl(dropped)}
    assert drops["a-again"]["reason"] == "exact-duplicate"
    assert drops["a-again"]["duplicate_of"] == "a"
    assert drops["a-again"]["source"] == f"{src}:3"
    assert drops["a-edited"]["reason"] == "near-duplicate"
    assert drops["a-edited"]["duplicate_of"] == "a"
    for rec in read_jsonl(out):
        validate_record(rec)
        assert rec["language"] == "en"
        assert rec["content_hash"] == sha256_hex(rec["text"])
    assert read_jsonl(out)[0]["site"] == "unn.ua"


def test_near_copy_is_similar_and_same_topic_is_not() -> None:
    hasher = MinHasher(LshParams.for_threshold(0.8))
    sig = {k: hasher.signature(v) for k, v in ARTICLES.items()}
    edited = hasher.signature(near_copy(ARTICLES["000"]))
    assert similarity(sig["000"], edited) >= 0.8
    assert all(similarity(sig["000"], sig[k]) < 0.2 for k in ("001", "002", "003", "004"))
    # Same text, another instance (another process would be the same): same signature.
    assert np.array_equal(MinHasher(LshParams.for_threshold(0.8)).signature(ARTICLES["000"]),
                          sig["000"])


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
def test_band_layout_finds_pairs_at_the_threshold(threshold: float) -> None:
    params = LshParams.for_threshold(threshold)
    assert params.bands * params.rows <= params.num_perm
    assert params.candidate_probability(threshold) >= 0.95
    assert params.candidate_probability(threshold - 0.4) < 0.5


def test_language_filter_detects_when_absent_and_trusts_records(tmp_path: Path) -> None:
    texts = tmp_path / "dumps"
    texts.mkdir()
    (texts / "de.txt").write_text(GERMAN, "utf-8")
    (texts / "en.txt").write_text(ARTICLES["002"], "utf-8")
    records = write_jsonl(tmp_path / "records.jsonl", [
        {"id": "labelled-fr", "text": ARTICLES["004"], "language": "fr"},
    ])
    out, dropped = tmp_path / "de.jsonl", tmp_path / "dropped.jsonl"
    summary = corpus_files([str(texts), str(records)], str(out), languages=["de", "fr"],
                           dropped=str(dropped))

    kept = read_jsonl(out)
    assert [(Path(r["source"]).name, r["language"]) for r in kept] == [
        ("de.txt", "de"), ("records.jsonl:1", "fr")]
    assert summary.dropped == {"language": 1}
    [drop] = read_jsonl(dropped)
    assert drop["reason"] == "language" and drop["source"].endswith("en.txt")
    assert summary.stats["language.detected"] == 2


def test_a_language_code_the_detector_never_gives_is_warned_about(tmp_path: Path) -> None:
    """"eng" for "en": every detected document would go, silently, as "language". The
    run says so at the start; records tagged with the code themselves are still kept."""
    records = write_jsonl(tmp_path / "records.jsonl", [
        {"id": "detected", "text": ARTICLES["002"]},
        {"id": "tagged", "text": ARTICLES["004"], "language": "eng"},
    ])
    err = io.StringIO()
    corpus_files([str(records)], str(tmp_path / "out.jsonl"), languages=["eng", "zh", "en-GB"],
                 err=err)
    assert "warning: --lang eng: the language detector never gives this code" in err.getvalue()
    assert "--lang zh" not in err.getvalue()  # the base of zh-cn and zh-tw
    assert "--lang en-GB" in err.getvalue()
    assert ids(tmp_path / "out.jsonl") == ["tagged"]


def test_min_words_and_quality_rules(tmp_path: Path) -> None:
    teasers = "\n".join(f"Headline {i}: the troops, the talks and what may come next in "
                        "the region..." for i in range(12))
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "short", "text": "Kirby said 3,000 soldiers were moved in October."},
        {"id": "teasers", "text": teasers},
        {"id": "numbers", "text": " ".join(str(i * 7919) for i in range(80))},
        {"id": "article", "text": ARTICLES["001"]},
    ])
    out = tmp_path / "out.jsonl"
    summary = corpus_files([str(src)], str(out), min_words=20)
    assert ids(out) == ["article"]
    assert summary.dropped == {"too-short": 1, "ellipsis-lines": 1, "alpha-words": 1}
    assert summary.stats["quality.dropped.too-short"] == 1

    # Every rule can be switched off by name; --min-words 0 keeps short documents.
    summary = corpus_files([str(src)], str(out), min_words=0,
                           disable=["ellipsis-lines", "alpha-words", "symbol-ratio"])
    assert ids(out) == ["short", "teasers", "numbers", "article"]
    with pytest.raises(ConfigError, match="unknown filter nope"):
        corpus_files([str(src)], str(out), disable=["nope"])


def test_same_input_same_output(tmp_path: Path) -> None:
    docs = [{"text": t} for t in [*ARTICLES.values(), near_copy(ARTICLES["002"])]]
    src = write_jsonl(tmp_path / "in.jsonl", docs)
    runs = []
    for name in ("one.jsonl", "two.jsonl"):
        corpus_files([str(src)], str(tmp_path / name))
        runs.append([{k: v for k, v in r.items() if k != "processed_at"}
                     for r in read_jsonl(tmp_path / name)])
    assert runs[0] == runs[1]
    assert len(runs[0]) == 5


def test_state_makes_dedup_incremental_across_runs(tmp_path: Path) -> None:
    a, b, c = ARTICLES["000"], ARTICLES["003"], ARTICLES["001"]
    state = tmp_path / "corpus.sqlite"
    first = write_jsonl(tmp_path / "crawl1.jsonl", [{"id": "A", "text": a},
                                                   {"id": "B", "text": b}])
    second = write_jsonl(tmp_path / "crawl2.jsonl", [{"id": "A2", "text": near_copy(a)},
                                                    {"id": "C", "text": c},
                                                    {"id": "B2", "text": b}])
    s1 = corpus_files([str(first)], str(tmp_path / "run1.jsonl"), state=str(state))
    assert ids(tmp_path / "run1.jsonl") == ["A", "B"] and s1.dropped == {}
    s2 = corpus_files([str(second)], str(tmp_path / "run2.jsonl"), state=str(state),
                      dropped=str(tmp_path / "dropped.jsonl"))
    assert ids(tmp_path / "run2.jsonl") == ["C"]
    assert s2.dropped == {"near-duplicate": 1, "exact-duplicate": 1}
    assert {d["id"]: d["duplicate_of"] for d in read_jsonl(tmp_path / "dropped.jsonl")} == {
        "A2": "A", "B2": "B"}

    db = sqlite3.connect(state)
    rows = db.execute("SELECT id, hex(hash) FROM docs ORDER BY n").fetchall()
    assert [json.loads(r[0]) for r in rows] == ["A", "B", "C"]
    assert db.execute("SELECT COUNT(DISTINCT doc) FROM bands").fetchone()[0] == 3
    db.close()

    # Band keys of another threshold could never match the stored ones: refuse, clearly.
    with pytest.raises(StateError, match=r"--near-threshold 0\.8"):
        corpus_files([str(second)], str(tmp_path / "run3.jsonl"), state=str(state),
                     near_threshold=0.6)


def test_a_state_refuses_a_threshold_with_the_same_band_layout(tmp_path: Path) -> None:
    """0.81 and 0.82 share one LSH layout (16 bands of 8 rows), so the bands would match;
    the drops would still follow two rules in one corpus."""
    from scraper.dedup.minhash import LshParams as Params

    assert Params.for_threshold(0.81) == Params.for_threshold(0.82)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "A", "text": ARTICLES["000"]}) + "\n")
    state = str(tmp_path / "s.sqlite")
    corpus_files([str(src)], str(tmp_path / "o1.jsonl"), state=state, near_threshold=0.81)
    with pytest.raises(StateError, match=r"--near-threshold 0\.81"):
        corpus_files([str(src)], str(tmp_path / "o2.jsonl"), state=state, near_threshold=0.82)


def test_a_state_made_without_near_dedup_refuses_a_near_dedup_run(tmp_path: Path) -> None:
    """Its documents were stored without signatures: a near-dedup run against it would
    find none of their near duplicates, and say nothing."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "A", "text": ARTICLES["000"]}) + "\n")
    state = str(tmp_path / "s.sqlite")
    corpus_files([str(src)], str(tmp_path / "o1.jsonl"), state=state, near_dedup=False)
    with pytest.raises(StateError, match="--no-near-dedup"):
        corpus_files([str(src)], str(tmp_path / "o2.jsonl"), state=state)
    corpus_files([str(src)], str(tmp_path / "o3.jsonl"), state=state, near_dedup=False)


def test_a_state_made_with_near_dedup_refuses_a_run_without_it(tmp_path: Path) -> None:
    """A --no-near-dedup run added its documents without signatures, silently: a later
    near-dedup run kept a copy of one with a changed date line."""
    state = str(tmp_path / "s.sqlite")
    text = ARTICLES["000"]
    for name, body in (("a", ARTICLES["001"]), ("b", text)):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps({"id": name, "text": body}) + "\n")
    corpus_files([str(tmp_path / "a.jsonl")], str(tmp_path / "o1.jsonl"), state=state)
    with pytest.raises(StateError, match="keeps near-duplicate signatures"):
        corpus_files([str(tmp_path / "b.jsonl")], str(tmp_path / "o2.jsonl"), state=state,
                     near_dedup=False)
    assert not (tmp_path / "o2.jsonl").exists()
    # A state a near-dedup run opened but wrote nothing to becomes one without
    # signatures, which a near-dedup run then refuses.
    empty = str(tmp_path / "e.sqlite")
    SqliteIndex(empty, LshParams(), 0.8).close()
    corpus_files([str(tmp_path / "b.jsonl")], str(tmp_path / "o3.jsonl"), state=empty,
                 near_dedup=False)
    with pytest.raises(StateError, match="made with --no-near-dedup"):
        corpus_files([str(tmp_path / "a.jsonl")], str(tmp_path / "o4.jsonl"), state=empty)


def test_a_state_no_run_wrote_to_takes_the_next_runs_settings(tmp_path: Path) -> None:
    """A run refused after it opened the state fixed its --near-threshold on a state it
    never wrote to, and the next run, with another threshold, was refused for nothing.
    Once a state holds documents, its settings hold."""
    state = str(tmp_path / "s.sqlite")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "text": ARTICLES["001"]}) + "\n")
    SqliteIndex(state, LshParams(), 0.9, redact_pii=True).close()  # opened, nothing written
    corpus_files([str(tmp_path / "a.jsonl")], str(tmp_path / "o1.jsonl"), state=state,
                 near_threshold=0.8)
    with pytest.raises(StateError, match=r"were made for --near-threshold 0\.8"):
        corpus_files([str(tmp_path / "a.jsonl")], str(tmp_path / "o2.jsonl"), state=state,
                     near_threshold=0.9)
    with pytest.raises(StateError, match="made without --redact-pii"):
        corpus_files([str(tmp_path / "a.jsonl")], str(tmp_path / "o3.jsonl"), state=state,
                     near_threshold=0.8, redact_pii=True)


def test_second_run_on_a_locked_state_stops_at_once(tmp_path: Path) -> None:
    state = tmp_path / "s.sqlite"
    with SqliteIndex(state, LshParams()), pytest.raises(StateLockedError):
        SqliteIndex(state, LshParams())


def test_a_state_named_through_a_symlink_is_locked_as_the_same_state(
        tmp_path: Path) -> None:
    state = tmp_path / "s.sqlite"
    link = tmp_path / "link.sqlite"
    link.symlink_to(state.name)
    with SqliteIndex(state, LshParams()), pytest.raises(StateLockedError):
        SqliteIndex(link, LshParams())


class _Interrupt(Step):
    """Pass documents on; on the ``at``-th, either raise (a bug) or ask to stop (Ctrl-C)."""

    name = "interrupt"

    def __init__(self, at: int, *, stop: bool) -> None:
        super().__init__()
        self.at, self.stop = at, stop

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for n, doc in enumerate(docs, 1):
            if n == self.at:
                if not self.stop:
                    raise RuntimeError("boom")
                ctx.stop.set()
            yield doc


def _run_with_state(tmp_path: Path, interrupt: _Interrupt) -> tuple[list[dict], set[str], bool]:
    """Published records, the content hashes the state claims, and whether it raised."""
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": t} for t in ARTICLES.values()])
    state = tmp_path / "s.sqlite"
    params = LshParams.for_threshold(0.8)
    index = SqliteIndex(state, params, 0.8)
    steps = [Normalise(), ExactDedup(index), NearDedup(index, params=params), interrupt]
    raised = False
    try:
        run_job("corpus", Reader([str(src)], record_fields=True), steps,
                OutputOptions(str(tmp_path / "out.jsonl"), shard_records=2),
                after_write=index.written, on_commit=index.commit)
    except RuntimeError:
        raised = True
    finally:
        index.close()
    published = [r for p in sorted(tmp_path.glob("out-*.jsonl")) for r in read_jsonl(p)]
    db = sqlite3.connect(state)
    claimed = {row[0].lower() for row in db.execute("SELECT hex(hash) FROM docs")}
    db.close()
    return published, claimed, raised


def test_state_never_claims_a_document_that_was_not_published(tmp_path: Path) -> None:
    # Shards of 2: documents 1-2 are published when document 3 is written; the error
    # on document 4 aborts the shard holding document 3, so the state holds 1-2 only.
    published, claimed, raised = _run_with_state(tmp_path, _Interrupt(4, stop=False))
    assert raised and len(published) == 2
    assert claimed == {r["content_hash"] for r in published}


def test_stopped_run_commits_exactly_what_it_published(tmp_path: Path) -> None:
    published, claimed, raised = _run_with_state(tmp_path, _Interrupt(3, stop=True))
    assert not raised and len(published) == 3  # the stop lands after the current document
    assert claimed == {r["content_hash"] for r in published}


def test_malformed_line_is_a_reject_and_the_run_goes_on(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": 1, "text": ARTICLES["000"]},
        '{"id": 2, "text": "unterminated',
        {"id": 3, "text": ARTICLES["001"]},
    ])
    out = tmp_path / "out.jsonl"
    summary = corpus_files([str(src)], str(out))
    assert ids(out) == [1, 3]  # an integer id stays an integer
    assert summary.exit_code == 3
    [reject] = read_jsonl(Path(summary.rejects_path or ""))
    assert reject["source"] == f"{src}:2" and reject["reason"] == "bad-json"


def test_empty_records_are_dropped_not_rejected(tmp_path: Path) -> None:
    # clean/extract write a record (flagged empty) when nothing survived cleaning
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": ARTICLES["000"]},
        {"id": "b", "text": "", "flags": ["empty"]},
        {"id": "c", "text": " \n "},
    ])
    out = tmp_path / "out.jsonl"
    summary = corpus_files([str(src)], str(out), min_words=0, dropped=str(tmp_path / "d.jsonl"))
    assert ids(out) == ["a"]
    assert summary.exit_code == 0 and summary.rejected == 0
    assert summary.dropped == {"empty": 2}
    assert [d["id"] for d in read_jsonl(tmp_path / "d.jsonl")] == ["b", "c"]


def test_record_fields_are_carried_and_bad_ones_flagged(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{
        "id": "x", "url": "https://www.voanews.com/a/1.html", "text": ARTICLES["001"],
        "language": "en", "site_name": "VOA", "tags": ["Korea"], "http_status": 200,
        "fetched_at": "2024-11-04T10:00:00Z", "image": 5, "word_count": 1,
        "content_hash": "0" * 64,
    }])
    out = tmp_path / "out.jsonl"
    corpus_files([str(src)], str(out), validate=True)
    [rec] = read_jsonl(out)
    assert (rec["site_name"], rec["tags"], rec["http_status"]) == ("VOA", ["Korea"], 200)
    assert rec["site"] == "voanews.com" and "image" not in rec
    assert rec["flags"] == ["bad-image"]
    assert rec["content_hash"] == sha256_hex(rec["text"]) and rec["word_count"] > 200


def test_cli_end_to_end(tmp_path: Path) -> None:
    a = ARTICLES["000"]
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "text": a}, {"id": "a2", "text": a}, {"id": "b", "text": ARTICLES["003"]},
        {"id": "short", "text": "A good English sentence about the troops, too short to train on."},
    ])
    out, dropped = tmp_path / "corpus.jsonl.gz", tmp_path / "dropped.jsonl"
    result = CliRunner().invoke(app, [
        "corpus", str(src), "-o", str(out), "--state", str(tmp_path / "s.sqlite"),
        "--dropped", str(dropped), "--lang", "en", "--near-threshold", "0.85",
        "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "pagewash corpus: 4 in, 2 out, 0 empty, 0 rejected, 2 dropped" in result.output
    assert "exact-duplicate 1" in result.output and "too-short 1" in result.output
    assert ids(out) == ["a", "b"]
    assert sorted(d["reason"] for d in read_jsonl(dropped)) == ["exact-duplicate", "too-short"]

    # a usage error, named by its option (it was exit status 1, naming "near_threshold")
    for value in ("2", "0"):
        bad = CliRunner().invoke(app, ["corpus", str(src), "-o", str(out),
                                       "--near-threshold", value])
        assert bad.exit_code == 2 and "--near-threshold" in bad.output, value


def test_a_state_another_program_holds_locked_is_an_error_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A state held by another program's write (a backup, a sqlite3 shell) once the run
    had started ended it in a sqlite3 traceback naming no file."""
    import sqlite3

    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": ARTICLES["000"]}])
    src = write_jsonl(tmp_path / "b.jsonl", [{"id": "b", "text": ARTICLES["001"]}])
    state = tmp_path / "s.sqlite"
    corpus_files([str(first)], str(tmp_path / "o1.jsonl"), state=str(state))
    monkeypatch.setattr(SqliteIndex, "busy_timeout", 0.05)
    other = sqlite3.connect(state, isolation_level=None)
    opened = SqliteIndex.__init__

    def then_locked(self: SqliteIndex, *args: Any, **kwargs: Any) -> None:
        opened(self, *args, **kwargs)
        other.execute("BEGIN EXCLUSIVE")

    monkeypatch.setattr(SqliteIndex, "__init__", then_locked)
    try:
        result = CliRunner().invoke(app, ["corpus", str(src), "-o", str(tmp_path / "o2.jsonl"),
                                          "--state", str(state), "--no-progress"])
    finally:
        other.close()
    assert result.exit_code == 1, result.output
    assert (f"{state}: cannot record the published documents in the corpus state: "
            "database is locked") in result.output


def test_an_output_the_state_holds_documents_of_is_not_replaced(tmp_path: Path) -> None:
    """The same command run again after a Ctrl-C replaced the first run's output, while
    the state kept dropping its documents as duplicates: they were in no file, for good."""
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": k, "text": v} for k, v in ARTICLES.items()])
    state, out = str(tmp_path / "s.sqlite"), tmp_path / "corpus.jsonl"
    first = corpus_files([str(src)], str(out), state=state)
    assert first.records_out > 0
    with pytest.raises(ConfigError, match="new output name"):
        corpus_files([str(src)], str(out), state=state)
    assert len(ids(out)) == first.records_out  # the first run's output is untouched
    again = corpus_files([str(src)], str(tmp_path / "corpus-2.jsonl"), state=state)
    assert again.records_out == 0 and sum(again.dropped.values()) == first.records_out
    sharded = tmp_path / "sh.jsonl"
    corpus_files([str(src)], str(sharded), state=str(tmp_path / "t.sqlite"), shard_records=2)
    with pytest.raises(ConfigError):
        corpus_files([str(src)], str(sharded), state=str(tmp_path / "t.sqlite"),
                     shard_records=2)


def test_lang_with_no_language_is_refused(tmp_path: Path) -> None:
    """Without detection every record lacking a language was dropped without a word."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Some text."}) + "\n", "utf-8")
    with pytest.raises(ConfigError, match="cannot be used with --no-language"):
        corpus_files([str(src)], str(tmp_path / "o.jsonl"), languages=["en"],
                     detect_language=False)
    assert not (tmp_path / "o.jsonl").exists()


def test_korean_prose_passes_the_word_length_rule_and_duplicates_say_why(
        tmp_path: Path) -> None:
    """Gopher's lower bound (3 characters a word) was made for English: a Korean word
    is a few syllable blocks, and the hand-written Korean article of the fixtures (mean
    2.9) was dropped. An exact duplicate's drop entry now has its detail too."""

    ko = (Path(__file__).resolve().parent.parent / "fixtures" / "multilingual" / "expected"
          / "ko.txt").read_text("utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": ko}) + "\n" for i in ("a", "b")),
                   "utf-8")
    dropped = tmp_path / "dropped.jsonl"
    summary = corpus_files([str(src)], str(tmp_path / "o.jsonl"), dropped=str(dropped),
                           min_words=20)
    assert summary.records_out == 1, summary.dropped
    [drop] = [json.loads(x) for x in dropped.read_text("utf-8").splitlines()]
    assert drop["reason"] == "exact-duplicate" and drop["duplicate_of"] == "a"
    assert drop["detail"] == "the same text, after normalisation"


def test_a_page_half_chinese_half_english_passes_the_word_length_rule(
        tmp_path: Path) -> None:
    """Tagged English, its Chinese half counted a word a character: a mean word of 2.4,
    dropped as word-length. Han and kana words say nothing of the spaced words' length;
    a table of numbers (the rule's quarry) still goes."""
    zh = (Path(__file__).resolve().parent.parent / "fixtures" / "multilingual" / "expected"
          / "zh.txt").read_text("utf-8")
    en = (Path(__file__).resolve().parent.parent / "fixtures" / "multilingual" / "expected"
          / "en.txt").read_text("utf-8")
    numbers = "\n".join(" ".join(str(n * k % 97) for k in range(12)) for n in range(40))
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n"
                           for i, t in (("mixed", f"{zh}\n\n{en}"), ("table", numbers))),
                   "utf-8")
    dropped = tmp_path / "dropped.jsonl"
    summary = corpus_files([str(src)], str(tmp_path / "o.jsonl"), dropped=str(dropped),
                           min_words=20)
    reasons = {d["id"]: d["reason"] for d in map(json.loads,
                                                 dropped.read_text("utf-8").splitlines())}
    assert summary.records_out == 1 and "mixed" not in reasons, reasons
    assert reasons == {"table": "word-length"}


def test_records_that_share_an_id_are_counted_and_named(tmp_path: Path) -> None:
    """Two different texts under one input id (carried through, as the record schema
    says), or one URL with two texts, gave two records with one id and not a word: a
    corpus keyed by id loses one. They are kept, counted and named."""
    records = write_jsonl(tmp_path / "records.jsonl", [
        {"id": "A", "text": ARTICLES["002"]},
        {"id": "A", "text": ARTICLES["004"]},
        {"url": "https://example.com/story", "text": ARTICLES["001"]},
        {"url": "https://example.com/story", "text": ARTICLES["003"]},
        {"id": "B", "text": ARTICLES["000"]},
    ])
    err = io.StringIO()
    summary = corpus_files([str(records)], str(tmp_path / "out.jsonl"), err=err)
    assert summary.records_out == 5
    assert summary.stats["repeated_ids"] == 2
    assert "2 records share their id with an earlier record" in err.getvalue()
    assert "'A'" in err.getvalue()
    # distinct ids: no word
    err = io.StringIO()
    unique = write_jsonl(tmp_path / "unique.jsonl", [{"id": "C", "text": ARTICLES["002"]}])
    summary = corpus_files([str(unique)], str(tmp_path / "out2.jsonl"), err=err)
    assert "repeated_ids" not in summary.stats and "share their id" not in err.getvalue()
