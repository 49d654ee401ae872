"""What editors see: annotations in CI, the content report, the claims check,
stale translations and the publish policy."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from fixture_site import ROOT, build_fixture_site, copy_project, home, run_invoke
from make_photo import phone_photo

from clinic import claims, contract
from clinic.messages import _e
from clinic.report import WARNING_KINDS, Problem, Report, annotation

TODAY = datetime.date(2026, 11, 23)
UK = """Title: Біль у шиї
Date: 2026-11-01
Category: Біль у спині
Summary: Звідки береться біль у шиї і коли варто звернутися до фахівця.
Reviewer: Лікар-невролог
Reviewed: 2026-10-01

Короткий текст статті.
"""
EN = """Title: Neck pain
Date: 2026-11-01
Category: Back pain
Summary: Where neck pain comes from and when to see a specialist.
Translated_from: {version}

A short text.
"""


# A photo for an article (wide enough not to be warned about).
PHOTO = phone_photo(1200, 900, quality=80)


def site(files=None):
    """The fixture site: home pages and the Ukrainian article, with `files`
    ({path under content/: text}) added or replaced."""
    base = {"pages/home/index.uk.md": home("uk"), "pages/home/index.en.md": home("en"), "articles/neck-pain/index.uk.md": UK}
    base.update(files or {})
    return base


def report_of(tmp_path, files, **settings):
    """Read and check a fixture site; return its content report data."""
    data = tmp_path / "report.json"
    with pytest.raises(SystemExit):
        build_fixture_site(tmp_path, files, CONTENT_CHECK_DATE=TODAY, CONTENT_CHECK_ONLY=True,
                           CONTENT_REPORT_JSON=str(data), **settings)
    return json.loads(data.read_text(encoding="utf-8"))


def uk_version(tmp_path, text=UK):
    folder = tmp_path / "version"
    report = report_of(folder, site({"articles/neck-pain/index.uk.md": text}))
    return report["articles"][0]["languages"]["uk"]["translation"]["version"]


# --- GitHub Actions: annotations and the job summary ---------------------------------------


def run_check(project, **environment):
    return subprocess.run(
        [str(ROOT / ".venv/bin/invoke") if (ROOT / ".venv/bin/invoke").exists() else sys.executable, *(
            ["check"] if (ROOT / ".venv/bin/invoke").exists() else ["-m", "invoke", "check"])],
        cwd=project, capture_output=True, text=True, env={**os.environ, **environment},
    )


def parse_annotations(text):
    """[(level, {property: value}, message)] from GitHub workflow commands."""
    found = []
    for line in text.splitlines():
        if not line.startswith("::"):
            continue
        level, rest = line[2:].split(" ", 1)
        properties, message = rest.split("::", 1)
        unescape = lambda value: value.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")  # noqa: E731
        found.append((level, {k: unescape(v) for k, v in (p.split("=", 1) for p in properties.split(","))}, unescape(message)))
    return found


def first_article(project, lang):
    """The folder name of a project copy's first article (by name) in `lang`."""
    return sorted(path.parent.name for path in (project / "content/articles").glob(f"*/index.{lang}.md"))[0]


