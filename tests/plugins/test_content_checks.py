"""The content checks (issue 9): every kind of bad input stops the build with
`path:line: what is wrong and how to fix it`, exit code 1, no traceback and
nothing written; what the allow-list allows still builds.

Reading is checked inside Pelican's own reader (plugins/clinic/reader.py), on
the HTML Markdown actually produced, through an nh3 allow-list
(sanitise.py); files are checked before Pelican looks at them (files.py);
addresses once everything is read (addresses.py).

To stay fast, fixture sites are shared: one build holds every broken file
that the reader or the address check must refuse (each case in a folder of
its own, so each test reads the lines of its own files), one build holds
every valid file that must pass. Checks that stop the build before reading
(files, the theme's catalogues) get a build each; they stop in milliseconds.
"""

import contextlib
import datetime
import io
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest
from bs4 import BeautifulSoup
from fixture_site import ROOT, copy_project, fixture_settings, home, people_files, run_invoke, soup
from pelican import Pelican
from pelican.settings import read_settings
from test_content_properties import safety_problems

from clinic import contract, messages, sanitise
from clinic.build import build_state
from clinic.checks import failing_warning_kinds
from clinic.messages import _e
from clinic.report import closing_sentence
from clinic.review import add_months

TODAY = datetime.date(2026, 11, 23)

VALID_UK = """Title: Біль у шиї
Date: 2026-11-01
Category: Біль у спині
Summary: Звідки береться біль у шиї і коли варто звернутися до фахівця.
Reviewer: test-reviewer
Reviewed: 2026-10-01

Короткий текст статті.

## Розділ

Ще один абзац.
"""
VALID_EN = """Title: Neck pain
Date: 2026-11-01
Category: Back pain
Summary: Where *neck pain* comes from & when to see a specialist.
Reviewer: test-reviewer
Reviewed: 2026-10-01

A short text.
"""
# with_text() adds a snippet after a blank line: its first line is line 14.
TEXT = 14


def with_text(snippet):
    return VALID_UK + "\n" + snippet


def with_field(line):
    """VALID_UK with `line` added after Reviewed (it becomes line 7)."""
    return VALID_UK.replace("Reviewed: 2026-10-01\n", f"Reviewed: 2026-10-01\n{line}\n")


# The homes, and the (fictional) person the valid articles name as reviewer.
HOMES = {"pages/home/index.uk.md": home("uk"), "pages/home/index.en.md": home("en"), **people_files(("uk",))}

# A problem line as editors see it (the path and line as they type them,
# whatever the language).
PROBLEM = re.compile(r"^(?P<path>\S+):(?P<line>[0-9]+): (?P<message>\S.*)$")
# The language the tests describe messages in: each problem's message
# (which message, with which parameters) shown in English through the
# catalogue, whatever language the build printed in (see Built).
DESCRIBED_IN = "en"


# --- Building fixture sites ------------------------------------------------------------------


@dataclass
class Built:
    """What one in-process build did: its exit code (None: it finished),
    what it printed on stderr, its output folder, and its Report (the
    problems as data: which message, with which parameters).

    ``errors`` and ``warnings`` are the report's problems as lines, each
    message described in English (DESCRIBED_IN) whatever the editor's
    language; ``assert_stopped`` checks that the build printed exactly those
    problems, in the editor's language."""

    code: object
    printed: str
    output: Path
    report: object = None
    fail_on: object = ()

    @property
    def lines(self):
        return [line for line in self.printed.splitlines() if line.strip()]

    @property
    def warnings(self):
        failing = set(self.report.failing_warnings(self.fail_on))
        return [f"{warning.path}:{warning.line}: {warning.message.render(DESCRIBED_IN)}  "
                f"[{'warning, stops a publish' if warning in failing else 'warning'}]"
                for warning in sorted(self.report.warnings)]

    @property
    def errors(self):
        return [f"{error.path}:{error.line}: {error.message.render(DESCRIBED_IN)}" for error in sorted(self.report.errors)]

    @property
    def problems(self):
        """The errors, as data (report.Problem)."""
        return sorted(self.report.errors)

    def errors_of(self, *paths):
        return [line for line in self.errors if line.split(":")[0] in [f"content/{path}" for path in paths]]

    def warnings_of(self, path, besides=()):
        """The warnings of `path`, but those of the kinds `besides` (e.g.
        "no-source": every reviewed fixture article without a source has it;
        tests/plugins/test_sources.py tests it)."""
        return [line for line, warning in zip(self.warnings, sorted(self.report.warnings))
                if line.startswith(f"content/{path}:") and warning.code not in besides]


