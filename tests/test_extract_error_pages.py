"""Error, log-in, bot-check and "enable JavaScript" pages in ``pagewash extract`` and
``crawl``: flagged error-page with empty text, not passed as one-line articles
(scraper/extract/errorpage.py; phrases in cleaners/vocab/<lang>.toml, [error_page]).

A page such as "403 Forbidden" over "nginx", or "Page not found" over "The page you
requested does not exist.", came out as a record of that one line. Real articles that
mention such phrases must stay articles.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from fixture_site import SiteServer, fast_config
from long_text import long_prose

from cleaners.vocab import available_languages, vocab_dir
from scraper.extract import extract_html
from scraper.extract.errorpage import (
    ERROR_PAGE_FLAG,
    FILLER,
    MAX_WORDS,
    error_page_kind,
    phrase_kind,
)
from scraper.jobs import crawl, extract_files

URL = "https://news.example.com/2024/07/story"
CHROME = ("<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
          "{main}<footer><p>© 2024 Example News. All rights reserved.</p></footer>")


def _page(title: str, main: str, lang: str = "en") -> str:
    body = CHROME.format(main=main)
    return (f"<html lang='{lang}'><head><title>{title}</title></head><body>{body}"
            "</body></html>")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


ERROR_PAGES = [
    # (language, title, main, kind)
    ("en", "Session expired", "<div><p>Your session has expired. Please log in again.</p>"
     "<a href='/login'>Log in</a></div>", "login"),
    ("en", "403 Forbidden", "<center><h1>403 Forbidden</h1></center><hr><center>nginx</center>",
     "forbidden"),
    ("en", "Page not found", "<main><h1>Page not found</h1><p>The page you requested does not "
     "exist.</p></main>", "not_found"),
    ("en", "Example News", "<main><h1>Oops!</h1><p>Sorry, we couldn't find that page. Go back "
     "home.</p></main>", "not_found"),
    ("en", "Just a moment...", "<div><h1>news.example.com</h1><h2>Checking your browser before "
     "accessing news.example.com.</h2><p>This process is automatic. Your browser will redirect "
     "to your requested content shortly.</p><p>Please allow up to 5 seconds…</p></div>",
     "bot_check"),
    ("en", "Example News", "<div><p>Please enable JavaScript to view this site.</p></div>",
     "javascript"),
    ("en", "Access Denied", "<h1>Access Denied</h1><p>You don't have permission to access "
     "this page on this server. Reference #18.2f1b2c17.1720000000.5a1b2c3</p>", "forbidden"),
    ("en", "500 Internal Server Error", "<h1>Internal Server Error</h1><p>The server "
     "encountered an internal error and was unable to complete your request.</p>",
     "server_error"),
    ("de", "Sitzung abgelaufen", "<div><p>Ihre Sitzung ist abgelaufen. Bitte melden Sie sich "
     "erneut an.</p></div>", "login"),
    ("de", "Fehler 404 – Seite nicht gefunden | Beispiel Zeitung", "<main><h1>Hoppla!</h1><p>Die "
     "angeforderte Seite wurde nicht gefunden.</p><p><a href='/'>Zur Startseite</a></p></main>",
     "not_found"),
    ("fr", "Accès refusé", "<div><h1>Accès refusé</h1><p>Vous n'avez pas l'autorisation "
     "d'accéder à cette page.</p></div>", "forbidden"),
    ("fr", "Le Journal", "<main><p>Votre session a expiré. Veuillez vous reconnecter.</p></main>",
     "login"),
    ("es", "Página no encontrada", "<main><h1>Ups</h1><p>La página que buscas no existe.</p>"
     "<p><a href='/'>Volver al inicio</a></p></main>", "not_found"),
    ("es", "Un momento…", "<div><h1>Comprobación de seguridad</h1><p>Verifica que eres humano "
     "para continuar.</p></div>", "bot_check"),
    ("ru", "404", "<div><h1>404</h1><p>Страница не найдена</p></div>", "not_found"),
    ("ru", "Новости", "<div><p>Ваша сессия истекла. Пожалуйста, войдите снова.</p></div>",
     "login"),
    ("uk", "Доступ заборонено", "<div><h1>Доступ заборонено</h1><p>У вас немає доступу до цієї "
     "сторінки.</p></div>", "forbidden"),
    ("uk", "Новини", "<div><p>Ваша сесія закінчилася. Будь ласка, увійдіть знову.</p></div>",
     "login"),
    ("pl", "Błąd 404 - Strona nie istnieje | Gazeta", "<main><h1>Ups!</h1><p>Strona, której "
     "szukasz, nie istnieje.</p><p><a href='/'>Wróć na stronę główną</a></p></main>",
     "not_found"),
    ("pl", "Wiadomości", "<main><p>Włącz JavaScript, aby zobaczyć tę stronę.</p></main>",
     "javascript"),
    ("it", "Pagina non trovata | Il Quotidiano", "<main><h1>Ops!</h1><p>La pagina che stai "
     "cercando non esiste o è stata spostata.</p><p><a href='/'>Torna alla home page</a></p>"
     "</main>", "not_found"),
    ("it", "Il Quotidiano", "<div><h1>500 - Errore interno del server</h1><p>Si è verificato "
     "un errore. Riprova più tardi.</p></div>", "server_error"),
    ("pt", "Acesso negado", "<div><h1>Acesso negado</h1><p>Você não tem permissão para acessar "
     "esta página.</p></div>", "forbidden"),
    ("pt", "Jornal", "<main><p>A sua sessão expirou. Inicie sessão novamente para continuar."
     "</p></main>", "login"),
    ("nl", "Pagina niet gevonden - De Krant", "<main><h1>Oeps!</h1><p>De pagina die je zoekt "
     "bestaat niet (meer).</p><p><a href='/'>Terug naar de homepage</a></p></main>",
     "not_found"),
    ("nl", "Een ogenblik geduld…", "<div><h1>Beveiligingscontrole</h1><p>Bevestig dat je een "
     "mens bent om verder te gaan.</p></div>", "bot_check"),
    ("cs", "Přístup odepřen", "<div><h1>Přístup odepřen</h1><p>Nemáte oprávnění k zobrazení "
     "této stránky.</p></div>", "forbidden"),
    ("tr", "Sayfa bulunamadı | Gazete", "<main><h1>Hay aksi!</h1><p>Aradığınız sayfa "
     "bulunamadı.</p><p><a href='/'>Ana sayfaya dön</a></p></main>", "not_found"),
    ("tr", "Haberler", "<div><p>Bu siteyi kullanmak için lütfen JavaScript’i etkinleştirin."
     "</p></div>", "javascript"),
    ("vi", "Báo Mới", "<main><p>Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.</p></main>",
     "login"),
    ("id", "Berita Terkini", "<div><h1>Terjadi kesalahan</h1><p>Layanan sementara tidak "
     "tersedia. Silakan coba lagi nanti.</p></div>", "server_error"),
    ("ar", "الصفحة غير موجودة", "<main><h1>عذراً!</h1><p>الصفحة التي تبحث عنها غير موجودة.</p>"
     "<p><a href='/'>العودة إلى الصفحة الرئيسية</a></p></main>", "not_found"),
    ("zh", "请稍候…", "<div><h1>请稍候…</h1><p>正在检查您的浏览器。</p><p>请完成安全验证。</p>"
     "</div>", "bot_check"),
    ("zh", "新闻网", "<div><p>请在浏览器中启用JavaScript。</p></div>", "javascript"),
    ("ja", "ページが見つかりません | ニュース", "<main><h1>お探しのページは見つかりませんでした。"
     "</h1><p>お探しのページは、移動または削除された可能性があります。</p><p><a href='/'>"
     "トップページへ戻る</a></p></main>", "not_found"),
    ("ja", "ニュース", "<div><h1>ただいまメンテナンス中です</h1><p>申し訳ございません。"
     "しばらくしてから再度お試しください。</p></div>", "server_error"),
    ("ko", "뉴스", "<div><p>세션이 만료되었습니다. 다시 로그인해 주세요.</p></div>", "login"),
    ("ko", "접근 거부", "<div><h1>접근이 거부되었습니다</h1><p>이 페이지에 접근할 권한이 "
     "없습니다.</p></div>", "forbidden"),
]


@pytest.mark.parametrize(("lang", "title", "main", "kind"), ERROR_PAGES)
def test_an_error_page_is_flagged_not_an_article(lang: str, title: str, main: str,
                                                 kind: str) -> None:
    ex = extract_html(_page(title, main, lang), url=URL)
    assert ex.error_page == kind
    assert ex.text == ""
    assert all(r.text.strip() for r in ex.removed if r.rule.startswith("error_page."))


def test_a_record_of_an_error_page_is_empty_and_flagged(tmp_path: Path) -> None:
    """Through the command: the error page's record is empty and flagged error-page (and
    empty, so ``corpus`` drops it), its one line listed under error_page.<kind>; the
    summary line counts it; the article beside it is untouched."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "gone.html").write_text(_page("Page not found", "<main><h1>Page not found</h1><p>"
                                           "The page you requested does not exist.</p></main>"),
                                     "utf-8")
    (pages / "story.html").write_text(_page("Harbour reopens", "<article><h1>Harbour reopens"
                                            "</h1>" + "".join(f"<p>{p}</p>" for p in
                                                              long_prose(4)) + "</article>"),
                                      "utf-8")
    out = tmp_path / "out.jsonl"
    summary = extract_files([str(pages)], str(out), with_removed=True)
    recs = {Path(r["source"]).name: r for r in _jsonl(out)}
    gone, story = recs["gone.html"], recs["story.html"]
    assert gone["text"] == "" and gone["flags"] == [ERROR_PAGE_FLAG, "empty"]
    assert gone["title"] == "Page not found"
    assert {"rule": "error_page.not_found",
            "text": "The page you requested does not exist."} in gone["removed"]
    assert "flags" not in story and story["word_count"] > 100
    assert summary.exit_code == 0
    assert "1 error page (flagged error-page)" in summary.one_line()


