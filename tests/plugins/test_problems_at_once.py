"""Every problem of every phase in one run, each at its file and line
(issue 19, items 3 and 4, and the translations of item 9).

* Whatever Pelican says about a file (a tag, topic or author that gives no
  address, a link it cannot resolve, a file it could not process…) is a
  `path:line` problem at the field or the text that caused it; never at the
  bare content folder. Every complaint Pelican's modules can make is listed
  below, as reachable (fed to PelicanComplaints and built) or not, so that
  a new one in a Pelican upgrade fails here.
* The files check refuses a file without stopping the build: the refused
  file is never read (nor a link followed), every other file is read and
  checked, the whole-site checks run, and the build stops before writing
  with every problem listed, sorted by file and line.
"""

import ast
import json
import logging
import os
import shutil
import sys
from pathlib import Path

import pytest
from fixture_site import ROOT, copy_project, run_invoke
from pelican.settings import read_settings
from test_content_checks import (
    HOMES,
    LINKED,
    PO,
    TEXT,
    VALID_EN,
    VALID_UK,
    assert_stopped,
    build,
    copied_theme,
    linked,
    misspelt_keyword,
    problem_lines,
    with_text,
)

from clinic import build as build_module
from clinic import content_report
from clinic.build import UNATTRIBUTED, PelicanComplaints, build_state
from clinic.reader import open_source
from clinic.messages import _e
from clinic.report import Report

SCRIPT = "the text contains the element <script>, which is not allowed"
NO_ADDRESS = "gives no address: an address is made from a name's letters and digits"
# The folder messages name when Pelican says something about no file of ours.
BARE_CONTENT = "content:"


def with_fields(*lines):
    """VALID_UK with `lines` added after Reviewed (from line 7 on)."""
    return VALID_UK.replace("Reviewed: 2026-10-01\n", "Reviewed: 2026-10-01\n" + "".join(f"{line}\n" for line in lines))


def assert_nothing_unattributed(built):
    """No problem at the content folder itself, nor the fallback's."""
    assert not [line for line in built.errors if line.startswith((BARE_CONTENT, f"{UNATTRIBUTED}:"))], built.errors
    assert not [line for line in built.errors if line.split(":")[0].rstrip("/").endswith("/content")], built.errors


# --- 3. Pelican's complaints, at their file and line --------------------------------------------


@pytest.fixture(scope="module")
def complained(tmp_path_factory):
    """One build whose files make Pelican complain in every way a content
    file can reach (each case in its own folder)."""
    files = {
        **HOMES,
        "articles/punctuation-tags/index.uk.md": with_fields("Tags: шия, ,,, ?"),
        "articles/hash-tag/index.uk.md": with_fields("Tags: ###"),
        "articles/emoji-tag/index.uk.md": with_fields("Tags: 🙂"),
        "articles/nameless-author/index.uk.md": with_fields("Author: ???"),
        "articles/punctuation-topic/index.uk.md": VALID_UK.replace("Category: Біль у спині", "Category: ???"),
        "articles/unknown-link-kind/index.uk.md": with_text("Див. [тут]({nonsense}neck-pain) і далі.\n"),
        "articles/filename-to-static/index.uk.md": with_text("Див. [пам'ятку]({filename}/extra/leaflet.pdf).\n"),
        "extra/leaflet.pdf": b"%PDF-1.4\n",
        # The same complaint twice: Pelican's own filter would drop the second.
        "articles/missing-link-a/index.uk.md": with_text("Див. [статтю]({filename}../nowhere/index.uk.md).\n"),
        "articles/missing-link-b/index.uk.md": with_text("Див. [статтю]({filename}../nowhere/index.uk.md).\n"),
    }
    return build(tmp_path_factory.mktemp("complaints"), files, STATIC_PATHS=["extra"])


