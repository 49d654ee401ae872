"""What a visitor downloads does not grow with the library.

Built on a synthetic library (tools/synthetic_corpus.py, the one `invoke
bench` uses) with more articles than any list shows: each home page lists
its newest HOME_ARTICLE_COUNT articles and every topic, within the home
page's byte budget; each feed carries the newest FEED_MAX_ITEMS entries;
each topic's list runs over pages of CATEGORY_PAGE_SIZE (here 2) with a
pager; each language's "All articles" page lists every article A to Z in
that language's order, by letter; these pages pass the HTML checker and axe.
"""

import gzip
import shlex
import subprocess
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from conftest import CONTENT_PATH, LANGS, ROOT, lang_prefix
from tasks.building import pelican_command, settings_overrides
from tasks.config import CONFIG
from tools.synthetic_corpus import write_corpus

# The home page's budget (the page alone, gzip): the limit at a
# thousand articles; it must hold whatever the library's size.
MAX_HOME_GZIP_BYTES = 15 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"


# Topic pages of two articles, so that the library's topics run to pages.
PAGE_SIZE = 2


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    settings = read_settings(str(ROOT / CONFIG["settings_base"]), override={"CATEGORY_PAGE_SIZE": PAGE_SIZE})
    articles = settings["FEED_MAX_ITEMS"] + settings["HOME_ARTICLE_COUNT"] + 4
    folder = tmp_path_factory.mktemp("library")
    content = write_corpus(folder / "content", articles, CONTENT_PATH, settings)
    extra = settings_overrides(CATEGORY_PAGE_SIZE=PAGE_SIZE)
    command = pelican_command(CONFIG["settings_base"], folder / "output", extra, content)
    built = subprocess.run(shlex.split(command), cwd=ROOT, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    return folder / "output", settings, articles


@pytest.mark.parametrize("lang", LANGS)
def test_a_home_page_lists_the_newest_articles_and_every_topic_within_its_budget(library, lang):
    output, settings, articles = library
    page = (output / lang_prefix(lang) / "index.html").read_bytes()
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.select(".mc-article-list__item")) == settings["HOME_ARTICLE_COUNT"] < articles
    assert [a.get_text() for a in soup.select(".mc-topic-list a")] == sorted_topics(settings, lang)
    assert len(gzip.compress(page, compresslevel=9)) <= MAX_HOME_GZIP_BYTES


def sorted_topics(settings, lang):
    from clinic.languages import collation_key

    return sorted((names[lang] for names in settings["TOPICS"].values()), key=lambda name: collation_key(name, lang))


@pytest.mark.parametrize("lang", LANGS)
def test_every_feed_carries_only_the_newest_entries(library, lang):
    output, settings, articles = library
    feeds = sorted((output / lang_prefix(lang) / "feeds").glob("*.atom.xml"))
    assert feeds
    for feed in feeds:
        entries = ElementTree.parse(feed).getroot().findall(f"{ATOM}entry")
        assert 0 < len(entries) <= settings["FEED_MAX_ITEMS"], feed
    everything = ElementTree.parse(output / lang_prefix(lang) / "feeds/all.atom.xml").getroot()
    assert len(everything.findall(f"{ATOM}entry")) == settings["FEED_MAX_ITEMS"] < articles


@pytest.mark.parametrize(
    "lang, words",
    [
        ("uk", ["Біль", "Ґудзик", "Гора", "Єнот", "Епос", "Їжак", "Іній", "Йод", "Ирій"]),
        ("ru", ["Ёж", "Есть", "Жук", "Яма", "Ель"]),
        ("en", ["beta", "Alpha", "gamma"]),
    ],
)
def test_titles_sort_in_each_languages_alphabetical_order(lang, words):
    from clinic.languages import collation_key

    expected = {
        "uk": ["Біль", "Гора", "Ґудзик", "Епос", "Єнот", "Ирій", "Іній", "Їжак", "Йод"],
        "ru": ["Ель", "Есть", "Ёж", "Жук", "Яма"],
        "en": ["Alpha", "beta", "gamma"],
    }[lang]
    assert sorted(words, key=lambda word: collation_key(word, lang)) == expected


