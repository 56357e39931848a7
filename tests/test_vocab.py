"""The per-language chrome vocabulary files in ``cleaners/vocab/``.

Three kinds of checks: every file is well formed (tables, folded keys, month numbers);
known chrome phrases of each language are recognised through the ``Vocab`` methods that
the rules use, while ordinary news prose is not; and each language's stop words pick out
that language's prose against every other language's (the cheap language choice).
"""

from __future__ import annotations

import re
import tomllib

import pytest

from cleaners.normalize import fold
from cleaners.vocab import (
    available_languages,
    language_scripts,
    load_vocab,
    stopword_table,
    vocab_dir,
)

EXPECTED = ("en", "uk", "ru", "de", "fr", "es", "pl", "it", "pt", "nl", "tr", "vi", "id", "ko",
            "ar", "cs", "fi", "hu", "sv", "da", "no", "el", "ro")
NEW = tuple(lang for lang in EXPECTED if lang != "en")
PHRASE_TABLES = ("lines", "sections", "prefixes", "contains", "words")
# Line kinds the chrome rule removes wherever they stand (cleaners/rules/chrome.py); it
# runs before the section rule, so a section heading listed here too would lose its list.
STANDALONE_KINDS = ("back_to_top", "loading", "share", "comments", "advertisement", "read_more")
SCRIPTS = {"uk": ["Cyrillic"], "ru": ["Cyrillic"], "ko": ["Hangul"], "ar": ["Arabic"],
           "el": ["Greek"]}


def raw(lang: str) -> dict:
    return tomllib.loads(vocab_dir().joinpath(f"{lang}.toml").read_text("utf-8"))


def raw_stopwords(data: dict) -> list[str]:
    # Documented place is top level; en.toml keeps its list under [meta].
    return data.get("stopwords") or data.get("meta", {}).get("stopwords", [])


def vocab_for(lang: str):
    """The vocabulary a document in ``lang`` gets: English always, Cyrillic both files."""
    if lang in ("uk", "ru"):
        return load_vocab(("en", "ru", "uk"))
    return load_vocab(("en", lang))


# --- well-formed files ----------------------------------------------------------------


def test_expected_languages_present() -> None:
    assert set(EXPECTED) <= set(available_languages())


@pytest.mark.parametrize("lang", available_languages())
def test_file_structure(lang: str) -> None:
    data = raw(lang)
    meta = data["meta"]
    assert meta["language"] == lang
    assert isinstance(meta["name"], str) and meta["name"]
    scripts = meta["scripts"]
    assert isinstance(scripts, list) and scripts
    assert all(isinstance(s, str) and s[:1].isupper() for s in scripts)
    assert language_scripts()[lang] == tuple(scripts)

    stop = raw_stopwords(data)
    assert stop and all(isinstance(w, str) and fold(w) for w in stop)

    for table in PHRASE_TABLES:
        assert isinstance(data[table], dict) and data[table], table
        for kind, phrases in data[table].items():
            assert isinstance(phrases, list) and phrases, (table, kind)
            for phrase in phrases:
                assert isinstance(phrase, str) and phrase.strip(), (table, kind, phrase)
                assert fold(phrase), (table, kind, phrase)
    for kind in ("counters", "months"):
        assert data["words"].get(kind), kind


@pytest.mark.parametrize("lang", available_languages())
def test_month_numbers(lang: str) -> None:
    data = raw(lang)
    numbers = data.get("month_numbers", {})
    assert numbers
    assert set(numbers.values()) == set(range(1, 13))
    date_words = {fold(w) for w in data["words"]["months"]}
    for name, number in numbers.items():
        assert isinstance(number, int) and 1 <= number <= 12
        assert fold(name) in date_words, name  # a dateline with it is recognised too


@pytest.mark.parametrize("lang", NEW)
def test_new_file_conventions(lang: str) -> None:
    data = raw(lang)
    assert data["meta"]["scripts"] == SCRIPTS.get(lang, ["Latin"])
    assert "stopwords" in data  # top level, where README puts it
    assert 120 <= len(stopword_table()[lang]) <= 200

    # contains.* phrases are distinctive: several words (or a long compound), never
    # one common word, because they remove any block of up to 60 words containing them.
    for kind, phrases in data["contains"].items():
        for phrase in phrases:
            key = fold(phrase)
            parts = [p for p in re.split(r"[\s\-.]+", key) if p]
            assert len(parts) >= 2 or len(key) >= 12, (kind, phrase)

    # A section heading must not also be a standalone chrome line (see STANDALONE_KINDS),
    # and one line belongs to one kind.
    lines = {kind: {fold(p) for p in ps} for kind, ps in data["lines"].items()}
    headings = {fold(p) for ps in data["sections"].values() for p in ps}
    for kind in STANDALONE_KINDS:
        assert not lines.get(kind, set()) & headings, kind
    kinds = list(lines)
    for i, a in enumerate(kinds):
        for b in kinds[i + 1 :]:
            assert not lines[a] & lines[b], (a, b, lines[a] & lines[b])

    # The related/credit rules cut the original text at the folded prefix's length.
    for kind, phrases in data["prefixes"].items():
        for phrase in phrases:
            assert len(fold(phrase)) == len(phrase) == len(phrase.casefold()), (kind, phrase)


