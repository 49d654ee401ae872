"""The web editor's configuration (plugins/clinic/web_editor.py) agrees with
the content contract and the settings, and is valid by Sveltia CMS's own
JSON schema (node_modules/@sveltia/cms/schema/sveltia-cms.json, the pinned
0.221.1's, checked with fastjsonschema).

Every expectation comes from plugins/clinic/contract.py and the settings:
a collection per content folder, a field per contract field of its kind
(and nothing else but the text and the hidden header), each with the
widget, requirement, limit and choices its type and the contract give;
topics from TOPICS, languages from LANGUAGES; and a change to the contract
(a field added, a kind added, a type nobody knows) changes the
configuration or stops it.
"""

import copy
import dataclasses
import json
import re

import fastjsonschema
import pytest
import yaml
from fixture_site import ROOT
from pelican.settings import read_settings

from clinic import clinic_data, contract, web_editor
from clinic.messages import render

SCHEMA = ROOT / "node_modules" / "@sveltia" / "cms" / "schema" / "sveltia-cms.json"
SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))


@pytest.fixture(scope="module")
def validate():
    return fastjsonschema.compile(json.loads(SCHEMA.read_text(encoding="utf-8")))


def config_for(settings=SETTINGS):
    return web_editor.editor_config(settings)


def by_name(items):
    return {item["name"]: item for item in items}


def text_collections(config):
    """The collections of texts (a folder of entries each): all but the
    clinic's facts, which is a form of one file."""
    return [collection for collection in config["collections"] if "folder" in collection]


def test_a_collection_per_content_folder():
    config = config_for()
    assert [c["name"] for c in text_collections(config)] == list(contract.KIND_OF_FOLDER)
    # ... and after them, the clinic's facts: the form their own contract gives.
    assert config["collections"][len(contract.KIND_OF_FOLDER):] == [clinic_data.editor_collection(SETTINGS)]
    for collection in text_collections(config):
        assert collection["folder"] == f"content/{collection['name']}"
        assert collection["format"] == web_editor.FORMAT
        # No extension: the format's own (0.221.1 refuses md beside a format it does not know).
        assert "extension" not in collection
        # One file per language beside the entry's photos: <slug>/index.<lang>.md.
        assert collection["path"] == "{{slug}}/" + contract.CONTENT_FILE_STEM and collection["i18n"] is True
        # …which Sveltia writes as <path>.<lang>.md (the format's extension): the contract's file name.
        assert f"{collection['path']}.uk{contract.CONTENT_EXTENSION}" == "{{slug}}/" + contract.content_file_name("uk")
        assert collection["media_folder"] == "" and collection["public_folder"] == ""
        assert collection["duplicate"] is False  # a copy would keep the original's Slug line


def expected_widget(spec, kind):
    """What the contract says the field's widget is, by its type."""
    limit = {"maxlength": spec.max_length} if spec.max_length else {}
    if spec.type == "text":
        return {"widget": "string", **limit}
    if spec.type == "markdown":
        return {"widget": "text", **limit}
    if spec.type == "date":
        return {"widget": "datetime", "type": "date", "format": "YYYY-MM-DD"}
    if spec.type == "choice":
        allowed = contract.STATUS_OF[kind] if spec.key == "status" else spec.choices
        return {"widget": "select", "options": list(allowed)}
    if spec.type == "topic":
        return {"widget": "select"}  # options: test_topics_are_the_settings
    if spec.type == "photo":
        return {"widget": "image", "media_folder": "", "public_folder": ""}
    if spec.type == "tags":
        return {"widget": "list"}
    if spec.type in ("lang", "slug"):
        return {"widget": "string", "readonly": True}
    if spec.type == "hash":
        return {"widget": "hidden"}
    if spec.type == "qualifications":
        return {"widget": "string", **limit}
    if spec.type == "locations":
        return {"widget": "select", "multiple": True,
                "options": [location["id"] for location in SETTINGS["LOCATIONS"]]}
    folder = next(folder for folder, each in contract.KIND_OF_FOLDER.items() if each == spec.type)
    return {"widget": "relation", "collection": folder, "value_field": "{{slug}}"}


