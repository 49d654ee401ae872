"""Search: each language's search page in Chromium, over the Pagefind index
that every build writes (tasks.building.index_for_search).

The words searched for come from the content (each article's title), so
the tests hold whatever articles the clinic adds."""

import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import LANGS, lang_prefix

# Pagefind fetches its code, WebAssembly and index on first use: on a busy
# two-core machine that can take longer than Playwright's 5 s default.
expect.set_options(timeout=20_000)
from test_accessibility import axe_violations, describe
from test_security_policy import csp_watch  # noqa: F401  (a fixture)


@pytest.fixture(scope="session")
def search_urls(settings):
    """{lang: the search page's path}, from the one place that defines it."""
    from clinic.addresses import search_url

    return {lang: search_url(lang, settings) for lang in LANGS}


def longest_word(text):
    return max(re.findall(r"\w{4,}", text), key=len)


def search(page, site_url, path, query):
    """Open the search page with `query` in its address; return the results'
    paths once the search has answered."""
    page.goto(f"{site_url}/{path}?q={quote(query)}")
    results = page.locator(".mc-search__result a")
    status = page.locator("[data-search-status]")
    expect(status).not_to_have_text(re.compile(r"^$|…"))
    return [urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")]


def in_language(path, lang):
    """Whether a site path is a page of `lang` (the default language has no
    prefix; every other language's pages are under /<lang>/)."""
    others = [other for other in LANGS if other != lang and lang_prefix(other)]
    if lang_prefix(lang):
        return path.startswith(f"/{lang_prefix(lang)}")
    return not any(path.startswith(f"/{lang_prefix(other)}") for other in others)


@pytest.mark.parametrize("lang", LANGS)
def test_a_word_of_each_article_finds_it_in_its_language(page, site_url, search_urls, articles, csp_watch, lang):
    mine = [(slug, entry) for slug, entry_lang, entry in articles if entry_lang == lang]
    if not mine:
        pytest.skip(f"the content has no {lang} article")
    for _, entry in mine:
        found = search(page, site_url, search_urls[lang], longest_word(entry["title"]))
        assert f"/{entry['url']}" in found, (entry["title"], found)
        assert all(in_language(path, lang) for path in found), found
        title = page.locator(".mc-search__result-title", has=page.locator(f"a[href$='/{entry['url']}']"))
        expect(title).to_have_text(entry["title"])
    assert csp_watch() == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_never_returns_another_languages_pages(page, site_url, search_urls, articles, lang):
    """The words of the other languages' titles, searched here, find only
    this language's pages (or nothing)."""
    others = [entry for _, entry_lang, entry in articles if entry_lang != lang]
    for entry in others:
        found = search(page, site_url, search_urls[lang], longest_word(entry["title"]))
        assert all(in_language(path, lang) for path in found), (entry["title"], found)


def test_the_results_show_the_title_and_the_summary(page, site_url, search_urls, articles):
    _, lang, entry = articles[0]
    search(page, site_url, search_urls[lang], longest_word(entry["title"]))
    result = page.locator(".mc-search__result", has=page.locator(f"a[href$='/{entry['url']}']"))
    expect(result.locator(".mc-search__result-summary")).to_have_text(re.sub(r"<[^>]+>", "", entry["summary"]))


# Pagefind answers a word it does not know with the words that begin like
# it (its first letters), so a query that finds nothing must share its first
# two letters with no word of the site: the first of these that does not.
NOTHING_CANDIDATES = ["qwxzvbnk", "zzqqxxjj", "jxqvzkwq", "xqjzvwkb", "918273645546"]


def a_query_that_finds_nothing(html_pages):
    starts = {word[:2] for soup in html_pages.values() for word in re.findall(r"\w+", soup.get_text().casefold())}
    return next(query for query in NOTHING_CANDIDATES if query[:2] not in starts)


def test_nothing_found_is_said_and_the_a_to_z_list_is_offered(page, site_url, search_urls, settings, html_pages):
    query = a_query_that_finds_nothing(html_pages)
    found = search(page, site_url, search_urls["en"], query)
    assert found == []
    expect(page.locator("[data-search-status]")).to_contain_text(query)
    from clinic.addresses import index_url

    expect(page.locator(".mc-search__browse a")).to_have_attribute("href", f"/{index_url('en', settings)}")


def test_typing_and_enter_search_and_move_focus_to_the_number_of_results(page, site_url, search_urls, articles, csp_watch):
    _, lang, entry = articles[0]
    page.goto(f"{site_url}/{search_urls[lang]}")
    field = page.locator("#search-query")
    expect(field).to_be_visible()
    expect(page.locator("[data-search-without-script]")).to_be_hidden()
    field.focus()
    page.keyboard.type(longest_word(entry["title"]))
    page.keyboard.press("Enter")
    expect(page.locator(f".mc-search__result a[href$='/{entry['url']}']")).to_be_visible()
    expect(page.locator("[data-search-status]")).to_be_focused()
    assert "q=" in page.url  # the search can be shared and returned to
    assert csp_watch() == []


def test_without_javascript_the_page_says_so_and_links_to_the_a_to_z_list(browser, site_url, search_urls, settings):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site_url}/{search_urls['uk']}")
        expect(page.locator("form[role=search]")).to_be_hidden()
        expect(page.locator("[data-search-without-script]")).to_be_visible()
        page.locator(".mc-search__browse a").click()
        expect(page.locator("h1")).to_be_visible()
        from clinic.addresses import index_url

        assert urlsplit(page.url).path == f"/{index_url('uk', settings)}"
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_reports_no_violations_with_results_shown(page, site_url, search_urls, articles, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    entry = next((entry for _, entry_lang, entry in articles if entry_lang == lang), None)
    search(page, site_url, search_urls[lang], longest_word(entry["title"]) if entry else "a")
    result = axe_violations(page)
    assert result["passes"], "axe ran no checks"
    assert not result["violations"], describe(result["violations"])


def test_only_the_search_pages_load_search_code(html_pages, search_urls, settings):
    """The other pages' budgets do not pay for search: no page but the
    search pages names the search bundle or the index."""
    search_pages = {f"{path}index.html" for path in search_urls.values()}
    for path, soup in html_pages.items():
        loads = [tag.get("src", "") for tag in soup.find_all("script")]
        uses_search = any("/search." in src or "pagefind" in src for src in loads) or soup.find(attrs={"data-index": True})
        assert bool(uses_search) == (path in search_pages), path


def test_each_language_has_an_index_of_its_own_and_only_what_the_site_uses(site, settings, html_pages, search_urls):
    """pagefind/<lang>/ holds that language only, and its search page loads
    that one; nothing Pagefind writes that the site does not use is kept."""
    import json

    from clinic.addresses import search_index_path

    for lang in settings["LANGUAGES"]:
        folder = site / search_index_path(lang, settings)
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [lang]
        names = {path.name for path in folder.iterdir()}
        assert "pagefind.js" in names and "pagefind-worker.js" in names
        assert not [name for name in names if "-ui" in name or "highlight" in name or name == "playground"]
        form = html_pages[f"{search_urls[lang]}index.html"].find(attrs={"data-module": "search"})
        assert form["data-index"] == f"{settings['SITEURL']}/{search_index_path(lang, settings)}"
    assert not [path for path in site.iterdir() if path.name.startswith(".search-sources")]
