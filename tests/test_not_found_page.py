"""The "page not found" page, as GitHub Pages serves it: one /404.html at the
site's root for every missing address, whatever its language.

A local server answers as GitHub Pages does (status 404 and the root
404.html for any missing address); Chromium asks it for a missing address in
each language and must see that language's text, and only it; without
JavaScript, every language's. In each state: axe finds no violation and the
page's policy none either. Expectations come from the settings (LANGUAGES,
CLINIC_NAME) and the theme's catalogues."""

import functools
import http.server
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import LANGS, QuietHandler, lang_prefix
from fixture_site import article, build_fixture_site, home
from test_accessibility import axe_violations, describe

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "theme/translations"
MISSING = "no-such-page/at/all/"
# The page's words, as the theme's catalogues translate them.
HEADING = "Page not found"


@functools.cache
def translated(lang, message):
    """`message` in `lang`, as the theme's catalogue has it (English: itself)."""
    po = CATALOGUES / lang / "LC_MESSAGES/messages.po"
    if not po.exists():
        return message
    with po.open("rb") as file:
        return read_po(file, locale=lang)[message].string


class GitHubPagesHandler(QuietHandler):
    """Serves the site under `base_path` as GitHub Pages does: a missing
    address gets the site's root 404.html, with status 404."""

    base_path = ""

    def translate_path(self, path):
        if not path.startswith(self.base_path + "/"):
            return str(Path(self.directory) / "no such file")
        return super().translate_path(path.removeprefix(self.base_path))

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_like_github_pages(site, base_path=""):
    handler = type("Handler", (GitHubPagesHandler,), {"base_path": base_path})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{base_path}"


@pytest.fixture(scope="module")
def github_pages(site):
    server, url = serve_like_github_pages(site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def csp_watch(page):
    """Record every CSP violation the page reports."""
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective));"
    )
    return lambda: page.evaluate("window.__cspViolations")


def visible_blocks(page):
    """[(lang, heading, [link hrefs])] of the language messages a visitor sees."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-mc-title]')]
        .filter(block => block.offsetParent !== null)
        .map(block => [block.lang, block.querySelector('h1').textContent,
                       [...block.querySelectorAll('a:not([href^="tel:"])')].map(a => a.getAttribute('href'))])""")


def frame_languages(page):
    """The languages of the page's frame (header, footer) a visitor sees."""
    return page.evaluate("""() => [...new Set([...document.querySelectorAll('header, footer')]
        .filter(part => part.offsetParent !== null)
        .map(part => part.closest('[lang]').lang))]""")


def expected_links(settings, lang, has_articles=True):
    """A language's home page, search page and (with articles) A-to-Z list."""
    home_url = f"{settings['SITEURL']}/{lang_prefix(lang)}"
    return [home_url, f"{home_url}search/"] + ([f"{home_url}articles/"] if has_articles else [])


def assert_accessible_and_allowed(page, csp_watch, where):
    result = axe_violations(page)
    assert result["passes"], where  # axe ran
    assert not result["violations"], f"{where}\n{describe(result['violations'])}"
    assert csp_watch() == [], where


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_address_answers_in_its_language(page, github_pages, csp_watch, settings, html_pages, lang):
    response = page.goto(f"{github_pages}/{lang_prefix(lang)}{MISSING}")
    assert response.status == 404
    has_articles = f"{lang_prefix(lang)}articles/index.html" in html_pages
    assert visible_blocks(page) == [[lang, translated(lang, HEADING), expected_links(settings, lang, has_articles)]]
    # The whole page speaks it: its frame, its language, its title.
    assert frame_languages(page) == [lang]
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("header:visible .mc-header__brand").text_content() == settings["CLINIC_NAME"][lang]
    assert page.title() == f"{translated(lang, HEADING)} – {settings['CLINIC_NAME'][lang]}"
    # The visitor sees their language first: its heading is the first on the screen.
    assert page.locator("h1:visible").first.text_content() == translated(lang, HEADING)
    assert page.locator("h1:visible").first.bounding_box()["y"] < page.viewport_size["height"]
    assert_accessible_and_allowed(page, csp_watch, lang)


