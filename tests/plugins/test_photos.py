"""Photos (issues 12 and 19): a detailed photograph beside an article becomes
a page that a 390 px phone at 2x loads in under 60 KB in all, taking no
wider a file than its screen shows (at 1x, 2x and 3x), with no layout shift;
a 4 MB phone photo and an iPhone's HEIC lose every bit of their metadata; a
photo that cannot be used is a `path:line` error.

One fixture site, built once: an article with the phone photo near its top,
another with the same photo after its first section heading, one with the
detailed photograph (make_photo.forest_path_photo) and one with the HEIC.
"""

import gzip
import io
import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pillow_heif
import pytest
from bs4 import BeautifulSoup
from conftest import serving
from make_photo import (CAMERA_SERIAL, ORIENTATION_SIDEWAYS, XMP_PLACE, forest_path, forest_path_photo,
                        iphone_heic, phone_photo)
from PIL import Image
from test_content_checks import HOMES, TEXT, VALID_UK, assert_built, assert_errors, assert_stopped, build, with_text
from test_html_checker import run_vnu

from clinic import photos

# What a 390 px phone may download for an article with one detailed photo:
# HTML, CSS and JS as a host sends them (gzip), and the photo, at 1x and 2x.
PHOTO_PAGE_BUDGET_BYTES = 60 * 1024
# At 3x the screen shows 2.25 times the pixels of 2x: the 1080 px AVIF of
# the detailed photograph is 73 KB, the page about 10 KB.
PHOTO_PAGE_BUDGET_3X_BYTES = 90 * 1024
# At 2x and 3x a phone's photo is at most this much wider than the pixels
# its screen shows (PHOTO_WIDTHS are chosen for a 390 px phone's 716 and 1074).
MAX_EXCESS_WIDTH = 1.05
PHONE = {"width": 390, "height": 844}
PICTURE_ALT = "Масажист працює з шиєю пацієнтки"
# How long the test holds each photo back: the page is laid out without it.
PHOTO_DELAY_SECONDS = 0.8
HEIC_NAME = "IMG_0042.HEIC"  # as an iPhone names it


@pytest.fixture(scope="module")
def source_photo():
    return phone_photo()


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory, source_photo):
    def near_top(name, alt):
        return VALID_UK.replace("Короткий текст статті.", f"Короткий текст статті.\n\n![{alt}]({name})")

    neck = near_top("photo.jpg", "Руки масажиста на шиї").replace(
        "Reviewed: 2026-10-01\n", f"Reviewed: 2026-10-01\nPicture: photo.jpg\nPicture_alt: {PICTURE_ALT}\n")
    below = VALID_UK.replace("Ще один абзац.", "Ще один абзац.\n\n![Кабінет клініки](kabinet.jpg)\n")
    files = {**HOMES, "articles/neck-pain/index.uk.md": neck, "articles/neck-pain/photo.jpg": source_photo,
             "articles/back-pain/index.uk.md": below, "articles/back-pain/kabinet.jpg": source_photo,
             "articles/forest/index.uk.md": near_top("forest.jpg", "Стежка в сосновому лісі"),
             "articles/forest/forest.jpg": forest_path_photo(),
             "articles/iphone/index.uk.md": near_top(HEIC_NAME, "Стежка в лісі, знята телефоном"),
             f"articles/iphone/{HEIC_NAME}": iphone_heic()}
    built = build(tmp_path_factory.mktemp("photos"), files)
    assert_built(built)
    return built.output


def picture_files(site, page):
    """The files of the first photo in a page's text, from its srcsets."""
    picture = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").select_one("picture.mc-photo")
    urls = [candidate.split()[0] for tag in picture.select("source, img") for candidate in tag["srcset"].split(", ")]
    return sorted(site / urlsplit(url).path.lstrip("/") for url in urls)


@pytest.mark.parametrize("page, upright", [("neck-pain/index.html", (3000, 4000)),
                                           ("iphone/index.html", (1200, 1600))], ids=["jpeg", "heic"])
