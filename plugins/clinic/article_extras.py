"""What a health article's page shows beyond its text.

Sets on each article, for the templates to test (never the plugin's name):

* ``reading_minutes``: estimated reading time, at READING_WORDS_PER_MINUTE;
* ``headings``: [(id, text)] of its sections, for a table of contents when
  there are more than TOC_MIN_SECTIONS;
* ``reviewed_date`` / ``review_due_date``: when a specialist last checked
  it and when the next check is due (Review_due, or Reviewed plus
  REVIEW_INTERVAL_MONTHS); None when unknown;
* ``previous_article`` / ``next_article`` (by date) and
  ``related_articles`` (same category), all in the article's language.
"""

import math
import re
from html import unescape

from pelican import signals
from pelican.generators import ArticlesGenerator

from .build import build_state
from .review import review_schedule

# Reading speed for an unhurried reader of health text.
READING_WORDS_PER_MINUTE = 180
# A table of contents is shown above this many sections.
TOC_MIN_SECTIONS = 3
# How many related articles to show.
RELATED_COUNT = 3

SECTION_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
TAG = re.compile(r"<[^>]+>")


def plain_text(html):
    """The text of an HTML fragment, its white space folded."""
    return " ".join(unescape(TAG.sub(" ", html or "")).split())


def reading_minutes(html):
    words = len(plain_text(html).split())
    return max(1, math.ceil(words / READING_WORDS_PER_MINUTE))


def section_headings(html):
    return [(anchor, unescape(TAG.sub("", text)).strip()) for anchor, text in SECTION_HEADING.findall(html)]


def describe_articles(generator):
    """What follows from the fields: review dates, neighbours, related."""
    for article in every_article(generator):
        article.previous_article = article.next_article = None
        article.related_articles = []
        article.reviewed_date, article.review_due_date = review_schedule(
            getattr(article, "reviewed", None), getattr(article, "review_due", None)
        )
    link_neighbours(generator.articles + generator.translations)


def measure_articles(generators):
    """What follows from the rendered text: reading time, sections.

    Only once every generator has read its files: Pelican resolves a
    {static} link while rendering the text, and the static files are read
    last. Rendered any earlier, every {static} link would lead nowhere.
    """
    only = build_state(generators[0].settings).only_outputs  # the preview's first step: its pages only
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            for article in every_article(generator):
                if only is not None and article.save_as not in only:
                    continue
                article.reading_minutes = reading_minutes(article.content)
                article.headings = section_headings(article.content)
                article.show_toc = len(article.headings) > TOC_MIN_SECTIONS


def every_article(generator):
    return generator.articles + generator.translations + generator.drafts + generator.drafts_translations


def link_neighbours(published):
    """Previous/next by date and related by category, within one language.

    Related articles come from an index by category built once per
    language: scanning every article for each article costs n² at a
    thousand articles."""
    by_lang = {}
    for article in published:
        by_lang.setdefault(article.lang, []).append(article)
    for articles in by_lang.values():
        articles.sort(key=lambda article: article.date)
        newest_first_by_category = {}
        for article in reversed(articles):
            newest_first_by_category.setdefault(article.category, []).append(article)
        for index, article in enumerate(articles):
            article.previous_article = articles[index - 1] if index > 0 else None
            article.next_article = articles[index + 1] if index + 1 < len(articles) else None
            same_category = newest_first_by_category[article.category]
            article.related_articles = [other for other in same_category[:RELATED_COUNT + 1] if other is not article][
                :RELATED_COUNT
            ]


def register():
    signals.article_generator_finalized.connect(describe_articles)
    signals.all_generators_finalized.connect(measure_articles)
