"""The health-article page: review, disclaimer, reading time, contents,
admonitions, breadcrumbs, related and previous/next, drafts."""

import pytest
from fixture_site import ROOT, build_fixture_site, home, soup
from pelican.settings import read_settings

SECTIONS = "\n\n".join(f"## Section {n}\n\n" + "word " * 100 for n in range(1, 5))


def article(lang, slug, title, category, date, extra="", body="Short text."):
    return (
        f"Title: {title}\nDate: {date}\nLang: {lang}\nSlug: {slug}\nCategory: {category}\n"
        f"Summary: About {slug}.\n{extra}\n{body}\n"
    )


REVIEWED = "Author: Clinic team\nTags: back, massage\nReviewer: Dr Test, neurologist\nReviewed: 2026-03-15\n"
ADMONITION = '!!! warning "When to see a doctor"\n    Numbness in the legs.\n'
FILES = {
    "articles/a/uk.md": article("uk", "a", "Стаття А", "Спина", "2026-01-10", REVIEWED, SECTIONS + "\n\n" + ADMONITION),
    "articles/a/en.md": article("en", "a", "Article A", "Back", "2026-01-10", REVIEWED, SECTIONS),
    "articles/a/ru.md": article("ru", "a", "Статья А", "Спина", "2026-01-10", REVIEWED),
    "articles/b/uk.md": article("uk", "b", "Стаття Б", "Спина", "2026-02-10"),
    "articles/c/uk.md": article("uk", "c", "Стаття В", "Шия", "2026-03-10"),
    "articles/d/uk.md": article("uk", "d", "Чернетка", "Спина", "2026-04-10", "Status: draft\n"),
    "pages/home/uk.md": home("uk"),
    "pages/home/en.md": home("en"),
    "pages/home/ru.md": home("ru"),
}


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    return build_fixture_site(tmp_path_factory.mktemp("health"), FILES)


REVIEW_LABELS = {
    "": ("Автор:", "Рецензент:", "Остання перевірка:", "15 березня 2026 р.", "Наступна перевірка:", "15 березня 2027 р."),
    "en/": ("Author:", "Reviewed by:", "Last reviewed:", "15 March 2026", "Next review due:", "15 March 2027"),
    "ru/": ("Автор:", "Рецензент:", "Последняя проверка:", "15 марта 2026 г.", "Следующая проверка:", "15 марта 2027 г."),
}


@pytest.mark.parametrize("prefix", ["", "en/", "ru/"])
def test_review_information_in_each_language(output, prefix):
    page = soup(output / f"{prefix}a/index.html")
    review = " ".join(page.select_one(".mc-review").get_text(" ").split())
    for label in REVIEW_LABELS[prefix]:
        assert label in review
    assert "Dr Test, neurologist" in review and "Clinic team" in review
    times = [time["datetime"] for time in page.select(".mc-review time")]
    assert times == ["2026-03-15", "2027-03-15"]


def test_review_lines_are_hidden_when_unknown_and_the_page_says_it_is_unreviewed(output):
    page = soup(output / "b/index.html")
    assert page.select_one("dl.mc-review") is None  # no empty author or review lines
    notice = page.select_one(".mc-review--none")
    assert notice.get_text(strip=True) == "Фахівець ще не перевірив цю статтю."
    reviewed = soup(output / "a/index.html")  # article a has a reviewer
    assert reviewed.select_one("dl.mc-review") and reviewed.select_one(".mc-review--none") is None


@pytest.mark.parametrize(
    "prefix, disclaimer",
    [("", "не замінює консультації лікаря"), ("en/", "does not replace a consultation"), ("ru/", "не заменяет консультацию врача")],
)
def test_disclaimer_in_each_language(output, prefix, disclaimer):
    assert disclaimer in soup(output / f"{prefix}a/index.html").select_one(".mc-disclaimer").get_text()


@pytest.mark.parametrize("prefix, expected", [("", "3 хвилини читання"), ("en/", "3 minutes read"), ("ru/", "1 минута чтения")])
def test_reading_time_in_each_language(output, prefix, expected):
    # 400+ words at 180 a minute: 3 minutes; a short text: 1 minute.
    assert expected in soup(output / f"{prefix}a/index.html").select_one(".mc-article__meta").get_text()


def test_contents_only_for_more_than_three_sections(output):
    toc = soup(output / "a/index.html").select_one(".mc-toc")
    links = [a["href"] for a in toc.select("a")]
    assert len(links) == 4
    page = soup(output / "a/index.html")
    for link in links:
        assert page.find(id=link[1:]).name == "h2"
    assert soup(output / "b/index.html").select_one(".mc-toc") is None


def test_admonition_is_rendered_with_its_title(output):
    box = soup(output / "a/index.html").select_one(".admonition.warning")
    assert box.select_one(".admonition-title").get_text() == "When to see a doctor"
    assert "Numbness in the legs." in box.get_text()


def test_tags_shown_as_written(output):
    assert soup(output / "a/index.html").select_one(".mc-article__tags").get_text(" ", strip=True) == "Теми: back, massage"


def test_breadcrumbs_lead_home_and_to_the_category(output):
    crumbs = soup(output / "en/a/index.html").select(".mc-breadcrumbs li")
    assert [li.a["href"] if li.a else None for li in crumbs] == ["/en/", "/en/category/back/", None]
    assert crumbs[-1].select_one("[aria-current=page]").get_text() == "Article A"


def test_previous_next_and_related_stay_in_the_language(output):
    page = soup(output / "b/index.html")
    assert page.select_one("a[rel=prev]")["href"] == "/a/"
    assert page.select_one("a[rel=next]")["href"] == "/c/"
    assert [a["href"] for a in page.select(".mc-related .mc-article-list a")] == ["/a/"]
    english = soup(output / "en/a/index.html")
    assert english.select_one(".mc-pager") is None and english.select_one(".mc-related") is None


def test_drafts_are_previewed_marked_and_listed(output):
    draft = soup(output / "drafts/d/index.html")
    assert draft.select_one(".mc-draft")
    home_page = soup(output / "index.html")
    assert [a["href"] for a in home_page.select(".mc-home__drafts a")] == ["/drafts/d/"]
    assert "/drafts/d/" not in [a["href"] for a in home_page.select(".mc-home__articles a")]
    # A draft is no neighbour and no relation of a published article.
    assert "/drafts/d/" not in [a["href"] for a in soup(output / "c/index.html").select("a")]


def test_the_published_build_has_no_drafts(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://clinic.example")
    monkeypatch.setenv("CALLBACK_ENDPOINT", "https://forms.example/f/test")
    production = read_settings(str(ROOT / "publishconf.py"))
    draft_settings = {key: production[key] for key in ("LIST_DRAFTS", "DRAFT_SAVE_AS", "DRAFT_LANG_SAVE_AS")}
    published = build_fixture_site(tmp_path, FILES, **draft_settings)
    assert not (published / "drafts").exists()
    assert "/drafts/" not in (published / "index.html").read_text(encoding="utf-8")
