"""The health-article page: review, disclaimer, reading time (each plural
form), contents, admonitions, breadcrumbs (on a phone, too), related and
previous/next, drafts."""


import pytest
from conftest import serving
from fixture_site import ROOT, build_fixture_site, home, soup
from pelican.settings import read_settings

from clinic import contract
from clinic.article_extras import READING_WORDS_PER_MINUTE

SECTIONS = "\n\n".join(f"## Section {n}\n\n" + "word " * 100 for n in range(1, 5))


def article(lang, slug, title, category, date, extra="", body="Short text."):
    return (
        f"Title: {title}\nDate: {date}\nLang: {lang}\nSlug: {slug}\nCategory: {category}\n"
        f"Summary: About {slug}.\n{extra}\n{body}\n"
    )


REVIEWED = "Author: Clinic team\nTags: back, massage\nReviewer: Dr Test, neurologist\nReviewed: 2026-03-15\n"
ADMONITION = '!!! warning "When to see a doctor"\n    Numbness in the legs.\n'
FILES = {
    "articles/a/index.uk.md": article("uk", "a", "Стаття А", "Спина", "2026-01-10", REVIEWED, SECTIONS + "\n\n" + ADMONITION),
    "articles/a/index.en.md": article("en", "a", "Article A", "Back", "2026-01-10", REVIEWED, SECTIONS),
    "articles/a/index.ru.md": article("ru", "a", "Статья А", "Спина", "2026-01-10", REVIEWED),
    "articles/b/index.uk.md": article("uk", "b", "Стаття Б", "Спина", "2026-02-10"),
    "articles/c/index.uk.md": article("uk", "c", "Стаття В", "Шия", "2026-03-10"),
    "articles/d/index.uk.md": article("uk", "d", "Чернетка", "Спина", "2026-04-10", "Status: draft\n"),
    "pages/home/index.uk.md": home("uk"),
    "pages/home/index.en.md": home("en"),
    "pages/home/index.ru.md": home("ru"),
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


@pytest.mark.parametrize("prefix, expected", [("", "3 хвилини читання"), ("en/", "3-minute read"), ("ru/", "1 минута чтения")])
def test_reading_time_in_each_language(output, prefix, expected):
    # 400+ words at 180 a minute: 3 minutes; a short text: 1 minute.
    assert expected in soup(output / f"{prefix}a/index.html").select_one(".mc-article__meta").get_text()


# Each language's plural forms: Ukrainian and Russian have three (1, 2–4,
# 5–20, then again by the last digit: 21, 22, 25; 11–14 take the third);
# English says "N-minute read" for any N.
READING_TIMES = {
    "uk": {1: "1 хвилина читання", 2: "2 хвилини читання", 4: "4 хвилини читання", 5: "5 хвилин читання",
           11: "11 хвилин читання", 12: "12 хвилин читання", 21: "21 хвилина читання", 22: "22 хвилини читання",
           25: "25 хвилин читання"},
    "ru": {1: "1 минута чтения", 2: "2 минуты чтения", 4: "4 минуты чтения", 5: "5 минут чтения",
           11: "11 минут чтения", 12: "12 минут чтения", 21: "21 минута чтения", 22: "22 минуты чтения",
           25: "25 минут чтения"},
    "en": {minutes: f"{minutes}-minute read" for minutes in (1, 2, 4, 5, 11, 12, 21, 22, 25)},
}
# The title at the contract's limit: a breadcrumb that must wrap on a phone.
LONG_TITLE = contract.FIELDS_BY_KEY["title"].max_length


def long_title(lang):
    words = {"uk": "Біль у попереку після довгої роботи", "en": "Lower back pain after a long day at work",
             "ru": "Боль в пояснице после долгой работы"}[lang]
    return (" ".join([words] * LONG_TITLE))[:LONG_TITLE].strip()


@pytest.fixture(scope="module")
def reading_output(tmp_path_factory):
    """Articles exactly N minutes long (at READING_WORDS_PER_MINUTE), and one
    with the longest title, unreviewed, in every language."""
    files = {f"pages/home/index.{lang}.md": home(lang) for lang in READING_TIMES}
    for lang, forms in READING_TIMES.items():
        for minutes in forms:
            body = "word " * (minutes * READING_WORDS_PER_MINUTE)
            files[f"articles/read-{minutes}/index.{lang}.md"] = article(lang, f"read-{minutes}", f"Read {minutes}", "Back",
                                                                  "2026-01-10", body=body)
        files[f"articles/long/index.{lang}.md"] = article(lang, "long", long_title(lang), "Back", "2026-01-11",
                                                    body="First paragraph of the text.\n\nSecond paragraph.")
    return build_fixture_site(tmp_path_factory.mktemp("reading"), files)


@pytest.mark.parametrize("lang", READING_TIMES)
def test_reading_time_has_each_plural_form_of_the_language(reading_output, lang):
    prefix = "" if lang == "uk" else f"{lang}/"
    for minutes, expected in READING_TIMES[lang].items():
        meta = soup(reading_output / f"{prefix}read-{minutes}/index.html").select_one(".mc-article__meta")
        assert expected in " ".join(meta.get_text().split()), (lang, minutes)


@pytest.fixture
def served(reading_output):
    with serving(reading_output) as url:
        yield url


# Where each breadcrumb item and its separator are drawn: no item begins
# with a separator, each separator follows its item's text inside the item
# (an item is one flex row, which does not break), and the last item, on
# a line of its own when it is long, carries none.
BREADCRUMB_LAYOUT = """() => [...document.querySelectorAll('.mc-breadcrumbs li')].map(li => {
  const text = li.firstElementChild.getBoundingClientRect(), box = li.getBoundingClientRect();
  const style = getComputedStyle(li);
  return {before: getComputedStyle(li, '::before').content, after: getComputedStyle(li, '::after').content,
          display: style.display, wrap: style.flexWrap, top: Math.round(box.top), left: Math.round(box.left),
          textLeft: Math.round(text.left), room: Math.round(box.right - text.right)};
})"""


@pytest.mark.parametrize("lang", READING_TIMES)
def test_on_a_phone_no_breadcrumb_line_starts_with_a_separator(page, served, lang):
    prefix = "" if lang == "uk" else f"{lang}/"
    page.goto(f"{served}/{prefix}long/")  # `page` is a 390 px phone
    items = page.evaluate(BREADCRUMB_LAYOUT)
    assert len(items) == 3
    *inner, last = items
    assert all(item["before"] in ("none", "normal") and item["textLeft"] == item["left"] for item in items), items
    assert all(item["after"] == '"›"' and item["room"] > 0 and (item["display"], item["wrap"]) == ("flex", "nowrap")
               for item in inner), items
    assert last["after"] in ("none", "normal"), last
    # The long title wrapped: its item starts a line of its own, at the list's left.
    assert last["top"] > inner[-1]["top"] and last["left"] == items[0]["left"], items


@pytest.mark.parametrize("lang", READING_TIMES)
def test_the_not_reviewed_line_is_set_apart_from_the_text(page, served, lang):
    prefix = "" if lang == "uk" else f"{lang}/"
    page.goto(f"{served}/{prefix}long/")
    layout = page.evaluate("""() => {
      const notice = document.querySelector('.mc-review--none'), first = document.querySelector('.mc-article__body p');
      const header = getComputedStyle(document.querySelector('.mc-article__header'));
      return {gap: first.getBoundingClientRect().top - notice.getBoundingClientRect().bottom,
              rule: parseFloat(header.borderBottomWidth), ruleStyle: header.borderBottomStyle,
              noticeLook: [getComputedStyle(notice).color, getComputedStyle(notice).fontStyle],
              textLook: [getComputedStyle(first).color, getComputedStyle(first).fontStyle]};
    }""")
    # A line between them and at least 1.5 rem (27 px at 18 px) of space: not the text's first line.
    assert layout["rule"] >= 1 and layout["ruleStyle"] == "solid", layout
    assert layout["gap"] >= 27, layout
    assert layout["noticeLook"] != layout["textLook"], layout


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