def test_all_languages_merge() -> None:
    vocab = load_vocab(available_languages())
    assert set(vocab.languages) == set(available_languages())
    assert all(pattern is not None for pattern in vocab.contains.values())
    assert vocab.month_numbers[fold("жовтня")] == 10
    assert vocab.month_numbers[fold("października")] == 10
    assert vocab.month_numbers[fold("Oktober")] == 10


# --- known phrases --------------------------------------------------------------------

LINES = [
    ("uk", "Реклама", "advertisement"),
    ("uk", "Нагору", "back_to_top"),
    ("uk", "Завантаження...", "loading"),
    ("uk", "Поділитися", "share"),
    ("uk", "Читати далі", "read_more"),
    ("uk", "Головна", "navigation"),
    ("ru", "Наверх", "back_to_top"),
    ("ru", "Загрузка...", "loading"),
    ("ru", "Поделиться", "share"),
    ("ru", "Подробнее", "read_more"),
    ("ru", "Реклама", "advertisement"),
    ("de", "Anzeige", "advertisement"),
    ("de", "Nach oben", "back_to_top"),
    ("de", "Wird geladen …", "loading"),
    ("de", "Weiterlesen", "read_more"),
    ("de", "Startseite", "navigation"),
    ("fr", "Publicité", "advertisement"),
    ("fr", "Haut de page", "back_to_top"),
    ("fr", "Chargement...", "loading"),
    ("fr", "Lire la suite", "read_more"),
    ("fr", "Partager", "share"),
    ("es", "Publicidad", "advertisement"),
    ("es", "Volver arriba", "back_to_top"),
    ("es", "Cargando...", "loading"),
    ("es", "Leer más", "read_more"),
    ("es", "Compartir", "share"),
    ("pl", "Reklama", "advertisement"),
    ("pl", "Do góry", "back_to_top"),
    ("pl", "Ładowanie...", "loading"),
    ("pl", "Czytaj dalej", "read_more"),
    ("pl", "Udostępnij", "share"),
    ("it", "Pubblicità", "advertisement"),
    ("it", "Torna su", "back_to_top"),
    ("it", "Caricamento in corso...", "loading"),
    ("it", "Continua a leggere", "read_more"),
    ("it", "Condividi", "share"),
    ("pt", "Publicidade", "advertisement"),
    ("pt", "Voltar ao topo", "back_to_top"),
    ("pt", "Carregando...", "loading"),
    ("pt", "Leia mais", "read_more"),
    ("pt", "Compartilhar", "share"),
    ("nl", "Advertentie", "advertisement"),
    ("nl", "Naar boven", "back_to_top"),
    ("nl", "Bezig met laden...", "loading"),
    ("nl", "Lees verder", "read_more"),
    ("nl", "Delen", "share"),
    # comment-form headings are chrome lines wherever they stand
    ("uk", "Залишити відповідь", "comments"),
    ("de", "Schreibe einen Kommentar", "comments"),
    ("fr", "Laisser un commentaire", "comments"),
    ("es", "Deja una respuesta", "comments"),
    ("pl", "Dodaj komentarz", "comments"),
    ("it", "Lascia un commento", "comments"),
    ("pt", "Deixe um comentário", "comments"),
    ("nl", "Geef een reactie", "comments"),
    ("tr", "Yükleniyor...", "loading"),
    ("tr", "Başa dön", "back_to_top"),
    ("tr", "Bir yanıt yazın", "comments"),
    ("vi", "Đang tải...", "loading"),
    ("vi", "Chia sẻ", "share"),
    ("vi", "Để lại một bình luận", "comments"),
    ("id", "Memuat...", "loading"),
    ("id", "Baca selengkapnya", "read_more"),
    ("id", "Tinggalkan Balasan", "comments"),
    ("ko", "맨 위로", "back_to_top"),
    ("ko", "공유하기", "share"),
    ("ko", "댓글 쓰기", "comments"),
    ("ar", "العودة إلى الأعلى", "back_to_top"),
    ("ar", "جاري التحميل...", "loading"),
    ("ar", "إعلان", "advertisement"),
    ("ar", "أضف تعليقاً", "comments"),
]

