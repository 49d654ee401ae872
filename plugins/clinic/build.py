"""The state of one build: its report, its sources, and Pelican's complaints.

A build's ``BuildState`` lives in its settings (Pelican hands the same
settings to every reader and generator), so the reader, the checks and the
generators all add to one ``Report``.

Pelican itself logs what goes wrong while reading ("Could not process …",
"Unable to find …") and, run with ``--fatal warnings``, turns the first such
line into an exception. ``PelicanComplaints`` takes those lines instead,
while content is read and checked, and makes each a problem of the file it
is about, so the editor gets all of them as ``path:line`` lines.
"""

import datetime
import functools
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pelican.readers import ensure_metadata_list

from . import contract
from .messages import _e
from .report import ContentProblems, Report
from .sanitise import find_line, printable

STATE_SETTING = "_CLINIC_BUILD"
# Pelican's loggers that speak while content is read and checked.
PELICAN_LOGGERS = [
    "pelican.generators", "pelican.readers", "pelican.contents", "pelican.utils", "pelican.urlwrappers", "pelican.cache",
]
# Pelican's lines that one of our checks already reports in its own words, at
# the file and line that caused it (keyed by the start of Pelican's format).
SAID_BY_OUR_CHECKS = (
    'All items ("%s") "%s" are translations',  # checks.check_translations: no original
)
# A {filename} or {static} link to no file: Pelican names only the link.
LINK_TO_NOTHING = "Unable to find '%s', skipping url replacement."
# ... and for {static}, the static generator tries to read the missing file:
# checks.check_static_links reports the link at its line.
MISSING_FILE_STAMP = "Cannot get modification stamp for %s"
# Pelican finds no original among an article's versions, or several: when
# the default language's file is there but failed, its own problems are
# reported, and this is only their echo.
NO_SINGLE_ORIGINAL = "There are %s original (not translated) items %s"
# A link written {what}… with a `what` Pelican does not know ({foo}bar).
UNKNOWN_LINK_KIND = "Replacement Indicator %r not recognized in %r, skipping replacement"
# A tag, category or author whose name slugifies to nothing (Pelican names
# only the name): the field each kind of name is written in, and what
# editors call it.
NO_SLUG = 'Unable to generate valid slug for %s "%s".'
NAMED_BY_FIELD = {"Tag": ("tags", _e("tag")), "Category": ("category", _e("topic")),
                  "Author": ("author", _e("author's name"))}
# Where a complaint about no file we can find is reported: it is a bug of
# this module (a message of Pelican's it does not know), never the editor's.
UNATTRIBUTED = "plugins/clinic/build.py"


@dataclass
class BuildState:
    report: Report = field(default_factory=Report)
    sources: dict = field(default_factory=dict)  # absolute path -> reader.SourceFile
    today: datetime.date = None
    complaints: "PelicanComplaints" = None
    content_report: dict = None  # content_report.report_data(), once all is checked
    writer: object = None  # writer.CheckedWriter, which writes the pages at the end
    only_outputs: set = None  # the preview's first step: write only these pages (see checks)
    examined_with: bytes = None  # what reading a file depends on besides its bytes (rendering.digest_of)
    photos: dict = field(default_factory=dict)  # its variants -> photos.Photo: each photo the pages use, once
    refused: dict = field(default_factory=dict)  # files.check_content_files: never read {relative path: is a folder}


def build_state(settings):
    state = settings.get(STATE_SETTING)
    if state is None:
        today = settings.get("CONTENT_CHECK_DATE") or datetime.date.today()
        if isinstance(today, str):
            today = datetime.date.fromisoformat(today)
        state = settings[STATE_SETTING] = BuildState(today=today)
    return state


def display_path(path, settings):
    """A content file as editors and messages name it: content/articles/x/index.uk.md."""
    return _display_path(os.fspath(path), settings["PATH"])


# Kept: a build names each of its thousands of files several times.
@functools.lru_cache(maxsize=65536)
def _display_path(path, content):
    content = os.path.abspath(content)
    relative = os.path.relpath(os.path.abspath(path), content)
    if relative.startswith(".."):
        return path
    return f"{Path(content).name}/{Path(relative).as_posix()}"


def unread_original(path, settings):
    """True when the default language's file beside the content file `path`
    is there (a link counts: it is refused, not missing) but was not read:
    it has problems of its own, reported at its lines, and its versions
    must not be told it is missing."""
    return unread(os.path.join(os.path.dirname(path), contract.content_file_name(settings["DEFAULT_LANG"])), settings)


def unread(path, settings):
    """True when `path` is there (a link counts) but the build did not read
    it: it was refused, or has problems of its own."""
    return os.path.lexists(path) and str(Path(path).resolve()) not in build_state(settings).sources


def one_line(text):
    """Pelican's words, or a link, as one printable line of a message."""
    return printable(" ".join(str(text).split()))


