"""The content checks around a build: before reading, and before writing.

Pelican logs a broken file and builds the site without it. For a health site
written by clinic staff, a mistake must stop the build with a sentence an
editor understands, naming the file and the line, and all mistakes of a run
are listed together. The build stops (exit code 1) before anything is
written, so no half-written site ever exists. Warnings (no reviewer yet, a
review falling due, long sentences…) are printed and the build goes on;
``CONTENT_CHECK_STRICT`` (``invoke check --strict``) treats them as problems
too, and ``CONTENT_CHECK_FAIL_ON`` the kinds of warning it names (the
publish policy: publishconf.py sets it to ``PUBLISH_BLOCKING_WARNINGS``).

The order of a build:

1. ``before_reading`` (Pelican's ``initialized``): the settings, the files
   under content/ and theme/ (``files``), the theme's catalogues. A file
   refused here is kept from Pelican (which follows links while it looks
   for files): never walked into, opened nor read; the build goes on.
2. Reading: ``reader.ContentReader`` checks each other file against the
   contract as Pelican reads it; Pelican's own complaints become problems
   too, at their file and line (``build.PelicanComplaints``).
3. ``before_writing`` (``all_generators_finalized``): what needs every file
   at once: translations, addresses (``addresses``), links between pages.
   Then the report is printed, every problem of every phase sorted by file
   and line, and the build stops if it has errors.
"""

import os
import posixpath
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals
from pelican.contents import Article

from . import addresses, content_report, contract, files, messages, rendering
from .build import PelicanComplaints, build_state, display_path, unread_original
from .messages import _e, _en
from .sanitise import printable

# A root-relative (or absolute, on the site) link in rendered HTML.
HREF = re.compile(r"""\b(?:href|src)="([^"]*)\"""")


def failing_warning_kinds(settings):
    """True (every warning fails: --strict), or the kinds of warning that
    fail this build (the publish policy, PUBLISH_BLOCKING_WARNINGS)."""
    if settings.get("CONTENT_CHECK_STRICT"):
        return True
    return settings.get("CONTENT_CHECK_FAIL_ON", [])


def stop(settings, building=True):
    """Print the report; stop the build if it has failures."""
    report = build_state(settings).report
    if not report.print(fail_on=failing_warning_kinds(settings), building=building):
        # SystemExit: Pelican lets it through, so the editor sees our lines
        # and no Python traceback.
        raise SystemExit(1)


def before_reading(pelican):
    settings = pelican.settings
    state = build_state(settings)
    # First the editor's language, so that everything is said in it (the
    # worker processes of ``rendering`` are forked after this, and only
    # this process puts problems into words anyway).
    try:
        messages.use_language(settings)
    except messages.UnknownLanguage as error:
        state.report.error("pelicanconf.py", line_of_setting(messages.SETTING), error.message)
    # A problem here does not stop the build yet: the refused files are
    # kept from Pelican, every other file is read and checked, and the
    # build stops before writing with every problem of every phase listed.
    # The theme's files (a link, a catalogue that cannot be read) are only
    # opened to write pages, which a build with problems never does.
    state.refused = files.check_content_files(settings, state.report)
    files.check_theme_files(settings, state.report)
    never_walk_refused_folders(settings, state.refused)
    state.complaints = PelicanComplaints(settings).start()
    # The files are safe to open: read and check them on every core now;
    # the preview's first step after an edit is forked from a process that
    # has just done so (the reader still checks each result is current).
    if not settings.get("PREVIEW_CHANGED_SOURCES"):
        rendering.examine_all(settings)


def line_of_setting(name):
    """The line of pelicanconf.py that sets `name` (1 if none does)."""
    try:
        lines = Path("pelicanconf.py").read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((number for number, text in enumerate(lines, start=1) if text.startswith(f"{name} =")), 1)


def never_walk_refused_folders(settings, refused):
    """Pelican walks content/ following links: a refused folder (a link to
    /etc, say) is excluded from every walk, by its path (Pelican's
    *_EXCLUDES settings exclude folders only)."""
    folders = sorted(path for path, is_folder in refused.items() if is_folder)
    for setting in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES"):
        settings[setting] = [*settings.get(setting, []), *folders]


