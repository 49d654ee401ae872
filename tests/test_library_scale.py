"""What a visitor downloads does not grow with the library.

Built on a synthetic library (tools/synthetic_corpus.py, the one `invoke
bench` uses) with more articles than any list shows: each home page lists
its newest HOME_ARTICLE_COUNT articles and every topic, within the home
page's byte budget; each feed carries the newest FEED_MAX_ITEMS entries.
"""

import gzip
import shlex
import subprocess
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from conftest import CONTENT_PATH, LANGS, ROOT, lang_prefix
from tasks import CONFIG, pelican_command
from tools.synthetic_corpus import TOPICS, write_corpus

# The home page's budget (the page alone, gzip): the limit at a
# thousand articles; it must hold whatever the library's size.
MAX_HOME_GZIP_BYTES = 15 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    settings = read_settings(str(ROOT / CONFIG["settings_base"]))
    articles = settings["FEED_MAX_ITEMS"] + settings["HOME_ARTICLE_COUNT"] + 4
    folder = tmp_path_factory.mktemp("library")
    content = write_corpus(folder / "content", articles, CONTENT_PATH, settings)
    command = pelican_command(CONFIG["settings_base"], folder / "output", "", content)
    built = subprocess.run(shlex.split(command), cwd=ROOT, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    return folder / "output", settings, articles


@pytest.mark.parametrize("lang", LANGS)
def test_a_home_page_lists_the_newest_articles_and_every_topic_within_its_budget(library, lang):
    output, settings, articles = library
    page = (output / lang_prefix(lang) / "index.html").read_bytes()
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.select(".mc-article-list__item")) == settings["HOME_ARTICLE_COUNT"] < articles
    assert [a.get_text() for a in soup.select(".mc-topic-list a")] == sorted_topics(lang)
    assert len(gzip.compress(page, compresslevel=9)) <= MAX_HOME_GZIP_BYTES


def sorted_topics(lang):
    from clinic.languages import collation_key

    return sorted((topic[lang] for topic in TOPICS), key=lambda name: collation_key(name, lang))


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
