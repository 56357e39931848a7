"""The URL normaliser's query rules: parameters that may select content keep their URLs
apart, trackers, cache busters and session ids are dropped, and a URL an earlier
pagewash wrote into a crawl state (or hashed into a record id) is still spelled the same.
(Scheme, host, port and path cases are in test_crawl_discovery.py.)"""

from __future__ import annotations

from urllib.parse import quote_plus, unquote_plus

import pytest
from courlan.clean import clean_query
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.urls import DROPPED_QUERY_PARAMS, _dropped, normalize_url

B = "http://example.com/list.php"
HASH = "0123456789abcdef0123456789ABCDEF"  # a 32-hex-digit session hash


@pytest.mark.parametrize("query", [
    # what courlan's tracker pattern dropped, though each selects content somewhere
    "cid=2", "eid=7", "uid=42", "ref=v1.0", "keyword=flood", "kwd=flood", "campaign=spring",
    "session=12", "sessionid=12", "session_id=12", "source=main.c", "aff=3", "affiliate=3",
    "partnerid=9", "clid=4", "medium=oil", "ad_id=77", "ads_id=77", "gs_l=x", "itm_id=5",
    "gallery=3", "game=5", "global=1", "glossary=a", "reference=9", "refresh=1",
    "page_ref=3", "user_uid=5", "product_cid=8", "filter[ref]=main",
    # ... and the usual ones
    "id=3", "p=5", "page=2", "q=flood", "s=flood", "sid=1234", "sid=05/01/01/1234",
    "t=123456", "v=dQw4w9WgXcQ", "lang=de",
])
def test_content_parameters_keep_urls_apart(query: str) -> None:
    name, _, value = query.partition("=")
    other = f"{name}={value}x"
    # (form-encoded, as pagewash always wrote them: "/" is "%2F")
    assert normalize_url(f"{B}?{query}") == f"{B}?{quote_plus(name)}={quote_plus(value)}"
    assert normalize_url(f"{B}?{query}") != normalize_url(f"{B}?{other}")
    assert not _dropped(name, value)


@pytest.mark.parametrize("noise", [
    "utm_source=feed&utm_medium=rss&utm_campaign=c1&utm_id=9", "UTM_Source=Feed",
    "fbclid=IwAR0x", "gclid=Cj0K", "gclsrc=aw.ds", "dclid=CJ", "gbraid=0AA", "wbraid=Cj",
    "msclkid=f00", "mc_cid=ab12&mc_eid=cd34", "_hsenc=p2ANqtz&_hsmi=123", "__hstc=1.2",
    "pk_campaign=spring&pk_kwd=flood&pk_source=nl", "piwik_campaign=x&piwik_kwd=y",
    "mtm_campaign=x&mtm_source=y", "matomo_campaign=z", "hsa_acc=1&hsa_cam=2",
    "yclid=123", "ysclid=abc", "igshid=MzRl", "igsh=MzRl", "twclid=2x", "ttclid=E.C.P",
    "li_fat_id=9", "epik=dj0y", "ScCid=a1", "rdt_cid=5", "_ga=2.1.3", "_gl=1*abc",
    "xtor=RSS-1", "ref_src=twsrc%5Etfw", "mkt_tok=eyJp", "vero_id=1&vero_conv=2",
    "oly_anon_id=1&oly_enc_id=2", "ml_subscriber=1&ml_subscriber_hash=x", "clickid=9",
    # session ids: unambiguous names, or a session hash as the value
    "PHPSESSID=8f2a", "jsessionid=1A2B3C", "osCsid=abc", "zenid=abc",
    f"sid={HASH}", f"s={HASH}",
    # cache busters and time stamps (see DROPPED_QUERY_PARAMS), also as a bare piece
    "_=1733000000123", "v=1733000000", "nocache", "1733000000", "1733000000123",
])
def test_trackers_session_ids_and_cache_busters_merge(noise: str) -> None:
    assert normalize_url(f"{B}?cid=2&{noise}") == f"{B}?cid=2"
    assert normalize_url(f"{B}?{noise}&cid=2") == f"{B}?cid=2"


def test_a_java_session_id_in_the_path_is_dropped() -> None:
    assert normalize_url("http://example.com/shop/item.do;jsessionid=1A2B?id=5") == \
        "http://example.com/shop/item.do?id=5"
    assert normalize_url("http://example.com/;JSESSIONID=1A2B") == "http://example.com/"
    # other path parameters are the path's own
    assert normalize_url("http://example.com/a;v=2/b") == "http://example.com/a;v=2/b"


