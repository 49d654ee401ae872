"""Which files may be under content/ and theme/: an allow-list.

Pelican reads every file whose extension has a reader and copies the static
folders as they are, following symbolic links. A committed link to a system
file or to ``/proc/self/environ`` would publish it (in CI: the repository's
secrets), and a ``.html`` or ``.rst`` file would skip every check. So,
before Pelican looks at anything (and Pelican is then kept from what is
refused here: checks.never_walk_refused_folders, never_read_refused):

* no symbolic link anywhere under content/ or theme/;
* content/ holds only the article and page folders and the static folders;
* an article or page is ``<folder>/<slug>/index.<lang>.md``, nothing else
  (a file left at the old ``<slug>/<lang>.md`` is told its new name);
* static files are of an allowed type and size (``contract.STATIC_TYPES``);
* what editors' tools leave behind (lock, swap and backup files) is skipped
  without a word, as Pelican skips it (its IGNORE_FILES).
"""

import glob
import math
import os
from pathlib import Path

from . import contract
from .build import display_path
from .messages import _e

LINK_REFUSED = _e("this is a link to another file or folder, which the site never follows. Replace it with a real "
                  "file, or delete it.")
# Each folder of content, as messages name one of its items.
KIND_NAMED = {"articles": _e("article"), "pages": _e("page")}

MARKUP_EXTENSIONS = {".markdown", ".mkd", ".mdown", ".html", ".htm", ".rst", ".txt"}


def shown(path):
    """A path as messages show it: relative to the project when inside it."""
    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else str(path)


def leftover_patterns(settings):
    """The editors' leftovers under content/, by name, as patterns for
    Pelican's IGNORE_FILES: Pelican must skip exactly what walk() skips.

    Pelican matches IGNORE_FILES against a file's or folder's bare name,
    and its default ("**/.*") never matches one; it would read a `.#uk.md`
    (Emacs's lock, a link to nowhere: a traceback) and copy a `.env`, an
    `x.png~` or a hidden folder, links followed, from a static folder.
    """
    names = set()
    for folder, folders, files in os.walk(settings["PATH"], followlinks=False):
        names.update(name for name in folders + files if contract.is_editor_leftover(name))
        folders[:] = [name for name in folders if not contract.is_editor_leftover(name)]
    return sorted(glob.escape(name) for name in names)


def walk(root):
    """(path, is_folder) for everything under root, links not followed;
    editors' leftovers and hidden files are passed over."""
    for folder, folders, files in os.walk(root, followlinks=False):
        folders[:] = sorted(name for name in folders if not contract.is_editor_leftover(name))
        for name in folders:
            yield Path(folder) / name, True
        for name in sorted(files):
            if not contract.is_editor_leftover(name):
                yield Path(folder) / name, False


def check_content_files(settings, report):
    """Check every file and folder under content/; return the refused ones
    ({path relative to content/, as posix: is a folder}), which the build
    must never read (see checks.never_read_refused), and the files in a
    refused folder, which are not read either (each said so, once)."""
    content = Path(settings["PATH"])
    static_folders = [Path(folder).parts[0] for folder in settings.get("STATIC_PATHS", [])]
    content_folders = list(contract.KIND_OF_FOLDER)
    refused = {}
    for path, is_folder in walk(content):
        name = display_path(path, settings)
        parts = path.relative_to(content).parts
        before = len(report.errors)
        if path.is_symlink():
            report.error(name, 1, LINK_REFUSED)
        elif parts[0] not in content_folders + static_folders:
            report.error(name, 1, _e("content/ holds only {folders}: the site does not use this. Move it there, "
                                     "or delete it.", folders=", ".join(f"{f}/" for f in content_folders + static_folders)))
        elif parts[0] in static_folders:
            if not is_folder:
                check_static_file(path, name, report)
        else:
            check_content_path(path, parts, is_folder, name, report, settings)
        relative = "/".join(parts)
        if len(report.errors) > before:
            refused[relative] = is_folder
            continue
        folder = next((f for f in refused if refused[f] and relative.startswith(f + "/")), None)
        if folder is not None:
            refused[relative] = is_folder
            if not is_folder:
                report.error(name, 1, _e("not read: it is in {folder}, which has a problem (above). Fix that "
                                         "first; this file is checked once it is read.",
                                         folder=display_path(content / folder, settings)))
    return refused


