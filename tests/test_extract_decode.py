"""Decoding pages: declared, undeclared and wrongly declared charsets, BOMs, non-text.

The fixtures in ``fixtures/html/`` are the same short news page in Russian (cp1251),
Japanese (Shift_JIS), Chinese (GB18030) and French (Latin-1), each saved once with its
charset in a ``<meta>`` tag and once with no declaration at all (and no ``lang``). The
"wrong" cases take those bytes and claim another charset in the HTTP header, as a
misconfigured server or proxy does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.errors import InputError
from scraper.extract import extract_html
from scraper.extract.decode import canonical_codec, decode_page, meta_charset

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"

# language -> (file stem, codec the bytes are in, a sentence from the article body)
PAGES = {
    "ru": ("ru_cp1251", "cp1251", "Общественные слушания назначены на конец месяца."),
    "ja": ("ja_shift_jis", "cp932", "説明会は来月、市役所で開かれる予定だ。"),
    "zh": ("zh_gb18030", "gb18030", "公众可在下月举行的听证会上发表意见。"),
    "fr": ("fr_latin1", "cp1252", "prévus jusqu'à la fin de l'année."),
}
WRONG_LABELS = ["utf-8", "iso-8859-1", "windows-1251", "shift_jis", "gb2312"]


def _bytes(lang: str, declared: bool) -> bytes:
    stem = PAGES[lang][0]
    return (FIXTURES / f"{stem}_{'declared' if declared else 'undeclared'}.html").read_bytes()


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
@pytest.mark.parametrize("lang", sorted(PAGES))
def test_legacy_charsets_decode_right(lang: str, declared: bool) -> None:
    _, codec, sentence = PAGES[lang]
    page = decode_page(_bytes(lang, declared), "page.html")
    assert page.encoding == codec
    assert sentence in page.text
    assert page.how == ("meta" if declared else "detected")


@pytest.mark.parametrize("label", WRONG_LABELS)
@pytest.mark.parametrize("lang", sorted(PAGES))
def test_wrong_header_charset_is_overruled(lang: str, label: str) -> None:
    _, codec, sentence = PAGES[lang]
    headers = {"Content-Type": f"text/html; charset={label}"}
    for declared in (True, False):
        page = decode_page(_bytes(lang, declared), "page.html", headers)
        assert sentence in page.text, (label, declared, page.encoding)
        assert page.encoding == codec


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_extracted_text_has_no_mojibake(lang: str) -> None:
    _, _, sentence = PAGES[lang]
    ex = extract_html(_bytes(lang, False), url=None,
                      headers={"content-type": "text/html; charset=utf-8"})
    assert sentence in ex.text
    assert "\ufffd" not in ex.text


def test_utf8_bytes_under_a_legacy_label_stay_utf8() -> None:
    html = "<html><head><meta charset='iso-8859-1'></head><body><p>Größe — naïve café</p>"
    page = decode_page(html.encode("utf-8"), "p", {"content-type": "text/html; charset=cp1251"})
    assert page.encoding == "utf-8"
    assert "Größe — naïve café" in page.text
    assert page.declared == "cp1251"


def test_bom_beats_labels() -> None:
    body = "<html><head><meta charset='windows-1251'></head><body><p>Привет, мир</p>"
    data = b"\xef\xbb\xbf" + body.encode("utf-8")
    page = decode_page(data, "p", {"content-type": "text/html; charset=iso-8859-1"})
    assert (page.encoding, page.how) == ("utf-8", "bom")
    assert "Привет, мир" in page.text
    utf16 = decode_page("\ufeff<html><body><p>Grüße</p>".encode("utf-16-le"), "p")
    assert "Grüße" in utf16.text


def test_header_charset_is_used_when_it_fits() -> None:
    data = "<html><body><p>Съешь же ещё этих мягких французских булок</p>".encode("koi8_r")
    page = decode_page(data, "p", {"Content-Type": 'text/html; charset="KOI8-R"'})
    assert page.how == "header"
    assert "французских булок" in page.text


def test_latin1_label_decodes_as_windows_1252() -> None:
    data = "<html><body><p>“Quoted” – 5 €</p>".encode("cp1252")
    page = decode_page(data, "p", {"content-type": "text/html; charset=ISO-8859-1"})
    assert "“Quoted” – 5 €" in page.text


def test_meta_charset_forms() -> None:
    tag = b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    assert meta_charset(tag) == "Shift_JIS"
    assert meta_charset(b"<meta charset=gbk>") == "gbk"
    assert meta_charset(b'<?xml version="1.0" encoding="windows-1251"?><html>') == "windows-1251"
    assert canonical_codec("gbk") == "gb18030"
    assert canonical_codec("x-sjis") == "cp932"
    assert canonical_codec("no-such-charset") is None


def test_binary_bytes_are_refused_with_a_reason() -> None:
    noise = bytes((i * 7919 + 13) % 256 for i in range(4000))
    with pytest.raises(InputError) as err:
        extract_html(noise, url="https://example.org/noise.html")
    assert err.value.reason in ("not-html", "undecodable")
    assert "noise.html" in err.value.message


# -- UTF-8 with a few invalid bytes ---------------------------------------------------------
# A UTF-8 page with a stray byte (a Latin-1 "é" pasted in) is decoded as browsers do: as
# UTF-8, with U+FFFD for the bad byte. It used to go to detection whole and come out as
# cp1251 mojibake ("“significant escalation”" -> "вЂњsignificant escalationвЂќ").

ARTICLE = (
    "<p>The minister called it a “significant escalation” — the third this year.</p>\n"
    "<p>«Это недопустимо», — заявил представитель МИДа; the café owners’ naïve résumé "
    "was “déjà vu”.</p>\n"
)


def _page(meta: str = "") -> str:
    return f"<html><head>{meta}<title>Talks</title></head><body>{ARTICLE}</body></html>"


def _with_stray_bytes(page: str, stray: list[bytes]) -> tuple[bytes, str]:
    """``page`` as UTF-8 with each ``é`` of "café" / "résumé" turned into a raw byte of
    ``stray``, and the text a browser shows for it (U+FFFD where the bytes were)."""
    data, text = page.encode(), page
    for word, bad in zip(("café", "résumé"), stray, strict=False):
        data = data.replace(word.encode(), word.encode().replace("é".encode(), bad, 1), 1)
        text = text.replace(word, word.replace("é", "\ufffd", 1), 1)
    return data, text


@pytest.mark.parametrize(
    ("meta", "headers", "how"),
    [
        ("", None, "utf-8"),
        ("<meta charset='utf-8'>", None, "meta"),
        ("", {"Content-Type": "text/html; charset=UTF-8"}, "header"),
        ("<meta charset='utf-8'>", {"content-type": "text/html; charset=iso-8859-1"}, "utf-8"),
        ("<meta charset='windows-1251'>", None, "utf-8"),
    ],
    ids=["undeclared", "meta-utf8", "header-utf8", "proxy-latin1-header", "wrong-meta"],
)
@pytest.mark.parametrize("stray", [[b"\xe9"], [b"\xe9", b"\xe8"]], ids=["one", "two"])
def test_utf8_with_a_few_bad_bytes_stays_utf8(
    meta: str, headers: dict[str, str] | None, how: str, stray: list[bytes]
) -> None:
    data, expected = _with_stray_bytes(_page(meta), stray)
    page = decode_page(data, "page.html", headers)
    assert page.text == expected  # every curly quote, Cyrillic and accented letter intact
    assert page.text.count("\ufffd") == len(stray)  # U+FFFD only for the bad bytes
    assert "вЂ" not in page.text and "‚Äú" not in page.text
    n = len(stray)
    assert page.encoding == f"utf-8 ({n} invalid byte{'s' if n > 1 else ''} replaced)"
    assert (page.how, page.replaced) == (how, n)


def test_auditor_page_with_one_stray_byte() -> None:
    """The reproduction: a short English page whose only non-ASCII text is a pair of
    curly quotes, a dash and one stray Latin-1 byte; declared UTF-8 or not."""
    body = ("<p>Officials described the move as a “significant escalation” — and said "
            "the caf\xe9 talks would go on.</p><p>“We are watching closely,” one said.</p>")
    for meta in ("<meta charset=\"utf-8\">", ""):
        html = f"<html><head>{meta}<title>t</title></head><body>{body}</body></html>"
        data = html.encode().replace("caf\xe9".encode(), b"caf\xe9")
        page = decode_page(data, "page.html")
        assert "“significant escalation” — and said the caf\ufffd talks" in page.text, meta
        assert page.encoding == "utf-8 (1 invalid byte replaced)"


def test_extract_records_the_replacement() -> None:
    data, _ = _with_stray_bytes(_page("<meta charset='utf-8'>"), [b"\xe9"])
    ex = extract_html(data, url="https://example.org/news/talks.html")
    assert "“significant escalation”" in ex.text
    assert "«Это недопустимо»" in ex.text
    assert "вЂ" not in ex.text
    assert ex.encoding == "utf-8 (1 invalid byte replaced)"


def test_utf8_label_does_not_excuse_many_bad_bytes() -> None:
    """Under a utf-8 label, most non-ASCII characters must be valid UTF-8: a Latin-1
    page with one accidental UTF-8 pair stays Latin-1 (cp1252)."""
    text = "<p>Les cafés, les crêpes et les élèves de l’école Â© 2024 — été à Paris.</p>"
    data = f"<html><head><meta charset='utf-8'></head><body>{text}</body></html>".encode(
        "cp1252")
    assert b"\xc2\xa9" in data  # "Â©" is valid UTF-8 for "©"
    page = decode_page(data, "p")
    assert page.encoding == "cp1252" and text in page.text


def test_cp1251_with_accidental_utf8_pairs_is_cp1251() -> None:
    """An upper-case Cyrillic letter before a guillemet ("С»" = D1 BB) is valid UTF-8;
    one or two of those in a cp1251 page full of invalid bytes do not make it UTF-8."""
    text = ("<p>Агентство «ТАСС» и газета «КОММЕРСАНТЪ» сообщили, что общественные "
            "слушания назначены на конец месяца.</p>")
    for meta in ("", "<meta charset='utf-8'>"):
        data = f"<html><head>{meta}</head><body>{text}</body></html>".encode("cp1251")
        page = decode_page(data, "p")
        assert page.encoding == "cp1251", meta
        assert text in page.text


def test_short_latin1_page_is_not_utf8() -> None:
    data = "<html><body><p>Café crème, s’il vous plaît.</p></body></html>".encode("cp1252")
    page = decode_page(data, "p")
    assert page.encoding == "cp1252" and "Café crème, s’il vous plaît." in page.text


def test_bom_page_with_a_stray_byte_says_so() -> None:
    data = b"\xef\xbb\xbf" + "<html><body><p>“Quoted” — café</p>".encode().replace(
        "café".encode(), b"caf\xe9")
    page = decode_page(data, "p", {"content-type": "text/html; charset=windows-1251"})
    assert (page.how, page.encoding) == ("bom", "utf-8 (1 invalid byte replaced)")
    assert "“Quoted” — caf\ufffd" in page.text


_PISCINE = (
    '<!DOCTYPE html><html lang="{lang}"><head><title>Fermeture de la piscine</title></head>'
    "<body><article><h1>Fermeture de la piscine</h1><p>Le maire a annoncé mercredi la "
    "fermeture de la piscine municipale à partir du mois prochain.</p><p>Selon la mairie, "
    "les travaux de rénovation dureront environ six mois et coûteront près de deux millions "
    "d'euros.</p><p>Ça fait des années que les habitants réclament une piscine plus "
    "moderne, a déclaré un élu de l'opposition.</p><p>Où iront les écoles pendant la "
    "fermeture ? La question reste ouverte, mais une solution à Lyon est à l'étude.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(("lang", "url"), [("fr", None), ("", "https://ville.example.fr/a")])
def test_a_short_page_in_the_encoding_of_its_declared_language(lang: str, url: str | None
                                                               ) -> None:
    """Four short French paragraphs in cp1252, no charset: the mess detector scored
    Baltic cp1257 lower ("ą partir", "coūteront"); the page's language (its lang
    attribute, or its country domain) now decides between such close readings."""
    html = _PISCINE.format(lang=lang)
    page = decode_page(html.encode("cp1252"), "piscine.html", url=url)
    assert page.encoding == "cp1252" and page.text == html
