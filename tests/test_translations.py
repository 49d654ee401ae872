"""The theme's gettext catalogues are complete and in step with the templates."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "theme" / "translations"


def read_catalogue(path, locale=None):
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def message_ids(catalogue):
    return {message.id for message in catalogue if message.id}


def test_template_catalogue_matches_the_templates(tmp_path):
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "extract", "--mapping-file", "babel.cfg", "--no-location", "--omit-header", "--output-file", str(fresh), "theme"],
        cwd=ROOT, check=True, capture_output=True,
    )
    extracted = message_ids(read_catalogue(fresh))
    assert len(extracted) > 10
    assert extracted == message_ids(read_catalogue(CATALOGUES / "messages.pot")), (
        "The templates' strings changed: run `invoke translations` and translate the new ones."
    )


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_every_string_is_translated(lang):
    template_ids = message_ids(read_catalogue(CATALOGUES / "messages.pot"))
    catalogue = read_catalogue(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", locale=lang)
    assert message_ids(catalogue) == template_ids
    def translated(message):
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        return all(forms) and not message.fuzzy

    untranslated = [m.id for m in catalogue if m.id and not translated(m)]
    assert not untranslated
    plurals = [m for m in catalogue if isinstance(m.id, tuple)]
    assert plurals and all(len(m.string) == catalogue.num_plurals == 3 for m in plurals)
    # Placeholders survive translation.
    for message in catalogue:
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            assert placeholders(form) == placeholders(source), message.id


def placeholders(text):
    return sorted(part.split(")")[0] for part in text.split("%(")[1:])