def topic_pages(output, lang):
    """{topic folder: [page 1, page 2, …]} of a language, parsed."""
    topics = {}
    for first in sorted((output / lang_prefix(lang) / "category").glob("*/index.html")):
        pages = [first] + sorted(first.parent.glob("page/*/index.html"), key=lambda path: int(path.parent.name))
        topics[first.parent.name] = [BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser") for path in pages]
    return topics


@pytest.mark.parametrize("lang", LANGS)
def test_a_topic_runs_over_numbered_pages_with_a_pager(library, lang):
    output, settings, articles = library
    home = BeautifulSoup((output / lang_prefix(lang) / "index.html").read_text(encoding="utf-8"), "html.parser")
    counts = {a["href"]: int("".join(filter(str.isdigit, a.parent.select_one(".mc-topic-list__count").get_text())))
              for a in home.select(".mc-topic-list a")}
    topics = topic_pages(output, lang)
    assert len(topics) == len(counts)
    for name, pages in topics.items():
        first_url = f"/{lang_prefix(lang)}category/{name}/"
        total = counts[first_url]
        assert len(pages) == -(-total // PAGE_SIZE) > 1
        urls = [first_url] + [f"{first_url}page/{number}/" for number in range(2, len(pages) + 1)]
        dates, listed = [], []
        for number, soup in enumerate(pages, start=1):
            items = soup.select(".mc-article-list__item")
            assert 1 <= len(items) <= PAGE_SIZE
            listed += [item.a["href"] for item in items]
            dates += [item.time["datetime"] for item in items]
            assert f"{number}" in soup.title.get_text() and f"{len(pages)}" in soup.title.get_text()
            assert soup.find("link", rel="canonical")["href"] == settings["ABSOLUTE_SITEURL"] + urls[number - 1]
            pager = soup.select_one("nav.mc-page-pager")
            assert pager["aria-label"]
            assert [a["href"] for a in pager.select(".mc-page-pager__page")] == urls
            assert [a["href"] for a in pager.select('[aria-current="page"]')] == [urls[number - 1]]
            assert (pager.select_one('[rel="prev"]') or {}).get("href") == (urls[number - 2] if number > 1 else None)
            assert (pager.select_one('[rel="next"]') or {}).get("href") == (urls[number] if number < len(pages) else None)
        assert len(listed) == len(set(listed)) == total  # every article once
        assert dates == sorted(dates, reverse=True)  # newest first, across pages


@pytest.mark.parametrize("lang", LANGS)
def test_all_articles_a_to_z_by_letter_in_the_languages_order(library, lang):
    from clinic.languages import ALPHABETS, OTHER_TITLES, collation_key

    output, _, articles = library
    soup = BeautifulSoup((output / lang_prefix(lang) / "articles/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("link", rel="canonical")["href"].endswith(f"/{lang_prefix(lang)}articles/")
    groups = soup.select(".mc-az-group")
    titles = [a.get_text() for group in groups for a in group.select("li a")]
    assert len(titles) == len(set(titles)) == articles
    assert titles == sorted(titles, key=lambda title: collation_key(title, lang))
    for group in groups:
        letter = group.h2.get_text()
        for title in (a.get_text() for a in group.select("li a")):
            first = title[:1].casefold()
            assert letter == (first.upper() if first in ALPHABETS[lang] else OTHER_TITLES)
    letters = soup.select(".mc-az-letters__letter")
    assert [letter.get_text() for letter in letters][:len(ALPHABETS[lang])] == list(ALPHABETS[lang].upper())
    linked = {letter.get_text(): letter["href"] for letter in letters if letter.name == "a"}
    assert set(linked) == {group.h2.get_text() for group in groups}
    assert all(soup.select_one(href).get_text() == letter for letter, href in linked.items())
    # Every title links to its article's page, which exists.
    for a in soup.select(".mc-az-group li a"):
        assert (output / a["href"].lstrip("/") / "index.html").exists(), a["href"]


def test_the_library_pages_pass_the_html_checker(library):
    from test_html_checker import run_vnu

    output, _, _ = library
    pages = [output / lang_prefix(lang) / name for lang in LANGS
             for name in ["index.html", "articles/index.html",
                          *[str(path.relative_to(output / lang_prefix(lang)))
                            for path in sorted((output / lang_prefix(lang) / "category").glob("*/page/2/index.html"))[:1]]]]
    assert len(pages) == 3 * len(LANGS)
    errors = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in run_vnu(pages)
              if m["type"] == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", ["topic page 2", "A to Z"])
def test_the_library_pages_have_no_axe_violation(library, page, lang, width, kind):
    from conftest import serving
    from test_accessibility import axe_violations, describe

    output, _, _ = library
    with serving(output) as url:
        if kind == "A to Z":
            shown = output / lang_prefix(lang) / "articles/index.html"
        else:
            shown = sorted((output / lang_prefix(lang) / "category").glob("*/page/2/index.html"))[0]
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{url}/{shown.parent.relative_to(output).as_posix()}/")
        result = axe_violations(page)
    assert result["passes"] and not result["violations"], describe(result["violations"])
