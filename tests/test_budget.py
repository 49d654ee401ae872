"""The article page's weight and requests, in every language.

Budgets are bytes and counts, never timings: a host sends each file
gzip-compressed on its own, so that is what we count.

The first view is the page alone: its stylesheet is in its <head>, and the
form's script comes only when the visitor comes to the form (issue 13).
The byte budgets are the site's share of an article page: the page with
everything editors wrote taken out. Editors write the text (its body and
the table of contents made from it), and every field the page repeats: the
title (in <title>, the heading, the breadcrumbs, Open Graph, JSON-LD, the
form's subject), the summary (the description, Open Graph, JSON-LD), tags,
names, the condition, the picture's description, the address (slug), and
the same fields of the related and neighbouring articles it lists. None of
it can be told to be shorter by a test: a longer title or another related
article must not fail one (issue 19: an ordinary second article did, by 4
bytes). What the site adds around them (head, CSS, JSON-LD, header, review
lines, form, related articles, footer) must stay small whatever the article:
on the first view, and with the form's script. A failure lists each file's
size, so that it names its cause.

A whole page has a separate, generous ceiling that is the editors' to keep:
the content report warns about a heavier page (``heavy-page``), and no test
fails on it.
"""

import json
import random
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from fixture_site import MADE_UP, build_fixture_site, copy_project, home, run_invoke
from make_photo import phone_photo

from clinic import contract
from clinic.addresses import PHOTO_FOLDER
from clinic.article_extras import RELATED_COUNT, TOC_MIN_SECTIONS
from clinic.content_report import HEAVY_PAGE_GZIP_BYTES, SITE_SHARE_MAX_GZIP_BYTES, gzip_bytes
from clinic.structured_data import serialise
from conftest import LANGS, lang_prefix, published_articles

# The first view: the page alone (its stylesheet is inline), without what
# editors wrote. The fullest page there is (a reviewer, the most related
# articles, each with its picture, both neighbours, a text that calls for
# every stylesheet a text can, sources and a note) comes to about 7.8 KB in
# Ukrainian and Russian; today's article, 6.8 KB
# (content_report.SITE_SHARE_MAX_GZIP_BYTES says why 8 KB).
MAX_FIRST_VIEW_GZIP_BYTES = SITE_SHARE_MAX_GZIP_BYTES
MAX_FIRST_VIEW_REQUESTS = 1
# And for a visitor who comes to the form: the page and the form's script.
# The form's script is 2.4 KB: 10.1 KB with the fullest page.
MAX_WITH_FORM_GZIP_BYTES = int(10.5 * 1024)
# Strings shorter than this are not taken out: they could be part of the
# site's own words or markup ("Home", "en"), and weigh a few bytes.
SHORTEST_REMOVED = 4
# How much the site's share may change when every field editors write goes
# from ordinary to its contract's limit: nothing of theirs is counted, so
# only gzip's framing moves (a field left in would add 60 bytes or more).
SHARE_BLIND_TO_FIELDS_BYTES = 24
# What the report's weight of a page may leave out: the repeats of fields
# the page shows more than once, every field at its limit.
REPEATS_BYTES = 512


def gzip_size(path):
    return gzip_bytes(path.read_bytes())


def editors_strings(site_content):
    """(texts, slugs): what editors wrote that an article page shows, the
    longest first (a title may hold a tag), and the articles' addresses."""
    texts, slugs = set(), set()
    for row in site_content["articles"]:
        slugs.add(row["slug"])
        for entry in row["languages"].values():
            if entry:
                texts |= {entry["title"], entry["summary"], entry["reviewer"], entry["condition"],
                          entry["picture_alt"], ", ".join(entry["tags"]), ", ".join(entry["authors"]),
                          *entry["authors"], *entry["tags"]}
    # The people an article names (their names, roles and qualifications,
    # and their profiles' addresses) are editors' text too.
    for row in site_content.get("people", []):
        slugs.add(row["slug"])
        for entry in row["languages"].values():
            texts |= {entry["title"], entry["role"], *(part for pair in entry["qualifications"] for part in pair)}
    texts = {text for text in texts if text and len(text) >= SHORTEST_REMOVED}
    return sorted(texts, key=len, reverse=True), slugs