def test_the_photo_is_written_in_every_format_at_every_width_without_metadata(photo_site, page, upright):
    files = picture_files(photo_site, page)
    assert len(files) == len(photos.PHOTO_WIDTHS) * len(photos.ENCODINGS)
    for path in files:
        width = int(re.search(r"-(\d+)\.", path.name)[1])
        with Image.open(path) as image:
            assert image.format == {"avif": "AVIF", "webp": "WEBP", "jpg": "JPEG"}[path.suffix[1:]]
            assert image.width == width and width in photos.PHOTO_WIDTHS
            # Turned upright: the camera held it sideways (the HEIC says so in its own way, and EXIF).
            assert image.height == round(width * upright[1] / upright[0])
            assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info
        data = path.read_bytes()
        assert CAMERA_SERIAL.encode() not in data and b"Exif" not in data and b"GPS" not in data
        assert XMP_PLACE not in data and b"xmpmeta" not in data


def test_the_test_photos_carry_the_metadata_the_outputs_must_not(source_photo):
    # Guards the test above: what it looks for is in the sources.
    for source, format in ((source_photo, "JPEG"), (iphone_heic(), "HEIF")):
        with Image.open(io.BytesIO(source)) as image:
            exif = image.getexif()
            assert image.format == format and exif[0xA431] == CAMERA_SERIAL and 2 in exif.get_ifd(0x8825)
            assert ORIENTATION_SIDEWAYS in (exif[0x0112], image.info.get("original_orientation"))
    with Image.open(io.BytesIO(iphone_heic())) as image:
        assert XMP_PLACE in image.info["xmp"]


def test_the_page_gets_a_picture_with_sizes_dimensions_and_the_alt_text(photo_site):
    page = (photo_site / "neck-pain/index.html").read_text(encoding="utf-8")
    picture = re.search(r"<picture.*?</picture>", page, re.S)[0]
    assert [kind for kind in re.findall(r'<source type="([^"]+)"', picture)] == ["image/avif", "image/webp"]
    assert picture.count(f'sizes="{photos.PHOTO_SIZES}"') == 3
    img = re.search(r"<img [^>]*>", picture)[0]
    assert 'alt="Руки масажиста на шиї"' in img
    largest = next(path for path in picture_files(photo_site, "neck-pain/index.html")
                   if path.name.endswith(f"-{photos.PHOTO_WIDTHS[-1]}.jpg"))
    with Image.open(largest) as image:
        assert f'width="{image.width}" height="{image.height}"' in img
    for url in re.findall(r'(/photos/\S+) \d+w', picture):
        assert (photo_site / url.lstrip("/")).is_file()
    # Near the top: loaded at once; after the first heading: when scrolled to.
    assert 'loading="lazy"' not in img and 'fetchpriority="high"' in img
    below = (photo_site / "back-pain/index.html").read_text(encoding="utf-8")
    assert re.search(r'<img [^>]*loading="lazy"[^>]*decoding="async"', below)
    # One photo in two articles: its files are written once, for both.
    assert picture_files(photo_site, "back-pain/index.html") == picture_files(photo_site, "neck-pain/index.html")


def test_the_photo_page_has_no_html_error(photo_site):
    errors = [m for m in run_vnu([photo_site / "neck-pain/index.html"]) if m["type"] == "error"]
    assert not errors, errors


@pytest.fixture(scope="module")
def served(photo_site):
    with serving(photo_site) as url:
        yield url


@pytest.mark.parametrize("density, budget", [(1, PHOTO_PAGE_BUDGET_BYTES), (2, PHOTO_PAGE_BUDGET_BYTES),
                                             (3, PHOTO_PAGE_BUDGET_3X_BYTES)], ids=["1x", "2x", "3x"])