class PelicanComplaints(logging.Filter):
    """Turns Pelican's warnings and errors into problems of the build, each
    at the file and line it is about.

    ``current`` is the content file being checked, for messages that do not
    name one (Pelican's "Unable to find …" does not). Otherwise the file is
    found in the message's own arguments (a content object, a path), or, for
    a tag, topic or author that gives no address, in the fields that hold
    that name. A complaint whose file cannot be found is reported at this
    module (``UNATTRIBUTED``), saying it is a bug of ours: never at the
    content folder, which tells an editor nothing.
    """

    def __init__(self, settings):
        super().__init__()
        self.settings = settings
        self.current = None

    def filter(self, record):
        if record.levelno < logging.WARNING:
            return True
        fmt = str(record.msg)
        if fmt.startswith(SAID_BY_OUR_CHECKS):
            return False
        arguments = record.args if isinstance(record.args, tuple) else ()
        if fmt.startswith(MISSING_FILE_STAMP) and arguments and not os.path.exists(str(arguments[0])):
            return False
        # Pelican logs a file it could not read from inside its `except`.
        failure = sys.exc_info()[1]
        if isinstance(failure, ContentProblems):
            return False  # the reader has already said what is wrong
        report = build_state(self.settings).report
        for path, line, message in self.problems(fmt, arguments, record.getMessage(), failure):
            report.error(path, line, message)
        return False

    def problems(self, fmt, arguments, said, failure):
        """[(path, line, message)] for one of Pelican's lines."""
        if fmt == LINK_TO_NOTHING and arguments and self.current:
            link = one_line(arguments[0])
            if self.unread_target(str(arguments[0])):
                return []  # a file with problems of its own, reported there
            return [self.at(self.current, link) + (_e(
                "the link {link} leads to no file. Check its path and spelling: {{filename}} names an article's or "
                "page's .md file (../neck-pain/index.uk.md), {{static}} a file under content/extra/.", link=link),)]
        if fmt == UNKNOWN_LINK_KIND and len(arguments) >= 2 and self.current:
            what, link = one_line(arguments[0]), one_line(arguments[1])
            return [self.at(self.current, link) + (_e(
                "the link “{link}” starts with {{{what}}}, which is not a kind of link the site knows. Use "
                "{{filename}} (an article's or page's .md file), {{static}} (a file under content/extra/), or the "
                "address itself (/neck-pain/).", link=link, what=what),)]
        if fmt.startswith(NO_SINGLE_ORIGINAL) and any(map(self.original_failed, arguments)):
            return []
        if fmt == NO_SLUG and len(arguments) >= 2:
            return self.no_address(str(arguments[0]), str(arguments[1]))
        message = one_line(said)
        if failure is not None and str(failure) not in message:
            message += f" ({type(failure).__name__}: {one_line(str(failure))})"
        paths = [self.current] if self.current else [path for path in map(self.content_path, arguments) if path]
        # What else it names (a link, a file name) finds the line; the
        # longest first, as the least likely to be found elsewhere.
        needles = sorted((one_line(argument) for argument in arguments
                          if isinstance(argument, str) and self.content_path(argument) is None), key=len, reverse=True)
        if not paths:
            return [(UNATTRIBUTED, 1, _e("Pelican said “{said}”, and the checks could not tell which file it is "
                                         "about. This is a bug of the site's checks, not of the content: tell a "
                                         "developer (PelicanComplaints in plugins/clinic/build.py must learn this "
                                         "message).", said=message))]
        return [self.at(path, *needles) + (_e("Pelican could not use this file: {said}. Fix what it names, or ask "
                                              "a developer if it is unclear.", said=message),) for path in paths]

    def no_address(self, kind, name):
        """A tag, topic or author whose name gives no address (a slug): at
        the field that names it in each file (or the link, while links are
        checked)."""
        field_key, what = NAMED_BY_FIELD.get(kind, (None, kind.lower()))
        shown = printable(name)
        message = _e("the {what} “{name}” gives no address: an address is made from a name's letters and digits, "
                     "and this one has none. Write it in letters, or remove it.", what=what, name=shown)
        if self.current:
            return [self.at(self.current, f"{{{kind.lower()}}}", name) + (message,)]
        holders = [source for source in build_state(self.settings).sources.values()
                   if field_key and name in ensure_metadata_list(source.field_text(field_key))]
        if not holders:
            return [(UNATTRIBUTED, 1, _e("Pelican could not make an address for the {what} “{name}”, and the "
                                         "checks could not tell which file names it. This is a bug of the site's "
                                         "checks, not of the content: tell a developer (PelicanComplaints in "
                                         "plugins/clinic/build.py).", what=what, name=shown))]
        return [(source.shown, source.line_of(field_key), message) for source in holders]

    def unread_target(self, link):
        """True when a {filename} link from the current file names a content
        file that is there but was not read (it has problems of its own)."""
        path = urlsplit(link).path
        folder = self.settings["PATH"] if path.startswith("/") else os.path.dirname(self.current)
        target = os.path.normpath(os.path.join(folder, path.lstrip("/")))
        return not os.path.isdir(target) and unread(target, self.settings)

    def original_failed(self, argument):
        """True when `argument` names a content file whose original is
        there but was not read (``unread_original``)."""
        path = self.content_path(argument)
        return path is not None and unread_original(path, self.settings)

    def content_path(self, argument):
        """The file an argument of Pelican's names (a content object, or a
        path absolute or relative to content/), if it is one; else None."""
        path = getattr(argument, "source_path", argument)
        if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
            return None
        path = os.path.join(self.settings["PATH"], path)  # an absolute path stays as it is
        return path if os.path.lexists(path) and not os.path.isdir(path) else None

    def at(self, path, *needles):
        """(the file as shown, the line holding the first of `needles`
        found there: in the fields or the text; else line 1)."""
        path = os.path.abspath(path)
        source = build_state(self.settings).sources.get(str(Path(path).resolve()))  # as the reader keys them
        line = None
        if source is not None:
            line = next((found for needle in needles if (found := find_line(source.lines, needle))), None)
        return display_path(path, self.settings), line or 1

    def start(self):
        # First among each logger's filters: Pelican's own (LimitFilter)
        # drops a line it has seen before, in this process (the same link
        # missing in a second file, or in the preview's next build), and
        # after five of a kind keeps only a summary ("Other invalid
        # slugs."), which names no file.
        for name in PELICAN_LOGGERS:
            logger = logging.getLogger(name)
            if self not in logger.filters:
                logger.filters.insert(0, self)
        return self

    def stop(self):
        for name in PELICAN_LOGGERS:
            logging.getLogger(name).removeFilter(self)
