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

    edited = library / "articles" / slug_of(1) / "en.md"
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


def test_a_broken_edit_keeps_the_last_good_site(library, tmp_path, capfd):
    preview = Preview(library, tmp_path / "preview", "")
    preview.start()
    before = {name: (tmp_path / "preview" / name).read_bytes() for name in tree(tmp_path / "preview")}
    broken = library / "articles" / slug_of(2) / f"{LANGS[0]}.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("Date: ", "Date: yesterday "), encoding="utf-8")
    preview.content_changed()
    assert preview.background is None  # nothing more is built
    printed = capfd.readouterr()  # the forked Pelican writes to the same file descriptors
    # That message, with the date as written, in the editor's language.
    written = next(line for line in broken.read_text(encoding="utf-8").splitlines() if line.startswith("Date: "))
    said = _e("{name} is “{value}”, which is not a date. Write it as year-month-day, e.g. 2026-11-23.", name="Date",
              value=written.removeprefix("Date: "))
    assert said.render(messages.chosen_language(read_settings(str(ROOT / CONFIG["settings_base"])))) in printed.err
    assert "still serving the last good site" in printed.out
    after = {name: (tmp_path / "preview" / name).read_bytes() for name in tree(tmp_path / "preview")}
    assert after == before


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
