"""The content contract: the one definition of what content may be.

Every rule about an article's or a page's fields, and about which files may
sit under ``content/``, is data here. The reader checks it, ``invoke new``
writes from it, the templates rely on it, and the editors' guides' field
tables are written from it (tools/guide_fields.py; a test compares them).

What a field's text may hold (its characters), and the names editors may
write instead of a field's (in Ukrainian or Russian), are here too.

Where a file lives says what it is: ``content/articles/<slug>/index.<lang>.md``
is the ``<lang>`` version of the article ``<slug>`` (Hugo's page-bundle
layout, which the web editor writes; its photos sit beside it); pages likewise under
``content/pages/``. Slug and Lang follow from that path (``PATH_METADATA``);
written in the file too, they must agree with it.
"""

import re
import unicodedata
from dataclasses import dataclass

from .messages import Message, _e

# --- Fields -----------------------------------------------------------------

ARTICLE = "article"
PAGE = "page"


@dataclass(frozen=True)
class Field:
    """One field an editor may write at the top of a file.

    name       how it is written, e.g. "Review_due" (keys are read case-blind)
    kinds      which kinds of file may have it (ARTICLE, PAGE)
    required   the kinds that must have it
    type       "text", "markdown" (rendered: Summary), "date", "lang",
               "slug", "tags" (comma-separated), "choice", "topic" (a
               name from the TOPICS setting), "hash" (a text version,
               see text_version) or "photo" (a photo's file name beside
               the text: photos.py)
    help       what to write, for messages (the guides have their own words)
    max_length the longest value, in characters (None: no limit)
    choices    the allowed values of a "choice" field
    draft      what `invoke new` writes in a new article ({title}, {today}
               are filled in; None: the line is left out)
    same_in_every_language
               True: a translation has the original's value (`invoke new
               --translation-of` copies it): the article's dates and its
               photo. Text is in its language, and so are people's names
               (transliterated: Олена → Olena) and credentials
               (лікар-невролог → neurologist): Author and Reviewer are not.
    """

    name: str
    kinds: tuple
    required: tuple
    type: str
    help: Message  # shown inside messages, in the editor's language
    max_length: int = None
    choices: tuple = ()
    draft: str = None
    same_in_every_language: bool = False

    @property
    def key(self):
        return self.name.lower()


BOTH = (ARTICLE, PAGE)
FIELDS = [
    Field("Title", BOTH, BOTH, "text", _e("the title, in this language"), 120, draft="{title}"),
    Field("Date", BOTH, (ARTICLE,), "date", _e("the publication date, as year-month-day: 2026-11-23"), draft="{today}",
          same_in_every_language=True),
    Field("Lang", BOTH, (), "lang", _e("the language; follows from the file name (index.uk.md, index.en.md, index.ru.md)")),
    Field("Slug", BOTH, (), "slug", _e("the address; follows from the folder's name, the same in every language")),
    Field("Category", (ARTICLE,), (ARTICLE,), "topic",
          _e("the topic, in this language: one of the names in TOPICS (pelicanconf.py), e.g. Біль у спині, Back pain"), 60,
          draft="TODO"),
    Field(
        "Summary", BOTH, (ARTICLE,), "markdown",
        _e("one or two sentences saying what the reader will learn (not the title again): "
        "shown in lists, feeds and to search engines"), 160,
        draft="TODO: one or two sentences, at most 160 characters.",
    ),
    Field("Modified", BOTH, (), "date", _e("the date of the last real change to the content")),
    Field("Tags", (ARTICLE,), (), "tags", _e("topics, in this language, separated by commas"), 200),
    Field("Author", (ARTICLE,), (), "text", _e("who wrote it"), 100, draft="TODO"),
    Field("Reviewer", (ARTICLE,), (), "text", _e("the name and credentials of the specialist who checked it"), 150,
          draft="TODO: name and credentials, or remove this line"),
    Field("Reviewed", (ARTICLE,), (), "date", _e("the date of that check"), same_in_every_language=True),
    Field("Review_due", (ARTICLE,), (), "date", _e("when it must be checked again; without it, one year after Reviewed"),
          same_in_every_language=True),
    Field("Condition", (ARTICLE,), (), "text", _e("what the article is about, e.g. біль у попереку"), 100),
    Field("Picture", (ARTICLE,), (), "photo",
          _e("a photo beside the text (e.g. photo.jpg) that shows what the article is about: the picture of "
          "its link when shared, and small in the lists of articles"), same_in_every_language=True),
    Field("Picture_alt", (ARTICLE,), (), "text", _e("what the Picture shows, for people who cannot see it"), 200),
    Field("Status", BOTH, (), "choice", _e("draft while it is not ready"), choices=("draft", "published", "hidden"),
          draft="draft"),
    Field(
        "Template", (PAGE,), (), "choice", _e("the page's layout, for the clinic's special pages"),
        choices=("page", "home", "contacts", "thanks"),
    ),
    Field(
        "Translated_from", (ARTICLE,), (), "hash",
        _e("in a translation: the version of the Ukrainian text it was made from (invoke new and "
        "invoke report give it); when the Ukrainian text changes, the translation shows as stale"),
    ),
    Field(
        "Claims_checked", (ARTICLE,), (), "text",
        _e("phrases a reviewer checked that the health-claims check warns about, separated by ;"), 500,
    ),
    Field(
        "Translation", BOTH, (), "choice",
        _e("true on a translation that has no original in the default language yet"),
        choices=("true", "false"),
    ),
]
FIELDS_BY_KEY = {field.key: field for field in FIELDS}

