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

from clinic import contract
from editor_tab import (  # noqa: F401 (fixtures)
    admin_url, built_config, content_files, guarded, interface_text, read_repository, seed, use_test_backend,
)


def language_of(path):
    return contract.language_of_file_name(path.rsplit("/", 1)[1])


@pytest.fixture
def seeded(guarded, admin_url, built_config):
    """The editor signed in to its test backend, whose repository holds
    every Markdown file of content/; gives (tab, {path: text} seeded)."""
    files = content_files()
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
    tab.page.get_by_role("button", name=interface_text("create_new_entry")).wait_for(timeout=30000)


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


def choose_topic(tab, built_config, settings, lang):
    """The first topic of TOPICS in `lang`, as the editor offers it (its
    option's label, from the built configuration)."""
    topic = next(iter(settings["TOPICS"].values()))[lang]
    articles = next(c for c in built_config["collections"] if c["folder"].endswith("/articles"))
    options = next(f for f in articles["fields"] if f["name"] == "category")["options"]
    label = next(option["label"] for option in options if option["value"] == topic)
    field(tab, "category", lang).get_by_role("radio", name=label, exact=True).check()
    return topic


def language_name(tab, lang):
    """How the editor's Ukrainian interface names a language."""
    return tab.page.evaluate("lang => new Intl.DisplayNames(['uk'], {type: 'language'}).of(lang)", lang)


def fill_until_kept(box, value, tries=10):
    """Fill `box` until the editor keeps `value` (a new entry's form may
    still be setting itself up, and then replaces what came too early)."""
    for _ in range(tries):
        box.fill(value)
        box.page.wait_for_timeout(300)
        if box.input_value() == value:
            return
    raise AssertionError(f"the editor did not keep {value!r}")


def write_new_article(tab, built_config, settings, lang, title, summary, text):
    fill_until_kept(field(tab, "title", lang).locator("input"), title)
    if lang == settings["DEFAULT_LANG"]:  # the date is the same in every language: the editor copies it
        field(tab, "date", lang).get_by_role("button", name=interface_text("today")).click()
    choose_topic(tab, built_config, settings, lang)
    fill_until_kept(field(tab, "summary", lang).locator("textarea"), summary)
    fill_until_kept(body_editor(tab, lang), text)
    assert field(tab, "title", lang).locator("input").input_value() == title


def test_a_new_article_in_ukrainian_and_english_passes_the_checks_and_builds(seeded, built_config, settings,
                                                                            tmp_path):
    from fixture_site import copy_project, run_invoke

    tab, files = seeded
    tab.page.get_by_role("button", name=interface_text("create_new_entry")).click()
    field(tab, "title").wait_for(timeout=30000)
    write_new_article(tab, built_config, settings, "uk", "Вправи для спини після масажу",
                      "Які прості вправи допомагають зберегти результат масажу і коли їх краще відкласти.",
                      "Після курсу масажу спині потрібен рух.\n\n## Коли починати\n\nЗ наступного дня, без болю.\n")
    # English: switched on beside the Ukrainian (the editor starts with the default language only).
    english = re.compile(f"^{re.escape(language_name(tab, 'en'))}", re.I)
    tab.page.get_by_role("radio", name=english).first.click()
    tab.page.get_by_role("button", name=re.compile(f"^{re.escape(interface_text('enable_x_locale').split('(')[0])}"
                                                   )).first.click()
    field(tab, "title", "en").wait_for(timeout=30000)
    write_new_article(tab, built_config, settings, "en", "Back exercises after a massage",
                      "Which simple exercises help to keep what a massage did, and when to put them off.",
                      "After a course of massage, a back needs to move.\n\n## When to start\n\nThe next day, "
                      "without pain.\n")
    save(tab)
    written = {path: text for path, text in read_repository(tab.page).items() if path not in files}
    assert sorted(language_of(path) for path in written) == ["en", "uk"]
    assert len({path.rsplit("/", 1)[0] for path in written}) == 1  # one article: one folder, two languages
    assert {path: text for path, text in read_repository(tab.page).items() if path in files} == files
    assert_nothing_left_or_refused(tab)
    # Into a copy of the project, as the pull request would bring them.
    project = copy_project(tmp_path)
    for path, text in written.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text, encoding="utf-8")
    checked = run_invoke(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_invoke(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    slug = next(iter(written)).split("/")[-2]
    for path in written:
        lang = language_of(path)
        page = project / "output" / ("" if lang == settings["DEFAULT_LANG"] else lang) / slug / "index.html"
        assert page.is_file(), page


def test_a_save_signed_in_to_github_opens_a_branch_and_a_pull_request(guarded, admin_url, built_config):
    """Token sign-in and the editorial workflow against a stand-in for the
    GitHub API (github_stand_in.py): a save is a branch and a pull request,
    and main is left alone. Nothing else is asked of any other host (the
    githubstatus.com poll is patched out of the bundle)."""
    from editor_tab import serve_config
    from github_stand_in import GitHubStandIn

    token = "github_pat_not_a_real_token"
    owner, repo = "clinic", "site"
    files = content_files()
    github = GitHubStandIn(owner, repo, files, token)
    github.install(guarded.context)
    backend = built_config["backend"]
    assert backend["name"] == "github" and backend["auth_methods"] == ["token"]
    assert built_config["publish_mode"] == "editorial_workflow"
    serve_config(guarded, {**built_config, "backend": {**backend, "repo": f"{owner}/{repo}"}})
    page = guarded.page
    page.goto(admin_url)
    page.get_by_role("button", name=interface_text("sign_in_using_access_token")).click()
    page.get_by_label(interface_text("personal_access_token")).fill(token)
    page.get_by_role("button", name=interface_text("sign_in"), exact=True).click()
    page.get_by_role("button", name=interface_text("create_new_entry")).wait_for(timeout=30000)
    path, text, title = an_article(files)
    summary = re.search(r"^Summary: (.*)$", text, re.M)[1]
    changed = "Резюме, змінене через GitHub."
    open_entry(guarded, title)
    type_until(field(guarded, "summary").locator("textarea"), changed,
               guarded.page.locator("[data-locale=uk][data-mode=preview]").get_by_text(changed))
    # With the editorial workflow the entry stays open after a save; the
    # stand-in answers while the page waits (Playwright routes then).
    page.get_by_role("button", name=interface_text("save"), exact=True).click()
    for _ in range(120):
        if github.pulls and any(name.endswith("/labels") for _, name, _ in github.calls):
            break
        page.wait_for_timeout(250)
    assert github.unknown == []
    assert len(github.pulls) == 1
    pull = github.pulls[0]
    assert pull.base == "main" and pull.head != "main" and pull.state == "open"
    assert github.file(pull.head, path) == text.replace(f"Summary: {summary}", f"Summary: {changed}", 1)
    assert {other: github.file(pull.head, other) for other in files if other != path} == {
        other: content for other, content in files.items() if other != path}
    assert github.file("main", path) == text  # main changes only when the pull request is merged
    made = [(method, called) for method, called, operation in github.calls
            if method == "POST" and (called.endswith("/pulls") or "createRef(" in (operation or ""))]
    assert made == [("POST", "/graphql"), ("POST", f"/repos/{owner}/{repo}/pulls")]
    assert_nothing_left_or_refused(guarded)
