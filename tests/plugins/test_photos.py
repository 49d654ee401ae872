"""Photos (issue 12): a 4 MB phone photo beside an article becomes a page
that a 390 px phone loads in under 60 KB in all, with no metadata and no
layout shift; a photo that cannot be used is a `path:line` error.

One fixture site, built once: an article with the photo near its top, and
another with the same photo after its first section heading.
"""

import functools
import gzip
import http.server
import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from make_photo import CAMERA_SERIAL, phone_photo
from bs4 import BeautifulSoup
from PIL import Image
from test_content_checks import HOMES, TEXT, VALID_UK, assert_built, assert_errors, assert_stopped, build, with_text
from test_html_checker import run_vnu

from clinic import photos

# What a 390 px phone may download for an article with one photo: HTML,
# CSS and JS as a host sends them (gzip), and the photo.
PHOTO_PAGE_BUDGET_BYTES = 60 * 1024
PHONE = {"width": 390, "height": 844}
PICTURE_ALT = "Масажист працює з шиєю пацієнтки"
# How long the test holds each photo back: the page is laid out without it.
PHOTO_DELAY_SECONDS = 0.8


@pytest.fixture(scope="module")
def source_photo():
    return phone_photo()


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory, source_photo):
    near_top = VALID_UK.replace("Короткий текст статті.", "Короткий текст статті.\n\n![Руки масажиста на шиї](photo.jpg)")
    near_top = near_top.replace("Reviewed: 2026-10-01\n", f"Reviewed: 2026-10-01\nPicture: photo.jpg\nPicture_alt: {PICTURE_ALT}\n")
    below = VALID_UK.replace("Ще один абзац.", "Ще один абзац.\n\n![Кабінет клініки](kabinet.jpg)\n")
    files = {**HOMES, "articles/neck-pain/uk.md": near_top, "articles/neck-pain/photo.jpg": source_photo,
             "articles/back-pain/uk.md": below, "articles/back-pain/kabinet.jpg": source_photo}
    built = build(tmp_path_factory.mktemp("photos"), files)
    assert_built(built)
    return built.output


def outputs(photo_site):
    return sorted((photo_site / photos.addresses.PHOTO_FOLDER).iterdir())


def test_the_photo_is_written_in_every_format_at_every_width_without_metadata(photo_site, source_photo):
    files = [path for path in outputs(photo_site) if "x" not in path.stem]  # not the Picture's crops
    # One set for both articles: the same photo is stored once.
    assert len(files) == len(photos.PHOTO_WIDTHS) * len(photos.ENCODINGS)
    assert len(source_photo) > 3.5 * 2**20
    for path in files:
        width = int(re.search(r"-(\d+)\.", path.name)[1])
        with Image.open(path) as image:
            assert image.format == {"avif": "AVIF", "webp": "WEBP", "jpg": "JPEG"}[path.suffix[1:]]
            assert image.width == width and width in photos.PHOTO_WIDTHS
            assert image.height > image.width  # turned upright: the camera held it sideways
            assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info
        data = path.read_bytes()
        assert CAMERA_SERIAL.encode() not in data and b"Exif" not in data and b"GPS" not in data


def test_the_page_gets_a_picture_with_sizes_dimensions_and_the_alt_text(photo_site):
    page = (photo_site / "neck-pain/index.html").read_text(encoding="utf-8")
    picture = re.search(r"<picture.*?</picture>", page, re.S)[0]
    assert [kind for kind in re.findall(r'<source type="([^"]+)"', picture)] == ["image/avif", "image/webp"]
    assert picture.count(f'sizes="{photos.PHOTO_SIZES}"') == 3
    img = re.search(r"<img [^>]*>", picture)[0]
    assert 'alt="Руки масажиста на шиї"' in img
    largest = next(path for path in outputs(photo_site) if path.name.endswith(f"-{photos.PHOTO_WIDTHS[-1]}.jpg"))
    with Image.open(largest) as image:
        assert f'width="{image.width}" height="{image.height}"' in img
    for url in re.findall(r'(/photos/\S+) \d+w', picture):
        assert (photo_site / url.lstrip("/")).is_file()
    # Near the top: loaded at once; after the first heading: when scrolled to.
    assert 'loading="lazy"' not in img and 'fetchpriority="high"' in img
    below = (photo_site / "back-pain/index.html").read_text(encoding="utf-8")
    assert re.search(r'<img [^>]*loading="lazy"[^>]*decoding="async"', below)


