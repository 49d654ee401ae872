"""The clinic's facts, content/clinic.yaml: checked like content, read into
the settings, shown on the site, and offered to the web editor as a form.

Expectations come from the file and the contract (clinic_data.FACTS),
never from today's values: a test that needs other facts writes its own.
"""

import json
import os
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from fixture_site import ROOT, copy_project, run_invoke, soup
from pelican.settings import read_settings
from ruamel.yaml import YAML
from test_content_checks import HOMES, VALID_UK, assert_errors, assert_stopped, build

from clinic import clinic_data, contract, languages, messages, structured_data
from clinic.messages import _e

LANGUAGES = read_settings(str(ROOT / "pelicanconf.py"))["LANGUAGES"]
FACTS_FILE = ROOT / "content" / clinic_data.FILE_NAME
SVELTIA_SCHEMA = ROOT / "node_modules/@sveltia/cms/schema/sveltia-cms.json"


def facts_of(path=FACTS_FILE):
    facts, problems = clinic_data.read_facts(path, LANGUAGES)
    assert problems == [], [(problem.line, problem.message.render("en")) for problem in problems]
    return clinic_data.plain(facts)


def yaml_text(facts):
    """`facts` as a YAML 1.2 writer with plain scalars writes them, as
    Sveltia CMS does (the `yaml` package: indent 2, sequences indented, no
    line folding, plain wherever YAML 1.2 reads the text back as text,
    single quotes elsewhere); comments are gone."""
    writer = YAML(typ="rt")
    writer.version = None  # no %YAML directive, as Sveltia writes none
    writer.width = 10**6
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.default_flow_style = False
    out = StringIO()
    writer.dump(facts, out)
    return out.getvalue()


# --- Today's file -----------------------------------------------------------------


def test_the_file_has_no_problems_and_pelicanconf_reads_its_facts_into_the_settings():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    facts = facts_of()
    assert settings["CLINIC_NAME"] == facts["name"]
    assert settings["SITENAME"] == facts["name"][settings["DEFAULT_LANG"]]
    assert settings["PHONE"] == facts["phone"]
    assert settings["OPENING_HOURS"] == facts.get("opening_hours", [])
    assert settings["LOCATIONS"] == facts["locations"]
    assert settings["TOPICS"] == {topic["slug"]: topic["name"] for topic in facts["topics"]}
    assert Path(settings["CLINIC_DATA_SOURCE"]).samefile(FACTS_FILE)


def test_the_day_codes_are_the_ones_the_pages_and_json_ld_know():
    assert list(clinic_data.DAYS) == languages.WEEKDAY_CODES == list(structured_data.DAYS)


# --- Written by another YAML writer --------------------------------------------------


def test_the_file_as_a_yaml_1_2_writer_writes_it_reads_back_equal(tmp_path):
    facts = facts_of()
    rewritten = yaml_text(facts)
    assert rewritten != FACTS_FILE.read_text(encoding="utf-8")  # another style: no comments, other quotes
    (tmp_path / "rewritten.yaml").write_text(rewritten, encoding="utf-8")
    assert facts_of(tmp_path / "rewritten.yaml") == facts


def test_values_that_yaml_1_1_would_read_as_booleans_numbers_or_times_stay_text(tmp_path):
    """Norway's code, `on`, `09:00` (YAML 1.1: 540) and a phone number are
    left unquoted by a YAML 1.2 writer: they are still the text they look
    like, and so is every value written unquoted by hand."""
    facts = facts_of()
    facts["locations"][0]["country"] = "NO"
    facts["topics"][0]["name"] = {lang: value for lang, value in zip(LANGUAGES, ("on", "yes", "no"))}
    facts["opening_hours"] = [{"days": ["Mo", "Tu"], "opens": "09:00", "closes": "17:30"}]
    written = yaml_text(facts)
    assert re.search(r"^\s+country: NO$", written, re.MULTILINE), written
    assert re.search(r"^\s+opens: 09:00$", written, re.MULTILINE), written
    (tmp_path / "plain.yaml").write_text(written, encoding="utf-8")
    assert facts_of(tmp_path / "plain.yaml") == facts
    by_hand = re.sub(r"'(\+[0-9]+)'", r"\1", written)  # the phone unquoted: YAML 1.2 would read a number
    assert by_hand != written
    (tmp_path / "by-hand.yaml").write_text(by_hand, encoding="utf-8")
    assert facts_of(tmp_path / "by-hand.yaml") == facts


# --- Problems, each at its line --------------------------------------------------------

