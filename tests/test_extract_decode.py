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