SECTIONS = [
    ("uk", "Популярне", "related"),
    ("uk", "Новини за темою", "related"),
    ("uk", "Читайте також", "related"),
    ("uk", "Дивіться також", "related"),
    ("uk", "Останні новини", "related"),
    ("ru", "Самое читаемое", "related"),
    ("ru", "Новости по теме", "related"),
    ("ru", "Похожие статьи", "related"),
    ("ru", "Последние новости", "related"),
    ("de", "Meistgelesen", "related"),
    ("de", "Mehr zum Thema", "related"),
    ("de", "Das könnte Sie auch interessieren", "related"),
    ("fr", "Les plus lus", "related"),
    ("fr", "Sur le même sujet", "related"),
    ("fr", "Vous aimerez aussi", "related"),
    ("es", "Lo más leído", "related"),
    ("es", "Noticias relacionadas", "related"),
    ("es", "¿Te puede interesar?", "related"),
    ("pl", "Najczęściej czytane", "related"),
    ("pl", "Zobacz także", "related"),
    ("pl", "Polecamy", "related"),
    ("it", "I più letti", "related"),
    ("it", "Articoli correlati", "related"),
    ("it", "Potrebbe interessarti", "related"),
    ("pt", "Mais lidas", "related"),
    ("pt", "Notícias relacionadas", "related"),
    ("pt", "Você também pode gostar", "related"),
    ("nl", "Meest gelezen", "related"),
    ("nl", "Gerelateerde artikelen", "related"),
    ("nl", "Dit vind je misschien ook leuk", "related"),
    ("tr", "EN ÇOK OKUNANLAR", "related"),
    ("tr", "İlgili Haberler", "related"),
    ("vi", "Đọc nhiều nhất", "related"),
    ("vi", "Tin liên quan", "related"),
    ("id", "Berita Terkait", "related"),
    ("id", "Paling Banyak Dibaca", "related"),
    ("ko", "많이 본 뉴스", "related"),
    ("ko", "관련기사", "related"),
    ("ar", "الأكثر قراءة", "related"),
    ("ar", "مقالات ذات صلة", "related"),
]

PREFIXES = [
    ("uk", "related", "Читайте також: Уряд ухвалив нове рішення", "читайте також"),
    ("uk", "related", "Дивіться також – Рада продовжила воєнний стан", "дивіться також"),
    ("uk", "image_credit", "Фото: Офіс Президента", "фото"),
    ("ru", "related", "Читайте также: ЦБ повысил ставку", "читайте также"),
    ("ru", "image_credit", "Фото: пресс-служба", "фото"),
    ("de", "related", "Lesen Sie auch: Inflation sinkt deutlich", "lesen sie auch"),
    ("de", "image_credit", "Bild: dpa", "bild"),
    ("fr", "related", "À lire aussi : L'inflation recule", "à lire aussi"),
    ("fr", "image_credit", "Photo : AFP", "photo"),
    ("es", "related", "Lee también: La inflación baja en octubre", "lee también"),
    ("es", "image_credit", "Foto: EFE", "foto"),
    ("pl", "related", "Czytaj też: Inflacja spadła", "czytaj też"),
    ("pl", "image_credit", "Fot. PAP", "fot"),
    ("it", "related", "Leggi anche: L'inflazione cala", "leggi anche"),
    ("it", "image_credit", "Foto Ansa", "foto ansa"),
    ("pt", "related", "Leia também: Inflação cai em outubro", "leia também"),
    ("pt", "image_credit", "Foto: Divulgação", "foto"),
    ("nl", "related", "Lees ook: Inflatie daalt in oktober", "lees ook"),
    ("nl", "image_credit", "Foto: ANP", "foto"),
    ("tr", "related", "BUNU DA OKUYUN: Balıkçılar tepki gösterdi", "bunu da okuyun"),
    ("tr", "image_credit", "Fotoğraf: AA", "fotoğraf"),
    ("vi", "related", "Xem thêm: Ngư dân phản đối", "xem thêm"),
    ("vi", "image_credit", "Ảnh: Reuters", "ảnh"),
    ("id", "related", "Baca Juga: Nelayan minta tarif turun", "baca juga"),
    ("id", "image_credit", "Foto: ANTARA", "foto"),
    ("ko", "related", "▶ 관련기사: 항구 재개장", "관련기사"),
    ("ko", "image_credit", "사진=연합뉴스", "사진"),
    ("ar", "related", "اقرأ أيضاً: الصيادون يطالبون", "اقرأ أيضا"),
    ("ar", "image_credit", "صورة: رويترز", "صورة"),
]

