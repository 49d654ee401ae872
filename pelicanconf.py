"""Pelican settings for the local preview (`make serve`, `make html`).

Production overrides live in publishconf.py, which starts from this file.
The clinic's facts (name, phone, locations, hours, topics) are the editors':
they live in content/clinic.yaml, read below into the settings every
template reads: never type them into a template or an article.
"""

# --- The site ------------------------------------------------------------

SITEURL = ""  # local preview: root-relative links, served at http://127.0.0.1:8000
RELATIVE_URLS = False  # language sub-sites (/en/, /ru/) need root-based links
TIMEZONE = "Europe/Kyiv"
PATH = "content"  # the content folder (a build may name another)

# Ukrainian is the default language and lives at the site root (the
# state-language law requires the Ukrainian version to be shown by default).
DEFAULT_LANG = "uk"
# Every language of the site, in the order the language switcher shows them.
# `name` is the language's own name; `locale` is the Open Graph/Babel locale.
LANGUAGES = {
    "uk": {"name": "Українська", "locale": "uk_UA"},
    "en": {"name": "English", "locale": "en_GB"},
    "ru": {"name": "Русский", "locale": "ru_UA"},
}

# --- The clinic: its facts, from content/clinic.yaml --------------------------

# What editors change about the clinic (its name, phone, opening hours,
# locations, and the topics articles are filed under) is data in the content
# folder, content/clinic.yaml, read here into the settings every template and
# plugin reads: CLINIC_NAME ({lang: name}), PHONE ({"tel": E.164, "display":
# as the clinic writes it}), OPENING_HOURS ([{"days": ["Mo", …], "opens":
# "09:00", "closes": "20:00"}]), LOCATIONS ([{"id", "street": {lang: …},
# "city": {lang: …}, "country", "map_url"}]) and TOPICS ({slug: {lang:
# name}}). Its contract is plugins/clinic/clinic_data.py. A file with
# problems never stops this file (every task reads it): what is wrong is
# left out, and the build names each problem at its line before writing.
CLINIC_DATA_FILE = "clinic.yaml"  # in PATH


def _read_clinic_data():
    """plugins/clinic/clinic_data.py, with the two modules it needs beside
    it, loaded from their files as modules of a package of their own:
    importing the `clinic` package here would load the whole Pelican plugin
    while the settings are still being read."""
    import importlib
    import sys
    import types
    from pathlib import Path

    here = Path(__file__).resolve().parent
    package = "clinic_settings_modules"
    if package not in sys.modules:
        sys.modules[package] = types.ModuleType(package)
        sys.modules[package].__path__ = [str(here / "plugins" / "clinic")]
    clinic_data = importlib.import_module(f"{package}.clinic_data")
    path = here / PATH / CLINIC_DATA_FILE
    facts, _problems = clinic_data.read_settings_from(path, LANGUAGES)  # the build reports them (clinic_data.apply)
    return {**facts, "CLINIC_DATA_SOURCE": str(path)}


_clinic = _read_clinic_data()
CLINIC_NAME = _clinic["CLINIC_NAME"]
PHONE = _clinic["PHONE"]
OPENING_HOURS = _clinic["OPENING_HOURS"]  # empty until the clinic gives its hours: pages show none
LOCATIONS = _clinic["LOCATIONS"]
TOPICS = _clinic["TOPICS"]  # a topic's pages in every language are translations of each other
CLINIC_DATA_SOURCE = _clinic["CLINIC_DATA_SOURCE"]  # the file read, for the build's check
SITENAME = CLINIC_NAME[DEFAULT_LANG]  # what Pelican itself calls the site

# --- Call-back requests ----------------------------------------------------------

# Where the call-back form posts. For the preview, `make serve` starts a small
# local receiver here that prints every request it gets (tools/callback_receiver.py);
# the published site takes the real endpoint from the environment (publishconf.py).
CALLBACK_ENDPOINT = "http://127.0.0.1:8001/callback"
# The site's absolute address, for the form's hidden `page` and `_next` fields:
# the provider sees them out of the site's context, so they must be absolute.
ABSOLUTE_SITEURL = "http://127.0.0.1:8000"
# The number of the change this build previews (`invoke publish --preview N`
# sets it, publishconf.py checks it); 0: the site itself, not a preview.
PREVIEW_NUMBER = 0
# The names the form provider gives its special fields (Formspree's, which most
# form services copy). Switching providers is a change here, not in templates.
CALLBACK_PROVIDER_FIELDS = {
    "subject": "_subject",  # the e-mail's subject line
    "next": "_next",  # where to send a visitor after a plain (no-JS) post
    "honeypot": "_gotcha",  # left empty by people; bots fill it in
}
# How long the form waits for the provider's answer; after that the request
# may have arrived, and the form says it could not confirm it.
CALLBACK_TIMEOUT_SECONDS = 15
# The most characters a visitor may write in each free-text field. The form's
# hints, counters and checks read them from here (nothing is ever cut: a
# longer text is shown as an error and not sent). The privacy notice states
# the comment's limit in words: change it there too (a test compares them).
CALLBACK_FIELD_LIMITS = {"name": 100, "message": 500}

# --- Content -----------------------------------------------------------------

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages", "people"]  # people: a profile each (plugins/clinic/people.py)
STATIC_PATHS = ["extra"]
# Files that must sit at the site root (browsers ask for them there).
EXTRA_PATH_METADATA = {
    "extra/favicon.ico": {"path": "favicon.ico"},
    "extra/apple-touch-icon.png": {"path": "apple-touch-icon.png"},
    "extra/images/share.png": {"path": "images/share.png"},
}
# The picture link previews show (Open Graph's 1200×630), drawn by
# tools/draw_share_image.py from the clinic's name and phone.
SHARE_IMAGE = {"path": "images/share.png", "width": 1200, "height": 630}

