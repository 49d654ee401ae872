"""The built site, read as HTML: pages, languages, links, contacts, privacy.

Expectations come from the content (`articles`, `site_content`: every
article as Pelican reads it) and the settings, so a new article or a new
reviewer never breaks a test."""

import datetime
import re
from pathlib import Path

import pytest

from conftest import CONTENT_PATH, LANGS, lang_prefix

# The clinic's original text of its first article, and that article.
ORIGINAL = Path(__file__).parent / "data" / "lumbar-pain-original.txt"
ORIGINAL_SLUG = "lumbar-pain"

# The pages the theme itself needs in every language (it links to them).
PAGES_PER_LANGUAGE = [
    "index.html",
    "contacts/index.html",
    "privacy/index.html",
    "404.html",
    "search/index.html",
]


# Latin-script words that Ukrainian and Russian texts use as they are
# ("файли cookie", the name JavaScript); any other Latin word on a uk/ru page
# is untranslated text.
LATIN_WORDS_USED_IN_UK_AND_RU = {"cookie", "JavaScript"}


def expected_pages():
    return [lang_prefix(lang) + page for lang in LANGS for page in PAGES_PER_LANGUAGE]


def article_page(entry):
    return entry["url"] + "index.html"


def page_lang(path):
    first = path.split("/", 1)[0]
    return first if first in ("en", "ru") else "uk"


def visible_text(soup):
    """The page's text a reader sees or hears, in the page's own language.

    Leaves out elements marked with another `lang` (the language switcher's
    "English") and names marked translate="no" (people's names, written as
    they write them), and adds the attributes that assistive technology reads.
    """
    page_language = soup.html["lang"]
    parts = []
    for element in soup.body.find_all(string=True):
        if element.parent.name in ("script", "style"):
            continue
        if element.find_parent(attrs={"translate": "no"}) is not None:
            continue
        marked = element.find_parent(attrs={"lang": True})
        if marked is not None and marked["lang"] != page_language:
            continue
        parts.append(str(element))
    for element in soup.find_all(attrs={"aria-label": True}):
        marked = element if element.has_attr("lang") else element.find_parent(attrs={"lang": True})
        if marked is None or marked["lang"] == page_language:
            parts.append(element["aria-label"])
    parts.append(soup.title.string)
    description = soup.find("meta", attrs={"name": "description"})
    if description:
        parts.append(description["content"])
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("path", expected_pages())
def test_every_expected_page_exists(html_pages, path):
    assert path in html_pages, f"missing page: {path}"
    assert html_pages[path].find("h1"), f"{path} has no h1"


def test_every_article_of_the_content_has_its_page(html_pages, articles):
    assert articles
    for slug, lang, entry in articles:
        path = article_page(entry)
        assert path == lang_prefix(lang) + f"{slug}/index.html"
        assert html_pages[path].h1.get_text(strip=True) == entry["title"], path


def test_every_category_page_is_per_language(html_pages):
    categories = {path for path in html_pages if "/category/" in "/" + path}
    assert {page_lang(path) for path in categories} == set(LANGS)
    for path in categories:
        soup = html_pages[path]
        links = [a["href"] for a in soup.select(".mc-article-list a")]
        assert links, f"{path} lists no articles"
        prefix = "/" + lang_prefix(page_lang(path))
        assert all(link.startswith(prefix) for link in links), links


def test_html_lang_matches_the_pages_language(html_pages):
    for path, soup in html_pages.items():
        assert soup.html["lang"] == page_lang(path), path


def hreflang_links(soup):
    return {
        link["hreflang"]: link["href"]
        for link in soup.find_all("link", rel="alternate", hreflang=True)
    }


def translated_pages(site_content):
    """{page path in the default language: [languages it has]} for the
    theme's pages and every published article."""
    pages = {page: list(LANGS) for page in PAGES_PER_LANGUAGE if page != "404.html"}
    for row in site_content["articles"]:
        langs = [lang for lang, entry in row["languages"].items() if entry and entry["status"] == "published"]
        pages[f"{row['slug']}/index.html"] = langs
    return pages


def test_hreflang_is_complete_and_reciprocal(html_pages, site_content):
    for page, langs in translated_pages(site_content).items():
        if len(langs) < 2:
            continue  # no translations: no hreflang (see the category test)
        expected = {lang: "/" + lang_prefix(lang) + page.removesuffix("index.html") for lang in langs}
        if "uk" in langs:
            expected["x-default"] = expected["uk"]
        for lang in langs:
            soup = html_pages[lang_prefix(lang) + page]
            assert hreflang_links(soup) == expected, f"{lang} version of {page}"


def test_language_switcher_leads_to_the_same_page(html_pages, site_content):
    for page, langs in translated_pages(site_content).items():
        for lang in langs:
            soup = html_pages[lang_prefix(lang) + page]
            switcher = soup.select_one(".mc-lang")
            links = {a["hreflang"]: a["href"] for a in switcher.find_all("a")}
            # The same page where it exists in that language, else that language's home.
            others = {
                other: "/" + lang_prefix(other) + (page.removesuffix("index.html") if other in langs else "")
                for other in LANGS if other != lang
            }
            assert links == others, f"{lang} version of {page}"
            current = switcher.select_one("[aria-current]")
            assert current["lang"] == lang


