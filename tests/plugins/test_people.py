"""People as content (content/people/<slug>/): profiles in every language,
articles naming people by slug, "Our specialists", Person/ProfilePage
JSON-LD, the content report; and each bad value at its line."""

import json

import pytest
from fixture_site import (
    ROOT,
    TEST_PEOPLE,
    article,
    build_fixture_site,
    copy_project,
    home,
    people_files,
    person,
    run_invoke,
    soup,
)
from pelican.settings import read_settings
from test_content_checks import assert_built, assert_errors, assert_stopped, build

from clinic import content_report, contract
from clinic.addresses import person_url, specialists_url

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
LANGS = list(SETTINGS["LANGUAGES"])
HOMES = {f"pages/home/index.{lang}.md": home(lang) for lang in LANGS}


def named_article(lang, slug="neck", author="test-author", reviewer="test-reviewer", reviewed="2026-06-01"):
    fields = ""
    if author:
        fields += f"Author: {author}\n"
    if reviewer:
        fields += f"Reviewer: {reviewer}\nReviewed: {reviewed}\n"
    return article(lang, slug, f"Article {slug} {lang}", "Topic").replace("Summary:", f"{fields}Summary:")


def site_files():
    files = {**HOMES, **people_files()}
    files.update({f"articles/neck/index.{lang}.md": named_article(lang) for lang in LANGS})
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("people")
    report = root / "report.json"
    output = build_fixture_site(root, site_files(), CONTENT_REPORT_JSON=str(report))
    return output, json.loads(report.read_text(encoding="utf-8"))


def page_at(output, url):
    return soup(output / url / "index.html")


def json_ld(page):
    return json.loads(page.find("script", type="application/ld+json").string)["@graph"]


def absolute(url):
    return f"{SETTINGS['ABSOLUTE_SITEURL']}/{url}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", sorted(TEST_PEOPLE))
def test_a_profile_in_each_language_names_its_translations(built, slug, lang):
    output, _ = built
    page = page_at(output, person_url(slug, lang, SETTINGS))
    assert page.html["lang"] == lang
    name, role = TEST_PEOPLE[slug][lang]
    assert page.h1.get_text(strip=True) == name
    assert page.select_one(".mc-person__role").get_text(strip=True) == role
    hreflang = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert {lang: hreflang[lang] for lang in LANGS} == {other: "/" + person_url(slug, other, SETTINGS)
                                                        for other in LANGS}
    switcher = {link["hreflang"]: link["href"] for link in page.select("a.mc-lang__link")}
    assert switcher == {other: "/" + person_url(slug, other, SETTINGS) for other in LANGS if other != lang}


@pytest.mark.parametrize("lang", LANGS)
def test_a_profile_shows_qualifications_places_and_the_articles_in_its_language(built, lang):
    output, _ = built
    page = page_at(output, person_url("test-reviewer", lang, SETTINGS))
    qualifications = [item.get_text(strip=True) for item in page.select(".mc-person__qualifications li")]
    assert qualifications == ["Тестовий диплом — Вигаданий коледж, 2015", "Test certificate — Made-up Association, 2020"]
    location = next(place for place in SETTINGS["LOCATIONS"] if place["id"] == "uzhvii")
    places = page.find(id="locations-title").find_parent("section")
    assert [title.get_text(strip=True) for title in places.select(".mc-location__title")] == [location["street"][lang]]
    reviewed = page.find(id="reviewed-title").find_parent("section")
    assert [link["href"] for link in reviewed.select(".mc-article-list__title a")] == [
        "/" + ("" if lang == SETTINGS["DEFAULT_LANG"] else f"{lang}/") + "neck/"]
    assert page.find(id="written-title") is None  # test-reviewer wrote nothing
    author = page_at(output, person_url("test-author", lang, SETTINGS))
    assert author.find(id="written-title") is not None and author.find(id="reviewed-title") is None


@pytest.mark.parametrize("lang", LANGS)
def test_the_article_links_its_author_and_reviewer_with_the_role(built, lang):
    output, _ = built
    url = ("" if lang == SETTINGS["DEFAULT_LANG"] else f"{lang}/") + "neck/"
    review = page_at(output, url).select_one("dl.mc-review")
    links = {link.get_text(strip=True): link["href"] for link in review.select("a")}
    assert links == {TEST_PEOPLE[slug][lang][0]: "/" + person_url(slug, lang, SETTINGS)
                     for slug in ("test-author", "test-reviewer")}
    assert TEST_PEOPLE["test-reviewer"][lang][1] in review.get_text()