def without(text, strings, slugs):
    for string in strings:
        text = text.replace(string, "")
    for slug in slugs:  # in addresses only: /slug/, /en/slug/, /slug/#page
        text = text.replace(f"/{slug}/", "//")
    return text


def site_share(html, editors):
    """The page's gzip bytes without what editors wrote: its text, and
    each of `editors`' strings wherever it stands (text, attributes,
    JSON-LD). Fails if the page has no text to take out."""
    texts, slugs = editors
    soup = BeautifulSoup(html, "html.parser")
    # Footnotes are editors' text too: each listed one but its back-links
    # (the site's), and its source wherever the page repeats it (JSON-LD).
    for item in soup.select(".mc-footnotes__item"):
        for part in list(item.contents):
            if not (getattr(part, "name", None) == "a" and "mc-footnotes__back" in part.get("class", [])):
                part.extract()
    texts = sorted(set(texts) | cited_strings(soup), key=len, reverse=True)
    body = soup.select_one(".mc-article__body")
    assert body is not None and body.get_text(strip=True)
    body.clear()
    for toc in soup.select(".mc-toc"):
        toc.decompose()
    # JSON-LD holds the fields as JSON strings: escaped as it escapes them.
    as_json = [serialise(text)[1:-1] for text in texts]
    for node in soup.find_all(string=True):
        is_json = node.parent.name == "script" and node.parent.get("type") == "application/ld+json"
        kept = without(str(node), as_json if is_json else texts, slugs)
        if kept != node:
            node.replace_with(type(node)(kept))
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if isinstance(value, str):
                tag[name] = without(value, texts, slugs)
    return gzip_bytes(str(soup).encode())


def cited_strings(soup):
    """What editors wrote of the sources the page's JSON-LD cites."""
    strings = set()
    for script in soup.select('script[type="application/ld+json"]'):
        for node in json.loads(script.string).get("@graph", []):
            for work in node.get("citation", []):
                strings |= {work["name"], work["url"], work.get("publisher", {}).get("name", ""),
                            work.get("datePublished", "")}
    return {text for text in strings if len(text) >= SHORTEST_REMOVED}


@pytest.fixture(scope="session")
def editors(site_content):
    return editors_strings(site_content)


@pytest.mark.parametrize("build", ["site", "published_site"])
def test_every_article_page_fits_its_byte_budget(request, articles, editors, build):
    # The preview, and the production build visitors get (absolute URLs).
    site = request.getfixturevalue(build)
    assert articles
    for _, _, entry in articles:
        check_budget(site, f"{entry['url']}index.html", editors)


def check_budget(site, page, editors):
    html = (site / page).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    # Nothing the page itself asks for: no stylesheet file, no script file.
    assert not soup.select("link[rel~=stylesheet], script[src]"), page
    form = soup.select_one("form[data-script]")
    assert form is not None, page
    script = site / urlsplit(form["data-script"]).path.lstrip("/")
    sizes = {page: site_share(html, editors), script.name: gzip_size(script)}
    assert sizes[page] <= MAX_FIRST_VIEW_GZIP_BYTES, sizes
    assert sum(sizes.values()) <= MAX_WITH_FORM_GZIP_BYTES, sizes


def test_the_budget_check_fails_on_a_page_over_budget_and_names_the_file(site, articles, editors, tmp_path):
    # Guards the test above: a budget check that cannot fail proves nothing.
    page = f"{articles[0][2]['url']}index.html"
    heavy = tmp_path / page
    heavy.parent.mkdir(parents=True)
    html = (site / page).read_text(encoding="utf-8")
    noise = " ".join(f"{n * 7919 % 104729:x}" for n in range(6000))  # does not compress away
    heavy.write_text(html.replace("</footer>", f"<p>{noise}</p></footer>"), encoding="utf-8")
    (tmp_path / "theme").symlink_to(site / "theme")
    with pytest.raises(AssertionError, match=page):
        check_budget(tmp_path, page, editors)


def test_the_report_weighs_every_page_as_a_visitor_gets_it(site, articles):
    check_report_weights(site, articles)


