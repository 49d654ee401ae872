"""Every field read as text with rules, and messages that find the real line
(issue 19, items 2 and 9).

A field may hold letters, marks, numbers, punctuation, symbols and spaces
(``contract.FIELD_CATEGORIES``): a control character, an invisible
formatting character, a line separator, a private-use or unassigned code
point is named at its line as ``U+XXXX``; a value of invisible characters
only is refused; the article's text may hold what XML 1.0 (its feeds) can
carry. A Date or Modified later than tomorrow is refused unless the article
is a draft, a Reviewed date later than tomorrow always. A field name written
with stray spaces, in Ukrainian or Russian, or misspelt is named at its line
with the field it probably means; a date not written year-month-day says
which part is wrong.

Every refused case is one article in a shared fixture build (each in a
folder of its own), checked for its exact ``path:line:`` messages; the
build must stop with nothing written and no traceback. What must still
build is a second fixture build. Pure functions have unit tests below.
"""

import datetime
import re

import pytest
from fixture_site import soup
from test_content_checks import HOMES, TODAY, VALID_UK, Case, assert_built, assert_errors, assert_stopped, build

from clinic import contract
from clinic.messages import render
from clinic.reader import (
    OTHER_LANGUAGE, SPACING, MISSPELT, calendar_problem, date_format_problem, find_stray_fields, locate_fields,
    meant_field, normalised_lines,
)

TOMORROW = TODAY + datetime.timedelta(days=1)
LATER = TODAY + datetime.timedelta(days=contract.FUTURE_DAYS_ALLOWED + 1)
# VALID_UK's lines: Title 1, Date 2, Category 3, Summary 4, Reviewer 5,
# Reviewed 6, a blank line, the text from line 8.
TITLE, DATE, CATEGORY, SUMMARY, REVIEWER, REVIEWED, TEXT = 1, 2, 3, 4, 5, 6, 8
CONTROL = "(a control character), which pages cannot show and feeds cannot carry. Delete it (retype the Title field)."


def replaced(old, new):
    assert old in VALID_UK, old
    return VALID_UK.replace(old, new, 1)


def dated(date):
    return replaced("Date: 2026-11-01", f"Date: {date}")