def test_every_field_of_every_kind_is_in_its_collection_as_the_contract_says_and_nothing_else():
    for collection in text_collections(config_for()):
        kind = contract.KIND_OF_FOLDER[collection["name"]]
        fields = collection["fields"]
        specs = contract.fields_for(kind)
        assert [f["name"] for f in fields] == [spec.key for spec in specs] + [web_editor.BODY_FIELD, web_editor.HEADER_FIELD]
        for spec, field in zip(specs, fields):
            assert field["label"] == spec.name
            assert {key: field.get(key) for key in expected_widget(spec, kind)} == expected_widget(spec, kind), spec.name
            assert ("maxlength" in field) == bool(spec.max_length and field["widget"] in ("string", "text")), spec.name
            assert field["i18n"] == ("duplicate" if spec.same_in_every_language else True), spec.name
            if field["widget"] != "hidden":
                assert field["required"] is (kind in spec.required), spec.name
                # The hint is the contract's help, in Ukrainian (capitalised).
                assert render(spec.help, "uk")[1:] in field["hint"], spec.name
        body, header = fields[-2:]
        assert body["widget"] == "markdown" and body["modes"] == ["raw"]
        assert "!!! urgent" in body["hint"] and "warning" in body["hint"] and "note" in body["hint"]
        assert header == {"name": web_editor.HEADER_FIELD, "widget": "hidden", "i18n": True}


def test_field_names_are_the_contract_keys_and_the_format_spells_new_ones_as_the_contract_does():
    # key-value-format.js writes a field new to a file as its key with a
    # capital first letter: the contract must spell its names so.
    for spec in contract.FIELDS:
        assert spec.name == spec.key[:1].upper() + spec.key[1:], spec.name
    assert web_editor.HEADER_FIELD not in contract.FIELDS_BY_KEY and web_editor.BODY_FIELD not in contract.FIELDS_BY_KEY
    module = (ROOT / "theme" / "admin" / "key-value-format.js").read_text(encoding="utf-8")
    assert f"export const HEADER_KEY = '{web_editor.HEADER_FIELD}';" in module
    assert f"export const BODY_KEY = '{web_editor.BODY_FIELD}';" in module


def test_topics_are_the_settings_in_every_language():
    for collection in text_collections(config_for()):
        for spec in contract.fields_for(contract.KIND_OF_FOLDER[collection["name"]]):
            if spec.type != "topic":
                continue
            options = by_name(collection["fields"])[spec.key]["options"]
            assert {option["value"] for option in options} == {
                names[lang] for names in SETTINGS["TOPICS"].values() for lang in SETTINGS["LANGUAGES"]}
            for option in options:  # each names its language
                assert any(SETTINGS["LANGUAGES"][lang]["name"] in option["label"] for lang in SETTINGS["LANGUAGES"]
                           if option["value"] in {names[lang] for names in SETTINGS["TOPICS"].values()})


def test_a_new_topic_joins_the_options():
    topics = {**SETTINGS["TOPICS"], "neck-pain": {"uk": "Біль у шиї", "en": "Neck pain", "ru": "Боль в шее"}}
    config = config_for({**SETTINGS, "TOPICS": topics})
    values = {option["value"] for option in by_name(config["collections"][0]["fields"])["category"]["options"]}
    assert {"Біль у шиї", "Neck pain", "Боль в шее"} <= values


def test_languages_are_the_settings():
    i18n = config_for()["i18n"]
    assert i18n["structure"] == "multiple_files"
    assert i18n["locales"] == list(SETTINGS["LANGUAGES"])
    assert i18n["default_locale"] == SETTINGS["DEFAULT_LANG"]
    assert i18n["initial_locales"] == [SETTINGS["DEFAULT_LANG"]]


def test_a_new_entry_gets_a_slug_the_contract_allows():
    config = config_for()
    assert config["slug"]["encoding"] == "ascii" and config["slug"]["clean_accents"] and config["slug"]["lowercase"]
    assert config["slug"]["maxlength"] == contract.SLUG_MAX_LENGTH
    for collection in text_collections(config):
        pattern, message = collection["slug"]["pattern"]
        assert re.fullmatch(pattern.strip("^$"), "lumbar-pain") and not re.fullmatch(pattern.strip("^$"), "Lumbar_pain")
        assert pattern == f"^{contract.SLUG.pattern}$" and message
        assert collection["slug"]["editable"] == ["create"]


