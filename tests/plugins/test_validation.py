"""The content checks: each rule broken alone in a tiny fixture site."""

import datetime

import pytest
from fixture_site import ROOT, build_fixture_site, copy_project, home, run_invoke
from validation.validation import check_content

TODAY = datetime.date(2026, 11, 23)

VALID_UK = """Title: Біль у шиї
Date: 2026-11-01
Lang: uk
Slug: neck-pain
Category: Біль у спині
Summary: Звідки береться біль у шиї і коли варто звернутися до фахівця.
Reviewer: Лікар-невролог
Reviewed: 2026-10-01

Короткий текст статті.

## Розділ

Ще один абзац.
"""
VALID_EN = VALID_UK.replace("Title: Біль у шиї", "Title: Neck pain").replace("Lang: uk", "Lang: en").replace(
    "Category: Біль у спині", "Category: Back pain"
).replace("Summary: Звідки береться біль у шиї і коли варто звернутися до фахівця.", "Summary: Where neck pain comes from and when to see a specialist.")


def files(**changes):
    """The valid fixture site, with some files replaced (None removes one)."""
    site = {
        "articles/neck-pain/uk.md": VALID_UK,
        "articles/neck-pain/en.md": VALID_EN,
        "pages/home/uk.md": home("uk"),
        "pages/home/en.md": home("en"),
    }
    for path, text in changes.items():
        path = path.replace("__", "/").replace("_md", ".md")
        if text is None:
            site.pop(path)
        else:
            site[path] = text
    return site


def build_and_fail(tmp_path, capsys, site_files):
    """Build; it must stop with exit 1; return the lines it printed."""
    with pytest.raises(SystemExit) as stopped:
        build_fixture_site(tmp_path, site_files, CONTENT_CHECK_DATE=TODAY)
    assert stopped.value.code == 1
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").iterdir())
    printed = capsys.readouterr().err
    return [line for line in printed.splitlines() if line and "[warning]" not in line]


def errors_of(tmp_path, capsys, site_files):
    lines = build_and_fail(tmp_path, capsys, site_files)
    assert lines[-1].endswith("Nothing was built.")
    return lines[:-1]


def test_the_valid_fixture_builds_without_a_problem(tmp_path, capsys):
    output = build_fixture_site(tmp_path, files(), CONTENT_CHECK_DATE=TODAY)
    assert (output / "neck-pain/index.html").exists()
    assert "content/" not in capsys.readouterr().err


UK = "articles/neck-pain/uk.md"


@pytest.mark.parametrize(
    "broken, line, message",
    [
        (VALID_UK.replace("Category: Біль у спині\n", ""), 1, "Category is missing. Add a line “Category: …”"),
        (VALID_UK.replace("Title: Біль у шиї", "Title:"), 1, "Title is empty."),
        (VALID_UK.replace("Summary: Звідки", "Summary:  \nX: Звідки"), 6, "Summary is empty."),
        (VALID_UK.replace("Date: 2026-11-01", "Date: 1 листопада"), 2, "Date is “1 листопада”, which is not a date. Write it as year-month-day"),
        (VALID_UK.replace("Reviewed: 2026-10-01", "Reviewed: 2026-13-01"), 8, "Reviewed is “2026-13-01”, which is not a date."),
        (VALID_UK.replace("Lang: uk", "Lang: ua"), 3, "Lang is “ua”, which is not a site language. Use one of: uk, en, ru."),
        (VALID_UK.replace("Summary: Звідки береться біль у шиї", "Summary: " + "дуже " * 30), 6, "characters long; the limit is 160."),
        (VALID_UK + "\n<script>alert(1)</script>\n", 16, "the text contains a <script> element"),
        (VALID_UK + "\n<img src=x onerror=\"alert(1)\">\n", 16, "the text contains an on…= event attribute"),
        (VALID_UK + "\n[натисніть](javascript:alert(1))\n", 16, "the text contains a javascript: address"),
        (VALID_UK + "\n<iframe src=\"/\"></iframe>\n", 16, "the text contains an <iframe> element"),
        (VALID_UK + "\n<object data=\"x\"></object>\n", 16, "the text contains an <object> element"),
        (VALID_UK + "\n<embed src=\"x\">\n", 16, "the text contains an <embed> element"),
        (VALID_UK + "\nДив. [іншу статтю]({filename}../back-pain/uk.md).\n", 16, "the link {filename}../back-pain/uk.md points to a file that does not exist"),
        (VALID_UK + "\n![Схема]({static}/images/neck.png)\n", 16, "the link {static}/images/neck.png points to a file that does not exist"),
        (VALID_UK + "\nДив. [контакти](/kontakty/).\n", 16, "the link /kontakty/ leads to no page of this site"),
    ],
    ids=[
        "missing-field", "empty-title", "empty-summary", "bad-date", "bad-review-date", "unknown-lang",
        "long-summary", "script", "event-attribute", "javascript-url", "iframe", "object", "embed",
        "filename-link", "static-image", "internal-link",
    ],
)
def test_each_mistake_stops_the_build_with_file_line_and_fix(tmp_path, capsys, broken, line, message):
    errors = errors_of(tmp_path, capsys, files(**{UK: broken}))
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"content/{UK}:{line}: ")
    assert message in errors[0]