# -- real articles that mention the phrases ------------------------------------------------

ARTICLES = [
    # a long article about errors and access
    ("How to fix a 404 page not found error", "<article><h1>How to fix a 404 page not found "
     "error</h1>" + "".join(f"<p>{p}</p>" for p in (
         "A page not found error, the 404, is what a server answers when the address asked "
         "for names nothing it has, and most sites show their own page for it.",
         "Access denied, the 403, is different: the page is there, but the server will not "
         "show it to you, often because of a login or a block on your country.",
         "Check the address first: a typo or a link copied without its last characters is "
         "the most common cause, and the site's own search usually finds the page.",
         "If the page has moved, the site may redirect old addresses; if it has not, an "
         "archive such as the Wayback Machine may still hold a copy of what was there.",
     )) + "</article>"),
    # a short news brief that mentions "access denied" and "session expired"
    ("Council portal back online", "<article><h1>Council portal back online</h1><p>Residents "
     "who saw an access denied message or were told their session expired on the council's "
     "tax portal on Monday can now log in again, the council said, after a faulty update was "
     "rolled back overnight.</p></article>"),
    # a brief headlined with one of the phrases, its text about something else
    ("Access Denied: court blocks data request", "<article><h1>Access Denied: court blocks "
     "data request</h1><p>A court on Tuesday refused a researcher's request for the "
     "ministry's contract data, saying the documents were covered by commercial "
     "confidentiality and that the public interest did not outweigh it.</p></article>"),
    ("Страница не найдена: как хакеры взломали портал", "<article><h1>Страница не найдена: как "
     "хакеры взломали портал</h1><p>В понедельник жители города не смогли открыть портал "
     "госуслуг: вместо него показывалась страница с ошибкой. По словам мэрии, сайт "
     "восстановили к вечеру, а данные пользователей не пострадали.</p></article>"),
    ("Pagina non trovata: il portale dei tributi resta offline", "<article><h1>Pagina non "
     "trovata: il portale dei tributi resta offline</h1><p>Da lunedì chi apre il portale dei "
     "tributi del Comune vede soltanto il messaggio di pagina non trovata. L'assessore ha "
     "spiegato che un aggiornamento del server è andato storto e che il servizio tornerà "
     "disponibile entro venerdì, senza alcuna perdita di dati.</p></article>"),
    ("Bakanlığın sitesinde yoğunluk", "<article><h1>Bakanlığın sitesinde yoğunluk</h1><p>"
     "Başvuru yapmak isteyen vatandaşlar dün akşam saatlerinde “sayfa bulunamadı” ve “bir "
     "hata oluştu” uyarılarıyla karşılaştı. Bakanlık, yoğunluk nedeniyle yaşanan sorunun "
     "gece giderildiğini ve başvuru süresinin bir gün uzatıldığını açıkladı.</p></article>"),
    ("政务平台故障：用户看到“页面不存在”", "<article><h1>政务平台故障：用户看到“页面不存在”</h1>"
     "<p>周一上午，不少市民登录政务平台时看到“页面不存在”或“服务器内部错误”的提示。"
     "市政府表示，故障已在中午前修复。</p></article>"),
    ("Toegang geweigerd voor journalisten bij de rechtbank", "<article><h1>Toegang geweigerd "
     "voor journalisten bij de rechtbank</h1><p>Journalisten kregen dinsdag geen toegang tot de "
     "zitting over de havenfraude. De rechter besloot de zaak achter gesloten deuren te "
     "behandelen omdat een van de getuigen minderjarig is; de uitspraak volgt over twee "
     "weken.</p></article>"),
]


