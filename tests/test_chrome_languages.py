"""The kinds of chrome the seeds show, in other words and languages (an audit's finds).

Each case is one chrome line between two paragraphs of real prose in its language; the
rules alone (no block model) must remove it under the named rule, and the prose stays.
"""

from __future__ import annotations

import pytest

from cleaners import Cleaner

PROSE = {
    "en": ("The council said on Monday that the old harbour will reopen next week, after a "
           "repair of the stone quay that took almost two years and cost far more than planned.",
           "Fishermen who had moved their boats to the next town welcomed the news, although "
           "several of them said that the new mooring fees were still too high for them."),
    "de": ("Der Stadtrat hat am Montag beschlossen, dass der alte Hafen in der kommenden Woche "
           "wieder geöffnet wird, nachdem die Reparatur der Kaimauer fast zwei Jahre gedauert hat.",
           "Die Fischer, die ihre Boote in den Nachbarort gebracht hatten, begrüßten die "
           "Entscheidung, auch wenn sie die neuen Gebühren für zu hoch halten."),
    "fr": ("Le conseil municipal a annoncé lundi que le vieux port rouvrira la semaine "
           "prochaine, après des travaux sur le quai qui ont duré presque deux ans.",
           "Les pêcheurs qui avaient déplacé leurs bateaux dans la ville voisine se sont "
           "réjouis de la nouvelle, même s'ils trouvent les nouveaux tarifs trop élevés."),
    "es": ("El ayuntamiento anunció el lunes que el viejo puerto volverá a abrir la próxima "
           "semana, después de unas obras en el muelle que han durado casi dos años.",
           "Los pescadores que habían trasladado sus barcos al pueblo vecino celebraron la "
           "noticia, aunque muchos de ellos creen que las nuevas tasas son demasiado altas."),
    "it": ("Il consiglio comunale ha annunciato lunedì che il vecchio porto riaprirà la "
           "prossima settimana, dopo i lavori sulla banchina che sono durati quasi due anni.",
           "I pescatori che avevano spostato le loro barche nel paese vicino hanno accolto la "
           "notizia con favore, anche se per molti di loro le nuove tariffe sono troppo alte."),
    "pt": ("A câmara municipal anunciou na segunda-feira que o velho porto vai reabrir na "
           "próxima semana, depois de obras no cais que duraram quase dois anos.",
           "Os pescadores que tinham levado os seus barcos para a vila vizinha receberam bem a "
           "notícia, embora muitos deles achem que as novas taxas são demasiado altas."),
    "nl": ("De gemeenteraad heeft maandag bekendgemaakt dat de oude haven volgende week weer "
           "opengaat, na werkzaamheden aan de kade die bijna twee jaar hebben geduurd.",
           "De vissers die hun boten naar het buurdorp hadden gebracht, waren blij met het "
           "nieuws, al vinden velen van hen de nieuwe tarieven nog steeds te hoog."),
    "pl": ("Rada miasta ogłosiła w poniedziałek, że stary port zostanie ponownie otwarty w "
           "przyszłym tygodniu, po remoncie nabrzeża, który trwał prawie dwa lata.",
           "Rybacy, którzy przenieśli swoje łodzie do sąsiedniej miejscowości, przyjęli tę "
           "wiadomość z ulgą, choć wielu z nich uważa, że nowe opłaty są zbyt wysokie."),
    "ru": ("Городской совет объявил в понедельник, что старый порт снова откроется на "
           "следующей неделе, после ремонта причала, который продолжался почти два года.",
           "Рыбаки, которые перевели свои лодки в соседний посёлок, встретили эту новость с "
           "облегчением, хотя многие из них считают новые сборы слишком высокими."),
    "uk": ("Міська рада оголосила в понеділок, що старий порт знову відкриється наступного "
           "тижня, після ремонту причалу, який тривав майже два роки.",
           "Рибалки, які перевели свої човни до сусіднього селища, зустріли цю новину з "
           "полегшенням, хоча багато хто з них вважає нові збори надто високими."),
    "tr": ("Belediye meclisi pazartesi günü yaptığı açıklamada, eski limanın iki yıl süren "
           "onarım çalışmalarının ardından gelecek hafta yeniden açılacağını duyurdu.",
           "Teknelerini komşu kasabaya taşıyan balıkçılar haberi sevinçle karşıladı, ancak "
           "birçoğu yeni bağlama ücretlerinin hâlâ çok yüksek olduğunu belirtti."),
    "cs": ("Městská rada v pondělí oznámila, že starý přístav bude příští týden znovu otevřen, "
           "a to po opravě nábřeží, která trvala téměř dva roky.",
           "Rybáři, kteří přesunuli své lodě do sousední obce, zprávu přivítali, ačkoli mnozí "
           "z nich považují nové poplatky za kotvení stále za příliš vysoké."),
}