def test_links_that_resolve_are_accepted(tmp_path, capsys):
    linked = VALID_UK + "\n[English]({filename}en.md), [контакти](/en/neck-pain/), [головна](/en/).\n"
    build_fixture_site(tmp_path, files(**{UK: linked}), CONTENT_CHECK_DATE=TODAY)
    assert "content/" not in capsys.readouterr().err


def test_a_link_inside_a_code_block_is_not_checked(tmp_path, capsys):
    fenced = VALID_UK + "\n```\n<script>example</script> /nowhere/\n```\n"
    build_fixture_site(tmp_path, files(**{UK: fenced}), CONTENT_CHECK_DATE=TODAY)
    assert "content/" not in capsys.readouterr().err


def test_two_articles_with_one_slug_in_one_language(tmp_path, capsys):
    errors = errors_of(tmp_path, capsys, files(**{"articles/neck-pain-2/uk.md": VALID_UK}))
    assert errors == [
        "content/articles/neck-pain-2/uk.md:4: content/articles/neck-pain/uk.md already has Slug “neck-pain” "
        "in language “uk”. Give this one another Slug, or another Lang."
    ]


def test_a_translation_without_its_original(tmp_path, capsys):
    orphan = VALID_EN.replace("Slug: neck-pain", "Slug: neck-pains\nTranslation: true")
    errors = errors_of(tmp_path, capsys, files(**{"articles/neck-pain/en.md": orphan}))
    assert errors == [
        "content/articles/neck-pain/en.md:5: this is marked as a translation, but there is no original with "
        "Slug “neck-pains”. Check the Slug, or remove “Translation: true”."
    ]


def test_a_file_that_is_not_utf8(tmp_path, capsys):
    site = files()
    build_dir = tmp_path
    content = build_dir / "content" / "articles" / "neck-pain"
    content.mkdir(parents=True)
    (content / "ru.md").write_bytes("Title: Боль в шее\nLang: ru\n".encode("cp1251"))
    errors = errors_of(tmp_path, capsys, site)
    assert errors == [
        "content/articles/neck-pain/ru.md:1: the file is not saved as UTF-8 text. Open it in your editor "
        "and save it with the UTF-8 encoding."
    ]


def test_every_problem_of_a_run_is_listed_together(tmp_path, capsys):
    broken = VALID_UK.replace("Lang: uk", "Lang: ua").replace("Date: 2026-11-01", "Date: вчора")
    errors = errors_of(tmp_path, capsys, files(**{UK: broken, "articles/neck-pain/en.md": VALID_EN.replace("Category: Back pain\n", "")}))
    assert [error.split(": ")[0] for error in errors] == [
        "content/articles/neck-pain/en.md:1",
        "content/articles/neck-pain/uk.md:2",
        "content/articles/neck-pain/uk.md:3",
    ]


# --- Warnings: printed, the build goes on ------------------------------------------


def warnings_of(tmp_path, site_files):
    report = check_content(tmp_path / "content", settings_for(tmp_path, site_files), today=TODAY)
    assert not report.errors, report.errors
    return [str(warning) for warning in report.warnings]


def settings_for(tmp_path, site_files):
    from fixture_site import write_content
    from pelican.settings import read_settings

    write_content(tmp_path / "content", site_files)
    return read_settings(str(ROOT / "pelicanconf.py"))


@pytest.mark.parametrize(
    "changed, expected",
    [
        (VALID_UK.replace("Reviewer: Лікар-невролог\n", ""), f"content/{UK}:1: no specialist has reviewed this article yet"),
        (VALID_UK.replace("Reviewed: 2026-10-01", "Reviewed: 2025-12-10"), f"content/{UK}:8: the review falls due on 2026-12-10, in 17 days"),
        (VALID_UK.replace("Reviewed: 2026-10-01", "Reviewed: 2026-10-01\nReview_due: 2026-11-01"), f"content/{UK}:9: the review was due on 2026-11-01"),
        (VALID_UK.replace("Короткий текст статті.", "Це " + "дуже " * 26 + "довге речення."), f"content/{UK}:10: a sentence of 29 words"),
        (VALID_UK.replace("Summary: Звідки", "Summary: Біль у шиї: звідки"), f"content/{UK}:6: Summary repeats the title"),
    ],
    ids=["no-reviewer", "review-due-soon", "review-overdue", "long-sentence", "summary-repeats-title"],
)
def test_each_warning_names_file_and_line(tmp_path, changed, expected):
    warnings = warnings_of(tmp_path, files(**{UK: changed}))
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(expected)


