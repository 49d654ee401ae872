"""`make serve`'s task: it builds, serves every language, reloads the
browser, prints form requests, and keeps the last good site on a mistake."""

import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from fixture_site import copy_project, run_invoke

from clinic.messages import _e

from tasks.measuring import free_port_pair


def fetch(url, data=None):
    with urllib.request.urlopen(url, data=data, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def wait_until(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


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
    article = sorted((project / "content/articles").glob("*/en.md"))[0]
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
            reload_script = f'<script src="/livereload.js?port={port}"></script>'
            assert served.replace(reload_script, "", 1) == (project / "output/404.html").read_text(encoding="utf-8")

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
        page.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective));"
        )
        # A missing English address: the site's 404 page, in English.
        assert page.goto(f"{base}/en/no-such-page/").status == 404
        assert page.locator("[data-mc-title]:visible").get_attribute("lang") == "en"
        assert page.evaluate("window.__cspViolations") == []
        page.goto(base + path)
        connected = f"Browser Connected: {base}{path}"
        wait_until(lambda: connected in log.read_text(), "the reload client's connection")
        assert page.evaluate("window.__cspViolations") == []
        # ...reloads by itself when an edit is rebuilt.
        article.write_text(text.replace(f"Title: {title}", "Title: Edited in the preview", 1), encoding="utf-8")
        page.locator("h1", has_text="Edited in the preview").wait_for(timeout=30_000)
        assert "Edited in the preview" in fetch(base + path)[1]
        # ...a mistake is reported, and the last good site stays served.
        without_lang = re.sub(r"^Lang: .*\n", "", text, flags=re.M)
        article.write_text(without_lang.replace(f"Title: {title}", f"Title: {title}\nLang: english", 1), encoding="utf-8")
        # (in the editor's language: pelicanconf.py's, Ukrainian; run_invoke
        # ignores an EDITOR_LANGUAGE of the shell)
        reported = _e("Lang is “{value}”, but the file is {path_lang}.md. Make them agree: rename the file to "
                      "{value}.md or write “Lang: {path_lang}”.", value="english", path_lang="en").render("uk")
        wait_until(lambda: reported in log.read_text(), "the reported mistake")
        wait_until(lambda: "still serving the last good site" in log.read_text(), "the failed rebuild")
        status, html = fetch(base + path)
        assert status == 200 and "Edited in the preview" in html
    finally:
        server.terminate()
        server.wait(timeout=10)
