"""Shared fixtures: one real build of the site, a local server, a browser.

The site is built once per test run, by the same `pelican` command line that
`make html` uses (with --fatal warnings), into a temporary folder; every test
reads that output. Browser tests drive Debian's Chromium through Playwright;
no browser is ever downloaded.

What the tests expect comes from the content and the settings, never from
today's articles: `site_content` is the content as Pelican reads it (the
content report's data: every article, its languages, titles, dates,
reviewers…). The content folder is `content/`, or the folder named by
SITE_CONTENT (tests/test_growing_content.py runs the site-wide tests on a
grown copy that way).
"""

import contextlib
import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tasks/

from tasks.building import index_for_search, pelican_command, settings_overrides  # noqa: E402
from tools.callback_receiver import CallbackReceiver  # noqa: E402

# The content under test: the project's, or a variant (SITE_CONTENT).
CONTENT_PATH = Path(os.environ.get("SITE_CONTENT") or ROOT / "content").resolve()

CHROMIUM = "/usr/bin/chromium"
# Flags this machine needs (no sandbox as root, no GPU) and flags that stop
# Chromium from calling home, so the only requests are the page's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LANGS = ("uk", "en", "ru")


def lang_prefix(lang):
    return "" if lang == "uk" else f"{lang}/"


@pytest.fixture(scope="session")
def settings():
    """The local-preview settings, as Pelican reads them."""
    return read_settings(str(ROOT / "pelicanconf.py"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def site_port():
    return free_port()


@pytest.fixture(scope="session")
def callback_receiver():
    """The stand-in form provider the built site posts to (one per run).

    Tests choose its answers with `callback_endpoint` below.
    """
    receiver = CallbackReceiver(port=free_port()).start()
    yield receiver
    receiver.stop()


@pytest.fixture
def callback_endpoint(callback_receiver):
    """The form provider, answering "accept" and with no requests yet."""
    if callback_receiver._server is None:  # a test took it down
        callback_receiver.start()
    callback_receiver.reset()
    yield callback_receiver
    callback_receiver.released.set()  # let a "hang" end
    callback_receiver.released.clear()


@pytest.fixture(scope="session")
def site(tmp_path_factory, site_port, callback_receiver):
    """Build the site once with the real command; return the output folder.

    The form posts to the test's receiver and names pages on the test's
    server, as the preview does for `make serve`.
    """
    overrides = settings_overrides(
        CALLBACK_ENDPOINT=callback_receiver.url,
        ABSOLUTE_SITEURL=f"http://127.0.0.1:{site_port}",
    )
    return run_pelican("pelicanconf.py", tmp_path_factory.mktemp("site"), overrides)


# `invoke publish` sets SITE_UNDER_TEST to the folder it is about to push and
# runs the tests marked `published_output` against it, with the real address.
SITE_UNDER_TEST = os.environ.get("SITE_UNDER_TEST")
if SITE_UNDER_TEST:
    PUBLISHED_SITE_URL = os.environ["SITE_URL"].strip().rstrip("/")
    PUBLISHED_ENDPOINT = os.environ["CALLBACK_ENDPOINT"].strip()
else:
    PUBLISHED_SITE_URL = "https://clinic.example"
    PUBLISHED_ENDPOINT = "https://forms.example/f/clinic"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The production build (publishconf.py), as `invoke preview` makes it,
    or the folder `invoke publish` is checking."""
    if SITE_UNDER_TEST:
        return Path(SITE_UNDER_TEST)
    environment = dict(os.environ, SITE_URL=PUBLISHED_SITE_URL, CALLBACK_ENDPOINT=PUBLISHED_ENDPOINT)
    return run_pelican("publishconf.py", tmp_path_factory.mktemp("published"), env=environment)


def run_pelican(settings_file, output, extra="", env=None):
    """Build with the same command line as `make html`, then the search index
    as every build makes it; fail on any error."""
    result = subprocess.run(
        pelican_command(settings_file, output, extra, content_path=CONTENT_PATH),
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    index_for_search(output)
    return output


@pytest.fixture(scope="session")
def site_content(tmp_path_factory):
    """The content as Pelican reads it: the content report's data.

    {"articles": [{"slug", "languages": {lang: entry or None}, "missing"}]},
    each entry with its title, url, summary, date, category, reviewer…
    (see plugins/clinic/content_report.py).
    """
    folder = tmp_path_factory.mktemp("content-report")
    data = folder / "report.json"
    overrides = settings_overrides(CONTENT_CHECK_ONLY=True, CONTENT_REPORT_JSON=str(data))
    subprocess.run(
        pelican_command("pelicanconf.py", folder / "output", overrides, content_path=CONTENT_PATH),
        shell=True, cwd=ROOT, capture_output=True, text=True,
    )
    assert data.exists(), "the content could not be read"
    return json.loads(data.read_text(encoding="utf-8"))


def published_articles(site_content):
    """[(slug, lang, entry)] of every published article version."""
    return [
        (row["slug"], lang, entry)
        for row in site_content["articles"]
        for lang, entry in row["languages"].items()
        if entry and entry["status"] == "published"
    ]


@pytest.fixture(scope="session")
def articles(site_content):
    return published_articles(site_content)


@pytest.fixture(scope="session")
def sample_pages(articles):
    """{lang: {"article": path, "category": path}}: the newest article of each
    language and its topic page, for tests that look at one page of a kind
    in a browser (paths relative to the site, ending in /)."""
    samples = {lang: {} for lang in LANGS}
    for _, lang, entry in sorted(articles, key=lambda row: (row[2]["date"], row[0])):
        samples[lang] = {"article": entry["url"].removeprefix(lang_prefix(lang)),
                         "category": entry["category_url"].removeprefix(lang_prefix(lang))}
    return samples


@pytest.fixture(scope="session")
def published_pages(published_site):
    return parse_pages(published_site)


# The web editor's page is no visitors' page: no header, footer, JSON-LD,
# stylesheet of the site's, language versions or sitemap entry, and a
# policy of its own. The tests that walk every visitors' page
# (html_pages, published_pages) leave it out; tests/admin/ test it, and
# the HTML checker and the policy tests take it in by name (EDITOR_PAGE).
EDITOR_PAGE = "admin/index.html"


def parse_pages(site):
    """Every visitors' page of `site`: {path relative to it: parsed soup}."""
    return {
        path.relative_to(site).as_posix(): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(site.rglob("*.html")) if path.relative_to(site).as_posix() != EDITOR_PAGE
    }


@pytest.fixture(scope="session")
def html_pages(site):
    """Every built visitors' page (all HTML but EDITOR_PAGE): {path relative
    to the site: parsed soup}."""
    return parse_pages(site)


@pytest.fixture(scope="session")
def site_url(site, site_port):
    """Serve the built site on localhost; yield its base URL."""
    with serving(site, site_port) as url:
        yield url


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep test output readable
        pass


@contextlib.contextmanager
def serving(folder, port=0, handler=QuietHandler):
    """Serve `folder` as static files on localhost (port 0: any free port)
    while the block runs; give its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab at a phone-sized viewport."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    yield tab
    context.close()