def test_saving_is_a_pull_request_on_the_repository_of_the_settings():
    config = config_for({**SETTINGS, "EDITOR_REPOSITORY": "clinic/site"})
    assert config["backend"] == {"name": "github", "repo": "clinic/site", "branch": "main", "auth_methods": ["token"]}
    assert config["publish_mode"] == "editorial_workflow"


@pytest.mark.parametrize("value", ["", "clinic", "clinic/site/extra", "clinic/site\n", "https://github.com/clinic/site",
                                   "clinic/ site"])
def test_a_repository_that_is_not_owner_slash_name_is_refused_in_one_sentence(value):
    with pytest.raises(web_editor.EditorConfigError) as refused:
        config_for({**SETTINGS, "EDITOR_REPOSITORY": value})
    assert "EDITOR_REPOSITORY" in str(refused.value) and "\n" not in str(refused.value).strip()


def test_publishing_takes_the_repository_from_github_actions(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://clinic.example")
    monkeypatch.setenv("CALLBACK_ENDPOINT", "https://formspree.io/f/abcdwxyz")
    monkeypatch.setenv("GITHUB_REPOSITORY", "clinic/site")
    assert read_settings(str(ROOT / "publishconf.py"))["EDITOR_REPOSITORY"] == "clinic/site"
    monkeypatch.delenv("GITHUB_REPOSITORY")
    assert read_settings(str(ROOT / "publishconf.py"))["EDITOR_REPOSITORY"] == SETTINGS["EDITOR_REPOSITORY"]


def test_the_configuration_is_valid_by_sveltias_own_schema(validate):
    config = config_for()
    validate(config)
    # It is data: JSON, and YAML that reads back the same.
    assert json.loads(json.dumps(config)) == config
    assert yaml.safe_load(yaml.safe_dump(config, allow_unicode=True)) == config


def test_the_schema_check_can_fail(validate):
    config = config_for()
    for breaking in (
        lambda c: c["collections"][0]["fields"][0].update(required="yes"),
        lambda c: c["collections"][0].pop("folder"),
        lambda c: c["i18n"].update(structure="one_file"),
        lambda c: c["collections"][0]["fields"][0].update(maxlenght=3),
        lambda c: c["backend"].update(auth_methods=["tokens"]),
        lambda c: c.update(publish_mode="pull_request"),
    ):
        broken = copy.deepcopy(config)
        breaking(broken)
        with pytest.raises(fastjsonschema.JsonSchemaException):
            validate(broken)


def test_a_field_added_to_the_contract_joins_the_editor(monkeypatch, validate):
    added = contract.Field("Duration", (contract.ARTICLE,), (contract.ARTICLE,), "text",
                           contract.FIELDS_BY_KEY["title"].help, 30)
    monkeypatch.setattr(contract, "FIELDS", [*contract.FIELDS, added])
    config = config_for()
    field = by_name(config["collections"][0]["fields"])["duration"]
    assert field["widget"] == "string" and field["maxlength"] == 30 and field["required"] is True
    assert "duration" not in by_name(config["collections"][1]["fields"])
    validate(config)


def test_a_new_kind_of_content_joins_the_editor_and_fields_naming_it_become_relations(monkeypatch, validate):
    person = "person"
    monkeypatch.setattr(contract, "KIND_OF_FOLDER", {**contract.KIND_OF_FOLDER, "people": person})
    fields = [dataclasses.replace(spec, kinds=(*spec.kinds, person), required=(*spec.required, person))
              if spec.key == "title" else spec for spec in contract.FIELDS]
    fields.append(contract.Field("Reviewed_by", (contract.ARTICLE,), (), person, contract.FIELDS_BY_KEY["title"].help))
    monkeypatch.setattr(contract, "FIELDS", fields)
    config = config_for()
    people = by_name(config["collections"])["people"]
    assert people["folder"] == "content/people" and [f["name"] for f in people["fields"]][0] == "title"
    relation = by_name(by_name(config["collections"])["articles"]["fields"])["reviewed_by"]
    assert relation["widget"] == "relation" and relation["collection"] == "people"
    validate(config)


def test_a_field_type_the_editor_does_not_know_stops_the_configuration(monkeypatch):
    unknown = contract.Field("Mood", (contract.ARTICLE,), (), "colour", contract.FIELDS_BY_KEY["title"].help)
    monkeypatch.setattr(contract, "FIELDS", [*contract.FIELDS, unknown])
    with pytest.raises(web_editor.EditorConfigError, match="Mood.*colour"):
        config_for()