def test_an_article_with_no_ukrainian_version_is_warned_about(tmp_path):
    warnings = warnings_of(tmp_path, files(**{UK: None}))
    assert warnings == [
        "content/articles/neck-pain/en.md:1: there is no uk version of this article (Slug “neck-pain”). "
        "The law requires the Ukrainian version: add neck-pain/uk.md."
    ]


def test_warnings_do_not_stop_the_build(tmp_path, capsys):
    no_review = VALID_UK.replace("Reviewer: Лікар-невролог\n", "")
    output = build_fixture_site(tmp_path, files(**{UK: no_review}), CONTENT_CHECK_DATE=TODAY)
    assert (output / "neck-pain/index.html").exists()
    assert "[warning]" in capsys.readouterr().err


def test_the_sites_own_articles_have_no_errors():
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    report = check_content(ROOT / "content", settings)
    assert report.errors == []
    assert len([w for w in report.warnings if "lumbar-pain" in w.path]) >= 3  # no reviewer yet


# --- Through the real command line ----------------------------------------------------


def test_make_html_on_a_broken_copy_exits_1_without_traceback_and_keeps_output(tmp_path):
    copy = copy_project(tmp_path)
    (copy / "output").mkdir()
    (copy / "output" / "index.html").write_text("the last good site")
    article = copy / "content/articles/lumbar-pain/en.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Lang: en", "Lang: english"), encoding="utf-8")
    result = run_invoke(copy, "build")
    assert result.returncode == 1
    printed = result.stdout + result.stderr
    assert "content/articles/lumbar-pain/en.md:3: Lang is “english”, which is not a site language." in printed
    assert "Traceback" not in printed
    assert (copy / "output" / "index.html").read_text() == "the last good site"
    assert not list(copy.glob(".build-*"))


@pytest.mark.parametrize(
    "start, months, expected",
    [("2025-12-10", 12, "2026-12-10"), ("2026-01-31", 1, "2026-02-28"), ("2024-02-29", 12, "2025-02-28"), ("2026-11-30", 3, "2027-02-28")],
)
def test_review_due_dates_add_whole_months(start, months, expected):
    from validation.validation import add_months

    assert add_months(datetime.datetime.fromisoformat(start), months).date().isoformat() == expected


# --- invoke new --------------------------------------------------------------------


def test_invoke_new_writes_drafts_that_build_and_cannot_be_published_unfinished(tmp_path):
    copy = copy_project(tmp_path)
    made = run_invoke(copy, "new", "--title", "Біль у шиї", "--lang", "uk")
    assert made.returncode == 0, made.stderr
    article = copy / "content/articles/bil-u-shiyi/uk.md"
    text = article.read_text(encoding="utf-8")
    for field in ("Title: Біль у шиї", "Lang: uk", "Slug: bil-u-shiyi", "Category: TODO", "Summary: TODO", "Reviewer:", "Reviewed:", "Status: draft"):
        assert field in text
    translated = run_invoke(copy, "new", "--title", "Neck pain", "--lang", "en", "--translation-of", "bil-u-shiyi")
    assert translated.returncode == 0, translated.stderr
    assert "Slug: bil-u-shiyi" in (copy / "content/articles/bil-u-shiyi/en.md").read_text(encoding="utf-8")
    missing = run_invoke(copy, "new", "--title", "X", "--lang", "ru", "--translation-of", "no-such-article")
    assert missing.returncode == 1 and "there is no content/articles/no-such-article/" in missing.stderr
    built = run_invoke(copy, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (copy / "output/drafts/bil-u-shiyi/index.html").exists()
    assert (copy / "output/en/drafts/bil-u-shiyi/index.html").exists()
    # Published with its TODOs left: the build stops and says where.
    article.write_text(text.replace("Status: draft\n", ""), encoding="utf-8")
    stopped = run_invoke(copy, "build")
    assert stopped.returncode == 1
    assert "content/articles/bil-u-shiyi/uk.md:5: Category still says TODO" in stopped.stderr
    assert "content/articles/bil-u-shiyi/uk.md:12: the text still says TODO" in stopped.stderr
