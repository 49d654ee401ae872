"""The preview's quick step after an edit writes exactly what a clean
build writes, and the preview then becomes a clean build, byte for byte.

`make serve` (tasks.preview_server.Preview) shows an edit in two steps: the edited file's
own pages first, then the whole site in the background. Both are real
Pelican runs, forked from the preview's process; here they run in-process
against a copy of the content with a few more articles, so that the edited
page has neighbours and related articles that must come out right too.
"""

import filecmp
import os

import pytest
from pelican.settings import read_settings

from conftest import CONTENT_PATH, ROOT
from clinic import messages
from clinic.messages import _e
from tasks.building import build_site
from tasks.config import CONFIG
from tasks.preview_server import Preview
from tools.synthetic_corpus import LANGS, slug_of, write_corpus

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the quick preview forks (Linux, macOS)")


def tree(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def assert_same_trees(built, clean):
    assert tree(built) == tree(clean)
    mismatched = filecmp.cmpfiles(built, clean, tree(clean), shallow=False)[1:]
    assert mismatched == ([], []), mismatched


@pytest.fixture
def library(tmp_path):
    """A copy of the site's pages and a few synthetic articles."""
    settings = read_settings(str(ROOT / CONFIG["settings_base"]))
    return write_corpus(tmp_path / "content", 4, CONTENT_PATH, settings)


def test_an_edit_is_written_first_as_a_clean_build_writes_it_then_the_whole_site(library, tmp_path):
    preview = Preview(library, tmp_path / "preview", "")
    preview.start()
    assert_same_trees(tmp_path / "preview", clean_build(library, tmp_path / "clean-before"))

    edited = library / "articles" / slug_of(1) / "index.en.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence added in the preview.\n", encoding="utf-8")
    page = tmp_path / "preview" / "en" / slug_of(1) / "index.html"
    before = page.read_bytes()
    preview.content_changed()  # returns once the quick step is written
    clean = clean_build(library, tmp_path / "clean-after")
    assert page.read_bytes() != before
    assert page.read_bytes() == (clean / "en" / slug_of(1) / "index.html").read_bytes()

    preview.background.join(timeout=120)
    assert not preview.background.is_alive()
    assert_same_trees(tmp_path / "preview", clean)


def test_a_broken_edit_keeps_the_last_good_site_and_its_problems_are_kept_for_the_browser(library, tmp_path, capfd):
    preview = Preview(library, tmp_path / "preview", "")
    told = []
    preview.failure_changed = lambda: told.append(preview.failure)
    preview.start()
    assert preview.failure is None and told == []
    before = {name: (tmp_path / "preview" / name).read_bytes() for name in tree(tmp_path / "preview")}
    broken = library / "articles" / slug_of(2) / f"{LANGS[0]}.md"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("Date: ", "Date: yesterday "), encoding="utf-8")
    preview.content_changed()
    assert preview.background is None  # nothing more is built
    printed = capfd.readouterr()  # the forked Pelican's output is copied to the same file descriptors
    said = not_a_date(broken)
    assert said in printed.err + printed.out
    assert _e("The build failed (see above); still serving the last good site.").render(
        messages.chosen_language(read_settings(str(ROOT / CONFIG["settings_base"])))) in printed.out
    after = {name: (tmp_path / "preview" / name).read_bytes() for name in tree(tmp_path / "preview")}
    assert after == before
    # What the terminal got, the browser gets: the report's line, path:line.
    date_line = next(number for number, line in enumerate(good.splitlines(), 1) if line.startswith("Date: "))
    shown = f"{library.name}/articles/{slug_of(2)}/{LANGS[0]}.md:{date_line}: {said}"
    assert [line for line in preview.failure["errors"] if line.startswith(shown)], preview.failure
    assert all(line in printed.err + printed.out for line in preview.failure["errors"] + preview.failure["warnings"])
    assert told == [preview.failure]
    # The fix: the browser is told once more, and has nothing to show.
    broken.write_text(good, encoding="utf-8")
    preview.content_changed()
    assert preview.failure is None and told[-1] is None and len(told) == 2
    preview.background.join(timeout=120)
    assert preview.failure is None and len(told) == 2