CONTAINS = [
    ("en", "When you buy through our links, we may earn a commission. Learn more.", "disclosure"),
    ("en", "As an Amazon Associate, this website earns from qualifying purchases.", "disclosure"),
    ("de", "Die mit Sternchen markierten Links sind sogenannte Affiliate-Links.", "disclosure"),
    ("fr", "Cet article contient des liens affiliés.", "disclosure"),
    ("es", "Si compras a través de estos enlaces, podemos recibir una comisión.", "disclosure"),
    ("uk", "Ваша e-mail адреса не оприлюднюватиметься. Обов’язкові поля позначені *",
     "comment_form"),
    ("uk", "© 2024 УНН. Усі права захищені.", "rights"),
    ("uk", "Підписуйтесь на наш Telegram-канал, щоб першими дізнаватися новини", "newsletter"),
    ("ru", "Ваш адрес email не будет опубликован. Обязательные поля помечены *",
     "comment_form"),
    ("ru", "© 2024 Все права защищены.", "rights"),
    ("de", "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind "
     "mit * markiert", "comment_form"),
    ("de", "Wir verwenden Cookies, um unsere Website für Sie zu verbessern.", "cookie"),
    ("de", "© 2024 Alle Rechte vorbehalten.", "rights"),
    ("fr", "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont "
     "indiqués avec *", "comment_form"),
    ("fr", "Ce site utilise des cookies pour améliorer votre expérience.", "cookie"),
    ("fr", "Cet article est réservé aux abonnés.", "paywall"),
    ("es", "Tu dirección de correo electrónico no será publicada. Los campos obligatorios "
     "están marcados con *", "comment_form"),
    ("es", "Utilizamos cookies propias y de terceros.", "cookie"),
    ("pl", "Twój adres e-mail nie zostanie opublikowany. Wymagane pola są oznaczone *",
     "comment_form"),
    ("pl", "Używamy plików cookie, aby ułatwić korzystanie z serwisu.", "cookie"),
    ("it", "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono "
     "contrassegnati *", "comment_form"),
    ("it", "© Riproduzione riservata", "rights"),
    ("pt", "O seu endereço de e-mail não será publicado. Campos obrigatórios são marcados "
     "com *", "comment_form"),
    ("pt", "Este site utiliza cookies para melhorar a sua experiência.", "cookie"),
    ("nl", "Je e-mailadres wordt niet gepubliceerd. Vereiste velden zijn gemarkeerd met *",
     "comment_form"),
    ("nl", "Deze website gebruikt cookies.", "cookie"),
    ("tr", "E-posta adresiniz yayınlanmayacak. Gerekli alanlar * ile işaretlenmişlerdir",
     "comment_form"),
    ("tr", "Sitemizde çerezler kullanıyoruz.", "cookie"),
    ("vi", "Email của bạn sẽ không được hiển thị công khai.", "comment_form"),
    ("vi", "Chúng tôi sử dụng cookie để cải thiện trải nghiệm.", "cookie"),
    ("id", "Alamat email Anda tidak akan dipublikasikan.", "comment_form"),
    ("id", "Kami menggunakan cookie untuk meningkatkan layanan.", "cookie"),
    ("ko", "이메일 주소는 공개되지 않습니다. 필수 필드는 *로 표시됩니다", "comment_form"),
    ("ko", "ⓒ 항구일보, 무단전재 및 재배포 금지", "rights"),
    ("ar", "لن يتم نشر عنوان بريدك الإلكتروني.", "comment_form"),
    ("ar", "جميع الحقوق محفوظة © 2024", "rights"),
    ("en", "You need to enable JavaScript to run this app.", "interstitial"),
    ("en", "Checking your browser before accessing example.com.", "interstitial"),
    ("en", "Please verify you are human by completing the action below.", "interstitial"),
    ("de", "Bitte aktivieren Sie JavaScript, um diese Seite zu nutzen.", "interstitial"),
    ("fr", "Veuillez activer JavaScript dans votre navigateur.", "interstitial"),
    ("es", "Habilita JavaScript para ver este sitio.", "interstitial"),
    ("pl", "Włącz JavaScript, aby korzystać z serwisu.", "interstitial"),
    ("ru", "Включите JavaScript в настройках браузера.", "interstitial"),
    ("uk", "Увімкніть JavaScript, щоб переглянути сторінку.", "interstitial"),
    ("it", "Abilita JavaScript per visualizzare il sito.", "interstitial"),
    ("pt", "Ative o JavaScript para continuar.", "interstitial"),
    ("nl", "Schakel JavaScript in om deze website te gebruiken.", "interstitial"),
]

