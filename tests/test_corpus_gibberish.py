"""Corpus gibberish rules (``stop-words``, ``letter-ngrams``): random letters in
sentences passed every quality rule, since their words have an ordinary length and no
symbols; real text in every language, with or without a stop-word list, stays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus_filters import ALPHABETS, gibberish
from cleaners.langid import detect_language
from scraper.document import Document
from scraper.jobs import corpus_files
from scraper.steps.filters import LetterNgrams, StopWords, TextStats

ROOT = Path(__file__).resolve().parent.parent
LISTED = {p.stem: p.read_text("utf-8") for p in
          sorted((ROOT / "fixtures/multilingual/expected").glob("*.txt"))}
UNLISTED = {p.stem: p.read_text("utf-8") for p in sorted((ROOT / "bench/data/prose").glob("*.txt"))}
# The probe's text: five-letter nonsense in sentences (tagged Dutch by the detector),
# and the same with an "and" every fourth sentence (4% of the words: Gopher's count of
# two stop words would keep it).
PROBE = " ".join(
    "Xkqjz wpvbn trelq mbzoa fyuwd grenk. Plovd zurmt kweqa hsdfo vantr bluzy."
    for _ in range(8))
SPRINKLED = ". ".join(f"{s} and" if i % 4 == 0 else s
                      for i, s in enumerate(PROBE.split(". ")))


def run(tmp_path: Path, texts: dict[str, str], **kw: object) -> dict[str, dict[str, str]]:
    """Run ``corpus`` over ``texts`` (id -> text): the dropped ones, id -> drop line."""
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in texts.items()),
                   "utf-8")
    dropped = tmp_path / "dropped.jsonl"
    corpus_files([str(src)], str(tmp_path / "out.jsonl"), dropped=str(dropped),
                 min_words=20, near_dedup=False, **kw)  # type: ignore[arg-type]
    lines = dropped.read_text("utf-8").splitlines() if dropped.exists() else []
    return {d["id"]: d for d in map(json.loads, lines)}


def test_random_letters_are_dropped_with_a_reason(tmp_path: Path) -> None:
    texts = {"probe": PROBE, "sprinkled": SPRINKLED,
             **{f"{name}-{seed}": gibberish(letters, seed)
                for name, letters in ALPHABETS.items() for seed in range(3)}}
    dropped = run(tmp_path, texts)
    assert set(dropped) == set(texts)
    assert {d["reason"] for d in dropped.values()} == {"stop-words", "letter-ngrams"}
    assert dropped["probe"]["reason"] == "stop-words"
    assert dropped["probe"]["detail"] == "0.0% of 96 words are stop words of nl, under 5%"
    assert dropped["sprinkled"]["reason"] == "stop-words"
    # tagged Albanian, which has no stop-word list: the letters tell
    assert dropped["latin-1"]["reason"] == "letter-ngrams"
    assert dropped["latin-1"]["detail"] == "12% of letter 3-grams occur in sq text, under 50%"
    assert dropped["cyrillic-0"]["reason"] == "stop-words"
    assert dropped["hangul-0"]["reason"] == "stop-words"


def test_the_rules_judge_untagged_documents_too(tmp_path: Path) -> None:
    """Under --no-language the record stays untagged, but the rules detect the language
    they need; Chinese, Japanese, Korean and Thai are not dropped for it."""
    texts = {"latin": gibberish(ALPHABETS["latin"], 1), "greek": gibberish(ALPHABETS["greek"], 0),
             **{k: LISTED[k] for k in ("zh", "ja", "ko", "fi")}, "th": UNLISTED["th"]}
    dropped = run(tmp_path, texts, detect_language=False)
    assert set(dropped) == {"latin", "greek"}
    assert [r["language"] for r in map(json.loads, (tmp_path / "out.jsonl").read_text(
        "utf-8").splitlines())] == [None] * 5


def test_real_text_in_every_language_is_kept(tmp_path: Path) -> None:
    """The 25 articles of the languages with a stop-word list and prose in 20 without
    one (Persian, Urdu and Lithuanian have 0-4% of their words in the lists of their
    script; Chinese, Japanese and Thai have no spaces)."""
    texts = {**LISTED, **{f"unlisted-{k}": t for k, t in UNLISTED.items()}}
    dropped = run(tmp_path, texts)
    assert dropped == {}
    rules = (StopWords(), LetterNgrams())
    for name, text in texts.items():
        stats = TextStats(Document(source="", text=text, language=detect_language(text)))
        assert [rule.check(stats) for rule in rules] == [None, None], name


@pytest.mark.parametrize("tagged", ["no", "da", "sv"])
def test_a_neighbour_language_tag_keeps_the_text(tagged: str) -> None:
    """Danish, Norwegian and Swedish list only the stop words the others use less: a
    Swedish article tagged Norwegian is judged by the lists of its whole script."""
    stats = TextStats(Document(source="", text=LISTED["sv"], language=tagged))
    assert StopWords().check(stats) is None


def test_a_list_of_names_without_function_words_goes() -> None:
    """Gopher's purpose for the rule: no function words, no prose (a list of product
    names); the same list with its sentences around it stays."""
    names = "\n".join(f"Acme Turbo Blender {i} Stainless Steel Edition Grey" for i in range(12))
    rule = StopWords()
    bare = rule.check(TextStats(Document(source="", text=names, language="en")))
    assert bare == "0.0% of 84 words are stop words of en, under 5%"
    prose = names + "\n" + LISTED["en"]
    assert rule.check(TextStats(Document(source="", text=prose, language="en"))) is None


def test_the_rules_are_switched_off_by_name_or_as_a_group(tmp_path: Path) -> None:
    texts = {"sq": gibberish(ALPHABETS["latin"], 1), "uk": gibberish(ALPHABETS["cyrillic"], 1)}
    assert run(tmp_path, texts, disable=["gibberish"]) == {}
    assert set(run(tmp_path, texts, disable=["stop-words"])) == {"sq"}
    assert set(run(tmp_path, texts, disable=["letter-ngrams"])) == {"uk"}
