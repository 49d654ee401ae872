"""Every address the build writes, defined once.

The generators take their output paths from the functions here, and
``planned_outputs()`` lists every file a build will write, with who writes
it. Two outputs at one address, or content claiming a folder that the build
owns (``theme/``, ``feeds/``, another language's folder…), are errors that
name both: otherwise one page silently overwrites the other (an article
with Slug ``en`` would replace the English home page).
"""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from .build import build_state, display_path
from .messages import Message, _e, joined

SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
HEADERS_PATH = "_headers"
# Written by `invoke publish` for GitHub Pages.
PUBLISH_FILES = ["CNAME", ".nojekyll"]
# The CSS and JS bundles: theme/site.<hash>.css|js.
ASSETS_FOLDER = "theme/"
# The search index, written by Pagefind after Pelican (tasks.building.index_for_search).
SEARCH_FOLDER = "pagefind/"
# Each language's search page: search/, en/search/.
SEARCH_PAGE_FOLDER = "search/"
# The photos of articles and pages, in every size and format (photos.py).
PHOTO_FOLDER = "photos/"
# The web editor: its page, configuration and bundle (web_editor_bundle.py).
ADMIN_FOLDER = "admin/"
# Each language's list of all articles, A to Z: articles/, en/articles/.
INDEX_FOLDER = "articles/"
# A person's profile (people/<slug>/, en/people/<slug>/), and each
# language's list of the people who see patients (specialists/).
PEOPLE_FOLDER = "people/"
SPECIALISTS_FOLDER = "specialists/"
HOME_SLUG = "home"
THANKS_SLUG = "thanks"


def site_path(settings):
    """The path the site is served under ('' at a domain's root, '/repo'
    for a project's GitHub Pages), as SITEURL gives it."""
    return urlsplit(settings["SITEURL"]).path.rstrip("/")


def site_file_url(path, settings):
    """The URL of a file the build writes at `path` (e.g. a photo)."""
    return f"{settings['SITEURL']}/{path}"


def photo_path(digest, size, extension):
    """One size ("480", or a crop "1200x630") and format of a photo: named
    by the source's hash, so an address never holds two different files and
    can be cached for ever."""
    return f"{PHOTO_FOLDER}{digest}-{size}.{extension}"


def language_prefix(lang, settings):
    """The URL prefix of a language: '' for the default, 'en/' for English."""
    return "" if lang == settings["DEFAULT_LANG"] else f"{lang}/"


def feed_path(lang, settings, category=None):
    """A language's Atom feed: all its articles, or one category's."""
    name = category.slug if category is not None else "all"
    return f"{language_prefix(lang, settings)}feeds/{name}.atom.xml"


def category_page_url(category, number=1):
    """Page `number` of a category's list (its first page's URL comes from
    CATEGORY_URL, with the language)."""
    return category.url if number == 1 else f"{category.url}page/{number}/"


def category_page_path(category, number=1):
    return f"{category_page_url(category, number)}index.html"


