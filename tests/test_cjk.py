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


def test_a_word_keeps_its_vowel_signs_and_other_combining_marks() -> None:
    """``\\w`` has no combining marks: "हिन्दी" was the three words "ह", "न", "द", so a
    Hindi record's word count was about three times too high and the corpus dropped
    real Hindi for a mean word of 1.3 letters. Thai, written without spaces, still
    counts the pieces between its marks."""
    assert words("हिन्दी भाषा में लिखा गया पाठ") == ["हिन्दी", "भाषा", "में", "लिखा", "गया", "पाठ"]
    assert words("தமிழ் மொழி, বাংলা ভাষা") == ["தமிழ்", "மொழி", "বাংলা", "ভাষা"]
    assert words("שָׁלוֹם עוֹלָם") == ["שָׁלוֹם", "עוֹלָם"]  # Hebrew points
    assert words("नमस्ते। Hello") == ["नमस्ते", "Hello"]  # the danda is punctuation
    assert len(words("ภาษาไทยเป็นภาษาที่มีผู้พูด")) > 1


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


# -- the dump cleaner on Chinese and Japanese pages -----------------------------------------

ZH_PARAS = [
    "记者11月12日从上海申通地铁集团获悉，自12月6日起，上海地铁1号线、2号线和10号线将在每周五、"
    "周六延长运营时间，末班车最晚推迟至次日凌晨1点。",
    "据介绍，此次延时的线路覆盖人民广场、陆家嘴、徐家汇等主要商圈和交通枢纽。地铁部门分析客流数据后"
    "发现，周末夜间22点以后的进站客流比工作日同一时段高出约三成。",
    "延时线路中最热门的几条：",
    "2号线：周末夜间进站客流增长12%",
    "10号线：周末夜间进站客流增长9%",
    "“我们会及时分享客流数据，”一位工作人员说。不少市民表示欢迎，希望延时措施能够覆盖更多线路，"
    "特别是连接郊区新城的线路。",
]
ZH_CHROME = {
    "首页": "nav", "返回顶部": "", "分享到微信": "chrome.share",
    "新民晚报版权所有，未经授权不得转载": "", "1234次阅读": "counter",
    "相关阅读：上海地铁18号线二期年内开通": "related.see_also",
    "相似文章（3）": "section.related",
}  # "" : removed, by whichever rule (back to top goes with the section run above it)


def _zh_dump() -> str:
    return "\n".join([
        "首页", "新闻", "财经", "", "上海地铁12月起延长周末运营时间 部分线路末班车推迟至凌晨1点",
        "1234次阅读", "分享到微信", "",
        "\n\n".join(ZH_PARAS[:2]), "", "\n".join(ZH_PARAS[2:5]), "", ZH_PARAS[5], "",
        "相关阅读：上海地铁18号线二期年内开通", "",
        "相似文章（3）", "沪苏通城际铁路全线贯通", "浦东机场新航站楼启用", "虹桥枢纽客流创新高", "",
        "返回顶部", "新民晚报版权所有，未经授权不得转载",
    ])


def test_chinese_chrome_goes_and_the_article_stays() -> None:
    from cleaners import Cleaner

    result = Cleaner().clean(_zh_dump())
    assert result.title == "上海地铁12月起延长周末运营时间 部分线路末班车推迟至凌晨1点"
    for para in ZH_PARAS:  # the list under a lead-in ending in "：" is the article's
        assert para in result.text
    removed = {r.text: r.rule for r in result.removed}
    for line, rule in ZH_CHROME.items():
        assert line in removed and removed[line].startswith(rule), (line, removed.get(line))
    assert "沪苏通城际铁路全线贯通" in removed


def test_han_phrases_are_found_anywhere_in_a_clause() -> None:
    from cleaners.langid import vocab_languages
    from cleaners.normalize import fold
    from cleaners.vocab import load_vocab

    vocab = load_vocab(vocab_languages(ZH))
    # no word boundary marks where 版权所有 starts: it is searched for as text
    assert vocab.contains_kind(fold("新民晚报版权所有，未经授权不得转载")) == "rights"
    assert vocab.contains_kind(fold("本站使用cookie来改善您的体验")) == "cookie"
    assert vocab.contains_kind(fold("他说版权问题由所有方协商解决。")) is None


def test_japanese_pages_get_the_japanese_vocabulary() -> None:
    from cleaners import Cleaner
    from cleaners.langid import vocab_languages

    assert "ja" in vocab_languages(JA) and "zh" in vocab_languages(JA)
    assert "ja" not in vocab_languages(ZH)
    dump = "\n".join(["ホーム", "ニュース", "", JA, "", "シェアする", "", "関連記事",
                      "京都の紅葉、今年の見頃は11月下旬", "嵐山で手ぶら観光の実証実験", "",
                      "ページの先頭へ"])
    result = Cleaner().clean(dump)
    assert JA in result.text
    removed = {r.text: r.rule for r in result.removed}
    assert "ページの先頭へ" in removed  # (by the related section above it, or on its own)
    assert removed.get("シェアする") == "chrome.share"
    assert removed.get("関連記事", "").startswith("section.")


def test_chinese_blocks_are_as_long_as_their_meaning() -> None:
    from cleaners.blocks import split_blocks
    from cleaners.shape import is_headline_like, is_prose

    para, menu, headline = split_blocks("\n".join([ZH_PARAS[1], "首页", "沪苏通城际铁路全线贯通"]))
    assert 30 <= para.n_words <= 45 and is_prose(para) and not is_headline_like(para)
    assert menu.n_words == 1
    assert is_headline_like(headline)


