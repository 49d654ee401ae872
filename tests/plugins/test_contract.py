"""The content contract is the one definition: the editors' guides say the same.

The guides (docs/editors-guide.uk.md, docs/editors-guide.en.md) carry the
contract's field tables, written by tools/guide_fields.py; these tests hold
them to the contract, both through that generator and, so that a mistake in
the generator cannot hide, by reading the tables as an editor would.
"""

import re

import pytest

from clinic import contract
from clinic.report import WARNING_KINDS
from fixture_site import ROOT
from tools import guide_fields

GUIDES = guide_fields.GUIDES
# The header of each guide's table of warnings (in "What each message means").
WARNINGS_TABLE_HEADER = {"uk": "| Тип | Що це означає | Що робити |", "en": "| Kind | What it means | What to do |"}
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)


def guide(lang):
    return GUIDES[lang].read_text(encoding="utf-8")


def table_rows(table):
    """The cells of a Markdown table's rows, without its header."""
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in table.strip().splitlines()[2:]]


def named_table(text, name):
    tables = guide_fields.tables_in(text)
    assert name in tables, f"the guide has no table marked <!-- fields: {name} -->"
    return tables[name]


def field_name(cell):
    return re.fullmatch(r"`([^`]+)`", cell).group(1)


def headings(text, level):
    """The guide's headings of one level, outside fenced code blocks."""
    return re.findall(rf"^{'#' * level} (.+)$", FENCE.sub("", text), re.MULTILINE)


@pytest.mark.parametrize("lang", GUIDES)
def test_each_guide_has_the_field_tables_written_from_the_contract(lang):
    text = guide(lang)
    for name in guide_fields.TABLES:
        assert named_table(text, name) == guide_fields.table(name, lang), (
            f"{GUIDES[lang].name}'s table {name} is not the contract's: run "
            ".venv/bin/python tools/guide_fields.py --write")


@pytest.mark.parametrize("lang", GUIDES)
def test_each_guide_lists_the_required_and_optional_article_fields_of_the_contract(lang):
    text = guide(lang)
    article_fields = contract.fields_for(contract.ARTICLE)
    required = [f.name for f in article_fields if contract.ARTICLE in f.required]
    optional = [f.name for f in article_fields if contract.ARTICLE not in f.required]
    assert [field_name(row[0]) for row in table_rows(named_table(text, "article-required"))] == required
    assert [field_name(row[0]) for row in table_rows(named_table(text, "article-optional"))] == optional


@pytest.mark.parametrize("lang", GUIDES)
def test_each_guide_lists_the_page_fields_and_which_are_required(lang):
    rows = table_rows(named_table(guide(lang), "page"))
    yes = guide_fields.HEADERS[lang]["yes"]
    assert [(field_name(row[0]), row[1] == yes) for row in rows] == [
        (f.name, contract.PAGE in f.required) for f in contract.fields_for(contract.PAGE)]


@pytest.mark.parametrize("lang", GUIDES)
def test_each_guide_states_every_limit_and_allowed_value_of_the_contract(lang):
    text = guide(lang)
    for table, kind in (("article-required", contract.ARTICLE), ("article-optional", contract.ARTICLE),
                        ("page", contract.PAGE)):
        for row in table_rows(named_table(text, table)):
            spec = contract.FIELDS_BY_KEY[field_name(row[0]).lower()]
            explanation = row[-1]
            if spec.max_length:
                assert re.search(rf"\b{spec.max_length}\b", explanation), (table, spec.name)
            else:
                assert not re.search(r"\d+ (characters|символ)", explanation), (table, spec.name)
            allowed = contract.STATUS_OF[kind] if spec.key == "status" else spec.choices
            for value in allowed:
                assert f"`{value}`" in explanation, (table, spec.name, value)


@pytest.mark.parametrize("lang", GUIDES)
def test_the_guides_words_explain_exactly_the_contracts_fields(lang):
    words = guide_fields.WORDS[lang]
    assert set(words) == {f.name for f in contract.FIELDS}
    for field in contract.FIELDS:
        if isinstance(words[field.name], dict):
            assert set(words[field.name]) == set(field.kinds), field.name


@pytest.mark.parametrize("lang", GUIDES)
def test_each_guides_table_of_warnings_lists_exactly_the_reports_warning_kinds(lang):
    header = WARNINGS_TABLE_HEADER[lang]
    text = guide(lang)
    assert text.count(header) == 1, f"{GUIDES[lang].name} has no table of warnings headed {header}"
    table = re.match(r"(?:\|.*\|\n)+", text[text.index(header):]).group(0)
    assert sorted(field_name(row[0]) for row in table_rows(table)) == sorted(WARNING_KINDS)


@pytest.mark.parametrize("lang", GUIDES)
def test_each_guide_names_the_page_templates_and_static_types_the_contract_allows(lang):
    text = guide(lang)
    for template in contract.FIELDS_BY_KEY["template"].choices:
        assert f"`{template}`" in text
    for extension in contract.STATIC_TYPES:
        assert extension in text


def test_the_readme_links_to_both_guides_and_each_guide_to_the_other():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = readme[:readme.index("\n## ")]  # before the first section: where a reader starts
    for path in GUIDES.values():
        assert f"]({path.relative_to(ROOT)})" in intro
    assert "](editors-guide.en.md)" in guide("uk").split("\n## ")[0]
    assert "](editors-guide.uk.md)" in guide("en").split("\n## ")[0]


def test_the_two_guides_have_the_same_sections():
    for level in (2, 3):
        uk, en = headings(guide("uk"), level), headings(guide("en"), level)
        assert len(uk) == len(en), (level, uk, en)
        assert len(uk) > 0


def test_new_articles_are_written_from_the_contract():
    text = contract.new_article("Біль у шиї", "2026-11-24")
    header = text.split("\n\n", 1)[0].splitlines()
    assert header == [
        f"{f.name}: {f.draft.format(title='Біль у шиї', today='2026-11-24')}"
        for f in contract.fields_for(contract.ARTICLE)
        if f.draft is not None
    ]
    assert "Status: draft" in header


def test_every_required_field_of_an_article_is_one_it_may_have():
    for field in contract.FIELDS:
        assert set(field.required) <= set(field.kinds), field.name
        assert (field.type == "choice") == bool(field.choices), field.name
