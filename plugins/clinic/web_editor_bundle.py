"""The web editor at /admin/: Sveltia CMS, bundled into the site at build time.

Every full build writes, under ``admin/`` (``ADMIN_FOLDER``):

* ``index.html``, the page (``theme/templates/admin.html``): noindex, in no
  sitemap, search index or content report, linked from no visitor's page,
  under its own Content-Security-Policy (``security_policy``);
* ``config.yml``, the editor's configuration, made from the content
  contract and the settings (``web_editor.editor_config``), serialised;
* ``editor.js`` and its ``chunks/``, the bundle of ``theme/admin/editor.js``
  made by esbuild (``tools/bundle_web_editor.mjs``, run with ``node``, both
  packages pinned in package-lock.json), with the package's fonts and
  WebAssembly in ``assets/`` beside the code that names them: nothing is
  fetched from another host.

The bundle takes a few seconds and 15 MB, so it is made once per version
of its inputs (package-lock.json, the bundler script, theme/admin/) and
kept in ``cache/admin/<their hash>/`` (git-ignored); a build links (or
copies) the cached files into its output. The preview's first step after
an edit writes no editor: the full build that follows does.
"""

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from .addresses import ADMIN_FOLDER
from .build import build_state
from .messages import _e
from .web_editor import editor_config

PROJECT = Path(__file__).resolve().parent.parent.parent
BUNDLER = PROJECT / "tools" / "bundle_web_editor.mjs"
EDITOR_SOURCES = PROJECT / "theme" / "admin"  # editor.js, the entry, and what it imports
ENTRY = EDITOR_SOURCES / "editor.js"
PACKAGE_LOCK = PROJECT / "package-lock.json"
NODE_MODULES = PROJECT / "node_modules"
PACKAGE_ASSETS = NODE_MODULES / "@sveltia" / "cms" / "npm" / "assets"
PAGE_TEMPLATE = "admin"
CONFIG_NAME = "config.yml"
# Written last into a cached bundle: a folder without it is unfinished.
COMPLETE_MARK = ".complete"


class BundleError(Exception):
    """The bundle could not be made; `message` says why and what to do."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def serialised_config(config):
    """config.yml's text. JSON is YAML (1.2, which the editor reads), and
    json.dumps quotes every string: no value can turn into another type
    (`no`, `on`, a date) as a plain YAML scalar could."""
    return json.dumps(config, ensure_ascii=False, indent=2) + "\n"


def bundle_inputs():
    """Every file the bundle is made from, but node_modules (package-lock.json
    pins what is there)."""
    return [PACKAGE_LOCK, BUNDLER, *sorted(path for path in EDITOR_SOURCES.rglob("*") if path.is_file())]


def bundle_key():
    digest = hashlib.sha256()
    for path in bundle_inputs():
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def cache_folder(settings):
    """cache/admin/ of the project (git-ignored), not under CACHE_PATH: the
    bundle depends on the project's files only, so every build of the
    project (a test's fixture site too) shares it."""
    return Path(settings.get("WEB_EDITOR_CACHE_PATH") or PROJECT / "cache" / "admin")


def place_package_assets(folder):
    """Copy each of the package's files (fonts, WebAssembly, its worker)
    beside the bundled code that names it: the code finds them as
    new URL('assets/<name>', import.meta.url), relative to its own file."""
    names = {path.name for path in PACKAGE_ASSETS.iterdir() if path.suffix != ".map"}
    for script in folder.rglob("*.js"):
        text = script.read_text(encoding="utf-8")
        for name in names:
            if f"assets/{name}" in text:
                target = script.parent / "assets" / name
                target.parent.mkdir(exist_ok=True)
                shutil.copyfile(PACKAGE_ASSETS / name, target)


def make_bundle(target):
    """Run esbuild (tools/bundle_web_editor.mjs) into `target`."""
    if not (NODE_MODULES / "esbuild").is_dir() or not PACKAGE_ASSETS.is_dir():
        raise BundleError(_e("the web editor's packages are not installed. Run `npm ci --ignore-scripts` (make html "
                             "and make serve do it for you)."))
    try:
        bundled = subprocess.run(["node", str(BUNDLER), str(ENTRY), str(target)], cwd=PROJECT, capture_output=True,
                                 text=True)
    except FileNotFoundError:
        raise BundleError(_e("Node.js (`node`) is not installed, and the web editor is bundled with it. Install "
                             "Node.js (Debian: `apt-get install nodejs npm`).")) from None
    if bundled.returncode:
        said = (bundled.stderr or bundled.stdout).strip()
        raise BundleError(_e("the web editor could not be bundled: {said}", said=said))
    place_package_assets(target)


def cached_bundle(settings):
    """The folder holding the bundle for today's inputs, made if missing."""
    cache = cache_folder(settings)
    folder = cache / bundle_key()
    if (folder / COMPLETE_MARK).is_file():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    unfinished = Path(tempfile.mkdtemp(prefix=".bundle-", dir=cache))
    try:
        make_bundle(unfinished)
        (unfinished / COMPLETE_MARK).touch()
        # Another build may have made the same bundle meanwhile: the first
        # one stays, as builds may be linking from it.
        with contextlib.suppress(OSError):
            unfinished.rename(folder)
    finally:
        shutil.rmtree(unfinished, ignore_errors=True)
    # Older bundles (other inputs) are of no more use.
    for old in cache.iterdir():
        if old != folder and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return folder


def copy_bundle(bundle, output):
    """Link every file of the cached bundle into `output` (a copy where the
    file system has no hard links). Nothing writes into a built file, so a
    link never changes the cache."""
    for path in sorted(bundle.rglob("*")):
        if path.is_dir() or path.name == COMPLETE_MARK:
            continue
        target = output / path.relative_to(bundle)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)


class WebEditorGenerator(Generator):
    """Writes /admin/: the page, its configuration and the bundle."""

    def generate_output(self, writer):
        if build_state(self.settings).only_outputs is not None:
            return  # the preview's first step after an edit: the full build that follows writes it
        output = Path(self.output_path) / ADMIN_FOLDER
        try:
            bundle = cached_bundle(self.settings)
        except BundleError as error:
            # As the writer stops on a page it cannot write: one line, no traceback.
            raise SystemExit(f"{BUNDLER.relative_to(PROJECT)}:1: {error.message}") from None
        copy_bundle(bundle, output)
        (output / CONFIG_NAME).write_text(serialised_config(editor_config(self.settings)), encoding="utf-8")
        writer.write_file(f"{ADMIN_FOLDER}index.html", self.get_template(PAGE_TEMPLATE), self.context,
                          lang=self.settings["DEFAULT_LANG"], url=ADMIN_FOLDER, editor_script=f"{ADMIN_FOLDER}editor.js",
                          relative_urls=self.settings["RELATIVE_URLS"])


def get_generators(pelican):
    return WebEditorGenerator


def register():
    signals.get_generators.connect(get_generators)