def test_json_ld_names_people_by_their_profiles(built):
    output, _ = built
    graph = json_ld(page_at(output, "en/neck/"))
    medical = next(node for node in graph if node.get("@type") == "MedicalWebPage")
    for key, slug in (("author", "test-author"), ("reviewedBy", "test-reviewer")):
        node = medical[key]
        profile = absolute(person_url(slug, "en", SETTINGS))
        assert node["@type"] == "Person"
        assert node["@id"] == profile + "#person"
        assert node["url"] == profile
        assert (node["name"], node["jobTitle"]) == TEST_PEOPLE[slug]["en"]
        assert node["worksFor"] == {"@id": absolute("#organization")}
        assert "hasCredential" not in node  # on the profile, joined by the @id
        full = next(n for n in json_ld(page_at(output, person_url(slug, "en", SETTINGS)))
                    if n.get("@type") == "ProfilePage")["mainEntity"]
        assert {name: value for name, value in full.items() if name != "hasCredential"} == node
        assert [(credential["@type"], credential["credentialCategory"], credential["recognizedBy"],
                 credential["dateCreated"]) for credential in full["hasCredential"]] == [
            ("EducationalOccupationalCredential", "Тестовий диплом", {"@type": "Organization", "name": "Вигаданий коледж"},
             "2015"),
            ("EducationalOccupationalCredential", "Test certificate",
             {"@type": "Organization", "name": "Made-up Association"}, "2020"),
        ]
    profile_graph = json_ld(page_at(output, person_url("test-reviewer", "en", SETTINGS)))
    profile = next(node for node in profile_graph if node.get("@type") == "ProfilePage")
    assert profile["mainEntity"]["@id"] == medical["reviewedBy"]["@id"]
    assert profile["url"] == absolute(person_url("test-reviewer", "en", SETTINGS))