def check_content_path(path, parts, is_folder, name, report, settings):
    """articles/<slug>/index.<lang>.md (likewise pages/): folders two deep,
    texts named index.<lang>.md, photos beside them."""
    where = f"content/{parts[0]}/<slug>/{contract.content_file_name('<lang>')}"
    if is_folder:
        if path.suffix == contract.CONTENT_EXTENSION:
            report.error(name, 1, _e("a folder is named like a Markdown file. Rename it (each {kind} is a folder "
                                     "named by its slug, holding {files} files).",
                                     kind=KIND_NAMED.get(parts[0], parts[0]),
                                     files=contract.content_file_name("<lang>")))
        elif len(parts) > 2:
            report.error(name, 1, _e("folders go one level deep here: put each file at {where}.", where=where))
        return
    suffix = path.suffix.lower()
    if suffix in contract.PHOTO_TYPES and len(parts) == 3:
        return  # a photo beside the text: checked where the text shows it (photos.py)
    if path.suffix != contract.CONTENT_EXTENSION:
        if suffix in MARKUP_EXTENSIONS or suffix == ".md":
            message = _e("Only Markdown files ending in .md are read here: rename it to {file} (e.g. {where}).",
                         file=contract.content_file_name("<lang>"), where=where)
        elif suffix in contract.PHOTO_TYPES:
            message = _e("a photo goes beside the text that shows it: move it into {folder}/.",
                         folder=where.rsplit("/", 1)[0])
        else:
            message = _e("Only the Markdown files of articles and pages, and their photos ({types}), belong here "
                         "(e.g. {where}). {where_else}", types=", ".join(sorted(contract.PHOTO_TYPES)), where=where,
                         where_else=where_else(suffix))
        report.error(name, 1, message)
    elif len(parts) != 3:
        report.error(name, 1, _e("put it at {where}: the folder's name is the address, the file's name the "
                                 "language.", where=where))
    elif contract.language_of_file_name(path.name) is None:
        report.error(name, 1, misnamed_text(path, parts, settings))


def misnamed_text(path, parts, settings):
    """What to say of a .md file beside the texts that is not index.<lang>.md:
    the old layout's <lang>.md is told its new name."""
    folder = f"content/{parts[0]}/{parts[1]}"
    if path.stem in settings["LANGUAGES"]:
        return _e("texts are now named index.<language>.md: rename this file to {file} ({folder}/{file}). "
                  "Nothing else changes.", file=contract.content_file_name(path.stem), folder=folder)
    languages = ", ".join(contract.content_file_name(lang) for lang in settings["LANGUAGES"])
    return _e("a text's file is named after its language: rename it to one of {files} (e.g. {folder}/{file}).",
              files=languages, folder=folder, file=contract.content_file_name(settings["DEFAULT_LANG"]))


def where_else(suffix):
    """Where a file that is neither a text nor a photo may go: content/extra/
    takes only STATIC_TYPES, so it is named only for those."""
    if suffix in contract.STATIC_TYPES:
        return _e("Move it to content/extra/ (files published as they are), or delete it.")
    return _e("Files of this type are not published anywhere: save it as one of those photo types, or delete it.")


def check_static_file(path, name, report):
    if path.suffix.lower() not in contract.STATIC_TYPES:
        allowed = ", ".join(sorted(contract.STATIC_TYPES))
        # A HEIC is a photo, taken only beside a text, where it is converted.
        if path.suffix.lower() in contract.PHOTO_TYPES:
            report.error(name, 1, _e("files of this type are not published. Use one of: {allowed}. A photo in a "
                                     "text goes beside the text's file (content/articles/<slug>/photo.heic), where "
                                     "the build converts it.", allowed=allowed))
        else:
            report.error(name, 1, _e("files of this type are not published. Use one of: {allowed}.", allowed=allowed))
    elif path.stat().st_size > contract.STATIC_MAX_BYTES:
        megabytes = math.ceil(path.stat().st_size * 10 / 2**20) / 10  # 5 MB and a byte: 5.1 MB
        report.error(name, 1, _e("the file is {size} MB, over the limit of {limit} MB. Make it smaller.",
                                 size=f"{megabytes:g}", limit=f"{contract.STATIC_MAX_BYTES / 2**20:g}"))


def check_theme_files(settings, report):
    for path, _ in walk(Path(settings["THEME"])):
        if path.is_symlink():
            report.error(shown(path), 1, LINK_REFUSED)
