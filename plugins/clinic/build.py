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

from .report import ContentProblems, Report
from .sanitise import printable

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


def build_state(settings):
    state = settings.get(STATE_SETTING)
    if state is None:
        today = settings.get("CONTENT_CHECK_DATE") or datetime.date.today()
        if isinstance(today, str):
            today = datetime.date.fromisoformat(today)
        state = settings[STATE_SETTING] = BuildState(today=today)
    return state


def display_path(path, settings):
    """A content file as editors and messages name it: content/articles/x/uk.md."""
    return _display_path(os.fspath(path), settings["PATH"])


# Kept: a build names each of its thousands of files several times.
@functools.lru_cache(maxsize=65536)
def _display_path(path, content):
    content = os.path.abspath(content)
    relative = os.path.relpath(os.path.abspath(path), content)
    if relative.startswith(".."):
        return path
    return f"{Path(content).name}/{Path(relative).as_posix()}"


def one_line(text):
    """Pelican's words, or a link, as one printable line of a message."""
    return printable(" ".join(str(text).split()))


class PelicanComplaints(logging.Filter):
    """Turns Pelican's warnings and errors into problems of the build.

    ``current`` is the content file being checked, for messages that do not
    name one (Pelican's "Unable to find …" does not).
    """

    def __init__(self, settings):
        super().__init__()
        self.settings = settings
        self.current = None

    def filter(self, record):
        if record.levelno < logging.WARNING:
            return True
        if str(record.msg).startswith(SAID_BY_OUR_CHECKS):
            return False
        arguments = record.args if isinstance(record.args, tuple) else ()
        if str(record.msg).startswith(MISSING_FILE_STAMP) and arguments and not os.path.exists(str(arguments[0])):
            return False
        state = build_state(self.settings)
        # Pelican logs a file it could not read from inside its `except`.
        failure = sys.exc_info()[1]
        if isinstance(failure, ContentProblems):
            return False  # the reader has already said what is wrong
        path = self.current or next(
            (argument for argument in arguments if isinstance(argument, str) and argument.endswith(".md")),
            None,
        )
        if path and not os.path.isabs(path):
            path = os.path.join(self.settings["PATH"], path)
        shown = display_path(path, self.settings) if path else self.settings["PATH"]
        source = state.sources.get(path) if path else None
        if record.msg == LINK_TO_NOTHING and arguments:
            link = one_line(arguments[0])
            line = source.body_line(link) if source else 1
            state.report.error(shown, line, f"the link {link} leads to no file. Check its path and spelling: "
                               "{filename} names an article's or page's .md file (../neck-pain/uk.md), "
                               "{static} a file under content/extra/.")
            return False
        message = one_line(record.getMessage())
        if failure is not None and str(failure) not in message:
            message += f" ({type(failure).__name__}: {one_line(str(failure))})"
        state.report.error(shown, 1, f"Pelican could not use this file: {message}. Fix what it names, "
                           "or ask a developer if it is unclear.")
        return False

    def start(self):
        for name in PELICAN_LOGGERS:
            logging.getLogger(name).addFilter(self)
        return self

    def stop(self):
        for name in PELICAN_LOGGERS:
            logging.getLogger(name).removeFilter(self)