BROKEN = """\
name:
  uk: Клініка
  en: ''
phone:
  tel: 380970552200
  display: (097) 055-22-00
opening_hours:
  - days: [Mo, Tu, Mo, Xx]
    opens: 9:00
    closes: '08:00'
  - days: [We]
    opens: '18:00'
    closes: '09:00'
locations:
  - id: Uzhvii
    street: {uk: Вулиця, en: Street, ru: Улица}
    city: {uk: Київ, en: Kyiv, ru: Киев}
    country: ua
    map_url: javascript:alert(1)
  - id: other
    street: {uk: Вулиця, en: Street, ru: Улица}
    city: Kyiv
    country: UA
    map_url: https://user@maps.example/x
    floor: 3
topics:
  - slug: back-pain
    name: {uk: Біль у спині, en: Back pain, ru: Боль в спине}
  - slug: back-pain
    name: {uk: Шия, en: Neck, ru: Шея}
  - slug: neck
    name: {uk: "Шия\\u200b", en: Neck, ru: Шея}
  - slug: long
    name: {uk: LONG, en: Long, ru: Long}
  - slug: shoulder
    name: {uk: Плече, en: Back pain, ru: Плечо}
topic: []
"""
BROKEN_PROBLEMS = [
    (2, "name › ru is missing"),
    (3, "name › en is empty"),
    (5, "phone › tel is “380970552200”, which is not a number in international form"),
    (8, "opening_hours › 1 › days › 4 is “Xx”"),
    (8, "opening_hours › 1 › days: “Mo” is here twice"),
    (9, "opening_hours › 1 › opens is “9:00”, which is not a time as hours:minutes"),
    (13, "opening_hours › 2: it closes at 09:00, not after it opens at 18:00"),
    (15, "locations › 1 › id is “Uzhvii”, which is not a short name"),
    (18, "locations › 1 › country is “ua”, which is not a two-letter country code"),
    (19, "locations › 1 › map_url is “javascript:alert(1)”, which does not start with https://"),
    (22, "locations › 2 › city must be named values"),
    (24, "locations › 2 › map_url is “https://user@maps.example/x”, which has no host name"),
    (25, "locations › 2 › floor is not a name used here"),
    (29, "topics: “back-pain” is here twice (also at line 27)"),
    (32, "topics › 3 › name › uk holds U+200B"),
    (34, "topics › 4 › name › uk is 61 characters long; the limit is 60"),
    (35, "topics › 5 › name › en: “Back pain” is here twice (also at line 27)"),
    (37, "topic is not a name used here. Use one of: name, phone, opening_hours, locations, topics"),
]


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """One build of a site whose clinic.yaml has every kind of problem, and
    an article with one of its own."""
    text = BROKEN.replace("LONG", "Д" * 61)
    files = {**HOMES, "clinic.yaml": text,
             f"articles/neck-pain/{contract.content_file_name('uk')}": VALID_UK.replace("Title: Біль у шиї", "Title:")}
    return build(tmp_path_factory.mktemp("broken"), files)


def test_every_problem_of_the_file_is_named_at_its_line_with_the_article_s_in_one_run(broken):
    assert_stopped(broken)
    assert_errors(broken, [("clinic.yaml", line, message) for line, message in BROKEN_PROBLEMS], "clinic.yaml")
    assert broken.errors_of(f"articles/neck-pain/{contract.content_file_name('uk')}"), broken.errors  # the article's problem too


def test_the_phone_s_two_forms_must_be_one_number(tmp_path):
    text = FACTS_FILE.read_text(encoding="utf-8")
    display = facts_of()["phone"]["display"]
    changed = display[:-1] + ("1" if display[-1] != "1" else "2")
    built = build(tmp_path, {**HOMES, "clinic.yaml": text.replace(display, changed)})
    line = text[: text.index(display)].count("\n") + 1
    assert_stopped(built)
    assert_errors(built, [("clinic.yaml", line, f"{changed} and")], "clinic.yaml")


@pytest.mark.parametrize("text, line, message", [
    ("name:\n  uk: a\n\ten: b\n", 3, "found character '\\t'"),
    ("name:\n  uk: a: b\n", 2, "mapping values are not allowed here"),
    ("name:\n  uk: a\nname:\n  uk: b\n", 3, "found duplicate key"),
    ("- name\n", 1, "clinic.yaml must be named values"),
    ("", 1, "clinic.yaml must be named values"),
    ("phone: !!int 5\n", 1, "phone must be named values"),
    ("topics:\n  - slug: !!int 5\n", 2, "topics › 1 › slug must be text"),
    ("topics: []\n", 1, "topics needs at least 1 item"),
])
def test_a_file_yaml_cannot_read_or_of_the_wrong_shape_is_one_line_with_its_place(tmp_path, text, line, message):
    (tmp_path / "clinic.yaml").write_text(text, encoding="utf-8")
    facts, problems = clinic_data.read_facts(tmp_path / "clinic.yaml", LANGUAGES)
    found = [(problem.line, problem.message.render("en")) for problem in problems]
    assert any(at == line and message in said for at, said in found), found