# What editors write instead of a field's name, in Ukrainian or in Russian
# (lower case): a line "Заголовок: …" at the top is then named as the
# field it means (Title), not read as the text. Field names stay English:
# the same in every language's file, and what Pelican reads.
NAMES_IN_OTHER_LANGUAGES = {
    "title": ("заголовок", "назва", "название", "наименование"),
    "date": ("дата", "дата публікації", "дата публикации", "опубліковано", "опубликовано"),
    "lang": ("мова", "язык"),
    "slug": ("адреса", "адрес", "посилання", "ссылка"),
    "category": ("категорія", "категория", "тема", "рубрика", "розділ", "раздел"),
    "summary": ("резюме", "опис", "описание", "анотація", "аннотация", "короткий опис", "краткое описание"),
    "modified": ("змінено", "изменено", "оновлено", "обновлено", "дата зміни", "дата изменения"),
    "tags": ("теги", "теґи", "мітки", "метки", "ключові слова", "ключевые слова"),
    "author": ("автор", "авторка"),
    "reviewer": ("рецензент", "перевірив", "проверил", "експерт", "эксперт"),
    "reviewed": ("перевірено", "проверено", "дата перевірки", "дата проверки"),
    "review_due": ("наступна перевірка", "следующая проверка", "перевірити до", "проверить до"),
    "condition": ("стан", "состояние", "захворювання", "заболевание", "діагноз", "диагноз"),
    "picture": ("фото", "зображення", "изображение", "картинка", "світлина"),
    "picture_alt": ("опис фото", "описание фото", "опис зображення", "описание изображения"),
    "status": ("статус", "стан статті", "состояние статьи"),
    "template": ("шаблон", "макет"),
    "translated_from": ("перекладено з", "переведено с", "переклад з", "перевод с"),
    "claims_checked": ("перевірені твердження", "проверенные утверждения"),
    "translation": ("переклад", "перевод"),
}


def fields_for(kind):
    return [field for field in FIELDS if kind in field.kinds]


def new_article(title, today, translated_from=None, known=None):
    """The text of a new draft article: its fields, then a text to replace.
    A translation records the version of the original it starts from, and
    starts with the values already `known` ({key: value}: the fields the
    same in every language, its topic's name in its language)."""
    known = known or {}
    lines = [f"{field.name}: {known[field.key] if field.key in known else field.draft.format(title=title, today=today)}"
             for field in fields_for(ARTICLE) if field.key in known or field.draft is not None]
    if translated_from:
        lines.append(f"{FIELDS_BY_KEY['translated_from'].name}: {translated_from}")
    body = (f"{UNFINISHED}: write the article here. Keep sentences short.\n\n"
            f"## {UNFINISHED}: a section heading\n\n"
            f"{UNFINISHED}: the section's text.\n")
    return "\n".join(lines) + "\n\n" + body


# Article statuses a file may say; "hidden" is for pages only.
STATUS_OF = {ARTICLE: ("draft", "published"), PAGE: ("draft", "published", "hidden")}
# What `invoke new` writes where something is still to be written; a
# published file may not keep it.
UNFINISHED = "TODO"
# A date as editors write it: year-month-day, optionally a time.
DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
# How far after the build's day a Date or Modified may be (a day, because
# the editor's clock and the build's may be in different time zones), but
# for a draft's; a Reviewed date likewise, draft or not (a check to come has
# not been made).
FUTURE_DAYS_ALLOWED = 1
# Small Latin letters and digits, in words joined by single hyphens.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 80
# A version of a text: the first characters of its SHA-256.
TEXT_VERSION = re.compile(r"[0-9a-f]{12}")
# When a review is due and when to start warning about it.
REVIEW_INTERVAL_MONTHS = 12
REVIEW_WARNING_DAYS = 30
# Plain language: sentences longer than this are hard to read in pain.
SENTENCE_MAX_WORDS = 25

# --- Characters -------------------------------------------------------------