def build(root, files, prepare=None, **overrides):
    """Build `files` ({path under content/: str, or bytes written as they
    are}) into root/output; `prepare(content_folder)` may add links and
    such first. Returns Built; never raises SystemExit."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    texts = {}
    for path, text in files.items():
        if isinstance(text, bytes):
            (content / path).parent.mkdir(parents=True, exist_ok=True)
            (content / path).write_bytes(text)
        else:
            texts[path] = text
    if prepare:
        prepare(content)
    printed = io.StringIO()
    code = None
    settings = fixture_settings(root, texts, CONTENT_CHECK_DATE=TODAY, **overrides)
    with contextlib.redirect_stderr(printed):
        try:
            Pelican(settings).run()
        except SystemExit as stop:
            code = stop.code
    return Built(code, printed.getvalue(), root / "output", build_state(settings).report,
                 failing_warning_kinds(settings))


def printed_problems(built):
    """The lines a build prints for its problems, in the editor's language:
    the warnings (with their label), then the errors."""
    failing = set(built.report.failing_warnings(built.fail_on))
    warned = [f"{warning}  [{_e('warning, stops a publish') if warning in failing else _e('warning')}]"
              for warning in sorted(built.report.warnings)]
    return warned + [str(error) for error in sorted(built.report.errors)]


def assert_stopped(built):
    """Exit code 1, nothing written, and nothing printed but the report's
    problems, one line each in the editor's language, and the closing
    sentence (so: no traceback)."""
    assert built.code == 1, built.printed
    assert not built.output.exists() or not any(built.output.iterdir())
    assert "Traceback" not in built.printed
    assert built.errors, built.printed
    assert built.lines == printed_problems(built) + [str(closing_sentence(built.report.failures(built.fail_on), True))]


def assert_built(built):
    assert built.code is None, built.printed
    assert built.errors == [], built.errors
    assert "Traceback" not in built.printed
    # What it printed of its problems is its warnings, in the editor's language.
    assert [line for line in built.lines if PROBLEM.match(line)] == printed_problems(built), built.printed


def assert_errors(built, expected, *paths):
    """The errors of `paths` are exactly `expected`: [(path, line, part of
    the message, as DESCRIBED_IN)], in the order printed (by path, then
    line); and each is a message of the catalogue, translated into every
    language with all its parts."""
    errors = built.errors_of(*paths)
    assert len(errors) == len(expected), "\n".join(errors)
    for error, (path, line, message) in zip(errors, expected):
        assert error.startswith(f"content/{path}:{line}: "), error
        assert message in error, error
    for problem in built.problems:
        if problem.path in [f"content/{path}" for path in paths]:
            assert_translated(problem.message)


def assert_translated(message):
    """`message` and every message among its parameters has its Ukrainian
    and Russian text in the catalogues (not the English, shown for want of
    one)."""
    for lang in ("uk", "ru"):
        known = messages.catalogue(lang)._catalog
        assert message.id in known or (message.id, 0) in known, (lang, message.id)
    for value in message.arguments.values():
        for part in (value.parts if isinstance(value, messages.Joined) else (value,)):
            if isinstance(part, messages.Message):
                assert_translated(part)


# --- Everything the reader and the address check refuse, in one build ------------------------


@dataclass
class Case:
    """One broken article (or a few files), and the errors it must give:
    [(line, part of the message)] for its one file, or [(path, line, part)]."""

    id: str
    files: dict
    expected: list
    marks: tuple = ()
    paths: list = field(default=None)

    def __post_init__(self):
        if isinstance(self.files, (str, bytes)):
            self.files = {f"articles/{self.id}/index.uk.md": self.files}
        if self.expected and len(self.expected[0]) == 2:
            only = next(iter(self.files))
            self.expected = [(only, line, message) for line, message in self.expected]
        if self.paths is None:
            self.paths = list(dict.fromkeys(path for path, _, _ in self.expected)) or list(self.files)


NOT_ALLOWED = "which is not allowed"
RUNS_NOTHING = "the site runs and loads nothing that an article brings"

HIDDEN_HTML = [
    # Raw HTML that a line-by-line reading of the file would not see as HTML.
    Case("script-in-admonition", with_text('!!! note "Примітка"\n    Текст.\n    <script>alert(1)</script>\n'),
         [(TEXT + 2, f"the text contains the element <script>, {NOT_ALLOWED}. Remove it")]),
    Case("handler-in-list-continuation", with_text('- пункт\n\n    <img src="/neck-pain/" alt="x" onerror="alert(1)">\n'),
         [(TEXT + 2, "the text contains an onerror= attribute on <img>, which could run code")]),
    Case("handler-in-lazy-continuation", with_text('Абзац тексту\n<em onclick="alert(1)">тут</em> і далі.\n'),
         [(TEXT + 1, "the text contains an onclick= attribute on <em>")]),
    Case("handler-in-lazy-list-item", with_text('- пункт\nпродовження <b onmouseover="alert(1)">тут</b>\n'),
         [(TEXT + 1, "the text contains an onmouseover= attribute on <b>")]),
    Case("entity-encoded-scheme", with_text("[натисніть](jav&#x61;script:alert(1))\n"),
         [(TEXT, "the link “javascript:alert(1)” is not allowed. Links may lead to https://")]),
    Case("entity-encoded-scheme-in-html", with_text('<a href="jav&#x61;script:alert(1)">натисніть</a>\n'),
         [(TEXT, "the link “javascript:alert(1)” is not allowed")]),
    Case("decimal-entity-scheme", with_text("[x](&#106;avascript:alert(1))\n"),
         [(TEXT, "the link “javascript:alert(1)” is not allowed")]),
    Case("attribute-on-the-next-line", with_text('<a\nhref="/neck-pain/"\nonclick="alert(1)">x</a>\n'),
         [(TEXT + 2, "the text contains an onclick= attribute on <a>")]),
    Case("attr-list-handler", with_text('## Розділ два {: onclick="alert(1)" }\n\nТекст.\n'),
         [(TEXT, "the text contains an onclick= attribute on <h2>")]),
    Case("attr-list-style", with_text('Абзац.\n{: style="color: red" }\n'),
         [(TEXT + 1, "a style= attribute on <p> is not allowed")]),
    Case("attr-list-class", with_text("Абзац.\n{: .danger }\n"),
         [(TEXT + 1, "the class “danger” on <p> is not one the site styles")]),
    Case("unclosed-code-fence", with_text("```\n<script>alert(1)</script>\n"),
         [(TEXT + 1, "the text contains the element <script>")]),
    Case("newline-in-a-link", with_text('<a href="java&#10;script:alert(1)">x</a>\n'),
         [(TEXT, "is not allowed. Links may lead to")]),
]

HARMFUL_ELEMENTS = [
    Case("meta-refresh", with_text('<meta http-equiv="refresh" content="0;url=https://evil.example/">\n'),
         [(TEXT, f"the text contains the element <meta>, {NOT_ALLOWED}. Remove it: articles are plain Markdown, and {RUNS_NOTHING}")]),
    Case("base", with_text('<base href="https://evil.example/">\n'), [(TEXT, "the element <base>")]),
    Case("form", with_text('<form action="https://evil.example/"><input name="q"></form>\n'),
         [(TEXT, "the element <form>"), (TEXT, "the element <input>")]),
    Case("style-element", with_text("<style>body { display: none }</style>\n"), [(TEXT, "the element <style>")]),
    Case("external-stylesheet", with_text("<link rel=stylesheet href=https://evil.example/x.css>\n"),
         [(TEXT, "the element <link>")]),
    Case("tracking-pixel-html", with_text('<img src="https://tracker.example/p.gif" alt="x">\n'),
         [(TEXT, "the image “https://tracker.example/p.gif” does not come from this site. Put the picture's file in the site")]),
    Case("tracking-pixel-markdown", with_text("![піксель](https://tracker.example/p.gif)\n"),
         [(TEXT, "the image “https://tracker.example/p.gif” does not come from this site")]),
    Case("protocol-relative-image", with_text("![піксель](//tracker.example/p.gif)\n"),
         [(TEXT, "the image “//tracker.example/p.gif” does not come from this site")]),
    Case("data-image", with_text("![x](data:image/png;base64,AAAA)\n"),
         [(TEXT, "the image “data:image/png;base64,AAAA” does not come from this site")]),
    Case("data-link", with_text("[x](data:text/html;base64,PHNjcmlwdD4=)\n"),
         [(TEXT, "the link “data:text/html;base64,PHNjcmlwdD4=” is not allowed")]),
    Case("protocol-relative-link", with_text("[x](//evil.example/)\n"), [(TEXT, "the link “//evil.example/” is not allowed")]),
    Case("vbscript-link", with_text("[x](vbscript:msgbox(1))\n"), [(TEXT, "the link “vbscript:msgbox(1)” is not allowed")]),
    Case("danger-box", with_text('!!! danger "Увага"\n    Текст.\n'),
         [(TEXT, "a box of the kind “danger” is not one the site has. Use one of: !!! note, !!! urgent, !!! warning.")]),
    Case("h1-heading", with_text("# Заголовок\n\nТекст.\n"),
         [(TEXT, "the element <h1>, which is not allowed. Use ## for sections")]),
    Case("setext-h1-heading", with_text("Текст.\n\nЗаголовок\n=========\n\nТекст.\n"),
         [(TEXT + 3, "the element <h1>, which is not allowed. Use ## for sections")]),
    Case("table-alignment", with_text("| а | б |\n|:--|--:|\n| 1 | 2 |\n"),
         [(TEXT + 1, "a style= attribute on <td> is not allowed"), (TEXT + 1, "a style= attribute on <th> is not allowed")]),
    # From the old validator's list.
    Case("script", with_text("<script>alert(1)</script>\n"), [(TEXT, "the element <script>")]),
    Case("event-attribute", with_text('<img src=x alt=x onerror="alert(1)">\n'), [(TEXT, "an onerror= attribute on <img>")]),
    Case("javascript-link", with_text("[натисніть](javascript:alert(1))\n"),
         [(TEXT, "the link “javascript:alert(1)” is not allowed")]),
    Case("iframe", with_text('<iframe src="/"></iframe>\n'), [(TEXT, "the element <iframe>")]),
    Case("object", with_text('<object data="x"></object>\n'), [(TEXT, "the element <object>")]),
    Case("embed", with_text('<embed src="x">\n'), [(TEXT, "the element <embed>")]),
    Case("svg-onload", with_text('<svg onload="alert(1)"></svg>\n'), [(TEXT, "the element <svg>")]),
    Case("image-without-description", with_text("Текст.\n\n![](/neck-pain/)\n"),
         [(TEXT + 2, "an image has no description. Write what it shows between the brackets")]),
    Case("html-image-without-description", with_text('Текст.\n\n<img src="/neck-pain/" alt="">\n'),
         [(TEXT + 2, "an image has no description")]),
    Case("link-to-no-page", with_text("Див. [контакти](/kontakty/).\n"),
         [(TEXT, "the link /kontakty/ leads to no page of this site. Check the address")]),
]

SUMMARY_LINE = 4
BAD_FIELDS = [
    Case("summary-with-script", VALID_UK.replace("Summary: Звідки", "Summary: <script>alert(1)</script> Звідки"),
         [(SUMMARY_LINE, "in Summary: the text contains the element <script>")]),
    Case("summary-with-link", VALID_UK.replace("Summary: Звідки", "Summary: [сайт](https://evil.example/) Звідки"),
         [(SUMMARY_LINE, "in Summary: the text contains the element <a>, which is not allowed. A Summary is plain text")]),
    Case("summary-with-image", VALID_UK.replace("Summary: Звідки", "Summary: ![x](/neck-pain/) Звідки"),
         [(SUMMARY_LINE, "in Summary: the text contains the element <img>")]),
    Case("field-given-twice", VALID_UK.replace("Category: Біль у спині\n", "Category: Біль у спині\nCategory: Шия\n"),
         [(4, "Category is given 2 times (lines 3, 4). Keep one.")]),
    Case("field-continued", VALID_UK.replace("Title: Біль у шиї\n", "Title: Біль у шиї\n    і в плечах\n"),
         [(2, "this line is indented, so it continues Title from line 1. Write Title on one line")]),
    Case("save-as-field", with_field("Save_as: index.html"), [(7, "“Save_as” is not a field articles have. Use only: Title,")]),
    Case("url-field", with_field("Url: /"), [(7, "“Url” is not a field articles have")]),
    Case("template-field", with_field("Template: home"), [(7, "“Template” is not a field articles have")]),
    Case("misspelt-field", with_field("Reviwer: Лікар"), [(7, "“Reviwer” is not a field articles have")]),
    Case("date-with-slashes", VALID_UK.replace("Date: 2026-11-01", "Date: 2026/11/01"),
         [(2, "Date is “2026/11/01”, which is not a date: year, month and day are joined by hyphens. Write “Date: 2026-11-01”.")]),
    Case("date-in-words", VALID_UK.replace("Date: 2026-11-01", "Date: 1 листопада"),
         [(2, "Date is “1 листопада”, which is not a date. Write it as year-month-day")]),
    Case("date-not-in-the-calendar", VALID_UK.replace("Date: 2026-11-01", "Date: 2026-02-30"),
         [(2, "Date is “2026-02-30”, which is not a date of the calendar. Check the month and the day: February 2026 has 28 days.")]),
    Case("review-date-not-in-the-calendar", VALID_UK.replace("Reviewed: 2026-10-01", "Reviewed: 2026-13-01"),
         [(6, "Reviewed is “2026-13-01”, which is not a date of the calendar")]),
    Case("empty-file", "", [(1, "Category is missing."), (1, "Date is missing."), (1, "Summary is missing."),
                            (1, "Title is missing. Add a line “Title: …”")]),
    Case("missing-field", VALID_UK.replace("Category: Біль у спині\n", ""),
         [(1, "Category is missing. Add a line “Category: …”")]),
    Case("empty-title", VALID_UK.replace("Title: Біль у шиї", "Title:"), [(1, "Title is empty.")]),
    Case("empty-summary", re.sub("Summary: .*", "Summary:  ", VALID_UK),
         [(SUMMARY_LINE, "Summary is empty. Write one or two sentences")]),
    Case("long-title", VALID_UK.replace("Title: Біль у шиї", "Title: " + "Шия " * 31),
         [(1, "Title is 123 characters long; the limit is 120. Shorten it.")]),
    Case("long-summary", VALID_UK.replace("Summary: Звідки береться біль у шиї", "Summary: " + "дуже " * 30),
         [(SUMMARY_LINE, "characters long; the limit is 160.")]),
    Case("status-not-allowed", with_field("Status: hidden"), [(7, "Status is “hidden”. Use one of: draft, published.")]),
    Case("todo-left-in-a-field", VALID_UK.replace("Category: Біль у спині", "Category: TODO"),
         [(3, "Category still says TODO: write it, or keep “Status: draft”")]),
    Case("todo-left-in-the-text", with_text("TODO: дописати.\n"),
         [(TEXT, "the text still says TODO: finish it, or keep “Status: draft” until it is done.")]),
    Case("not-utf8", {"articles/not-utf8/index.ru.md": "Title: Боль в шее\nDate: 2026-11-01\n".encode("cp1251")},
         [(1, "the file is not saved as UTF-8 text. Open it in your editor and save it with the UTF-8 encoding.")]),
]

PATHS = [
    # Slug and Lang follow from content/articles/<slug>/index.<lang>.md; written
    # in the file, they must agree with it. (Two articles with one slug in
    # one language can no longer be written: a folder has one index.uk.md.)
    Case("slug-disagrees", "Slug: back-pain\n" + VALID_UK,
         [(1, "Slug is “back-pain”, but the folder is “slug-disagrees”. The folder's name is the address")]),
    Case("lang-disagrees", "Lang: en\n" + VALID_UK,
         [(1, "Lang is “en”, but the file is index.uk.md. Make them agree: rename the file to index.en.md or write “Lang: uk”.")]),
    Case("lang-not-a-language", VALID_UK.replace("Date:", "Lang: ua\nDate:"), [(2, "Lang is “ua”, but the file is index.uk.md.")]),
    Case("file-not-a-language", {"articles/file-not-a-language/index.ua.md": VALID_UK},
         [(1, "the file name says the language is “ua”, which is not a site language. "
              "Name the file after one of: index.uk.md, index.en.md, index.ru.md.")]),
    # The layout before the web editor (<slug>/<lang>.md) is told its new name.
    Case("old-layout", {"articles/old-layout/uk.md": VALID_UK},
         [(1, "texts are now named index.<language>.md: rename this file to index.uk.md "
              "(content/articles/old-layout/index.uk.md). Nothing else changes.")]),
    Case("not-named-by-language", {"articles/not-named-by-language/notes.md": VALID_UK},
         [(1, "a text's file is named after its language: rename it to one of index.uk.md, index.en.md, "
              "index.ru.md (e.g. content/articles/not-named-by-language/index.uk.md).")]),
    Case("folder-not-an-address", {"articles/Neck_Pain/index.uk.md": VALID_UK},
         [(1, "the folder's name “Neck_Pain” is the page's address: it may hold only small Latin letters")]),
    # Addresses: an article folder named like a language prefix or a folder
    # the build writes, or a page and an article with one folder.
    Case("folder-named-like-a-language", {"articles/en/index.uk.md": VALID_UK},
         [("articles/en/index.uk.md", 1, "this would be written at /en/index.html, where the build also writes the page “Home en” "
                                   "(content/pages/home/index.en.md). Rename the folder"),
          ("pages/home/index.en.md", 3, "this would be written at /en/index.html, where the build also writes the article "
                                  "“Біль у шиї” (content/articles/en/index.uk.md)")]),
    Case("folder-named-feeds", {"articles/feeds/index.uk.md": VALID_UK},
         [(1, "its address /feeds/ is inside /feeds/, which holds the Українська feeds. Rename the folder")]),
    Case("folder-named-theme", {"articles/theme/index.uk.md": VALID_UK},
         [(1, "its address /theme/ is inside /theme/, which holds the theme's CSS and JS")]),
    Case("folder-named-category", {"articles/category/index.uk.md": VALID_UK},
         [(1, "its address /category/ is inside /category/, which holds the Українська topic pages")]),
    Case("page-and-article-share-a-folder",
         {"articles/shared-name/index.uk.md": VALID_UK, "pages/shared-name/index.uk.md": "Title: Сторінка\n\nТекст.\n"},
         [("articles/shared-name/index.uk.md", 1, "this would be written at /shared-name/index.html, where the build also "
                                            "writes the page “Сторінка” (content/pages/shared-name/index.uk.md)"),
          ("pages/shared-name/index.uk.md", 1,
           "where the build also writes the article “Біль у шиї” (content/articles/shared-name/index.uk.md)")]),
]

# Links Pelican resolves itself, to no file (or out of content/).
LINKS_TO_NOTHING = [
    Case("filename-link-to-nothing", with_text("Див. [іншу статтю]({filename}../back-pain/index.uk.md).\n"),
         [(TEXT, "the link ../back-pain/index.uk.md leads to no file.")]),
    Case("static-link-to-nothing", with_text("![Схема]({static}/images/neck.png)\n"),
         [(TEXT, "the {static} link to “images/neck.png” leads to no file the site publishes.")]),
    Case("static-link-out-of-content", with_text("[Файл]({static}../../../../../../../../etc/hostname)\n"),
         [(TEXT, "/etc/hostname” leads to no file the site publishes.")]),
]

REFUSED = HIDDEN_HTML + HARMFUL_ELEMENTS + BAD_FIELDS + PATHS + LINKS_TO_NOTHING


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    """One build of every refused case beside a valid article."""
    files = {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK}
    for case in REFUSED:
        assert not set(case.files) & set(files), case.id
        files.update(case.files)
    return build(tmp_path_factory.mktemp("refused"), files)


def test_a_build_with_refused_content_stops_before_writing_anything(refused):
    assert_stopped(refused)
    # Every problem of a run is listed, sorted by file and line.
    keys = [(PROBLEM.match(line)["path"], int(PROBLEM.match(line)["line"])) for line in refused.errors]
    assert keys == sorted(keys)
    expected = sum(len(case.expected) for case in REFUSED)
    assert len(refused.errors) == expected, "\n".join(refused.errors)
    assert refused.errors_of("articles/neck-pain/index.uk.md", "pages/home/index.uk.md") == []


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id, marks=case.marks) for case in REFUSED])
def test_each_refused_case_names_its_file_line_and_fix(refused, case):
    assert_errors(refused, case.expected, *case.paths)


def test_a_category_that_is_not_one_of_the_topics_is_refused_with_the_names_allowed(tmp_path):
    topics = read_settings(str(ROOT / "pelicanconf.py"))["TOPICS"]
    uk_names = [names["uk"] for names in topics.values()]
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK.replace("Category: Біль у спині", "Category: Спина")},
                  TOPICS=topics)
    assert_stopped(built)
    assert built.errors == [f"content/articles/neck-pain/index.uk.md:3: Category is “Спина”, which is not a topic of the site. "
                            f"Use one of: {', '.join(uk_names)}; a new topic is added to content/clinic.yaml first."]


def test_a_static_link_to_a_published_file_is_linked(tmp_path):
    # Pelican resolves {static} links while it renders the text, and reads
    # the static files last: the text must not be rendered before.
    picture = ROOT / "content/extra/images/share.png"
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": with_text("![Схема]({static}/extra/images/neck.png)\n"),
                             "extra/images/neck.png": picture.read_bytes()}, STATIC_PATHS=["extra"])
    assert_built(built)
    image = soup(built.output / "neck-pain/index.html").select_one(".mc-article__body img")
    assert image["src"] == "/extra/images/neck.png" and image["alt"] == "Схема"
    assert (built.output / "extra/images/neck.png").read_bytes() == picture.read_bytes()


ORPHAN = "content/articles/orphan/index.en.md:1: this is marked as a translation, but there is no original with Slug “orphan”."


@pytest.fixture(scope="module")
def orphan(tmp_path_factory):
    translation = with_field("Translation: true").replace("Title: Біль у шиї", "Title: Orphan")
    return build(tmp_path_factory.mktemp("orphan"), {**HOMES, "articles/orphan/index.en.md": translation})


def test_a_translation_without_its_original(orphan):
    assert_stopped(orphan)
    assert any(error.startswith(ORPHAN) for error in orphan.errors), orphan.errors
    assert orphan.errors == orphan.errors_of("articles/orphan/index.en.md")


def test_a_translation_without_its_original_is_one_clear_line(orphan):
    assert len(orphan.errors) == 1 and orphan.errors[0].startswith(ORPHAN), orphan.errors


def test_every_problem_of_a_run_is_listed_together_sorted_by_file_and_line(tmp_path):
    built = build(tmp_path, {
        **HOMES,
        "articles/neck-pain/index.uk.md": VALID_UK.replace("Date: 2026-11-01", "Date: вчора").replace("Title:", "Lang: ua\nTitle:"),
        "articles/neck-pain/index.en.md": VALID_EN.replace("Category: Back pain\n", ""),
        "articles/another/index.uk.md": with_text("<script>alert(1)</script>\n"),
    })
    assert_stopped(built)
    assert [line.split(": ")[0] for line in built.errors] == [
        f"content/articles/another/index.uk.md:{TEXT}",
        "content/articles/neck-pain/index.en.md:1",
        "content/articles/neck-pain/index.uk.md:1",
        "content/articles/neck-pain/index.uk.md:3",
    ]
    assert built.lines[-1] == str(closing_sentence(4, building=True))
    assert built.report.failures() == 4


# --- What is allowed still builds, and is published clean ------------------------------------

ALLOWED_TEXT = """
Посилання: [сайт](https://example.org/), [лист](mailto:clinic@example.org), [дзвінок](tel:+380970552200),
[стаття](/neck-pain/), [англійською](/en/neck-pain/), [головна](/en/), [файл]({filename}index.en.md).

Текст зі зноскою.[^1]

[^1]: Примітка до тексту.

| Ділянка | Сеансів |
|---------|---------|
| Шия     | 5       |

!!! warning "Коли негайно звернутися до лікаря"
    Оніміння рук.

!!! note "Примітка"
    Ще текст.

МРТ показує причину.

*[МРТ]: магнітно-резонансна томографія

```
<script>example</script> /nowhere/ [x](javascript:alert(1))
```

- пункт **жирний** і *курсив*;
- `код`.

> Цитата.

![Схема шиї](/images/neck.png)
"""
HOSTILE_TITLE = "Шия <!--<script> і </script> & “лапки”"
VALID = {
    **HOMES,
    "articles/neck-pain/index.uk.md": VALID_UK + ALLOWED_TEXT,
    "articles/neck-pain/index.en.md": VALID_EN,
    "articles/with-bom/index.uk.md": "\ufeff" + VALID_UK,
    "articles/only-fields/index.uk.md": VALID_UK.split("\n\n")[0],
    "articles/script-title/index.uk.md": VALID_UK.replace("Title: Біль у шиї", f"Title: {HOSTILE_TITLE}"),
    "articles/with-slug-and-lang/index.uk.md": "Slug: with-slug-and-lang\nLang: uk\n" + VALID_UK,
    "extra/images/neck.png": b"\x89PNG\r\n\x1a\n",
}


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("valid"), VALID, STATIC_PATHS=["extra"],
                  EXTRA_PATH_METADATA={"extra/images/neck.png": {"path": "images/neck.png"}})
    assert_built(built)
    return built


def article_body(output, path):
    return soup(output / path / "index.html").select_one(".mc-article__body")


def test_allowed_markdown_is_published_as_written(valid):
    body = article_body(valid.output, "neck-pain")
    links = {a["href"] for a in body.select("a")}
    assert {"https://example.org/", "mailto:clinic@example.org", "tel:+380970552200", "/neck-pain/",
            "/en/neck-pain/", "/en/"} <= links
    assert links - {"#note-1"} <= {"https://example.org/", "mailto:clinic@example.org",
                                   "tel:+380970552200", "/neck-pain/", "/en/neck-pain/", "/en/"}
    # The footnote (no link: a note) is listed after the text (tests/plugins/test_sources.py).
    notes = soup(valid.output / "neck-pain/index.html").select_one(".mc-footnotes li#note-1")
    assert body.select_one("sup a.footnote-ref[href='#note-1']") and "Примітка до тексту." in notes.get_text()
    assert [th.get_text() for th in body.select("table th")] == ["Ділянка", "Сеансів"]
    assert not body.select("[style]")
    warning = body.select_one("div.admonition.warning p.admonition-title")
    assert warning.get_text() == "Коли негайно звернутися до лікаря"
    assert body.select_one("div.admonition.note")
    assert body.select_one("abbr")["title"] == "магнітно-резонансна томографія"
    # A code block shows HTML as text, and its links are not checked.
    assert "<script>example</script> /nowhere/" in body.select_one("pre code").get_text()
    assert body.select_one("img")["src"] == "/images/neck.png" and body.select_one("img")["alt"] == "Схема шиї"
    assert safety_problems("".join(str(child) for child in body.children), sanitise.ALLOWED_ELEMENTS) == []


def test_no_python_list_is_ever_printed_into_a_page_or_feed(valid):
    written = [path for path in valid.output.rglob("*") if path.suffix in (".html", ".xml")]
    assert written
    for path in written:
        assert "['" not in path.read_text(encoding="utf-8"), path


def test_feeds_carry_no_markup_from_a_summary_beyond_the_allow_list(valid):
    summaries = []
    for feed in valid.output.rglob("*.atom.xml"):
        for summary in ElementTree.parse(feed).getroot().iter("{http://www.w3.org/2005/Atom}summary"):
            summaries.append(BeautifulSoup(summary.text, "html.parser"))
    assert summaries
    for summary in summaries:
        assert {tag.name for tag in summary.find_all(True)} <= sanitise.SUMMARY_ELEMENTS, summary
    emphasised = [s for s in summaries if s.find("em")]
    assert emphasised and emphasised[0].find("em").get_text() == "neck pain"  # emphasis is allowed


def test_a_byte_order_mark_is_not_part_of_the_first_field(valid):
    page = soup(valid.output / "with-bom/index.html")
    assert page.select_one("h1").get_text() == "Біль у шиї"


def test_slug_and_lang_may_be_written_when_they_agree_with_the_path(valid):
    assert (valid.output / "with-slug-and-lang/index.html").exists()


def test_a_file_with_only_fields_builds_with_an_empty_text(valid):
    page = soup(valid.output / "only-fields/index.html")
    assert page.select_one("h1").get_text() == "Біль у шиї"
    assert article_body(valid.output, "only-fields").get_text(strip=True) == ""


def test_a_title_with_script_and_comment_markup_is_safe_in_json_ld_and_html(valid):
    raw = (valid.output / "script-title/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S)
    assert blocks
    for block in blocks:
        assert "</script" not in block.lower() and "<!--" not in block
    graphs = [json.loads(block) for block in blocks]
    headlines = [node.get("headline") for graph in graphs for node in graph.get("@graph", [graph]) if "headline" in node]
    assert headlines == [HOSTILE_TITLE]
    page = BeautifulSoup(raw, "html.parser")
    assert page.select_one("h1").get_text() == HOSTILE_TITLE
    assert page.body.select_one(".mc-article__body").get_text(strip=True).startswith("Короткий текст статті.")
    assert page.body.select_one("footer")  # the page after the title was not swallowed
    assert page.title.get_text().startswith(HOSTILE_TITLE)


# --- The sanitiser: what it returns is what is written ---------------------------------------

HOSTILE_FRAGMENTS = [
    "<script>alert(1)</script>",
    "<p>a<script src=https://evil.example/x.js></script>b</p>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)" onmouseover=alert(2)>x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#10;script:alert(1)">x</a>',
    '<a href="&#1;javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="//evil.example/">x</a>',
    '<a href="\\\\evil.example/">x</a>',
    '<a href="/\\evil.example/">x</a>',
    '<img src="https://tracker.example/p.gif" alt="">',
    '<img src="//tracker.example/p.gif" alt="">',
    '<img src=" //tracker.example/p.gif" alt="">',
    '<img src="data:image/png;base64,AAAA" alt="">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><input name="q"><button>Go</button></form>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<p style="background:url(https://tracker.example/p.gif)">x</p>',
    '<div class="admonition danger">x</div>',
    "<h1>Title</h1>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<template><script>alert(1)</script></template>",
    '<a href="https://ok.example/" target="_blank">x</a>',
    "<![CDATA[<script>alert(1)</script>]]>",
    "<!--><script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</script>",
    "<textarea><script>alert(1)</script></textarea>",
    '<video src="/x.mp4" poster="https://tracker.example/p.gif"></video>',
    '<p id="main">x</p>',
    '<table><tr><td background="https://tracker.example/p.gif">x</td></tr></table>',
]


@pytest.mark.parametrize("fragment", HOSTILE_FRAGMENTS)
@pytest.mark.parametrize("summary", [False, True], ids=["text", "summary"])
def test_the_sanitisers_output_is_safe_whatever_it_is_given(fragment, summary):
    clean, refusals = sanitise.sanitise(fragment, summary=summary)
    assert refusals, "the editor must be told"
    for lang in messages.EDITOR_LANGUAGES:  # each on one line, in every language
        assert all(len(refusal.message.render(lang).splitlines()) == 1 for refusal in refusals)
    elements = sanitise.SUMMARY_ELEMENTS if summary else sanitise.ALLOWED_ELEMENTS
    assert safety_problems(clean, elements) == []
    assert sanitise.sanitise(clean, summary=summary) == (clean, [])  # nothing left to refuse


def test_what_the_allow_list_allows_passes_the_sanitiser_unchanged():
    options = read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
    configs = options["extension_configs"]
    rendered = markdown.Markdown(extensions=list(configs), extension_configs=configs,
                                 output_format=options["output_format"]).convert(ALLOWED_TEXT)
    clean, refusals = sanitise.sanitise(rendered)
    assert refusals == []
    # The same, but for how a character is written (&#160; or &nbsp;).
    assert BeautifulSoup(clean, "html.parser").decode() == BeautifulSoup(rendered, "html.parser").decode()


# --- Files: checked before Pelican looks at any ----------------------------------------------


def test_other_markup_files_are_refused_by_name(tmp_path):
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK, "articles/neck-pain/en.html": "<p>x</p>",
                             "articles/neck-pain/ru.markdown": VALID_UK, "articles/other/uk.rst": "Title\n=====\n"})
    assert_stopped(built)
    only_md = "Only Markdown files ending in .md are read here: rename it to index.<lang>.md"
    assert_errors(built, [("articles/neck-pain/en.html", 1, only_md), ("articles/neck-pain/ru.markdown", 1, only_md),
                          ("articles/other/uk.rst", 1, only_md)],
                  "articles/neck-pain/en.html", "articles/neck-pain/ru.markdown", "articles/other/uk.rst")


LINKED = "this is a link to another file or folder, which the site never follows. Replace it with a real file, or delete it."


@pytest.mark.parametrize(
    "where, target, static",
    [
        ("articles/passwd/index.uk.md", "/etc/passwd", False),
        ("articles/etc", "/etc", False),
        ("extra/passwd.txt", "/etc/passwd", True),
        ("extra/system", "/etc", True),
    ],
    ids=["file-to-etc-passwd", "folder", "static-file", "static-folder"],
)
def test_a_symlink_under_content_stops_the_build_and_nothing_is_published(tmp_path, where, target, static):
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK},
                  prepare=lambda content: linked(content / where, target),
                  **({"STATIC_PATHS": ["extra"]} if static else {}))
    assert_stopped(built)
    assert built.errors == [f"content/{where}:1: {LINKED}"]


def linked(path, target):
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def copied_theme(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    return theme


def test_a_symlink_under_the_theme_stops_the_build(tmp_path):
    theme = copied_theme(tmp_path)
    os.symlink("/etc/passwd", theme / "templates" / "passwd.html")
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK}, THEME=str(theme))
    assert_stopped(built)
    assert built.errors == [f"{theme}/templates/passwd.html:1: {LINKED}"]


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"articles/x.md/index.uk.md": VALID_UK}, [("articles/x.md", 1, "a folder is named like a Markdown file. Rename it")]),
        ({"articles/a/b/index.uk.md": VALID_UK}, [("articles/a/b", 1, "folders go one level deep here"),
                                           ("articles/a/b/index.uk.md", 1, "put it at content/articles/<slug>/index.<lang>.md")]),
        ({"drafts/index.uk.md": VALID_UK}, [("drafts", 1, "content/ holds only articles/, pages/"),
                                      ("drafts/index.uk.md", 1, "content/ holds only articles/, pages/")]),
    ],
    ids=["folder-named-x.md", "one-folder-too-deep", "outside-articles-and-pages"],
)
def test_a_content_file_or_folder_out_of_place_is_refused(tmp_path, files, expected):
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK, **files})
    assert_stopped(built)
    assert_errors(built, expected, *[path for path, _, _ in expected])


LEFTOVERS = [".#uk.md", "index.uk.md~", ".uk.md.swp", "#uk.md#"]


def test_editors_leftovers_are_skipped_without_a_word(tmp_path):
    def leave_leftovers(content):
        folder = content / "articles/neck-pain"
        folder.mkdir(parents=True)
        os.symlink("editor@host.12345:1700000000", folder / ".#uk.md")  # Emacs's lock: a dangling link
        for name in LEFTOVERS[1:]:
            (folder / name).write_text("Title: <script>alert(1)</script>\n\n<script>alert(1)</script>\n")
        extra = content / "extra"
        extra.mkdir(exist_ok=True)
        (extra / "favicon.ico~").write_bytes(b"backup")
        (extra / ".env").write_text("SECRET=1\n")

    # A reviewed article that cites a source: nothing to warn about.
    sourced = with_text("Текст.[^1]\n\n[^1]: Test source (a test fixture). Test Publisher, 2024. https://example.org/1\n")
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": sourced, "extra/favicon.ico": b"\0\0\1\0"},
                  prepare=leave_leftovers, STATIC_PATHS=["extra"])
    assert_built(built)
    assert built.lines == [line for line in built.lines if line in built.warnings]
    published = {path.name for path in built.output.rglob("*")}
    assert "favicon.ico" in published
    assert not published & {*LEFTOVERS, "favicon.ico~", ".env"}


def test_a_hidden_folder_in_a_static_folder_is_not_published_nor_its_links_followed(tmp_path):
    def hide(content):
        hidden = content / "extra/.cache"
        hidden.mkdir(parents=True)
        os.symlink("/etc/passwd", hidden / "passwd.txt")
        (hidden / "notes.txt").write_text("private")

    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK, "extra/robots-note.txt": "x"},
                  prepare=hide, STATIC_PATHS=["extra"])
    assert_built(built)
    published = [path.relative_to(built.output).as_posix() for path in built.output.rglob("*")]
    assert "extra/robots-note.txt" in published
    assert not [path for path in published if ".cache" in path or "passwd" in path]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("extra/x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
         "files of this type are not published. Use one of:"),
        ("extra/page.html", b"<script>alert(1)</script>", "files of this type are not published"),
        ("extra/big.png", None, "the file is 5.1 MB, over the limit of 5 MB. Make it smaller."),
    ],
    ids=["svg", "html", "over-5-MB"],
)
def test_a_static_file_of_a_refused_type_or_size_stops_the_build(tmp_path, name, data, message):
    def big(content):
        (content / "extra").mkdir(parents=True, exist_ok=True)
        with open(content / name, "wb") as file:
            file.truncate(contract.STATIC_MAX_BYTES + 1)  # sparse: no 5 MB written

    files = {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK}
    if data is not None:
        files[name] = data
    built = build(tmp_path, files, prepare=None if data is not None else big, STATIC_PATHS=["extra"])
    assert_stopped(built)
    assert_errors(built, [(name, 1, message)], name)


# --- The theme's translations ----------------------------------------------------------------

PO = Path("translations/uk/LC_MESSAGES/messages.po")


def broken_catalogue(tmp_path, edit):
    """A copied theme whose Ukrainian catalogue `edit(lines)` breaks;
    returns (theme, the 1-based line it broke)."""
    theme = copied_theme(tmp_path)
    lines = (theme / PO).read_text(encoding="utf-8").split("\n")
    line = edit(lines)
    (theme / PO).write_text("\n".join(lines), encoding="utf-8")
    return theme, line


def first_translation(lines, containing=""):
    """The index of the first msgstr after the header with `containing` in its msgid."""
    return next(n for n, line in enumerate(lines) if n > 0 and line.startswith('msgstr "') and line != 'msgstr ""'
                and containing in lines[n - 1])


def misspelt_keyword(lines):
    n = first_translation(lines)
    lines[n] = lines[n].replace("msgstr", "msgstrr", 1)
    return n + 1


def unterminated_string(lines):
    n = first_translation(lines)
    lines[n] = lines[n].rstrip('"')
    return n + 1


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(misspelt_keyword, id="misspelt-keyword"),
        pytest.param(unterminated_string, id="unterminated-string"),
    ],
)
def test_a_catalogue_with_a_syntax_error_is_named_with_its_line(tmp_path, edit):
    theme, line = broken_catalogue(tmp_path, edit)
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK}, THEME=str(theme))
    assert_stopped(built)
    assert len(built.errors) == 1
    assert built.errors[0].startswith(f"{theme / PO}:{line}: this catalogue cannot be read"), built.errors


def test_a_catalogue_with_a_syntax_error_stops_the_build_naming_the_file(tmp_path):
    theme, _ = broken_catalogue(tmp_path, misspelt_keyword)
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK}, THEME=str(theme))
    assert_stopped(built)
    assert len(built.errors) == 1
    assert built.errors[0].startswith(f"{theme / PO}:") and "this catalogue cannot be read" in built.errors[0]


def test_a_translation_with_other_placeholders_is_named_with_its_line(tmp_path):
    def wrong_placeholder(lines):
        n = first_translation(lines, "%(")
        name = re.search(r"%\((\w+)\)", lines[n - 1])[1]
        lines[n] = lines[n].replace(f"%({name})", "%(titel)")
        return n  # Babel names an entry by its msgid's line

    theme, line = broken_catalogue(tmp_path, wrong_placeholder)
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK}, THEME=str(theme))
    assert_stopped(built)
    assert len(built.errors) == 1
    assert built.errors[0].startswith(f"{theme / PO}:{line}: the translation of “"), built.errors
    assert "unknown named placeholder 'titel'. Keep the same %(…)s placeholders." in built.errors[0]


# --- Warnings: printed, and the build goes on -------------------------------------------------

WARNED = {
    "no-reviewer": VALID_UK.replace("Reviewer: test-reviewer\n", ""),
    "review-due-soon": VALID_UK.replace("Reviewed: 2026-10-01", "Reviewed: 2025-12-10"),
    "review-overdue": VALID_UK.replace("Reviewed: 2026-10-01", "Reviewed: 2026-10-01\nReview_due: 2026-11-01"),
    "long-sentence": VALID_UK.replace("Короткий текст статті.", "Це " + "дуже " * 26 + "довге речення."),
    "summary-repeats-title": VALID_UK.replace("Summary: Звідки", "Summary: Біль у шиї: звідки"),
}


@pytest.fixture(scope="module")
def warned(tmp_path_factory):
    files = {**HOMES, **{f"articles/{name}/index.uk.md": text for name, text in WARNED.items()},
             "articles/english-only/index.en.md": VALID_EN}
    built = build(tmp_path_factory.mktemp("warned"), files)
    assert_built(built)
    return built


@pytest.mark.parametrize(
    "name, expected",
    [
        ("no-reviewer", "1: no specialist has reviewed this article yet"),
        ("review-due-soon", "6: the review falls due on 2026-12-10, in 17 days"),
        ("review-overdue", "7: the review was due on 2026-11-01"),
        ("long-sentence", "8: a sentence of 29 words"),
        ("summary-repeats-title", "4: Summary repeats the title"),
    ],
)
def test_each_warning_names_file_and_line_and_the_build_goes_on(warned, name, expected):
    warnings = warned.warnings_of(f"articles/{name}/index.uk.md", besides={"no-source"})
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"content/articles/{name}/index.uk.md:{expected}")
    assert (warned.output / name / "index.html").exists()


def test_an_article_with_no_ukrainian_version_is_warned_about(warned):
    assert warned.warnings_of("articles/english-only/index.en.md", besides={"no-source"}) == [
        "content/articles/english-only/index.en.md:1: there is no uk version of this article. The law requires the "
        "Ukrainian version: add english-only/index.uk.md.  [warning]"
    ]


@pytest.mark.parametrize(
    "start, months, expected",
    [("2025-12-10", 12, "2026-12-10"), ("2026-01-31", 1, "2026-02-28"), ("2024-02-29", 12, "2025-02-28"), ("2026-11-30", 3, "2027-02-28")],
)
def test_review_due_dates_add_whole_months(start, months, expected):
    assert add_months(datetime.datetime.fromisoformat(start), months).date().isoformat() == expected


# --- Through the real command line ------------------------------------------------------------


# How the command line marks a warning's line, in the editor's language
# (Ukrainian, pelicanconf.py's EDITOR_LANGUAGE: the commands below run without
# the environment variable).
WARNING_LABELS = tuple(f"  [{label.render('uk')}]" for label in (_e("warning"), _e("warning, stops a publish")))


def problem_lines(text):
    return [line for line in text.splitlines() if PROBLEM.match(line) and not line.endswith(WARNING_LABELS)]



def test_invoke_build_and_check_on_a_broken_copy_exit_1_with_the_same_lines_and_keep_the_output(tmp_path):
    copy = copy_project(tmp_path)
    (copy / "output").mkdir()
    (copy / "output/index.html").write_text("the last good site")
    article = copy / "content/articles/lumbar-pain/index.en.md"
    text = article.read_text(encoding="utf-8")
    assert "\nLang: en\n" in text
    article.write_text(text.replace("\nLang: en\n", "\nLang: english\n") + "\n<form action=https://evil.example/></form>\n",
                       encoding="utf-8")
    lang_line = text.split("\n").index("Lang: en") + 1
    form_line = len(text.rstrip("\n").split("\n")) + 2
    built = run_invoke(copy, "build")
    printed = built.stdout + built.stderr
    assert built.returncode == 1, printed
    assert "Traceback" not in printed
    # Which messages, with which parameters, in the editor's language.
    assert problem_lines(built.stderr) == [
        f"content/articles/lumbar-pain/index.en.md:{lang_line}: " + _e(
            "Lang is “{value}”, but the file is index.{path_lang}.md. Make them agree: rename the file to index.{value}.md or "
            "write “Lang: {path_lang}”.", value="english", path_lang="en").render("uk"),
        f"content/articles/lumbar-pain/index.en.md:{form_line}: " + _e(
            "the text contains the element <{element}>, which is not allowed. {advice}", element="form",
            advice=_e("Remove it: articles are plain Markdown, and the site runs and loads nothing that an article "
                      "brings.")).render("uk"),
    ]
    assert (copy / "output/index.html").read_text() == "the last good site"
    assert not list(copy.glob(".build-*"))
    checked = run_invoke(copy, "check")
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    assert problem_lines(checked.stderr) == problem_lines(built.stderr)
    assert checked.stderr.rstrip().endswith(str(closing_sentence(2, building=False).render("uk")))
    assert not list(copy.glob(".check-*"))


def test_invoke_check_passes_on_the_real_content():
    checked = run_invoke(ROOT, "check")
    assert checked.returncode == 0, checked.stderr
    assert problem_lines(checked.stderr) == []
    assert "Traceback" not in checked.stdout + checked.stderr


def test_a_static_link_to_no_file_through_the_command_line_is_a_problem_line_not_a_traceback(tmp_path):
    copy = copy_project(tmp_path)
    article = copy / "content/articles/lumbar-pain/index.uk.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n![Схема]({static}/images/neck.png)\n", encoding="utf-8")
    checked = run_invoke(copy, "check")
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    line = len(text.rstrip("\n").split("\n")) + 2
    assert [p for p in problem_lines(checked.stderr) if p.startswith(f"content/articles/lumbar-pain/index.uk.md:{line}: ")]


# --- invoke new -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def new_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("new"))


def everything_under(folder):
    return {path: (path.stat(follow_symlinks=False).st_mtime_ns, path.stat(follow_symlinks=False).st_size)
            for path in folder.rglob("*")}


# invoke new's refusals (which message, with which parameters).
NO_ADDRESS_IN_THE_TITLE = ("--title “{title}” {problem} (the address is made of the title's letters and digits, at most "
                           "{limit}). Choose one yourself: add --slug neck-pain (small Latin letters, digits, hyphens).")
NOT_AN_ADDRESS = ("{option} {slug}: an address holds only small Latin letters, digits and single hyphens, at most "
                  "{limit} characters, e.g. neck-pain.")
ONE_LINE_TITLE = "--title: write the title on one line, as text (no line breaks or control characters)."


@pytest.mark.parametrize(
    "args, message",
    [
        (["--title", "🙂🙂"], _e(NO_ADDRESS_IN_THE_TITLE, title="🙂🙂", problem=_e("gives no address"),
                                limit=contract.SLUG_MAX_LENGTH)),
        (["--title", "!!! ???"], _e(NO_ADDRESS_IN_THE_TITLE, title="!!! ???", problem=_e("gives no address"),
                                   limit=contract.SLUG_MAX_LENGTH)),
        (["--title", "🙂 — !"], _e(NO_ADDRESS_IN_THE_TITLE, title="🙂 — !", problem=_e("gives no address"),
                                  limit=contract.SLUG_MAX_LENGTH)),
        (["--title", "Ш" * 121], _e("--title is {length} characters long; the limit is {limit}. Shorten it.",
                                   length=121, limit=120)),
        (["--title", "Neck\nStatus: published"], _e(ONE_LINE_TITLE)),
        (["--title", "Neck\u2028pain"], _e(ONE_LINE_TITLE)),
        (["--title", "Neck", "--slug", "../../etc"], _e(NOT_AN_ADDRESS, option="--slug", slug="'../../etc'",
                                                        limit=contract.SLUG_MAX_LENGTH)),
        (["--title", "Neck", "--slug", "a/b"], _e(NOT_AN_ADDRESS, option="--slug", slug="'a/b'",
                                                  limit=contract.SLUG_MAX_LENGTH)),
        (["--title", "Neck", "--lang", "en", "--translation-of", "../x"],
         _e(NOT_AN_ADDRESS, option="--translation-of", slug="'../x'", limit=contract.SLUG_MAX_LENGTH)),
        (["--title", "Neck", "--lang", "en", "--translation-of", "no-such-article"],
         _e("--translation-of {slug}: there is no {folder}/.", slug="no-such-article",
            folder="content/articles/no-such-article")),
        (["--title", "Neck", "--lang", "ua"], _e("--lang {lang}: use one of {languages}.", lang="ua",
                                                 languages="uk, en, ru")),
    ],
    ids=["emoji-only", "punctuation-only", "emoji-and-a-dash", "too-long", "newline", "line-separator", "slug-up-and-out",
         "slug-with-a-folder", "translation-of-up-and-out", "translation-of-nothing", "not-a-language"],
)
def test_invoke_new_refuses_in_one_sentence_and_writes_nothing(new_project, args, message):
    root = new_project.parent
    before = everything_under(root)
    made = run_invoke(new_project, "new", *args)
    assert made.returncode == 1, made.stdout + made.stderr
    assert "Traceback" not in made.stdout + made.stderr
    # One sentence: that message, in the editor's language (Ukrainian).
    assert made.stderr.strip() == message.render("uk"), made.stderr
    assert everything_under(root) == before


def test_invoke_new_writes_a_draft_that_builds_and_names_its_todos_once_published(tmp_path):
    copy = copy_project(tmp_path)
    days = {datetime.date.today().isoformat()}
    made = run_invoke(copy, "new", "--title", "Біль у шиї", "--lang", "uk")
    days.add(datetime.date.today().isoformat())
    assert made.returncode == 0, made.stderr
    article = copy / "content/articles/bil-u-shiyi/index.uk.md"
    text = article.read_text(encoding="utf-8")
    fields = dict(line.split(": ", 1) for line in text.split("\n\n")[0].split("\n"))
    drafted = [field for field in contract.fields_for(contract.ARTICLE) if field.draft is not None]
    assert drafted and list(fields) == [field.name for field in drafted]
    for field in drafted:
        assert fields[field.name] in {field.draft.format(title="Біль у шиї", today=day) for day in days}, field.name
    assert fields["Status"] == "draft"
    translated = run_invoke(copy, "new", "--title", "Neck pain", "--lang", "en", "--translation-of", "bil-u-shiyi")
    assert translated.returncode == 0, translated.stderr
    assert "Translated_from: " in (copy / "content/articles/bil-u-shiyi/index.en.md").read_text(encoding="utf-8")
    built = run_invoke(copy, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (copy / "output/drafts/bil-u-shiyi/index.html").exists()
    assert (copy / "output/en/drafts/bil-u-shiyi/index.html").exists()
    # Published with its TODOs left: the check stops and names each line.
    article.write_text(text.replace("Status: draft\n", ""), encoding="utf-8")
    lines = article.read_text(encoding="utf-8").split("\n")
    field_count = lines.index("")
    # Which message, with which field, in the editor's language (Ukrainian).
    expected = [f"content/articles/bil-u-shiyi/index.uk.md:{n}: " + _e(
        "{name} still says {todo}: write it, or keep “Status: draft” until it is done.",
        name=lines[n - 1].split(":")[0], todo="TODO").render("uk") for n in range(1, field_count + 1) if "TODO" in lines[n - 1]]
    first_todo_in_text = next(n for n in range(field_count + 1, len(lines) + 1) if "TODO" in lines[n - 1])
    expected.append(f"content/articles/bil-u-shiyi/index.uk.md:{first_todo_in_text}: " + _e(
        "the text still says {todo}: finish it, or keep “Status: draft” until it is done.", todo="TODO").render("uk"))
    checked = run_invoke(copy, "check")
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    found = [line for line in problem_lines(checked.stderr) if line.startswith("content/articles/bil-u-shiyi/index.uk.md:")]
    assert len(found) == len(expected) >= 4, found
    assert found == expected