CHARACTERS = [
    # Reproduced first: a title with a control character ended in a
    # traceback of the feed writer ("not supported in XML 1.0"), a title of
    # a zero-width space built a page with an empty heading.
    Case("title-control", replaced("Title: Біль у шиї", "Title: Біль\x07 у шиї"),
         [(TITLE, f"Title holds U+0007 {CONTROL}")]),
    Case("title-zero-width-space", replaced("Title: Біль у шиї", "Title: \u200b"),
         [(TITLE, "Title holds U+200B ZERO WIDTH SPACE (an invisible formatting character), which cannot be seen, "
                  "yet changes how the text is shown, sorted and found. Delete it (retype the Title field).")]),
    Case("title-no-break-spaces-only", replaced("Title: Біль у шиї", "Title: \u00a0\u202f"),
         [(TITLE, "Title holds only invisible characters (U+00A0 NO-BREAK SPACE, U+202F NARROW NO-BREAK SPACE): "
                  "a page would show nothing. Write the Title field, or remove the line.")]),
    Case("title-combining-mark-only", replaced("Title: Біль у шиї", "Title: \u0301"),
         [(TITLE, "Title holds only invisible characters (U+0301 COMBINING ACUTE ACCENT)")]),
    Case("title-c1-control", replaced("Title: Біль у шиї", "Title: Біль\x85 у шиї"), [(TITLE, f"Title holds U+0085 {CONTROL}")]),
    Case("title-two-characters", replaced("Title: Біль у шиї", "Title: Біль\u202e у\x1b шиї"),
         [(TITLE, f"Title holds U+001B {CONTROL}"),  # the problems of a line are listed in order of their words
          (TITLE, "Title holds U+202E RIGHT-TO-LEFT OVERRIDE (an invisible formatting character)")]),
    # A control that the `meta` pattern's \s would take for a space before
    # the value: checked on the line as written.
    Case("category-leading-control", replaced("Category: Біль у спині", "Category:\x1cБіль у спині"),
         [(CATEGORY, "Category holds U+001C (a control character)")]),
    Case("summary-continued-bidi", replaced("Summary: Звідки береться біль у шиї",
                                            "Summary: Звідки береться\n    біль\u2066 у шиї"),
         [(SUMMARY + 1, "Summary holds U+2066 LEFT-TO-RIGHT ISOLATE (an invisible formatting character)")]),
    Case("reviewer-line-separator", replaced("Reviewer: Лікар-невролог", "Reviewer: Лікар\u2028невролог"),
         [(REVIEWER, "Reviewer holds U+2028 LINE SEPARATOR (a line separator)")]),
    Case("reviewer-private-use", replaced("Reviewer: Лікар-невролог", "Reviewer: Лікар\ue000"),
         [(REVIEWER, "Reviewer holds U+E000 (a private-use character), which has no agreed look")]),
    Case("date-soft-hyphen", dated("2026-11\u00ad-01"), [(DATE, "Date holds U+00AD SOFT HYPHEN (an invisible formatting character)")]),
    Case("date-byte-order-mark", dated("\ufeff2026-11-01"),
         [(DATE, "Date holds U+FEFF ZERO WIDTH NO-BREAK SPACE (an invisible formatting character)")]),
    Case("unknown-field-control", replaced("Reviewed: 2026-10-01\n", "Reviewed: 2026-10-01\nColour: x\x7f\n"),
         [(REVIEWED + 1, "Colour holds U+007F (a control character)"), (REVIEWED + 1, "“Colour” is not a field articles have")]),
    Case("text-control", VALID_UK + "\nРядок з \x01 знаком.\n",
         [(TEXT + 6, "the text holds U+0001 (a control character), which the site's feeds cannot carry and pages "
                     "cannot show. Delete it (retype the words around it).")]),
    Case("text-noncharacter", VALID_UK + "\n\nРядок \uffff.\n", [(TEXT + 7, "the text holds U+FFFF (a code point that is no character)")]),
    Case("text-form-feed", VALID_UK.replace("Ще один абзац.", "Ще один\x0c абзац."), [(TEXT + 4, "the text holds U+000C")]),
]