@pytest.mark.parametrize(("raw", "norm"), [
    # pieces with no "=" were dropped: every vBulletin thread was one URL
    ("http://f.example/showthread.php?123-Flood-warning", None),
    ("http://f.example/showthread.php?page=2&123-Flood-warning",
     "http://f.example/showthread.php?123-Flood-warning&page=2"),
    # a router's path stays first and readable; escapes get one spelling
    ("http://s.example/index.php?/archives/12-a b.html&x=1",
     "http://s.example/index.php?/archives/12-a%20b.html&x=1"),
    ("http://s.example/index.php?%2farchives%7e", "http://s.example/index.php?%2Farchives~"),
    ("http://s.example/a?print", None),
    # an empty value is kept as it came ("?q=" is not "?q")
    ("http://s.example/search?q=", None),
    ("http://s.example/search?q", None),
    # names of one spelling sorted, values of one name in their order
    ("http://s.example/a?b=2&a=1&b=1&A=3", "http://s.example/a?A=3&a=1&b=2&b=1"),
    # bytes that are no UTF-8 (a Latin-1 site) are not replaced by U+FFFD: two searches
    ("http://s.example/a?q=caf%E9", None),
    ("http://s.example/a?q=caf%E8", None),
    ("http://s.example/a?q=caf%C3%A9+au+lait", None),
    ("http://s.example/a?q=caf%c3%a9%20au%20lait", "http://s.example/a?q=caf%C3%A9+au+lait"),
])
def test_query_spelling(raw: str, norm: str | None) -> None:
    assert normalize_url(raw) == (norm or raw)


def test_the_list_is_lower_case_and_keeps_the_content_names() -> None:
    assert all(k == k.lower() and k.strip() == k for k in DROPPED_QUERY_PARAMS)
    for name in ("cid", "eid", "uid", "id", "p", "page", "ref", "keyword", "q", "s",
                 "campaign", "source", "session", "sid", "v", "t"):
        assert not _dropped(name, "2"), name


# -- properties --------------------------------------------------------------------------

_NAMES = st.sampled_from([
    "id", "p", "page", "cid", "ref", "q", "s", "sid", "v", "t", "utm_source", "fbclid",
    "_", "nocache", "PHPSESSID", "Page", "a b", "ä", "x[]", "k=", "%41", "+",
]) | st.text(min_size=1, max_size=6)
_VALUES = st.sampled_from(["", "1", "1733000000", HASH, "a b", "a+b", "%E9", "%C3%A9", "é",
                           "/x/y", "?", "=", "%", "%zz", "1;2"]) | st.text(max_size=8)
_PIECE = st.one_of(st.tuples(_NAMES, _VALUES).map(lambda nv: f"{nv[0]}={nv[1]}"), _NAMES)


def _url(pieces: list[str]) -> str:
    return B + "?" + "&".join(p.replace("&", "%26").replace("#", "%23") for p in pieces)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=6))
def test_normalising_twice_changes_nothing(pieces: list[str]) -> None:
    """The crawl takes a state URL the normaliser spells otherwise for an old spelling,
    drops it and crawls the new one (Crawler._respelled): a spelling that changed again
    on a second pass would drop pages on every visit."""
    once = normalize_url(_url(pieces))
    assert once is not None
    assert normalize_url(once) == once


def _previous_query(query: str) -> str:
    """What the earlier pagewash wrote for a query (the cache busters aside):
    courlan's ``clean_query``, which parse_qs'd it, dropped its tracker pattern and
    pieces without a value, sorted and form-encoded the rest."""
    return clean_query(query, strict=False, language=None)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=6))
def test_a_url_an_earlier_pagewash_wrote_is_spelled_the_same(pieces: list[str]) -> None:
    """Crawl states key URLs, and records their ids, by the earlier spelling: each URL it
    gave must be its own spelling now (else the crawl drops it as an old spelling and
    its record gets a new id), unless it holds a parameter dropped now."""
    query = "&".join(p for p in _url(pieces).split("?", 1)[1].split("&")
                     if not _dropped(*map(unquote_plus, p.partition("=")[::2])))
    old = _previous_query(query)
    url = f"{B}?{old}" if old else B
    assert normalize_url(url) == url
