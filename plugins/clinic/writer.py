"""Pelican's writer, with the differences editors and readers would otherwise meet.

* Each Atom feed is described by the plugin that knows its language
  (``FeedDescription``, from ``languages``): its own title, id, language
  (``xml:lang``) and the page it belongs to (``alternate``). Pelican's
  ``write_feed`` gives every feed the site's root as its page and id and
  puts SITENAME before every title, in the default language.
* An entry whose article names no author has the clinic, in the feed's
  language, as its author: Atom requires one, and Pelican writes an empty
  ``<author><name/></author>``.
* A feed keeps a title as the editor typed it. Pelican's writer reads a
  title as HTML and strips what looks like a tag, so “Біль <у> спині” or
  “A &amp; B” would change; titles here are text (the reader allows no
  markup in them), so the writer gets them escaped.
* A page that cannot be written ends the build with the content file's
  ``path:line`` and what went wrong, not a Python traceback. (The staging
  folder of ``invoke build``/``publish`` is then thrown away: no half-written
  site is served or pushed.)
* Pages are written on every core. Rendering templates is the second
  biggest part of a build after Markdown, and Pelican writes one page after
  another; so the pages are collected as Pelican asks for them, and once
  every generator has asked (``finalized``), a pool of processes, forked
  with the whole context already built, renders and writes them, each
  exactly as Pelican's own ``write_file`` would. Feeds are written at once.
* Each page gets its own stylesheet (``assets.PageFinisher``: the parts of
  CSS_BUNDLE its HTML uses); once all are written, ``assets.pages_written``
  tells the policy every stylesheet's hash, for ``_headers``.
* In the preview's first step after an edit (``PREVIEW_CHANGED_SOURCES``),
  only the edited files' pages are written, and no feed (Pelican 4.12 no
  longer has ``WRITE_SELECTED``).
"""

import multiprocessing
import os
from dataclasses import dataclass

from feedgenerator import Atom1Feed
from markupsafe import escape
from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import Writer

from .assets import finished, pages_written
from .build import build_state, display_path
from .messages import _e

# Below this many pages, a pool costs more than it saves.
POOL_MIN_PAGES = 60


@dataclass(frozen=True)
class FeedDescription:
    """One Atom feed, as the plugin that knows its language describes it."""

    path: str  # where it is written, relative to the output folder
    title: str  # plain text: the feed writer escapes it
    lang: str  # the feed's xml:lang
    url: str  # its own absolute address: its rel="self" link and its <id>
    page_url: str  # the absolute address of the page it belongs to: rel="alternate"
    site_url: str  # the site's absolute address, for the entries' links
    default_author: str  # an entry's author when its article names none


class FeedItem:
    """An article as the feed writer sees it: its title escaped (Pelican's
    writer strips tags from it), and an author even when it names none."""

    def __init__(self, item, default_author):
        self._item = item
        self.title = escape(item.title)
        self.author = getattr(item, "author", None) or default_author

    def __getattr__(self, name):
        return getattr(self._item, name)