def test_in_github_actions_every_problem_is_an_annotation_on_its_file_and_line(tmp_path):
    project = copy_project(tmp_path)
    shown = f"content/articles/{first_article(project, 'ru')}/index.ru.md"
    lines = (project / shown).read_text(encoding="utf-8").split("\n")
    date_line = next(number for number, line in enumerate(lines, start=1) if line.startswith("Date: "))
    lines[date_line - 1] = "Date: 23.11.2026"
    (project / shown).write_text("\n".join(lines), encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = run_check(project, GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 1
    annotations = parse_annotations(result.stderr)
    errors = [a for a in annotations if a[0] == "error"]
    assert len(errors) == 1
    _, properties, message = errors[0]
    assert properties["file"] == shown
    assert properties["line"] == str(date_line)
    # Which message, with which parameters, in the editor's language
    # (Ukrainian: pelicanconf.py's EDITOR_LANGUAGE), title and all.
    expected = _e("{name} is “{value}”, which is not a date: {reason}. Write “{name}: {suggestion}”.", name="Date",
                  value="23.11.2026", reason=_e("it is written day, month, year, and dates here are year-month-day"),
                  suggestion="2026-11-23").render("uk")
    assert message == expected
    assert properties["title"] == _e("Content problem").render("uk")
    # The same line as locally, for the log.
    assert f"{shown}:{date_line}: {expected}" in result.stderr.splitlines()
    # Warnings are annotations too, one for each printed warning.
    printed_warnings = [line for line in result.stderr.splitlines() if line.endswith(f"[{_e('warning').render('uk')}]")]
    assert len([a for a in annotations if a[0] == "warning"]) == len(printed_warnings) > 0
    # The job summary: a table row per problem.
    table = summary.read_text(encoding="utf-8")
    assert f"| {_e('error').render('uk')} | `{shown}` | {date_line} | {expected} |" in table
    assert table.count(f"\n| {_e('warning').render('uk')} |") == len(printed_warnings)
    assert "Traceback" not in result.stdout + result.stderr


def test_outside_github_actions_there_are_no_workflow_commands(tmp_path):
    project = copy_project(tmp_path)
    result = run_check(project, GITHUB_ACTIONS="")
    assert result.returncode == 0, result.stderr
    assert "::" not in result.stderr


def test_annotation_messages_and_properties_are_escaped():
    problem = Problem("content/a,b:c.md", 3, "100% sure\nsecond line", "health-claim")
    line = annotation(problem, "warning")
    assert line.startswith("::warning file=content/a%2Cb%3Ac.md,line=3,")
    assert line.endswith("::100%25 sure%0Asecond line")
    assert parse_annotations(line)[0][1]["file"] == "content/a,b:c.md"


# --- The content report ----------------------------------------------------------------------


def test_invoke_report_shows_every_article_in_every_language(tmp_path, site_content):
    result = run_invoke(ROOT, "report", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["languages"] == ["uk", "en", "ru"]
    assert {row["slug"] for row in data["articles"]} == {row["slug"] for row in site_content["articles"]}
    for row in data["articles"]:
        for lang, entry in row["languages"].items():
            if entry is None:
                assert lang in row["missing"]
                continue
            assert entry["path"] == f"content/articles/{row['slug']}/index.{lang}.md"
            assert entry["review_state"] in ("ok", "due-soon", "overdue", "unreviewed", "unknown")
            assert (entry["reviewer"] is None) == (entry["review_state"] == "unreviewed") or entry["reviewed"]
            assert entry["translation"]["state"] in ("original", "up-to-date", "stale", "unknown", "no-original")
    text = run_invoke(ROOT, "report")
    assert text.returncode == 0
    for row in data["articles"]:
        assert row["slug"] in text.stdout
        for lang, entry in row["languages"].items():
            if entry:
                assert f"  {lang}  " in text.stdout


def test_the_report_marks_missing_languages_reviews_drafts_and_warnings(tmp_path):
    overdue = UK.replace("Reviewed: 2026-10-01", "Reviewed: 2025-10-01")
    draft = UK.replace("Title: Біль у шиї", "Title: Чернетка").replace("Reviewed: 2026-10-01\n", "Reviewed: 2026-10-01\nStatus: draft\n")
    data = report_of(tmp_path, site({"articles/neck-pain/index.uk.md": overdue, "articles/draft-one/index.uk.md": draft}))
    rows = {row["slug"]: row for row in data["articles"]}
    neck = rows["neck-pain"]
    assert neck["missing"] == ["en", "ru"] and neck["languages"]["en"] is None
    assert neck["languages"]["uk"]["review_state"] == "overdue"
    assert neck["languages"]["uk"]["review_due"] == "2026-10-01"
    assert any(w["kind"] == "review-overdue" for w in neck["languages"]["uk"]["warnings"])
    assert rows["draft-one"]["languages"]["uk"]["status"] == "draft"


def test_the_preview_has_the_report_page_and_the_published_site_does_not(site, published_site, site_content, settings):
    page = site / settings["CONTENT_REPORT_SAVE_AS"]
    html = page.read_text(encoding="utf-8")
    assert 'name="robots" content="noindex"' in html
    for row in site_content["articles"]:
        assert f'id="report-{row["slug"]}"' in html
    assert not (published_site / settings["CONTENT_REPORT_SAVE_AS"]).exists()
    assert "content-report" not in (published_site / "sitemap.xml").read_text(encoding="utf-8")


# --- Translations that are older than the original --------------------------------------------


def test_a_translation_made_from_the_current_original_is_up_to_date(tmp_path):
    version = uk_version(tmp_path)
    data = report_of(tmp_path / "site", site({"articles/neck-pain/index.en.md": EN.format(version=version)}))
    entry = data["articles"][0]["languages"]["en"]
    assert entry["translation"] == {"state": "up-to-date", "made_from": version, "original_version": version}
    assert not [w for w in entry["warnings"] if w["kind"] == "stale-translation"]


def test_a_translation_is_stale_once_the_original_text_changes(tmp_path):
    version = uk_version(tmp_path)
    changed = UK.replace("Короткий текст статті.", "Короткий текст статті, тепер довший.")
    data = report_of(tmp_path / "site", site({"articles/neck-pain/index.uk.md": changed, "articles/neck-pain/index.en.md": EN.format(version=version)}))
    entry = data["articles"][0]["languages"]["en"]
    assert entry["translation"]["state"] == "stale"
    assert entry["translation"]["made_from"] == version != entry["translation"]["original_version"]
    stale = [w for w in entry["warnings"] if w["kind"] == "stale-translation"]
    assert stale and stale[0]["line"] == 5  # the Translated_from line
    assert f"Translated_from: {entry['translation']['original_version']}" in stale[0]["message"]


def test_a_reviewers_change_does_not_make_translations_stale(tmp_path):
    assert uk_version(tmp_path / "a") == uk_version(tmp_path / "b", UK.replace("Reviewed: 2026-10-01", "Reviewed: 2026-11-20"))


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda text: text + "\n![Шия збоку](photo.jpg)\n", id="photo-at-the-end"),
        pytest.param(lambda text: text.replace("Короткий текст статті.\n", "![Шия збоку](photo.jpg)\n\n"
                                               "Короткий текст статті.\n"), id="photo-before-the-text"),
        pytest.param(lambda text: text.replace("Короткий текст статті.", "Короткий текст статті. ![Шия](photo.jpg)"),
                     id="photo-in-a-paragraph"),
        pytest.param(lambda text: text + '\n<img src="photo.jpg" alt="Шия збоку">\n', id="photo-as-html"),
    ],
)
def test_adding_a_photo_to_the_original_leaves_its_translations_current(tmp_path, edit):
    assert uk_version(tmp_path / "before") == uk_version(with_photo(tmp_path / "after"), edit(UK))