# What a field may hold, by Unicode general category: an allow-list.
# Letters (L), marks (M: accents, an emoji's variation selector), numbers
# (N), punctuation (P), symbols (S: ₴, °, emoji) and spaces (Zs: the
# ordinary one, and the no-break and narrow ones Ukrainian and Russian
# typography puts before a dash or inside a number). Nothing else, because
# what else there is cannot be seen or shown: controls (Cc), which no page
# shows and feeds (XML) cannot carry at all; format characters (Cf: zero-width
# spaces, bidirectional controls that reorder how text is shown, soft
# hyphens), invisible, and able to make a title that looks right read,
# sort and search wrong; line and paragraph separators (Zl, Zp), which break
# a one-line field; private-use characters (Co), unassigned code points and
# noncharacters (Cn), which have no agreed look; and surrogates (Cs), half
# of a character each. Tabs never reach a field (read as spaces, as Markdown
# reads them), and only Summary continues over lines (see the reader).
FIELD_CATEGORIES = ("L", "M", "N", "P", "S", "Zs")
# The two joiners are format characters but part of what they join: the
# zero-width joiner inside an emoji sequence (a woman doctor is woman, ZWJ,
# staff of Aesculapius), the non-joiner inside words of some scripts.
FIELD_JOINERS = frozenset("\u200c\u200d")
# A field must show something: a letter, a number, punctuation or a symbol;
# a value of spaces, joiners and marks alone is invisible.
VISIBLE_CATEGORIES = ("L", "N", "P", "S")


def field_may_hold(char):
    return char in FIELD_JOINERS or unicodedata.category(char).startswith(FIELD_CATEGORIES)


def is_visible(char):
    return unicodedata.category(char).startswith(VISIBLE_CATEGORIES)


# What an article's text may not hold: what XML 1.0 cannot carry (the text
# goes into the feeds, which are XML): the C0 controls but tab, line feed
# and carriage return, the surrogates, and U+FFFE and U+FFFF. (A pattern:
# every line of every text is searched for it.)
XML_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_may_hold(char):
    return not XML_REFUSED.match(char)


# --- Files ------------------------------------------------------------------

# Where content lives, relative to content/, and what kind it is.
KIND_OF_FOLDER = {"articles": ARTICLE, "pages": PAGE}
CONTENT_EXTENSION = ".md"
# <folder>/<slug>/index.<lang>.md, as Pelican's PATH_METADATA reads it: the
# slug and language of every content file follow from its path. The web
# editor (Sveltia CMS) can write translations side by side only as
# <name>.<lang>.md, so a text is its folder's `index` in each language.
CONTENT_FILE_STEM = "index"
PATH_METADATA = (rf"(?:{'|'.join(KIND_OF_FOLDER)})/(?P<slug>[^/]+)/{CONTENT_FILE_STEM}\.(?P<lang>[^/.]+)"
                 rf"{re.escape(CONTENT_EXTENSION)}")


def content_file_name(lang):
    """The file name of a text's `lang` version: index.uk.md."""
    return f"{CONTENT_FILE_STEM}.{lang}{CONTENT_EXTENSION}"


def language_of_file_name(name):
    """The language an index.<lang>.md file name gives (None: not one)."""
    stem, dot, rest = name.partition(".")
    lang, _, extension = rest.rpartition(".")
    if stem != CONTENT_FILE_STEM or not lang or "." in lang or f".{extension}" != CONTENT_EXTENSION:
        return None
    return lang


# Files that editors' tools leave beside the ones they edit (lock files,
# swap files, backups, folder thumbnails): skipped without a word.
EDITOR_LEFTOVERS = [
    re.compile(pattern)
    for pattern in (
        r"\..*",  # .#uk.md (Emacs lock), .uk.md.swp (Vim), .DS_Store, .~lock.uk.md#
        r".*~",  # index.uk.md~ (backups)
        r"#.*#",  # #uk.md# (Emacs auto-save)
        r"~\$.*",  # ~$uk.md (Office)
        r".*\.(swp|swo|swx|tmp|bak|orig|kate-swp)",
        r"4913",  # Vim's write test
        r"Thumbs\.db|desktop\.ini",
    )
]
# Static files (copied as they are): only under these folders of content/,
# only of these types, and no larger than this. No SVG: it can hold a script.
# Photos: beside an article's or a page's text (articles/<slug>/photo.jpg),
# of these types (.heic and .heif: an iPhone's photos); the build checks,
# cleans and resizes them into AVIF, WebP and JPEG (photos.py).
PHOTO_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
STATIC_TYPES = {".ico", ".png", ".jpg", ".jpeg", ".webp", ".avif", ".txt", ".pdf"}
STATIC_MAX_BYTES = 5 * 1024 * 1024


def is_editor_leftover(name):
    return any(pattern.fullmatch(name) for pattern in EDITOR_LEFTOVERS)
