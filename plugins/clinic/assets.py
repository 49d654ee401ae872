"""Bundle the theme's stylesheets and scripts: the CSS into every page's
<head>, the scripts into fingerprinted files.

The theme keeps one small file per component in ``theme/css/`` and
``theme/js/``; visitors should pay for as few requests as possible. For each
kind this plugin concatenates the files named in its setting (``CSS_BUNDLE``,
``JS_BUNDLE``) in that order and minifies the result (rcssmin, rjsmin).

The stylesheet goes into each page's ``<head>`` (``inline_css()`` in the
templates), so that a visitor who arrives on one article from a search
engine (most do, on a phone) sees it rendered from the first response, with
no request that blocks rendering (issue 13). Each page carries only the
parts it uses: a part whose every rule selects by a class (a component:
``.mc-pager …``, ``.admonition …``) goes into the pages whose HTML has all
the classes of one of its selectors; a part with any other rule (``:root``, ``body``, ``a``, an
``@media print`` that styles elements) goes into every page. So an article
without a box, a photo or a list carries none of their CSS, and a new
component's file costs only the pages that show it. (A class that only a
script adds must share its file with a class the page's HTML has: the
form's ``--over`` counter does.)

The part is chosen after the page is rendered (``PageFinisher``, used by
the writer): the template prints a marker where the stylesheet goes and the
policy's ``style-src`` holds a placeholder, and both become the page's own
stylesheet and its hash. The Content-Security-Policy in the page's
``<meta>`` allows exactly that stylesheet, never ``'unsafe-inline'``; the
``_headers`` policy lists the hashes of every stylesheet the build wrote
(``pages_written``, once every page is written).

The call-back form's script is loaded only when the visitor comes to the
form (``FORM_LOADER_BUNDLE``, a few hundred bytes inline after the form,
allowed by its hash): most visitors read an article and leave, and the
first view stays one request.

The root 404 page's language chooser (``NOT_FOUND_LANGUAGE_BUNDLE``) is
inline too: it must run at whatever missing address the host serves that
page, before the visitor reads it. Its hash (``NOT_FOUND_SCRIPT_HASHES``)
is allowed by that page's policy only, not carried by every page.

Scripts are written as ``theme/site.<hash>.js``: the content hash in the
name lets hosts cache it for a year, and a changed file always gets a new
name. Only pages with the call-back form load it, deferred.

The search page's script is a bundle of its own (``SEARCH_JS_BUNDLE``,
``theme/search.<hash>.js``): only the search page loads it, so the other
pages' budgets do not pay for search.

Templates print ``{{ inline_css() }}`` in a ``<style>``, the form's loader
with ``{{ form_loader() }}`` in a ``<script>``, and link the search page's
script with ``{{ SITEURL }}/{{ SEARCH_JS_FILE }}``. A file in the folder that
no bundle lists, or a listed file that is missing, stops the build with a
``path:line`` message: both are mistakes.
"""

import base64
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import blinker
import rcssmin
import rjsmin
import tinycss2
from jinja2 import pass_context
from markupsafe import Markup, escape
from pelican import signals
from pelican.generators import Generator

from .addresses import ASSETS_FOLDER
from .build import build_state
from .files import shown
from .messages import _e