def not_a_date(article):
    """The refusal of the article's Date, as written, in the editor's language."""
    written = next(line for line in article.read_text(encoding="utf-8").splitlines() if line.startswith("Date: "))
    said = _e("{name} is “{value}”, which is not a date. Write it as year-month-day, e.g. 2026-11-23.", name="Date",
              value=written.removeprefix("Date: "))
    return said.render(messages.chosen_language(read_settings(str(ROOT / CONFIG["settings_base"]))))


def test_a_background_build_stopped_by_a_newer_edit_is_no_failure(library, tmp_path, capfd):
    preview = Preview(library, tmp_path / "preview", "")
    told = []
    preview.failure_changed = lambda: told.append(preview.failure)
    preview.start()
    edited = library / "articles" / slug_of(1) / "index.en.md"
    for sentence in ("A first edit.", "A second edit, while the first one's site is being built."):
        edited.write_text(edited.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        preview.content_changed()
        assert preview.background is not None
    preview.background.join(timeout=120)
    assert preview.failure is None and told == []
    assert "The build failed" not in capfd.readouterr().out


def test_without_fork_a_failed_builds_problems_are_kept_too(library, tmp_path, capfd):
    """After a change to the plugins (and on Windows), Pelican runs as a
    program of its own: its problems reach the terminal and the browser too."""
    broken = library / "articles" / slug_of(2) / f"{LANGS[0]}.md"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("Date: ", "Date: yesterday "), encoding="utf-8")
    preview = Preview(library, tmp_path / "preview", "")
    preview.quick = False
    preview.start()
    date_line = next(number for number, line in enumerate(good.splitlines(), 1) if line.startswith("Date: "))
    shown = f"{library.name}/articles/{slug_of(2)}/{LANGS[0]}.md:{date_line}: {not_a_date(broken)}"
    assert [line for line in preview.failure["errors"] if line.startswith(shown)], preview.failure
    printed = capfd.readouterr()
    assert all(line in printed.err + printed.out for line in preview.failure["errors"])
    assert not (tmp_path / "preview").exists()


def test_a_failed_build_shows_its_report_lines_else_the_end_of_what_it_printed():
    from tasks.preview_problems import OUTPUT_TAIL_LINES, failed_build_shown

    report = ("\x1b[31mCRITICAL\x1b[0m something\ncontent/articles/a/index.uk.md:3: Date is “<b>x</b>”, which is not a date.\n"
              "content/articles/a/index.en.md:1: Summary is missing.  [warning]\n\n2 problems in the content: fix them.\n")
    assert failed_build_shown(report) == {
        "errors": ["content/articles/a/index.uk.md:3: Date is “<b>x</b>”, which is not a date."],
        "warnings": ["content/articles/a/index.en.md:1: Summary is missing.  [warning]"],
        "output": []}
    # A warning is told by its bracketed label, whatever its language.
    assert failed_build_shown("a.md:2: Текст.  [попередження, зупиняє публікацію]\n")["warnings"] == [
        "a.md:2: Текст.  [попередження, зупиняє публікацію]"]
    crash = "\n".join(f"line {number}" for number in range(100)) + "\n\x1b[1mjinja2.exceptions.TemplateSyntaxError\x1b[0m: x\n"
    shown = failed_build_shown(crash)
    assert shown["errors"] == shown["warnings"] == [] and len(shown["output"]) == OUTPUT_TAIL_LINES
    assert shown["output"][-1] == "jinja2.exceptions.TemplateSyntaxError: x"


def clean_build(content, output):
    build_site(None, CONFIG["settings_base"], output, "", content_path=content)
    return output


def test_the_served_folder_is_updated_file_by_file_never_missing(tmp_path):
    from tasks.building import update_folder

    served, built = tmp_path / "served", tmp_path / "built"
    for folder, files in [(served, {"index.html": "old", "en/index.html": "same", "gone/index.html": "x", "page": "file"}),
                          (built, {"index.html": "new", "en/index.html": "same", "added/index.html": "y", "page/index.html": "dir"})]:
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    same = served / "en/index.html"
    inode = same.stat().st_ino
    update_folder(built, served)
    assert {path.relative_to(served).as_posix(): path.read_text(encoding="utf-8")
            for path in served.rglob("*") if path.is_file()} == {
        "index.html": "new", "en/index.html": "same", "added/index.html": "y", "page/index.html": "dir"}
    assert not (served / "gone").exists()
    assert same.stat().st_ino == inode  # an unchanged file is left alone