# Where a file is says what it is: content/articles/<slug>/index.<lang>.md gives
# its Slug and Lang. The plugin sets PATH_METADATA from the content contract
# (plugins/clinic/contract.py), the one definition of that rule.

# All language versions of one article share its Slug; that is how they are
# linked as translations.
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"

# Ukrainian at the root, other languages under /<lang>/.
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
# Drafts are built for the preview only (publishconf.py writes none).
LIST_DRAFTS = True
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_LANG_URL = "{lang}/drafts/{slug}/"
DRAFT_LANG_SAVE_AS = "{lang}/drafts/{slug}/index.html"
# Category pages are written per language by the multilingual plugin, which
# fills {lang_prefix}; Pelican's own single-language ones are switched off.
CATEGORY_URL = "{lang_prefix}category/{slug}/"
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
# Home pages are Markdown pages (content/pages/home/), so editors can write them.
DIRECT_TEMPLATES = []

# A language's home page lists its newest articles, this many, and every
# topic: the whole library is one click away, and the page stays small at a
# thousand articles.
HOME_ARTICLE_COUNT = 6

# A topic's page lists this many articles; more go on pages 2, 3, … at
# category/<topic>/page/<n>/, with a pager.
CATEGORY_PAGE_SIZE = 20

# Each feed carries the newest entries only, in full. Twenty is months of
# articles at the clinic's pace, enough for a reader who looks in rarely;
# with articles of 1,000 words a feed is then about 350 KB (45 KB
# compressed) however large the library, not every article ever written.
FEED_MAX_ITEMS = 20

# Pelican's own feeds mix the languages: the multilingual plugin writes one
# Atom feed per language and per category instead.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        # `!!! warning "When to see a doctor"` blocks, for contraindications.
        "markdown.extensions.admonition": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# --- Theme and plugins --------------------------------------------------------

THEME = "theme"
THEME_STATIC_PATHS = []  # the assets plugin bundles theme/css itself
PLUGIN_PATHS = ["plugins"]
# One package (plugins/clinic/), a module per concern; its register() states
# the order they run in.
PLUGINS = ["clinic"]
JINJA_ENVIRONMENT = {
    # Escape every value by default; Markdown output is marked `| safe`.
    "autoescape": True,
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
    # Every build makes its own environment (the preview forks a new Pelican
    # per build), so a template never changes under one: checking each
    # template file's time at every include only cost time.
    "auto_reload": False,
}
# Scripts (theme/js/), concatenated in this order into one hashed file.
JS_BUNDLE = ["callback-form.js"]
# Printed after the call-back form (allowed by its hash): loads JS_BUNDLE
# when the visitor comes to the form, not with the page.
FORM_LOADER_BUNDLE = ["callback-form-loader.js"]
# Printed in the root 404.html (allowed by its hash): shows the "page not
# found" text in the language of the missing address.
NOT_FOUND_LANGUAGE_BUNDLE = ["not-found-language.js"]
# The search page's script, a bundle of its own: no other page loads it.
SEARCH_JS_BUNDLE = ["search.js"]
# Stylesheets (theme/css/), in this order, minified into each page's <head>:
# a page carries the files whose classes it uses, and every file with a rule
# that selects something other than a class (plugins/clinic/assets.py).
CSS_BUNDLE = [
    "tokens.css",
    "base.css",
    "layout.css",
    "skip-link.css",
    "header.css",
    "language-switcher.css",
    "breadcrumbs.css",
    "article.css",
    "admonition.css",
    "content-tables.css",
    "footnotes.css",
    "photo.css",
    "article-list.css",
    "topic-list.css",
    "az-index.css",
    "pager.css",
    "page-pager.css",
    "search.css",
    "not-found.css",
    "location-card.css",
    "person.css",
    "contact-actions.css",
    "home.css",
    "field.css",
    "button.css",
    "callback-form.css",
    "preview-banner.css",
    "footer.css",
    "print.css",  # @media print only; last, so it wins
]

# --- Editors' tools --------------------------------------------------------------

# The content report (every article's languages, reviews and translations) as
# a page of the preview; publishconf.py empties it: never published.
CONTENT_REPORT_SAVE_AS = "content-report/index.html"
# The publish policy: what stops `invoke publish` (and CI's publish job).
# Errors always do. Of the warnings (their kinds are listed in
# plugins/clinic/report.py), these do too. An unreviewed article does not:
# its page says plainly that no specialist has reviewed it yet. A review
# that is overdue does: a health page must not stay out of date unnoticed.
PUBLISH_BLOCKING_WARNINGS = ["review-overdue"]

# The language of every message the tools give an editor (problems,
# warnings, the content report, the tasks' sentences): uk, en or ru. The
# environment variable EDITOR_LANGUAGE overrides it (EDITOR_LANGUAGE=en
# invoke check). Messages live in plugins/clinic/editor_messages/.
EDITOR_LANGUAGE = "uk"

# The GitHub repository the web editor (/admin/) proposes its changes to, as
# owner/name: each save there is a branch and a pull request on it. A
# placeholder here: the local preview's editor works on the working copy
# instead (its local-repository mode). publishconf.py takes the repository
# the site is built from (GITHUB_REPOSITORY, which GitHub Actions sets).
EDITOR_REPOSITORY = "owner/repository"

DEFAULT_PAGINATION = False
SUMMARY_MAX_LENGTH = None