WORDS = [
    # Slavic numerals govern several cases; the Latin "i" comes from a real dump.
    ("uk", "counters", ["перегляд", "перегляди", "переглядів", "переглядiв", "перегляду",
                        "коментарів", "хв", "читання"]),
    ("ru", "counters", ["просмотр", "просмотра", "просмотров", "комментариев", "мин",
                        "чтения"]),
    ("pl", "counters", ["wyświetlenie", "wyświetlenia", "wyświetleń", "komentarzy", "min",
                        "czytania"]),
    ("de", "counters", ["Aufrufe", "Kommentare", "Min", "Lesezeit"]),
    ("fr", "counters", ["vues", "commentaires", "min", "lecture"]),
    ("es", "counters", ["visitas", "comentarios", "min", "lectura"]),
    ("it", "counters", ["visualizzazioni", "commenti", "min", "lettura"]),
    ("pt", "counters", ["visualizações", "comentários", "min", "leitura"]),
    ("nl", "counters", ["weergaven", "reacties", "min", "leestijd"]),
    ("tr", "counters", ["görüntülenme", "okundu", "yorum", "dk", "okuma"]),
    ("vi", "counters", ["lượt", "xem", "bình", "luận", "phút", "đọc"]),
    ("id", "counters", ["dilihat", "dibaca", "komentar", "menit", "baca"]),
    ("ko", "counters", ["조회수", "댓글", "공감", "분"]),
    ("ar", "counters", ["مشاهدة", "مشاهدات", "تعليقات", "دقائق", "للقراءة"]),
    ("tr", "months", ["Ekim", "EKİM", "Aralık", "ARALIK", "Salı", "bugün", "önce"]),
    ("vi", "months", ["tháng", "thứ", "hôm", "nay", "trước"]),
    ("id", "months", ["Oktober", "Okt", "Selasa", "WIB", "lalu"]),
    ("ko", "months", ["년", "월", "일", "오후", "화요일"]),
    ("ar", "months", ["أكتوبر", "اكتوبر", "تشرين", "الثلاثاء", "منذ", "ساعات"]),
    ("uk", "months", ["жовтня", "жовтень", "жовтні", "вівторок", "сьогодні", "вчора"]),
    ("ru", "months", ["октября", "октябрь", "вторник", "сегодня", "вчера", "назад"]),
    ("pl", "months", ["października", "październik", "wtorek", "dzisiaj", "wczoraj", "temu"]),
    ("de", "months", ["Oktober", "Okt", "März", "Dienstag", "heute", "gestern"]),
    ("fr", "months", ["octobre", "août", "mardi", "aujourd'hui", "hier"]),
    ("es", "months", ["octubre", "martes", "hoy", "ayer", "hace"]),
    ("it", "months", ["ottobre", "martedì", "oggi", "ieri", "fa"]),
    ("pt", "months", ["outubro", "março", "terça-feira", "hoje", "ontem"]),
    ("nl", "months", ["oktober", "mrt", "dinsdag", "vandaag", "gisteren", "geleden"]),
    ("uk", "widget_outcomes", ["так", "ні"]),
    ("ru", "widget_outcomes", ["да", "нет"]),
    ("de", "widget_outcomes", ["ja", "nein"]),
    ("fr", "widget_outcomes", ["oui", "non"]),
    ("es", "widget_outcomes", ["sí", "no"]),
    ("pl", "widget_outcomes", ["tak", "nie"]),
    ("it", "widget_outcomes", ["sì", "no"]),
    ("pt", "widget_outcomes", ["sim", "não"]),
    ("nl", "widget_outcomes", ["ja", "nee"]),
    ("uk", "byline", ["автор"]),
    ("ru", "byline", ["автор"]),
    ("de", "byline", ["von"]),
    ("fr", "byline", ["par"]),
    ("es", "byline", ["por"]),
    ("pl", "byline", ["autor"]),
    ("it", "byline", ["di"]),
    ("pt", "byline", ["por"]),
    ("nl", "byline", ["door"]),
    ("uk", "metadata_labels", ["джерело", "категорія"]),
    ("de", "metadata_labels", ["Quelle", "Kategorie"]),
    ("fr", "metadata_labels", ["source", "catégorie"]),
    ("uk", "widget_labels", ["обсяг", "ймовірність"]),
    ("es", "widget_labels", ["volumen", "probabilidad"]),
]


@pytest.mark.parametrize(("lang", "text", "kind"), LINES)
def test_line_kind(lang: str, text: str, kind: str) -> None:
    assert vocab_for(lang).line_kind(fold(text)) == kind


@pytest.mark.parametrize(("lang", "text", "kind"), SECTIONS)
def test_section_kind(lang: str, text: str, kind: str) -> None:
    assert vocab_for(lang).section_kind(fold(text)) == kind


@pytest.mark.parametrize(("lang", "kind", "text", "phrase"), PREFIXES)
def test_prefix(lang: str, kind: str, text: str, phrase: str) -> None:
    assert vocab_for(lang).prefix(kind, fold(text)) == fold(phrase)


@pytest.mark.parametrize(("lang", "text", "kind"), CONTAINS)
def test_contains_kind(lang: str, text: str, kind: str) -> None:
    assert vocab_for(lang).contains_kind(fold(text)) == kind


@pytest.mark.parametrize(("lang", "kind", "words"), WORDS)
def test_word_set(lang: str, kind: str, words: list[str]) -> None:
    vocab = vocab_for(lang)
    missing = [w for w in words if fold(w) not in vocab.word_set(kind)]
    assert not missing


def test_latin_i_in_ukrainian_counter() -> None:
    # "переглядiв" with a Latin i, as scraped; its key must be the vocabulary's key.
    key = fold("• 15971 переглядiв")
    assert key.split()[-1] in vocab_for("uk").word_set("counters")
    assert fold("переглядiв") == fold("переглядів")


