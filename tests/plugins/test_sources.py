"""Sources, written as Markdown footnotes (issue 22, items 5 and 7).

A footnote whose definition holds a link is a source: listed under
"Sources" in the page's language, numbered as in the text, linked back to
each place it is cited, its link https only, and in the article's JSON-LD
as a ``citation``. A footnote without a link is a note, listed apart.
A fixture article in three languages is built once, then read as HTML,
checked by vnu and axe, and photographed at a phone's and a desktop's
width; broken sources are refused at their definition's line, and the
reviewers' warnings are given at their lines, in ``invoke check`` and
``invoke report``.
"""

import json
import os
from pathlib import Path

import markdown
import pytest
from babel.messages.pofile import read_po
from conftest import LANGS, lang_prefix, serving
from fixture_site import ROOT, copy_project, home, people_files, run_invoke, soup, write_content
from test_accessibility import AXE_JS, WCAG_TAGS, describe
from test_content_checks import TEXT, VALID_EN, VALID_UK, assert_built, assert_errors, assert_stopped, build, with_text
from test_editor_tools import report_of
from pelican.settings import read_settings
from test_content_properties import safety_problems
from test_html_checker import is_error, run_vnu

from clinic import claims, contract, sanitise, sources
from clinic.report import WARNING_KINDS


def article_file(slug, lang):
    """Where an article's file in `lang` lives, under content/."""
    return f"articles/{slug}/{contract.content_file_name(lang)}"


def page_file(slug, lang):
    return f"pages/{slug}/{contract.content_file_name(lang)}"


def theme_text(lang, message):
    """`message` as the theme's catalogue writes it in `lang`."""
    po = ROOT / "theme/translations" / lang / "LC_MESSAGES/messages.po"
    if not po.exists():
        return message  # English: the msgids themselves
    with po.open("rb") as catalogue:
        return read_po(catalogue).get(message).string or message


NICE = ("Low back pain and sciatica in over 16s. NICE, 2020.", "https://www.nice.org.uk/guidance/ng59")
WHO = ("Guideline for non-surgical management of chronic primary low back pain in adults",
       "World Health Organization", "2023", "https://www.who.int/publications/i/item/9789240081789")
# Two sources (the first cited twice, its marker after the full stop; the
# second written as a link on its title) and a note without a link.
BODY = {
    "uk": ("Масаж може полегшити біль у попереку.[^nice] Рух допомагає[^who] більше, ніж спокій.[^nice]\n\n"
           "## Розділ\n\nТекст із приміткою.[^note]\n\n"),
    "en": ("Massage may ease low back pain.[^nice] Movement helps[^who] more than rest.[^nice]\n\n"
           "## A section\n\nA text with a note.[^note]\n\n"),
    "ru": ("Массаж может облегчить боль в пояснице.[^nice] Движение помогает[^who] больше, чем покой.[^nice]\n\n"
           "## Раздел\n\nТекст с примечанием.[^note]\n\n"),
}
DEFINITIONS = (f"[^nice]: {NICE[0]} {NICE[1]}\n"
               f"[^who]: [{WHO[0]}]({WHO[3]}). {WHO[1]}, {WHO[2]}.\n"
               "[^note]: {note}\n")
NOTE = {"uk": "Звичайна примітка.", "en": "An ordinary note.", "ru": "Обычное примечание."}
RU = VALID_EN.replace("Title: Neck pain", "Title: Боль в шее").replace("Back pain", "Боль в спине").replace(
    "Summary: Where *neck pain* comes from & when to see a specialist.", "Summary: Откуда берётся боль в шее.")
ORIGINALS = {"uk": VALID_UK.replace("Короткий текст статті.\n\n## Розділ\n\nЩе один абзац.\n", ""),
             "en": VALID_EN.replace("A short text.\n", ""), "ru": RU.replace("A short text.\n", "")}
SOURCED = {article_file("sourced", lang): ORIGINALS[lang] + "\n" + BODY[lang] + DEFINITIONS.format(note=NOTE[lang])
           for lang in LANGS}
