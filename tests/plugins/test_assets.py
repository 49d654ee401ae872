"""The assets plugin: one stylesheet from the theme's parts, in every page's
<head> and allowed by its hash; the scripts as fingerprinted files."""

import base64
import hashlib
import re
import shutil

import pytest
from fixture_site import ROOT, build_fixture_site, home, soup

FILES = {"pages/home/uk.md": home("uk")}


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


def test_the_bundle_holds_every_part_in_order_minified_and_is_allowed_by_its_hash_alone(tmp_path):
    output = build_fixture_site(tmp_path, FILES)
    css, allowed = stylesheet_of(output)
    assert css.startswith(":root{")  # tokens.css comes first
    assert css.index(".mc-skip-link{") < css.index(".mc-header{") < css.index(".mc-footer__title")
    assert "/*" not in css and "\n\n" not in css
    assert css_hash(css) in allowed.split()
    assert not list((output / "theme").glob("*.css"))  # no stylesheet file: nothing to request


def test_a_page_carries_only_the_parts_its_template_needs(tmp_path):
    only_for = {"home.css": ["home.html"], "search.css": ["search.html"]}
    output = build_fixture_site(tmp_path, FILES, CSS_ONLY_FOR=only_for)
    home, _ = stylesheet_of(output)  # the home page (its Template is home)
    search = soup(output / "search/index.html").style.string
    not_found = soup(output / "404.html").style.string
    assert ".mc-home" in home and ".mc-search" not in home
    assert ".mc-search" in search and ".mc-home" not in search
    assert ".mc-home" not in not_found and ".mc-search" not in not_found and ".mc-footer" in not_found


def test_a_part_for_some_templates_that_the_bundle_does_not_list_stops_the_build(tmp_path, capsys):
    with pytest.raises(SystemExit):
        build_fixture_site(tmp_path, FILES, CSS_ONLY_FOR={"nope.css": ["home.html"]})
    assert "pelicanconf.py:1: CSS_ONLY_FOR names nope.css, which CSS_BUNDLE does not list" in capsys.readouterr().err


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
    assert "pelicanconf.py:1: the CSS_BUNDLE stylesheets hold “</”" in capsys.readouterr().err


def test_a_listed_stylesheet_that_is_missing_stops_the_build(tmp_path, capsys):
    with pytest.raises(SystemExit):
        build_fixture_site(tmp_path, FILES, CSS_BUNDLE=["tokens.css", "nope.css"])
    assert "pelicanconf.py:1: CSS_BUNDLE names nope.css, which is not in" in capsys.readouterr().err


def test_a_stylesheet_left_out_of_the_bundle_stops_the_build(tmp_path, capsys):
    theme = copy_theme(tmp_path)
    (theme / "css" / "forgotten.css").write_text("p { color: red; }\n")
    with pytest.raises(SystemExit):
        build_fixture_site(tmp_path, FILES, THEME=str(theme))
    assert "forgotten.css:1: this file is not listed in CSS_BUNDLE" in capsys.readouterr().err