def test_prefix_needs_a_word_boundary() -> None:
    vocab = vocab_for("de")
    assert vocab.prefix("image_credit", fold("Bildung ist wichtig")) is None
    assert vocab.prefix("image_credit", fold("Foto: dpa")) == "foto"


def test_genitive_month_numbers() -> None:
    assert vocab_for("uk").month_numbers[fold("жовтня")] == 10
    assert vocab_for("ru").month_numbers[fold("октября")] == 10
    assert vocab_for("pl").month_numbers[fold("października")] == 10
    assert vocab_for("de").month_numbers[fold("Dezember")] == 12
    assert vocab_for("fr").month_numbers[fold("août")] == 8


# --- prose: recognised as its language, never as chrome --------------------------------

PROSE = {
    "en": [
        "The government said on Tuesday that the new rules would come into force in January. "
        "According to the minister, the changes are meant to lower energy prices for families "
        "and businesses that have suffered most during the past year.",
        "It was not clear whether the talks would resume, but officials said they were ready "
        "to meet again if both sides agreed.",
    ],
    "uk": [
        "Уряд України ухвалив рішення, яке має допомогти громадам, що найбільше постраждали "
        "від обстрілів. За словами прем'єр-міністра, ці кошти також підуть на відновлення шкіл "
        "і лікарень. Водночас він наголосив, що все залежить від того, чи вчасно надійде "
        "допомога від партнерів.",
        # Nearly word for word the Russian paragraph below: shared prepositions and "не"
        # must not decide, the distinctive function words must.
        "У вівторок на засіданні в Києві депутати не змогли дійти згоди щодо бюджету. "
        "Опозиція заявила, що не підтримає документ, поки уряд не пояснить, куди підуть кошти.",
    ],
    "ru": [
        "Правительство заявило, что новые меры поддержки будут введены уже в следующем месяце. "
        "По словам министра, это позволит снизить нагрузку на бизнес, который пострадал от "
        "роста цен. Кроме того, власти планируют проверить, как работают региональные программы.",
        "Во вторник на заседании в Москве депутаты не смогли договориться о бюджете. Оппозиция "
        "заявила, что не поддержит документ, пока правительство не объяснит, куда пойдут деньги.",
    ],
    "de": [
        "Die Bundesregierung hat am Dienstag beschlossen, dass die neuen Regeln bereits im "
        "Januar in Kraft treten sollen. Nach Angaben des Ministers sollen die Änderungen vor "
        "allem Familien und kleine Unternehmen entlasten, die unter den hohen Energiepreisen "
        "leiden.",
        "Ob die Gespräche fortgesetzt werden, ist noch unklar. Ein Sprecher sagte jedoch, man "
        "sei bereit, sich erneut zu treffen, wenn beide Seiten zustimmen.",
    ],
    "fr": [
        "Le gouvernement a annoncé mardi que les nouvelles mesures entreront en vigueur dès le "
        "mois de janvier. Selon le ministre, ces changements doivent permettre de réduire le "
        "prix de l'énergie pour les familles et les entreprises qui ont le plus souffert cette "
        "année.",
        "On ne sait pas encore si les discussions reprendront, mais un porte-parole a indiqué "
        "qu'ils étaient prêts à se revoir si les deux parties l'acceptaient.",
    ],
    "es": [
        "El Gobierno anunció el martes que las nuevas medidas entrarán en vigor a partir de "
        "enero. Según el ministro, los cambios permitirán reducir los precios de la energía "
        "para las familias y las empresas, que han sufrido mucho durante los últimos meses.",
        "Todavía no está claro si las conversaciones se reanudarán, pero un portavoz dijo que "
        "están dispuestos a reunirse de nuevo si ambas partes lo aceptan.",
    ],
    "pl": [
        "Rząd poinformował we wtorek, że nowe przepisy wejdą w życie już w styczniu. Według "
        "ministra zmiany mają obniżyć ceny energii dla rodzin i firm, które najbardziej "
        "ucierpiały w ostatnich miesiącach. Jak podkreślił, program będzie także obejmował "
        "mniejsze gminy.",
        "Nie wiadomo jeszcze, czy rozmowy zostaną wznowione, ale rzecznik powiedział, że są "
        "gotowi spotkać się ponownie, jeśli obie strony się zgodzą.",
    ],
    "it": [
        "Il governo ha annunciato martedì che le nuove misure entreranno in vigore già a "
        "gennaio. Secondo il ministro, i cambiamenti dovrebbero ridurre il prezzo dell'energia "
        "per le famiglie e per le imprese che hanno sofferto di più negli ultimi mesi.",
        "Non è ancora chiaro se i colloqui riprenderanno, ma un portavoce ha detto che sono "
        "pronti a incontrarsi di nuovo se entrambe le parti saranno d'accordo.",
    ],
    "pt": [
        "O governo anunciou nesta terça-feira que as novas medidas vão entrar em vigor a "
        "partir de janeiro. Segundo o ministro, as mudanças devem reduzir os preços da energia "
        "para as famílias e as empresas, que sofreram muito nos últimos meses.",
        "Ainda não está claro se as conversas serão retomadas, mas um porta-voz disse que eles "
        "estão prontos para se reunir de novo se as duas partes concordarem.",
    ],
    "nl": [
        "Het kabinet heeft dinsdag besloten dat de nieuwe regels al in januari ingaan. Volgens "
        "de minister moeten de maatregelen vooral gezinnen en kleine bedrijven helpen die het "
        "hardst zijn getroffen door de hoge energieprijzen.",
        "Het is nog niet duidelijk of de gesprekken worden hervat, maar een woordvoerder zei "
        "dat ze bereid zijn opnieuw bij elkaar te komen als beide partijen instemmen.",
    ],
    "tr": [
        "Hükümet salı günü yaptığı açıklamada yeni kuralların ocak ayında yürürlüğe gireceğini "
        "duyurdu. Bakana göre bu değişiklikler özellikle geçen yıl en çok zarar gören aileler ve "
        "küçük işletmeler için enerji fiyatlarını düşürmeyi amaçlıyor.",
        "Görüşmelerin yeniden başlayıp başlamayacağı henüz belli değil, ancak bir sözcü iki "
        "taraf da kabul ederse yeniden bir araya gelmeye hazır olduklarını söyledi.",
    ],
    "vi": [
        "Chính phủ cho biết hôm thứ Ba rằng các quy định mới sẽ có hiệu lực từ tháng Một. Theo "
        "bộ trưởng, những thay đổi này nhằm giảm giá năng lượng cho các gia đình và doanh "
        "nghiệp đã chịu ảnh hưởng nặng nề nhất trong năm qua.",
        "Hiện vẫn chưa rõ các cuộc đàm phán có được nối lại hay không, nhưng một người phát "
        "ngôn nói rằng họ sẵn sàng gặp lại nếu cả hai bên đồng ý.",
    ],
    "id": [
        "Pemerintah mengumumkan pada hari Selasa bahwa aturan baru akan mulai berlaku pada "
        "bulan Januari. Menurut menteri, perubahan ini dimaksudkan untuk menurunkan harga energi "
        "bagi keluarga dan usaha kecil yang paling terdampak selama setahun terakhir.",
        "Belum jelas apakah perundingan akan dilanjutkan, tetapi seorang juru bicara mengatakan "
        "mereka siap bertemu lagi jika kedua belah pihak setuju.",
    ],
    "ko": [
        "정부는 화요일 새로운 규정이 내년 1월부터 시행될 것이라고 밝혔다. 장관은 이번 변화가 지난 "
        "1년 동안 가장 큰 피해를 입은 가정과 소상공인의 에너지 부담을 줄이기 위한 것이라고 "
        "설명했다.",
        "협상이 다시 시작될지는 아직 분명하지 않지만, 대변인은 양측이 모두 동의한다면 언제든 다시 "
        "만날 준비가 되어 있다고 말했다.",
    ],
    "cs": [
        "Vláda v úterý oznámila, že nová pravidla začnou platit v lednu. Podle ministra mají "
        "změny snížit ceny energií pro domácnosti a firmy, které byly v loňském roce "
        "zasaženy nejvíce.",
        "Zatím není jasné, zda budou rozhovory pokračovat, mluvčí však uvedl, že jsou "
        "připraveni se znovu sejít, pokud s tím budou souhlasit obě strany.",
    ],
    "ar": [
        "أعلنت الحكومة يوم الثلاثاء أن القواعد الجديدة ستدخل حيز التنفيذ في يناير. وبحسب الوزير، "
        "فإن هذه التغييرات تهدف إلى خفض أسعار الطاقة للأسر والشركات التي تضررت أكثر من غيرها "
        "خلال العام الماضي.",
        "ولم يتضح بعد ما إذا كانت المحادثات ستستأنف، لكن متحدثا قال إنهم مستعدون للاجتماع مجددا "
        "إذا وافق الطرفان.",
    ],
    "fi": [
        "Hallitus kertoi tiistaina, että uudet säännöt tulevat voimaan tammikuussa. Ministerin "
        "mukaan muutosten tarkoitus on laskea energian hintoja kotitalouksille ja yrityksille, "
        "jotka ovat kärsineet eniten kuluneen vuoden aikana.",
        "Ei ollut selvää, jatkuvatko neuvottelut, mutta tiedottaja sanoi, että he ovat valmiita "
        "tapaamaan uudelleen, jos molemmat osapuolet ovat siihen valmiita.",
    ],
    "hu": [
        "A kormány kedden bejelentette, hogy az új szabályok januárban lépnek hatályba. A "
        "miniszter szerint a változások célja, hogy csökkentsék az energiaárakat azoknak a "
        "családoknak és vállalkozásoknak, amelyek a legtöbbet szenvedtek az elmúlt évben.",
        "Nem volt világos, hogy folytatódnak-e a tárgyalások, de egy szóvivő azt mondta, hogy "
        "készen állnak az újabb találkozóra, ha mindkét fél beleegyezik.",
    ],
    "sv": [
        "Regeringen meddelade på tisdagen att de nya reglerna träder i kraft i januari. Enligt "
        "ministern är förändringarna tänkta att sänka energipriserna för hushåll och företag "
        "som har drabbats hårdast under det senaste året.",
        "Det var inte klart om samtalen skulle återupptas, men en talesperson sa att de är "
        "beredda att träffas igen om båda parter går med på det.",
    ],
    "da": [
        "Regeringen meddelte tirsdag, at de nye regler træder i kraft i januar. Ifølge ministeren "
        "skal ændringerne sænke energipriserne for de familier og virksomheder, som har været "
        "hårdest ramt i løbet af det seneste år.",
        "Det var ikke klart, om forhandlingerne ville blive genoptaget, men en talsperson sagde, "
        "at de er parate til at mødes igen, hvis begge parter er enige.",
    ],
    "no": [
        "Regjeringen sa tirsdag at de nye reglene trer i kraft i januar. Ifølge statsråden skal "
        "endringene senke energiprisene for familiene og bedriftene som har blitt hardest rammet "
        "i løpet av det siste året.",
        "Det var ikke klart om forhandlingene ville bli gjenopptatt, men en talsperson sa at de "
        "er klare til å møtes igjen dersom begge parter blir enige.",
    ],
    "el": [
        "Η κυβέρνηση ανακοίνωσε την Τρίτη ότι οι νέοι κανόνες θα τεθούν σε ισχύ τον Ιανουάριο. "
        "Σύμφωνα με τον υπουργό, οι αλλαγές έχουν στόχο να μειώσουν τις τιμές της ενέργειας για "
        "τις οικογένειες και τις επιχειρήσεις που επλήγησαν περισσότερο τον τελευταίο χρόνο.",
        "Δεν ήταν σαφές αν οι συνομιλίες θα συνεχιστούν, αλλά ένας εκπρόσωπος είπε ότι είναι "
        "έτοιμοι να συναντηθούν ξανά, εφόσον συμφωνήσουν και οι δύο πλευρές.",
    ],
    "ro": [
        "Guvernul a anunțat marți că noile reguli vor intra în vigoare în ianuarie. Potrivit "
        "ministrului, schimbările au scopul de a reduce prețurile la energie pentru familiile și "
        "firmele care au avut cel mai mult de suferit în ultimul an.",
        "Nu era clar dacă negocierile vor fi reluate, însă un purtător de cuvânt a spus că sunt "
        "pregătiți să se întâlnească din nou dacă ambele părți sunt de acord.",
    ],
}
PROSE_CASES = [(lang, i) for lang in EXPECTED for i in range(len(PROSE[lang]))]