DATES = [
    Case("date-ahead", dated(LATER.isoformat()),
         [(DATE, f"Date is {LATER}, later than tomorrow (today is {TODAY}): an article is dated the day it is "
                 "published, and one dated ahead would stay first in every list until then. Write the day it is "
                 "published, or keep “Status: draft” until that day.")]),
    Case("page-dated-ahead", {"pages/page-dated-ahead/index.uk.md": f"Title: Сторінка\nDate: {LATER}\n\nТекст.\n"},
         [(DATE, f"Date is {LATER}, later than tomorrow (today is {TODAY}): a page is dated the day it is published")]),
    Case("date-thousands-of-years-ahead", dated("9999-12-31"), [(DATE, "Date is 9999-12-31, later than tomorrow")]),
    Case("modified-ahead", replaced("Reviewed: 2026-10-01\n", f"Reviewed: 2026-10-01\nModified: {LATER} 10:30\n"),
         [(REVIEWED + 1, f"Modified is {LATER} 10:30, later than tomorrow (today is {TODAY}): write the day of the "
                         "last real change to the content, or keep “Status: draft” until that day.")]),
    Case("reviewed-ahead", replaced("Reviewed: 2026-10-01", f"Reviewed: {LATER}"),
         [(REVIEWED, f"Reviewed is {LATER}, later than tomorrow (today is {TODAY}): write the day the specialist "
                     "checked the article")]),
    Case("reviewed-ahead-in-a-draft",
         replaced("Reviewed: 2026-10-01", f"Reviewed: {LATER}\nStatus: draft"), [(REVIEWED, f"Reviewed is {LATER}")]),
    Case("date-day-of-one-digit", dated("2026-12-3"),
         [(DATE, "Date is “2026-12-3”, which is not a date: the day needs two digits. Write “Date: 2026-12-03”.")]),
    Case("date-month-and-day-of-one-digit", dated("2026-1-3"),
         [(DATE, "which is not a date: the month and the day need two digits. Write “Date: 2026-01-03”.")]),
    Case("date-no-month-13", dated("2026-13-01"),
         [(DATE, "Date is “2026-13-01”, which is not a date of the calendar. Check the month and the day: there is "
                 "no month 13 (months go from 01 to 12).")]),
    Case("date-february-30", dated("2026-02-30"),
         [(DATE, "Check the month and the day: February 2026 has 28 days.")]),
    Case("date-leap-year", dated("2024-02-30"), [(DATE, "February 2024 has 29 days.")]),
    Case("date-year-of-two-digits", dated("26-12-03"),
         [(DATE, "Date is “26-12-03”, which is not a date: the year needs four digits. Write “Date: 2026-12-03”.")]),
    Case("date-day-first", dated("03.12.2026"),
         [(DATE, "Date is “03.12.2026”, which is not a date: it is written day, month, year, and dates here are "
                 "year-month-day. Write “Date: 2026-12-03”.")]),
    Case("date-slashes-either-way", dated("03/12/2026"),
         [(DATE, "it could mean 3 December 2026 (2026-12-03) or 12 March 2026 (2026-03-12). Write it as "
                 "year-month-day, e.g. 2026-11-23.")]),
    Case("date-month-first", dated("12/13/2026"),
         [(DATE, "it is written month, day, year, and dates here are year-month-day. Write “Date: 2026-12-13”.")]),
    Case("date-en-dashes", dated("2026–11–01"),
         [(DATE, "year, month and day are joined by hyphens. Write “Date: 2026-11-01”.")]),
    Case("date-bad-time", dated("2026-11-01 25:00"), [(DATE, "“25:00” is not a time of day")]),
]

# The fields below a field written wrongly are read as the text too: they
# are not reported missing, only the line that is the cause.
FIELD_NAMES = [
    Case("space-before-the-colon", replaced("Date: 2026-11-01", "Date : 2026-12-03"),
         [(DATE, "“Date :” looks like the field Date: write it without the space before the colon, "
                 "“Date: 2026-12-03”.")]),
    Case("space-before-the-colon-on-line-one", replaced("Title: Біль у шиї", "TITLE : Біль у шиї"),
         [(TITLE, "“TITLE :” looks like the field Title: write it without the space before the colon, "
                  "“Title: Біль у шиї”.")]),
    Case("title-in-ukrainian", replaced("Title:", "Заголовок:"),
         [(TITLE, "“Заголовок:” looks like the field Title: field names are written in English, “Title: Біль у шиї”.")]),
    Case("date-in-ukrainian", replaced("Date:", "Дата:"),
         [(DATE, "“Дата:” looks like the field Date: field names are written in English, “Date: 2026-11-01”.")]),
    Case("category-in-ukrainian", replaced("Category:", "Категорія:"),
         [(CATEGORY, "“Категорія:” looks like the field Category: field names are written in English")]),
    Case("summary-in-russian", replaced("Summary:", "Описание:"),
         [(SUMMARY, "“Описание:” looks like the field Summary: field names are written in English, “Summary: Звідки "
                    "береться біль у шиї і коли варто …”.")]),
    Case("author-in-ukrainian", replaced("Reviewer:", "Автор: Ім’я\nReviewer:"),
         [(REVIEWER, "“Автор:” looks like the field Author: field names are written in English, “Author: Ім’я”.")]),
    Case("misspelt-in-ukrainian", replaced("Title:", "Заголвок:"), [(TITLE, "“Заголвок:” looks like the field Title")]),
    Case("english-name-with-a-cyrillic-letter", replaced("Title:", "T\u0456tle:"),
         [(TITLE, "“Tіtle:” looks like the field Title, but U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I in "
                  "it is not a Latin letter: write the name in Latin letters, “Title: Біль у шиї”.")]),
    Case("misspelt-english-name", replaced("Summary:", "Sumary :"),
         [(SUMMARY, "“Sumary :” looks like the field Summary: write it “Summary: Звідки береться біль у шиї і коли варто …”.")]),
    Case("words-apart", replaced("Reviewed: 2026-10-01\n", "Reviewed: 2026-10-01\nReview due : 2027-06-01\n"),
         [(REVIEWED + 1, "“Review due :” looks like the field Review_due: write it without the space before the "
                         "colon and with _ between its words, “Review_due: 2027-06-01”.")]),
    Case("misspelt-field-read-as-a-field", replaced("Reviewer:", "Reviwer:"),
         [(REVIEWER, "“Reviwer” is not a field articles have. It looks like the field Reviewer: write it "
                     "“Reviewer: Лікар-невролог”.")]),
    Case("indented-name", replaced("Title:", "    Title:"),
         [(TITLE, "“Title:” looks like the field Title: write it at the start of the line, “Title: Біль у шиї”.")]),
    Case("after-the-end-of-the-fields", "---\n" + replaced("Category:", "---\nCategory:"),
         [(CATEGORY + 2, "this line looks like the field Category, but line 4 (“---”) ends the fields, so it is read "
                         "as the text. Move Category above that line.")]),
    Case("blank-line-among-the-fields", replaced("Date:", "\nDate:"),
         [(DATE + 1, "this line looks like the field Date, but the blank line 2 ends the fields, so it is read as "
                     "the text. Remove the blank line, so that Date is one of the fields.")]),
    Case("a-line-that-is-not-a-field", replaced("Category:", "Про біль у шиї\nCategory:"),
         [(CATEGORY + 1, "this line looks like the field Category, but the fields end at line 3, which is not a "
                         "field, so it is read as the text.")]),
]