def test_a_missing_file_a_file_not_in_utf_8_and_a_link_are_named(tmp_path):
    cases = {"missing.yaml": (1, "this file is missing")}
    (tmp_path / "latin1.yaml").write_bytes("name:\n  uk: Київ\n".encode("cp1251"))
    cases["latin1.yaml"] = (2, "this line is not UTF-8 text")
    (tmp_path / "link.yaml").symlink_to(FACTS_FILE)
    cases["link.yaml"] = (1, "this is a link to another file or folder")
    for name, (line, message) in cases.items():
        facts, problems = clinic_data.read_facts(tmp_path / name, LANGUAGES)
        assert facts == {}
        assert [(problem.line, message in problem.message.render("en")) for problem in problems] == [(line, True)]
    settings = clinic_data.settings_of({}, LANGUAGES)  # what pelicanconf.py gets then: every setting, empty
    assert settings["CLINIC_NAME"] == {lang: "" for lang in LANGUAGES} and settings["TOPICS"] == {}


def test_the_content_folder_takes_this_one_yaml_file_at_its_root_and_no_other(tmp_path):
    text = FACTS_FILE.read_text(encoding="utf-8")
    built = build(tmp_path, {**HOMES, "clinic.yaml": text, "other.yaml": text,
                             f"articles/neck-pain/{contract.content_file_name('uk')}": VALID_UK, "articles/neck-pain/clinic.yaml": text},
                  TOPICS={})
    assert_stopped(built)
    assert [error.split(":")[0] for error in built.errors] == ["content/articles/neck-pain/clinic.yaml",
                                                               "content/other.yaml"]
    assert built.errors[1].endswith(f", {clinic_data.FILE_NAME}: the site does not use this. Move it there, or "
                                    f"delete it."), built.errors[1]


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_yaml_syntax_error_stops_invoke_at_its_line_without_a_traceback(tmp_path, command):
    project = copy_project(tmp_path)
    facts_file = project / "content" / clinic_data.FILE_NAME
    lines = facts_file.read_text(encoding="utf-8").splitlines()
    broken_line = next(number for number, text in enumerate(lines, start=1) if text.startswith("  - "))
    lines[broken_line - 1] = "\t" + lines[broken_line - 1]  # a tab, as a text editor may put it
    facts_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ran = run_invoke(project, command, environment={"EDITOR_LANGUAGE": "en"})
    printed = ran.stdout + ran.stderr
    assert ran.returncode == 1, printed
    assert "Traceback" not in printed
    assert re.search(rf"^content/clinic\.yaml:{broken_line}: this line cannot be read as YAML \(.*\\t",
                     printed, re.MULTILINE), printed
    assert not (project / "output").exists()


# --- On the site -------------------------------------------------------------------------------