def never_read_refused(generator):
    """Each generator skips the refused files (a link named index.uk.md, a file
    in the wrong place): Pelican never opens, reads nor copies them.
    IGNORE_FILES cannot say this (it matches a bare name: `index.uk.md` would
    skip every article), so the generator's own test of a file it finds
    (``_include_path``, relative to content/) learns the refused paths."""
    refused = build_state(generator.settings).refused
    if not refused or not hasattr(generator, "_include_path"):
        return
    included = generator._include_path

    def included_unless_refused(path, extensions=None):
        relative = os.path.relpath(os.path.join(generator.path, path), generator.settings["PATH"])
        return Path(relative).as_posix() not in refused and included(path, extensions)

    generator._include_path = included_unless_refused


def every_item(generators):
    from pelican.generators import ArticlesGenerator, PagesGenerator

    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            yield from generator.articles + generator.translations + generator.drafts + generator.drafts_translations
        elif isinstance(generator, PagesGenerator):
            yield from (generator.pages + generator.translations + generator.hidden_pages
                        + generator.hidden_translations + generator.draft_pages + generator.draft_translations)


def check_translations(items, settings, report):
    groups = {}
    for item in items:
        groups.setdefault((type(item).__name__, item.slug), []).append(item)
    default_lang = settings["DEFAULT_LANG"]
    for (kind, slug), members in groups.items():
        languages = {item.lang for item in members}
        if default_lang not in languages and unread_original(members[0].source_path, settings):
            # Its original exists but was not read: it has problems of its
            # own, reported at its lines; nothing is missing here.
            continue
        if all(str(getattr(item, "translation", "false")).lower() == "true" for item in members):
            for item in members:
                report.error(display_path(item.source_path, settings), 1, _e(
                    "this is marked as a translation, but there is no original with Slug “{slug}”. Check the "
                    "folder, or remove “Translation: true”.", slug=slug))
        if kind == "Article":
            check_translation_versions(members, settings, report)
        if kind == "Article" and default_lang not in languages:
            for item in members:
                report.warn(display_path(item.source_path, settings), 1, _e(
                    "there is no {lang} version of this article. The law requires the Ukrainian version: add "
                    "{slug}/index.{lang}.md.", lang=default_lang, slug=slug), "no-default-language")


def check_translation_versions(members, settings, report):
    """A translation records the version of the Ukrainian text it was made
    from (Translated_from); a different version now means it is stale."""
    sources = build_state(settings).sources
    original = next((item for item in members if item.lang == settings["DEFAULT_LANG"]), None)
    if original is None or original.source_path not in sources:
        return
    current = sources[original.source_path].text_version
    for item in members:
        source = sources.get(item.source_path)
        if item is original or source is None:
            continue
        made_from = source.values.get("translated_from")
        original_name = os.path.basename(original.source_path)
        if made_from == current:
            continue
        if made_from is None:
            message = _e("it is not recorded which version of {original} this translates. Compare the two; once "
                         "they match, add “Translated_from: {current}” to the fields.", original=original_name,
                         current=current)
        else:
            message = _e("{original} has changed since this translation was made (from {made_from}; it is now "
                         "{current}). Bring the translation up to date, then set “Translated_from: {current}”.",
                         original=original_name, made_from=made_from, current=current)
        report.warn(source.shown, source.line_of("translated_from"), message, "stale-translation")


def unread_pages(settings):
    """{address, as a path without its leading /: the file shown} of the
    content files that are there but were not read (refused, or with
    problems of their own): a link to one leads to a page once it is fixed,
    so it is not a problem of the link's."""
    state = build_state(settings)
    content = Path(settings["PATH"]).resolve()
    there = set(rendering.content_files(settings)) | {str(content / path) for path in state.refused}
    pages = {}
    for path in there - set(state.sources):
        match = re.fullmatch(contract.PATH_METADATA, Path(path).relative_to(content).as_posix())
        kind = contract.KIND_OF_FOLDER.get(Path(path).relative_to(content).parts[0])
        if not match or kind is None:
            continue
        url = settings[f"{kind.upper()}_URL" if match["lang"] == settings["DEFAULT_LANG"] else f"{kind.upper()}_LANG_URL"]
        pages[url.format(slug=match["slug"], lang=match["lang"]).lstrip("/")] = display_path(path, settings)
    return pages