@pytest.mark.parametrize(("title", "main"), ARTICLES)
def test_an_article_that_mentions_the_phrases_stays_an_article(title: str, main: str) -> None:
    ex = extract_html(_page(title, main), url=URL)
    assert ex.error_page is None
    assert ex.text


@pytest.mark.parametrize("sentence", [
    "A page not found error is what a server answers when the address names nothing.",
    "Hackers were denied access to the system, and their session expired within minutes.",
    "The ministry said access denied to journalists would be restored next week.",
    "Die Seite nicht gefunden zu haben, sagte er, sei kein Grund für eine Klage.",
    "Secondo il sindaco la pagina non trovata dai giudici conteneva le prove del processo.",
    "Volgens de politie was er een fout opgetreden bij het versturen van de boetes.",
])
def test_a_sentence_that_mentions_a_phrase_is_not_dominated_by_it(sentence: str) -> None:
    assert phrase_kind(sentence) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("您访问的页面不存在或已被删除", "not_found"),  # (no space ends the phrase)
    ("很抱歉，你要找的页面不存在了！返回首页", "not_found"),
    ("ページが見つかりませんでした。トップページへ戻る", "not_found"),
])
def test_han_and_kana_phrases_are_found_inside_longer_runs(text: str, kind: str) -> None:
    """Chinese and Japanese write no spaces: a phrase between word boundaries was found
    only where punctuation stood around it, so "页面不存在" was not found in
    "您访问的页面不存在或已被删除"."""
    assert phrase_kind(text) == kind