def with_photo(folder, subfolder="version"):
    """`folder`, its fixture article with photo.jpg beside it."""
    article = folder / subfolder / "content/articles/neck-pain"
    article.mkdir(parents=True)
    (article / "photo.jpg").write_bytes(PHOTO)
    return folder


def test_a_photos_new_description_leaves_its_translations_current(tmp_path):
    # Decided: the version cannot tell a changed description from a photo
    # added; each language describes the photo in its own words.
    illustrated = UK + "\n![Шия збоку](photo.jpg)\n"
    assert (uk_version(with_photo(tmp_path / "a"), illustrated)
            == uk_version(with_photo(tmp_path / "b"), illustrated.replace("Шия збоку", "Шия пацієнта збоку, на кушетці")))


def test_a_changed_sentence_beside_a_new_photo_makes_its_translations_stale(tmp_path):
    version = uk_version(tmp_path / "version")
    with_photo(tmp_path, "site")
    changed = UK.replace("Короткий текст статті.", "![Шия збоку](photo.jpg)\n\nКороткий текст статті, тепер інший.")
    data = report_of(tmp_path / "site", site({"articles/neck-pain/index.uk.md": changed,
                                              "articles/neck-pain/index.en.md": EN.format(version=version)}))
    assert data["articles"][0]["languages"]["en"]["translation"]["state"] == "stale"


def test_a_photo_added_to_a_real_original_keeps_its_translations_current(tmp_path):
    project = copy_project(tmp_path)
    before = json.loads(run_invoke(project, "report", "--json").stdout)
    # An article of the content whose translations are current (today's are).
    slug, states = next((row["slug"], states) for row in before["articles"] for states in [
        {lang: entry["translation"]["state"] for lang, entry in row["languages"].items() if entry}]
        if "up-to-date" in states.values())
    original = project / "content/articles" / slug / "index.uk.md"
    original.write_text(original.read_text(encoding="utf-8") + "\n![Опис фото](photo-added.jpg)\n", encoding="utf-8")
    (original.parent / "photo-added.jpg").write_bytes(PHOTO)
    reported = run_invoke(project, "report", "--json")
    assert reported.returncode == 0, reported.stderr
    after = json.loads(reported.stdout)
    assert {lang: entry["translation"]["state"] for lang, entry in
            next(row for row in after["articles"] if row["slug"] == slug)["languages"].items() if entry} == states


