"""What the site's tools tell an editor, in the editor's language.

Every sentence an editor reads from ``invoke check``, ``make html``,
``invoke new``, ``invoke report`` and ``invoke publish`` is written once, in
English, with named placeholders, as ``_e("{field} is missing. …",
field=…)``, and translated in gettext catalogues of its own domain
(``editor``), apart from the theme's (``messages``, the visitors' text):

    plugins/clinic/editor_messages/editor.pot              extracted from the code
    plugins/clinic/editor_messages/<lang>/LC_MESSAGES/editor.po

``invoke translations`` extracts the keywords ``_e`` (one text) and ``_en``
(a singular and a plural, chosen by ``count``) from plugins/clinic/ and the
tasks, and updates the catalogues; tests/test_editor_messages.py fails
while a message has no Ukrainian or Russian translation, or a translation's
placeholders differ from the English.

A ``Message`` keeps what it is (its English text, the msgid, and its
parameters) and is rendered into words only when it is shown: a problem
found in a worker process (``rendering``) travels as data and is put into
words by the process that prints it, and a test asks which message was
given, with which parameters, whatever the language. Parameters that are
words of ours (``kind``: article or page) are Messages themselves, so they
are translated with the sentence; what the editor typed (a field's value, a
file name, a field name such as ``Title``) is kept as typed.

The language is ``EDITOR_LANGUAGE`` in pelicanconf.py (Ukrainian), or the
environment variable of that name, which wins (``EDITOR_LANGUAGE=en
invoke check``). The catalogues are read with Babel in memory, as the
theme's are, so no compiled .mo file can go stale in the repository.
"""

import functools
import os
import string
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

# The languages the editor's messages are written in; the first is the default.
EDITOR_LANGUAGES = ("uk", "en", "ru")
DEFAULT_EDITOR_LANGUAGE = EDITOR_LANGUAGES[0]
SETTING = "EDITOR_LANGUAGE"  # the setting, and the environment variable that overrides it
DOMAIN = "editor"
CATALOGUE_DIR = Path(__file__).resolve().parent / "editor_messages"

# How the catalogue's template is extracted from the code (`invoke
# translations`, and the test that it is in step): the keywords _e and _en
# only (not gettext's `_`), from these folders of the project.
EXTRACT_OPTIONS = ("--no-default-keywords", "--keyword=_e", "--keyword=_en:1,2", "--no-location", "--sort-output",
                   "--omit-header", "--width=120")
EXTRACTED_FROM = ("plugins/clinic", "tasks", "publishconf.py", "tools/preview_comment.py")

# The language messages are shown in: set from the settings when a build or
# a task starts (use_language); until then, the environment's or the default.
_language = None


@dataclass(frozen=True, order=True)
class Message:
    """One sentence (or part of one) for an editor: its identity is `id`,
    the English text (the msgid), and `params`, ((name, value), …), each
    value a str, an int, or a Message rendered in the same language."""

    id: str
    params: tuple = ()
    plural: str = None  # msgid_plural: chosen by the parameter `count`

    @property
    def arguments(self):
        """The parameters as a dict: {name: value}."""
        return dict(self.params)

    def render(self, lang):
        translations = catalogue(lang)
        arguments = {name: render(value, lang) for name, value in self.params}
        if self.plural is None:
            text = translations.gettext(self.id)
        else:
            text = translations.ngettext(self.id, self.plural, self.arguments["count"])
        return text.format(**arguments)

    def __str__(self):
        return self.render(language())


@dataclass(frozen=True, order=True)
class Joined:
    """Several parts (str or Message) shown one after another, joined by
    `separator`: e.g. the reasons a date is not a date."""

    parts: tuple
    separator: object = "; "  # a str, or a Message (“ and ”, which is a word)

    def render(self, lang):
        return render(self.separator, lang).join(render(part, lang) for part in self.parts)

    def __str__(self):
        return self.render(language())


@dataclass(frozen=True, order=True)
class DateWords:
    """A date (year-month-day) in words of the editor's language, by a
    Babel pattern: "d MMMM y" (3 December 2026, 3 грудня 2026), "LLLL y"
    (the month alone: December 2026, грудень 2026)."""

    date: str
    pattern: str = "d MMMM y"

    def render(self, lang):
        import datetime

        return format_date(datetime.date.fromisoformat(self.date), self.pattern, locale=lang)

    def __str__(self):
        return self.render(language())


def _e(text, /, **params):
    """A message to an editor (``text`` is extracted into the catalogue)."""
    return Message(text, _frozen(params))


def _en(singular, plural, /, **params):
    """A message counted by its parameter ``count``: one form per number."""
    assert "count" in params, singular
    return Message(singular, _frozen(params), plural)


def joined(parts, separator="; "):
    return Joined(tuple(parts), separator)


def _frozen(params):
    """Parameters as a tuple, so that a Message is hashable. They keep the
    order they are given in (each message is written once, so always the
    same order): problems at one line are sorted by them, the first first
    ("{name} is missing": by the field's name)."""
    for name, value in params.items():
        assert isinstance(value, (str, int, Message, Joined, DateWords)), (name, value)
    return tuple(params.items())


def render(value, lang=None):
    """A message, a part of one, or a plain value, as text in `lang` (by
    default the editor's language)."""
    lang = lang or language()
    if isinstance(value, (Message, Joined, DateWords)):
        return value.render(lang)
    return str(value)


def placeholders(text):
    """The named placeholders of a message's text: {"field", "help"}."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@functools.lru_cache(maxsize=None)
def catalogue(lang):
    """The compiled catalogue of `lang` (read once per process). A message
    not yet in it is shown in English, its msgid; the catalogue test fails
    until it is translated."""
    po_path = CATALOGUE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po_path.open("rb") as po_file:
        parsed = read_po(po_file, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, parsed)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


class UnknownLanguage(ValueError):
    """EDITOR_LANGUAGE names a language the messages are not written in;
    ``message`` says so (shown in the default language: the editor's is
    not known)."""

    def __init__(self, message):
        super().__init__(message.render(DEFAULT_EDITOR_LANGUAGE))
        self.message = message


def chosen_language(settings=None, environment=None):
    """The editor's language: the environment variable EDITOR_LANGUAGE, else
    the setting, else Ukrainian. Raises UnknownLanguage for any other value."""
    environment = os.environ if environment is None else environment
    value = environment.get(SETTING) or (settings or {}).get(SETTING) or DEFAULT_EDITOR_LANGUAGE
    if value not in EDITOR_LANGUAGES:
        raise UnknownLanguage(_e("EDITOR_LANGUAGE is “{value}”, which is not a language of these messages: set it "
                                 "to one of {allowed}.", value=str(value), allowed=", ".join(EDITOR_LANGUAGES)))
    return value


def use_language(settings=None, environment=None):
    """Show messages from now on in the language the settings and the
    environment choose; returns it. An unknown one leaves the default in
    use, and raises UnknownLanguage for the caller to report."""
    global _language
    _language = DEFAULT_EDITOR_LANGUAGE
    _language = chosen_language(settings, environment)
    return _language


def language():
    """The language messages are shown in now."""
    if _language is not None:
        return _language
    try:
        return chosen_language()
    except UnknownLanguage:
        return DEFAULT_EDITOR_LANGUAGE