REFUSED = CHARACTERS + DATES + FIELD_NAMES


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    files = dict(HOMES)
    for case in REFUSED:
        assert not set(case.files) & set(files), case.id
        files.update(case.files)
    return build(tmp_path_factory.mktemp("refused"), files)


def test_a_build_with_these_fields_stops_with_exactly_their_problems_and_writes_nothing(refused):
    assert_stopped(refused)
    assert len(refused.errors) == sum(len(case.expected) for case in REFUSED), "\n".join(refused.errors)


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in REFUSED])
def test_each_case_is_named_at_its_line(refused, case):
    assert_errors(refused, case.expected, *case.paths)


ACCEPTED = {
    **HOMES,
    # Field names are read case-blind, up to three spaces before them.
    "articles/upper-case-name/index.uk.md": replaced("Title:", "TITLE:"),
    "articles/spaces-before-the-name/index.uk.md": replaced("Title:", " Title:").replace("Date:", "   Date:"),
    # A draft may be dated ahead; anything may be dated tomorrow.
    "articles/draft-ahead/index.uk.md": replaced("Date: 2026-11-01", f"Date: {LATER}\nStatus: draft"),
    "articles/tomorrow/index.uk.md": replaced("Date: 2026-11-01", f"Date: {TOMORROW}\nModified: {TOMORROW}")
                                .replace("Reviewed: 2026-10-01", f"Reviewed: {TOMORROW}"),
    # No-break spaces of typography, an emoji joined by a zero-width
    # joiner, accents, symbols.
    "articles/typography/index.uk.md": replaced("Title: Біль у шиї", "Title: Шия\u00a0— 5\u202fхв, 👩\u200d⚕️ і́ ₴ №1"),
    # A tab is read as spaces, as Markdown reads it; a line of the text that
    # looks like a field, after complete fields and a blank line, is text.
    "articles/tab-and-colon-in-the-text/index.uk.md": replaced("Title: Біль", "Title:\tБіль") + "\nДата: у тексті.\n",
}


@pytest.fixture(scope="module")
def accepted(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("accepted"), ACCEPTED)
    assert_built(built)
    return built


