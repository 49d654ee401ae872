"""One Pelican build, several languages.

The default language (Ukrainian) lives at the site root, every other language
under ``/<lang>/``. Pelican already links the language versions of one item
through ``ARTICLE_TRANSLATION_ID``/``PAGE_TRANSLATION_ID`` (we use the slug);
this plugin adds what Pelican lacks for a real multilingual site:

* the theme's gettext catalogues (``theme/translations/<lang>/LC_MESSAGES/
  messages.po``), chosen per page from the language of the page being
  rendered, so one template serves every language;
* ``format_date`` and ``weekday_name``, Babel filters: dates and days read as
  each locale writes them, whatever locales the system has installed;
* ``home_path(lang)``: the path of a language's home page ('' or 'en/');
* ``language_versions(item)``: every language of the site with the URL of the
  item's version in it, for hreflang links and the language switcher;
* per-language home, category, "All articles" (A to Z), search and 404
  pages and Atom feeds (Pelican writes one index, category set and feed for
  all languages mixed).

We do not use the old ``i18n_subsites`` plugin: it is not packaged for
Pelican 4.12 and runs a whole sub-build per language.
"""

import functools
import logging
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from babel.dates import format_date as babel_format_date
from babel.dates import get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator

from .addresses import (
    HOME_SLUG,
    category_page_count,
    category_page_path,
    category_page_url,
    feed_path,
    home_path,
    index_path,
    index_url,
    language_prefix,
    not_found_path,
    search_index_url,
    search_path,
    search_url,
    thanks_url,
    site_path,
)
from .build import build_state
from .files import shown
from .messages import _e
from .writer import FeedDescription

logger = logging.getLogger(__name__)

# Where the theme keeps its catalogues, relative to the theme folder.
CATALOGUE_DIR = "translations"
# The lines a .po file may hold: blank, a comment, a keyword and its quoted
# text, or more quoted text. Checked before Babel reads the file, because
# Babel takes a string without its closing quote and quietly drops its last
# character (and reports its own errors one line early).
PO_TEXT = r'"(?:[^"\\]|\\.)*"'
PO_LINE = re.compile(rf'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[[0-9]+\])?)\s+{PO_TEXT}|{PO_TEXT})?\s*')
# How dates are written on the site (a Babel format name or pattern).
DATE_FORMAT = "long"
# schema.org day codes (as in OPENING_HOURS) in Babel's weekday order.
WEEKDAY_CODES = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def read_catalogue(po_path, lang, report):
    """A .po file as a Babel catalogue, or None after reporting, with its
    line, what is wrong with it (a syntax error, a translation whose
    placeholders differ from the English)."""
    po_name = shown(po_path)
    how_to_fix = _e('each entry is msgid "English" then msgstr "translation", each text in double quotes.')
    try:
        text = po_path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        for number, line in enumerate(text.splitlines(), start=1):
            if not PO_LINE.fullmatch(line):
                report.error(po_name, number, _e("this catalogue cannot be read: the line is not a keyword and "
                                                 "its text in double quotes. Fix the line: {how}", how=how_to_fix))
                return None
        catalogue = read_po(BytesIO(text.encode("utf-8")), locale=lang, abort_invalid=True)
    except PoFileError as error:
        line = getattr(error, "lineno", 0) + 1  # Babel counts lines from 0
        report.error(po_name, line, _e("this catalogue cannot be read ({error}). Fix the line: {how}",
                                       error=str(error), how=how_to_fix))
        return None
    except (UnicodeDecodeError, ValueError) as error:
        report.error(po_name, 1, _e("this catalogue cannot be read ({error}). Save it as UTF-8 text.",
                                    error=str(error)))
        return None
    failed = False
    for message, errors in catalogue.check():
        for error in errors:
            failed = True
            report.error(po_name, message.lineno or 1, _e("the translation of “{id}” does not fit the English: "
                                                          "{error}. Keep the same %(…)s placeholders.",
                                                          id=str(message.id), error=str(error)))
    return None if failed else catalogue


def load_catalogues(settings):
    """Read the theme's .po files into gettext objects, one per language.

    The .po files are compiled in memory on every build, so a translator's
    edit shows at once and no compiled .mo file can go stale in the repo.
    Languages without a catalogue (English: the msgids are English) fall back
    to the message itself.
    """
    catalogue_root = Path(settings["THEME"]) / CATALOGUE_DIR
    report = build_state(settings).report
    catalogues = {}
    for lang in settings["LANGUAGES"]:
        po_path = catalogue_root / lang / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            catalogues[lang] = NullTranslations()
            continue
        catalogue = read_catalogue(po_path, lang, report)
        if catalogue is None:
            catalogues[lang] = NullTranslations()
            continue
        compiled = BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        catalogues[lang] = Translations(fp=compiled)
    return catalogues


