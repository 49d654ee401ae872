"""The editor's messages (plugins/clinic/messages.py): their catalogue is in
step with the code, every message has its Ukrainian and Russian translation
with the same placeholders, what is shown comes from the catalogue of the
editor's language, and EDITOR_LANGUAGE (setting, or environment variable)
chooses it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fixture_site import copy_project

from clinic import messages
from clinic.messages import _e, _en, placeholders

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "plugins" / "clinic" / "editor_messages"
TEMPLATE = CATALOGUES / "editor.pot"


def read_catalogue(path, locale=None):
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale, domain=messages.DOMAIN)


def entries(catalogue):
    return {message.id: message for message in catalogue if message.id}


def forms(text):
    return text if isinstance(text, tuple) else (text,)


def test_the_catalogue_is_in_step_with_the_code(tmp_path):
    fresh = tmp_path / "editor.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", *messages.EXTRACT_OPTIONS, "--output-file", str(fresh),
                    *messages.EXTRACTED_FROM], cwd=ROOT, check=True, capture_output=True)
    extracted = set(entries(read_catalogue(fresh)))
    assert len(extracted) > 100
    assert extracted == set(entries(read_catalogue(TEMPLATE))), (
        "The editor's messages changed in the code: run `invoke translations` and translate the new ones."
    )


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_every_message_is_translated_with_the_same_placeholders(lang):
    template = entries(read_catalogue(TEMPLATE))
    catalogue = read_catalogue(CATALOGUES / lang / "LC_MESSAGES" / f"{messages.DOMAIN}.po", locale=lang)
    translated = entries(catalogue)
    assert set(translated) == set(template)
    for message in translated.values():
        assert not message.fuzzy, message.id
        assert all(form.strip() for form in forms(message.string)), f"not translated into {lang}: {message.id!r}"
        if isinstance(message.id, tuple):  # a count: every form of the language
            assert len(message.string) == catalogue.num_plurals == 3, message.id
        wanted = placeholders(forms(message.id)[0])
        for form in forms(message.string):
            assert placeholders(form) == wanted, (lang, message.id, form)
            form.format(**{name: "x" for name in wanted})  # and no stray brace
        # English typographic quotes become «…» (field names, values and
        # commands stay as typed).
        for form in forms(message.string):
            assert "“" not in form and "”" not in form, (lang, form)


def test_the_english_catalogue_adds_nothing_but_what_the_code_says():
    """English is the msgids themselves: an English entry, if filled in,
    keeps the placeholders."""
    catalogue = read_catalogue(CATALOGUES / "en" / "LC_MESSAGES" / f"{messages.DOMAIN}.po", locale="en")
    assert set(entries(catalogue)) == set(entries(read_catalogue(TEMPLATE)))
    for message in entries(catalogue).values():
        for form in forms(message.string):
            assert not form or placeholders(form) == placeholders(forms(message.id)[0]), message.id


def test_a_message_is_shown_from_the_catalogue_of_each_language():
    """What is shown is the catalogue's text with the parameters filled in,
    parameters that are words of ours translated too."""
    message = _e("{name} is missing. Add a line “{name}: …” ({help}) to the fields at the top of the file.",
                 name="Title", help=_e("the title, in this language"))
    for lang in messages.EDITOR_LANGUAGES:
        catalogue = entries(read_catalogue(CATALOGUES / lang / "LC_MESSAGES" / f"{messages.DOMAIN}.po", locale=lang))
        text = catalogue[message.id].string or message.id
        help_text = catalogue["the title, in this language"].string or "the title, in this language"
        assert message.render(lang) == text.format(name="Title", help=help_text)
    assert message.render("uk") != message.render("en") != message.render("ru")
    # The field name stays as the editor types it, in every language.
    assert all("“Title: …”" in message.render(lang) or "«Title: …»" in message.render(lang)
               for lang in messages.EDITOR_LANGUAGES)


@pytest.mark.parametrize("count, uk, ru", [(1, "помилка", "ошибка"), (3, "помилки", "ошибки"), (5, "помилок", "ошибок"),
                                           (21, "помилка", "ошибка"), (12, "помилок", "ошибок")])
def test_a_counted_message_takes_the_form_of_its_number(count, uk, ru):
    message = _en("{count} problem in the content: fix it and check again.",
                  "{count} problems in the content: fix them and check again.", count=count)
    assert message.render("uk").startswith(f"{count} {uk} ")
    assert message.render("ru").startswith(f"{count} {ru} ")
    assert message.render("en").startswith(f"{count} problem{'s' if count != 1 else ''} ")


def test_a_message_keeps_its_identity_whatever_the_language():
    one = _e("the link {address} leads to no page of this site. Check the address (the slug, the language prefix, "
             "the ending /).", address="/x/")
    assert one == _e(one.id, address="/x/") and one != _e(one.id, address="/y/")
    assert one.arguments == {"address": "/x/"}
    assert len({one.render(lang) for lang in messages.EDITOR_LANGUAGES}) == 3  # one identity, three texts


def test_the_environment_variable_overrides_the_setting():
    assert messages.chosen_language({"EDITOR_LANGUAGE": "ru"}, environment={}) == "ru"
    assert messages.chosen_language({"EDITOR_LANGUAGE": "ru"}, environment={"EDITOR_LANGUAGE": "en"}) == "en"
    assert messages.chosen_language({}, environment={}) == "uk"


def test_an_unknown_language_is_one_sentence_naming_the_allowed_ones():
    with pytest.raises(messages.UnknownLanguage) as refused:
        messages.chosen_language({"EDITOR_LANGUAGE": "ua"}, environment={})
    said = str(refused.value)
    assert said.splitlines() == [said]
    assert "«ua»" in said and "uk, en, ru" in said
    assert refused.value.message.arguments == {"value": "ua", "allowed": "uk, en, ru"}


# --- Through the real command line ------------------------------------------------------------

BROKEN_LANG = _e("Lang is “{value}”, but the file is index.{path_lang}.md. Make them agree: rename the file to index.{value}.md "
                 "or write “Lang: {path_lang}”.", value="english", path_lang="en")
CHECKED = _en("{count} problem in the content: fix it and check again.",
              "{count} problems in the content: fix them and check again.", count=1)


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory):
    """A copy of the project whose first English article says Lang: english."""
    copy = copy_project(tmp_path_factory.mktemp("broken"))
    article = sorted((copy / "content/articles").glob("*/index.en.md"))[0]
    lines = article.read_text(encoding="utf-8").split("\n")
    # Its Lang line (optional: the file's name says it), or a new one after the title.
    line = lines.index("Lang: en") + 1 if "Lang: en" in lines else 2
    lines[line - 1:line] = ["Lang: english"] if "Lang: en" in lines else ["Lang: english", lines[line - 1]]
    article.write_text("\n".join(lines), encoding="utf-8")
    return copy, f"{article.relative_to(copy).as_posix()}:{line}: "


@pytest.mark.parametrize("lang", [None, "en", "ru"], ids=["default", "en", "ru"])
def test_invoke_check_answers_in_the_editors_language(broken_copy, lang):
    copy, where = broken_copy
    environment = {"EDITOR_LANGUAGE": lang} if lang else {}
    checked = invoke_check(copy, environment)
    assert checked.returncode == 1, checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    shown_in = lang or "uk"  # pelicanconf.py: EDITOR_LANGUAGE = "uk"
    lines = [line for line in checked.stderr.splitlines() if line.strip()]
    # The path and line as typed, the message in the editor's language.
    assert where + BROKEN_LANG.render(shown_in) in lines, checked.stderr
    assert lines[-1] == CHECKED.render(shown_in)


def test_an_unknown_editor_language_stops_the_check_in_one_sentence(broken_copy):
    copy, _ = broken_copy
    checked = invoke_check(copy, {"EDITOR_LANGUAGE": "de"})
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    refused = [line for line in checked.stderr.splitlines() if line.startswith("pelicanconf.py:")]
    assert len(refused) == 1 and "«de»" in refused[0] and "uk, en, ru" in refused[0], checked.stderr


def invoke_check(project, environment):
    """`invoke check` in `project`, with EDITOR_LANGUAGE only as `environment` says."""
    inherited = {name: value for name, value in os.environ.items() if name not in ("EDITOR_LANGUAGE", "GITHUB_ACTIONS")}
    invoke = ROOT / ".venv/bin/invoke"
    command = [str(invoke)] if invoke.exists() else [sys.executable, "-m", "invoke"]
    return subprocess.run([*command, "check"], cwd=project, capture_output=True, text=True,
                          env={**inherited, **environment})


# --- The editors' guides show the messages as the tools give them -----------------------------

# Each document that shows a stopped build, and the language it shows it in.
SHOWN_IN = {"docs/editors-guide.uk.md": "uk", "docs/editors-guide.en.md": "en", "README.md": "uk"}


@pytest.mark.parametrize("document", sorted(SHOWN_IN))
def test_the_documents_example_of_a_stopped_build_is_what_the_build_says(document):
    """The example of a stopped build (the guides' "When the build says no",
    the README's "The editor's messages") is the build's own output in that
    language: the message with its parameters, and the closing sentence."""
    lang = SHOWN_IN[document]
    text = (ROOT / document).read_text(encoding="utf-8")
    where = "content/articles/lumbar-pain/index.ru.md:3: "
    problem = where + _e("Lang is “{value}”, but the file is index.{path_lang}.md. Make them agree: rename the file to "
                         "index.{value}.md or write “Lang: {path_lang}”.", value="ua", path_lang="ru").render(lang)
    closing = _en("{count} problem in the content: fix it and build again. Nothing was built.",
                  "{count} problems in the content: fix them and build again. Nothing was built.", count=1).render(lang)
    assert f"```\n{problem}\n\n{closing}\n```" in text
