"""The web editor's configuration (Sveltia CMS 0.221.1), built from our definitions.

``editor_config(settings)`` returns the configuration as a dict of JSON
types (written as ``admin/config.yml`` beside the editor's page): nothing in
it is typed by hand that the content contract (``contract.py``) or the
settings already say.

* One collection per content folder of ``contract.KIND_OF_FOLDER``: a new
  kind of content joins the editor by being added there.
* One field per field of the kind in the contract, in the contract's order,
  named by its key (lower case, as Pelican reads keys), labelled with its
  name as files write it, its help (in Ukrainian) as the hint; required as
  the contract requires it for the kind; its widget from its type
  (``WIDGETS``): an unknown type stops the build, rather than leaving a
  field out of the editor.
* The three languages side by side (``i18n``, one file per language:
  ``<slug>/index.<lang>.md``), Ukrainian (``DEFAULT_LANG``) first and always
  there; the fields the same in every language (``same_in_every_language``)
  are written in the default language and copied into the others.
* Files in our ``Key: value`` format (``FORMAT``, read and written by
  ``theme/admin/key-value-format.js``), which keeps the header as written in
  one hidden field (``HEADER_FIELD``) so that a save changes only what the
  editor changed.
* Photos upload into the entry's own folder, beside its text.
* Saving opens a pull request (the editorial workflow) on the repository
  ``EDITOR_REPOSITORY``, signed in with a GitHub token only.
"""

import re

from . import clinic_data, contract
from .messages import _e
from .reader import KINDS_NAMED
from .sanitise import printable

# The name theme/admin/editor.js registers key-value-format.js under.
FORMAT = "pelican-fields"
# The hidden field holding the header as written, and the text's field
# (key-value-format.js: HEADER_KEY, BODY_KEY).
HEADER_FIELD = "header_as_written"
BODY_FIELD = "body"
# The language the editor's labels and hints are written in: the editors'.
HINT_LANGUAGE = "uk"
# Where content is, from the repository's root.
CONTENT_FOLDER = "content"
# An entry's file inside its folder, without its language and extension
# (Sveltia's multiple_files structure adds .<lang>.md): <slug>/index, the
# contract's file name (contract.content_file_name), its photos beside.
ENTRY_PATH = "{{slug}}/" + contract.CONTENT_FILE_STEM
# The branch saves are proposed to (the one .github/workflows/publish.yml publishes).
BRANCH = "main"
# A GitHub repository, owner/name: what GitHub allows in each.
REPOSITORY = re.compile(r"[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}")

BODY_LABEL = _e("Text")
# (A hint shows a little Markdown itself: bold, italics, links; so it shows
# no such syntax as an example.)
BODY_HINT = _e(
    "The text in Markdown: ## for a section heading, - for a list item. A box sets part of the text "
    "apart: a line “!!! urgent \"When to get help at once\"” (or warning, or note) and under it the box's text, "
    "each line indented by four spaces; urgent is for signs that need a doctor at once, warning for "
    "contraindications, note for an aside. The editors' guide shows every box."
)
SLUG_HINT = _e("the address: small Latin letters, digits and single hyphens, e.g. lumbar-pain; it cannot be changed "
               "after the first save")
SLUG_REFUSED = _e("Write the address in small Latin letters and digits, with single hyphens between words, at most "
                  "{limit} characters, e.g. lumbar-pain.", limit=contract.SLUG_MAX_LENGTH)


class EditorConfigError(ValueError):
    """The contract or the settings say something the editor cannot be configured for."""


def choices_for(field, kind):
    """The values a choice field may take in a file of `kind` (as the reader allows them)."""
    return contract.STATUS_OF[kind] if field.key == "status" else field.choices


def topic_options(settings):
    """Every topic's name in every language, the languages in the settings'
    order: a select offers the same options in every language's pane, so
    each says which language it is (the check refuses another language's name)."""
    options = {}
    for lang, language in settings["LANGUAGES"].items():
        for names in settings["TOPICS"].values():
            options.setdefault(names[lang], []).append(language["name"])
    return [{"label": f"{name} ({', '.join(languages)})", "value": name} for name, languages in options.items()]


def text_widget(field, kind, settings):
    widget = {"widget": "string"}
    if field.max_length:
        widget["maxlength"] = field.max_length
    return widget