def test_a_longer_text_is_never_an_error_page() -> None:
    text = " ".join(["Page not found."] * (MAX_WORDS // 3 + 1))
    assert error_page_kind(text[: len(text) // 2], [None], []) == "not_found"
    assert error_page_kind(text, ["Page not found"], []) is None


# -- the HTTP status --------------------------------------------------------------------


def test_an_error_status_makes_a_short_page_an_error_page(tmp_path: Path) -> None:
    """A JSONL line's http_status (as the crawler or a scraper stored it): a short page
    served 410 or 503 is an error page whatever it says; the same page served 200, or
    with no status, is read as a page."""
    page = _page("Example Shop", "<main><p>Nothing to see on this shelf today, come back "
                 "when the spring stock is in.</p></main>")
    lines = [{"url": f"https://shop.example.com/{n}", "html": page, **extra}
             for n, extra in enumerate([{"http_status": 410}, {"http_status": 503},
                                        {"http_status": 200}, {}])]
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    out = tmp_path / "out.jsonl"
    extract_files([str(src)], str(out), with_removed=True)
    recs = _jsonl(out)
    assert [r.get("flags", []) for r in recs] == [[ERROR_PAGE_FLAG, "empty"]] * 2 + [[], []]
    assert [r.get("http_status") for r in recs] == [410, 503, 200, None]
    assert [r["rule"] for r in recs[0]["removed"] if r["rule"].startswith("error")] == [
        "error_page.not_found"]
    assert [r["rule"] for r in recs[1]["removed"] if r["rule"].startswith("error")] == [
        "error_page.server_error"]
    assert "come back when the spring stock is in" in recs[2]["text"]


def test_a_crawled_error_page_served_200_writes_no_record(tmp_path: Path,
                                                          site: SiteServer) -> None:
    """A soft 404 (answered 200) was written as an article of one line; it is now empty,
    and the crawl writes no record for it, as for any page of no content."""
    site.state.set_page("/hub.html", '<a href="/missing-story.html">story</a>')
    site.state.set_page("/missing-story.html", _page(
        "Page not found", "<main><h1>Page not found</h1><p>The page you requested does not "
        "exist.</p></main>"))
    out = tmp_path / "out.jsonl"
    s = crawl([site.url("/hub.html")], str(out), workers=0, max_depth=1, fetch=fast_config())
    assert s.records_out == 0, s.one_line()
    assert not out.exists() or out.read_text("utf-8") == ""


# -- the vocabulary ------------------------------------------------------------------------

KINDS = {"not_found", "forbidden", "login", "javascript", "bot_check", "server_error", FILLER}


def test_the_error_page_vocabulary_covers_the_languages() -> None:
    langs = [lang for lang in available_languages()
             if "error_page" in tomllib.loads(
                 vocab_dir().joinpath(f"{lang}.toml").read_text("utf-8"))]
    assert set(langs) == set(available_languages())
    for lang in langs:
        table = tomllib.loads(vocab_dir().joinpath(f"{lang}.toml").read_text("utf-8"))
        kinds = table["error_page"]
        assert set(kinds) <= KINDS, (lang, set(kinds) - KINDS)
        assert KINDS - {FILLER} <= set(kinds), lang
        for kind, phrases in kinds.items():
            assert phrases and all(isinstance(p, str) and p.strip() == p and p == p.lower()
                                   for p in phrases), (lang, kind)