# The home pages, and the (fictional) people the articles name.
HOMES = {**{page_file("home", lang): home(lang) for lang in LANGS}, **people_files()}
# What each marker leads to, in the text's order: (kind, number).
MARKERS = [("source", 1), ("source", 2), ("source", 1), ("note", 3)]


@pytest.fixture(scope="module")
def sourced(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("sources"), {**HOMES, **SOURCED})
    assert_built(built)
    return built


def article_page(built, lang):
    return built.output / lang_prefix(lang) / "sourced/index.html"


@pytest.mark.parametrize("lang", LANGS)
def test_sources_and_notes_are_listed_apart_in_the_pages_language_numbered_as_in_the_text(sourced, lang):
    html = soup(article_page(sourced, lang))
    sections = html.select(".mc-footnotes")
    assert [section.h2.get_text(strip=True) for section in sections] == [theme_text(lang, "Sources"),
                                                                         theme_text(lang, "Notes")]
    sources, notes = (section.select("ol > li") for section in sections)
    assert [(item["id"], item["value"]) for item in sources] == [("source-1", "1"), ("source-2", "2")]
    assert [(item["id"], item["value"]) for item in notes] == [("note-3", "3")]
    assert NOTE[lang] in notes[0].get_text() and not notes[0].select("a:not(.mc-footnotes__back)")
    assert "https://" not in sections[1].get_text()
    # Markdown's own list is gone from the text.
    assert not html.select(".mc-article__body .footnote, .mc-article__body .footnote-backref")
    markers = html.select(".mc-article__body sup > a.footnote-ref")
    assert [(a["href"], a.get_text()) for a in markers] == [(f"#{kind}-{n}", str(n)) for kind, n in MARKERS]
    for a in markers:
        word, own = a["aria-labelledby"].split()
        kind = a["href"][1:].split("-")[0]
        assert own == a.parent["id"] and html.find(id=word).get_text() == theme_text(lang, kind.capitalize())
    # Every item links back to each of its markers, in order.
    for item in sources + notes:
        backs = item.select("a.mc-footnotes__back")
        assert [a["href"] for a in backs] == [f"#{a.parent['id']}" for a in markers if a["href"] == f"#{item['id']}"]
        assert all(theme_text(lang, "Back to the text") in a.get_text() for a in backs)
    assert len(sources[0].select("a.mc-footnotes__back")) == 2
    # A source names a publication as published, in any language: not for
    # machine translation; its back-links are the site's words.
    assert all(item["translate"] == "no" for item in sources) and not any(item.get("translate") for item in notes)
    assert all(a["translate"] == "yes" for item in sources for a in item.select("a.mc-footnotes__back"))


@pytest.mark.parametrize("lang", LANGS)
def test_a_sources_link_is_its_https_address(sourced, lang):
    sources = soup(article_page(sourced, lang)).select(".mc-footnotes")[0]
    links = [a["href"] for a in sources.select("a:not(.mc-footnotes__back)")]
    assert links == [NICE[1], WHO[3]]
    assert all(link.startswith("https://") for link in links)


def citations(path):
    """The `citation` of the article page's MedicalWebPage (None: none)."""
    graph = [node for script in soup(path).select('script[type="application/ld+json"]')
             for node in json.loads(script.string).get("@graph", [])]
    return next(node for node in graph if node.get("@type") == "MedicalWebPage").get("citation")


@pytest.mark.parametrize("lang", LANGS)
def test_the_articles_json_ld_cites_each_source_as_a_creative_work(sourced, lang):
    assert citations(article_page(sourced, lang)) == [
        {"@type": "CreativeWork", "name": "Low back pain and sciatica in over 16s",
         "publisher": {"@type": "Organization", "name": "NICE"}, "datePublished": "2020", "url": NICE[1]},
        {"@type": "CreativeWork", "name": WHO[0], "publisher": {"@type": "Organization", "name": WHO[1]},
         "datePublished": WHO[2], "url": WHO[3]},
    ]


