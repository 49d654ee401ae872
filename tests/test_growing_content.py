"""Adding an article, people and a reviewer must not break a test.

The site-wide tests take what they expect from the content and the
settings. This proves it: it grows a copy of the content — a second article
in three languages, with an author, a reviewer (people of their own, in
content/people/, who see patients) and a review date, a photo in
its text and as its Picture, and two sources; RELATED_COUNT + 1 articles in one topic with
every field at its contract's limit (the longest title, summary, tags,
names, picture description and address), each citing two sources as
footnotes (and a note), so that each lists the most
related articles there are, all of them at the limits too; and a reviewer
added to every existing article that has none — and runs the same
site-wide tests on it (SITE_CONTENT), in a pytest of their own. Among them
the byte budget: what editors write, however long, cannot break it.
"""

import datetime
import os
import re
import shutil
import subprocess
import sys

from conftest import CONTENT_PATH, ROOT
from make_photo import phone_photo
from test_budget import field_values, fullest_text, people_files, person_slug, slug_of

from clinic.article_extras import RELATED_COUNT

# The site-wide tests that read the whole built site (the browser tests
# follow the same rules through conftest.sample_pages).
SITE_WIDE_TESTS = [
    "tests/test_site_structure.py",
    "tests/test_search_and_previews.py",
    "tests/test_html_checker.py",
    "tests/test_budget.py::test_every_article_page_fits_its_byte_budget",
    "tests/test_budget.py::test_the_report_weighs_every_page_as_a_visitor_gets_it",
]

REVIEWED = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
NECK_PAIN = {
    "uk": (
        "Біль у шиї після роботи за комп’ютером",
        "Біль у шиї",
        "Чому після роботи за комп’ютером болить шия і як масаж шийно-комірцевої зони допомагає розслабити м’язи.",
        "Після довгого дня за комп’ютером шия часто болить і тягне.",
        "Причини",
        ["тривала робота в одній позі;", "незручна висота монітора."],
        "Коли звернутися до лікаря",
        "Якщо біль віддає в руку або німіють пальці, спершу зверніться до лікаря.",
    ),
    "en": (
        "Neck pain after computer work",
        "Neck pain",
        "Why the neck hurts after a day at the computer, and how a neck and shoulder massage helps the muscles relax.",
        "After a long day at the computer, the neck often aches and feels tight.",
        "Causes",
        ["long hours in one position;", "a monitor set at the wrong height."],
        "When to see a doctor",
        "If the pain spreads to the arm or your fingers go numb, see a doctor first.",
    ),
    "ru": (
        "Боль в шее после работы за компьютером",
        "Боль в шее",
        "Почему после работы за компьютером болит шея и как массаж шейно-воротниковой зоны помогает расслабить мышцы.",
        "После долгого дня за компьютером шея часто болит и тянет.",
        "Причины",
        ["долгая работа в одной позе;", "неудобная высота монитора."],
        "Когда обратиться к врачу",
        "Если боль отдаёт в руку или немеют пальцы, сначала обратитесь к врачу.",
    ),
}
CATEGORY = {"uk": "Біль у спині", "en": "Back pain", "ru": "Боль в спине"}
# The (fictional) people who write and review the grown articles, their
# names and roles at the contract's limits (test_budget.people_files).
REVIEWER = person_slug("reviewer", longest=True)
AUTHOR = person_slug("author", longest=True)
PHOTO = "neck.jpg"
# Two sources, as footnotes (test fixtures: no real publication is cited).
SOURCES = "".join(f"[^{n}]: Test source {n} (a test fixture). Test Publisher, 2024. https://example.org/sources/{n}\n"
                  for n in (1, 2))


def review_fields():
    return f"Reviewer: {REVIEWER}\nReviewed: {REVIEWED}\n"


def neck_pain_article(lang):
    title, condition, summary, intro, heading, items, warning, advice = NECK_PAIN[lang]
    fields = (
        f"Title: {title}\nDate: {REVIEWED}\nCategory: {CATEGORY[lang]}\nSummary: {summary}\n"
        f"Author: {AUTHOR}\n{review_fields()}Condition: {condition}\n"
        f"Picture: {PHOTO}\nPicture_alt: {title}\n"
    )
    body = f"{intro}[^1]\n\n![{title}]({PHOTO})\n\n## {heading}\n\n" + "".join(f"- {item}\n" for item in items)
    body += f'\n!!! warning "{warning}"\n    {advice}[^2]\n\n' + SOURCES
    return fields + "\n" + body


def longest_article(lang, index):
    """The index-th article at the limits: every field the contract limits
    at its longest, a reviewer, a Picture, a text with every component the
    site styles; a date within the last weeks."""
    fields = field_values(lang, index, longest=True)
    fields.update({
        "Date": (datetime.date.today() - datetime.timedelta(days=20 - index)).isoformat(),
        "Category": CATEGORY[lang],
        "Reviewed": REVIEWED,
        "Picture": PHOTO,
    })
    text = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"{text}\n{fullest_text(lang, PHOTO)}"


def grow(content):
    """Add the people (fixtures) who write and review, the neck-pain
    article, with its photo, the articles at the limits, and a reviewer to
    every existing article that has none."""
    for path, text in people_files(longest=True).items():
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        (content / path).write_text(text, encoding="utf-8")
    for article in content.glob("articles/*/*.md"):
        head, body = article.read_text(encoding="utf-8").split("\n\n", 1)
        if not re.search(r"^Reviewer\s*:", head, re.M | re.I):
            article.write_text(head + "\n" + review_fields() + "\n" + body, encoding="utf-8")
    folder = content / "articles" / "neck-pain-after-computer-work"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PHOTO).write_bytes(phone_photo(1600, 1200, 85))
    for lang in NECK_PAIN:
        (folder / f"index.{lang}.md").write_text(neck_pain_article(lang), encoding="utf-8")
    for index in range(RELATED_COUNT + 1):
        folder = content / "articles" / slug_of(index, longest=True)
        folder.mkdir(parents=True, exist_ok=True)  # content grown already: grown again, the same
        (folder / PHOTO).write_bytes(phone_photo(1600, 1200, 85))
        for lang in NECK_PAIN:
            (folder / f"index.{lang}.md").write_text(longest_article(lang, index), encoding="utf-8")


def test_the_site_wide_tests_pass_on_grown_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_PATH, content)
    grow(content)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SITE_WIDE_TESTS],
        cwd=ROOT,
        env=dict(os.environ, SITE_CONTENT=str(content)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # It really ran them, on the grown content.
    assert " passed" in result.stdout and "skipped" not in result.stdout.splitlines()[-1]
