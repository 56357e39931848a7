"""Properties every cleaning must have, on generated documents.

- idempotence: cleaning clean text changes nothing (``clean(clean(x)) == clean(x)``);
- output blocks are input blocks, in order (a subsequence; nothing invented or rewritten
  beyond whitespace/Unicode normalisation);
- normalisation is idempotent and never raises.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import Cleaner
from cleaners.normalize import normalize_text

CHROME = [
    "Popular", "News by theme", "• 15971 переглядiв", "Back to top button", "Loading...",
    "Leave a Reply", "Your email address will not be published. Required fields are marked *",
    "Related Articles", "See also Sweden wants age limits for social networks", "Yes • 50%",
    "No • 50%", "Markets", "ID: cef4287f-cf95", "URL: https://example.com/a", "Share",
    "Similar Readings (5 items)", "Summary", "Statistics", "211", "Home", "Contact us",
    "Oct 24, 2024, 10:02 AM", "Pentagon sends more troops than expected29.10.24, 08:45",
    "© 2025 Example. All Rights Reserved.", "Photo: Reuters", "Advertisement", "Читайте також",
]
PROSE = [
    "The United States is holding consultations on how to respond to the involvement of "
    "North Korean forces, officials said on Tuesday.",
    "He confirmed that about 10,000 soldiers had been sent to train in eastern Russia, and "
    "said the deployment would probably strengthen Russian forces near the border.",
    "Популярність серіалу зросла на 50%, а кількість переглядів перевищила мільйон за тиждень.",
    "Die Regierung kündigte am Montag neue Maßnahmen an, die ab dem kommenden Jahr gelten.",
    "Kirby said the US, together with its allies, will keep a close eye on the movement.",
    "- Miller said.",
    "Details",
    "Most popular views were shared by 50% of respondents in the survey last year.",
]
SEPARATORS = ["\n", "\n\n", "\n \n", "\r\n", "\n\u00a0\n", "\n\n\n"]

lines = st.one_of(
    st.sampled_from(CHROME),
    st.sampled_from(PROSE),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
)
documents = st.lists(st.tuples(lines, st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(line + sep for line, sep in parts)
)


@cache
def cleaner() -> Cleaner:
    return Cleaner(detect_lang=False)


SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents)
def test_cleaning_is_idempotent(doc: str) -> None:
    once = cleaner().clean(doc).text
    assert cleaner().clean(once).text == once


@SETTINGS
@given(documents)
def test_output_blocks_are_a_subsequence_of_input_blocks(doc: str) -> None:
    result = cleaner().clean(doc)
    source = [line for line in normalize_text(doc).split("\n") if line]
    out = [line for line in result.text.split("\n") if line]
    it = iter(source)
    assert all(any(line == s for s in it) for line in out)
    # and every input block is accounted for: kept, removed (with a rule), or the title
    removed = [r.text for r in result.removed]
    assert len(out) + len(removed) == len(source)
    assert all(r.rule for r in result.removed)


@SETTINGS
@given(st.text())
def test_normalize_is_idempotent_and_total(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\n\n\n" not in once


# Text made of what mojibake is made of (lead and continuation bytes read as Latin-1 or
# Windows-1252, C1 controls), with the invisible characters that can hide a sequence
# from the repair: a repair that revealed another was not idempotent ("à¢\x1f0").
_MOJIBAKE_PARTS = st.sampled_from([*"aeÃÂâÐÑà¢\x80\x92\x99\xa9\xb4€™’“ é\n\x1f\xa0", "\u0301",
                                   "\u00ad", "\u200b"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_MOJIBAKE_PARTS, max_size=30).map("".join))
def test_mojibake_repair_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_mojibake_is_repaired() -> None:
    """UTF-8 read as Windows-1252 or Latin-1 upstream (the CMS stored it so; a dump was
    copied from such a page) was kept as it was: "youâ€™re", "CafÃ©", "ÐšÐ¸Ñ—Ð²"."""
    assert (normalize_text("you\u00e2\u0080\u0099re right, don\u0092t")
            == "you\u2019re right, don\u2019t")
    assert normalize_text("Caf\u00c3\u00a9 and na\u00c3\u00afve") == "Caf\u00e9 and na\u00efve"
    assert (normalize_text("\u00d0\u009a\u00d0\u00b8\u00d1\u0097\u00d0\u00b2")
            == "\u041a\u0438\u0457\u0432")
    # and what only looks like it stays
    for text in ("Vi\u1ec7t Nam \u00c2n h\u1eadn",
                 "Gr\u00f6\u00dfe: 5 \u00d7 3 \u2014 \u201cok\u201d"):
        assert normalize_text(text) == text


def test_mojibake_ending_in_a_no_break_space_is_repaired() -> None:
    """U+00A0 is the second byte of the mojibake of a no-break space ("Â\xa0") and of
    "à" ("Ã\xa0"); spaces were unified before the repair, which so lost that byte and
    left "cats.Â" (a WCXB page has 30 such lines) and "voilÃ tout"."""
    text = "for cats.\u00c2\u00a0\nmore\u00c2\u00a0\u00c2\u00a0"
    assert normalize_text(text) == "for cats.\nmore"
    assert normalize_text("voil\u00c3\u00a0 tout") == "voil\u00e0 tout"


@pytest.mark.parametrize("word", ["política", "Экспертиза", "中心"])
def test_mojibake_with_a_soft_hyphen_byte_is_repaired(word: str) -> None:
    """U+00AD, dropped as an invisible character before the repair, is the last byte of
    "í", "Э", "中" read as Latin-1: those words stayed broken ("polÃtica"), and a copy
    of a page escaped exact de-duplication. Soft hyphens elsewhere still go."""
    broken = word.encode("utf-8").decode("latin-1")
    assert "\u00ad" in broken
    assert normalize_text(f"{broken} and soft\u00adhyphen") == f"{word} and softhyphen"
    assert normalize_text(f"{broken}\na\u00ad\u0301") == f"{word}\n\u00e1"


def test_an_invisible_character_inside_an_accent_still_composes() -> None:
    """NFC ran before the invisible characters went, so "a", a soft hyphen and a
    combining accent came out decomposed, and differently on a second pass."""
    assert normalize_text("a\u00ad\u0301") == "\u00e1"


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_arbitrary_text_never_breaks_the_cleaner(text: str) -> None:
    result = cleaner().clean(text)
    assert isinstance(result.text, str)
    assert cleaner().clean(result.text).text == result.text
