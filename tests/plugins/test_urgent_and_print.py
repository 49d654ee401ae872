"""Urgent-advice boxes and the print stylesheet (issue 12).

`!!! urgent "When to get help now"` is a care card whose title is a real
heading, one level below its section; a box without a title of its own is a
`path:line` error. A fixture article with such a box, links of every kind
and the real theme is built once: axe finds nothing in its text at phone
and desktop widths, and printed it keeps the text, the link addresses and the
footer's addresses and phone, without navigation, form or footer links.
"""


import markdown
import pytest
from conftest import serving
from fixture_site import ROOT, home, people_files
from pelican.settings import read_settings
from test_accessibility import AXE_JS, WCAG_TAGS, describe
from test_content_checks import TEXT, VALID_UK, assert_built, assert_errors, assert_stopped, build, with_text
from test_content_properties import safety_problems

from clinic import sanitise

MARKDOWN = read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"]["extension_configs"]
URGENT = '!!! urgent "{}"\n    Текст.\n'


def rendered(text):
    return markdown.Markdown(extensions=list(MARKDOWN), extension_configs=MARKDOWN, output_format="html5").convert(text)


@pytest.mark.parametrize("text, levels", [
    (URGENT.format("A"), [2]),
    ("## S\n\n" + URGENT.format("A"), [3]),
    ("## S\n\n### T\n\n" + URGENT.format("A") + "\n" + URGENT.format("B") + "\n## U\n\n" + URGENT.format("C"), [4, 4, 3]),
    ("###### S\n\n" + URGENT.format("A *now*"), [6]),
    ("- item\n\n    " + URGENT.format("A").replace("\n    ", "\n        "), [2]),
], ids=["first", "in-a-section", "several", "at-most-h6", "in-a-list"])
def test_an_urgent_title_becomes_a_heading_below_its_section(text, levels):
    clean, refusals = sanitise.sanitise(rendered(text + '\n!!! warning "W"\n    Текст.\n'))
    assert refusals == []
    titles = [line for line in clean.splitlines() if 'class="admonition-title"' in line]
    assert [title.split()[0] for title in titles] == [f"<h{level}" for level in levels] + ["<p"]  # the warning's stays
    assert safety_problems(clean, sanitise.ALLOWED_ELEMENTS) == []
    assert sanitise.sanitise(clean) == (clean, [])  # published HTML passes again unchanged


UNTITLED = "an “!!! urgent” box needs a title in the article's language"
BROKEN = {
    "articles/no-title/index.uk.md": with_text("!!! urgent\n    Текст.\n"),
    "articles/empty-title/index.uk.md": with_text('!!! urgent ""\n    Текст.\n'),
    "articles/default-title/index.uk.md": with_text('!!! urgent "Urgent"\n    Текст.\n'),
    "articles/second-box/index.uk.md": with_text(URGENT.format("Коли негайно звернутися по допомогу") + "\n!!! urgent\n    Текст.\n"),
    "articles/in-a-list/index.uk.md": with_text("- пункт\n\n    !!! urgent\n        Текст.\n"),
    "articles/in-html/index.uk.md": with_text('<div class="admonition urgent"><p>Текст.</p></div>\n'),
}


def test_an_urgent_box_without_a_title_of_its_own_stops_the_build_at_its_line(tmp_path):
    built = build(tmp_path, BROKEN)
    assert_stopped(built)
    lines = {"second-box": TEXT + 3, "in-a-list": TEXT + 2}
    for path in BROKEN:
        assert_errors(built, [(path, lines.get(path.split("/")[1], TEXT), UNTITLED)], path)
    assert 'e.g. !!! urgent "When to get help now"' in built.errors[0]


LINKS = ("Текст із [посиланням](/en/), [зовнішнім](https://example.org/) і виноскою[^1].\n\n"
         "## Розділ\n\n" + URGENT.format("Коли негайно звернутися по допомогу") + "\n[^1]: Джерело.\n")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("urgent"), {
        "pages/home/index.uk.md": home("uk"), "pages/home/index.en.md": home("en"), **people_files(("uk",)),
        "articles/a/index.uk.md": VALID_UK.replace("Короткий текст статті.\n\n## Розділ\n\nЩе один абзац.\n", LINKS),
    })
    assert_built(built)
    with serving(built.output) as url:
        yield f"{url}/a/"


def test_the_urgent_card_is_a_heading_in_white_on_red_and_axe_finds_nothing(page, served):
    page.goto(served)
    heading = page.get_by_role("heading", name="Коли негайно звернутися по допомогу", level=3, exact=True)
    assert heading.evaluate("h => h.closest('.admonition.urgent') !== null")
    colours = heading.evaluate("h => [getComputedStyle(h).color, getComputedStyle(h).backgroundColor]")
    assert colours == ["rgb(255, 255, 255)", "rgb(179, 38, 30)"]  # --mc-color-on-accent on --mc-color-error
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # as test_accessibility does
    for width in (390, 1280):  # the text only: the rest of the page is test_accessibility's
        page.set_viewport_size({"width": width, "height": 900})
        result = page.evaluate("tags => axe.run('.mc-article__body', {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        assert result["passes"] and not result["violations"], describe(result["violations"])


def test_an_article_prints_its_text_link_addresses_and_the_clinic_without_navigation_or_form(page, served, settings):
    page.goto(served)
    page.emulate_media(media="print")
    for hidden in (".mc-skip-link", ".mc-header__call", ".mc-nav", ".mc-lang", ".mc-breadcrumbs", ".mc-callback",
                   ".mc-footer__links", ".mc-location__links"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in (".mc-article__title", ".admonition.urgent h3", ".mc-footer__phone", ".mc-footer .mc-location__title"):
        assert page.locator(shown).first.is_visible(), shown
    assert settings["PHONE"]["display"] in page.locator(".mc-footer__phone").inner_text()
    assert page.locator(".mc-footer .mc-location__title").count() == len(settings["LOCATIONS"])
    after = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.mc-article__body a')]
        .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content]))""")
    assert all(after[href] not in ("none", "normal") for href in ("/en/", "https://example.org/")), after
    assert all(content in ("none", "normal") for href, content in after.items() if href.startswith("#")), after
    black = page.evaluate("""() => [...document.querySelectorAll('body, .admonition-title')]
        .map(e => getComputedStyle(e)).map(s => [s.color, s.backgroundColor])""")
    assert all(pair == ["rgb(0, 0, 0)", "rgba(0, 0, 0, 0)"] for pair in black), black
