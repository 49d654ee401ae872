"""The web editor's page, /admin/: what the build writes, and the page in Chromium.

It opens with nothing fetched from another host and no policy violation,
in Ukrainian for a browser that prefers English; it is no visitors' page
(noindex, linked from none, in no sitemap or search index); on this
machine it offers the local-repository mode that `make serve` is for.
"""

import re

import pytest
from editor_tab import admin_url, built_config, guarded, interface_text  # noqa: F401 (fixtures)

from bs4 import BeautifulSoup

from clinic import contract

from conftest import EDITOR_PAGE, lang_prefix


@pytest.fixture(scope="module")
def editor(site):
    """The editor's page as built (html_pages leaves it out: not a visitors' page)."""
    return BeautifulSoup((site / EDITOR_PAGE).read_text(encoding="utf-8"), "html.parser")


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


def test_the_page_is_no_visitors_page(site, editor, html_pages, settings):
    assert "noindex" in editor.find("meta", attrs={"name": "robots"})["content"]
    assert editor.find(attrs={"data-pagefind-body": True}) is None, "the search index would take it"
    noscript = editor.find("noscript").get_text(" ", strip=True)
    assert noscript and noscript != "The web editor needs JavaScript. Turn it on in your browser's settings for " \
                                      "this site, then reload the page.", "the <noscript> is not in Ukrainian"
    assert editor.find("html")["lang"] == settings["DEFAULT_LANG"]
    linking = [path for path, page in html_pages.items()
               if any(re.search(r"(^|/)admin(/|$)", a.get("href", "")) for a in page.find_all("a"))]
    assert linking == [], "visitors' pages link to the editor"
    assert "/admin/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    # Pagefind indexes the pages marked data-pagefind-body only; none of
    # the index's pages is the editor.
    for lang in settings["LANGUAGES"]:
        assert (site / "pagefind" / lang).is_dir()
    assert not any("admin" in path.name for path in (site / "pagefind").rglob("*"))


def test_the_page_carries_only_the_bundle(editor, site):
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


def test_make_serve_serves_the_editor_for_the_working_copy(tmp_path, guarded):
    """`make serve` (invoke livereload) serves /admin/ at 127.0.0.1, where
    the editor offers its local-repository mode: saving there writes the
    working copy's content/, which the preview rebuilds and reloads in the
    site's pages. The editor's page itself carries no reload client, so a
    save never reloads the editor under the editor's hands. (Choosing the
    folder is the browser's own dialog, which no test can answer: the write
    below is what the editor's save does to content/.)"""
    from fixture_site import copy_project, run_invoke
    from tasks.measuring import free_port_pair
    from test_preview_server import fetch, serves, wait_until

    project = copy_project(tmp_path)
    port = free_port_pair()
    log = tmp_path / "serve.log"
    with log.open("w") as log_file:
        server = run_invoke(project, "livereload", "--port", str(port), stdout=log_file, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: serves(base + "/"), "the preview server", seconds=300)
        status, html = fetch(f"{base}/admin/")
        assert status == 200 and "livereload.js" not in html and "problems.js" not in html
        assert "livereload.js" in fetch(base + "/")[1]  # the site's pages do reload
        open_editor(guarded, f"{base}/admin/")
        assert guarded.page.get_by_role("button", name=interface_text("work_with_local_repo")).is_enabled()
        guarded.page.evaluate("window.__notReloaded = true")
        # A save in the editor: a Ukrainian article of the working copy,
        # its title changed.
        source = sorted((project / "content" / "articles").glob(f"*/{contract.content_file_name('uk')}"))[0]
        text = source.read_text(encoding="utf-8")
        title = re.search(r"^Title: (.*)$", text, re.M).group(1)
        source.write_text(text.replace(f"Title: {title}", f"Title: {title} (edited)", 1), encoding="utf-8")
        wait_until(lambda: f"{title} (edited)" in fetch(f"{base}/{source.parent.name}/")[1], "the rebuilt page",
                   seconds=120)
        assert guarded.page.evaluate("window.__notReloaded === true")
        assert guarded.off_site == [] and guarded.violations() == []
    finally:
        server.terminate()
        server.wait(timeout=30)