def test_the_photo_page_has_no_html_error(photo_site):
    errors = [m for m in run_vnu([photo_site / "neck-pain/index.html"]) if m["type"] == "error"]
    assert not errors, errors


@pytest.fixture(scope="module")
def served(photo_site):
    handler = functools.partial(Quiet, directory=str(photo_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_a_phone_loads_the_page_with_its_photo_in_budget_without_layout_shift(browser, served, photo_site):
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    requested = []
    tab.on("request", lambda request: requested.append(urlsplit(request.url).path))

    def photo_later(route):
        time.sleep(PHOTO_DELAY_SECONDS)  # the text is laid out before the photo arrives
        route.continue_()

    tab.route("**/photos/**", photo_later)
    try:
        tab.goto(f"{served}/neck-pain/", wait_until="load")
        image = tab.locator("picture.mc-photo img")
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        shift = tab.evaluate("""() => new Promise(resolve => {
            let total = 0;
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
            }).observe({type: "layout-shift", buffered: true});
            setTimeout(() => resolve(total), 200);
        })""")
    finally:
        context.close()
    assert shift == 0
    photos_loaded = [path for path in requested if path.startswith("/photos/")]
    assert photos_loaded == [f"/photos/{outputs(photo_site)[0].name.split('-')[0]}-{photos.PHOTO_WIDTHS[0]}.avif"]
    sizes = {}
    for path in dict.fromkeys(requested):
        data = (photo_site / path.lstrip("/") / ("index.html" if path.endswith("/") else "")).read_bytes()
        sizes[path] = len(data) if path.startswith("/photos/") else len(gzip.compress(data, 9))
    assert sum(sizes.values()) <= PHOTO_PAGE_BUDGET_BYTES, sizes


def test_an_unchanged_photo_is_not_encoded_again(photo_site):
    # The fixture's build filled its cache; reading the photo again finds it all there.
    source = next((photo_site.parent / "content/articles").glob("*/photo.jpg"))
    settings = {"CACHE_PATH": str(photo_site.parent / "cache"), "SITEURL": ""}
    cached = sorted(path for path in photos.cache_folder(settings).rglob("*.*") if "x" not in path.stem)
    assert len(cached) == len(photos.PHOTO_WIDTHS) * len(photos.ENCODINGS)
    before = {path: path.stat().st_mtime_ns for path in cached}
    again = photos.prepare(source, settings)
    assert sorted(Path(variant.cached) for variant in again.variants) == cached
    assert {path: path.stat().st_mtime_ns for path in cached} == before


def test_a_photo_that_cannot_be_used_is_named_with_its_line_and_the_fix(tmp_path, source_photo):
    def sizes(content):
        (content / "articles/huge").mkdir(parents=True, exist_ok=True)
        huge = Image.new("1", (8200, 8000))  # 66 million pixels: a "decompression bomb" in a few KB
        huge.save(content / "articles/huge/photo.png")
        with open(content / "articles/heavy/photo.jpg", "wb") as heavy:
            heavy.truncate(photos.PHOTO_MAX_BYTES + 1)  # sparse: 20 MB on paper, nothing on disk

    photo = "![Руки масажиста](photo{})\n"
    files = {**HOMES, "articles/neck-pain/uk.md": VALID_UK,
             "articles/no-alt/uk.md": with_text("![](photo.jpg)\n"), "articles/no-alt/photo.jpg": source_photo,
             "articles/missing/uk.md": with_text(photo.format(".jpg")),
             "articles/not-a-photo/uk.md": with_text(photo.format(".jpg")), "articles/not-a-photo/photo.jpg": b"<svg>",
             "articles/huge/uk.md": with_text(photo.format(".png")),
             "articles/heavy/uk.md": with_text(photo.format(".jpg")), "articles/heavy/photo.jpg": b""}
    built = build(tmp_path, files, prepare=sizes)
    assert_stopped(built)
    expected = {
        "no-alt": "an image has no description. Write what it shows between the brackets",
        "missing": "there is no photo photo.jpg beside this file. Put it in content/articles/missing/",
        "not-a-photo": "photo.jpg is not a JPEG, PNG or WebP photo Pillow can read",
        "huge": "the photo photo.png has more than 60 million pixels. Save a smaller copy",
        "heavy": "the photo photo.jpg is 20.1 MB; the limit is 20 MB. Save a smaller copy",
    }
    for slug, message in expected.items():
        assert_errors(built, [(f"articles/{slug}/uk.md", TEXT, message)], f"articles/{slug}/uk.md")


def test_the_articles_picture_is_its_share_image_its_json_ld_image_and_its_thumbnail(photo_site):
    page = BeautifulSoup((photo_site / "neck-pain/index.html").read_text(encoding="utf-8"), "html.parser")
    shared = page.select_one('meta[property="og:image"]')["content"]
    assert re.fullmatch(r".*/photos/[0-9a-f]+-1200x630\.jpg", shared)
    assert page.select_one('meta[property="og:image:alt"]')["content"] == PICTURE_ALT
    with Image.open(photo_site / urlsplit(shared).path.lstrip("/")) as image:
        assert image.size == (1200, 630) and image.format == "JPEG" and not image.getexif()
    graph = json.loads(page.select_one('script[type="application/ld+json"]').string)["@graph"]
    web_page = next(node for node in graph if node.get("@type") == "MedicalWebPage")
    assert web_page["primaryImageOfPage"]["url"] == shared and web_page["primaryImageOfPage"]["caption"] == PICTURE_ALT
    # Small in the lists, beside the title that says what it is: decorative, loaded when scrolled to.
    home = BeautifulSoup((photo_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    thumbnails = home.select(".mc-article-list__picture img")
    assert len(thumbnails) == 1
    assert thumbnails[0]["alt"] == "" and thumbnails[0]["loading"] == "lazy"
    assert (thumbnails[0]["width"], thumbnails[0]["height"]) == ("192", "192")
    # The article without a Picture shares the clinic's card.
    other = BeautifulSoup((photo_site / "back-pain/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "/photos/" not in other.select_one('meta[property="og:image"]')["content"]


def test_a_picture_field_without_its_description_or_photo_is_refused(tmp_path, source_photo):
    def fields(*lines):
        return VALID_UK.replace("Reviewed: 2026-10-01\n", "Reviewed: 2026-10-01\n" + "".join(f"{line}\n" for line in lines))

    files = {**HOMES, "articles/neck-pain/uk.md": VALID_UK,
             "articles/no-alt/uk.md": fields("Picture: photo.jpg"), "articles/no-alt/photo.jpg": source_photo,
             "articles/no-picture/uk.md": fields("Picture_alt: Руки масажиста"),
             "articles/missing/uk.md": fields("Picture: photo.jpg", "Picture_alt: Руки масажиста")}
    built = build(tmp_path, files)
    assert_stopped(built)
    assert_errors(built, [("articles/no-alt/uk.md", 7, "Picture needs a description: add a line “Picture_alt: …”")],
                  "articles/no-alt/uk.md")
    assert_errors(built, [("articles/no-picture/uk.md", 7, "Picture_alt describes the Picture, but there is none")],
                  "articles/no-picture/uk.md")
    assert_errors(built, [("articles/missing/uk.md", 7, "there is no photo photo.jpg beside this file")],
                  "articles/missing/uk.md")


def test_a_file_beside_the_text_that_is_not_a_photo_is_refused(tmp_path):
    built = build(tmp_path, {**HOMES, "articles/neck-pain/uk.md": VALID_UK, "articles/neck-pain/scan.gif": b"GIF89a"})
    assert_stopped(built)
    assert_errors(built, [("articles/neck-pain/scan.gif", 1, "their photos (.jpeg, .jpg, .png, .webp), belong here")],
                  "articles/neck-pain/scan.gif")
