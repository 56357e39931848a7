"""Chinese and Japanese text: words are characters, not clauses.

Written without spaces, a Chinese clause is one ``\\w+`` run; counted that way a
500-character article had 17 words, so ``corpus`` dropped it as too short, and two
copies that differed in one phrase shared no MinHash shingle.
"""

from __future__ import annotations

import json
from pathlib import Path

from cleaners.patterns import words
from scraper.dedup import LshParams, MinHasher
from scraper.dedup.minhash import similarity
from scraper.jobs import corpus_files
from scraper.record import count_words

ZH = ("市政府周三宣布，将投资约三亿元扩建城市中心公园，新增绿地面积二十公顷。工程预计明年春季开工，"
      "两年内完成。扩建后的公园将增设儿童游乐区、健身步道和一座露天剧场。市长在新闻发布会上表示，"
      "这一项目将大大改善市民的休闲环境。部分居民担心施工期间的噪音和交通问题。对此，市政府承诺将"
      "合理安排施工时间，并在周边增设临时停车场。专家认为，增加城市绿地有助于缓解热岛效应，提高空气"
      "质量。公众可在下月举行的听证会上发表意见。")
JA = ("市議会は水曜日、市の中心部に新しい図書館を建設する計画を賛成多数で承認した。総工費はおよそ"
      "四十億円で、完成は三年後を予定している。新しい図書館には約五十万冊の蔵書を収容できるほか、"
      "子ども向けの読書室や学習スペースも設けられる。")


def test_each_han_or_kana_character_is_a_word() -> None:
    assert words("市政府宣布 GDP 增长 5.2%") == ["市", "政", "府", "宣", "布", "GDP", "增", "长",
                                                "5", "2"]
    assert words("図書館を建設する") == ["図", "書", "館", "を", "建", "設", "す", "る"]
    assert words("한국어 문장입니다 and English") == ["한국어", "문장입니다", "and", "English"]
    assert count_words(ZH) == sum(ch.isalnum() for ch in ZH)
    assert count_words("plain English, two-part words") == 5


def test_corpus_keeps_a_chinese_article_over_the_length_threshold(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in
                             enumerate([ZH, JA, "短文。"])) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    summary = corpus_files([str(src)], str(out), min_words=50)
    kept = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in kept] == [0, 1]
    assert kept[0]["word_count"] == count_words(ZH) > 150
    assert summary.dropped == {"too-short": 1}


def test_near_copies_of_a_chinese_article_share_their_shingles() -> None:
    edited = ZH.replace("三亿元", "四亿元").replace("二十公顷", "三十公顷")
    other = ZH[::-1]  # the same characters, another text
    hasher = MinHasher(LshParams.for_threshold(0.8))
    sig = hasher.signature(ZH)
    assert similarity(sig, hasher.signature(edited)) >= 0.8
    assert similarity(sig, hasher.signature(other)) < 0.2