@pytest.mark.parametrize(
    "folder, line, message",
    [
        ("punctuation-tags", 7, f"the tag “?” {NO_ADDRESS}"),
        ("hash-tag", 7, f"the tag “###” {NO_ADDRESS}"),
        ("emoji-tag", 7, f"the tag “🙂” {NO_ADDRESS}"),
        # Author names a person by the slug of their folder: checked as one
        # (people.py), so Pelican never makes an address of an author's name.
        ("nameless-author", 7, "Author is “???”: write the name of the person's folder under content/people/"),
        ("punctuation-topic", 3, f"the topic “???” {NO_ADDRESS}"),
        ("unknown-link-kind", TEXT, "the link “{nonsense}neck-pain” starts with {nonsense}, which is not a kind of link"),
        ("missing-link-a", TEXT, "the link ../nowhere/index.uk.md leads to no file"),
        ("missing-link-b", TEXT, "the link ../nowhere/index.uk.md leads to no file"),
        ("filename-to-static", TEXT, "Pelican could not use this file: {filename} used for linking to static content "
                                     "/extra/leaflet.pdf"),
    ],
)
def test_each_complaint_of_pelicans_is_a_problem_at_its_file_and_line(complained, folder, line, message):
    errors = complained.errors_of(f"articles/{folder}/index.uk.md")
    assert len(errors) == 1, complained.errors
    assert errors[0].startswith(f"content/articles/{folder}/index.uk.md:{line}: {message}"), errors


def test_no_complaint_is_reported_at_the_content_folder(complained):
    assert_stopped(complained)
    assert_nothing_unattributed(complained)


def pelican_source(module):
    return Path(sys.modules["pelican"].__file__).with_name(f"{module}.py")


def pelican_complaints():
    """{(module, the start of the format as written in Pelican's source)}:
    every logger.warning/error/exception/critical in the modules whose
    loggers PelicanComplaints listens to."""
    found = set()
    for logger_name in build_module.PELICAN_LOGGERS:
        module = logger_name.split(".")[1]
        tree = ast.parse(pelican_source(module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"warning", "error", "exception", "critical"}
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "logger" and node.args):
                first = node.args[0]
                text = first.value if isinstance(first, ast.Constant) else ast.unparse(first)
                found.add((module, text))
    return found


# Every complaint of Pelican's, by the start of its format: what makes it,
# and whether a content file of ours can make it (then FED below feeds it).
UNREACHABLE = {
    ("generators", "Failed to write Tag page"): "written pages: the checks stop the build before writing",
    ("generators", "Failed to write Category page"): "written pages",
    ("generators", "Failed to write Author page"): "written pages",
    ("readers", "Docutils has no localization"): "reStructuredText: no reader but Markdown's (reader.use_content_reader)",
    ("readers", "Document title missing in file"): "reStructuredText",
    ("readers", "Duplicate definition of `%s`"): "reStructuredText",
    ("readers", "Meta tag in file %s does not have"): "HTML files: no reader",
    ("readers", "Meta tag attribute 'contents'"): "HTML files: no reader",
    ("readers", "f'{source_path}: {reader.disabled_message()}'"): "a disabled reader: only Markdown's is kept",
    ("contents", "_get_summary() has been deprecated"): "Python API of Pelican's, not content",
    ("utils", "While copying %s"): "copying static files: after the checks",
    ("utils", "Cannot copy %s (a directory)"): "copying: after the checks",
    ("utils", "Skipped copy %s"): "copying: after the checks",
    ("utils", "A problem occurred copying file"): "copying: after the checks",
    ("utils", "Unable to delete"): "cleaning the output folder: not content",
    ("utils", "Error sorting with function"): "the *_ORDER_BY setting, not content",
    ("utils", "Invalid *_ORDER_BY setting"): "a setting, not content",
    ("utils", "Unable to watch path"): "Pelican's autoreload, not used",
    ("utils", "''.join(message)"): "a deprecated attribute used by code, not content",
    ("urlwrappers", "%s is set to %s"): "a setting (TAG_URL…), not content",
    ("cache", "Could not get hashing function"): "CHECK_MODIFIED_METHOD, a setting; the content cache is off",
    # get_original_items's messages, formatted with one line per file:
    # 'There are %s items "%s" with lang %s' (FED below, but for one
    # article's folder it cannot happen: the path gives Slug and Lang),
    # 'All items ("%s") "%s" are translations' (said by checks.check_translations)
    # and 'There are %s original (not translated) items %s' (FED below).
    ("utils", "'{}: {}'.format(msg"): "see FED and SAID_ELSEWHERE",
}


class Item:
    """A content object as Pelican's messages name it (str() is its path)."""

    def __init__(self, source_path):
        self.source_path = source_path

    def __str__(self):
        return self.source_path


