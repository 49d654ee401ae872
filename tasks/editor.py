"""The editor's tools: `invoke check`, `invoke report`, `invoke new` and
`invoke translations`.

Owns checking the content without building it, the content report (also
written to a GitHub Actions job summary), writing a new article or the
start of a translation, and updating the theme's translation catalogues.
"""

import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from invoke import task

from .building import pelican_command, settings_overrides
from .config import CONFIG, ROOT, clinic_plugin, editor_messages, refuse
from .processes import run_command


@task(help={"strict": "treat warnings (no reviewer, long sentences…) as problems too"})
def check(c, strict=False):
    """Check all content without building (fast); exit 1 on a problem."""
    # Pelican reads every file as a build would, the checks run, and it
    # stops before writing anything (CONTENT_CHECK_ONLY).
    scratch = Path(tempfile.mkdtemp(prefix=".check-", dir=ROOT))
    try:
        overrides = settings_overrides(CONTENT_CHECK_ONLY=True, CONTENT_CHECK_STRICT=bool(strict))
        # Pelican speaks to the terminal directly, as in build_site: invoke's
        # c.run decodes its output a thousand bytes at a time, which cuts a
        # letter of the editor's language (two bytes in UTF-8) in half.
        result = run_command(shlex.split(pelican_command(CONFIG["settings_base"], scratch, overrides)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode:
        sys.exit(1)


@task(help={"json": "print the report as JSON (for CI's job summary)"})
def report(c, json=False):
    """Every article: languages, author, reviewer, review dates, translations, warnings.

    In GitHub Actions it also adds the report to the job's summary."""
    import json as json_module
    import os

    content_report = clinic_plugin().content_report
    editor_messages()  # the report's text in the editor's language
    scratch = Path(tempfile.mkdtemp(prefix=".report-", dir=ROOT))
    try:
        data_path = scratch / "report.json"
        overrides = settings_overrides(CONTENT_CHECK_ONLY=True, CONTENT_REPORT_JSON=str(data_path))
        # (captured whole, not through c.run: see check)
        result = run_command(shlex.split(pelican_command(CONFIG["settings_base"], scratch / "output", overrides)),
                             capture=True)
        if not data_path.exists():  # the content could not be read at all
            print(result.stderr, file=sys.stderr, end="")
            sys.exit(1)
        data = json_module.loads(data_path.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(json_module.dumps(data, ensure_ascii=False, indent=2) if json else content_report.as_text(data))
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(content_report.as_markdown(data))
    if result.returncode:
        print(result.stderr, file=sys.stderr, end="")
        sys.exit(1)


@task(
    help={
        "title": "the article's title, in its language",
        "lang": "uk, en or ru (default uk)",
        "translation_of": "the Slug of the article this translates",
        "slug": "the article's address, if the title does not give a good one",
    }
)
def new(c, title, lang="uk", translation_of=None, slug=None):
    """Write a new article (a draft) with every field filled in or marked TODO."""
    import datetime
    import unicodedata

    from pelican.settings import read_settings
    from pelican.utils import slugify

    contract = clinic_plugin().contract
    _e = editor_messages()._e
    settings = read_settings(str(ROOT / CONFIG["settings_base"]))
    title = title.strip()
    title_field = contract.FIELDS_BY_KEY["title"]
    if lang not in settings["LANGUAGES"]:
        refuse(_e("--lang {lang}: use one of {languages}.", lang=lang, languages=", ".join(settings["LANGUAGES"])))
    if not title or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in title):
        refuse(_e("--title: write the title on one line, as text (no line breaks or control characters)."))
    if len(title) > title_field.max_length:
        refuse(_e("--title is {length} characters long; the limit is {limit}. Shorten it.", length=len(title),
                  limit=title_field.max_length))
    if translation_of:
        slug = translation_of
        option = "--translation-of"
    elif slug:
        option = "--slug"
    else:
        slug = slugify(title, settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
        option = "--title"
        if not contract.SLUG.fullmatch(slug) or len(slug) > contract.SLUG_MAX_LENGTH:
            problem = (_e("gives no address") if len(slug) <= contract.SLUG_MAX_LENGTH
                       else _e("gives an address of {length} characters", length=len(slug)))
            refuse(_e("--title “{title}” {problem} (the address is made of the title's letters and digits, at most "
                      "{limit}). Choose one yourself: add --slug neck-pain (small Latin letters, digits, hyphens).",
                      title=title, problem=problem, limit=contract.SLUG_MAX_LENGTH))
    if not contract.SLUG.fullmatch(slug) or len(slug) > contract.SLUG_MAX_LENGTH:
        refuse(_e("{option} {slug}: an address holds only small Latin letters, digits and single hyphens, at most "
                  "{limit} characters, e.g. neck-pain.", option=option, slug=repr(slug), limit=contract.SLUG_MAX_LENGTH))
    articles = ROOT / CONFIG["content_path"] / settings["ARTICLE_PATHS"][0]
    folder = articles / slug
    if translation_of and not folder.is_dir():
        refuse(_e("--translation-of {slug}: there is no {folder}/.", slug=translation_of,
                  folder=folder.relative_to(ROOT).as_posix()))
    path = folder / contract.content_file_name(lang)
    if path.exists() or path.is_symlink():
        refuse(_e("{path} already exists; edit it instead.", path=path.relative_to(ROOT).as_posix()))
    translated_from, known = None, {}
    original = folder / contract.content_file_name(settings['DEFAULT_LANG'])
    if translation_of and lang != settings["DEFAULT_LANG"] and original.is_file() and not original.is_symlink():
        # Which version of the original this translation starts from, so the
        # content report can tell when the original changes after it; and
        # what the translation shares with it.
        from clinic.reader import open_source
        from clinic.report import Report

        source = open_source(original.resolve(), dict(settings, PATH=str((ROOT / settings["PATH"]).resolve())), Report())
        if source is not None:
            translated_from = source.text_version
            known = translation_fields(source, lang, settings, contract)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(contract.new_article(title, datetime.date.today().isoformat(), translated_from, known),
                    encoding="utf-8")
    print(_e("Wrote {path} (a draft). Fill in every {todo}, then remove “Status: draft” to publish.",
             path=path.relative_to(ROOT).as_posix(), todo=contract.UNFINISHED))


def translation_fields(original, lang, settings, contract):
    """{key: value} a translation into `lang` starts with: the original's
    fields that are the same in every language (contract.Field
    .same_in_every_language), and its topic's name in `lang` (TOPICS)."""
    known = {field.key: original.field_text(field.key) for field in contract.fields_for(contract.ARTICLE)
             if field.same_in_every_language and original.field_text(field.key)}
    category = original.field_text("category")
    names = next((names for names in settings.get("TOPICS", {}).values()
                  if names.get(settings["DEFAULT_LANG"]) == category and lang in names), None)
    if names is not None:
        known["category"] = names[lang]
    if "picture" in known:
        # The same photo, described in this language (a Picture needs one).
        known["picture_alt"] = f"{contract.UNFINISHED}: what the picture shows, in this language"
    return known


@task
def translations(c):
    """Extract the theme's strings and the editor's messages; update each language's catalogues.

    Then translate the new or changed entries in
    theme/translations/<lang>/LC_MESSAGES/messages.po (the visitors' text)
    and plugins/clinic/editor_messages/<lang>/LC_MESSAGES/editor.po (what the
    tools tell an editor); the build reads the catalogues itself.
    """
    pybabel = shlex.quote(str(Path(sys.executable).parent / "pybabel"))
    catalogues = Path(CONFIG["theme_path"]) / "translations"
    template = catalogues / "messages.pot"
    c.run(
        f"{pybabel} extract --mapping-file babel.cfg --no-location "
        f"--sort-output --omit-header --output-file {template} {CONFIG['theme_path']}"
    )
    update_catalogues(c, pybabel, template, catalogues, "messages", CONFIG["catalogue_languages"], "")
    # The editor's messages: the keywords _e and _en of plugins/clinic and tasks/.
    messages = clinic_plugin().messages
    template = messages.CATALOGUE_DIR.relative_to(ROOT) / f"{messages.DOMAIN}.pot"
    options = " ".join(shlex.quote(option) for option in messages.EXTRACT_OPTIONS)
    c.run(f"{pybabel} extract {options} --output-file {template} {' '.join(messages.EXTRACTED_FROM)}")
    update_catalogues(c, pybabel, template, template.parent, messages.DOMAIN, messages.EDITOR_LANGUAGES, "--width 120")


def update_catalogues(c, pybabel, template, catalogues, domain, languages, options):
    """Each language's .po file of `domain` brought in step with `template`."""
    for lang in languages:
        po_file = catalogues / lang / "LC_MESSAGES" / f"{domain}.po"
        where = f"--domain {domain} --input-file {template} --output-dir {catalogues} --locale {lang} {options}"
        if po_file.exists():
            c.run(f"{pybabel} update --no-fuzzy-matching --ignore-obsolete {where}")
        else:
            c.run(f"{pybabel} init {where}")
