"""The assets plugin: each page's stylesheet, made of the theme's parts its
HTML uses, in its <head> and allowed by its hash; the scripts as
fingerprinted files, and the form's loader inline."""

import base64
import hashlib
import re
import shutil

import pytest
from clinic.assets import PAGE_CSS_MARKER, PAGE_STYLE_SOURCE, StylePart, page_stylesheet, selectors_by_class
from fixture_site import ROOT, build_fixture_site, home, soup

from clinic.messages import _e

FILES = {"pages/home/index.uk.md": home("uk")}
ARTICLE = ("Title: Back pain\nLang: uk\nSlug: back\nDate: 2026-11-01\nCategory: Back pain\n"
           "Summary: What helps.\n\nThe first paragraph.\n\n{box}")
BOX = '!!! warning "When to see a doctor"\n    If the pain spreads down a leg.\n'


def copy_theme(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    return theme


def stylesheet_of(output):
    """The page's one <style>, and the hash its policy allows styles by."""
    page = soup(output / "index.html")
    styles = page.find_all("style")
    assert len(styles) == 1 and not page.find("link", rel="stylesheet")
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    return styles[0].string, re.search(r"style-src ([^;]+)", policy)[1]


def css_hash(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_stylesheet_holds_the_parts_in_order_minified_and_is_allowed_by_its_hash_alone(tmp_path):
    output = build_fixture_site(tmp_path, FILES)
    css, allowed = stylesheet_of(output)
    assert css.startswith(":root{")  # tokens.css comes first
    assert css.index(".mc-skip-link{") < css.index(".mc-header{") < css.index(".mc-footer__title")
    assert "/*" not in css and "\n\n" not in css
    assert allowed.split() == [css_hash(css)]  # the page's policy allows its own stylesheet, nothing more
    assert PAGE_CSS_MARKER not in (output / "index.html").read_text() and PAGE_STYLE_SOURCE not in allowed
    assert not list((output / "theme").glob("*.css"))  # no stylesheet file: nothing to request


def test_a_page_carries_the_parts_its_html_uses_and_every_part_that_styles_elements(tmp_path):
    files = {**FILES, "articles/back/index.uk.md": ARTICLE.format(box=""), "articles/box/index.uk.md":
             ARTICLE.format(box=BOX).replace("Slug: back", "Slug: box").replace("Back pain\nLang", "Boxed\nLang")}
    output = build_fixture_site(tmp_path, files)
    home_css = soup(output / "index.html").style.string
    plain = soup(output / "back/index.html").style.string
    boxed = soup(output / "box/index.html").style.string
    search = soup(output / "search/index.html").style.string
    not_found = soup(output / "404.html").style.string
    assert ".mc-home" in home_css and ".mc-search" not in home_css
    assert ".mc-search" in search and ".mc-home" not in search
    assert ".admonition{margin" in boxed and ".admonition{margin" not in plain  # only the article with a box
    assert ".mc-callback{" in plain and ".mc-callback{" not in not_found  # the form's part goes with the form
    for css in (home_css, plain, boxed, search, not_found):
        assert css.startswith(":root{") and "body{" in css and "@media print" in css  # every page
    headers = (output / "_headers").read_text()
    for css in (home_css, plain, boxed, search, not_found):
        assert css_hash(css) in headers  # _headers allows every stylesheet the pages carry


def test_an_editors_text_that_spells_the_markers_changes_nothing(tmp_path):
    # The title comes before the <style> in <head>; the summary too.
    marker = f"{PAGE_CSS_MARKER} style-src {PAGE_STYLE_SOURCE}"
    article = ARTICLE.format(box=f"`{marker}`").replace("Title: Back pain", f"Title: Back {marker}")
    output = build_fixture_site(tmp_path, {**FILES, "articles/back/index.uk.md": article.replace("What helps.", marker)})
    page = soup(output / "back/index.html")
    assert page.title.string.startswith(f"Back {marker}") and marker in page.select_one(".mc-article__body").text
    css, allowed = stylesheet_of(output / "back")
    assert css.startswith(":root{") and allowed.split() == [css_hash(css)]


def test_a_part_is_needed_where_a_page_has_every_class_of_one_of_its_selectors():
    card = selectors_by_class(".mc-home__cards .mc-location{margin:0}@media (min-width:40rem){.mc-pager{gap:0}}")
    assert card == {frozenset({"mc-home__cards", "mc-location"}), frozenset({"mc-pager"})}
    assert selectors_by_class("a{color:red}.mc-x{color:blue}") is None  # selects an element: every page
    assert selectors_by_class(".mc-x{color:red}@font-face{font-family:x}") is None
    assert selectors_by_class("@media print{.mc-x{color:red}}") == {frozenset({"mc-x"})}
    part = StylePart("home.css", ".mc-home__cards .mc-location{margin:0}", card)
    assert page_stylesheet([part], '<p class="mc-location">')[0] == ""
    assert page_stylesheet([part], '<div class="mc-home__cards x"><p class=\'mc-location\'>')[0] == part.text


def test_a_changed_stylesheet_changes_the_hash_the_policy_allows(tmp_path):
    first = stylesheet_of(build_fixture_site(tmp_path / "one", FILES))
    theme = copy_theme(tmp_path)
    with (theme / "css" / "footer.css").open("a") as footer:
        footer.write(".mc-footer { color: red; }\n")
    second = stylesheet_of(build_fixture_site(tmp_path / "two", FILES, THEME=str(theme)))
    assert first[1] != second[1] and css_hash(second[0]) in second[1].split()


def test_a_stylesheet_that_would_end_the_style_element_stops_the_build(tmp_path, capsys):
    theme = copy_theme(tmp_path)
    with (theme / "css" / "footer.css").open("a") as footer:
        footer.write('.mc-footer::after { content: "</style><script>alert(1)</script>"; }\n')
    with pytest.raises(SystemExit):
        build_fixture_site(tmp_path, FILES, THEME=str(theme))
    # That message, in the editor's language (the build's).
    assert "footer.css:1: " + str(_e("this stylesheet holds “</”, which would end the page's <style> early. Remove it "
                                     "(a CSS comment or string is the usual place).")) in capsys.readouterr().err


def test_a_listed_stylesheet_that_is_missing_stops_the_build(tmp_path, capsys):
    with pytest.raises(SystemExit):
        build_fixture_site(tmp_path, FILES, CSS_BUNDLE=["tokens.css", "nope.css"])
    assert "pelicanconf.py:1: " + str(_e("{setting} names {name}, which is not in {folder}. Add the file, or remove it "
                                         "from the list.", setting="CSS_BUNDLE", name="nope.css",
                                         folder=str(ROOT / "theme/css"))) in capsys.readouterr().err.splitlines()


def test_a_stylesheet_left_out_of_the_bundle_stops_the_build(tmp_path, capsys):
    theme = copy_theme(tmp_path)
    (theme / "css" / "forgotten.css").write_text("p { color: red; }\n")
    with pytest.raises(SystemExit):
        build_fixture_site(tmp_path, FILES, THEME=str(theme))
    assert "forgotten.css:1: " + str(_e("this file is not listed in {lists} in pelicanconf.py, so the site would not "
                                        "use it. Add it there, or delete it.", lists="CSS_BUNDLE")) in capsys.readouterr().err


def test_the_form_brings_its_loader_inline_allowed_by_its_hash_and_its_script_by_name(tmp_path):
    output = build_fixture_site(tmp_path, {**FILES, "articles/back/index.uk.md": ARTICLE.format(box="")})
    page = soup(output / "back/index.html")
    form = page.find("form", attrs={"data-module": "callback-form"})
    loader = form.find_parent("section").find_next_sibling("script")
    assert not page.head.find("script", src=True)  # the form's script is not loaded with the page
    assert (output / form["data-script"].lstrip("/")).is_file()
    assert "IntersectionObserver" in loader.string
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert re.search(r"script-src ([^;]+)", policy)[1].split() == ["'self'", css_hash(loader.string)]
