"""Reading and checking the content files on every core.

Reading is most of a build's time: Markdown, the allow-list and the checks
of each file (at a thousand articles in three languages, more than half of
it). Pelican reads files one after another in one process, so before it
starts, ``examine_all`` reads every content file in a pool of processes, one
per core, and keeps the results; Pelican's reader (``reader.ContentReader``)
then takes the result for each file it reads, and examines a file itself
only when no result is kept for it, or the file has changed since.

Either way the work is the same function, ``reader.examine``: the file read
as Pelican reads it (``pelican_open``), its text converted by
Python-Markdown with the settings Pelican's Markdown reader uses (``render``),
passed through the allow-list, and checked. Its result is plain data, so it
travels between processes as it is; what needs the whole build (its report,
Pelican's metadata objects) stays with the reader.

A preview that keeps running (``invoke livereload``) keeps the results
between builds, so after an edit only the edited file is read again.

The pool forks the build's process (Linux), so the workers start with the
settings and modules already loaded; a worker that fails on a file leaves it
to the reader, which then reports the failure as it would without the pool.
"""

import hashlib
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Markdown
from pelican.utils import pelican_open

from . import photos
from .build import build_state
from .sanitise import sanitise

# Below this many files, a pool costs more than it saves.
POOL_MIN_FILES = 60
# The settings a file's examination depends on, besides its bytes.
# (The Markdown settings count as markdown_settings() gives them: Pelican's
# reader completes them in place.)
SETTINGS_READ = ("PATH", "LANGUAGES", "DEFAULT_LANG", "SITEURL", "ARTICLE_PATHS", "PAGE_PATHS", "TOPICS")


@dataclass
class Rendered:
    """A file's text rendered as Pelican's Markdown reader renders it, then
    sanitised: the HTML, the fields the `meta` extension found, and what the
    allow-list refused (sanitise.Refusal)."""

    html: str
    meta: dict  # {lower-case field name: [its lines]}
    refusals: list = field(default_factory=list)


# {absolute path: (digest, reader.Examined)}: checked against the file's
# bytes and the settings (``digest_of``) before use, so never out of date.
_kept = {}
# {path: (its stat and the settings when hashed, the digest)}: see digest_of.
_digests = {}
# One Markdown converter per process and kind, reset between uses.
_converters = {}


def markdown_settings(settings):
    """The Markdown settings as Pelican's MarkdownReader completes them: the
    configured extensions, and `meta` for the fields."""
    config = dict(settings["MARKDOWN"])
    extensions = list(config.get("extensions", []))
    for extension in config.get("extension_configs", {}):
        if extension not in extensions:
            extensions.append(extension)
    if "markdown.extensions.meta" not in extensions:
        extensions.append("markdown.extensions.meta")
    config["extensions"] = extensions
    return config


def converter(settings, for_fields=False):
    """Pelican's converter for a text, or (`for_fields`) for a field: the
    same without `meta`, as Pelican's reader has it (no fields in a field)."""
    config = markdown_settings(settings)
    key = (repr(config), for_fields)
    if key not in _converters:
        markdown = _converters[key] = Markdown(**config)
        if for_fields:
            markdown.preprocessors.deregister("meta")
    markdown = _converters[key]
    markdown.reset()
    return markdown


def render(path, settings):
    """A file's text: Markdown, then the allow-list."""
    markdown = converter(settings)
    with pelican_open(path) as text:
        html = markdown.convert(text)
    meta = {name: list(lines) for name, lines in getattr(markdown, "Meta", {}).items()}
    html, refusals = sanitise(html)
    return Rendered(html, meta, refusals)


def render_field(value, settings):
    """A Markdown field (the Summary), as Pelican renders it."""
    return converter(settings, for_fields=True).convert(value)


def digest_of(path, settings):
    """What a file's examination depends on: its bytes, the photos beside
    it, the settings it reads, and the day (reviews fall due)."""
    state = build_state(settings)
    if state.examined_with is None:  # once a build
        state.examined_with = repr([settings.get(name) for name in SETTINGS_READ]
                                   + [markdown_settings(settings), state.today]).encode()
    # A file whose size, modification time and inode are as they were when
    # it was last hashed, for the same settings and day, has that digest:
    # the preview need not read and hash a thousand files after each edit.
    stat = os.stat(path)
    stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino, photos.folder_stamp(path), state.examined_with)
    known = _digests.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256(Path(path).read_bytes() + repr(stamp[3]).encode() + state.examined_with).hexdigest()
    _digests[path] = (stamp, digest)
    return digest


def examined(path, settings):
    """The file at `path` read and checked (reader.Examined): the kept
    result while the file is as it was then, else examined now."""
    from .reader import examine  # the reader uses this module

    path = os.path.abspath(path)
    kept = _kept.get(path)
    if kept is not None and kept[0] == digest_of(path, settings):
        return kept[1]
    return examine(path, settings, build_state(settings).today)


def content_files(settings):
    """Every <folder>/<slug>/index.<lang>.md Pelican will read: never one the
    files check refused (build_state().refused), nor one through a link
    (a linked folder is not even listed)."""
    content = Path(settings["PATH"]).resolve()
    refused = build_state(settings).refused
    found = []
    for folder in [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]:
        root = content / folder
        if root.is_symlink() or not root.is_dir() or folder in refused:
            continue
        for item in root.iterdir():
            if item.is_symlink() or not item.is_dir() or f"{folder}/{item.name}" in refused:
                continue
            found += [str(path) for path in item.glob("*.md") if not path.is_symlink() and path.is_file()
                      and f"{folder}/{item.name}/{path.name}" not in refused]
    return sorted(found)


def examine_all(settings):
    """Examine every content file not examined yet (or changed since), in
    a pool of processes, one per core, and keep the results."""
    paths = content_files(settings)
    for gone in set(_kept) - set(paths):
        del _kept[gone]
    todo = [path for path in paths if path not in _kept or _kept[path][0] != digest_of(path, settings)]
    workers = min(os.cpu_count() or 1, len(todo) // (POOL_MIN_FILES // 2) or 1)
    if len(todo) < POOL_MIN_FILES or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = [_examine_here(path, settings) for path in todo]
    else:
        global _worker_settings
        _worker_settings = settings
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_examine_in_worker, todo, max(1, len(todo) // (workers * 8)))
        _worker_settings = None
    _kept.update((path, result) for path, result in results if result is not None)


# The settings, for the pool's workers (they come with the fork).
_worker_settings = None


def _examine_in_worker(path):
    return _examine_here(path, _worker_settings)


def _examine_here(path, settings):
    from .reader import examine

    try:
        return path, (digest_of(path, settings), examine(path, settings, build_state(settings).today))
    except Exception:  # the reader examines it again and reports what is wrong
        return path, None
