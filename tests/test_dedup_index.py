"""Near-dedup candidates: the memory index and the SQLite state find the same ones.

Every earlier document stored under any band key a document shares is a candidate, and
candidates are checked on the full signature, earliest first. The in-memory index once
kept only the first document per band key, so which near duplicates a corpus run found
depended on ``--state``, on shard commits and on how the input was split across runs.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scraper.dedup import LshParams, MinHasher, SeenIndex, SqliteIndex
from scraper.dedup.index import EXACT_KEY, NEAR_KEY
from scraper.dedup.minhash import similarity
from scraper.document import Document
from scraper.jobs import corpus_files

PERM = 128
THRESHOLD = 0.8
SHARED = 1_000_001  # the one band key the constructed documents have in common


def _sig(base: np.ndarray, changed: range, offset: int) -> np.ndarray:
    """``base`` with the values at ``changed`` replaced by values no other signature has."""
    sig = base.copy()
    sig[list(changed)] = np.arange(len(changed), dtype=np.uint32) + np.uint32(offset)
    return sig


# X; Y = X with 40 of 128 values changed (0.69: kept); Z = Y with 12 more (0.91 to Y,
# 0.59 to X); W = Y with 12 others (0.91 to Y, 0.81 to Z). All four share the band key
# SHARED, and X -- not a near duplicate of Z -- was stored under it first.
X = np.arange(PERM, dtype=np.uint32)
Y = _sig(X, range(0, 40), 10_000)
Z = _sig(Y, range(100, 112), 20_000)
W = _sig(Y, range(116, 128), 30_000)
BANDS = LshParams.for_threshold(THRESHOLD).bands
# Z's other keys are its own: SHARED is its only way to Y.
KEYS = {name: [SHARED, *range(100 * n, 100 * n + BANDS - 1)]
        for n, name in enumerate("XYWZ", 1)}
ALONE = list(range(900, 900 + BANDS))  # keys no document has


def test_constructed_signatures_are_what_the_tests_say() -> None:
    assert similarity(X, Y) < THRESHOLD and similarity(X, Z) < THRESHOLD
    assert similarity(Z, Y) >= THRESHOLD and similarity(Z, W) >= THRESHOLD
    assert similarity(W, Y) >= THRESHOLD  # W would be dropped by Y, were it offered


def _add(index: SeenIndex, name: str, sig: np.ndarray, *, commit: bool) -> None:
    """Add a document as NearDedup and the writer would; ``commit``: into the database."""
    doc = Document(source=f"{name}.txt", text=name, id=name)
    doc.meta[EXACT_KEY] = f"{ord(name[0]):064x}"
    doc.meta[NEAR_KEY] = index.add_near(sig, KEYS[name], name)
    if commit:
        index.written(doc)
        index.commit()


@pytest.mark.parametrize("layout", ["memory", "sqlite-memory", "sqlite-db", "sqlite-mixed"])
def test_a_later_document_under_a_shared_band_key_is_a_candidate(
    tmp_path: Path, layout: str
) -> None:
    # memory: SeenIndex; sqlite-memory: nothing committed yet; sqlite-db: X and Y in the
    # database; sqlite-mixed: X committed, Y still in this run's memory.
    params = LshParams.for_threshold(THRESHOLD)
    index = SeenIndex() if layout == "memory" else SqliteIndex(tmp_path / "s.db", params,
                                                               THRESHOLD)
    with index:
        _add(index, "X", X, commit=layout in ("sqlite-db", "sqlite-mixed"))
        _add(index, "Y", Y, commit=layout == "sqlite-db")
        found = index.find_near(Z, KEYS["Z"], THRESHOLD)
        assert found is not None, "Z is a near duplicate of Y, which shares a band with it"
        assert found == ("Y", pytest.approx(similarity(Z, Y)))
        # A document sharing no key is never a candidate, however similar.
        assert index.find_near(Z, ALONE, THRESHOLD) is None


@pytest.mark.parametrize("commit", [False, True])
def test_the_earliest_matching_document_wins(tmp_path: Path, commit: bool) -> None:
    # W (added after Y, also a near duplicate of Z) must not take Y's place.
    params = LshParams.for_threshold(THRESHOLD)
    for index in (SeenIndex(), SqliteIndex(tmp_path / "s.db", params, THRESHOLD)):
        with index:
            for name, sig in (("X", X), ("Y", Y), ("W", W)):
                _add(index, name, sig, commit=commit and isinstance(index, SqliteIndex))
            assert index.find_near(Z, KEYS["Z"], THRESHOLD) == ("Y", pytest.approx(
                similarity(Z, Y)))


def test_a_later_run_finds_what_an_earlier_run_committed(tmp_path: Path) -> None:
    params = LshParams.for_threshold(THRESHOLD)
    with SqliteIndex(tmp_path / "s.db", params, THRESHOLD) as first:
        _add(first, "X", X, commit=True)
        _add(first, "Y", Y, commit=True)
    with SqliteIndex(tmp_path / "s.db", params, THRESHOLD) as second:
        assert second.find_near(Z, KEYS["Z"], THRESHOLD) == ("Y", pytest.approx(0.90625))


def test_documents_counts_what_a_state_holds_and_none_in_memory(tmp_path: Path) -> None:
    params = LshParams.for_threshold(THRESHOLD)
    with SqliteIndex(tmp_path / "s.db", params, THRESHOLD) as state:
        _add(state, "X", X, commit=True)
        _add(state, "Y", Y, commit=False)
        assert state.documents() == 1
    memory = SeenIndex()
    _add(memory, "X", X, commit=True)
    assert memory.documents() == 0  # nothing outlives a run without a state file


def test_commit_moves_documents_out_of_memory_and_keeps_the_rest(tmp_path: Path) -> None:
    params = LshParams.for_threshold(THRESHOLD)
    with SqliteIndex(tmp_path / "s.db", params, THRESHOLD) as index:
        _add(index, "X", X, commit=True)
        _add(index, "Y", Y, commit=False)  # not published yet: still in memory only
        assert index._bands[SHARED] == 1 and set(index._slots) == {1}
        assert all(index._bands[k] == 1 for k in KEYS["Y"])
        assert not any(k in index._bands for k in KEYS["X"] if k != SHARED)
        assert index.find_near(Z, KEYS["Z"], THRESHOLD)[0] == "Y"  # type: ignore[index]
        assert index.find_near(X, KEYS["X"], THRESHOLD)[0] == "X"  # type: ignore[index]


def test_memory_index_keeps_every_document_of_a_key_until_forgotten() -> None:
    index = SeenIndex()
    x, y, w = (index.add_near(sig, KEYS[name], name)
               for name, sig in (("X", X), ("Y", Y), ("W", W)))
    assert index._bands[SHARED] == [0, 1, 2]
    assert index._bands[KEYS["X"][1]] == 0  # a key with one document costs no list
    # A signature whose bands collide on one key is stored once under it.
    z = index.add_near(Z, [SHARED, 5, 5, *ALONE[3:]], "Z")
    assert index._bands[5] == 3 and index._bands[SHARED] == [0, 1, 2, 3]
    index._forget([("a" * 64, y)])
    assert index._bands[SHARED] == [0, 2, 3] and KEYS["Y"][1] not in index._bands
    assert index.find_near(Z, KEYS["Z"], THRESHOLD) == ("W", pytest.approx(0.8125))
    index._forget([(None, x), (None, w)])
    assert index._bands[SHARED] == 3 and set(index._slots) == {3}
    index._forget([(None, z)])
    assert index._bands == {} and index._slots == {}


# -- end to end: the same corpus whatever the state, sharding or split ---------------------


def _family_texts(n: int = 150, seed: int = 3) -> list[str]:
    """Five 60-word templates, each document one with one or two words replaced: the
    documents of a family are around the 0.8 threshold of one another and share band
    keys everywhere, so which earlier documents are candidates decides the output."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 8)))
             for _ in range(3000)]
    templates = [[rng.choice(vocab) for _ in range(60)] for _ in range(5)]
    texts = []
    for _ in range(n):
        words = list(rng.choice(templates))
        for _ in range(rng.randint(1, 2)):
            words[rng.randrange(60)] = rng.choice(vocab)
        texts.append(" ".join(words) + ".")
    return texts


