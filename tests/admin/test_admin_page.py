"""The web editor's page, /admin/: what the build writes, and the page in Chromium.

It opens with nothing fetched from another host and no policy violation,
in Ukrainian for a browser that prefers English; it is no visitors' page
(noindex, linked from none, in no sitemap or search index); on this
machine it offers the local-repository mode that `make serve` is for.
"""

import re

import pytest
from editor_tab import admin_url, built_config, guarded, interface_text  # noqa: F401 (fixtures)

from conftest import lang_prefix

EDITOR_PATH = "admin/index.html"


def open_editor(tab, url):
    tab.page.goto(url)
    # The sign-in screen, drawn by the bundle: the token button is what an
    # editor meets first (auth_methods: [token]).
    tab.page.get_by_role("button", name=interface_text("sign_in_using_access_token")).wait_for(timeout=30000)
    tab.page.wait_for_load_state("networkidle")


def test_editor_opens_in_ukrainian_with_nothing_from_another_host(guarded, admin_url):
    open_editor(guarded, admin_url)
    assert guarded.off_site == [], "the editor tried to reach another host"
    assert guarded.violations() == [], "the editor's policy refused something it does"
    assert guarded.console_errors == []
    assert guarded.page.evaluate("document.documentElement.lang") == "uk"
    # Its fonts came from the site (admin/assets/), not a CDN.
    fonts = guarded.page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert fonts, "no font of the editor's loaded"


def test_an_editor_who_chose_a_language_keeps_it(guarded, admin_url):
    """The Ukrainian default is set once: a language chosen later in the
    editor's settings (stored in its preferences) is not overruled."""
    open_editor(guarded, admin_url)
    guarded.page.evaluate("""() => {
      const prefs = JSON.parse(localStorage.getItem('sveltia-cms.prefs') ?? '{}');
      localStorage.setItem('sveltia-cms.prefs', JSON.stringify({...prefs, locale: 'en-US'}));
    }""")
    guarded.page.reload()
    guarded.page.get_by_role("button", name=interface_text("sign_in_using_access_token", "en-US")).wait_for(
        timeout=30000)


def test_local_repository_mode_is_offered_on_this_machine(guarded, admin_url):
    """`make serve` serves the editor at 127.0.0.1, where Sveltia offers to
    work on the working copy (File System Access API, which the policy
    does not need to allow)."""
    open_editor(guarded, admin_url)
    button = guarded.page.get_by_role("button", name=interface_text("work_with_local_repo"))
    assert button.is_enabled()
    assert guarded.violations() == []


def test_the_page_is_no_visitors_page(site, html_pages, settings):
    editor = html_pages[EDITOR_PATH]
    assert "noindex" in editor.find("meta", attrs={"name": "robots"})["content"]
    assert editor.find(attrs={"data-pagefind-body": True}) is None, "the search index would take it"
    noscript = editor.find("noscript").get_text(" ", strip=True)
    assert noscript and noscript != "The web editor needs JavaScript. Turn it on in your browser's settings for " \
                                      "this site, then reload the page.", "the <noscript> is not in Ukrainian"
    assert editor.find("html")["lang"] == settings["DEFAULT_LANG"]
    linking = [path for path, page in html_pages.items() if path != EDITOR_PATH
               and any(re.search(r"(^|/)admin(/|$)", a.get("href", "")) for a in page.find_all("a"))]
    assert linking == [], "visitors' pages link to the editor"
    assert "/admin/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    # Pagefind indexes the pages marked data-pagefind-body only; none of
    # the index's pages is the editor.
    for lang in settings["LANGUAGES"]:
        assert (site / "pagefind" / lang).is_dir()
    assert not any("admin" in path.name for path in (site / "pagefind").rglob("*"))


def test_the_page_carries_only_the_bundle(html_pages, site):
    editor = html_pages[EDITOR_PATH]
    scripts = editor.find_all("script")
    assert [script.get("type") for script in scripts] == ["module"]
    assert all(not script.string for script in scripts), "an inline script"
    source = scripts[0]["src"]
    assert (site / source.lstrip("/")).is_file()
    assert (site / "admin" / "config.yml").is_file()


def test_the_bundle_names_no_third_party_font(site):
    """What the esbuild plugin removes stays removed (the browser tests show
    that nothing is requested; the status poll, after a GitHub sign-in, is
    test_admin_editing's)."""
    bundle = "".join(path.read_text(encoding="utf-8") for path in (site / "admin").rglob("*.js"))
    assert "cdn.jsdelivr.net" not in bundle


@pytest.mark.parametrize("lang", ["uk", "en", "ru"])
def test_visitors_pages_keep_their_policy(html_pages, settings, lang):
    """The editor's policy is its own: a visitors' home page keeps the site's."""
    home = html_pages[f"{lang_prefix(lang)}index.html"]
    policy = home.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "'unsafe-inline'" not in policy and "api.github.com" not in policy