def category_page_count(articles, settings):
    """How many pages a category of `articles` articles takes (at least one)."""
    size = settings["CATEGORY_PAGE_SIZE"]
    return max(1, -(-articles // size))


def index_url(lang, settings):
    """A language's "All articles" page, A to Z."""
    return f"{language_prefix(lang, settings)}{INDEX_FOLDER}"


def index_path(lang, settings):
    return f"{index_url(lang, settings)}index.html"


def search_url(lang, settings):
    """A language's search page."""
    return f"{language_prefix(lang, settings)}{SEARCH_PAGE_FOLDER}"


def search_path(lang, settings):
    return f"{search_url(lang, settings)}index.html"


def search_index_path(lang, settings):
    """The folder of a language's search index (Pagefind's bundle)."""
    return f"{SEARCH_FOLDER}{lang}/"


def search_index_url(lang, settings):
    """The folder of a language's search index, as its search page loads it."""
    return site_file_url(search_index_path(lang, settings), settings)


def person_url(slug, lang, settings):
    """A person's profile page in `lang`."""
    return f"{language_prefix(lang, settings)}{PEOPLE_FOLDER}{slug}/"


def specialists_url(lang, settings):
    """A language's "Our specialists" page (written only where someone sees patients)."""
    return f"{language_prefix(lang, settings)}{SPECIALISTS_FOLDER}"


def specialists_path(lang, settings):
    return f"{specialists_url(lang, settings)}index.html"


def thanks_url(lang, settings):
    """A language's thank-you page, where the form's provider sends a
    visitor once it has taken the request (the content page ``thanks``)."""
    return f"{language_prefix(lang, settings)}{THANKS_SLUG}/"


def not_found_path(lang, settings):
    return f"{language_prefix(lang, settings)}404.html"


def home_path(lang, settings):
    return f"{language_prefix(lang, settings)}index.html"


@dataclass(frozen=True)
class Output:
    path: str  # relative to the output folder
    what: Message  # for messages: "the article “…”", "the English Atom feed"
    lang: str = None
    source: str = None  # the content file it comes from, as shown to editors
    line: int = 1
    kind: str = "content"  # content, draft, feed, category, index, search, specialists, page404, site


def owned_folders(settings):
    """{folder: (what it is, the kinds of output that may be written in it)}."""
    folders = {ASSETS_FOLDER: (_e("the theme's CSS and JS"), {"site"}), SEARCH_FOLDER: (_e("the search index"), {"site"}),
               PHOTO_FOLDER: (_e("the photos"), {"photo"}), ADMIN_FOLDER: (_e("the web editor"), {"site"})}
    for lang in settings["LANGUAGES"]:
        prefix = language_prefix(lang, settings)
        name = settings["LANGUAGES"][lang]["name"]
        folders[f"{prefix}feeds/"] = (_e("the {language} feeds", language=name), {"feed"})
        folders[f"{prefix}category/"] = (_e("the {language} topic pages", language=name), {"category"})
        folders[f"{prefix}drafts/"] = (_e("the {language} drafts", language=name), {"draft"})
        folders[f"{prefix}{INDEX_FOLDER}"] = (_e("the {language} list of all articles", language=name), {"index"})
        folders[f"{prefix}{SEARCH_PAGE_FOLDER}"] = (_e("the {language} search page", language=name), {"search"})
        folders[f"{prefix}{SPECIALISTS_FOLDER}"] = (_e("the {language} list of specialists", language=name),
                                                    {"specialists"})
        if prefix:
            folders[prefix] = (_e("the {language} version of the site", language=name), None)  # None: any output in that language
    return folders


def content_outputs(items, settings, kind):
    state = build_state(settings)
    for item in items:
        save_as = getattr(item, "save_as", "")
        if not save_as:
            continue
        source = display_path(item.source_path, settings)
        written = state.sources.get(item.source_path)
        line = written.line_of("slug") if written else 1
        status = getattr(item, "status", "published")
        what = (_e("the article “{title}”", title=item.title) if kind == "article"
                else _e("the page “{title}”", title=item.title))
        yield Output(save_as, what, item.lang, source, line,
                     "draft" if status == "draft" else "content")


def planned_outputs(context, settings, generators):
    """Every file the build will write, as Output rows."""
    from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

    outputs = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            outputs += content_outputs(
                generator.articles + generator.translations + generator.drafts
                + generator.drafts_translations + generator.hidden_articles + generator.hidden_translations,
                settings, "article")
        elif isinstance(generator, PagesGenerator):
            outputs += content_outputs(
                generator.pages + generator.translations + generator.hidden_pages
                + generator.hidden_translations + generator.draft_pages + generator.draft_translations,
                settings, "page")
        elif isinstance(generator, StaticGenerator):
            outputs += [Output(item.save_as, _e("the file {path}", path=display_path(item.source_path, settings)),
                               kind="site")
                        for item in generator.staticfiles]
    articles_by_lang = context.get("articles_by_lang", {})
    for lang in settings["LANGUAGES"]:
        name = settings["LANGUAGES"][lang]["name"]
        outputs.append(Output(not_found_path(lang, settings), _e("the {language} “page not found” page", language=name),
                              lang, kind="page404"))
        outputs.append(Output(search_path(lang, settings), _e("the {language} search page", language=name), lang,
                              kind="search"))
        if lang in context.get("specialists_by_lang", {}):
            outputs.append(Output(specialists_path(lang, settings), _e("the {language} list of specialists",
                                                                        language=name), lang, kind="specialists"))
        articles = articles_by_lang.get(lang, [])
        if articles:
            outputs.append(Output(feed_path(lang, settings), _e("the {language} Atom feed", language=name), lang,
                                  kind="feed"))
            outputs.append(Output(index_path(lang, settings), _e("the {language} list of all articles", language=name),
                                  lang, kind="index"))
        for category, count in Counter(article.category for article in articles).items():
            outputs.append(Output(feed_path(lang, settings, category),
                                  _e("the {language} feed of “{topic}”", language=name, topic=str(category)), lang,
                                  kind="feed"))
            for number in range(1, category_page_count(count, settings) + 1):
                outputs.append(Output(category_page_path(category, number),
                                      _e("the {language} topic page “{topic}” (page {number})", language=name,
                                         topic=str(category), number=number), lang, kind="category"))
    for path in [SITEMAP_PATH, ROBOTS_PATH, HEADERS_PATH] + PUBLISH_FILES:
        outputs.append(Output(path, _e("the site's {path}", path=path), kind="site"))
    if settings.get("CONTENT_REPORT_SAVE_AS"):
        outputs.append(Output(settings["CONTENT_REPORT_SAVE_AS"], _e("the content report (preview only)"), kind="site"))
    for photo in build_state(settings).photos.values():
        outputs += [Output(variant.path, _e("a size of the photo {path}", path=display_path(photo.source, settings)),
                           kind="photo")
                    for variant in photo.variants]
    outputs.append(Output(f"{ADMIN_FOLDER}index.html", _e("the web editor"), kind="site"))
    for setting in ("CSS_FILE", "JS_FILE", "SEARCH_JS_FILE"):
        if settings.get(setting):
            outputs.append(Output(settings[setting], _e("the theme's bundle"), kind="site"))
    return outputs


def describe(output):
    return _e("{what} ({path})", what=output.what, path=output.source) if output.source else output.what


def check_addresses(outputs, settings, report):
    """Two outputs at one address, or content in a folder the build owns."""
    by_path = {}
    for output in outputs:
        by_path.setdefault(output.path, []).append(output)
    for path, claims in sorted(by_path.items()):
        if len(claims) < 2:
            continue
        for claim in claims:
            if claim.source:
                others = joined([describe(other) for other in claims if other is not claim])
                report.error(claim.source, claim.line, _e("this would be written at /{path}, where the build also "
                                                          "writes {others}. Rename the folder to give it another "
                                                          "address.", path=path, others=others))
    for output in outputs:
        if not output.source or len(by_path[output.path]) > 1:
            continue  # already said: it collides with another output
        for folder, (what, kinds) in owned_folders(settings).items():
            if not output.path.startswith(folder):
                continue
            allowed = (output.lang == folder.rstrip("/")) if kinds is None else output.kind in kinds
            if not allowed:
                report.error(output.source, output.line, _e(
                    "its address /{address} is inside /{folder}, which holds {what}. Rename the folder to give it "
                    "another address.", address=output.path.removesuffix("index.html"), folder=folder, what=what))