CASES = [
    # loading placeholders of players and widgets
    ("de", "Video wird geladen …", "chrome.loading"),
    ("fr", "Chargement de la vidéo...", "chrome.loading"),
    ("pl", "Trwa ładowanie wideo...", "chrome.loading"),
    ("ru", "Загрузка видео...", "chrome.loading"),
    ("en", "Loading video…", "chrome.loading"),
    # the line that goes with an advertisement
    ("de", "Lesen Sie nach der Anzeige weiter", "chrome.advertisement"),
    ("en", "Story continues below advertisement", "chrome.advertisement"),
    ("fr", "La suite après cette publicité", "chrome.advertisement"),
    ("nl", "Het artikel gaat verder onder de advertentie", "chrome.advertisement"),
    ("uk", "Продовження статті нижче", "chrome.advertisement"),
    ("pl", "Dalsza część artykułu pod reklamą", "chrome.advertisement"),
    # "view the original" with a verb
    ("fr", "Voir l'article original", "chrome.read_more"),
    ("it", "Vai all'articolo originale", "chrome.read_more"),
    ("pt", "Ver notícia original", "chrome.read_more"),
    ("uk", "Переглянути оригінал статті", "chrome.read_more"),
    # datelines with an ordinal day, a 16h45 time, or two dates on one line
    ("en", "Published 14th Mar 2024, 09:12 GMT", "dateline"),
    ("en", "Updated 1st March 2024", "dateline"),
    ("fr", "Publié le 15 juillet 2024 à 16h45, mis à jour à 18h02", "dateline"),
    ("it", "Pubblicato il 12 marzo 2025 alle 11:20 | Ultimo aggiornamento: 12 marzo 2025, 13:45",
     "dateline"),
    ("pt", "Publicado a 5 mar 2024, 18:32 | Atualizado a 5 mar 2024, 20:10", "dateline"),
    # photo credits that give the agency first
    ("de", "© IMAGO/Michael Gstettenbauer", "credit.caption"),
    ("nl", "© ANP / Jeffrey Groeneweg", "credit.caption"),
    ("ru", "© РИА Новости / Евгений Биятов", "credit.caption"),
    ("es", "Barcos amarrados en el puerto viejo durante las obras. EFE/Mariscal", "credit.caption"),
    ("pl", "Nabrzeże w czasie remontu, 15 września 2024 r. Fot. PAP/Maciej Kulczyński",
     "credit.caption"),
    # "read also" written with a full stop
    ("fr", "LIRE AUSSI. Canicule : les gestes qui sauvent quand il fait plus de 35 °C",
     "related.see_also"),
    ("de", "Lesetipp: Warum die Fähre im Winter seltener fährt", "related.see_also"),
    # a second audit (2026-12-01): German buttons and prompts in other words
    ("de", "Zum Kommentarbereich", "chrome.comments"),
    ("de", "Artikel kommentieren", "chrome.comments"),
    ("de", "Audio abspielen", "chrome.share"),
    ("de", "Zur Merkliste hinzufügen", "chrome.share"),
    ("de", "Weitere Artikel anzeigen", "chrome.read_more"),
    ("de", "Seite wird geladen...", "chrome.loading"),
    ("de", "Hier für den kostenlosen Newsletter anmelden", "chrome.newsletter"),
    ("de", "Melden Sie sich an, um zu kommentieren.", "chrome.comment_form"),
    ("de", "Externe Inhalte aktivieren", "chrome.cookie"),
    ("ru", "Читайте нас", "chrome.share"),
    ("it", "Il molo durante i lavori di restauro. (Foto Ansa)", "credit.caption"),
    # Czech (cs.toml, added by that audit)
    ("cs", "Kopírovat odkaz", "chrome.share"),
    ("cs", "Článek pokračuje pod reklamou", "chrome.advertisement"),
    ("cs", "Čtěte také: Metro D začnou stavět na jaře", "related.see_also"),
    ("cs", "Pro přidání komentáře se musíte přihlásit.", "chrome.comment_form"),
    ("cs", "Odhlásit se můžete kdykoli.", "chrome.newsletter"),
    ("cs", "2 341 zobrazení", "counter"),
    ("cs", "Diskuze (45)", "counter"),
    ("cs", "Publikováno: 12. 11. 2024, 14:35", "dateline"),
    ("cs", "Přístav v Děčíně během oprav. Foto: Michal Kamaryt / ČTK", "credit.caption"),
    ("cs", "Jízdné v regionech zdraží také od ledna12. 11. 2024", "related.dated_link"),
    ("cs", "Zpět nahoru", "chrome.back_to_top"),
    # follow-us prompts, "report an error" buttons, "ad - continue below", original links
    ("es", "Síguenos en Google News", "chrome.share"),
    ("it", "Seguici su Google News", "chrome.share"),
    ("pt", "Siga-nos no Google News", "chrome.share"),
    ("nl", "Volg ons op Google Nieuws", "chrome.share"),
    ("pl", "Obserwuj nas w Google News", "chrome.share"),
    ("de", "Folgen Sie uns auf Google News", "chrome.share"),
    ("ru", "Читайте нас в Дзене", "chrome.share"),
    ("cs", "Sledujte nás na Google News", "chrome.share"),
    ("ru", "Нашли ошибку? Выделите её и нажмите Ctrl+Enter", "chrome.share"),
    ("uk", "Помітили помилку? Виділіть її та натисніть Ctrl+Enter", "chrome.share"),
    ("fr", "Signaler une erreur", "chrome.share"),
    ("es", "Reportar un error", "chrome.share"),
    ("it", "Segnala un errore", "chrome.share"),
    ("pl", "Zgłoś błąd", "chrome.share"),
    ("tr", "Hata bildir", "chrome.share"),
    ("cs", "Nahlásit chybu", "chrome.share"),
    ("fr", "Publicité - Continuez votre lecture ci-dessous", "chrome.advertisement"),
    ("es", "Publicidad - Sigue leyendo debajo", "chrome.advertisement"),
    ("it", "Pubblicità - Continua a leggere sotto", "chrome.advertisement"),
    ("pt", "Publicidade - Continue lendo abaixo", "chrome.advertisement"),
    ("nl", "Advertentie - Lees verder onder de advertentie", "chrome.advertisement"),
    ("pl", "Reklama - czytaj dalej", "chrome.advertisement"),
    ("ru", "Реклама. Продолжение ниже", "chrome.advertisement"),
    ("es", "Leer la noticia original", "chrome.read_more"),
    ("it", "Vedi articolo originale", "chrome.read_more"),
    ("pt", "Leia a matéria original", "chrome.read_more"),
    ("ru", "Открыть оригинал статьи", "chrome.read_more"),
    ("uk", "Матеріал доступний лише передплатникам", "chrome.paywall"),
    ("nl", "Foto ter illustratie", "credit.image"),
    # the consent platforms' standard sentence, and German "pay or okay" walls
    ("de", "Wir und unsere Partner speichern und/oder greifen auf Informationen auf einem "
           "Gerät zu, wie z. B. Cookies.", "chrome.cookie"),
    ("fr", "Nous et nos partenaires utilisons des cookies pour stocker et/ou accéder à des "
           "informations sur un appareil.", "chrome.cookie"),
    ("nl", "Wij en onze partners gebruiken cookies om informatie op een apparaat op te slaan "
           "en/of te openen.", "chrome.cookie"),
    ("pl", "My i nasi partnerzy przechowujemy i/lub uzyskujemy dostęp do informacji na "
           "urządzeniu, takich jak pliki cookie.", "chrome.cookie"),
    ("cs", "My a naši partneři ukládáme a/nebo používáme informace v zařízení, například "
           "soubory cookie.", "chrome.cookie"),
    # a consent banner's heading, which a dump had for its title
    ("en", "We Care About Your Privacy", "chrome.cookie"),
    ("en", "Your Privacy Choices", "chrome.cookie"),
    ("de", "Wir respektieren Ihre Privatsphäre", "chrome.cookie"),
    ("fr", "Nous respectons votre vie privée", "chrome.cookie"),
    ("es", "Valoramos tu privacidad", "chrome.cookie"),
    ("de", "Mit Werbung lesen", "chrome.advertisement"),
    ("de", "Ohne Werbung lesen mit PUR", "chrome.paywall"),
    # "read also" in other words
    ("de", "Lesen Sie dazu auch: Warum die Fähre im Winter seltener fährt", "related.see_also"),
    ("de", "Zum Weiterlesen: Warum die Fähre im Winter seltener fährt", "related.see_also"),
    ("nl", "Meer over dit onderwerp: Hittegolf voorbij", "related.see_also"),
    ("pl", "Przeczytaj: Upał odpuszcza", "related.see_also"),
    ("ru", "Подробнее: Жара отступает", "related.see_also"),
    ("uk", "Детальніше: Спека відступає", "related.see_also"),
    # read counters with a past participle, and reading times in other words
    ("pl", "Przeczytano 1 234 razy", "counter"),
    ("ru", "Прочитано 1 234 раза", "counter"),
    ("uk", "Прочитано 1 234 рази", "counter"),
    ("cs", "Přečteno 1 234×", "counter"),
    ("cs", "Zhlédnuto: 1 234", "counter"),
    ("tr", "Okuma süresi: 5 dakika", "counter"),
    ("fr", "Temps de lecture estimé : 5 min", "counter"),
    ("de", "23 Leserkommentare", "counter"),
    # sign-up consent lines, closed comments and log-in-to-comment prompts
    ("de", "Mit dem Klick auf Anmelden stimmen Sie der Datenschutzerklärung zu.",
     "chrome.newsletter"),
    ("de", "Die Kommentarfunktion für diesen Artikel ist geschlossen.", "chrome.comment_form"),
    ("fr", "En vous inscrivant, vous acceptez nos conditions générales d'utilisation.",
     "chrome.newsletter"),
    ("es", "Al registrarte aceptas la política de privacidad.", "chrome.newsletter"),
    ("it", "Per commentare è necessario essere registrati.", "chrome.comment_form"),
    ("pt", "Ao se cadastrar, você concorda com nossa política de privacidade.",
     "chrome.newsletter"),
    ("nl", "Reageren is niet meer mogelijk.", "chrome.comment_form"),
    ("pl", "Komentarze zostały wyłączone.", "chrome.comment_form"),
    ("ru", "Подписываясь, вы соглашаетесь с политикой конфиденциальности.",
     "chrome.newsletter"),
    ("uk", "Підпишіться на безкоштовну розсилку", "chrome.newsletter"),
    ("cs", "Diskuze k tomuto článku je uzavřena.", "chrome.comment_form"),
    ("tr", "Abone olarak gizlilik politikamızı kabul etmiş olursunuz.", "chrome.newsletter"),
    # an Italian dateline with its modification in brackets, a paywall offer, a
    # Brazilian follow prompt
    ("it", "12 novembre 2024 (modifica il 12 novembre 2024 | 18:02)", "dateline"),
    ("it", "Abbonati ora a 1€ al mese per 3 mesi", "chrome.paywall"),
    ("pt", "Receba as notícias do g1 no WhatsApp", "chrome.share"),
    ("de", "Erschienen am 12. März 2024", "dateline"),
    ("fr", "Paru le 12 mars 2024", "dateline"),
]