def test_a_phone_loads_a_detailed_photo_no_wider_than_it_shows_in_budget_without_layout_shift(
        browser, served, photo_site, density, budget):
    context = browser.new_context(viewport=PHONE, device_scale_factor=density)
    tab = context.new_page()
    requested = []
    tab.on("request", lambda request: requested.append(urlsplit(request.url).path))

    def photo_later(route):
        time.sleep(PHOTO_DELAY_SECONDS)  # the text is laid out before the photo arrives
        route.continue_()

    tab.route("**/photos/**", photo_later)
    try:
        tab.goto(f"{served}/forest/", wait_until="load")
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
        shown = image.evaluate("img => img.getBoundingClientRect().width") * density  # the screen's pixels
        # The whole page: the visitor reads on to the form, and its script comes.
        tab.locator("form[data-script]").scroll_into_view_if_needed()
        tab.locator("form[novalidate]").wait_for()
    finally:
        context.close()
    assert shift == 0
    # Of the photo's files, one; (a related article's thumbnail, further down, counts in the sizes below).
    written = picture_files(photo_site, "forest/index.html")
    photo_loaded = [path for path in requested if photo_site / path.lstrip("/") in written]
    assert len(photo_loaded) == 1 and photo_loaded[0].endswith(".avif"), photo_loaded
    loaded = int(re.search(r"-(\d+)\.avif$", photo_loaded[0])[1])
    # The narrowest file that covers the screen; at 2x and 3x hardly wider than it.
    assert loaded == min(width for width in photos.PHOTO_WIDTHS if width >= shown), (loaded, shown)
    assert density == 1 or loaded <= shown * MAX_EXCESS_WIDTH, (loaded, shown)
    sizes = {}
    for path in dict.fromkeys(requested):
        data = (photo_site / path.lstrip("/") / ("index.html" if path.endswith("/") else "")).read_bytes()
        sizes[path] = len(data) if path.startswith("/photos/") else len(gzip.compress(data, 9))
    assert any(path.endswith(".js") for path in sizes), sizes
    assert sum(sizes.values()) <= budget, sizes


def test_an_unchanged_photo_is_not_encoded_again(photo_site):
    # The fixture's build filled its cache; reading the photo again finds it all there.
    source = photo_site.parent / "content/articles/neck-pain/photo.jpg"
    settings = {"CACHE_PATH": str(photo_site.parent / "cache"), "SITEURL": ""}
    before = {path: path.stat().st_mtime_ns for path in photos.cache_folder(settings).rglob("*.*")}
    again = photos.prepare(source, settings)
    assert len(again.variants) == len(photos.PHOTO_WIDTHS) * len(photos.ENCODINGS)
    assert {Path(variant.cached) for variant in again.variants} <= set(before)
    assert {path: path.stat().st_mtime_ns for path in photos.cache_folder(settings).rglob("*.*")} == before