def check_links(items, outputs, settings, complaints, report):
    """Links in the text to pages of this site must lead to a page (or to
    the page of a file that has problems of its own, reported there)."""
    written = {output.path for output in outputs}
    unread = set(unread_pages(settings))
    site = settings.get("SITEURL", "")
    state = build_state(settings)
    for item in items:
        complaints.current = item.source_path  # for Pelican's "Unable to find …"
        content = item.content  # Pelican resolves {filename} links here
        complaints.current = None
        source = state.sources.get(item.source_path)
        for address in HREF.findall(content):
            if site and address.startswith(site + "/"):
                address = address[len(site):]
            parts = urlsplit(address)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            path = parts.path.lstrip("/")
            if not ({path, path + "index.html", path.rstrip("/") + "/index.html"} & written) and not (
                    {path, path.rstrip("/") + "/"} & unread):
                shown = display_path(item.source_path, settings)
                line = source.body_line(parts.path) if source else 1
                report.error(shown, line, _e("the link {address} leads to no page of this site. Check the address "
                                             "(the slug, the language prefix, the ending /).", address=address))


def check_static_links(items, settings, report):
    """A {static} (or {attach}) link leads to a file the site publishes: one
    in a STATIC_PATHS folder under content/. Pelican links a missing file
    anyway, and a path out of content/ to nothing, without a word. The links
    are the ones Pelican itself finds (``get_static_links``)."""
    content = os.path.realpath(settings["PATH"])
    published = [os.path.join(content, folder) for folder in settings["STATIC_PATHS"]]
    folder = (settings["STATIC_PATHS"] or ["extra"])[0]
    state = build_state(settings)
    for item in items:
        source = state.sources.get(item.source_path)
        for link in sorted(item.get_static_links()):
            target = os.path.normpath(os.path.join(content, link))
            if os.path.isfile(target) and any(target.startswith(folder + os.sep) for folder in published):
                continue
            line = source.body_line(posixpath.basename(link)) if source else 1
            report.error(display_path(item.source_path, settings), line, _e(
                "the {{static}} link to “{link}” leads to no file the site publishes. Check the path and its "
                "spelling: the file must be under content/{folder}/, and the link names it from content/, e.g. "
                "{{static}}/{folder}/images/neck.jpg.", link=printable(link), folder=folder))


def before_writing(generators):
    settings = generators[0].settings
    state = build_state(settings)
    context = generators[0].context
    items = list(every_item(generators))
    check_translations(items, settings, state.report)
    outputs = addresses.planned_outputs(context, settings, generators)
    addresses.check_addresses(outputs, settings, state.report)
    check_static_links(items, settings, state.report)
    if settings.get("PREVIEW_CHANGED_SOURCES"):
        # The preview's first step after an edit: the edited files' own
        # pages only, their links and warnings; the whole site, every link
        # and the content report follow in the second step, a full build.
        edited = {display_path(path, settings) for path in settings["PREVIEW_CHANGED_SOURCES"]}
        state.only_outputs = {output.path for output in outputs if output.source in edited}
        state.report.warnings = [warning for warning in state.report.warnings if warning.path in edited]
        check_links([item for item in items if display_path(item.source_path, settings) in edited],
                    outputs, settings, state.complaints, state.report)
        state.complaints.stop()
        stop(settings)
        return
    check_links(items, outputs, settings, state.complaints, state.report)
    state.complaints.stop()
    articles = [item for item in items if isinstance(item, Article)]
    state.content_report = content_report.report_data(articles, settings)
    if settings.get("CONTENT_REPORT_JSON"):
        content_report.write_json(state.content_report, settings["CONTENT_REPORT_JSON"])
    if settings.get("CONTENT_CHECK_ONLY"):
        stop(settings, building=False)
        warnings = len(state.report.warnings)
        print(_en("Content checked: no problems, {count} warning.", "Content checked: no problems, {count} warnings.",
                  count=warnings), file=sys.stderr)
        raise SystemExit(0)
    stop(settings)


def register():
    signals.initialized.connect(before_reading)
    signals.generator_init.connect(never_read_refused)
    signals.all_generators_finalized.connect(before_writing)
