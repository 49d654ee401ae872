"""`invoke preview --serve`: the production build, looked at locally.

On a copy of the project, beside a running `make serve`: the task builds
with publishconf.py for a local address into a folder of its own and serves
it; every address a page names is on that local server (the form posts to
the local receiver); a missing address gets the site's 404 page; search
finds an article in Chromium under the production policy; and the running
preview's output/ is not touched. One preview server and one production
server for the module; the words searched for come from the content.
"""

import urllib.error
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, lang_prefix
from fixture_site import copy_project, run_invoke
from test_preview_server import fetch, serves, wait_until
from test_search import longest_word, search
from test_security_policy import csp_watch  # noqa: F401  (a fixture)

from clinic.messages import _e
from tasks.building import PRODUCTION_PLACEHOLDERS
from tasks.config import CONFIG
from tasks.measuring import free_port_pair

ANY = "\x00"  # a parameter the test cannot know, left out of what it waits for

# Where a page names another address (links, the head's links, scripts,
# images, the form).
ADDRESS_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "srcset",
                      "form": "action"}


def snapshot(folder):
    return {path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A running `make serve` and `invoke preview --serve` on one copy of
    the project: (project, the production site's address, the preview's)."""
    tmp_path = tmp_path_factory.mktemp("production-preview")
    project = copy_project(tmp_path)
    preview_port = free_port_pair()
    production_port = free_port_pair()
    while abs(production_port - preview_port) < 2:
        production_port = free_port_pair()
    logs = {name: (tmp_path / f"{name}.log").open("w") for name in ("serve", "production")}
    started = [run_invoke(project, "livereload", "--port", str(preview_port), stdout=logs["serve"],
                          stderr=logs["serve"])]
    preview = f"http://127.0.0.1:{preview_port}"
    production = f"http://127.0.0.1:{production_port}"
    try:
        wait_until(lambda: serves(preview + "/"), "the preview server", seconds=180)
        served_before = snapshot(project / CONFIG["deploy_path"])
        started.append(run_invoke(project, "preview", "--serve", "--port", str(production_port),
                                  stdout=logs["production"], stderr=logs["production"]))
        serving = _e("Serving the production site at {address}/ (Ctrl+C to stop)", address=ANY).render("uk")
        serving = serving.split(ANY)[0]  # in the editor's language (pelicanconf.py's: run_invoke passes none)
        wait_until(lambda: serving in (tmp_path / "production.log").read_text(),
                   "the production build", seconds=240)
        yield project, production, preview, served_before
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=10)
        for log in logs.values():
            log.close()


def test_the_production_build_is_served_locally_with_local_addresses_only(servers, articles):
    project, production, _, _ = servers
    folder = project / CONFIG["production_preview_path"]
    assert (folder / "index.html").is_file() and (folder / "404.html").is_file()
    placeholder = PRODUCTION_PLACEHOLDERS["SITE_URL"]
    receiver = f"http://127.0.0.1:{urlsplit(production).port + 1}/callback"
    # Each language's home page, and an article of each language.
    paths = {lang_prefix(lang) for lang in LANGS} | {next(entry["url"] for _, entry_lang, entry in articles
                                                         if entry_lang == lang) for lang in LANGS}
    forms = 0
    for path in sorted(paths):
        status, html = fetch(f"{production}/{path}")
        assert status == 200
        assert placeholder not in html, path
        assert "livereload" not in html  # the production site as it is published, nothing added
        page = BeautifulSoup(html, "html.parser")
        assert page.select_one('link[rel="canonical"]')["href"] == f"{production}/{path}"
        assert page.select_one('meta[http-equiv="Content-Security-Policy"]'), "the production policy"
        for tag, attribute in ADDRESS_ATTRIBUTES.items():
            for element in page.find_all(tag, attrs={attribute: True}):
                value = element[attribute]
                for address in [part.split()[0] for part in value.split(",")] if attribute == "srcset" else [value]:
                    parts = urlsplit(address)
                    if tag == "form":
                        forms += 1
                        assert address == receiver, address
                    elif parts.scheme in ("tel", "mailto", "data"):
                        continue
                    elif tag != "a" or parts.hostname == "127.0.0.1":
                        # Only a link of the text may lead to another site.
                        assert not parts.netloc or address.startswith(production + "/"), (path, tag, address)
    assert forms, "the call-back form posts to the local receiver"
    # The site's own 404 page, with status 404, for a missing address.
    with pytest.raises(urllib.error.HTTPError) as answer:
        fetch(f"{production}/en/no-such-page/")
    assert answer.value.code == 404
    assert answer.value.read() == (folder / "404.html").read_bytes()


def test_search_finds_an_article_under_the_production_policy(servers, page, csp_watch, articles, settings):
    from clinic.addresses import search_url

    _, production, _, _ = servers
    _, lang, entry = articles[0]
    found = search(page, production, search_url(lang, settings), longest_word(entry["title"]))
    assert f"/{entry['url']}" in found, (entry["title"], found)
    assert csp_watch() == []


def test_the_running_preview_is_left_alone(servers):
    project, _, preview, served_before = servers
    assert snapshot(project / CONFIG["deploy_path"]) == served_before
    assert fetch(preview + "/")[0] == 200
    assert not any(project.glob(".build-*")), "no unfinished build left beside the project"