def cut_heic():
    """A HEIC cut short, as an upload that stopped: its header whole, its
    picture's data past the end."""
    buffer = io.BytesIO()
    pillow_heif.from_pillow(forest_path(1000, 800)).save(buffer, quality=50, enc_params={"preset": "ultrafast"})
    return buffer.getvalue()[:len(buffer.getvalue()) // 2]


def test_a_photo_that_cannot_be_used_is_named_with_its_line_and_the_fix(tmp_path, source_photo):
    def sizes(content):
        (content / "articles/huge").mkdir(parents=True, exist_ok=True)
        huge = Image.new("1", (8200, 8000))  # 66 million pixels: a "decompression bomb" in a few KB
        huge.save(content / "articles/huge/photo.png")
        with open(content / "articles/heavy/photo.jpg", "wb") as heavy:
            heavy.truncate(photos.PHOTO_MAX_BYTES + 1)  # sparse: 20 MB on paper, nothing on disk

    photo = "![Руки масажиста](photo{})\n"
    files = {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK,
             "articles/no-alt/index.uk.md": with_text("![](photo.jpg)\n"), "articles/no-alt/photo.jpg": source_photo,
             "articles/missing/index.uk.md": with_text(photo.format(".jpg")),
             "articles/not-a-photo/index.uk.md": with_text(photo.format(".jpg")), "articles/not-a-photo/photo.jpg": b"<svg>",
             "articles/huge/index.uk.md": with_text(photo.format(".png")),
             "articles/heavy/index.uk.md": with_text(photo.format(".jpg")), "articles/heavy/photo.jpg": b"",
             "articles/cut-heic/index.uk.md": with_text(photo.format(".heic")), "articles/cut-heic/photo.heic": cut_heic()}
    built = build(tmp_path, files, prepare=sizes)
    assert_stopped(built)
    expected = {
        "no-alt": "an image has no description. Write what it shows between the brackets",
        "missing": "there is no photo photo.jpg beside this file. Put it in content/articles/missing/",
        "not-a-photo": "photo.jpg is not a JPEG, PNG, WebP or HEIC photo that can be read",
        "huge": "the photo photo.png has more than 60 million pixels. Save a smaller copy",
        "heavy": "the photo photo.jpg is 20.1 MB; the limit is 20 MB. Save a smaller copy",
        # libheif's own words, on the problem's one line (assert_stopped: nothing else printed).
        "cut-heic": "photo.heic is not a JPEG, PNG, WebP or HEIC photo that can be read (Invalid input: Unexpected "
                    "end of file: Extent in iloc box references data outside of file bounds",
    }
    for slug, message in expected.items():
        assert_errors(built, [(f"articles/{slug}/index.uk.md", TEXT, message)], f"articles/{slug}/index.uk.md")


def test_a_narrow_photo_is_a_warning_at_its_line_and_the_page_is_built(tmp_path):
    # A photo under PHOTO_MIN_WIDTH is blurred on a phone, not broken: the
    # editor is told at its line, and the article is published with it.
    narrow = io.BytesIO()
    forest_path(photos.PHOTO_MIN_WIDTH - 200, 400).save(narrow, "JPEG", quality=85)
    files = {**HOMES, "articles/neck-pain/index.uk.md": with_text("![Руки масажиста](photo.jpg)\n"),
             "articles/neck-pain/photo.jpg": narrow.getvalue()}
    built = build(tmp_path, files)
    assert_built(built)
    warned = [line for line in built.warnings_of("articles/neck-pain/index.uk.md") if "[warning]" in line and "px wide" in line]
    assert len(warned) == 1 and warned[0].startswith(f"content/articles/neck-pain/index.uk.md:{TEXT}: "), built.printed
    assert (built.output / "neck-pain/index.html").exists()


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

    files = {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK,
             "articles/no-alt/index.uk.md": fields("Picture: photo.jpg"), "articles/no-alt/photo.jpg": source_photo,
             "articles/no-picture/index.uk.md": fields("Picture_alt: Руки масажиста"),
             "articles/missing/index.uk.md": fields("Picture: photo.jpg", "Picture_alt: Руки масажиста")}
    built = build(tmp_path, files)
    assert_stopped(built)
    assert_errors(built, [("articles/no-alt/index.uk.md", 7, "Picture needs a description: add a line “Picture_alt: …”")],
                  "articles/no-alt/index.uk.md")
    assert_errors(built, [("articles/no-picture/index.uk.md", 7, "Picture_alt describes the Picture, but there is none")],
                  "articles/no-picture/index.uk.md")
    assert_errors(built, [("articles/missing/index.uk.md", 7, "there is no photo photo.jpg beside this file")],
                  "articles/missing/index.uk.md")


def test_a_file_that_is_not_a_photo_or_a_photo_out_of_place_is_told_where_it_may_go(tmp_path):
    photo = iphone_heic()
    files = {**HOMES, "articles/neck-pain/index.uk.md": VALID_UK, "articles/neck-pain/scan.gif": b"GIF89a",
             "articles/neck-pain/leaflet.pdf": b"%PDF-1.4", "articles/IMG_0042.HEIC": photo,
             "extra/IMG_0043.HEIC": photo, "extra/favicon.ico": b"\0\0\1\0"}
    built = build(tmp_path, files, STATIC_PATHS=["extra"])
    assert_stopped(built)
    photo_types = ", ".join(sorted(photos.contract.PHOTO_TYPES))
    expected = {
        # Neither content/extra/ takes it: the editor is not sent there.
        "articles/neck-pain/scan.gif": f"and their photos ({photo_types}), belong here (e.g. content/articles/"
                                       "<slug>/index.<lang>.md). Files of this type are not published anywhere",
        "articles/neck-pain/leaflet.pdf": "Move it to content/extra/ (files published as they are), or delete it.",
        "articles/IMG_0042.HEIC": "a photo goes beside the text that shows it: move it into content/articles/<slug>/.",
        "extra/IMG_0043.HEIC": "files of this type are not published. Use one of: .avif, .ico, .jpeg, .jpg, .pdf, "
                               ".png, .txt, .webp. A photo in a text goes beside the text's file",
    }
    for path, message in expected.items():
        assert_errors(built, [(path, 1, message)], path)