@pytest.mark.parametrize("lang", LANGS)
def test_the_specialists_page_lists_people_who_see_patients_and_is_linked(built, lang):
    output, _ = built
    page = page_at(output, specialists_url(lang, SETTINGS))
    names = [link.get_text(strip=True) for link in page.select(".mc-people__name a")]
    assert sorted(names) == sorted(TEST_PEOPLE[slug][lang][0] for slug in TEST_PEOPLE)
    hreflang = {link["hreflang"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert set(LANGS) <= hreflang
    home_page = soup(output / ("" if lang == SETTINGS["DEFAULT_LANG"] else lang) / "index.html")
    assert "/" + specialists_url(lang, SETTINGS) in [link["href"] for link in home_page.select(".mc-nav__list a")]
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{absolute(specialists_url(lang, SETTINGS))}</loc>" in sitemap
    assert f"<loc>{absolute(person_url('test-reviewer', lang, SETTINGS))}</loc>" in sitemap


def test_the_content_report_lists_each_persons_articles(built):
    _, report = built
    rows = {row["slug"]: row for row in report["people"]}
    assert set(rows) == set(TEST_PEOPLE)
    assert [(a["slug"], a["lang"]) for a in rows["test-reviewer"]["reviewed"]] == [("neck", lang) for lang in LANGS]
    assert rows["test-reviewer"]["written"] == [] and rows["test-reviewer"]["overdue"] == []
    assert [(a["slug"], a["lang"]) for a in rows["test-author"]["written"]] == [("neck", lang) for lang in LANGS]
    assert rows["test-reviewer"]["languages"]["en"]["role"] == TEST_PEOPLE["test-reviewer"]["en"][1]
    # invoke report prints them (in the editor's language, the slugs and names as written).
    text = content_report.as_text(report)
    block = text[text.index("test-reviewer ("):].split("\n\n")[0]
    assert ", ".join(TEST_PEOPLE["test-reviewer"]["uk"]) in block
    assert block.splitlines()[1].endswith(": neck (uk), neck (en), neck (ru)")


def test_an_overdue_review_is_listed_under_its_reviewer(tmp_path):
    report = tmp_path / "report.json"
    files = {**HOMES, **people_files(("uk",)), "articles/neck/index.uk.md": named_article("uk", reviewed="2024-01-01")}
    built = build(tmp_path, files, CONTENT_REPORT_JSON=str(report))
    assert_built(built)
    rows = {row["slug"]: row for row in json.loads(report.read_text(encoding="utf-8"))["people"]}
    assert [a["slug"] for a in rows["test-reviewer"]["overdue"]] == ["neck"]


def test_no_specialists_page_or_link_when_no_one_sees_patients(tmp_path):
    files = {**HOMES, **people_files(sees_patients_at="")}
    output = build_fixture_site(tmp_path, files)
    for lang in LANGS:
        assert not (output / specialists_url(lang, SETTINGS)).exists()
        assert (output / person_url("test-reviewer", lang, SETTINGS) / "index.html").exists()
        home_page = soup(output / ("" if lang == SETTINGS["DEFAULT_LANG"] else lang) / "index.html")
        assert not [link for link in home_page.select(".mc-nav__list a") if "specialists" in link["href"]]
    assert "specialists" not in (output / "sitemap.xml").read_text(encoding="utf-8")


# --- Bad input, each at its line ------------------------------------------------------------


def test_an_unknown_person_is_named_at_its_line_with_the_people_there_are(tmp_path):
    files = {**HOMES, **people_files(("uk",)),
             "articles/neck/index.uk.md": named_article("uk", author="test-autor", reviewer="nobody-here")}
    built = build(tmp_path, files)
    assert_stopped(built)
    assert_errors(built, [
        ("articles/neck/index.uk.md", 6, "Author is “test-autor”, but there is no content/people/test-autor/. Write the "
                                   "name of a person's folder: test-author, test-reviewer. Did you mean test-author?"),
        ("articles/neck/index.uk.md", 7, "Reviewer is “nobody-here”, but there is no content/people/nobody-here/."),
    ], "articles/neck/index.uk.md")


def test_a_name_where_a_slug_belongs_is_refused_at_its_line(tmp_path):
    files = {**HOMES, **people_files(("uk",)),
             "articles/neck/index.uk.md": named_article("uk", reviewer="Лікар Невролог")}
    built = build(tmp_path, files)
    assert_stopped(built)
    assert_errors(built, [("articles/neck/index.uk.md", 7, "Reviewer is “Лікар Невролог”: write the name of the person's "
                                                     "folder under content/people/")], "articles/neck/index.uk.md")


@pytest.mark.parametrize("field, expected", [
    ("Qualifications: Диплом без року", "qualification 1 (“Диплом без року”) is not written “what — awarded by whom, "
                                        "year”"),
    ("Qualifications: Диплом — Коледж, 2015; Сертифікат — Асоціація, 1850",
     "qualification 2 (“Сертифікат — Асоціація, 1850”) has the year 1850"),
    ("Sees_patients_at: uzhvi", "Sees_patients_at: “uzhvi” is not one of the clinic's locations. Use the ids of the "
                                "locations in content/clinic.yaml: uzhvii, holosiivskyi. Did you mean uzhvii?"),
    ("Photo: portrait.jpg", "Photo needs a description"),
    ("Photo_alt: A smiling person", "Photo_alt describes the Photo, but there is none"),
])
def test_a_persons_bad_field_is_named_at_its_line(tmp_path, field, expected):
    text = f"Title: Тестова Особа\nRole: тестова роль\n{field}\n\nA made-up person.\n"
    built = build(tmp_path, {**HOMES, "people/test-person/index.uk.md": text})
    assert_stopped(built)
    assert_errors(built, [("people/test-person/index.uk.md", 3, expected)], "people/test-person/index.uk.md")


def test_a_person_may_not_share_a_pages_name(tmp_path):
    built = build(tmp_path, {**HOMES, "pages/team/index.uk.md": "Title: Команда\n\nТекст.\n",
                             "people/team/index.uk.md": person("uk")})
    assert_stopped(built)
    # (Pelican names the two files of one slug too; this says what to do.)
    assert "content/people/team/index.uk.md:1: the folder's name “team” is also a page's (content/pages/team/)" in [
        line.split(": a person")[0] for line in built.errors_of("people/team/index.uk.md")]


def test_a_person_needs_a_role(tmp_path):
    built = build(tmp_path, {**HOMES, "people/test-person/index.uk.md": "Title: Тестова Особа\n\nA made-up person.\n"})
    assert_stopped(built)
    assert_errors(built, [("people/test-person/index.uk.md", 1, "Role is missing.")], "people/test-person/index.uk.md")


def test_a_person_without_places_or_qualifications_builds(tmp_path):
    built = build(tmp_path, {**HOMES, "people/test-person/index.uk.md": "Title: Тестова Особа\nRole: роль\n\nA person.\n"})
    assert_built(built)
    assert (built.output / "people/test-person/index.html").exists()
    assert not (built.output / "specialists").exists()


# --- invoke new --person ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def new_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("new-person"))


def test_invoke_new_person_writes_a_draft_with_every_field_to_write_marked_todo(new_project):
    made = run_invoke(new_project, "new", "--person", "Тестова Особа", "--lang", "uk")
    assert made.returncode == 0, made.stderr
    text = (new_project / "content/people/testova-osoba/index.uk.md").read_text(encoding="utf-8")
    written = dict(line.split(": ", 1) for line in text.split("\n\n")[0].splitlines())
    assert written["Title"] == "Тестова Особа" and written["Status"] == "draft"
    for spec in contract.fields_for(contract.PERSON):
        if spec.draft is not None and spec.key not in ("title", "status"):
            assert written[spec.name].startswith(contract.UNFINISHED), spec.name
    # A translation starts from the original's fields that are the same in every language.
    (new_project / "content/people/testova-osoba/index.uk.md").write_text(
        person("uk", "test-reviewer") + "\n", encoding="utf-8")
    made = run_invoke(new_project, "new", "--person", "Test Person", "--lang", "en", "--translation-of",
                      "testova-osoba")
    assert made.returncode == 0, made.stderr
    translation = (new_project / "content/people/testova-osoba/index.en.md").read_text(encoding="utf-8")
    assert "Sees_patients_at: uzhvii" in translation and "Translated_from: " in translation
    # Published with a TODO left: refused at its line.
    (new_project / "content/people/testova-osoba/index.en.md").write_text(
        translation.replace("Status: draft\n", ""), encoding="utf-8")
    checked = run_invoke(new_project, "check")
    assert checked.returncode == 1
    assert "content/people/testova-osoba/index.en.md:2:" in checked.stderr  # Role: TODO


def test_invoke_new_wants_a_title_or_a_person_not_both(new_project):
    made = run_invoke(new_project, "new", "--title", "Шия", "--person", "Тестова Особа")
    assert made.returncode == 1 and "Traceback" not in made.stderr
    assert "--person" in made.stderr
