"""Bundle the theme's stylesheets and scripts: the CSS into every page's
<head>, the scripts into fingerprinted files.

The theme keeps one small file per component in ``theme/css/`` and
``theme/js/``; visitors should pay for as few requests as possible. For each
kind this plugin concatenates the files named in its setting (``CSS_BUNDLE``,
``JS_BUNDLE``) in that order and minifies the result (rcssmin, rjsmin).

The stylesheet goes into each page's ``<head>`` (``inline_css()`` in the
templates), so that a visitor who arrives on one article from a search
engine (most do, on a phone) sees it rendered from the first response, with
no request that blocks rendering (issue 13). It is about 3 KB of gzip: less
than a second request costs on a slow mobile connection. A page gets the
files of ``CSS_BUNDLE`` that its template needs (``CSS_ONLY_FOR`` names the
files only some templates use). The Content-Security-Policy allows those few
stylesheets by their hashes (``INLINE_CSS_HASHES``), never
``'unsafe-inline'``.

Scripts are written as ``theme/site.<hash>.js``: the content hash in the
name lets hosts cache it for a year, and a changed file always gets a new
name. Only pages with the call-back form load it, deferred.

The search page's script is a bundle of its own (``SEARCH_JS_BUNDLE``,
``theme/search.<hash>.js``): only the search page loads it, so the other
pages' budgets do not pay for search.

Templates print ``{{ inline_css() }}`` in a ``<style>`` and link the scripts
with ``{{ SITEURL }}/{{ JS_FILE }}`` and ``{{ SITEURL }}/{{ SEARCH_JS_FILE }}``. A
file in the folder that no bundle lists, or a listed file that is missing,
stops the build with a ``path:line`` message: both are mistakes.
"""

import base64
import hashlib
from pathlib import Path

import rcssmin
import rjsmin
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from .addresses import ASSETS_FOLDER
from .build import build_state
from .files import shown

# Each bundle: the setting that lists its files, its folder in the theme, its
# file extension and minifier, and either the name it is written under and
# the setting that tells templates its path in the output, or (inline) the
# setting that gives templates its text.
BUNDLES = [
    {"list": "CSS_BUNDLE", "folder": "css", "extension": "css", "minify": rcssmin.cssmin,
     "inline": "INLINE_CSS"},
    {"list": "JS_BUNDLE", "folder": "js", "extension": "js", "minify": rjsmin.jsmin,
     "name": "site", "path": "JS_FILE"},
    {"list": "SEARCH_JS_BUNDLE", "folder": "js", "extension": "js", "minify": rjsmin.jsmin,
     "name": "search", "path": "SEARCH_JS_FILE"},
]
# How many hex digits of the SHA-256 go into a file name.
HASH_LENGTH = 10


def unlisted_files(theme, settings, report):
    """Report each file of a bundle's folder that no bundle lists: the site
    would not use it, which is a mistake. Returns whether there were any."""
    any_unused = False
    for folder, extension in sorted({(bundle["folder"], bundle["extension"]) for bundle in BUNDLES}):
        bundles = [bundle for bundle in BUNDLES if (bundle["folder"], bundle["extension"]) == (folder, extension)]
        listed = {name for bundle in bundles for name in settings.get(bundle["list"], [])}
        unused = sorted(path for path in (theme / folder).glob(f"*.{extension}") if path.name not in listed)
        any_unused = any_unused or bool(unused)
        for path in unused:
            lists = " or ".join(bundle["list"] for bundle in bundles)
            report.error(shown(path), 1, f"this file is not listed in {lists} in pelicanconf.py, so the site "
                         "would not use it. Add it there, or delete it.")
    return any_unused


def build_bundle(source_dir, file_names, setting_name, minify, report):
    """Concatenate and minify the named files; return the text (None after
    reporting a file the setting names but the folder lacks)."""
    if any_missing(source_dir, file_names, setting_name, report):
        return None
    return concatenated(source_dir, file_names, minify)