# Each bundle: the setting that lists its files, its folder in the theme, its
# file extension and minifier, and one of: the name it is written under and
# the setting that tells templates its path in the output; (inline) the
# setting that keeps its text for the pages, and (hashes) the setting that
# keeps its policy source (default INLINE_SCRIPT_HASHES, allowed on every
# page); (parts) the setting that keeps its files apart, each page taking
# the ones it uses.
BUNDLES = [
    {"list": "CSS_BUNDLE", "folder": "css", "extension": "css", "minify": rcssmin.cssmin,
     "parts": "INLINE_CSS_PARTS"},
    {"list": "JS_BUNDLE", "folder": "js", "extension": "js", "minify": rjsmin.jsmin,
     "name": "site", "path": "JS_FILE"},
    {"list": "FORM_LOADER_BUNDLE", "folder": "js", "extension": "js", "minify": rjsmin.jsmin,
     "inline": "FORM_LOADER_JS"},
    {"list": "NOT_FOUND_LANGUAGE_BUNDLE", "folder": "js", "extension": "js", "minify": rjsmin.jsmin,
     "inline": "NOT_FOUND_LANGUAGE_JS", "hashes": "NOT_FOUND_SCRIPT_HASHES"},
    {"list": "SEARCH_JS_BUNDLE", "folder": "js", "extension": "js", "minify": rjsmin.jsmin,
     "name": "search", "path": "SEARCH_JS_FILE"},
]
# How many hex digits of the SHA-256 go into a file name.
HASH_LENGTH = 10
# What the template prints where the page's stylesheet goes, and in the
# policy's style-src; the writer puts the page's own in their place. The
# marker is replaced only inside "<style>…</style>", which no editor's text
# can spell (its "<" is always escaped), even in a title before the <style>;
# the placeholder is a word no policy source is spelled like, harmless if it
# ever stayed, and the policy's <meta> comes before any editor's text.
PAGE_CSS_MARKER = "/*page-css*/"
PAGE_STYLE_ELEMENT = f"<style>{PAGE_CSS_MARKER}</style>"
PAGE_STYLE_SOURCE = "page-style-hash"
# Sent once every page is written, with the settings and the set of the
# stylesheets' policy sources: the `_headers` file lists them.
pages_written = blinker.signal("clinic-pages-written")
# A page's class attributes (our templates and the sanitiser quote them).
CLASS_ATTRIBUTE = re.compile(r"""\sclass=(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class StylePart:
    """One file of CSS_BUNDLE, minified; `selectors`: the class names of
    each of its selectors (a page needs the file if it has all the classes
    of one), or None: every page needs it."""

    name: str
    text: str
    selectors: frozenset = None

    def needed_by(self, classes):
        return self.selectors is None or any(selector <= classes for selector in self.selectors)


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
            report.error(shown(path), 1, _e("this file is not listed in {lists} in pelicanconf.py, so the site "
                                            "would not use it. Add it there, or delete it.", lists=lists))
    return any_unused


def build_bundle(source_dir, file_names, setting_name, minify, report):
    """Concatenate and minify the named files; return the text (None after
    reporting a file the setting names but the folder lacks)."""
    if any_missing(source_dir, file_names, setting_name, report):
        return None
    return minify("\n".join((source_dir / name).read_text(encoding="utf-8") for name in file_names))


def any_missing(source_dir, file_names, setting_name, report):
    """Report each file the setting names but the folder lacks; whether any."""
    missing = [name for name in file_names if not (source_dir / name).is_file()]
    for name in missing:
        report.error("pelicanconf.py", 1, _e("{setting} names {name}, which is not in {folder}. Add the file, or "
                                             "remove it from the list.", setting=setting_name, name=name,
                                             folder=str(source_dir)))
    return bool(missing)


def selector_classes(prelude):
    """The class names of each comma-separated selector of a rule."""
    selectors, current, after_dot = [], set(), False
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = set()
        elif token.type == "ident" and after_dot:
            current.add(token.value)
        after_dot = token.type == "literal" and token.value == "."
    return selectors + [current]


def selectors_by_class(css):
    """The class names of each selector of this CSS, when every selector has
    one; None when some rule selects without a class (or is an at-rule other
    than @media)."""
    selectors = set()

    def every_rule_has_a_class(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                classes = selector_classes(rule.prelude)
                if not all(classes):
                    return False
                selectors.update(frozenset(names) for names in classes)
            elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content is not None:
                if not every_rule_has_a_class(tinycss2.parse_rule_list(rule.content, True, True)):
                    return False
            elif rule.type not in ("whitespace", "comment"):
                return False  # @font-face, @keyframes, a parse error…: kept on every page
        return True

    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return frozenset(selectors) if every_rule_has_a_class(rules) and selectors else None


def style_parts(settings, bundle, report):
    """The [StylePart] of the bundle, in its order (None after reporting
    what is wrong)."""
    folder = Path(settings["THEME"]) / bundle["folder"]
    files = settings.get(bundle["list"], [])
    if any_missing(folder, files, bundle["list"], report):
        return None
    parts = []
    for name in files:
        text = bundle["minify"](Path(folder / name).read_text(encoding="utf-8"))
        if "</" in text:  # would end the <style> element early (or open another)
            report.error(shown(folder / name), 1, _e("this stylesheet holds “</”, which would end the page's "
                                                     "<style> early. Remove it (a CSS comment or string is the "
                                                     "usual place)."))
        parts.append(StylePart(name, text, selectors_by_class(text)))
    return parts


def page_stylesheet(parts, html):
    """The stylesheet a page needs: the parts its class attributes ask for."""
    classes = set()
    for match in CLASS_ATTRIBUTE.finditer(html):
        classes.update((match[1] if match[1] is not None else match[2]).split())
    return joined(tuple(part for part in parts if part.needed_by(classes)))


@functools.lru_cache(maxsize=256)
def joined(parts):
    """(the stylesheet, its policy source): the same few, for thousands of pages."""
    text = "".join(part.text for part in parts)
    return text, inline_hash(text)


class PageFinisher:
    """A page's template whose output gets the page's own stylesheet, and a
    policy that allows just it; `sources` collects every stylesheet's
    policy source (for `_headers`). Pelican's writer only calls render()."""

    def __init__(self, template, parts, sources):
        self.template, self.parts, self.sources = template, parts, sources

    def render(self, context):
        html = self.template.render(context)
        if PAGE_STYLE_ELEMENT not in html:
            return html  # not a page with a stylesheet of its own (none of ours today)
        css, source = page_stylesheet(self.parts, html)
        self.sources.add(source)
        html = html.replace(PAGE_STYLE_ELEMENT, f"<style>{css}</style>", 1)
        return html.replace(f"style-src {PAGE_STYLE_SOURCE}", f"style-src {escape(source)}", 1)


def finished(template, settings, sources):
    """The template, as the writer should render it (see PageFinisher)."""
    parts = settings.get("INLINE_CSS_PARTS")
    return PageFinisher(template, parts, sources) if parts is not None else template


def inline_css():
    """Where the page's stylesheet goes (the writer puts it there)."""
    return Markup(PAGE_CSS_MARKER)


@pass_context
def form_loader(context):
    """The script that loads the form's script when the visitor comes to it."""
    return Markup(context["FORM_LOADER_JS"])


def install_template_helpers(generator):
    generator.env.globals["inline_css"] = inline_css
    generator.env.globals["form_loader"] = form_loader


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
    theme = Path(settings["THEME"])
    unlisted_files(theme, settings, report)  # reported; the checks stop the build
    script_hashes = {bundle.get("hashes", "INLINE_SCRIPT_HASHES"): [] for bundle in BUNDLES if "inline" in bundle}
    for bundle in BUNDLES:
        if "parts" in bundle:
            parts = style_parts(settings, bundle, report)
            if parts is not None:  # else reported; the checks stop the build before writing
                settings[bundle["parts"]] = parts
            continue
        text = build_bundle(theme / bundle["folder"], settings.get(bundle["list"], []), bundle["list"],
                            bundle["minify"], report)
        if text is None:
            continue  # reported; the checks stop the build before writing
        if "inline" in bundle:
            if "</" in text:  # would end the <script> early
                report.error("pelicanconf.py", 1, _e("the {setting} scripts hold “</”, which would end the page's "
                                                     "<script> early. Write it another way (\\x3c/ in a string).",
                                                     setting=bundle["list"]))
            settings[bundle["inline"]] = text
            script_hashes[bundle.get("hashes", "INLINE_SCRIPT_HASHES")].append(inline_hash(text))
            continue
        path = fingerprinted_path(text, bundle["name"], bundle["extension"])
        settings[bundle["path"]] = path
        texts[path] = text
    settings["_ASSET_BUNDLE_TEXTS"] = texts
    for setting, hashes in script_hashes.items():
        settings[setting] = sorted(hashes)


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
    signals.generator_init.connect(install_template_helpers)