class CheckedWriter(Writer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.collected = []  # (name, template, context, args, kwargs), in Pelican's order
        self.style_sources = set()  # the policy source of each page's stylesheet
        # Generators that write a file themselves (_headers, the sitemap)
        # expect the folder that the first page used to make.
        os.makedirs(self.output_path, exist_ok=True)
        build_state(self.settings).writer = self

    def write_file(self, name, template, context, *args, **kwargs):
        if name is False or name == "":
            return  # an output the settings turn off: Pelican writes nothing
        # The context as it is now: Pelican copies it when it writes, too.
        self.collected.append((name, template, context.copy(), args, kwargs))

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        # Only Pelican's own feeds come here, and they mix the languages.
        said = _e("Pelican was asked for its own feed {path}, which would mix the languages. Set that *_FEED_* "
                  "setting to None: the plugin writes each language's feeds (languages.py).", path=str(path))
        raise SystemExit(f"pelicanconf.py:1: {said}")

    def write_atom_feed(self, articles, context, description):
        """Write one Atom feed of `articles` (newest first), the newest
        FEED_MAX_ITEMS of them, as `description` says; as Pelican's
        ``write_feed`` does, with the feed's own title, id, language and
        page. Not in the preview's first step: the full build follows."""
        if build_state(self.settings).only_outputs is not None:
            return None
        feed = Atom1Feed(
            title=description.title,
            link=description.page_url,
            description="",
            language=description.lang,
            feed_url=description.url,
            feed_guid=description.url,
        )
        # Pelican's _add_item_to_the_feed makes each entry's link (and its tag:
        # id) from site_url: the absolute address, so that a feed reader can
        # follow it, in the preview too.
        self.site_url = description.site_url
        for article in articles[: self.settings["FEED_MAX_ITEMS"]]:
            self._add_item_to_the_feed(feed, FeedItem(article, description.default_author))
        signals.feed_generated.send(context, feed=feed)
        complete_path = sanitised_join(self.output_path, description.path)
        os.makedirs(os.path.dirname(complete_path), exist_ok=True)
        with self._open_w(complete_path, "utf-8") as output:
            feed.write(output, "utf-8")
        signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed

    def write_collected(self):
        """Write the collected pages: on every core when there are many."""
        pages, self.collected = self.collected, []
        only = build_state(self.settings).only_outputs
        if only is not None:
            pages = [page for page in pages if page[0] in only]
        workers = min(os.cpu_count() or 1, len(pages) // (POOL_MIN_PAGES // 2) or 1)
        names = [page[0] for page in pages]
        # One page written twice (Pelican's override_output) keeps its order.
        if (len(pages) < POOL_MIN_PAGES or workers < 2 or len(set(names)) < len(names)
                or "fork" not in multiprocessing.get_all_start_methods()):
            for page in pages:
                self.write_now(*page)
            return
        global _pages_to_write
        _pages_to_write = (self, pages)
        shares = [range(start, len(pages), workers) for start in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_write_share, shares)
        _pages_to_write = None
        failures = [failure for failure, _ in results if failure]
        if failures:
            raise SystemExit("\n".join(failures))
        for _, sources in results:
            self.style_sources |= sources

    def write_now(self, name, template, context, args, kwargs):
        try:
            return super().write_file(name, finished(template, self.settings, self.style_sources), context,
                                      *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - every failure becomes one sentence
            item = kwargs.get("article") or kwargs.get("page")
            where = display_path(item.source_path, self.settings) if item is not None else f"theme/templates/{template.name}"
            said = _e("{name} could not be written ({error}). Nothing was built: if the file looks right, ask a "
                      "developer.", name=name, error=f"{type(error).__name__}: {error}")
            raise SystemExit(f"{where}:1: {said}") from None


# The writer and its pages, for the pool's workers (they come with the fork).
_pages_to_write = None


def _write_share(indexes):
    """In a worker: write the pages at `indexes`; (the first failure's
    sentence or None, the policy sources of their stylesheets)."""
    writer, pages = _pages_to_write
    failure = None
    try:
        for index in indexes:
            writer.write_now(*pages[index])
    except SystemExit as stop:
        failure = str(stop.code)
    except BaseException as error:  # noqa: BLE001 - one sentence, never a traceback
        failure = f"theme/templates:1: a page could not be written ({type(error).__name__}: {error}). Ask a developer."
    return failure, writer.style_sources


def write_collected_pages(pelican):
    state = build_state(pelican.settings)
    if state.writer is not None:
        state.writer.write_collected()
        if state.only_outputs is None:  # the preview's first step writes a few pages: the full build follows
            pages_written.send(pelican.settings, style_sources=state.writer.style_sources)


def use_checked_writer(pelican):
    return CheckedWriter


def register():
    signals.get_writer.connect(use_checked_writer)
    signals.finalized.connect(write_collected_pages)