def markdown_widget(field, kind, settings):
    # Summary: a few sentences, rendered as Markdown by the build; lines
    # the editor breaks become the field's continuation lines.
    widget = {"widget": "text"}
    if field.max_length:
        widget["maxlength"] = field.max_length
    return widget


def date_widget(field, kind, settings):
    return {"widget": "datetime", "type": "date", "format": "YYYY-MM-DD"}


def choice_widget(field, kind, settings):
    return {"widget": "select", "options": list(choices_for(field, kind))}


def topic_widget(field, kind, settings):
    if not settings.get("TOPICS"):  # a site that has not listed its topics: any name (as the reader allows)
        return text_widget(field, kind, settings)
    return {"widget": "select", "options": topic_options(settings)}


def photo_widget(field, kind, settings):
    # Uploaded into the entry's own folder and written as its bare file
    # name (photo.jpg), as the reader finds photos: beside the text.
    return {"widget": "image", "media_folder": "", "public_folder": "", "choose_url": False,
            "accept": ",".join(sorted(contract.PHOTO_TYPES))}


def tags_widget(field, kind, settings):
    # A list is edited as comma-separated words; the format writes it back comma-separated.
    return {"widget": "list"}


def path_widget(field, kind, settings):
    # Lang and Slug follow from the file's place: shown where a file has
    # them, never changed (a new file leaves them out, which is right).
    return {"widget": "string", "readonly": True}


def hidden_widget(field, kind, settings):
    # A text version that `invoke new` and `invoke report` give, not typed.
    return {"widget": "hidden"}


def qualifications_widget(field, kind, settings):
    # "what — awarded by whom, year; …" on one line, as the field's help
    # says: the reader checks each part at its line.
    return text_widget(field, kind, settings)


def locations_widget(field, kind, settings):
    # The clinic's locations by id (content/clinic.yaml), any number; the
    # format writes them comma-separated, as the reader reads them.
    return {"widget": "select", "multiple": True,
            "options": [location["id"] for location in settings.get("LOCATIONS", [])]}


# A field's widget by its type in the contract (contract.Field.type).
WIDGETS = {
    "text": text_widget,
    "markdown": markdown_widget,
    "date": date_widget,
    "choice": choice_widget,
    "topic": topic_widget,
    "photo": photo_widget,
    "tags": tags_widget,
    "lang": path_widget,
    "slug": path_widget,
    "hash": hidden_widget,
    "qualifications": qualifications_widget,
    "locations": locations_widget,
}


def relation_widget(folder):
    """A field naming an entry of another kind by its slug (e.g. a person's)."""
    return {"widget": "relation", "collection": folder, "value_field": "{{slug}}", "search_fields": ["title"],
            "display_fields": ["title"]}


def widget_for(field, kind, settings):
    if field.type in WIDGETS:
        return WIDGETS[field.type](field, kind, settings)
    # A type that is the name of a kind (e.g. "person"): the slug of one of
    # its entries, chosen from its collection.
    folders = [folder for folder, each in contract.KIND_OF_FOLDER.items() if each == field.type]
    if folders:
        return relation_widget(folders[0])
    raise EditorConfigError(f"plugins/clinic/contract.py: the field {field.name} is of the type “{field.type}”, "
                            f"which the web editor has no widget for: add one to WIDGETS in "
                            f"plugins/clinic/web_editor.py.")


def editor_field(field, kind, settings):
    """One field of the contract as the editor's field for a file of `kind`."""
    photos = {spec.key: spec for spec in contract.fields_for(kind) if spec.type == "photo"}
    described = photos.get(field.key.removesuffix("_alt")) if field.key.endswith("_alt") else None
    hint = field.help.render(HINT_LANGUAGE)
    if described is not None:
        # Sveltia 0.221.1 cannot make a field required only when another is
        # given, so the hint says it, and the build refuses a photo without
        # its description at its line (photos.py).
        hint = _e("{help}; needed when there is a {photo}: the check on the pull request refuses a {photo} without it",
                  help=hint, photo=described.name).render(HINT_LANGUAGE)
    widget = widget_for(field, kind, settings)
    editor = {"name": field.key, "label": field.name, **widget,
              "i18n": "duplicate" if field.same_in_every_language else True}
    if widget["widget"] != "hidden":  # (a hidden field is neither shown nor checked)
        editor.update({"required": kind in field.required, "hint": hint[:1].upper() + hint[1:]})
    return editor


