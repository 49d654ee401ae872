"""The multilingual plugin, tested on tiny fixture sites."""

from types import SimpleNamespace

import pytest
from fixture_site import article, build_fixture_site, home, soup
from clinic.languages import initialise

FILES = {
    "articles/a/index.uk.md": article("uk", "a", "Стаття А", "Спина"),
    "articles/a/index.en.md": article("en", "a", "Article A", "Back"),
    "articles/b/index.en.md": article("en", "b", "Only in English", "Back", date="2026-02-01"),
    "pages/home/index.uk.md": home("uk"),
    "pages/home/index.en.md": home("en"),
    "pages/home/index.ru.md": home("ru"),
}


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    return build_fixture_site(tmp_path_factory.mktemp("multilingual"), FILES)


def test_default_language_at_the_root_others_under_their_prefix(output):
    assert soup(output / "a/index.html").html["lang"] == "uk"
    assert soup(output / "en/a/index.html").html["lang"] == "en"
    assert soup(output / "en/b/index.html").html["lang"] == "en"
    assert not (output / "b").exists()


def test_home_pages_sit_at_each_language_root(output):
    for prefix, lang in (("", "uk"), ("en/", "en"), ("ru/", "ru")):
        page = soup(output / f"{prefix}index.html")
        assert page.html["lang"] == lang
    assert not (output / "home").exists()


def test_home_lists_only_its_languages_articles_newest_first(output):
    english = [a["href"] for a in soup(output / "en/index.html").select(".mc-article-list a")]
    assert english == ["/en/b/", "/en/a/"]
    ukrainian = [a["href"] for a in soup(output / "index.html").select(".mc-article-list a")]
    assert ukrainian == ["/a/"]
    assert not soup(output / "ru/index.html").select(".mc-article-list a")


def test_category_pages_are_written_per_language(output):
    english = soup(output / "en/category/back/index.html")
    assert english.html["lang"] == "en"
    assert [a["href"] for a in english.select(".mc-article-list a")] == ["/en/b/", "/en/a/"]
    ukrainian = soup(output / "category/spina/index.html")
    assert [a["href"] for a in ukrainian.select(".mc-article-list a")] == ["/a/"]
    crumbs = [a["href"] for a in soup(output / "a/index.html").select(".mc-breadcrumbs a")]
    assert crumbs == ["/", "/category/spina/"]


def test_an_untranslated_article_links_to_the_other_homes(output):
    page = soup(output / "en/b/index.html")
    switcher = {a["hreflang"]: a["href"] for a in page.select(".mc-lang a")}
    assert switcher == {"uk": "/", "ru": "/ru/"}
    assert not page.find("link", hreflang=True)


def test_translated_article_has_hreflang_with_x_default(output):
    page = soup(output / "en/a/index.html")
    links = {link["hreflang"]: link["href"] for link in page.find_all("link", hreflang=True)}
    assert links == {"uk": "/a/", "en": "/en/a/", "x-default": "/a/"}


def test_each_language_has_a_translated_404_page(output):
    texts = {prefix: soup(output / f"{prefix}404.html").h1.get_text() for prefix in ("", "en/", "ru/")}
    assert texts == {"": "Сторінку не знайдено", "en/": "Page not found", "ru/": "Страница не найдена"}


def test_default_language_must_be_among_the_languages():
    # Called directly: in a build the content checks would stop first.
    pelican = SimpleNamespace(settings={"DEFAULT_LANG": "uk", "LANGUAGES": {"en": {}}, "THEME": "theme"})
    with pytest.raises(SystemExit, match="LANGUAGES must list every site language"):
        initialise(pelican)