def test_topic_pages_are_translations_of_each_other(html_pages, articles):
    # A topic has one address in every language (its TOPICS key); its pages
    # link each other with hreflang, and the switcher leads to the same
    # topic where the language has articles on it, else to that home.
    topics = {}
    for _, lang, entry in articles:
        topics.setdefault(entry["category_url"].rstrip("/").rsplit("/", 1)[1], {})[lang] = "/" + entry["category_url"]
    assert topics
    for urls in topics.values():
        expected = dict(urls, **({"x-default": urls["uk"]} if "uk" in urls else {})) if len(urls) > 1 else {}
        for lang, url in urls.items():
            soup = html_pages[url.lstrip("/") + "index.html"]
            assert soup.html["lang"] == lang
            assert hreflang_links(soup) == expected, url
            links = {a["hreflang"]: a["href"] for a in soup.select(".mc-lang a")}
            assert links == {other: urls.get(other, "/" + lang_prefix(other)) for other in LANGS if other != lang}, url


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_no_english_ui_text_on_ukrainian_and_russian_pages(html_pages, settings, lang):
    # The preview's content report shows file names and fields: it is for
    # editors, in the preview only, and names things as they are written.
    pages = {
        path: soup for path, soup in html_pages.items()
        if page_lang(path) == lang and path != settings["CONTENT_REPORT_SAVE_AS"]
    }
    assert len(pages) >= len(PAGES_PER_LANGUAGE)
    for path, soup in pages.items():
        latin_words = set(re.findall(r"[A-Za-z]{2,}", visible_text(soup)))
        assert not latin_words - LATIN_WORDS_USED_IN_UK_AND_RU, f"{path}: Latin-script text {latin_words}"


def test_theme_strings_are_translated_in_english_too(html_pages):
    # The same check must fail on English pages, or it proves nothing.
    soup = html_pages["en/index.html"]
    assert set(re.findall(r"[A-Za-z]{2,}", visible_text(soup))) - LATIN_WORDS_USED_IN_UK_AND_RU


def test_home_pages_list_their_newest_articles_and_every_topic(html_pages, articles, settings):
    for lang in LANGS:
        soup = html_pages[lang_prefix(lang) + "index.html"]
        in_lang = sorted((entry for _, article_lang, entry in articles if article_lang == lang),
                         key=lambda entry: entry["date"], reverse=True)
        links = [a["href"] for a in soup.select(".mc-article-list a")]
        assert len(links) == min(len(in_lang), settings["HOME_ARTICLE_COUNT"])
        by_url = {"/" + entry["url"]: entry["date"] for entry in in_lang}
        assert set(links) <= set(by_url)
        assert [by_url[link] for link in links] == sorted((by_url[link] for link in links), reverse=True)
        oldest_shown = min((by_url[link] for link in links), default=None)
        assert all(date <= oldest_shown for url, date in by_url.items() if url not in links)
        topics = {a["href"] for a in soup.select(".mc-topic-list a")}
        assert topics == {"/" + entry["category_url"] for entry in in_lang}


def test_article_translations_link_both_ways(html_pages, site_content):
    for page, langs in translated_pages(site_content).items():
        if page in PAGES_PER_LANGUAGE:
            continue
        for lang in langs:
            soup = html_pages[lang_prefix(lang) + page]
            links = {a["hreflang"]: a["href"] for a in soup.select(".mc-article__translations a")}
            assert links == {other: "/" + lang_prefix(other) + page.removesuffix("index.html") for other in langs if other != lang}


# How each locale writes a date (Babel's "long" format), for the pattern test.
MONTH_NAMES = {"uk": "листопада", "en": "November", "ru": "ноября"}
LONG_DATE = {"uk": "{day} {month} {year} р.", "en": "{day} {month} {year}", "ru": "{day} {month} {year} г."}


def test_dates_are_written_for_each_locale(html_pages, articles):
    from babel.dates import format_date

    locales = {"uk": "uk_UA", "en": "en_GB", "ru": "ru_UA"}
    for _, lang, entry in articles:
        time = html_pages[article_page(entry)].select_one(".mc-article__meta time")
        assert time["datetime"] == entry["date"]
        written = format_date(datetime.date.fromisoformat(entry["date"]), "long", locale=locales[lang])
        # Babel may use no-break spaces: compare the words.
        assert " ".join(time.string.split()) == " ".join(written.split())
    # The format itself, on a fixed day: what a reader of each language expects.
    day = datetime.date(2026, 11, 23)
    assert {lang: " ".join(format_date(day, "long", locale=locale).split()) for lang, locale in locales.items()} == {
        lang: LONG_DATE[lang].format(day=23, month=MONTH_NAMES[lang], year=2026) for lang in LANGS
    }