NEW_TOPIC = {"slug": "neck-pain", "name": {"uk": "Біль у шиї", "en": "Neck pain", "ru": "Боль в шее"}}


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A copy of the project with a new topic in clinic.yaml (no Python
    touched) and an article about it in every language, built by `invoke
    build`."""
    project = copy_project(tmp_path_factory.mktemp("grown"))
    facts_file = project / "content" / clinic_data.FILE_NAME
    facts_file.write_text(facts_file.read_text(encoding="utf-8") + (
        f"  - slug: {NEW_TOPIC['slug']}\n    name:\n"
        + "".join(f"      {lang}: {name}\n" for lang, name in NEW_TOPIC["name"].items())), encoding="utf-8")
    folder = project / "content" / "articles" / "stiff-neck"
    folder.mkdir()
    for lang, name in NEW_TOPIC["name"].items():
        (folder / contract.content_file_name(lang)).write_text(
            f"Title: {name}: stiff neck\nDate: 2026-01-15\nCategory: {name}\nSummary: A stiff neck, in {lang}.\n\n"
            f"What helps a stiff neck.\n", encoding="utf-8")
    ran = run_invoke(project, "build", environment={"EDITOR_LANGUAGE": "en"})
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return project


def test_a_topic_added_to_the_file_has_its_pages_in_every_language(grown):
    output = grown / "output"
    for lang, name in NEW_TOPIC["name"].items():
        prefix = "" if lang == "uk" else f"{lang}/"
        page = soup(output / f"{prefix}category/{NEW_TOPIC['slug']}/index.html")
        assert page.html["lang"] == lang
        assert name in page.h1.get_text()
        assert page.select(f"a[href$='/{prefix}stiff-neck/']"), lang
        article = soup(output / f"{prefix}stiff-neck/index.html")
        assert article.select(f"a[href$='/{prefix}category/{NEW_TOPIC['slug']}/']"), lang


def test_the_pages_show_the_file_s_phone_and_locations(grown):
    facts = facts_of(grown / "content" / clinic_data.FILE_NAME)
    output = grown / "output"
    for lang in LANGUAGES:
        prefix = "" if lang == "uk" else f"{lang}/"
        for page in (soup(output / f"{prefix}index.html"), soup(output / f"{prefix}contacts/index.html")):
            call = page.select_one(f"header a[href='tel:{facts['phone']['tel']}']")
            assert call is not None and facts["phone"]["display"] in call.get_text()
            graph = [node for script in page.select("script[type='application/ld+json']")
                     for node in json.loads(script.string).get("@graph", [])]
            clinics = [node for node in graph if node["@type"] == "MedicalClinic"]
            assert [(clinic["@id"].rsplit("#location-", 1)[1], clinic["address"]["streetAddress"],
                     clinic["address"]["addressLocality"], clinic["address"]["addressCountry"], clinic["hasMap"])
                    for clinic in clinics] == [
                (location["id"], location["street"][lang], location["city"][lang], location["country"],
                 location["map_url"]) for location in facts["locations"]]
            organization = next(node for node in graph if node["@type"] == "MedicalOrganization")
            assert organization["name"] == facts["name"][lang]


def test_the_preview_takes_a_change_of_the_file_without_a_restart(tmp_path):
    """`make serve`: an edit of clinic.yaml is an edit of the settings: read
    again, and the whole site built with them."""
    pytest.importorskip("watchfiles")
    if not hasattr(os, "fork"):
        pytest.skip("the quick preview forks (Linux, macOS)")
    from tasks.preview_server import Preview

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    preview = Preview(content, tmp_path / "preview", {})
    preview.start()
    facts_file = content / clinic_data.FILE_NAME
    display = facts_of(facts_file)["phone"]["display"]
    spaced = display.replace("-", " ")
    assert spaced != display
    facts_file.write_text(facts_file.read_text(encoding="utf-8").replace(display, spaced), encoding="utf-8")
    preview.content_changed()
    assert preview.failure is None
    assert preview.settings["PHONE"]["display"] == spaced
    header = soup(tmp_path / "preview" / "index.html").select_one("header a[href^='tel:']")
    assert spaced in header.get_text()
    # A broken save: its problem at its line is what the browser's overlay
    # shows (Preview.failure), over the last good site.
    facts_file.write_text(facts_file.read_text(encoding="utf-8").replace("phone:", "phone: [", 1), encoding="utf-8")
    preview.content_changed()
    assert preview.failure is not None
    assert any(error.startswith(f"content/{clinic_data.FILE_NAME}:") for error in preview.failure["errors"]), \
        preview.failure
    assert spaced in soup(tmp_path / "preview" / "index.html").select_one("header a[href^='tel:']").get_text()


# --- The web editor's form ------------------------------------------------------------------


def contract_paths(spec, path=()):
    """Every key of the contract, as a path of names ("*" for a language)."""
    if isinstance(spec, clinic_data.PerLanguage):
        return [(*path, "*")]
    if isinstance(spec, clinic_data.Group):
        return [found for key in spec.keys for found in [(*path, key.name), *contract_paths(key.value, (*path, key.name))]]
    if isinstance(spec, clinic_data.ListOf):
        return contract_paths(spec.item, path)
    return []


def form_paths(fields, path=()):
    found = []
    for field in fields:
        names = (*path, field["name"])
        if field.get("fields") and {sub["name"] for sub in field["fields"]} == set(LANGUAGES):
            found += [names, (*names, "*")]
        else:
            found += [names, *form_paths(field.get("fields", []), names)]
    return found


def test_the_form_has_every_key_of_the_contract_and_nothing_else():
    collection = clinic_data.editor_collection(read_settings(str(ROOT / "pelicanconf.py")))
    (file,) = collection["files"]
    assert file["file"] == "content/clinic.yaml" and file["format"] == "yaml"
    assert sorted(form_paths(file["fields"])) == sorted(contract_paths(clinic_data.FACTS))


def test_the_form_s_patterns_accept_today_s_values_and_it_speaks_the_editor_s_language():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    facts = facts_of()
    previous = messages.language()
    try:
        for lang in messages.EDITOR_LANGUAGES:
            messages.use_language(environment={messages.SETTING: lang})
            (file,) = clinic_data.editor_collection(settings)["files"]
            assert file["label"] == _e("The clinic's facts").render(lang)
    finally:
        messages.use_language(environment={messages.SETTING: previous})

    def check(fields, value):
        for field in fields:
            inner = value.get(field["name"]) if isinstance(value, dict) else None
            if inner is None:
                continue
            items = inner if field["widget"] == "list" else [inner]
            for item in items:
                if "pattern" in field:
                    assert re.fullmatch(field["pattern"][0], item), (field["name"], item)
                if "maxlength" in field:
                    assert len(item) <= field["maxlength"]
                if field["widget"] == "select":
                    assert set(item if field.get("multiple") else [item]) <= set(field["options"])
                check(field.get("fields", []), item)

    check(clinic_data.editor_collection(settings)["files"][0]["fields"], facts)


def schema_errors(value, schema, definitions, where="config"):
    """The places where `value` breaks the JSON Schema (draft-07) `schema`:
    the parts of it Sveltia's schema uses ($ref, anyOf, type, const, enum,
    not, properties, additionalProperties, required, items, minItems,
    maxItems)."""
    if "$ref" in schema:
        return schema_errors(value, definitions[schema["$ref"].rsplit("/", 1)[1]], definitions, where)
    if "anyOf" in schema:
        every = [schema_errors(value, option, definitions, where) for option in schema["anyOf"]]
        return [] if any(not errors for errors in every) else min(every, key=len)
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "number": (int, float), "integer": int}
    wanted = schema.get("type")
    if wanted and not any(isinstance(value, kinds[kind]) and not (kind in ("number", "integer") and isinstance(value, bool))
                          for kind in ([wanted] if isinstance(wanted, str) else wanted)):
        return [f"{where}: not {wanted}"]
    if "const" in schema and value != schema["const"]:
        return [f"{where}: not {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: not one of {schema['enum']}"]
    if "not" in schema and not schema_errors(value, schema["not"], definitions, where):
        return [f"{where}: what it must not be"]  # a custom widget's name is none of the built-in ones
    errors = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [f"{where}: no {name}" for name in schema.get("required", []) if name not in value]
        for name, item in value.items():
            if name in properties:
                errors += schema_errors(item, properties[name], definitions, f"{where}.{name}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: {name} is not an option")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            errors.append(f"{where}: {len(value)} items")
        items = schema.get("items")
        for index, item in enumerate(value):
            item_schema = items[index] if isinstance(items, list) else items
            if item_schema:
                errors += schema_errors(item, item_schema, definitions, f"{where}[{index}]")
    return errors


@pytest.mark.skipif(not SVELTIA_SCHEMA.exists(), reason="npm ci installs Sveltia CMS's schema")
def test_the_form_is_a_files_collection_sveltia_s_own_schema_accepts():
    schema = json.loads(SVELTIA_SCHEMA.read_text(encoding="utf-8"))
    collection = clinic_data.editor_collection(read_settings(str(ROOT / "pelicanconf.py")))
    definitions = schema["definitions"]
    assert schema_errors(collection, {"$ref": "#/definitions/FileCollection"}, definitions) == []
    broken = json.loads(json.dumps(collection))  # the check can fail: an option a string field does not have
    tel = next(field for field in broken["files"][0]["fields"][1]["fields"] if field["name"] == "tel")
    tel["maxlenght"] = tel.pop("maxlength")
    assert schema_errors(broken, {"$ref": "#/definitions/FileCollection"}, definitions) != []


# --- The editors' guides ---------------------------------------------------------------------

GUIDE_SECTIONS = {"uk": "## Дані клініки", "en": "## The clinic's facts"}


@pytest.mark.parametrize("lang", GUIDE_SECTIONS)
def test_the_guide_s_section_names_every_key_of_the_file(lang):
    guide = (ROOT / "docs" / f"editors-guide.{lang}.md").read_text(encoding="utf-8")
    start = guide.index(f"\n{GUIDE_SECTIONS[lang]}\n")
    section = guide[start:guide.index("\n## ", start + 1)]
    names = {name for path in contract_paths(clinic_data.FACTS) for name in path if name != "*"}
    assert {name for name in names if f"`{name}`" not in section} == set()
    assert all(f"`{day}`" in section for day in clinic_data.DAYS)