@pytest.mark.parametrize("slug, title", [
    ("upper-case-name", "Біль у шиї"), ("spaces-before-the-name", "Біль у шиї"), ("tomorrow", "Біль у шиї"),
    ("typography", "Шия\u00a0— 5\u202fхв, 👩\u200d⚕️ і́ ₴ №1"), ("tab-and-colon-in-the-text", "Біль у шиї"),
])
def test_what_a_field_may_hold_builds_as_written(accepted, slug, title):
    assert soup(accepted.output / slug / "index.html").select_one("h1").get_text() == title


def test_a_draft_may_be_dated_ahead(accepted):
    assert accepted.errors_of("articles/draft-ahead/index.uk.md") == []
    assert "Дата: у тексті." in soup(accepted.output / "tab-and-colon-in-the-text/index.html").get_text()


# --- The pure functions ----------------------------------------------------------------------


def test_every_field_has_names_in_other_languages_and_none_is_two_fields_or_an_english_name():
    assert set(contract.NAMES_IN_OTHER_LANGUAGES) == set(contract.FIELDS_BY_KEY)
    others = [name for names in contract.NAMES_IN_OTHER_LANGUAGES.values() for name in names]
    assert len(others) == len(set(others))
    assert all(name == name.casefold() and name not in contract.FIELDS_BY_KEY for name in others)
    for key, names in contract.NAMES_IN_OTHER_LANGUAGES.items():
        for name in names:
            assert meant_field(name.capitalize()) == (contract.FIELDS_BY_KEY[key], OTHER_LANGUAGE), name


@pytest.mark.parametrize("name, key, how", [
    ("Title", "title", None), ("TITLE", "title", None), ("Review_due", "review_due", None),
    ("Review due", "review_due", SPACING), ("review-due", "review_due", SPACING), ("Picture alt", "picture_alt", SPACING),
    ("Заголовок", "title", OTHER_LANGUAGE), ("Короткий  опис", "summary", OTHER_LANGUAGE), ("КАТЕГОРІЯ", "category", OTHER_LANGUAGE),
    ("Titel", "title", MISSPELT), ("Reviwer", "reviewer", MISSPELT), ("Сategory", "category", MISSPELT),
    ("Примітка", None, None), ("Текст статті", None, None), ("Url", None, None), ("Save_as", None, None),
])
def test_the_field_a_name_probably_means(name, key, how):
    spec, found_how = meant_field(name)
    assert (spec.key if spec else None, found_how) == (key, how)


def stray_lines(text, kind=contract.ARTICLE):
    lines = normalised_lines(text)
    fields, body_start = locate_fields(lines)
    strays, lost = find_stray_fields(lines, fields, body_start, kind)
    return [(stray.line, stray.spec.key, stray.how) for stray in strays], lost


def test_stray_fields_are_looked_for_only_where_the_fields_stop_early_or_are_incomplete():
    # The fields end on a line that is not one: the lines below it are looked at.
    assert stray_lines("Title: x\nDate : 2026-12-03\nCategory: y\n\nText.") == ([(2, "date", SPACING)], {"date", "category"})
    # A field written right below a field written wrongly is not named: fixing that one fixes it.
    assert stray_lines("Title: x\nДата: 1\nSummary: y\n")[0] == [(2, "date", OTHER_LANGUAGE)]
    # Complete fields and a blank line: the text is text, whatever it looks like.
    valid = "Title: x\nDate: 2026-12-03\nCategory: y\nSummary: z\n\nДата: сьогодні\nAuthor: me\n"
    assert stray_lines(valid) == ([], set())
    # A page needs only a Title: a page's text is not looked at once it has one.
    assert stray_lines("Title: x\n\nДата: сьогодні\n", contract.PAGE) == ([], set())
    # Incomplete fields: the text's first paragraph, up to a blank line.
    assert stray_lines("Title: x\n\nDate: 2026-12-03\n\nCategory: y\n") == ([(3, "date", None)], {"date"})
    # A name already given among the fields is text; a field written right
    # below it is named, for it ends the fields.
    assert stray_lines("Title: x\nCategory: y\nТема: шия\nSummary: z\n") == ([(4, "summary", None)], {"summary"})
    # Indented too far to be a field, on the first line.
    assert stray_lines("    Title: x\n\nText.") == ([(1, "title", SPACING)], {"title"})


