"""WCAG 2.2 A/AA: axe-core in Chromium, and the keyboard."""

from pathlib import Path

import pytest

from conftest import LANGS, lang_prefix

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The home and contacts pages, and an article ("article": the newest of each
# language in the content, see conftest.sample_pages).
PAGES = ["", "article", "contacts/"]


def axe_violations(page):
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make test` (it runs `npm ci`).")
    # Evaluated through the browser's debugging protocol, which the page's
    # strict Content-Security-Policy does not govern (a <script> tag would be blocked).
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in violations
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_reports_no_violations(page, site_url, sample_pages, lang, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    path = sample_pages[lang].get(path, path)
    page.goto(f"{site_url}/{lang_prefix(lang)}{path}")
    result = axe_violations(page)
    assert result["passes"], "axe ran no checks"
    assert not result["violations"], describe(result["violations"])


def test_axe_finds_a_planted_violation(page, site_url):
    # Guards the test above: axe must report a real problem when there is one.
    page.goto(f"{site_url}/")
    page.evaluate("document.querySelector('.mc-header__call').style.color = '#ddd'")
    page.evaluate("document.querySelector('.mc-header__call').style.background = '#fff'")
    ids = {v["id"] for v in axe_violations(page)["violations"]}
    assert "color-contrast" in ids


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_skip_link_is_first_and_moves_focus_to_the_content(page, site_url, sample_pages, lang):
    page.goto(f"{site_url}/{lang_prefix(lang)}{sample_pages[lang]['article']}")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "mc-skip-link"
    box = page.locator(".mc-skip-link").bounding_box()
    assert box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_reaches_every_link_and_control_with_a_visible_focus(page, site_url, sample_pages):
    page.goto(f"{site_url}/{sample_pages['uk']['article']}")
    # Every visible link and form control (radios: one stop per group).
    expected = page.evaluate(
        """() => { const all = [...document.querySelectorAll(
                'a[href], input:not([type=hidden]):not([type=radio]), textarea, button, input[type=radio]:checked')]
              .filter(el => el.getClientRects().length);
            all.forEach((el, index) => { el.dataset.testIndex = index; });
            return all.length; }"""
    )
    seen = set()
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        index, name, focus_shown = page.evaluate(
            """() => { const el = document.activeElement;
                const style = getComputedStyle(el);
                return [el.dataset.testIndex, el.getAttribute('href') || el.name,
                        style.boxShadow !== 'none' || style.outlineStyle !== 'none']; }"""
        )
        if index is not None:
            assert focus_shown, f"no visible focus on {name}"
            seen.add(index)
    assert expected > 20
    assert len(seen) == expected


def test_phone_stays_on_screen_when_scrolled_on_a_phone(page, site_url, sample_pages):
    page.goto(f"{site_url}/{sample_pages['uk']['article']}")
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(100)
    assert page.evaluate("window.scrollY") > 500
    box = page.locator(".mc-header__call").bounding_box()
    assert 0 <= box["y"] < 100


def test_a_focused_field_is_never_hidden_under_the_sticky_header(page, site_url, sample_pages):
    # WCAG 2.2 focus not obscured: the visitor is down at the button, sends,
    # and the focus goes up to the error summary, which must not land under
    # the header.
    page.goto(f"{site_url}/{sample_pages['uk']['article']}")
    page.locator("form button[type=submit]").scroll_into_view_if_needed()
    page.locator("form[novalidate]").wait_for()  # the form's script came as the form came into view
    page.locator("form button[type=submit]").click()
    header = page.locator(".mc-header").bounding_box()
    summary = page.locator("[data-error-summary]").bounding_box()
    assert page.evaluate("window.scrollY") > 0
    assert summary["y"] >= header["y"] + header["height"]
    # And a jump to the form from the header's link puts its top below the header.
    page.locator(".mc-nav__callback").evaluate("link => link.click()")
    page.wait_for_timeout(100)
    form_top = page.locator("#callback").bounding_box()["y"]
    assert form_top >= page.locator(".mc-header").bounding_box()["height"]
