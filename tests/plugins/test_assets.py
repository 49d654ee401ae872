"""The assets plugin: one fingerprinted stylesheet from the theme's parts."""

import shutil

import pytest
from fixture_site import ROOT, build_fixture_site, home, soup

FILES = {"pages/home/uk.md": home("uk")}


def copy_theme(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    return theme


def stylesheet_of(output):
    href = soup(output / "index.html").find("link", rel="stylesheet")["href"]
    return output / href.lstrip("/")


def test_the_bundle_holds_every_part_in_order_minified(tmp_path):
    output = build_fixture_site(tmp_path, FILES)
    css = stylesheet_of(output).read_text()
    assert css.startswith(":root{")  # tokens.css comes first
    assert css.index(".mc-skip-link{") < css.index(".mc-header{") < css.index(".mc-footer__title")
    assert "/*" not in css and "\n\n" not in css


def test_a_changed_stylesheet_gets_a_new_name(tmp_path):
    first = stylesheet_of(build_fixture_site(tmp_path / "one", FILES)).name
    theme = copy_theme(tmp_path)
    with (theme / "css" / "footer.css").open("a") as footer:
        footer.write(".mc-footer { color: red; }\n")
    second = stylesheet_of(build_fixture_site(tmp_path / "two", FILES, THEME=str(theme))).name
    assert first != second
    assert first.startswith("site.") and first.endswith(".css")


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