@pytest.fixture()
def listening(tmp_path):
    """PelicanComplaints for a tiny content folder; its files read as the
    reader reads them (their fields and lines known)."""
    content = tmp_path / "content"
    texts = {
        "articles/neck/index.uk.md": with_fields("Tags: шия, ?", "Author: ???").replace(
            "Category: Біль у спині", "Category: —") + "\n![Схема](neck.png) [x]({nonsense}a) [y]({attach}gone.pdf)\n",
        "articles/neck/index.en.md": VALID_EN,
        "articles/neck/index.ru.md": VALID_EN,
    }
    for relative, text in texts.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(text, encoding="utf-8")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache/article_cache").write_bytes(b"not a pickle")
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    state = build_state(settings)
    for relative in texts:
        path = str((content / relative).resolve())
        state.sources[path] = open_source(path, settings, Report())
    complaints = PelicanComplaints(settings)

    def line_of(relative, needle):
        lines = texts[relative].split("\n")
        return next(n for n, line in enumerate(lines, 1) if needle in line)

    return complaints, state, content, line_of


UK_FILE = "content/articles/neck/index.uk.md"
EN_FILE = "content/articles/neck/index.en.md"
# (logger, format, its arguments given the content folder, while a file is
# checked (its relative path) or None, [(file, needle of its line or 1)]).
FED = [
    ("urlwrappers", 'Unable to generate valid slug for %s "%s".', lambda c: ("Tag", "?"), None, [(UK_FILE, "Tags:")]),
    ("urlwrappers", 'Unable to generate valid slug for %s "%s".', lambda c: ("Category", "—"), None,
     [(UK_FILE, "Category:")]),
    ("urlwrappers", 'Unable to generate valid slug for %s "%s".', lambda c: ("Author", "???"), None,
     [(UK_FILE, "Author:")]),
    ("urlwrappers", 'Unable to generate valid slug for %s "%s".', lambda c: ("Tag", ""), "articles/neck/index.uk.md",
     [(UK_FILE, 1)]),
    ("contents", "Unable to find '%s', skipping url replacement.", lambda c: ("gone.pdf",), "articles/neck/index.uk.md",
     [(UK_FILE, "gone.pdf")]),
    ("contents", "{filename} used for linking to static content %s in %s. Use {static} instead",
     lambda c: ("neck.png", "articles/neck/index.uk.md"), None, [(UK_FILE, "neck.png")]),
    ("contents", "Replacement Indicator %r not recognized in %r, skipping replacement",
     lambda c: ("nonsense", "{nonsense}a"), "articles/neck/index.uk.md", [(UK_FILE, "{nonsense}a")]),
    ("contents", "The {attach} link in %s cannot relocate %s because %s. Falling back to {filename} link behavior "
     "instead.", lambda c: ("articles/neck/index.uk.md", "gone.pdf", "it is elsewhere"), None, [(UK_FILE, "gone.pdf")]),
    ("contents", "Skipping %s: could not find information about '%s'", lambda c: (Item("articles/neck/index.en.md"), "category"),
     None, [(EN_FILE, "Category:")]),
    ("contents", "Skipping %s: file %r would be written outside output path",
     lambda c: (Item("articles/neck/index.en.md"), "../x"), None, [(EN_FILE, 1)]),
    ("contents", "Unknown status '%s' for file %s, skipping it. (Not in %s)",
     lambda c: ("odd", Item("articles/neck/index.en.md"), "('published',)"), None, [(EN_FILE, 1)]),
    ("readers", "Empty alt attribute for image %s in %s", lambda c: ("neck.png", str(c / "articles/neck/index.uk.md")),
     None, [(UK_FILE, "neck.png")]),
    ("generators", "Could not process %s", lambda c: ("articles/neck/index.en.md",), None, [(EN_FILE, 1)]),
    ("utils", 'There is no "%s" attribute in "%s". Defaulting to slug order.',
     lambda c: ("weight", "articles/neck/index.en.md"), None, [(EN_FILE, 1)]),
    ("utils", 'There are %s items "%s" with lang %s: \n%s\n%s',
     lambda c: (2, 'with slug "neck"', "uk", "articles/neck/index.uk.md", "articles/neck/index.en.md"), None,
     [(UK_FILE, 1), (EN_FILE, 1)]),
    ("utils", "There are %s original (not translated) items %s: \n%s\n%s",
     lambda c: (2, 'with slug "neck"', str(c / "articles/neck/index.en.md"), str(c / "articles/neck/index.ru.md")), None,
     [(EN_FILE, 1), ("content/articles/neck/index.ru.md", 1)]),
    # ... and when its Ukrainian file is there but was not read (it has
    # problems of its own, reported at their lines), nothing.
    ("utils", "There are %s original (not translated) items %s: \n%s\n%s",
     lambda c: (2, 'with slug "neck"', str(c / "articles/neck/index.en.md"), str(c / "articles/neck/index.ru.md")),
     "unread-original", []),
    ("cache", "Cannot get modification stamp for %s\n\t%s", lambda c: (str(c / "articles/neck/index.en.md"), "denied"), None,
     [(EN_FILE, 1)]),
    ("cache", "Cannot unpickle cache %s, cache may be using an incompatible protocol (see pelican caching docs). "
     "Proceeding with empty cache.\n%s", lambda c: (str(c.parent / "cache/article_cache"), "bad pickle"), None,
     [("cache/article_cache", 1)]),
    ("cache", "Could not save cache %s\n ... %s", lambda c: (str(c.parent / "cache/article_cache"), "full disk"), None,
     [("cache/article_cache", 1)]),
]
SAID_ELSEWHERE = {("utils", 'All items ("%s") "%s" are translations')}  # checks.check_translations


