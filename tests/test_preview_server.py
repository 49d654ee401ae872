"""`make serve`'s task: it builds, serves every language, reloads the
browser, prints form requests, and keeps the last good site on a mistake,
which every open page shows, path:line, until a save fixes it."""

import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from fixture_site import copy_project, run_invoke

from clinic.messages import _e

from tasks.measuring import free_port_pair

# What `make serve` says, in the editor's language (pelicanconf.py's,
# Ukrainian: run_invoke passes no EDITOR_LANGUAGE of the shell).
STILL_SERVING = _e("The build failed (see above); still serving the last good site.").render("uk")


def fetch(url, data=None):
    with urllib.request.urlopen(url, data=data, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def wait_until(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def watch_csp(page):
    """A list that gets every CSP violation any page of `page` reports,
    across the reloads the preview makes (an evaluate could meet one)."""
    violations = []
    page.expose_function("reportCspViolation", lambda violation: violations.append(violation))
    page.add_init_script("document.addEventListener('securitypolicyviolation',"
                         " e => window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI));")
    return violations


def line_of(text, start):
    """The number of the first line of `text` that starts with `start`."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def serves(url):
    try:
        fetch(url)
        return True
    except OSError:
        return False


def test_livereload_serves_rebuilds_and_keeps_the_last_good_site(tmp_path, page):
    project = copy_project(tmp_path)
    port = free_port_pair()
    log = tmp_path / "serve.log"
    with log.open("w") as log_file:
        server = run_invoke(project, "livereload", "--port", str(port), stdout=log_file, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    # Any English article of the content will do: the first one.
    article = sorted((project / "content/articles").glob("*/index.en.md"))[0]
    text = article.read_text(encoding="utf-8")
    title = re.search(r"^Title: (.*)$", text, re.M).group(1)
    path = f"/en/{article.parent.name}/"
    try:
        wait_until(lambda: serves(base + "/"), "the preview server")
        started = time.monotonic()
        for page_path, lang in (("/", "uk"), ("/en/", "en"), ("/ru/", "ru"), (path, "en")):
            status, html = fetch(base + page_path)
            assert status == 200
            assert f'<html lang="{lang}">' in html
            assert "livereload.js" in html  # the browser reloads after a rebuild

        # A missing address, in any language, gets the site's own 404 page
        # with status 404, as GitHub Pages answers (with the reload script).
        for missing in ("/no-such-page/", "/en/no-such-page/", "/ru/no/such.html"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                fetch(base + missing)
            assert answer.value.code == 404, missing
            served = answer.value.read().decode("utf-8")
            assert "livereload.js" in served, missing
            preview_scripts = (f'<script src="/livereload.js?port={port}"></script>'
                               '<script src="/__preview__/problems.js" defer></script>')
            assert served.replace(preview_scripts, "", 1) == (project / "output/404.html").read_text(encoding="utf-8")

        # The form posts to the local receiver, which prints the request.
        _, html = fetch(base + path)
        assert f'action="http://127.0.0.1:{port + 1}/callback"' in html
        form = urllib.parse.urlencode({"name": "Test Person", "phone": "+380970552200"}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port + 1}/callback", data=form, headers={"Accept": "application/json"})
        assert fetch(req)[0] == 200
        wait_until(lambda: "name: Test Person" in log.read_text(), "the printed request")

        # A browser on the page, under the site's Content-Security-Policy...
        # (livereload reloads browsers once just after it starts, then at most
        # once in 3 seconds: an editor's first save comes later than that.)
        time.sleep(max(0.0, 3.5 - (time.monotonic() - started)))
        violations = watch_csp(page)
        # A missing English address: the site's 404 page, in English.
        assert page.goto(f"{base}/en/no-such-page/").status == 404
        assert page.locator("[data-mc-title]:visible").get_attribute("lang") == "en"
        assert violations == []
        page.goto(base + path)
        connected = f"Browser Connected: {base}{path}"
        wait_until(lambda: connected in log.read_text(), "the reload client's connection")
        assert violations == []
        # ...reloads by itself when an edit is rebuilt.
        article.write_text(text.replace(f"Title: {title}", "Title: Edited in the preview", 1), encoding="utf-8")
        page.locator("h1", has_text="Edited in the preview").wait_for(timeout=30_000)
        assert "Edited in the preview" in fetch(base + path)[1]
        # ...a mistake is reported, and the last good site stays served.
        without_lang = re.sub(r"^Lang: .*\n", "", text, flags=re.M)
        broken = without_lang.replace(f"Title: {title}", f"Title: {title}\nLang: english", 1)
        article.write_text(broken, encoding="utf-8")
        # (in the editor's language: pelicanconf.py's, Ukrainian; run_invoke
        # ignores an EDITOR_LANGUAGE of the shell)
        reported = _e("Lang is “{value}”, but the file is index.{path_lang}.md. Make them agree: rename the file to "
                      "index.{value}.md or write “Lang: {path_lang}”.", value="english", path_lang="en").render("uk")
        wait_until(lambda: reported in log.read_text(), "the reported mistake")
        wait_until(lambda: STILL_SERVING in log.read_text(), "the failed rebuild")
        status, html = fetch(base + path)
        assert status == 200 and "Edited in the preview" in html
        # The open page reloads and shows the problem as the terminal does,
        # path:line first, over the last good page.
        shown = f"content/articles/{article.parent.name}/index.en.md"
        problems = page.locator("[data-preview-problems]")
        problems.locator("li", has_text=f"{shown}:{line_of(broken, 'Lang: english')}: {reported}").wait_for()
        expect(page.locator("h1", has_text="Edited in the preview")).to_have_count(1)
        assert violations == []
        # A message quoting what the editor typed shows it as text, never as HTML.
        typed = "<b>вчора</b>"
        broken = re.sub(r"^Date: .*$", f"Date: {typed}", text.replace(f"Title: {title}", "Title: Edited in the preview"),
                        count=1, flags=re.M)
        article.write_text(broken, encoding="utf-8")
        at_date = f"{shown}:{line_of(broken, 'Date: ')}: Date "
        problem = problems.locator("li", has_text=at_date)
        problem.wait_for(timeout=30_000)
        expect(problem).to_contain_text(typed)
        expect(problem.locator("b")).to_have_count(0)
        # What stopped the build comes first, before any warning printed with it.
        expect(problems.locator("li").first).to_contain_text(at_date)
        # The overlay's own words: the editor's language (pelicanconf.py's).
        parts = problems.locator(":scope > div[lang]")
        expect(parts).to_have_count(1)
        expect(parts.nth(0)).to_have_attribute("lang", "uk")
        assert violations == []
        # Fixed: the page reloads into the site, with the fix, and no problems.
        article.write_text(text.replace(f"Title: {title}", "Title: Fixed in the preview", 1), encoding="utf-8")
        page.locator("h1", has_text="Fixed in the preview").wait_for(timeout=30_000)
        expect(problems).to_have_count(0)
        assert violations == []
        assert fetch(base + "/__preview__/problems.json")[1] == '{"failed": false}'
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_first_build_that_fails_shows_its_problems_at_every_address_until_a_save_fixes_it(tmp_path, page):
    project = copy_project(tmp_path)
    article = sorted((project / "content/articles").glob("*/index.uk.md"))[0]
    text = article.read_text(encoding="utf-8")
    broken = re.sub(r"^Date: .*$", "Date: вчора", text, count=1, flags=re.M)
    article.write_text(broken, encoding="utf-8")
    port = free_port_pair()
    log = tmp_path / "serve.log"
    with log.open("w") as log_file:
        server = run_invoke(project, "livereload", "--port", str(port), stdout=log_file, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _e("Serving the site at {address}/ (Ctrl+C to stop)", address=base).render("uk")
                   in log.read_text(), "the preview server")
        assert not (project / "output").exists()  # nothing was built
        violations = watch_csp(page)
        assert page.goto(f"{base}/en/").status == 404
        shown = f"content/articles/{article.parent.name}/index.uk.md:{line_of(broken, 'Date: ')}: Date "
        page.locator("[data-preview-problems] li", has_text=shown).wait_for()
        expect(page.locator("[data-preview-problems] li", has_text=shown)).to_contain_text("вчора")
        wait_until(lambda: f"Browser Connected: {base}/en/" in log.read_text(), "the reload client's connection")
        article.write_text(text, encoding="utf-8")
        page.locator("html[lang=en] h1").wait_for(timeout=60_000)
        expect(page.locator("[data-preview-problems]")).to_have_count(0)
        assert violations == []
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_problems_words_come_from_the_editors_messages_in_each_language():
    from clinic.messages import EDITOR_LANGUAGES
    from tasks.preview_problems import problems_words

    shown = {lang: problems_words(lang) for lang in EDITOR_LANGUAGES}
    assert shown["en"]["heading"] == "The last save has problems"
    for lang, words in shown.items():
        assert words["lang"] == lang and all(words.values())
        assert words["heading"] == _e("The last save has problems").render(lang)
    # Each language's own words, not the English shown everywhere.
    assert len({words["heading"] for words in shown.values()}) == len(EDITOR_LANGUAGES)
