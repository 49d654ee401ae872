"""Editing through the web editor in Chromium, as an editor does.

With the editor's test backend, its repository seeded from a copy of
content/ (in the page-bundle layout the editor writes: <slug>/index.<lang>.md):

* a changed Ukrainian summary changes that line of the file, nothing else;
* a new article in Ukrainian and English passes `invoke check` and builds;
* an article whose text holds a <script> and an event handler runs neither
  in the editor's page, its preview pane included;

and with the GitHub API answered by a stand-in (github_stand_in.py), a
save signed in with a token makes a branch and a pull request.

Every test runs in a guarded tab (editor_tab.py): nothing may leave this
machine, and the policy may refuse nothing the editor does.
"""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from editor_tab import (  # noqa: F401 (fixtures)
    admin_url, built_config, content_files, guarded, interface_text, read_repository, seed, use_test_backend,
)


LANGUAGE_FILE = re.compile(r"^(?:index\.)?(?P<lang>[a-z]{2})\.md$")


def in_editor_layout(path):
    """A content path as the editor writes it: content/<folder>/<slug>/index.<lang>.md
    (the project's files are in that layout once migrated; before, <lang>.md)."""
    folder, name = path.rsplit("/", 1)
    return f"{folder}/index.{LANGUAGE_FILE.match(name)['lang']}.md"


def language_of(path):
    return LANGUAGE_FILE.match(path.rsplit("/", 1)[1])["lang"]


@pytest.fixture
def seeded(guarded, admin_url, built_config):
    """The editor signed in to its test backend, whose repository holds
    every Markdown file of content/; gives (tab, {path: text} seeded)."""
    files = {in_editor_layout(path): text for path, text in content_files().items()}
    use_test_backend(guarded, built_config)
    guarded.page.goto(admin_url)
    seed(guarded.page, files)
    guarded.page.get_by_role("button", name=interface_text("work_with_test_repo")).click()
    guarded.page.get_by_role("button", name=interface_text("create")).first.wait_for(timeout=30000)
    return guarded, files


def an_article(files, lang="uk"):
    """(path, text, title) of an article of the content in `lang`."""
    path = next(path for path in sorted(files) if path.startswith("content/articles/") and language_of(path) == lang)
    text = files[path]
    return path, text, re.search(r"^Title: (.*)$", text, re.M)[1]


def field(tab, key, lang="uk"):
    """A field of the entry open in the editor, in the pane of `lang`."""
    return tab.page.locator(f"[data-locale={lang}][data-mode=edit] section[data-key-path={key}]")


def open_entry(tab, title):
    tab.page.get_by_text(title, exact=True).first.click()
    field(tab, "title").wait_for(timeout=30000)


def save(tab):
    """Save the open entry, and wait until the editor has closed it (it
    does after saving): the files are then written."""
    tab.page.get_by_role("button", name=interface_text("save"), exact=True).click()
    field(tab, "title").wait_for(state="detached", timeout=30000)


def body_editor(tab, lang="uk"):
    """The Markdown text's editor (raw mode) of `lang`, scrolled into view:
    the editor draws the fields of a long form as they come into view."""
    body = field(tab, "body", lang)
    for _ in range(40):
        if body.count():
            break
        tab.page.mouse.move(400, 500)
        tab.page.mouse.wheel(0, 2000)
        tab.page.wait_for_timeout(250)
    return body.locator("textarea")


def type_until(box, value, shown, tries=10):
    """Fill `box` with `value` until `shown` appears: the editor may still
    be setting up the entry's form when it is first visible, and then
    replaces what was typed too early with the file's text."""
    for _ in range(tries):
        box.fill(value)
        try:
            shown.wait_for(timeout=3000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"the editor never showed {shown}: typed {value[-80:] in box.input_value()}, "
                         f"{[frame.url for frame in box.page.frames]}")


def assert_nothing_left_or_refused(tab):
    assert tab.off_site == [], "the editor tried to reach another host"
    assert tab.violations() == [], "the editor's policy refused something it does"


def test_a_changed_summary_changes_that_line_only(seeded):
    tab, files = seeded
    path, text, title = an_article(files)
    summary = re.search(r"^Summary: (.*)$", text, re.M)[1]
    changed = "Нове коротке резюме, змінене у веб-редакторі."
    assert changed != summary
    open_entry(tab, title)
    field(tab, "summary").locator("textarea").fill(changed)
    save(tab)
    written = read_repository(tab.page)[path]
    assert written == text.replace(f"Summary: {summary}", f"Summary: {changed}", 1)
    # No other file of the repository changed.
    assert {p: t for p, t in read_repository(tab.page).items() if p != path} == {
        p: t for p, t in files.items() if p != path}
    assert_nothing_left_or_refused(tab)


# What an article's text could try: a script, and a handler on an element
# that fails to load (its address is on this machine, so no request leaves it).
HOSTILE_TEXT = ('<script>window.top.__articleScriptRan = true</script>\n\n'
                '<img src="nothing-here.png" alt="" onerror="window.top.__articleHandlerRan = true">\n\n'
                '<p onclick="window.top.__articleHandlerRan = true">Перевірка безпеки редактора.</p>\n')


def test_an_article_with_a_script_runs_nothing_in_the_editor(seeded):
    tab, files = seeded
    path, text, title = an_article(files)
    open_entry(tab, title)
    editor = body_editor(tab)
    last_line = text.rstrip("\n").rsplit("\n", 1)[-1]
    tab.page.wait_for_function("([box, line]) => box.value.includes(line)", arg=[editor.element_handle(), last_line])
    # The preview pane (beside the form, shown by default on a wide
    # screen) draws the text the editor is writing.
    shown = tab.page.locator("[data-locale=uk][data-mode=preview]").get_by_text("Перевірка безпеки редактора.")
    type_until(editor, editor.input_value().rstrip("\n") + "\n\n" + HOSTILE_TEXT, shown)
    tab.page.locator("[data-locale=uk][data-mode=preview]").get_by_text("Перевірка безпеки редактора.").click()
    save(tab)
    written = read_repository(tab.page)[path]
    # Saved as written: the build's checks (the HTML allow-list) judge it.
    assert HOSTILE_TEXT in written
    open_entry(tab, title)  # and opened again, its preview drawn from the saved file
    tab.page.wait_for_timeout(2000)
    for frame in tab.page.frames:
        assert frame.evaluate("[window.__articleScriptRan, window.__articleHandlerRan]") == [None, None], frame.url
    assert tab.dialogs == []
    assert tab.off_site == []
    # Blocked by the policy, or never made a script by the preview: either
    # way nothing ran; what the policy refused is only the article's own.
    assert {violation.removeprefix("(frame) ").split()[0] for violation in tab.violations()} <= {
        "script-src", "script-src-attr", "script-src-elem"}
