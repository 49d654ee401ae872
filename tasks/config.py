"""Where the project's parts are, and what every task module shares.

ROOT (the project's folder, the parent of this package) and CONFIG (the
settings files, folders and the preview's address) are defined here and
nowhere else; so are loading our Pelican plugin, showing a path relative to
the project, and stopping a task with one sentence.
"""

import functools
import sys
from pathlib import Path

# This file is tasks/config.py: the project is the folder above the package.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tools/


CONFIG = {
    # Settings for the local preview and for the published site.
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    # Where `build` puts the finished site.
    "deploy_path": "output",
    "content_path": "content",
    "theme_path": "theme",
    # The local preview server.
    "host": "127.0.0.1",
    "port": 8000,
    # `invoke preview --serve`: the production build, for a local address,
    # in a folder and on a port of its own, beside a running `make serve`.
    "production_preview_path": "output-production",
    "production_preview_port": 8010,
    # Languages with a translation catalogue (English is the catalogue's source).
    "catalogue_languages": ["uk", "ru"],
}


def clinic_plugin():
    """Our plugin package, loaded as Pelican loads it (module `clinic`)."""
    from pelican.plugins._utils import load_legacy_plugin

    return load_legacy_plugin("clinic", [str(ROOT / "plugins")])


@functools.lru_cache(maxsize=None)
def editor_messages():
    """The plugin's messages module (``_e``, ``_en``), speaking the editor's
    language from now on: the environment variable EDITOR_LANGUAGE, else the
    setting in pelicanconf.py. An unknown language stops the task in one
    sentence (in Ukrainian: the editor's is not known)."""
    from pelican.settings import read_settings

    messages = clinic_plugin().messages
    try:
        messages.use_language(read_settings(str(ROOT / CONFIG["settings_base"])))
    except messages.UnknownLanguage as error:
        refuse(str(error))
    return messages


def shown_path(path):
    """`path` relative to the project when it is inside it."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def refuse(message):
    """Stop a task with one sentence (no traceback), exit code 1."""
    print(message, file=sys.stderr)
    sys.exit(1)


def one_line(error):
    """An exception's message on one line, not too long."""
    text = " ".join(str(error).split()) or "no message"
    return text if len(text) <= 200 else text[:199] + "…"