def check_report_weights(site, articles):
    # The heavy-page warning counts the site's share at its budget, and what
    # editors wrote, compressed on its own, once: a field the page repeats
    # (a title in eight places) costs a few bytes more each time.
    for _, _, entry in articles:
        page = gzip_size(site / f"{entry['url']}index.html")
        assert page - REPEATS_BYTES <= entry["page_gzip_bytes"] <= page + SITE_SHARE_MAX_GZIP_BYTES, (entry["path"], page)


# --- Fields at their limits ----------------------------------------------------
#
# Two fixture sites alike in all but the length of what editors wrote: in
# one, every field as an ordinary article has it; in the other, every field
# at its contract's limit (contract.FIELDS), and the longest address. In
# both, each article has RELATED_COUNT related articles, a reviewer, a
# picture, neighbours and a text with every component the site styles: the
# fullest page there is. The site's share must be the same in both, and
# within budget.

# Each language's letters: a field's words are drawn from them at random, so
# that no field compresses into another or into the text (a worst case for
# gzip; words repeated from the text would cost almost nothing).
# (Without the soft and hard signs: a tag of them alone would have no address.)
LETTERS = {"uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщюя", "en": "abcdefghijklmnopqrstuvwxyz",
           "ru": "абвгдеёжзийклмнопрстуфхцчшщыэюя"}
TOPIC = {"uk": "Біль у спині", "en": "Back pain", "ru": "Боль в спине"}
PHOTO = "photo.jpg"


def text_of_length(lang, length, seed):
    """Words of the language's letters, exactly `length` characters."""
    chance = random.Random(f"{lang}-{seed}")
    words = []
    while len(" ".join(words)) < length:
        words.append("".join(chance.choice(LETTERS[lang]) for _ in range(chance.randint(2, 9))))
    text = " ".join(words)[:length]
    return text[:-1] + "." if text.endswith(" ") else text


def field_values(lang, index, longest):
    """Every text field of the index-th article: ordinary, or at its limit."""
    def value(key, ordinary):
        limit = contract.FIELDS_BY_KEY[key].max_length
        return text_of_length(lang, limit if longest else ordinary, f"{key}-{index}-{longest}")

    return {
        "Title": value("title", 40),
        "Summary": value("summary", 90),
        "Tags": value("tags", 30).replace(" ", ",").replace(",,", ","),
        "Author": person_slug("author", longest),
        "Reviewer": person_slug("reviewer", longest),
        "Condition": value("condition", 14),
        "Picture_alt": value("picture_alt", 40),
    }


def person_slug(role, longest):
    """The slug of the (fictional) person who writes or reviews the
    articles: the longest address there may be, or an ordinary one."""
    base = f"test-{role}"
    return (base + "-" + "x" * contract.SLUG_MAX_LENGTH)[:contract.SLUG_MAX_LENGTH] if longest else base


def people_files(longest):
    """{path under content/: text}: the author and the reviewer in every
    language, their name and role ordinary or at the contract's limit, and
    the qualifications of a specialist (shown on their own page only)."""
    files = {}
    for role in ("author", "reviewer"):
        for lang in LANGS:
            def value(key, ordinary):
                limit = contract.FIELDS_BY_KEY[key].max_length
                return text_of_length(lang, limit if longest else ordinary, f"{role}-{key}-{longest}")

            files[f"people/{person_slug(role, longest)}/index.{lang}.md"] = (
                f"Title: {value('title', 20)}\nRole: {value('role', 24)}\n"
                f"Qualifications: {value('title', 20)} — {value('role', 24)}, 2015\n"
                f"Sees_patients_at: uzhvii\n\n{MADE_UP[lang]}\n")
    return files


def slug_of(index, longest):
    base = f"article-{index}"
    return (base + "-" + "x" * contract.SLUG_MAX_LENGTH)[:contract.SLUG_MAX_LENGTH] if longest else base