def page_language(context):
    """The language of the page a template is rendering.

    Pelican passes the article or page being written; our own pages pass
    ``lang``. Everything else is in the default language.
    """
    for key in ("article", "page"):
        item = context.get(key)
        if item is not None and hasattr(item, "lang"):
            return item.lang
    return context.get("lang") or context["DEFAULT_LANG"]


def language_versions(settings, item, lang):
    """Every site language with the URL of `item` in it.

    Returns a list of dicts in the order of ``LANGUAGES``:
    ``{"lang", "name", "url", "is_current", "is_translation"}``. Where the item
    has no version in a language, ``url`` is that language's home page and
    ``is_translation`` is False, so the switcher still leads somewhere useful
    and hreflang links are written only for real translations.
    """
    versions_by_lang = {}
    if item:  # templates pass Jinja's (falsy) Undefined where there is no item
        versions_by_lang[item.lang] = item
        for translation in getattr(item, "translations", []):
            versions_by_lang.setdefault(translation.lang, translation)
    rows = []
    for code, language in settings["LANGUAGES"].items():
        version = versions_by_lang.get(code)
        rows.append(
            {
                "lang": code,
                "name": language["name"],
                "url": version.url if version else language_prefix(code, settings),
                "is_current": code == lang,
                "is_translation": version is not None,
            }
        )
    return rows


def install_template_helpers(generator):
    """Give a generator's Jinja environment our i18n callables and filters."""
    settings = generator.settings
    catalogues = settings["_MULTILINGUAL_CATALOGUES"]

    @pass_context
    def gettext(context, message):
        return catalogues[page_language(context)].gettext(message)

    @pass_context
    def ngettext(context, singular, plural, count):
        return catalogues[page_language(context)].ngettext(singular, plural, count)

    @pass_context
    def current_lang(context):
        return page_language(context)

    @pass_context
    def versions_of(context, item=None, lang=None):
        """`item` in every language, `lang` (default: the page's) the current one."""
        return language_versions(settings, item, lang or page_language(context))

    def babel_locale(context):
        return settings["LANGUAGES"][page_language(context)]["locale"]

    @functools.lru_cache(maxsize=4096)  # Babel is slow, and a list repeats dates
    def formatted_date(value, locale):
        return babel_format_date(value, DATE_FORMAT, locale=locale)

    @pass_context
    def format_date(context, value):
        return formatted_date(value, babel_locale(context))

    @pass_context
    def weekday_name(context, day_code):
        names = get_day_names("wide", locale=babel_locale(context))
        return names[WEEKDAY_CODES.index(day_code)]

    env = generator.env
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(
        current_lang=current_lang,
        language_versions=versions_of,
        home_path=lambda lang: language_prefix(lang, settings),
        feed_path=lambda lang, category=None: feed_path(lang, settings, category),
        feed_title=lambda lang, category=None: feed_title(settings, lang, category),
        index_url=lambda lang: index_url(lang, settings),
        search_url=lambda lang: search_url(lang, settings),
        thanks_url=lambda lang: thanks_url(lang, settings),
    )
    env.filters.update(format_date=format_date, weekday_name=weekday_name)


def initialise(pelican):
    """Check the settings once and load the catalogues for all generators."""
    settings = pelican.settings
    languages = settings.get("LANGUAGES")
    if not languages or settings["DEFAULT_LANG"] not in languages:
        raise SystemExit(
            "pelicanconf.py: LANGUAGES must list every site language, "
            f"DEFAULT_LANG ({settings['DEFAULT_LANG']!r}) among them."
        )
    settings["_MULTILINGUAL_CATALOGUES"] = load_catalogues(settings)


def place_home_pages(content):
    """Each language's home page is served at that language's root."""
    if getattr(content, "slug", None) != HOME_SLUG or not hasattr(content, "lang"):
        return
    content.override_url = language_prefix(content.lang, content.settings)
    content.override_save_as = home_path(content.lang, content.settings)


def prefix_categories(generator):
    """Let CATEGORY_URL's {lang_prefix} put each category under its language."""
    for article in (
        generator.articles
        + generator.translations
        + generator.drafts
        + generator.drafts_translations
        + generator.hidden_articles
        + generator.hidden_translations
    ):
        if getattr(article, "category", None) is not None:
            article.category.lang_prefix = language_prefix(
                article.lang, generator.settings
            )
            # One address for a topic in every language: its TOPICS key.
            topic = topic_of(generator.settings, article.lang, article.category.name)
            if topic is not None:
                article.category.slug = topic


def topic_of(settings, lang, name):
    """The TOPICS key of the topic called `name` in `lang` (None: unknown)."""
    return next((topic for topic, names in settings.get("TOPICS", {}).items() if names.get(lang) == name), None)