@pytest.mark.parametrize("value, reason, suggestion", [
    ("2026-12-3", "the day needs two digits", "2026-12-03"),
    ("2026-1-03", "the month needs two digits", "2026-01-03"),
    ("26-12-03", "the year needs four digits", "2026-12-03"),
    ("2026/12/03", "year, month and day are joined by hyphens", "2026-12-03"),
    ("2026.12.03", "year, month and day are joined by hyphens", "2026-12-03"),
    ("2026 12 03", "year, month and day are joined by hyphens", "2026-12-03"),
    ("03.12.2026", "it is written day, month, year, and dates here are year-month-day", "2026-12-03"),
    ("3-12-2026", "it is written day, month, year, and dates here are year-month-day", "2026-12-03"),
    ("13/12/2026", "it is written day, month, year, and dates here are year-month-day", "2026-12-13"),
    ("12/13/2026", "it is written month, day, year, and dates here are year-month-day", "2026-12-13"),
    ("03/12/2026", "it could mean 3 December 2026 (2026-12-03) or 12 March 2026 (2026-03-12)", None),
    ("05/05/2026", "it is written day, month, year, and dates here are year-month-day", "2026-05-05"),
    ("31.02.2026", "it is written day, month, year, and dates here are year-month-day", None),
    ("1 листопада", None, None), ("вчора", None, None), ("2026-11", None, None), ("12345-11-01", None, None),
])
def test_a_date_not_written_year_month_day_says_what_is_wrong(value, reason, suggestion):
    found, suggested = date_format_problem(value)
    assert (found and render(found, "en"), suggested) == (reason, suggestion)


@pytest.mark.parametrize("value, reason", [
    ("2026-11-01", None), ("2024-02-29", None), ("2026-11-01 23:59", None),
    ("2026-13-01", "there is no month 13 (months go from 01 to 12)"),
    ("2026-00-10", "there is no month 0 (months go from 01 to 12)"),
    ("2026-02-29", "February 2026 has 28 days"), ("2026-04-31", "April 2026 has 30 days"),
    ("2026-11-00", "there is no day 0 (days go from 01)"),
    ("2026-11-01 24:00", "“24:00” is not a time of day (hours go from 00 to 23, minutes from 00 to 59)"),
])
def test_a_date_not_of_the_calendar_says_which_part(value, reason):
    assert contract.DATE.fullmatch(value)
    found = calendar_problem(value)
    assert (found and render(found, "en")) == reason


@pytest.mark.parametrize("char, allowed", [
    ("a", True), ("ї", True), ("\u0301", True), ("5", True), ("—", True), ("₴", True), ("👩", True), ("\ufe0f", True),
    (" ", True), ("\u00a0", True), ("\u202f", True), ("\u3000", True), ("\u200d", True), ("\u200c", True),
    ("\x00", False), ("\t", False), ("\x7f", False), ("\x85", False), ("\u200b", False), ("\u2060", False),
    ("\ufeff", False), ("\u00ad", False), ("\u200e", False), ("\u202e", False), ("\u2066", False), ("\u2028", False),
    ("\u2029", False), ("\ue000", False), ("\U000f0000", False), ("\u0378", False), ("\ufffe", False), ("\ud800", False),
])
def test_what_a_field_may_hold(char, allowed):
    assert contract.field_may_hold(char) is allowed


@pytest.mark.parametrize("char, allowed", [
    ("\t", True), ("\n", True), ("\r", True), (" ", True), ("\x85", True), ("\u200b", True), ("\ufffd", True),
    ("\U0010ffff", True), ("\x00", False), ("\x08", False), ("\x0b", False), ("\x0c", False), ("\x1f", False),
    ("\ud800", False), ("\udfff", False), ("\ufffe", False), ("\uffff", False),
])
def test_what_the_text_may_hold_is_what_xml_1_0_carries(char, allowed):
    assert contract.xml_may_hold(char) is allowed