def test_an_article_without_sources_has_no_citation_and_no_list(tmp_path):
    built = build(tmp_path, {**HOMES, article_file("plain", "uk"): VALID_UK})
    assert_built(built)
    html = soup(built.output / "plain/index.html")
    assert not html.select(".mc-footnotes, .footnote-ref")
    assert citations(built.output / "plain/index.html") is None


@pytest.mark.parametrize("text, parts", [
    (f"{NICE[0]} {NICE[1]}", ("Low back pain and sciatica in over 16s", "NICE", "2020")),
    # A title with full stops of its own; the year in brackets; the address first.
    ("Back pain. Part 2. Cochrane Library (2019). https://example.org/a", ("Back pain. Part 2", "Cochrane Library", "2019")),
    ("<https://example.org/a> *Neck pain*. NHS, 2024.", ("Neck pain", "NHS", "2024")),
    (f"[{WHO[0]}]({WHO[3]}). {WHO[1]}, {WHO[2]}.", WHO[:3]),
    ("Just a page https://example.org/a", None),
    ("Title. Publisher. https://example.org/a", None),  # no year
])
def test_a_sources_definition_is_read_into_title_publisher_and_year(text, parts):
    assert sources.source_parts(text) == parts


MARKDOWN = read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"]["extension_configs"]


def test_the_text_with_its_markers_passes_the_html_allow_list_unchanged():
    text = (f"Два джерела поспіль.[^a][^b] І примітка[^n].\n\n[^a]: {NICE[0]} {NICE[1]}\n"
            "[^b]: Б. В, 2021. https://example.org/b\n[^n]: Примітка.\n")
    rendered = markdown.Markdown(extensions=list(MARKDOWN), extension_configs=MARKDOWN, output_format="html5").convert(text)
    clean, refusals = sanitise.sanitise(rendered)
    assert refusals == []
    footnotes = {label: sources.Footnote(label, 1, body, url) for label, body, url in [
        ("a", NICE[0], NICE[1]), ("b", "Б. В, 2021.", "https://example.org/b"), ("n", "Примітка.", None)]}
    published, listed = sources.take_footnotes(clean, footnotes)
    assert [(c.kind, c.number, c.back_links) for c in listed] == [
        ("source", 1, ["cite-1"]), ("source", 2, ["cite-2"]), ("note", 3, ["cite-3"])]
    assert published.count("footnote-ref-adjacent") == 1  # the second of two markers together
    assert sanitise.sanitise(published) == (published, [])
    assert safety_problems(published, sanitise.ALLOWED_ELEMENTS) == []
    # An editor's own label on a link is refused: only a marker's may name it.
    _, refusals = sanitise.sanitise('<p><a href="/x" aria-labelledby="mc-word-source evil">x</a></p>')
    assert [r.message.id for r in refusals] == ["the attribute {name}= on <{element}> is not allowed. Remove it."]


# --- Refused and warned, at their lines ------------------------------------------------------

NOT_HTTPS = "is not an https:// address"
REFUSED = {
    "http": (f"Текст.[^1]\n\n[^1]: Назва. Видавець, 2020. http://example.org/page\n", TEXT + 2),
    "javascript": ("Текст.[^1]\n\n[^1]: [Назва](javascript:alert(1)). Видавець, 2020.\n", TEXT + 2),
    "link-http": ("Текст.[^1]\n\n[^1]: [Назва](http://example.org/page). Видавець, 2020.\n", TEXT + 2),
    "angle": ("Текст.[^a]\n\nАбзац.\n\n[^a]: Назва. Видавець, 2020. <ftp://example.org/file>\n", TEXT + 4),
    # A definition over two lines: named at its first.
    "continued": ("Текст.[^1]\n\n[^1]: Назва. Видавець,\n    2020. http://example.org/page\n", TEXT + 2),
}


