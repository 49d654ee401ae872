"""The content contract is the one definition: the README says the same."""

import re

from clinic import contract
from fixture_site import ROOT


def readme_table(heading):
    """The field names in the README table that follows `heading`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text[text.index(heading):]
    table = re.search(r"\n(\|.*\|\n)+", after).group(0)
    return [re.match(r"\| `([^`]+)`", row).group(1) for row in table.strip().splitlines()[2:]]


def test_the_readme_lists_the_required_article_fields_of_the_contract():
    required = [f.name for f in contract.fields_for(contract.ARTICLE) if contract.ARTICLE in f.required]
    assert readme_table("Required in an article:") == required


def test_the_readme_lists_every_optional_article_field_of_the_contract():
    optional = [f.name for f in contract.fields_for(contract.ARTICLE) if contract.ARTICLE not in f.required]
    assert sorted(readme_table("Optional:")) == sorted(optional)


def test_the_readme_names_the_page_templates_and_static_types_the_contract_allows():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for template in contract.FIELDS_BY_KEY["template"].choices:
        assert f"`{template}`" in text
    for extension in contract.STATIC_TYPES:
        assert extension in text


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