def articles_by_language(generator, articles):
    """Group articles by language, newest first, every language present."""
    by_lang = {lang: [] for lang in generator.settings["LANGUAGES"]}
    for article in articles:
        by_lang.setdefault(article.lang, []).append(article)
    for articles in by_lang.values():
        articles.sort(key=lambda article: article.date, reverse=True)
    return by_lang


def share_articles_by_lang(generator):
    """Expose ``articles_by_lang``, ``drafts_by_lang`` and ``topics_by_lang``
    ({lang: [(category, number of articles)]}, in the language's
    alphabetical order) to every template."""
    articles_by_lang = articles_by_language(generator, generator.articles + generator.translations)
    generator.context["articles_by_lang"] = articles_by_lang
    generator.context["drafts_by_lang"] = articles_by_language(
        generator, generator.drafts + generator.drafts_translations
    )
    generator.context["topics_by_lang"] = {
        lang: sorted(((category, len(articles)) for category, articles in categories_of(articles).items()),
                     key=lambda topic: collation_key(topic[0].name, lang))
        for lang, articles in articles_by_lang.items()
    }
    link_topic_translations(generator.context["topics_by_lang"])


def link_topic_translations(topics_by_lang):
    """A topic's page in each language is a translation of the others: give
    each language's category its `lang` and `translations` (the same topic
    in the languages that have articles on it), as articles have."""
    versions = {}
    for lang, topics in topics_by_lang.items():
        for category, _ in topics:
            category.lang = lang
            versions.setdefault(category.slug, []).append(category)
    for same_topic in versions.values():
        for category in same_topic:
            category.translations = [other for other in same_topic if other is not category]


# Each language's alphabet, in its order: Python compares code points, which
# puts Ukrainian ґ, є, і, ї after я (and Russian ё after я). Letters not
# listed (Latin in a Cyrillic title, digits) sort after the alphabet, by code
# point. ICU would know this, but PyICU needs a C library we do not install.
ALPHABETS = {
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "en": "abcdefghijklmnopqrstuvwxyz",
}


# The group of titles that start with no letter of the alphabet (a digit,
# a Latin word in a Cyrillic list), after the letters.
OTHER_TITLES = "#"


def collation_key(text, lang):
    """Sort `text` in `lang`'s alphabetical order, letter case ignored."""
    alphabet = ALPHABETS.get(lang, "")
    return [alphabet.index(char) if char in alphabet else len(alphabet) + ord(char) for char in text.casefold()]


@dataclass(eq=False)
class SamePage:
    """A page that each language has at its own address (the A to Z list,
    the search page). It has a `lang`, a `url` and `translations`, as an
    article has, so the language switcher and the hreflang links lead to
    the same page in the other languages."""

    lang: str
    url: str
    translations: list = field(default_factory=list)


def same_page_in_languages(urls):
    """{lang: SamePage} from {lang: url}, each the others' translation."""
    pages = {lang: SamePage(lang, url) for lang, url in urls.items()}
    for page in pages.values():
        page.translations = [other for other in pages.values() if other is not page]
    return pages


def feed_title(settings, lang, category=None):
    """A feed's title: the clinic's name in the feed's language, and for a
    topic's feed the topic's name (the articles' Category, in that language)."""
    site_name = settings["CLINIC_NAME"][lang]
    return f"{site_name}: {category.name}" if category is not None else site_name


def feed_site_url(settings):
    """The address feeds name the site's pages at (they are read away from
    the site): the site's absolute address, or a preview of a change's own
    (its feeds lead to its pages, not to the live ones)."""
    return settings["SITEURL"] if settings.get("PREVIEW_NUMBER") else settings["ABSOLUTE_SITEURL"]


def absolute_url(path, settings):
    """A path of the site as a full address, as feeds name it."""
    return f"{feed_site_url(settings)}/{path}"


def describe_feed(settings, lang, category=None):
    """A language's feed (of all its articles, or of one topic's), as the
    writer writes it. Its own address is its id: unique, and the same from
    build to build. It belongs to the language's home page, or to the
    topic's page."""
    path = feed_path(lang, settings, category)
    page = category.url if category is not None else language_prefix(lang, settings)
    return FeedDescription(
        path=path,
        title=feed_title(settings, lang, category),
        lang=lang,
        url=absolute_url(path, settings),
        page_url=absolute_url(page, settings),
        site_url=feed_site_url(settings),
        default_author=settings["CLINIC_NAME"][lang],
    )


def categories_of(articles):
    """{category: its articles}, in the order the articles come."""
    categories = {}
    for article in articles:
        categories.setdefault(article.category, []).append(article)
    return categories


