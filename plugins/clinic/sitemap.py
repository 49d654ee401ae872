"""sitemap.xml with hreflang alternates, and robots.txt pointing to it
(and keeping crawlers out of the previews of changes; a preview has neither).

Written by us because pelican-plugins' sitemap writes ``ref=`` instead of
``href=`` in its hreflang links. The XML is built with ElementTree, never
by pasting strings.

Lists every published page: articles, pages (not hidden ones such as the
404 and thank-you pages), each language's home and category pages. Drafts
are never listed. Each entry has ``lastmod`` (an article's Modified or
Date; a page's Modified, Date or file time; a home or category page's
newest article) and, where the page has translations, an
``xhtml:link rel="alternate"`` for every language version, itself included,
plus ``x-default`` (the Ukrainian version).
"""

import datetime
import os
from pathlib import Path
from xml.etree import ElementTree

from pelican import signals
from pelican.generators import Generator

from .addresses import ROBOTS_PATH, SITEMAP_PATH, category_page_count, category_page_url, index_url, site_path
from .build import build_state
from .languages import categories_of
from .site_settings import PREVIEW_FOLDER

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"


def day(value):
    """A date or datetime as the W3C date a sitemap wants (YYYY-MM-DD)."""
    return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()


def last_change(item):
    when = getattr(item, "modified", None) or getattr(item, "date", None)
    if when is None:  # a page without dates: when its source file changed
        when = datetime.date.fromtimestamp(os.path.getmtime(item.source_path))
    return when


def entry(url, lastmod, alternates=()):
    return {"loc": url, "lastmod": lastmod, "alternates": list(alternates)}


def alternates_of(item, absolute, default_lang):
    """[(hreflang, URL)] for an item with translations, else []."""
    versions = [item] + list(getattr(item, "translations", []))
    if len(versions) < 2:
        return []
    links = sorted((version.lang, absolute(version.url)) for version in versions)
    default = [url for lang, url in links if lang == default_lang]
    return links + [("x-default", default[0])] if default else links


def sitemap_entries(context, settings):
    """Every published page of the site, with its lastmod and alternates."""
    base = settings["ABSOLUTE_SITEURL"]
    absolute = lambda path: f"{base}/{path}"  # noqa: E731
    default_lang = settings["DEFAULT_LANG"]
    entries = []
    newest_by_lang = {}
    for lang, articles in context["articles_by_lang"].items():
        for article in articles:
            entries.append(entry(absolute(article.url), day(last_change(article)), alternates_of(article, absolute, default_lang)))
        if articles:
            newest_by_lang[lang] = max(day(last_change(article)) for article in articles)
        for category, members in categories_of(articles).items():
            newest = max(day(last_change(article)) for article in members)
            for number in range(1, category_page_count(len(members), settings) + 1):
                alternates = alternates_of(category, absolute, default_lang) if number == 1 else []
                entries.append(entry(absolute(category_page_url(category, number)), newest, alternates))
    # Each language's list of all articles: the same page in every language.
    index_pages = sorted((lang, absolute(index_url(lang, settings))) for lang in newest_by_lang)
    default = [url for lang, url in index_pages if lang == default_lang]
    index_alternates = index_pages + [("x-default", default[0])] if len(index_pages) > 1 and default else []
    for lang, url in index_pages:
        entries.append(entry(url, newest_by_lang[lang], index_alternates))
    # Each language's "Our specialists" page, where it has one (people.py).
    specialists = sorted((lang, absolute(url)) for lang, url in context.get("specialists_urls", {}).items())
    specialists_default = [url for lang, url in specialists if lang == default_lang]
    specialists_alternates = (specialists + [("x-default", specialists_default[0])]
                              if len(specialists) > 1 and specialists_default else [])
    for lang, url in specialists:
        newest = max(day(last_change(person)) for person in context["specialists_by_lang"][lang])
        entries.append(entry(url, newest, specialists_alternates))
    for original in context["pages"]:
        for page in [original] + list(original.translations):
            if page.status != "published":
                continue
            lastmod = day(last_change(page))
            if page.slug == "home":
                lastmod = max(lastmod, newest_by_lang.get(page.lang, lastmod))
            entries.append(entry(absolute(page.url), lastmod, alternates_of(page, absolute, default_lang)))
    entries.sort(key=lambda item: item["loc"])
    return entries


def sitemap_xml(entries):
    ElementTree.register_namespace("", SITEMAP_NAMESPACE)
    ElementTree.register_namespace("xhtml", XHTML_NAMESPACE)
    urlset = ElementTree.Element(f"{{{SITEMAP_NAMESPACE}}}urlset")
    for item in entries:
        url = ElementTree.SubElement(urlset, f"{{{SITEMAP_NAMESPACE}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}loc").text = item["loc"]
        ElementTree.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}lastmod").text = item["lastmod"]
        for hreflang, href in item["alternates"]:
            ElementTree.SubElement(
                url, f"{{{XHTML_NAMESPACE}}}link", {"rel": "alternate", "hreflang": hreflang, "href": href}
            )
    ElementTree.indent(urlset)
    return ElementTree.tostring(urlset, encoding="unicode", xml_declaration=True) + "\n"


def robots_txt(settings):
    """Crawlers may read the whole site but the previews of changes (at the
    site's own path: a project site at /repo/ keeps out /repo/pr-preview/)."""
    previews = f"{site_path(settings)}/{PREVIEW_FOLDER}/"
    return (
        f"User-agent: *\nDisallow: {previews}\nAllow: /\n\n"
        f"Sitemap: {settings['ABSOLUTE_SITEURL']}/{SITEMAP_PATH}\n"
    )


class SitemapGenerator(Generator):
    """Writes sitemap.xml and robots.txt once every page is known."""

    def generate_output(self, writer):
        if build_state(self.settings).only_outputs is not None:
            return  # the preview's first step after an edit writes the edited pages only
        if self.settings.get("PREVIEW_NUMBER"):
            # A preview of a change is no part of the site search engines
            # should know: no sitemap, and no robots.txt (crawlers read it
            # only at the host's root, where the live site's keeps them out).
            return
        output = Path(self.output_path)
        entries = sitemap_entries(self.context, self.settings)
        (output / SITEMAP_PATH).write_text(sitemap_xml(entries), encoding="utf-8")
        (output / ROBOTS_PATH).write_text(robots_txt(self.settings), encoding="utf-8")


def get_generators(pelican):
    return SitemapGenerator


def register():
    signals.get_generators.connect(get_generators)