def test_every_complaint_pelican_can_make_is_known_here():
    found = pelican_complaints()
    fed = {(module, fmt) for module, fmt, *_ in FED}
    explained = set(UNREACHABLE) | SAID_ELSEWHERE
    unknown = sorted((module, text) for module, text in found
                     if (module, text) not in fed and not any(module == m and text.startswith(start) for m, start in explained))
    assert not unknown, f"Pelican complaints no test feeds nor explains: {unknown}"
    # ... and what is fed is Pelican's own words (get_original_items's
    # messages are completed with a line per file: see UNREACHABLE).
    utils = pelican_source("utils").read_text(encoding="utf-8")
    for module, fmt in fed:
        assert (module, fmt) in found or (module == "utils" and fmt.split(": ")[0] in utils), (module, fmt)


@pytest.mark.parametrize("logger, fmt, arguments, current, expected", FED,
                         ids=[f"{logger}-{fmt[:40]}" for logger, fmt, *_ in FED])
def test_each_known_complaint_is_reported_at_its_file_and_line(listening, logger, fmt, arguments, current, expected):
    complaints, state, content, line_of = listening
    if current == "unread-original":
        del state.sources[str((content / "articles/neck/index.uk.md").resolve())]
        current = None
    complaints.current = str(content / current) if current else None
    record = logging.LogRecord(f"pelican.{logger}", logging.WARNING, __file__, 1, fmt, arguments(content), None)
    assert complaints.filter(record) is False  # taken: not logged by Pelican as well
    shown = []
    for path, needle in expected:
        line = needle if isinstance(needle, int) else line_of(path.removeprefix("content/"), needle)
        shown.append((str(content.parent / path) if path.startswith("cache/") else path, line))
    assert [(problem.path, problem.line) for problem in state.report.errors] == shown, state.report.errors
    assert all(not problem.path.rstrip("/").endswith("content") for problem in state.report.errors)


def test_a_complaint_about_no_file_we_can_find_says_it_is_a_bug_of_ours_never_content(listening):
    complaints, state, content, _ = listening
    record = logging.LogRecord("pelican.utils", logging.WARNING, __file__, 1, "Something new about %s", ("nothing",), None)
    complaints.filter(record)
    record = logging.LogRecord("pelican.urlwrappers", logging.WARNING, __file__, 1,
                               'Unable to generate valid slug for %s "%s".', ("Tag", "@@"), None)  # in no file
    complaints.filter(record)
    assert [(problem.path, problem.line) for problem in state.report.errors] == [(UNATTRIBUTED, 1)] * 2
    for problem in state.report.errors:
        assert "This is a bug of the site's checks, not of the content: tell a developer" in problem.message.render("en")


def test_a_debug_or_info_line_of_pelicans_passes_through(listening):
    complaints, state, _, _ = listening
    record = logging.LogRecord("pelican.generators", logging.INFO, __file__, 1, "Read %s", ("x",), None)
    assert complaints.filter(record) is True
    assert state.report.errors == []


# --- 4. All problems at once ---------------------------------------------------------------------


def test_a_misnamed_file_and_a_script_in_another_article_are_listed_together(tmp_path):
    built = build(tmp_path, {
        **HOMES,
        "articles/neck-pain/index.uk.md": VALID_UK,
        "articles/neck-pain/uk.html": "<p>x</p>",
        "articles/another/index.uk.md": with_text("<script>alert(1)</script>\n"),
        "articles/third/index.uk.md": VALID_UK.replace("Date: 2026-11-01", "Date: вчора"),
        "articles/index.uk.md": VALID_UK,  # a Markdown file out of place: refused, so never read by Pelican
    })
    assert_stopped(built)
    assert [line.split(": ")[0] for line in built.errors] == [
        f"content/articles/another/index.uk.md:{TEXT}",
        "content/articles/index.uk.md:1",  # once: the reader, had it read the file, would have said so again
        "content/articles/neck-pain/uk.html:1",
        "content/articles/third/index.uk.md:2",
    ]
    assert SCRIPT in built.errors[0]
    assert "Only Markdown files ending in .md are read here" in built.errors[2]