def any_missing(source_dir, file_names, setting_name, report):
    """Report each file the setting names but the folder lacks; whether any."""
    missing = [name for name in file_names if not (source_dir / name).is_file()]
    for name in missing:
        report.error("pelicanconf.py", 1, f"{setting_name} names {name}, which is not in {source_dir}. "
                     "Add the file, or remove it from the list.")
    return bool(missing)


def concatenated(source_dir, file_names, minify):
    return minify("\n".join((source_dir / name).read_text(encoding="utf-8") for name in file_names))


def inline_bundles(settings, bundle, report):
    """{template name: its stylesheet} for the templates CSS_ONLY_FOR names,
    and {None: the stylesheet} of every other page; None after reporting
    what is wrong."""
    only_for = settings.get("CSS_ONLY_FOR", {})
    folder = Path(settings["THEME"]) / bundle["folder"]
    files = settings.get(bundle["list"], [])
    for name in sorted(set(only_for) - set(files)):
        report.error("pelicanconf.py", 1, f"CSS_ONLY_FOR names {name}, which {bundle['list']} does not list. "
                     f"Add it to {bundle['list']}, or remove it from CSS_ONLY_FOR.")
    if any_missing(folder, files, bundle["list"], report):
        return None

    def for_template(template):
        names = [name for name in files if name not in only_for or template in only_for[name]]
        return concatenated(folder, names, bundle["minify"])

    templates = sorted({template for names in only_for.values() for template in names})
    texts = {None: for_template(None), **{template: for_template(template) for template in templates}}
    if any("</" in text for text in texts.values()):  # would end the <style> element early (or open another)
        report.error("pelicanconf.py", 1, f"the {bundle['list']} stylesheets hold “</”, which would end "
                     "the page's <style> early. Remove it (a CSS comment or string is the usual place).")
    return texts


@pass_context
def inline_css(context):
    """The stylesheet of the page being rendered, by its template's name."""
    texts = context["INLINE_CSS"]
    return Markup(texts.get(context.name, texts[None]))


def install_template_helper(generator):
    generator.env.globals["inline_css"] = inline_css


def inline_hash(text):
    """The Content-Security-Policy source that allows exactly this text in
    a <style> (or <script>): 'sha256-<base64 of its SHA-256>'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def fingerprinted_path(text, name, extension):
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return f"{ASSETS_FOLDER}{name}.{digest}.{extension}"


def prepare_bundles(pelican):
    """Build the bundles once per build, before any template needs a name."""
    settings = pelican.settings
    report = build_state(settings).report
    texts = {}
    unlisted_files(Path(settings["THEME"]), settings, report)  # reported; the checks stop the build
    for bundle in BUNDLES:
        if bundle.get("inline"):
            texts_by_template = inline_bundles(settings, bundle, report)
            if texts_by_template is not None:  # else reported; the checks stop the build before reading
                settings[bundle["inline"]] = texts_by_template
                settings[f"{bundle['inline']}_HASHES"] = sorted({inline_hash(text) for text in texts_by_template.values()})
            continue
        text = build_bundle(
            Path(settings["THEME"]) / bundle["folder"],
            settings.get(bundle["list"], []),
            bundle["list"],
            bundle["minify"],
            report,
        )
        if text is None:
            continue  # reported; the checks stop the build before reading
        path = fingerprinted_path(text, bundle["name"], bundle["extension"])
        settings[bundle["path"]] = path
        texts[path] = text
    settings["_ASSET_BUNDLE_TEXTS"] = texts


class AssetsGenerator(Generator):
    """Writes the bundles into the output folder."""

    def generate_output(self, writer):
        for path, text in self.settings["_ASSET_BUNDLE_TEXTS"].items():
            target = Path(self.output_path) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def get_generators(pelican):
    return AssetsGenerator


def register():
    signals.initialized.connect(prepare_bundles)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(install_template_helper)