TEXTS = _family_texts()


def _expected() -> tuple[list[str], int]:
    """The documents to keep, by brute force (every earlier kept document sharing a band
    key is compared), and how many drops a first-document-per-key index would miss."""
    hasher = MinHasher(LshParams.for_threshold(THRESHOLD))
    sigs = [hasher.signature(t) for t in TEXTS]
    keys = [set(hasher.band_keys(s)) for s in sigs]  # type: ignore[arg-type]
    kept: list[int] = []
    first: dict[int, int] = {}  # band key -> first kept document under it
    missed = 0
    for i, sig in enumerate(sigs):
        dup = [j for j in kept if keys[i] & keys[j] and similarity(sig, sigs[j]) >= THRESHOLD]
        if not dup:
            kept.append(i)
            for k in keys[i]:
                first.setdefault(k, i)
            continue
        firsts = {first[k] for k in keys[i] if k in first}
        missed += not any(similarity(sig, sigs[j]) >= THRESHOLD for j in firsts)
    return [f"d{i}" for i in kept], missed


EXPECTED, MISSED_BY_FIRST_PER_KEY = _expected()


def _write(path: Path, numbers: range) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in numbers:
            f.write(json.dumps({"id": f"d{i}", "text": TEXTS[i]}) + "\n")
    return path


def _ids(paths: list[str]) -> list[Any]:
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            out += [json.loads(line)["id"] for line in f if line.strip()]
    return out


