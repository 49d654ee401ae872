"""The web editor's file format (theme/admin/key-value-format.js, run by node).

* Every content file (content/**/*.md, whatever is there) read and written
  back comes back byte for byte: called directly, and through what Sveltia
  CMS 0.221.1 does around the format when an entry is opened and saved
  unchanged (format_driver.py).
* A change the editor makes changes only its own lines: a changed field
  its line, an emptied one loses its line, a new one is one new line where
  the contract's order puts it.
* Hypothesis: any text at all round-trips (line ends of every kind, a
  byte-order mark, odd header lines); and files written from generated
  fields, new or edited, are read by our reader (the one Pelican's builds
  use, in-process, on a fixture content folder) with the values given,
  and a fixture site of such files builds.
"""

import difflib
import io
import os
import re

import pytest
from conftest import CONTENT_PATH
from fixture_site import ROOT, build_fixture_site
from format_driver import FormatModule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings
from PIL import Image

from clinic import contract, web_editor
from clinic.build import STATE_SETTING, build_state
from clinic.reader import ContentReader
from clinic.report import ContentProblems
from clinic.web_editor import choices_for

EXAMPLES = settings(max_examples=int(os.environ.get("FORMAT_EXAMPLES", "300")), deadline=None, database=None,
                    derandomize=os.environ.get("CI") == "true",
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Files read by the reader: each example reads two (as written, as edited).
READ_EXAMPLES = settings(EXAMPLES, max_examples=int(os.environ.get("FORMAT_READ_EXAMPLES", "40")))
SITE_SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
CONFIG = web_editor.editor_config(SITE_SETTINGS)
FIELDS_OF = {collection["name"]: collection["fields"] for collection in CONFIG["collections"]
             if "folder" in collection}  # the texts' collections (not the clinic's facts: YAML)


@pytest.fixture(scope="module")
def module():
    node = FormatModule()
    yield node
    node.close()


def content_files():
    files = sorted(CONTENT_PATH.rglob(f"*{contract.CONTENT_EXTENSION}"))
    assert files and {folder_of(path) for path in files} <= set(FIELDS_OF), files
    return files


def folder_of(path):
    return path.relative_to(CONTENT_PATH).parts[0]


def changed_lines(before, after):
    """[(line removed or None, line added or None)], as a diff pairs them."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(True), b=after.splitlines(True), autojunk=False)
    pairs = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            old, new = matcher.a[a1:a2], matcher.b[b1:b2]
            pairs += [(o, n) for o, n in zip(old + [None] * (len(new) - len(old)), new + [None] * (len(old) - len(new)))]
    return pairs


def test_every_content_file_comes_back_byte_for_byte(module):
    for path in content_files():
        text = path.read_bytes().decode("utf-8")
        assert module.call("roundTrip", text).encode("utf-8") == path.read_bytes(), path


def test_every_content_file_comes_back_byte_for_byte_as_the_editor_saves_it_unchanged(module):
    for path in content_files():
        text = path.read_bytes().decode("utf-8")
        saved = module.call("asTheEditorSaves", text, FIELDS_OF[folder_of(path)], {})
        assert saved.encode("utf-8") == path.read_bytes(), path


def test_a_changed_field_changes_its_line_only(module):
    for path in content_files():
        text = path.read_text(encoding="utf-8")
        fields = FIELDS_OF[folder_of(path)]
        read = module.call("fromFile", text)
        for name in (field["name"] for field in fields
                     if field["name"] in read and field["widget"] != "hidden" and field["name"] != web_editor.BODY_FIELD):
            saved = module.call("asTheEditorSaves", text, fields, {name: "Нове значення"})
            [(old, new)] = changed_lines(text, saved)
            assert re.match(rf"{name}:", old, re.I) and new == old[:old.index(":") + 1] + " Нове значення\n", (path, old, new)


def test_an_emptied_field_loses_its_line_and_a_new_one_goes_where_the_contract_puts_it(module):
    for path in content_files():
        text = path.read_text(encoding="utf-8")
        fields = FIELDS_OF[folder_of(path)]
        read = module.call("fromFile", text)
        optional = [field for field in fields if not field.get("required", True) and field["widget"] == "string"
                    and not field.get("readonly")]
        for field in optional:
            name = field["name"]
            saved = module.call("asTheEditorSaves", text, fields, {name: "" if name in read else "Нове"})
            [(old, new)] = changed_lines(text, saved)
            if name in read:
                assert new is None and old.lower().startswith(f"{name}:"), (path, old)
                continue
            assert old is None and new == f"{contract.FIELDS_BY_KEY[name].name}: Нове\n", (path, new)
            # After the nearest field before it in the contract's order that the file has.
            names = [each["name"] for each in fields]
            before = [each for each in names[:names.index(name)] if each in read]
            lines = saved.splitlines()
            at = lines.index(new.rstrip("\n"))
            if before:
                previous = [n for n, line in enumerate(lines[:at]) if line.lower().startswith(f"{before[-1]}:")]
                assert previous and all(not re.match(r"[A-Za-z0-9_-]+:", line) for line in lines[previous[0] + 1:at]
                                        ), (path, name, lines[:at + 1])
            else:
                assert at == 0, (path, name)


# --- Any text comes back as it was ------------------------------------------------------------

KEYS = [field.name for field in contract.FIELDS] + ["X-unknown", "9"]
header_lines = st.one_of(
    st.tuples(st.sampled_from(KEYS).map(lambda key: key if len(key) < 3 else key.upper()) | st.sampled_from(KEYS),
              st.sampled_from(["", " ", "  ", "   "]), st.sampled_from([":", ": ", ":  ", ":\t", " :"]),
              st.text(max_size=12)).map(lambda parts: parts[1] + parts[0] + parts[2] + parts[3]),
    st.sampled_from(["    continued", "\tcontinued", "  ", "", "---", "...", "-- -", "Not a field", "\ufeffTitle: x"]),
    st.text(max_size=20),
)
line_ends = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def any_files(draw):
    lines = draw(st.lists(header_lines, max_size=12))
    ends = draw(st.one_of(line_ends.map(lambda end: [end] * len(lines)), st.lists(line_ends, min_size=len(lines),
                                                                                 max_size=len(lines))))
    text = "".join(line + end for line, end in zip(lines, ends))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no line end at the end
    return draw(st.sampled_from(["", "\ufeff"])) + text + draw(st.text(max_size=30))


def test_any_text_comes_back_as_it_was(module):
    @EXAMPLES
    @given(text=any_files())
    def round_trip(text):
        assert module.call("roundTrip", text) == text

    round_trip()


def fields_read(module, text):
    read = module.call("fromFile", text)
    return {key: value for key, value in read.items() if key not in (web_editor.BODY_FIELD, web_editor.HEADER_FIELD)}


def test_an_edit_to_any_file_changes_that_field_and_nothing_else(module):
    @EXAMPLES
    @given(text=any_files(), edits=st.dictionaries(st.sampled_from([field.key for field in contract.FIELDS]),
                                                   st.one_of(st.just(""), ordinary), max_size=3))
    def edit(text, edits):
        opened = module.call("fromFile", text)
        saved = module.call("toFile", {**opened, **edits})
        # An emptied field is gone; one left as it was stays (empty, too).
        expected = fields_read(module, text)
        for key, value in edits.items():
            if value:
                expected[key] = value
            elif expected.get(key):
                del expected[key]
        assert fields_read(module, saved) == expected, saved
        # The text is the same, but for a line ending the new fields before it.
        assert module.call("fromFile", saved)["body"].removeprefix("\n") == opened["body"].lstrip("\r\n") \
            or module.call("fromFile", saved)["body"] == opened["body"], saved

    edit()


# --- What it writes, our reader reads ----------------------------------------------------------

ordinary = st.text(st.one_of(st.characters(categories=["L", "N"]), st.sampled_from(list(" .,;?!–—«»’()№°₴%+="))),
                   min_size=1, max_size=40).map(str.strip).filter(lambda text: text and contract.UNFINISHED not in text
                                                                     and any(c.isalnum() for c in text))
PHOTO = "photo.jpg"


def value_of(spec, kind, lang):
    """A strategy of valid values for the field `spec` in a file of `kind` in `lang`."""
    text = ordinary.map(lambda value: value[:spec.max_length] if spec.max_length else value).map(str.strip)
    strategies = {
        "text": text,
        "markdown": text.map(lambda value: ("Про " + value)[:spec.max_length].strip()),
        "date": st.dates(min_value=__import__("datetime").date(2000, 1, 1),
                         max_value=__import__("datetime").date(2026, 11, 1)).map(str),
        "choice": st.sampled_from([value for value in choices_for(spec, kind) if value != "draft"]),
        "topic": st.sampled_from([names[lang] for names in SITE_SETTINGS["TOPICS"].values()]),
        "tags": st.lists(st.text(st.characters(categories=["L"]), min_size=1, max_size=8), min_size=1, max_size=4),
        "hash": st.from_regex(contract.TEXT_VERSION, fullmatch=True),
        "lang": st.just(lang),
        "slug": st.just("gen"),
        "photo": st.just(PHOTO),
        "qualifications": st.sampled_from(["Диплом масажиста — Київський медичний коледж, 2015",
                                           "Diploma — College, 2010; Certificate — Association, 2020"]),
        "locations": st.lists(st.sampled_from([location["id"] for location in SITE_SETTINGS["LOCATIONS"]]),
                              min_size=1, unique=True),
    }
    return strategies[spec.type]


@st.composite
def field_values(draw, kind, lang):
    """{key: value}: the required fields of `kind`, and some others."""
    values = {}
    for spec in contract.fields_for(kind):
        if spec.key in ("translation", "translated_from", "picture", "picture_alt") or spec.type == contract.PERSON:
            continue  # they need another file (a person's: tests/plugins/test_people.py), or each other (below)
        if kind in spec.required or draw(st.booleans()):
            values[spec.key] = draw(value_of(spec, kind, lang))
    if kind == contract.ARTICLE and draw(st.booleans()):
        values["picture"] = PHOTO
        values["picture_alt"] = draw(value_of(contract.FIELDS_BY_KEY["picture_alt"], kind, lang))
    return values


def as_read(spec, value):
    """A value as the reader keeps it (SourceFile.values)."""
    if isinstance(value, list):
        value = ", ".join(value)
    return " ".join(value.split()) if spec.type == "markdown" else value.strip()


def path_for(folder, slug, lang):
    """Where the file of `slug` in `lang` goes, as the contract names it."""
    path = f"{folder}/{slug}/{contract.content_file_name(lang)}"
    assert re.fullmatch(contract.PATH_METADATA, path), path
    return path


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("format")
    content = root / "content"
    for folder in contract.KIND_OF_FOLDER:
        (content / folder / "gen").mkdir(parents=True)
    pelican_settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content.resolve()), "OUTPUT_PATH": str(root / "output"), "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")], "CACHE_PATH": str(root / "cache"), "STATIC_PATHS": [],
        "EXTRA_PATH_METADATA": {}, "CONTENT_CHECK_DATE": "2026-11-23"})
    photo = io.BytesIO()
    Image.effect_noise((1200, 800), 40).convert("RGB").save(photo, "JPEG", quality=80)
    (content / "articles" / "gen" / PHOTO).write_bytes(photo.getvalue())
    return pelican_settings, content


def read_back(reader_site, relative, text):
    """The values our reader keeps for `text` at content/`relative`, or the problems it names."""
    pelican_settings, content = reader_site
    path = (content / relative).resolve()
    for other in path.parent.glob(f"*{contract.CONTENT_EXTENSION}"):
        other.unlink()  # an example's file only: another language's would be its original
    path.write_bytes(text.encode("utf-8"))
    pelican_settings.pop(STATE_SETTING, None)
    try:
        ContentReader(pelican_settings).read(str(path))
    except ContentProblems:
        return [str(error) for error in build_state(pelican_settings).report.errors]
    return build_state(pelican_settings).sources[str(path)].values


KINDS = [(folder, kind) for folder, kind in contract.KIND_OF_FOLDER.items() if kind in (contract.ARTICLE, contract.PAGE)]


@pytest.mark.parametrize("folder,kind", KINDS)
def test_what_it_writes_is_read_with_the_values_given(module, reader_site, folder, kind):
    @READ_EXAMPLES
    @given(data=st.data(), lang=st.sampled_from(list(SITE_SETTINGS["LANGUAGES"])))
    def write_and_read(data, lang):
        values = data.draw(field_values(kind, lang))
        text = module.call("toFile", {**values, "body": "Текст статті.\n\nДругий абзац."})
        expected = {key: as_read(contract.FIELDS_BY_KEY[key], value) for key, value in values.items()}
        assert read_back(reader_site, path_for(folder, "gen", lang), text) == expected, text
        assert module.call("roundTrip", text) == text
        # Edited: every field given a new value, or emptied if it may be.
        edits = data.draw(field_values(kind, lang))
        opened = module.call("fromFile", text)
        edited = {**opened, **{key: "" for key in values if key not in edits}, **edits}
        saved = module.call("toFile", edited)
        assert read_back(reader_site, path_for(folder, "gen", lang), saved) == {
            key: as_read(contract.FIELDS_BY_KEY[key], value) for key, value in edits.items()}, saved
        assert saved.endswith("\n\nТекст статті.\n\nДругий абзац.\n"), saved

    write_and_read()


def test_a_site_of_files_it_wrote_builds(module, tmp_path):
    files = {}
    for lang in SITE_SETTINGS["LANGUAGES"]:
        topic = next(iter(SITE_SETTINGS["TOPICS"].values()))[lang]
        files[path_for("articles", "written-by-the-editor", lang)] = module.call("toFile", {
            "title": f"Стаття {lang}", "date": "2026-11-01", "category": topic, "summary": "Про що стаття.",
            "tags": ["шия", "масаж"], "body": "Текст.\n\n!!! note \"Примітка\"\n    Текст примітки.\n"})
    output = build_fixture_site(tmp_path, files, TOPICS=SITE_SETTINGS["TOPICS"])
    built = sorted(path.relative_to(output).as_posix() for path in output.rglob("written-by-the-editor/index.html"))
    assert len(built) == len(SITE_SETTINGS["LANGUAGES"]), built