def fullest_text(lang, photo=PHOTO):
    """A text with every component the site styles (so that the page
    carries every stylesheet a text can call for): a photo, sections enough
    for a table of contents, a table, each kind of box, and two sources (one
    cited twice) and a note."""
    words = text_of_length(lang, 120, "text")
    sections = "".join(f"## {words[:20]} {n}\n\n{words}[^{n % 3}]\n\n" for n in range(TOC_MIN_SECTIONS + 1))
    boxes = "".join(f'!!! {kind} "{words[:30]}"\n    {words}\n\n' for kind in ("urgent", "warning", "note"))
    footnotes = "".join(f"[^{n}]: {words[:40].strip()}. {words[50:70].strip()}, 2020. https://example.org/{lang}/{n}\n"
                        for n in (0, 1)) + f"[^2]: {words[:60].strip()}.\n"
    return (f"{words}\n\n![{words[:40]}]({photo})\n\n{sections}| {words[:10]} | {words[10:20]} |\n| --- | --- |\n"
            f"| 1 | 2 |\n\n{boxes}{footnotes}")


def fields_site(tmp_path, longest, photo):
    """Build RELATED_COUNT + 1 articles in one topic, in every language;
    return (the output folder, the content report's data)."""
    files = {f"pages/home/index.{lang}.md": home(lang) for lang in LANGS}
    files.update(people_files(longest))
    for index in range(RELATED_COUNT + 1):
        slug = slug_of(index, longest)
        for lang in LANGS:
            fields = field_values(lang, index, longest)
            fields.update({"Date": f"2026-10-{10 + index}", "Category": TOPIC[lang], "Reviewed": "2026-10-20",
                           "Picture": PHOTO})
            text = "\n".join(f"{key}: {value}" for key, value in fields.items())
            files[f"articles/{slug}/index.{lang}.md"] = f"{text}\n\n{fullest_text(lang)}"
        (tmp_path / "content" / "articles" / slug).mkdir(parents=True)
        (tmp_path / "content" / "articles" / slug / PHOTO).write_bytes(photo)
    report = tmp_path / "report.json"
    output = build_fixture_site(tmp_path, files, CONTENT_REPORT_JSON=str(report), CONTENT_CHECK_DATE="2026-11-01")
    return output, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fields_sites(tmp_path_factory):
    photo = phone_photo(1600, 1200, 85)
    return {longest: fields_site(tmp_path_factory.mktemp("longest" if longest else "ordinary"), longest, photo)
            for longest in (False, True)}


def newest_share(fields_sites, longest, lang):
    """The site's share of the language's newest article page, and the page."""
    output, report = fields_sites[longest]
    _, _, entry = max((row for row in published_articles(report) if row[1] == lang), key=lambda row: row[2]["date"])
    html = (output / f"{entry['url']}index.html").read_text(encoding="utf-8")
    return site_share(html, editors_strings(report)), BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("lang", LANGS)
def test_fields_at_their_limits_do_not_change_the_sites_share(fields_sites, lang):
    ordinary, ordinary_page = newest_share(fields_sites, False, lang)
    longest, longest_page = newest_share(fields_sites, True, lang)
    # The pages are as full as an article page gets: a reviewer, the most
    # related articles (each with its picture), a neighbour, every component
    # a text can have, the fields at their limits (the longest page's title
    # is the contract's longest).
    for page in (ordinary_page, longest_page):
        assert len(page.select(".mc-related .mc-article-list__item--with-picture")) == RELATED_COUNT
        components = ["dl.mc-review", ".mc-pager a", ".mc-toc", ".mc-photo", "table", ".admonition.urgent",
                      ".admonition.warning", ".admonition.note", "sup > a.footnote-ref",
                      "#mc-footnotes-source + span + ol > li + li a.mc-footnotes__back",
                      "#mc-footnotes-note + span + ol > li a.mc-footnotes__back"]
        assert all(page.select_one(component) for component in components)
    assert len(longest_page.h1.get_text()) == contract.FIELDS_BY_KEY["title"].max_length
    assert abs(longest - ordinary) <= SHARE_BLIND_TO_FIELDS_BYTES, (ordinary, longest)
    assert longest <= MAX_FIRST_VIEW_GZIP_BYTES, longest


def test_the_report_weighs_the_fullest_pages_as_a_visitor_gets_them(fields_sites):
    for output, report in fields_sites.values():
        check_report_weights(output, published_articles(report))


