"""People's pages in a browser and the HTML checker: each profile and
"Our specialists" page, in three languages, at a phone's width and a
desktop's, with a portrait: vnu finds no error, axe no violation, nothing
runs off the screen. Screenshots are kept (the test's folder, `shots/`) to
be looked at."""

import pytest
from conftest import serving
from fixture_site import ROOT, article, home, people_files
from make_photo import phone_photo
from pelican.settings import read_settings
from test_accessibility import AXE_JS, WCAG_TAGS, describe
from test_content_checks import assert_built, build
from test_html_checker import is_error, run_vnu

from clinic.addresses import person_url, specialists_url

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
LANGS = list(SETTINGS["LANGUAGES"])
WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def people_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("people-pages")
    photo = "Photo: portrait.jpg\nPhoto_alt: {alt}\n"
    files = {f"pages/home/index.{lang}.md": home(lang) for lang in LANGS}
    files.update(people_files(sees_patients_at="uzhvii, holosiivskyi"))
    for lang, alt in zip(LANGS, ("Тестова особа в білому халаті", "A test person in a white coat",
                                 "Тестовая особа в белом халате")):
        files[f"people/test-reviewer/index.{lang}.md"] = files[f"people/test-reviewer/index.{lang}.md"].replace(
            "\n\n", "\n" + photo.format(alt=alt) + "\n", 1)
        files[f"articles/neck/index.{lang}.md"] = article(lang, "neck", f"Test article {lang}", "Topic").replace(
            "Summary:", "Author: test-author\nReviewer: test-reviewer\nReviewed: 2026-06-01\nSummary:")
    files["people/test-reviewer/portrait.jpg"] = phone_photo(1600, 1200)  # as a phone takes it (sideways), smaller
    built = build(root, files)
    assert_built(built)
    return built.output, root


def people_pages():
    return [(lang, url) for lang in LANGS for url in (person_url("test-reviewer", lang, SETTINGS),
                                                      person_url("test-author", lang, SETTINGS),
                                                      specialists_url(lang, SETTINGS))]


def test_the_html_checker_finds_no_error_on_peoples_pages(people_site):
    output, _ = people_site
    pages = [output / url / "index.html" for _, url in people_pages()]
    errors = [message for message in run_vnu(pages) if is_error(message)]
    assert not errors, errors


@pytest.fixture(scope="module")
def served(people_site):
    output, _ = people_site
    with serving(output) as url:
        yield url


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang, url", people_pages())
def test_axe_finds_nothing_and_nothing_runs_off_the_screen(browser, served, people_site, lang, url, width):
    _, root = people_site
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=2 if width < 500 else 1)
    page = context.new_page()
    try:
        page.goto(f"{served}/{url}")
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        portraits = page.locator(".mc-person__photo img")
        for index in range(portraits.count()):
            box = portraits.nth(index).bounding_box()
            assert box["width"] > 0 and abs(box["width"] - box["height"]) <= 1  # square, loaded, never stretched
            assert box["x"] + box["width"] <= width
        shots = root / "shots"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=shots / f"{url.strip('/').replace('/', '_') or 'root'}-{width}.png", full_page=True)
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        assert result["passes"] and not result["violations"], describe(result["violations"])
    finally:
        context.close()