def test_a_source_whose_link_is_not_https_stops_the_build_at_its_definitions_line(tmp_path):
    files = {article_file(name, "uk"): with_text(text) for name, (text, _) in REFUSED.items()}
    built = build(tmp_path, files)
    assert_stopped(built)
    for name, (_, line) in REFUSED.items():
        path = article_file(name, "uk")
        # A link the HTML allow-list refuses anyway is its message alone.
        refused_anyway = name in ("javascript", "angle")
        assert_errors(built, [(path, line, "is not allowed" if refused_anyway else NOT_HTTPS)], path)


def test_a_footnote_without_a_link_and_a_definition_in_code_are_no_sources(tmp_path):
    text = with_text("Текст.[^1]\n\n```\n[^2]: http://example.org/in-code\n```\n\n[^1]: Лише примітка, 2020.\n")
    built = build(tmp_path, {**HOMES, article_file("noted", "uk"): text})
    assert_built(built)
    html = soup(built.output / "noted/index.html")
    assert [section.h2.get_text(strip=True) for section in html.select(".mc-footnotes")] == [theme_text("uk", "Notes")]
    assert citations(built.output / "noted/index.html") is None


def test_pages_and_home_pages_list_their_footnotes_too(tmp_path):
    cited = f"Текст.[^1]\n\n[^1]: {NICE[0]} {NICE[1]}\n"
    built = build(tmp_path, {**HOMES, page_file("home", "uk"): home("uk") + cited,
                             page_file("about", "uk"): f"Title: Про нас\n\n{cited}"})
    assert_built(built)
    for page in ("index.html", "about/index.html"):
        html = soup(built.output / page)
        assert [a["href"] for a in html.select(".mc-footnotes li a:not(.mc-footnotes__back)")] == [NICE[1]], page
        assert html.select_one(".mc-prose sup > a.footnote-ref")["href"] == "#source-1", page


def claim_phrase(lang):
    """A phrase the claims check finds in `lang` (from its list, not typed here)."""
    sample = {"uk": "Результат гарантовано", "en": "Results guaranteed", "ru": "Результат гарантирован"}[lang]
    found = claims.find_claims(sample, lang)
    assert found, f"the claims list of {lang} no longer finds “{sample}”: choose another sample"
    return found[0][0]


def with_claim(sentence):
    """A reviewed article that acknowledges a claim, with `sentence` (its
    {phrase} the claim) on line TEXT + 1, after the Claims_checked line."""
    phrase = claim_phrase("uk")
    fields = VALID_UK.replace("Reviewed: 2026-10-01\n", f"Reviewed: 2026-10-01\nClaims_checked: {phrase}\n")
    return fields + "\n" + sentence.format(phrase=phrase) + f" Інше речення.[^1]\n\n[^1]: {NICE[0]} {NICE[1]}\n"


WARNED = {
    # (text, [(line, kind)])
    "unsourced": (VALID_UK, [(6, "no-source")]),
    "only-notes": (with_text("Текст.[^1]\n\n[^1]: Примітка.\n"), [(6, "no-source")]),
    "not-reviewed": (VALID_UK.replace("Reviewer: test-reviewer\n", ""), [(1, "no-review")]),
    # The next sentence's marker is not this one's.
    "claim-unsourced": (with_claim("{phrase}."), [(TEXT + 1, "claim-without-source")]),
    "claim-sourced": (with_claim("{phrase}.[^1]"), []),
    "claim-sourced-before-stop": (with_claim("{phrase}[^1]."), []),
    "unreadable": (with_text(f"Текст.[^1]\n\n[^1]: Просто сторінка {NICE[1]}\n"), [(TEXT + 2, "source-form")]),
}
KINDS = {"no-source", "claim-without-source", "source-form", "no-review"}