def _clean(lang: str, line: str) -> tuple[dict[str, str], str]:
    first, second = PROSE[lang]
    result = Cleaner(classifier=None, detect_lang=False).clean(f"{first}\n\n{line}\n\n{second}")
    return {r.text: r.rule for r in result.removed}, result.text


@pytest.mark.parametrize(("lang", "line", "rule"), CASES)
def test_chrome_line_in_other_words_and_languages(lang: str, line: str, rule: str) -> None:
    removed, text = _clean(lang, line)
    assert removed == {line: rule}
    assert text == "\n\n".join(PROSE[lang])


@pytest.mark.parametrize(("lang", "heading", "items"), [
    ("it", "Letture simili (4 articoli)", ["Il porto di Genova cambia gli orari estivi",
                                          "Nuove regole per le barche da pesca"]),
    ("pt", "Leituras semelhantes (3 artigos)", ["Porto de Sines bate recorde de carga",
                                               "Pescadores pedem apoio ao governo"]),
    ("en", "Related Readings (2 items)", ["Ferry timetable changes for winter",
                                          "Museum extends its opening hours"]),
])
def test_similar_readings_heading_takes_its_list(lang: str, heading: str,
                                                 items: list[str]) -> None:
    first, second = PROSE[lang]
    listing = "\n".join([heading, *items])
    result = Cleaner(classifier=None, detect_lang=False).clean(
        f"{first}\n\n{second}\n\n{listing}")
    assert result.text == "\n\n".join(PROSE[lang])
    assert {r.rule.split(".")[0] for r in result.removed} <= {"section", "related"}