def test_han_datelines_are_removed_and_give_the_published_date() -> None:
    from cleaners import Cleaner
    from cleaners.dates import parse_date

    assert parse_date("发布时间：2024年10月29日 08:45") == "2024-10-29T08:45"
    assert parse_date("2024年11月12日 8時15分 | 2024年11月12日 10時40分更新") == "2024-11-12T08:15"
    assert parse_date("2024年2月30日") is None
    dateline = "2024年11月12日 8時15分 | 2024年11月12日 10時40分更新"  # 20 pieces
    headline = "京都市バス、観光地直行の急行便を来春から増便"
    result = Cleaner().clean("\n".join(["ホーム", "", headline, dateline, "", JA]))
    assert result.published == "2024-11-12T08:15"
    assert {r.text: r.rule for r in result.removed}.get(dateline) == "dateline"
    assert result.text == JA


def test_a_han_dateline_with_outlet_and_author_gives_date_and_author() -> None:
    from cleaners import Cleaner

    dateline = "2026-03-12 08:45　来源：成都日报　作者：王晓燕"
    edited = "责任编辑：张丽"
    result = Cleaner().clean("\n".join(["首页", "", "成都今年将新建120家社区长者食堂", dateline,
                                        "", ZH, "", edited]))
    assert result.published == "2026-03-12T08:45"
    assert result.authors == ["王晓燕"]  # the editor is not an author
    removed = {r.text: r.rule for r in result.removed}
    assert removed.get("2026-03-12 08:45 来源：成都日报 作者：王晓燕") == "dateline"
    assert result.title == "成都今年将新建120家社区长者食堂" and result.text.startswith(ZH)


def test_a_labelled_truncated_summary_of_the_lead_goes() -> None:
    from cleaners import Cleaner

    lead = ("LONDON (Reuters) - The council said on Monday that the old harbour will reopen "
            "next week, after a repair of the stone quay that took almost two years.")
    teaser = "Summary: The council said on Monday that the old harbour will reopen next wee…"
    rest = ("Fishermen who had moved their boats to the next town welcomed the news, although "
            "several of them said that the new mooring fees were still too high for them.")
    result = Cleaner().clean("\n\n".join([teaser, lead, rest]))
    assert {r.text: r.rule for r in result.removed}.get(teaser) == "dedup.truncated"
    assert result.text == lead + "\n\n" + rest
    zh_teaser = "摘要：" + ZH[:40] + "…"
    result = Cleaner().clean("\n\n".join([zh_teaser, "本报讯（记者 王晓燕）" + ZH]))
    assert {r.text: r.rule for r in result.removed}.get(zh_teaser) == "dedup.truncated"


def test_chinese_and_japanese_photo_credits_go() -> None:
    from cleaners import Cleaner

    credits = ["图/视觉中国", "（撮影・山田太郎）",
               "清水寺近くの停留所でバスを待つ観光客（11月、京都市東山区）＝共同"]
    for credit, prose in zip(credits, (ZH, JA, JA), strict=True):
        # the caption between two paragraphs (the second: the same characters reversed)
        result = Cleaner().clean("\n\n".join([prose, credit, prose[::-1]]))
        assert {r.text: r.rule for r in result.removed}.get(credit, "").startswith("credit."), (
            credit, [(r.rule, r.text) for r in result.removed])
        assert prose in result.text


def test_extract_keeps_a_chinese_article_and_drops_its_chrome() -> None:
    import html

    from scraper.extract import extract_html

    paras = [p for p in ZH_PARAS if len(p) > 40]
    def links(words: list[str]) -> str:
        return "".join(f"<li><a href='/{i}'>{w}</a></li>" for i, w in enumerate(words))

    nav = links(["首页", "新闻", "财经"])
    related = links(["沪苏通城际铁路全线贯通", "浦东机场新航站楼启用", "虹桥枢纽客流创新高"])
    page = (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<title>上海地铁延长周末运营时间</title></head><body>"
        f"<header><ul class='nav'>{nav}</ul></header><div class='main'>"
        "<h1>上海地铁延长周末运营时间</h1>"
        "<div class='info'>2024-11-12 08:15 来源：新民晚报 作者：李明</div>"
        f"<div class='content'>{''.join(f'<p>{html.escape(p)}</p>' for p in paras)}</div>"
        "<div class='share'>分享到： 微信 微博</div>"
        f"<div class='related'><h3>相关新闻</h3><ul>{related}</ul></div></div>"
        "<footer><p>版权所有 © 2024 新民晚报 未经授权禁止转载</p></footer></body></html>"
    )
    result = extract_html(page.encode("utf-8"))
    assert result.text.split("\n\n") == paras
    assert result.title == "上海地铁延长周末运营时间" and result.language == "zh-cn"


def test_han_bylines_give_their_authors_and_editor_lines_go() -> None:
    from cleaners import Cleaner

    headline = "成都今年将新建120家社区长者食堂"
    for byline, authors in [("作者：王晓燕", ["王晓燕"]), ("记者 王晓燕、李明", ["王晓燕", "李明"]),
                            ("文/李明", ["李明"])]:
        result = Cleaner().clean("\n".join(["首页", "", headline, byline, "", ZH, "",
                                            "（责任编辑：张丽）"]))
        assert result.authors == authors, byline
        removed = {r.text: r.rule for r in result.removed}
        assert removed.get(byline) == removed.get("（责任编辑：张丽）") == "byline"
        assert result.text == ZH
    # a sentence that starts with a label word is not a byline
    result = Cleaner().clean("\n\n".join([ZH, "记者了解到，工程将于明年春季开工。"]))
    assert "记者了解到，工程将于明年春季开工。" in result.text and result.authors == []