def test_contacts_on_every_page_match_the_settings(html_pages, settings):
    tel = f"tel:{settings['PHONE']['tel']}"
    for path, soup in html_pages.items():
        lang = soup.html["lang"]
        header_call = soup.select_one(".mc-header a[href^='tel:']")
        assert header_call["href"] == tel, path
        assert settings["PHONE"]["display"] in header_call.get_text(), path
        footer = soup.select_one("footer")
        assert footer.select_one(f"a[href='{tel}']"), path
        for location in settings["LOCATIONS"]:
            assert location["street"][lang] in footer.get_text(), path
            assert footer.select_one(f"a[href='{location['map_url']}']"), path
        # The phone is never typed into content: every tel: link is the setting.
        assert {a["href"] for a in soup.select("a[href^='tel:']")} == {tel}, path


def test_contacts_pages_show_both_full_addresses(html_pages, settings):
    for lang in LANGS:
        main = html_pages[lang_prefix(lang) + "contacts/index.html"].main
        for location in settings["LOCATIONS"]:
            card = main.find(string=location["street"][lang]).find_parent("section")
            assert location["city"][lang] in card.get_text()
            assert card.select_one(f"a[href='{location['map_url']}']")
            assert card.select_one(f"a[href='tel:{settings['PHONE']['tel']}']")


def original_sentences():
    """The sentences, headings and list items of the clinic's original text."""
    lines = [line.strip(" •\t") for line in ORIGINAL.read_text(encoding="utf-8").splitlines()]
    title_index = lines.index("Lumbar pain – can massage help?")
    body = [line for line in lines[title_index:] if line]
    sentences = []
    for line in body:
        sentences.extend(part for part in re.split(r"(?<=[.!?])\s+", line) if part)
    return sentences


def original_article(html_pages, lang):
    """The page of the clinic's first article (whose original text we keep)."""
    path = f"{lang_prefix(lang)}{ORIGINAL_SLUG}/index.html"
    if not (CONTENT_PATH / "articles" / ORIGINAL_SLUG).exists():
        pytest.skip("this content has no lumbar-pain article")
    return html_pages[path]


def test_english_article_keeps_every_sentence_of_the_original(html_pages):
    soup = original_article(html_pages, "en")
    text = " ".join(soup.main.get_text(" ").split())
    sentences = original_sentences()
    # The title, 2 headings, 6 list items and 20 sentences: guards the split.
    assert len(sentences) == 29
    missing = [sentence for sentence in sentences if sentence not in text]
    assert not missing


def test_english_article_has_real_structure(html_pages):
    body = original_article(html_pages, "en").select_one(".mc-article__body")
    assert [h.get_text() for h in body.find_all("h2")] == [
        "Causes of pain in the lower back",
        "Professional back massage – pain go away",
    ]
    assert len(body.select("ul > li")) == 6


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_translations_carry_the_same_structure(html_pages, lang):
    english = original_article(html_pages, "en").select_one(".mc-article__body")
    translated = original_article(html_pages, lang).select_one(".mc-article__body")
    shape = lambda body: [child.name for child in body.find_all(recursive=False)]  # noqa: E731
    assert shape(translated) == shape(english)
    assert len(translated.select("li")) == len(english.select("li"))


def test_privacy_notice_names_what_the_form_collects(html_pages):
    text = html_pages["en/privacy/index.html"].main.get_text(" ").lower()
    for needle in ("name", "phone", "location", "comment", "12 months", "call"):
        assert needle in text


# Attributes that make a browser fetch something by itself.
FETCHING_ATTRIBUTES = [("link", "href"), ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("iframe", "src"), ("embed", "src"), ("object", "data"), ("video", "src"), ("audio", "src"), ("video", "poster")]


def test_no_external_resources_are_referenced(html_pages, site):
    fetched = 0
    for path, soup in html_pages.items():
        assert not soup.find(["iframe", "embed", "object"]), path
        for tag, attribute in FETCHING_ATTRIBUTES:
            for element in soup.find_all(tag, attrs={attribute: True}):
                if tag == "link" and set(element.get("rel", [])) & {"alternate", "canonical"}:
                    continue
                # A srcset lists several: "url 480w, url 800w".
                urls = [candidate.split()[0] for candidate in element[attribute].split(",")] \
                    if attribute == "srcset" else [element[attribute]]
                for url in urls:
                    fetched += 1
                    assert url.startswith(("/", "data:")) and not url.startswith("//"), f"{path}: {url}"
                    if url.startswith("/"):
                        assert (site / url.lstrip("/")).is_file(), f"{path}: {url} does not exist"
        for style in soup.find_all(style=True):
            assert "url(" not in style["style"], path
        # The stylesheet in the head fetches nothing either.
        for style in soup.find_all("style"):
            assert not re.search(r"url\(|@import", style.string), path
    assert fetched >= 2 * len(html_pages)  # the icons, at least


def test_icons_browsers_ask_for_are_shipped(site):
    # Browsers and phones request these by name; none may 404.
    assert (site / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (site / "apple-touch-icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