def test_the_share_counts_a_field_the_measure_does_not_know(fields_sites):
    # Guards the test above: an editor's string the measure missed would be
    # counted, and at its limit it moves the share by more than the margin.
    output, report = fields_sites[True]
    _, _, entry = max(published_articles(report), key=lambda row: row[2]["date"])
    html = (output / f"{entry['url']}index.html").read_text(encoding="utf-8")
    texts, slugs = editors_strings(report)
    missing_title = ([text for text in texts if text != entry["title"]], slugs)
    assert site_share(html, missing_title) - site_share(html, (texts, slugs)) > SHARE_BLIND_TO_FIELDS_BYTES


# --- A heavy page: a warning in the report, never a failure -------------------


def long_article(words):
    return ("Title: Довга стаття\nDate: 2026-10-10\nCategory: Біль у спині\n"
            "Summary: Стаття, довша за будь-яку звичайну.\n\n"
            + "\n\n".join(f"## Розділ {n}\n\n" + " ".join(f"слово{n}x{k}" for k in range(200))
                          for n in range(words // 200)) + "\n")


def test_a_long_article_is_a_heavy_page_warning_in_invoke_report_and_passes_the_budget(tmp_path):
    project = copy_project(tmp_path)
    folder = project / "content" / "articles" / "dovha-stattia"
    folder.mkdir()
    (folder / "index.uk.md").write_text(long_article(12000), encoding="utf-8")
    result = run_invoke(project, "report")
    assert result.returncode == 0, result.stdout + result.stderr  # a warning, not a failure
    lines = [line for line in result.stdout.splitlines() if "[heavy-page]" in line]
    data = json.loads(run_invoke(project, "report", "--json").stdout)
    rows = {row["slug"]: row for row in data["articles"]}
    heavy = rows["dovha-stattia"]["languages"]["uk"]
    assert heavy["page_gzip_bytes"] > HEAVY_PAGE_GZIP_BYTES
    warned = [w for w in heavy["warnings"] if w["kind"] == "heavy-page"]
    # One warning, that names the ceiling, printed as the report says it (in the editor's language).
    assert len(warned) == 1 and warned[0]["parameters"]["limit"] == str(HEAVY_PAGE_GZIP_BYTES // 1024)
    assert len(lines) == 1 and warned[0]["message"] in lines[0], result.stdout
    # Ordinary articles are not warned about.
    others = [entry for slug, row in rows.items() if slug != "dovha-stattia"
              for entry in row["languages"].values() if entry]
    assert others and not any(w["kind"] == "heavy-page" for entry in others for w in entry["warnings"])
    # Built, the heavy page is over the ceiling, and within the site's budget.
    output = tmp_path / "output"
    built = subprocess.run([sys.executable, "-m", "pelican", "content", "--settings", "pelicanconf.py", "--output",
                            str(output), "--fatal", "warnings"], cwd=project, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert gzip_size(output / "dovha-stattia" / "index.html") > HEAVY_PAGE_GZIP_BYTES
    check_budget(output, "dovha-stattia/index.html", editors_strings(data))


@pytest.mark.parametrize("lang", LANGS)
def test_article_page_loads_in_one_request_and_its_form_in_one_more_all_from_the_site(page, site_url, sample_pages, lang):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the form is further down
    page.goto(f"{site_url}/{lang_prefix(lang)}{sample_pages[lang]['article']}", wait_until="networkidle")
    # The article's own photos are the editors' (their budget: test_photos.py).
    fetched = [url for url in requests if not url.startswith("data:") and f"/{PHOTO_FOLDER}" not in url]
    # A short article shows its form in the first screen: its script comes at once.
    form_in_view = page.evaluate("document.querySelector('form[data-script]').getBoundingClientRect().top < innerHeight")
    assert len(fetched) == MAX_FIRST_VIEW_REQUESTS + form_in_view, fetched
    # The stylesheet really loaded and applied (a budget met by a broken page is no budget).
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert font_size == "18px"
    page.locator("form[data-script]").scroll_into_view_if_needed()
    page.locator("form[novalidate]").wait_for()  # its script came, and took the form
    fetched = [url for url in requests if not url.startswith("data:") and f"/{PHOTO_FOLDER}" not in url]
    assert len(fetched) == MAX_FIRST_VIEW_REQUESTS + 1, fetched
    site_host = urlsplit(site_url).netloc
    assert all(urlsplit(url).netloc == site_host for url in fetched), fetched