def _run(src: Path, out: Path, **options: Any) -> list[Any]:
    # (the texts are random letters, which the gibberish rules would rightly drop)
    summary = corpus_files([str(src)], str(out), detect_language=False, err=io.StringIO(),
                           disable=("gibberish",), **options)
    assert summary.exit_code == 0
    assert set(summary.dropped) <= {"near-duplicate", "exact-duplicate"}
    if options.get("shard_records") or options.get("shard_bytes"):
        assert len(summary.outputs) > 3  # several commits into the state during the run
    return _ids(summary.outputs)


def test_the_input_needs_every_candidate() -> None:
    # Not a vacuous check: some near duplicates here are found only through a document
    # that was not the first one stored under the band key they share.
    assert MISSED_BY_FIRST_PER_KEY >= 2
    assert 40 < len(EXPECTED) < 140


@pytest.mark.parametrize("options", [
    {},
    {"shard_records": 7},
    {"state": "s.db"},
    {"state": "s.db", "shard_records": 7},
    {"state": "s.db", "shard_bytes": 4000},
], ids=["memory", "memory-shards", "state", "state-shards", "state-size-shards"])
def test_corpus_output_does_not_depend_on_state_or_shards(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    src = _write(tmp_path / "in.jsonl", range(len(TEXTS)))
    if "state" in options:
        options = dict(options, state=str(tmp_path / options["state"]))
    assert _run(src, tmp_path / "out.jsonl", **options) == EXPECTED


@pytest.mark.parametrize(("second", "shards"), [("rest", None), ("all", None), ("rest", 11)])
def test_corpus_split_across_incremental_runs_gives_the_same_output(
    tmp_path: Path, second: str, shards: int | None
) -> None:
    # The first 50 documents, then the rest (or everything again: the first 50 are then
    # duplicates of what the state holds) against one state.
    state = str(tmp_path / "s.db")
    first = _run(_write(tmp_path / "a.jsonl", range(50)), tmp_path / "a-out.jsonl",
                 state=state)
    rest = range(50 if second == "rest" else 0, len(TEXTS))
    later = _run(_write(tmp_path / "b.jsonl", rest), tmp_path / "b-out.jsonl",
                 state=state, shard_records=shards)
    assert first + later == EXPECTED


def test_a_long_text_is_signed_in_bounded_memory_with_the_same_signature() -> None:
    """The (permutations x shingles) product was built at once: 1.3 GB for one 8 MB
    text. Slices give the same running minimum in a fixed amount of memory."""
    import tracemalloc

    from scraper.dedup import minhash

    rng = random.Random(7)
    words = [f"w{rng.randrange(40_000)}" for _ in range(60_000)]
    text = " ".join(words)
    hasher = MinHasher(LshParams.for_threshold(0.8))
    shingles = hasher.shingles(text)
    whole = np.multiply.outer(hasher._a, shingles)
    whole += hasher._b[:, None]
    expected = (whole.min(axis=1) >> minhash._SHIFT).astype(np.uint32)
    del whole
    tracemalloc.start()
    got = hasher.signature(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert got is not None and np.array_equal(got, expected)
    assert peak < 40 * 2**20, peak  # the whole product is 128 x 60,000 x 8 = 61 MB


def _dropped(path: Path) -> list[tuple[Any, str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [(d["id"], d["reason"], d["duplicate_of"])
                for d in map(json.loads, f) if d]


def test_a_near_duplicates_text_leaves_memory_at_commit_and_stays_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text hash of every document dropped as a near duplicate stayed in memory to
    the end of the run (with a sharded --state, 4,407 entries for 6,000 documents: memory
    grew with the input), and the next run, not knowing it, called an exact copy of such
    a text a near duplicate. It now goes into the state at the next commit."""
    base = TEXTS[0]
    near = base.replace(base.split()[3], "changed", 1)  # one word: ~0.9 similar
    other = [t for t in TEXTS if t.split()[:5] != base.split()[:5]][:8]
    rows = [("a", base), ("b", near), *((f"o{i}", t) for i, t in enumerate(other))]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows))
    state = str(tmp_path / "s.db")
    held: list[int] = []
    close = SqliteIndex.close

    def spy(self: SqliteIndex) -> None:
        held.append(len(self._exact))
        close(self)

    monkeypatch.setattr(SqliteIndex, "close", spy)
    corpus_files([str(src)], str(tmp_path / "one.jsonl"), detect_language=False,
                 min_words=0, state=state, shard_records=2, err=io.StringIO(),
                 disable=("gibberish",))
    assert held == [0]  # everything this run added is in the state, none in memory
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"id": "c", "text": near}) + "\n")
    corpus_files([str(again)], str(tmp_path / "two.jsonl"), detect_language=False,
                 min_words=0, state=state, dropped=str(tmp_path / "d.jsonl"),
                 err=io.StringIO(), disable=("gibberish",))
    assert _dropped(tmp_path / "d.jsonl") == [("c", "exact-duplicate", "a")]