def test_an_address_outside_every_language_folder_answers_in_the_default_language(page, github_pages, settings):
    default = settings["DEFAULT_LANG"]
    for path in ("missing.html", "english/", f"{next(lang for lang in LANGS if lang != default)}-like/"):
        assert page.goto(f"{github_pages}/{path}").status == 404
        assert [block[0] for block in visible_blocks(page)] == [default], path


def shown(locator):
    """[(lang, heading)] of the visible elements `locator` finds (read by
    Playwright itself: it works with the page's JavaScript off)."""
    return [(element.get_attribute("lang"), element.locator("h1").first.text_content() if element.locator("h1").count() else None)
            for element in locator.all() if element.is_visible()]


def test_without_javascript_every_language_is_there_the_default_first(browser, github_pages, settings, html_pages):
    default = settings["DEFAULT_LANG"]
    languages = [default] + [lang for lang in settings["LANGUAGES"] if lang != default]
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        assert page.goto(f"{github_pages}/en/{MISSING}").status == 404
        assert shown(page.locator("[data-mc-title]")) == [(lang, translated(lang, HEADING)) for lang in languages]
        # The page's own frame, in the default language, as the page says it is.
        assert {lang for lang, _ in shown(page.locator("[data-mc-not-found]:not([data-mc-title])"))} == {default}
        assert page.locator("html").get_attribute("lang") == default
        for lang in languages:
            links = page.locator(f'[data-mc-title][lang="{lang}"] a:not([href^="tel:"])')
            has_articles = f"{lang_prefix(lang)}articles/index.html" in html_pages
            assert [link.get_attribute("href") for link in links.all()] == expected_links(settings, lang, has_articles)
    finally:
        context.close()


def test_without_its_script_the_page_is_accessible_and_allowed(page, github_pages, csp_watch, settings):
    # axe needs JavaScript: the page is served without its script instead,
    # which leaves it as a browser without JavaScript shows it.
    def without_script(route):
        response = route.fetch()
        body = response.text()
        stripped = body[:body.index("<script>")] + body[body.index("</script>", body.index("<script>")) + 9:]
        route.fulfill(response=response, body=stripped)

    page.route(f"{github_pages}/en/{MISSING}", without_script)
    assert page.goto(f"{github_pages}/en/{MISSING}").status == 404
    assert len(visible_blocks(page)) == len(settings["LANGUAGES"])
    assert_accessible_and_allowed(page, csp_watch, "without its script")


def test_each_language_folder_keeps_a_404_page_of_its_own(site, settings):
    # For hosts that serve the nearest 404.html up the address's folders
    # (Cloudflare Pages): the language's page alone, no script needed.
    for lang in settings["LANGUAGES"]:
        text = (site / f"{lang_prefix(lang)}404.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in text
        messages = text.count("data-mc-title=")
        assert messages == (len(settings["LANGUAGES"]) if lang == settings["DEFAULT_LANG"] else 1), lang
        assert ("<script>" in text) == (lang == settings["DEFAULT_LANG"]), lang


def test_a_site_under_a_project_path_picks_the_language_after_that_path(tmp_path, browser):
    # A GitHub Pages project site lives at https://<user>.github.io/<repository>/.
    files = {"articles/one/index.uk.md": article("uk", "one", "Один", "Тема"),
             "articles/one/index.en.md": article("en", "one", "One", "Topic")}
    files.update({f"pages/home/index.{lang}.md": home(lang) for lang in LANGS})
    site_url = "https://example.github.io/clinic"
    output = build_fixture_site(tmp_path, files, SITEURL=site_url, ABSOLUTE_SITEURL=site_url)
    server, base = serve_like_github_pages(output, "/clinic")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for lang in LANGS:
            assert page.goto(f"{base}/{lang_prefix(lang)}{MISSING}").status == 404
            blocks = visible_blocks(page)
            assert [block[0] for block in blocks] == [lang]
            assert blocks[0][2][0] == f"{site_url}/{lang_prefix(lang)}"
    finally:
        context.close()
        server.shutdown()
        server.server_close()