def test_the_reviewers_warnings_are_given_at_their_lines(tmp_path):
    built = build(tmp_path, {**HOMES, **{article_file(name, "uk"): text for name, (text, _) in WARNED.items()}})
    assert_built(built)
    for name, (_, expected) in WARNED.items():
        path = f"content/{article_file(name, 'uk')}"
        got = [(w.line, w.code) for w in sorted(built.report.warnings) if w.path == path and w.code in KINDS]
        assert got == expected, (name, got)
    assert {"no-source", "claim-without-source", "source-form"} <= set(WARNING_KINDS)
    # A source not read into its parts is still cited, by its words.
    assert citations(built.output / "unreadable/index.html") == [
        {"@type": "CreativeWork", "name": "Просто сторінка", "url": NICE[1]}]


def test_the_content_report_lists_the_warnings_as_invoke_report_does(tmp_path):
    data = report_of(tmp_path, {**HOMES, **{article_file(name, "uk"): text for name, (text, _) in WARNED.items()}},
                     )
    for row in data["articles"]:
        expected = WARNED[row["slug"]][1]
        got = [(w["line"], w["kind"]) for w in row["languages"]["uk"]["warnings"] if w["kind"] in KINDS]
        assert got == expected, (row["slug"], got)


def test_invoke_check_and_invoke_report_give_them_in_the_editors_language(tmp_path):
    project = copy_project(tmp_path)
    slug = "sources-fixture"
    path = project / "content" / article_file(slug, "uk")
    path.parent.mkdir(parents=True)
    write_content(project / "content", people_files())  # the reviewer it names
    path.write_text(WARNED["claim-unsourced"][0], encoding="utf-8")
    shown = f"content/{article_file(slug, 'uk')}:{TEXT + 1}:"
    checked = run_invoke(project, "check", environment={"EDITOR_LANGUAGE": "en"})
    assert any(line.startswith(shown) and "cites no source" in line for line in checked.stdout.splitlines()
               + checked.stderr.splitlines()), checked.stdout + checked.stderr
    reported = run_invoke(project, "report", "--json")
    assert reported.returncode == 0, reported.stderr
    row = next(row for row in json.loads(reported.stdout)["articles"] if row["slug"] == slug)
    warned = [w for w in row["languages"]["uk"]["warnings"] if w["kind"] == "claim-without-source"]
    assert [w["line"] for w in warned] == [TEXT + 1]
    assert "джерело" in warned[0]["message"]  # the project's editor's language: Ukrainian


# --- In a browser: vnu, axe, targets, and what it looks like ----------------------------------


def test_vnu_finds_no_error_on_the_articles_with_sources(sourced):
    errors = [m for m in run_vnu([article_page(sourced, lang) for lang in LANGS]) if is_error(m)]
    assert errors == [], errors


@pytest.fixture(scope="module")
def served(sourced):
    with serving(sourced.output) as url:
        yield url


SCREENSHOTS = Path(os.environ.get("SOURCES_SCREENSHOTS", "/tmp/sources-screenshots"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width, scale", [(390, 2), (1280, 1)])
def test_in_a_browser_markers_are_named_targets_are_24_px_and_axe_finds_nothing(browser, served, lang, width, scale):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=scale)
    page = context.new_page()
    try:
        page.goto(f"{served}/{lang_prefix(lang)}sourced/")
        word = theme_text(lang, "Source")
        assert page.get_by_role("link", name=f"{word} 1", exact=True).count() == 2
        assert page.get_by_role("link", name=f"{theme_text(lang, 'Note')} 3", exact=True).count() == 1
        sizes = page.eval_on_selector_all(".footnote-ref, .mc-footnotes__back",
                                          "links => links.map(a => [a.getBoundingClientRect().width, "
                                          "a.getBoundingClientRect().height])")
        assert len(sizes) == len(MARKERS) * 2 and all(w >= 24 and h >= 24 for w, h in sizes), sizes
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        assert result["passes"] and not result["violations"], describe(result["violations"])
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".mc-article__body").scroll_into_view_if_needed()
        page.locator(".mc-footnotes").first.screenshot(path=SCREENSHOTS / f"sources-{lang}-{width}.png")
        page.locator(".mc-article").screenshot(path=SCREENSHOTS / f"article-{lang}-{width}.png")
    finally:
        context.close()
