"""The article page's weight and requests, in every language.

Budgets are bytes and counts, never timings: a host sends each file
gzip-compressed on its own, so that is what we count.
"""

import gzip
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import LANGS, lang_prefix

MAX_GZIP_BYTES = 10 * 1024
MAX_REQUESTS = 3


def gzip_size(path):
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


@pytest.mark.parametrize("build", ["site", "published_site"])
def test_every_article_page_fits_its_byte_budget(request, articles, build):
    # The preview, and the production build visitors get (absolute URLs).
    site = request.getfixturevalue(build)
    assert articles
    for _, _, entry in articles:
        check_budget(site, f"{entry['url']}index.html")


def check_budget(site, page):
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    files = [site / page]
    for element in soup.select("link[rel~=stylesheet][href], script[src]"):
        url = element.get("href") or element["src"]
        files.append(site / urlsplit(url).path.lstrip("/"))
    assert len(files) == 3  # the page, its stylesheet and its script
    total = sum(gzip_size(path) for path in files)
    assert total <= MAX_GZIP_BYTES, (page, {path.name: gzip_size(path) for path in files})


@pytest.mark.parametrize("lang", LANGS)
def test_article_page_loads_in_few_requests_all_from_the_site(page, site_url, sample_pages, lang):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_url}/{lang_prefix(lang)}{sample_pages[lang]['article']}", wait_until="networkidle")
    fetched = [url for url in requests if not url.startswith("data:")]
    assert 1 <= len(fetched) <= MAX_REQUESTS, fetched
    site_host = urlsplit(site_url).netloc
    assert all(urlsplit(url).netloc == site_host for url in fetched), fetched
    # The stylesheet really loaded and applied (a budget met by a broken page is no budget).
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert font_size == "18px"
