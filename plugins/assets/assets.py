"""Bundle the theme's stylesheets into one fingerprinted file.

The theme keeps one small CSS file per component in ``theme/css/``; visitors
should pay for one request, not ten. This plugin concatenates the files named
in ``CSS_BUNDLE`` in that order, minifies the result with rcssmin, and writes it
as ``theme/site.<hash>.css``: the content hash in the name lets hosts cache it
for a year, and a changed stylesheet always gets a new name.

Templates link it with ``{{ SITEURL }}/{{ CSS_FILE }}``.
"""

import hashlib
from pathlib import Path

import rcssmin
from pelican import signals
from pelican.generators import Generator

# Where the component stylesheets live, relative to the theme folder.
CSS_SOURCE_DIR = "css"
# Where the bundle is written, relative to the output folder.
OUTPUT_DIR = "theme"
# How many hex digits of the SHA-256 go into the file name.
HASH_LENGTH = 10


def build_css_bundle(theme_path, file_names):
    """Concatenate and minify the named stylesheets; return the CSS text."""
    source_dir = Path(theme_path) / CSS_SOURCE_DIR
    missing = [name for name in file_names if not (source_dir / name).is_file()]
    if missing:
        raise ValueError(
            f"pelicanconf.py: CSS_BUNDLE names files that are not in {source_dir}: "
            + ", ".join(missing)
        )
    unused = sorted(
        path.name for path in source_dir.glob("*.css") if path.name not in file_names
    )
    if unused:
        raise ValueError(
            f"{source_dir}: stylesheets not listed in CSS_BUNDLE (add them or "
            "delete them): " + ", ".join(unused)
        )
    source = "\n".join(
        (source_dir / name).read_text(encoding="utf-8") for name in file_names
    )
    return rcssmin.cssmin(source)


def fingerprinted_name(stem, text, suffix):
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return f"{OUTPUT_DIR}/{stem}.{digest}{suffix}"


def prepare_bundle(pelican):
    """Build the bundle once per build, before any template needs its name."""
    settings = pelican.settings
    css = build_css_bundle(settings["THEME"], settings["CSS_BUNDLE"])
    settings["_CSS_BUNDLE_TEXT"] = css
    settings["CSS_FILE"] = fingerprinted_name("site", css, ".css")


class AssetsGenerator(Generator):
    """Writes the bundled stylesheet into the output folder."""

    def generate_output(self, writer):
        target = Path(self.output_path) / self.settings["CSS_FILE"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.settings["_CSS_BUNDLE_TEXT"], encoding="utf-8")


def get_generators(pelican):
    return AssetsGenerator


def register():
    signals.initialized.connect(prepare_bundle)
    signals.get_generators.connect(get_generators)