def test_invoke_new_records_the_version_a_translation_starts_from(tmp_path):
    project = copy_project(tmp_path)
    slug = first_article(project, "en")
    made = run_invoke(project, "new", "--title", "Neck", "--lang", "en", "--translation-of", slug)
    assert made.returncode == 1  # index.en.md exists already: refused, nothing written
    (project / "content/articles" / slug / "index.en.md").unlink()
    made = run_invoke(project, "new", "--title", "A translation", "--lang", "en", "--translation-of", slug)
    assert made.returncode == 0, made.stderr
    report = json.loads(run_invoke(project, "report", "--json").stdout)
    entry = next(row for row in report["articles"] if row["slug"] == slug)["languages"]["en"]
    assert entry["translation"]["state"] == "up-to-date"


def written_fields(path):
    """{field key: value} as a file writes them at its top."""
    head = path.read_text(encoding="utf-8").split("\n\n")[0]
    return {name.strip().lower(): value.strip() for name, value in (line.split(":", 1) for line in head.split("\n"))}


def test_invoke_new_starts_a_translation_with_its_topic_and_what_is_the_same_in_every_language(tmp_path, settings):
    project = copy_project(tmp_path)
    slug = first_article(project, "en")
    folder = project / "content/articles" / slug
    # The original with every field that is the same in every language.
    original = folder / "index.uk.md"
    head, body = original.read_text(encoding="utf-8").split("\n\n", 1)
    given = written_fields(original)
    extra = {"reviewed": "2026-10-01", "review_due": "2027-04-01", "picture": "photo-shared.jpg"}
    head += "".join(f"\n{contract.FIELDS_BY_KEY[key].name}: {value}" for key, value in extra.items() if key not in given)
    if "picture" not in given:
        head += "\nPicture_alt: Руки масажиста на спині"
        (folder / "photo-shared.jpg").write_bytes(PHOTO)
    original.write_text(head + "\n\n" + body, encoding="utf-8")
    (folder / "index.en.md").unlink()
    made = run_invoke(project, "new", "--title", "A translation", "--lang", "en", "--translation-of", slug)
    assert made.returncode == 0, made.stderr
    source, translation = written_fields(original), written_fields(folder / "index.en.md")
    same = [field.key for field in contract.fields_for(contract.ARTICLE) if field.same_in_every_language]
    assert {"date", "reviewed", "review_due", "picture"} <= set(same) <= set(source)
    assert {key: translation.get(key) for key in same} == {key: source[key] for key in same}
    topic = next(names for names in settings["TOPICS"].values() if names[settings["DEFAULT_LANG"]] == source["category"])
    assert translation["category"] == topic["en"] != source["category"]
    # What is written in a language is not copied: the draft asks for it.
    for key in ("title", "summary", "author", "reviewer", "picture_alt"):
        assert translation.get(key) != source.get(key), key
    assert translation["status"] == "draft"
    checked = run_invoke(project, "check")
    assert checked.returncode == 0, checked.stderr  # a draft: its TODOs wait
    report = json.loads(run_invoke(project, "report", "--json").stdout)
    entry = next(row for row in report["articles"] if row["slug"] == slug)["languages"]["en"]
    assert entry["translation"]["state"] == "up-to-date"
    assert entry["category"] == topic["en"]


# --- Health claims -----------------------------------------------------------------------------

# The health-claim warning's identity (its msgid).
MAY_PROMISE_A_RESULT = ("“{phrase}” may promise a result. Health-claims rules (Ukraine's advertising law, Art. 21) "
                        "forbid promising an effect, a cure, a time to it, or that a doctor is not needed. Ask the "
                        "reviewer: reword it, or, if it is right, add it to “Claims_checked:”.")