@pytest.mark.parametrize(("lang", "glued", "title"), [
    ("es", "VerEl puerto reabre la próxima semana", "El puerto reabre la próxima semana"),
    ("fr", "VoirLe vieux port rouvre la semaine prochaine",
     "Le vieux port rouvre la semaine prochaine"),
    ("pl", "ZobaczStary port znów otwarty od poniedziałku",
     "Stary port znów otwarty od poniedziałku"),
    # a read-aloud or bookmark button (the second audit)
    ("de", "VorlesenDer alte Hafen öffnet wieder", "Der alte Hafen öffnet wieder"),
    ("de", "MerkenDer alte Hafen öffnet wieder", "Der alte Hafen öffnet wieder"),
    ("cs", "PoslechnoutStarý přístav se znovu otevírá", "Starý přístav se znovu otevírá"),
])
def test_a_headline_glued_to_a_button_word_loses_the_word(lang: str, glued: str,
                                                          title: str) -> None:
    first, second = PROSE[lang]
    result = Cleaner(classifier=None, detect_lang=False).clean(
        f"{glued}\n\n{first}\n\n{second}\n\n© 2024 Harbour News")
    assert result.title == title


@pytest.mark.parametrize("line", [
    "The ferry left at 16h45 and reached the island two hours later, its captain said.",
    "Le bateau partira le 15 juillet à 16h45, a précisé la capitaine du port.",
    "Sales grew 14th months in a row, according to the figures.",
    "Reuters/Ipsos polling shows a close race.",
    "The pictures were taken by the AP/NORC team in March 2024.",
])
def test_sentences_that_look_like_datelines_or_credits_stay(line: str) -> None:
    lang = "fr" if line.startswith("Le ") else "en"
    removed, text = _clean(lang, line)
    assert removed == {}, removed
    assert line in text.split("\n")