def stopword_hits(text: str) -> dict[str, int]:
    words = re.findall(r"\w+", fold(text))
    return {lang: sum(w in stops for w in words) for lang, stops in stopword_table().items()}


@pytest.mark.parametrize(("lang", "i"), PROSE_CASES)
def test_stopwords_pick_the_language(lang: str, i: int) -> None:
    hits = stopword_hits(PROSE[lang][i])
    best = max(hits.values())
    assert hits[lang] == best, hits
    assert [other for other, n in hits.items() if n == best] == [lang], hits  # strict
    assert hits[lang] >= 5, hits


@pytest.mark.parametrize(("lang", "i"), PROSE_CASES)
def test_prose_is_not_chrome(lang: str, i: int) -> None:
    vocab = load_vocab(available_languages())  # every language at once: the worst case
    for sentence in re.split(r"(?<=[.!?])\s+", PROSE[lang][i]):
        key = fold(sentence)
        assert vocab.contains_kind(key) is None, sentence
        assert vocab.line_kind(key) is None, sentence
        assert vocab.section_kind(key) is None, sentence
        assert vocab.prefix("related", key) is None, sentence
        assert vocab.prefix("image_credit", key) is None, sentence


# Articles about the web mention the same words as bot walls and affiliate disclosures;
# only the chrome's own sentences are chrome.
WEB_PROSE = [
    "Retailers pay bloggers a commission on sales, and the practice is spreading fast.",
    "To measure these partnerships, marketers track affiliate links and discount codes.",
    "JavaScript is the most widely used programming language on the web, a survey found.",
    "The browser now asks users whether a site may run JavaScript before it loads.",
    "Robots are increasingly used in warehouses, and access to them is tightly controlled.",
]


@pytest.mark.parametrize("sentence", WEB_PROSE)
def test_prose_about_the_web_is_not_chrome(sentence: str) -> None:
    vocab = load_vocab(available_languages())
    assert vocab.contains_kind(fold(sentence)) is None
