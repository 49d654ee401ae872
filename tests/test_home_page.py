"""The home page is the clinic's front door, in every language of the site.

On a 390 × 844 phone the two actions, calling the clinic and asking for a
call back, are within the first screen, below the sticky header; the
call-back action leads to the form; each location from the settings is
shown with its map link. The languages come from the settings.
"""

import pytest
from pelican.settings import read_settings

from conftest import ROOT

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
PHONE_SCREEN = {"width": 390, "height": 844}


def home_url(site_url, lang):
    prefix = "" if lang == SETTINGS["DEFAULT_LANG"] else f"{lang}/"
    return f"{site_url}/{prefix}"


def assert_in_first_screen(page, locator, what):
    assert locator.is_visible(), what
    box = locator.bounding_box()
    header = page.locator("header").bounding_box()
    assert box["y"] >= header["y"] + header["height"], f"{what} is under the sticky header: {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_SCREEN["width"], f"{what} is cut at the side: {box}"
    assert box["y"] + box["height"] <= PHONE_SCREEN["height"], f"{what} is below the first screen: {box}"
    # A button a finger can hit (WCAG 2.5.5's 44 px).
    assert box["height"] >= 44, f"{what} is too small to tap: {box}"


@pytest.mark.parametrize("lang", list(SETTINGS["LANGUAGES"]))
def test_home_page_shows_both_actions_on_the_first_phone_screen_and_every_location(page, site_url, lang):
    page.set_viewport_size(PHONE_SCREEN)
    page.goto(home_url(site_url, lang))
    assert page.evaluate("window.scrollY") == 0
    main = page.locator("main")
    call = main.locator(f"a[href='tel:{SETTINGS['PHONE']['tel']}']").first
    assert_in_first_screen(page, call, "the phone link")
    assert SETTINGS["PHONE"]["display"] in call.inner_text()
    callback = main.locator("a[href$='#callback']").first
    assert_in_first_screen(page, callback, "the call-back action")
    # It leads to the form: on this page, or on the page it names.
    if callback.get_attribute("href") == "#callback":
        assert main.locator("#callback form").count() == 1
    # Each location from the settings, in the page's language, with its map.
    for location in SETTINGS["LOCATIONS"]:
        heading = main.get_by_role("heading", name=location["street"][lang], exact=True)
        assert heading.is_visible(), location["id"]
        card = heading.locator("xpath=ancestor::section[1]")
        assert location["city"][lang] in card.inner_text()
        assert card.locator(f"a[href='{location['map_url']}']").count() == 1