OUTSIDE = "Title: <iframe src=https://evil.example>\nLang: xx\n\n<script>secret()</script>\n"


def test_links_are_never_followed_while_every_other_file_is_checked(tmp_path):
    outside = tmp_path / "outside"
    (outside / "inside").mkdir(parents=True)
    (outside / "secret.md").write_text(OUTSIDE)
    (outside / "index.uk.md").write_text(OUTSIDE)
    (outside / "inside/index.uk.md").write_text(OUTSIDE)

    def link(content):
        (content / "articles/passwd").mkdir(parents=True)
        os.symlink(outside / "secret.md", content / "articles/passwd/index.uk.md")
        os.symlink(outside, content / "articles/linked-folder")
        os.symlink(outside, content / "extra/linked-static")

    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK.replace("Date: 2026-11-01", "Date: вчора"),
                             "extra/favicon.ico": b"\0\0\1\0"}, prepare=link, STATIC_PATHS=["extra"])
    assert_stopped(built)
    assert built.errors == [
        f"content/articles/linked-folder:1: {LINKED}",
        "content/articles/neck-pain/index.uk.md:2: Date is “вчора”, which is not a date. Write it as year-month-day, "
        "e.g. 2026-11-23.",
        f"content/articles/passwd/index.uk.md:1: {LINKED}",
        f"content/extra/linked-static:1: {LINKED}",
    ]
    # Read through a link, the outside files would have said so.
    assert "iframe" not in built.printed and "xx" not in built.printed and "secret" not in built.printed


def test_a_folder_with_a_problem_names_each_file_it_keeps_from_being_read(tmp_path):
    built = build(tmp_path, {**HOMES, "articles/x.md/index.uk.md": with_text("<script>alert(1)</script>\n"),
                             "articles/neck-pain/index.uk.md": with_text("<script>alert(2)</script>\n")})
    assert_stopped(built)
    assert [line.split(": ", 1) for line in built.errors] == [
        ["content/articles/neck-pain/index.uk.md:14", built.errors[0].split(": ", 1)[1]],
        ["content/articles/x.md:1", "a folder is named like a Markdown file. Rename it (each article is a folder "
                                    "named by its slug, holding index.<lang>.md files)."],
        ["content/articles/x.md/index.uk.md:1", "not read: it is in content/articles/x.md, which has a problem (above). "
                                          "Fix that first; this file is checked once it is read."],
    ]
    assert SCRIPT in built.errors[0]


def test_a_broken_catalogue_and_a_content_error_are_listed_together(tmp_path):
    theme = copied_theme(tmp_path)
    lines = (theme / PO).read_text(encoding="utf-8").split("\n")
    po_line = misspelt_keyword(lines)
    (theme / PO).write_text("\n".join(lines), encoding="utf-8")
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.uk.md": with_text("<script>alert(1)</script>\n")},
                  THEME=str(theme))
    assert_stopped(built)
    assert len(built.errors) == 2, built.errors
    catalogue, content = sorted(built.errors, key=lambda line: not line.startswith(str(theme)))
    assert catalogue.startswith(f"{theme / PO}:{po_line}: this catalogue cannot be read")
    assert content.startswith(f"content/articles/neck-pain/index.uk.md:{TEXT}: {SCRIPT}")


# --- A translation whose original has problems --------------------------------------------------