class LanguagePagesGenerator(Generator):
    """Writes each language's category pages, A to Z list, search page,
    Atom feeds and 404 page."""

    def generate_output(self, writer):
        articles_by_lang = self.context.get("articles_by_lang", {})
        self.index_pages = same_page_in_languages(
            {lang: index_url(lang, self.settings) for lang in self.settings["LANGUAGES"] if articles_by_lang.get(lang)})
        self.search_pages = same_page_in_languages(
            {lang: search_url(lang, self.settings) for lang in self.settings["LANGUAGES"]})
        for lang in self.settings["LANGUAGES"]:
            articles_in_lang = articles_by_lang.get(lang, [])
            if articles_in_lang:
                writer.write_atom_feed(articles_in_lang, self.context, describe_feed(self.settings, lang))
                self.write_index(writer, lang, articles_in_lang)
            for category, articles in categories_of(articles_in_lang).items():
                writer.write_atom_feed(articles, self.context, describe_feed(self.settings, lang, category))
                self.write_category(writer, lang, category, articles)
            self.write_search(writer, lang)
            self.write_not_found(writer, lang)

    def write_not_found(self, writer, lang):
        """The language's "page not found" page.

        GitHub Pages and Netlify serve only the root /404.html, for every
        missing address: that one (the default language's) speaks every
        language, the default first, and its script shows the visitor the
        language of the address they asked for. The other languages' pages
        (/en/404.html) speak their own only: Cloudflare Pages serves the
        nearest 404.html up the address's folders, so there a visitor to
        /en/… gets the English page whole, frame and all, even without
        JavaScript; elsewhere they are never served, and cost a few KB.
        """
        languages = list(self.settings["LANGUAGES"])
        if lang == self.settings["DEFAULT_LANG"]:
            languages = [lang] + [other for other in languages if other != lang]
        else:
            languages = [lang]
        root = site_path(self.settings)
        writer.write_file(
            not_found_path(lang, self.settings),
            self.get_template("404"),
            self.context,
            lang=lang,
            not_found_languages=languages,
            # Where each language lives, as the address bar shows it ("/en/").
            language_paths={other: f"{root}/{language_prefix(other, self.settings)}" for other in languages},
            url=not_found_path(lang, self.settings),
            relative_urls=self.settings["RELATIVE_URLS"],
        )

    def write_index(self, writer, lang, articles):
        """The language's "All articles" page: A to Z by title, by letter."""
        alphabet = ALPHABETS.get(lang, "")
        groups = {}
        for article in sorted(articles, key=lambda article: collation_key(article.title, lang)):
            first = article.title[:1].casefold()
            groups.setdefault(first.upper() if first in alphabet else OTHER_TITLES, []).append(article)
        letters = [letter.upper() for letter in alphabet] + ([OTHER_TITLES] if OTHER_TITLES in groups else [])
        writer.write_file(
            index_path(lang, self.settings),
            self.get_template("index"),
            self.context,
            lang=lang,
            letters=letters,
            groups=[(letter, groups[letter]) for letter in letters if letter in groups],
            same_page=self.index_pages[lang],
            list_url=index_url(lang, self.settings),  # `url` is for Pelican's writer only
            url=index_url(lang, self.settings),
            relative_urls=self.settings["RELATIVE_URLS"],
        )

    def write_search(self, writer, lang):
        """The language's search page: the search runs in the browser, in
        this language's part of the index (tasks.building.index_for_search)."""
        writer.write_file(
            search_path(lang, self.settings),
            self.get_template("search"),
            self.context,
            lang=lang,
            same_page=self.search_pages[lang],
            search_index=search_index_url(lang, self.settings),
            site_path=site_path(self.settings),
            url=search_url(lang, self.settings),
            relative_urls=self.settings["RELATIVE_URLS"],
        )

    def write_category(self, writer, lang, category, articles):
        """A category's pages: CATEGORY_PAGE_SIZE articles each, newest first."""
        size = self.settings["CATEGORY_PAGE_SIZE"]
        count = category_page_count(len(articles), self.settings)
        page_urls = [category_page_url(category, number) for number in range(1, count + 1)]
        for number, url in enumerate(page_urls, start=1):
            writer.write_file(
                category_page_path(category, number),
                self.get_template("category"),
                self.context,
                lang=lang,
                category=category,
                articles=articles[(number - 1) * size:number * size],
                page_number=number,
                page_urls=page_urls,
                list_url=url,  # `url` is for Pelican's writer only
                url=url,
                relative_urls=self.settings["RELATIVE_URLS"],
            )


def get_generators(pelican):
    return LanguagePagesGenerator


def register():
    signals.initialized.connect(initialise)
    signals.generator_init.connect(install_template_helpers)
    signals.content_object_init.connect(place_home_pages)
    signals.article_generator_pretaxonomy.connect(prefix_categories)
    signals.article_generator_finalized.connect(share_articles_by_lang)
    signals.get_generators.connect(get_generators)
