"""Bundle the theme's stylesheets and scripts into fingerprinted files.

The theme keeps one small file per component in ``theme/css/`` and
``theme/js/``; visitors should pay for one request per kind, not ten. For each
kind this plugin concatenates the files named in its setting (``CSS_BUNDLE``,
``JS_BUNDLE``) in that order, minifies the result (rcssmin, rjsmin) and writes
it as ``theme/site.<hash>.css`` / ``.js``: the content hash in the name lets
hosts cache it for a year, and a changed file always gets a new name.

Templates link them with ``{{ SITEURL }}/{{ CSS_FILE }}`` and
``{{ SITEURL }}/{{ JS_FILE }}``. A file in the folder that the bundle does not
list, or a listed file that is missing, stops the build with a ``path:line``
message: both are mistakes.
"""

import hashlib
from pathlib import Path

import rcssmin
import rjsmin
from pelican import signals
from pelican.generators import Generator

from .addresses import ASSETS_FOLDER
from .build import build_state
from .files import shown

# Each kind of asset: its setting, its folder in the theme, its minifier, and
# the setting that tells templates the bundle's path in the output.
BUNDLES = {
    "css": {"list": "CSS_BUNDLE", "folder": "css", "minify": rcssmin.cssmin, "path": "CSS_FILE"},
    "js": {"list": "JS_BUNDLE", "folder": "js", "minify": rjsmin.jsmin, "path": "JS_FILE"},
}
# How many hex digits of the SHA-256 go into a file name.
HASH_LENGTH = 10


def build_bundle(source_dir, file_names, extension, setting_name, minify, report):
    """Concatenate and minify the named files; return the text (None after
    reporting a file the setting names but the folder lacks, or the reverse:
    both are mistakes)."""
    missing = [name for name in file_names if not (source_dir / name).is_file()]
    for name in missing:
        report.error("pelicanconf.py", 1, f"{setting_name} names {name}, which is not in {source_dir}. "
                     "Add the file, or remove it from the list.")
    unused = sorted(
        path for path in source_dir.glob(f"*.{extension}") if path.name not in file_names
    )
    for path in unused:
        report.error(shown(path), 1, f"this file is not listed in {setting_name} in pelicanconf.py, so the site "
                     "would not use it. Add it there, or delete it.")
    if missing or unused:
        return None
    source = "\n".join(
        (source_dir / name).read_text(encoding="utf-8") for name in file_names
    )
    return minify(source)


def fingerprinted_path(text, extension):
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return f"{ASSETS_FOLDER}site.{digest}.{extension}"


def prepare_bundles(pelican):
    """Build the bundles once per build, before any template needs a name."""
    settings = pelican.settings
    texts = {}
    for extension, bundle in BUNDLES.items():
        text = build_bundle(
            Path(settings["THEME"]) / bundle["folder"],
            settings.get(bundle["list"], []),
            extension,
            bundle["list"],
            bundle["minify"],
            build_state(settings).report,
        )
        if text is None:
            continue  # reported; the checks stop the build before reading
        path = fingerprinted_path(text, extension)
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