def test_a_percentage_list_inside_the_article_is_not_a_poll() -> None:
    """"Great tit — 34%" rows under a lead-in, with prose after: the article's list.
    The same rows after a poll's heading, or with a bullet, stay a widget."""
    first, second = PROSE["ru"]
    rows = "Большая синица — 34%\nЗарянка — 21%\nСнегирь — 12%"
    listing = f"{first}\n\nЧаще всего горожане видели такие виды:\n{rows}\n{second}"
    result = Cleaner(classifier=None, detect_lang=False).clean(listing)
    assert all(row in result.text.split("\n") for row in rows.split("\n"))
    poll = f"{first}\n\nОпрос\n{rows.replace(' — ', ' • ')}\n{second}"
    result = Cleaner(classifier=None, detect_lang=False).clean(poll)
    assert not any(row in result.text for row in rows.replace(" — ", " • ").split("\n"))


def test_a_percentage_list_after_a_colon_stays_with_a_short_sentence_after_it() -> None:
    """The list announced by a colon, then a five-word quote ("Hyllyt tyhjenivät
    päivässä", kertoi kauppias.): the sentence after was too short to count as prose,
    and the Finnish article's list went as a poll."""
    first, second = PROSE["en"]
    rows = "Torches: sales up 38 %\nPower banks: sales up 26 %\nCamping stoves: sales up 20 %"
    listing = (f"{first}\n\nThe most popular supplies before Christmas:\n{rows}\n"
               f"\"Shelves emptied overnight,\" said one.\n\n{second}")
    result = Cleaner(classifier=None, detect_lang=False).clean(listing)
    assert all(row in result.text.split("\n") for row in rows.split("\n"))


def test_a_poll_statement_between_its_heading_and_rows_goes_with_them() -> None:
    first, second = PROSE["nl"]
    poll = "Stelling\nDe haven had veel eerder open moeten gaan.\nEens\n71%\nOneens\n29%"
    result = Cleaner(classifier=None, detect_lang=False).clean(
        f"{first}\n\n{poll}\n\n{second}")
    assert result.text == "\n\n".join(PROSE["nl"])