@pytest.mark.parametrize(
    "original",
    [
        pytest.param(lambda content: (content / "articles/neck-pain/index.uk.md").write_text(
            VALID_UK.replace("Date: 2026-11-01", "Date: вчора"), encoding="utf-8"), id="with-an-error"),
        pytest.param(lambda content: os.symlink("/etc/hostname", content / "articles/neck-pain/index.uk.md"), id="a-link"),
    ],
)
def test_a_translation_is_not_told_its_original_is_missing_when_the_original_has_problems(tmp_path, original):
    translation = VALID_EN.replace("Reviewed: 2026-10-01\n", "Reviewed: 2026-10-01\nTranslation: true\n")

    def prepare(content):
        (content / "articles/neck-pain").mkdir(parents=True, exist_ok=True)
        original(content)

    report = tmp_path / "report.json"
    built = build(tmp_path, {**HOMES, "articles/neck-pain/index.en.md": translation, "articles/neck-pain/index.ru.md": VALID_EN,
                             "articles/english-only/index.en.md": VALID_EN}, prepare=prepare, CONTENT_REPORT_JSON=str(report))
    assert_stopped(built)
    assert built.errors_of("articles/neck-pain/index.uk.md")  # the original's own problem
    assert built.errors_of("articles/neck-pain/index.en.md", "articles/neck-pain/index.ru.md") == []
    assert (built.warnings_of("articles/neck-pain/index.en.md", besides={"no-source"})
            == built.warnings_of("articles/neck-pain/index.ru.md", besides={"no-source"}) == [])
    # The content report says the original was not read, not that there is none.
    rows = {row["slug"]: row["languages"] for row in json.loads(report.read_text(encoding="utf-8"))["articles"]}
    assert rows["neck-pain"]["ru"]["translation"] == {"state": "original-not-read"}
    assert rows["english-only"]["en"]["translation"] == {"state": "no-original"}
    # ... and lists the original as a file with problems, not as a language to write.
    articles = {row["slug"]: row for row in json.loads(report.read_text(encoding="utf-8"))["articles"]}
    assert (articles["neck-pain"]["unread"], articles["neck-pain"]["missing"]) == (["uk"], [])
    assert (articles["english-only"]["unread"], articles["english-only"]["missing"]) == ([], ["uk", "ru"])
    text = content_report.as_text(json.loads(report.read_text(encoding="utf-8")))
    # (as_text speaks the editor's language, as the build that made the data did)
    assert f"  uk  {_e('HAS PROBLEMS: not read (see the problems above)')}" in text.splitlines()
    assert "neck-pain  (" not in text  # no language listed as missing
    # An article with truly no Ukrainian file still hears of it.
    assert [w for w in built.warnings_of("articles/english-only/index.en.md") if "there is no uk version" in w]


# --- Through the command line: invoke check, invoke build ----------------------------------------


def test_invoke_check_and_build_list_a_misnamed_file_and_a_script_in_another_article_in_one_run(tmp_path):
    copy = copy_project(tmp_path)
    (copy / "output").mkdir()
    (copy / "output/index.html").write_text("the last good site")
    articles = copy / "content/articles"
    some_article = sorted(folder for folder in articles.iterdir() if (folder / "index.uk.md").is_file())[0]
    shutil.copy(some_article / "index.uk.md", some_article / "uk.html")
    (articles / "scripted").mkdir()
    (articles / "scripted/index.uk.md").write_text(with_text("<script>alert(1)</script>\n"), encoding="utf-8")
    expected = [f"content/articles/{some_article.name}/uk.html:1", f"content/articles/scripted/index.uk.md:{TEXT}"]
    checked = run_invoke(copy, "check")
    assert checked.returncode == 1, checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    assert sorted(line.split(": ")[0] for line in problem_lines(checked.stderr)) == expected, checked.stderr
    built = run_invoke(copy, "build")
    assert built.returncode == 1, built.stderr
    assert "Traceback" not in built.stdout + built.stderr
    assert problem_lines(built.stderr) == problem_lines(checked.stderr)
    assert (copy / "output/index.html").read_text() == "the last good site"


def test_a_link_to_a_page_whose_file_has_problems_is_not_a_problem_of_the_link(tmp_path):
    linking = with_text("[Шия](/neck-pain/), [neck](/en/neck-pain/), [файл]({filename}../neck-pain/index.uk.md), "
                        "[ніде](/nowhere/).\n")
    built = build(tmp_path, {**HOMES, "articles/linking/index.uk.md": linking,
                             "articles/neck-pain/index.uk.md": VALID_UK.replace("Date: 2026-11-01", "Date: вчора")},
                  prepare=lambda content: linked(content / "articles/neck-pain/index.en.md", "/etc/hostname"))
    assert_stopped(built)
    assert [line.split(": ")[0] for line in built.errors] == [
        f"content/articles/linking/index.uk.md:{TEXT}",  # /nowhere/ only
        "content/articles/neck-pain/index.en.md:1",
        "content/articles/neck-pain/index.uk.md:2",
    ]
    assert "the link /nowhere/ leads to no page of this site" in built.errors[0]