def collection(folder, kind, settings):
    """The collection of the content folder `folder`, whose files are of `kind`."""
    fields = [editor_field(field, kind, settings) for field in contract.fields_for(kind)]
    fields.append({"name": BODY_FIELD, "label": BODY_LABEL.render(HINT_LANGUAGE), "widget": "markdown",
                   # Raw Markdown only: the rich-text mode rewrites what it
                   # does not know (boxes, attribute lists).
                   "modes": ["raw"], "required": False, "i18n": True, "hint": BODY_HINT.render(HINT_LANGUAGE)})
    fields.append({"name": HEADER_FIELD, "widget": "hidden", "i18n": True})
    return {
        "name": folder,
        "label": KINDS_NAMED[kind].render(HINT_LANGUAGE).capitalize() if kind in KINDS_NAMED else folder,
        "folder": f"{CONTENT_FOLDER}/{folder}",
        "path": ENTRY_PATH,
        # No `extension`: the custom format brings its own (registered as
        # md in editor.js), and 0.221.1 refuses `extension: md` beside a
        # format it does not know ("The md extension doesn't match the
        # pelican-fields format"), found by tests/admin/.
        "format": FORMAT,
        "identifier_field": "title",
        # No copying an entry: the copy would keep the original's Slug line
        # (read-only here) in a folder of another name, which the check refuses.
        "duplicate": False,
        # A new entry's folder (its address) from its title, transliterated
        # (slug options below); editable before the first save, and held to
        # the contract's rule for a slug.
        "slug": {
            "template": "{{title}}",
            "editable": ["create"],
            "pattern": [f"^{contract.SLUG.pattern}$", SLUG_REFUSED.render(HINT_LANGUAGE)],
            "hint": SLUG_HINT.render(HINT_LANGUAGE),
        },
        # Uploads go beside the entry's text (relative to the entry).
        "media_folder": "",
        "public_folder": "",
        "i18n": True,
        "fields": fields,
    }


def repository(settings):
    value = settings.get("EDITOR_REPOSITORY", "")
    if not isinstance(value, str) or not REPOSITORY.fullmatch(value):
        raise EditorConfigError(str(_e("EDITOR_REPOSITORY is “{value}”, which is not a GitHub repository: write it "
                                       "as owner/name, e.g. clinic/site.", value=printable(str(value)))))
    return value


def editor_config(settings):
    """The web editor's configuration for `settings` (Pelican's), as a dict
    of JSON types."""
    languages = list(settings["LANGUAGES"])
    return {
        "backend": {
            "name": "github",
            "repo": repository(settings),
            "branch": BRANCH,
            # A fine-grained token only: no OAuth, so no server of ours.
            "auth_methods": ["token"],
        },
        # Each save is a branch and a pull request, which CI checks.
        "publish_mode": "editorial_workflow",
        # Sveltia requires a global media folder; photos go beside their
        # text instead (each collection's), and anything uploaded here, in
        # the articles' folder itself, is refused by the build's file check.
        "media_folder": f"{CONTENT_FOLDER}/{next(iter(contract.KIND_OF_FOLDER))}",
        # A new entry's slug from its title: transliterated to ASCII (Cyrillic
        # included), lower case, words joined by single hyphens, as long as
        # the contract allows.
        "slug": {"encoding": "ascii", "clean_accents": True, "lowercase": True, "sanitize_replacement": "-",
                 "trim": True, "maxlength": contract.SLUG_MAX_LENGTH},
        "i18n": {
            "structure": "multiple_files",
            "locales": languages,
            "default_locale": settings["DEFAULT_LANG"],
            # A new entry starts in the default language; the editor adds
            # a translation when there is one.
            "initial_locales": [settings["DEFAULT_LANG"]],
        },
        # An emptied optional field is left out of the file (its line goes).
        "output": {"omit_empty_optional_fields": True},
        # The texts, one collection per content folder; then the clinic's
        # facts (content/clinic.yaml) as one form, from their own contract.
        "collections": [*(collection(folder, kind, settings) for folder, kind in contract.KIND_OF_FOLDER.items()),
                        clinic_data.editor_collection(settings)],
    }