def test_poll_rows_with_the_percentage_on_its_own_line() -> None:
    first, second = PROSE["it"]
    poll = "Il sondaggio\nSei favorevole al nuovo orario?\nSì\n57%\nNo\n43%\nVoti totali: 2.904"
    result = Cleaner(classifier=None, detect_lang=False).clean(
        f"{first}\n\n{poll}\n\n{second}")
    assert result.text == "\n\n".join(PROSE["it"])
    # one outcome over one percentage is no widget: a figure the article gives
    one = Cleaner(classifier=None, detect_lang=False).clean(
        f"{first}\n\nAffluenza\n57%\n\n{second}")
    assert "Affluenza\n57%" in one.text


def test_outcome_words_are_compared_folded_as_the_vocabulary() -> None:
    """"Да — 60%" rows in prose: the outcome word is what makes them a poll, and it was
    compared casefolded only, while the vocabulary folds Cyrillic look-alike letters."""
    first, second = PROSE["ru"]
    poll = "Вы поддерживаете новые сборы?:\nДа — 60%\nНет — 40%"
    result = Cleaner(classifier=None, detect_lang=False).clean(f"{first}\n\n{poll}\n{second}")
    assert "Да — 60%" not in result.text and "Нет — 40%" not in result.text


# Headings of link lists in other words (the second audit's finds): the heading and its
# headlines go; the same heading over a paragraph is the article's subheading and stays.
HEADINGS = [
    ("de", "Für Sie empfohlen"), ("de", "Das könnte Ihnen auch gefallen"),
    ("de", "Meistgeklickt"), ("de", "Weiterführende Artikel"), ("de", "Mehr aus der Region"),
    ("fr", "Nos lecteurs ont aussi lu"), ("es", "Más sobre este tema"),
    ("it", "Dalla stessa sezione"), ("pt", "Notícias mais lidas"),
    ("nl", "Meer uit deze rubriek"), ("pl", "Polecane dla Ciebie"),
    ("uk", "Вам може бути цікаво"), ("cs", "Mohlo by vás zajímat"), ("cs", "Nejčtenější"),
]
HEADLINES = {
    "de": ["Neue Radwege in der Innenstadt geplant", "Schwimmbad öffnet nach der Sanierung"],
    "fr": ["Nouvelles pistes cyclables en centre-ville", "La piscine rouvre après travaux"],
    "es": ["Nuevos carriles bici en el centro", "La piscina reabre tras las obras"],
    "it": ["Nuove piste ciclabili in centro", "La piscina riapre dopo i lavori"],
    "pt": ["Novas ciclovias no centro da cidade", "Piscina reabre depois das obras"],
    "nl": ["Nieuwe fietspaden in het centrum", "Zwembad gaat weer open na renovatie"],
    "pl": ["Nowe ścieżki rowerowe w centrum", "Basen otwarty po remoncie"],
    "uk": ["У центрі з'являться нові велодоріжки", "Басейн відкрився після ремонту"],
    "cs": ["V centru vzniknou nové cyklostezky", "Koupaliště se po rekonstrukci otevírá"],
}


@pytest.mark.parametrize(("lang", "heading"), HEADINGS)
def test_link_list_headings_in_other_words_take_their_list(lang: str, heading: str) -> None:
    first, second = PROSE[lang]
    listing = "\n".join([heading, *HEADLINES[lang]])
    result = Cleaner(classifier=None, detect_lang=False).clean(
        f"{first}\n\n{second}\n\n{listing}")
    assert result.text == "\n\n".join(PROSE[lang])
    assert {r.rule for r in result.removed} == {"section.related"}


@pytest.mark.parametrize(("lang", "heading"), HEADINGS)
def test_the_same_heading_over_a_paragraph_stays(lang: str, heading: str) -> None:
    first, second = PROSE[lang]
    text = f"{first}\n\n{heading}\n\n{second}"
    result = Cleaner(classifier=None, detect_lang=False).clean(text)
    assert result.text == text


@pytest.mark.parametrize(("lang", "line"), [
    # the second audit's "read also" words opening a sentence of the article
    ("ru", "Подробнее о новых правилах рассказал глава комитета по транспорту."),
    ("uk", "Детальніше про нові правила розповів голова комітету."),
    ("de", "Passend dazu hat die Stadt neue Parkplätze am Hafen gebaut."),
    ("pl", "Przeczytaj uważnie regulamin, zanim podpiszesz umowę."),
    # and the named-section words
    ("de", "Mehr aus der Region kam in diesem Jahr nicht in den Haushalt."),
])
def test_read_also_words_opening_a_sentence_stay(lang: str, line: str) -> None:
    removed, text = _clean(lang, line)
    assert removed == {}
    assert line in text