@pytest.mark.parametrize(
    "lang, sentence, phrase",
    [
        ("uk", "Ми гарантуємо результат.", "гарантуємо"),
        ("uk", "Вже після першого сеансу біль мине.", "Вже після першого сеансу"),
        ("uk", "Масаж назавжди вилікує спину.", "назавжди"),
        ("uk", "Вам не потрібен лікар.", "не потрібен лікар"),
        ("ru", "Уже после второго сеанса станет легче. Эффект 100 %.", "100 %"),
        ("ru", "Массаж вылечит боль за 3 дня.", "вылечит"),
        ("en", "Results are guaranteed.", "guaranteed"),
        ("en", "You will feel better after just one session.", "after just one session"),
        ("en", "No need to see a doctor.", "No need to see a doctor"),
    ],
)
def test_phrases_that_promise_a_result_are_warned_about(tmp_path, lang, sentence, phrase):
    text = UK if lang == "uk" else EN.format(version="0" * 12).replace("Translated_from: 000000000000\n", "")
    text = text.rstrip("\n") + f"\n\n{sentence}\n"
    files = site({f"articles/neck-pain/index.{lang}.md": text})
    data = report_of(tmp_path, files)
    entry = data["articles"][0]["languages"][lang]
    warnings = [w for w in entry["warnings"] if w["kind"] == "health-claim"]
    assert warnings, entry["warnings"]
    assert any(w["message_id"] == MAY_PROMISE_A_RESULT and w["parameters"]["phrase"] == phrase for w in warnings), warnings
    assert warnings[0]["line"] == len(text.rstrip("\n").splitlines())


def test_the_original_article_promise_of_relief_is_flagged_as_a_warning_not_an_error():
    # The clinic's original article (issue 10: its promise of relief after
    # the first session is a warning, never an error).
    if not (ROOT / "content/articles/lumbar-pain").is_dir():
        pytest.skip("this content has no lumbar-pain article")
    result = run_invoke(ROOT, "check")
    assert result.returncode == 0, result.stderr  # a warning, never an error
    # The warning's words after the phrase, in the editor's language (Ukrainian).
    after_the_phrase = _e(MAY_PROMISE_A_RESULT, phrase="\0").render("uk").split("\0")[1]
    flagged = [line for line in result.stderr.splitlines() if after_the_phrase in line]
    assert {line.split(":")[0] for line in flagged} >= {
        "content/articles/lumbar-pain/index.uk.md", "content/articles/lumbar-pain/index.en.md", "content/articles/lumbar-pain/index.ru.md"}
    assert any("after the first session" in line for line in flagged)


def test_a_reviewer_can_acknowledge_a_checked_phrase(tmp_path):
    text = UK.replace("Reviewed: 2026-10-01\n", "Reviewed: 2026-10-01\nClaims_checked: після першого сеансу\n")
    text += "\nВже після першого сеансу стане легше.\n"
    data = report_of(tmp_path, site({"articles/neck-pain/index.uk.md": text}))
    entry = data["articles"][0]["languages"]["uk"]
    assert not [w for w in entry["warnings"] if w["kind"] == "health-claim"]
    assert entry["claims"] == [{"phrase": "Вже після першого сеансу", "acknowledged": True}]


def test_the_phrase_lists_are_documented_data_for_every_language(settings):
    for lang in settings["LANGUAGES"]:
        path = claims.PHRASE_LISTS / f"{lang}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("#"), path  # says what it is
        assert claims.patterns(lang) is not None


# --- The publish policy -------------------------------------------------------------------------


def test_the_policy_names_only_known_kinds_of_warning(settings):
    assert set(settings["PUBLISH_BLOCKING_WARNINGS"]) <= set(WARNING_KINDS)
    assert "no-review" not in settings["PUBLISH_BLOCKING_WARNINGS"]  # the page says so instead


def test_a_blocking_warning_fails_and_others_do_not():
    report = Report()
    report.warn("content/a.md", 1, WARNING_KINDS["no-review"], "no-review")
    assert report.failures(["review-overdue"]) == 0
    report.warn("content/a.md", 2, WARNING_KINDS["review-overdue"], "review-overdue")
    assert report.failures(["review-overdue"]) == 1
    assert report.failures(True) == 2
    assert report.failures([]) == 0


def test_an_unreviewed_article_says_so_on_its_page(html_pages, articles):
    for _, _, entry in articles:
        notice = html_pages[f"{entry['url']}index.html"].select_one(".mc-review--none")
        assert (notice is not None) == (entry["reviewer"] is None), entry["url"]
