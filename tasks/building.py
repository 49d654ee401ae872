"""Building the site: `invoke clean`, `invoke build`, `invoke preview`.

Owns Pelican's command line (pelican_command, settings_overrides), the
build into a staging folder swapped in only when it succeeded (build_site,
update_folder), the search index every build ends with
(index_for_search), and the production build served at a local address
(`invoke preview --serve`: serve_production_build).
"""

import contextlib
import functools
import json
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from invoke import task
from invoke.exceptions import UnexpectedExit
from invoke.runners import Result

from .config import CONFIG, ROOT, clinic_plugin, editor_messages, one_line, refuse, shown_path
from .processes import Stopped, run_command, run_commands, signals_held, staging_folder, stop_on_signals


def pelican_command(settings_file, output_path, extra="", content_path=None, fresh_output=True):
    """The pelican command line that builds the site (content/, or
    `content_path`) into `output_path` (emptied first, unless not
    `fresh_output`)."""
    content_path = shlex.quote(str(content_path or CONFIG["content_path"]))
    fresh = "--delete-output-directory" if fresh_output else ""
    return (
        f"{shlex.quote(sys.executable)} -m pelican {content_path} "
        f"--settings {settings_file} --output {shlex.quote(str(output_path))} "
        f"--fatal warnings {fresh} {extra}"
    )


def settings_overrides(**settings):
    """Pelican options that override settings (any JSON value) for one build."""
    if not settings:
        return ""
    pairs = " ".join(
        shlex.quote(f"{name}={json.dumps(value)}") for name, value in settings.items()
    )
    return f"--extra-settings {pairs}"


def build_site(c, settings_file, output_path, extra="", content_path=None, run_pelican=None, swap_guard=None,
               in_place=False):
    """Build into a fresh folder beside `output_path`, then swap it in.

    A failed build leaves `output_path` exactly as it was: visitors of the
    preview, and the publish step, never see a half-written site. Ctrl-C or
    SIGTERM during the build stops Pelican, removes the unfinished folder,
    and leaves `output_path` as it was too.

    The preview passes `run_pelican` (Pelican forked from its own process,
    see Preview), `swap_guard`, a context manager around the swap that
    yields False when a newer edit made this build out of date, and
    `in_place`: the served folder is updated file by file (update_folder)
    instead of swapped, so that no request ever finds it missing.
    """
    output_path = Path(output_path).resolve()
    output_path.parent.mkdir(parents=True, exist_ok=True)
    _e = editor_messages()._e  # (read now: not while stopping)
    with stop_on_signals():
        try:
            with staging_folder(".build-", output_path.parent) as staging:
                command = pelican_command(settings_file, staging, extra, content_path)
                built = (run_pelican or run_command)(shlex.split(command))
                if built.returncode:
                    # As c.run reports a failed command: invoke exits with
                    # Pelican's code and adds nothing to Pelican's messages.
                    raise UnexpectedExit(Result(command=command, exited=built.returncode))
                index_for_search(staging)
                with signals_held(), (swap_guard or contextlib.nullcontext)() as wanted:
                    if wanted is False:
                        return
                    if in_place and output_path.is_dir():
                        update_folder(staging, output_path)
                        return
                    if output_path.exists():
                        retired = Path(tempfile.mkdtemp(prefix=".old-", dir=output_path.parent))
                        output_path.rename(retired / "site")
                        shutil.rmtree(retired)
                    staging.rename(output_path)
        except Stopped as stop:
            print(_e("Stopped ({signal}): the unfinished build was removed and {folder}/ is as it was.",
                     signal=str(stop), folder=shown_path(output_path)), file=sys.stderr, flush=True)
            raise


# What our search page uses of what Pagefind writes: its search code and
# worker, each language's index, and the WebAssembly that reads it. Pagefind
# also writes ready-made search UIs, highlighting and a playground; the site
# has its own UI (theme/js/search.js), so anything not listed is removed
# rather than published.
SEARCH_INDEX_FILES = [
    "pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "*.pf_meta", "wasm.*.pagefind",
    "index/*.pf_index", "fragment/*.pf_fragment", "filter/*.pf_filter",
]


def index_for_search(site):
    """Build the search index of the built `site` with Pagefind (its binary
    from PyPI's pagefind_bin, pinned in requirements.txt: nothing is
    downloaded), one index per language, each in its own folder
    (pagefind/uk/, pagefind/en/, …) that only that language's search page
    loads: a Ukrainian search cannot return an English page.

    Pagefind indexes only the parts the templates mark data-pagefind-body
    (articles and pages, never a draft). It holds a whole index in memory
    (about 200 MB for a thousand long articles) and works mostly on one
    core, so each language is indexed by a Pagefind of its own, as many at
    a time as there are cores: memory stays bounded by a language, and the
    languages share the cores. Each Pagefind reads its language's pages
    from a folder of hard links to them (Pagefind takes a folder, and the
    default language's pages share the site's root with the others').
    (Pagefind's Python API would take the pages one by one, but its client
    waits a tenth of a second for each answer: minutes for a thousand pages.)

    Raises UnexpectedExit when Pagefind fails: the build stops like a failed
    Pelican run, and the site is left as it was."""
    from pelican.settings import read_settings

    addresses = clinic_plugin().addresses
    settings = read_settings(str(ROOT / CONFIG["settings_base"]))
    site = Path(site)
    prefixes = {addresses.language_prefix(lang, settings): lang for lang in settings["LANGUAGES"]}
    pages = {lang: [] for lang in settings["LANGUAGES"]}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        lang = next((lang for prefix, lang in prefixes.items() if prefix and relative.startswith(prefix)),
                    settings["DEFAULT_LANG"])
        pages[lang].append(relative)
    with tempfile.TemporaryDirectory(prefix=".search-sources-", dir=site) as sources:
        commands = []
        for lang, relatives in pages.items():
            for relative in relatives:
                link = Path(sources) / lang / relative
                link.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(site / relative, link)
                except OSError:  # a file system without hard links
                    shutil.copyfile(site / relative, link)
            commands.append([sys.executable, "-m", "pagefind", "--site", str(Path(sources) / lang), "--silent",
                             "--output-path", str(site / addresses.search_index_path(lang, settings))])
        for command, returncode in zip(commands, run_commands(commands, os.cpu_count() or 1)):
            if returncode:
                raise UnexpectedExit(Result(command=shlex.join(command), exited=returncode))
    folder = site / addresses.SEARCH_FOLDER
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        relative = path.relative_to(folder)
        if path.is_file() and not any(Path(*relative.parts[1:]).match(pattern) for pattern in SEARCH_INDEX_FILES):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def update_folder(source, target):
    """Make `target` hold exactly what `source` holds, one file at a time:
    each changed file is replaced in one step (os.replace), new folders are
    made before their files, and what `source` no longer has is removed
    last. A request meanwhile gets a whole old page or a whole new one."""
    wanted = {path.relative_to(source) for path in source.rglob("*")}
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            if destination.exists() and not destination.is_dir():
                destination.unlink()
            destination.mkdir(exist_ok=True)
        elif not destination.is_file() or destination.read_bytes() != path.read_bytes():
            if destination.is_dir():
                shutil.rmtree(destination)
            os.replace(path, destination)
    for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
        if path.relative_to(target) not in wanted:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


@task
def clean(c):
    """Remove the built site."""
    shutil.rmtree(ROOT / CONFIG["deploy_path"], ignore_errors=True)


@task(help={"extra": "more options for pelican, e.g. '--debug'"})
def build(c, extra=""):
    """Build the local-preview site into output/."""
    build_site(c, CONFIG["settings_base"], ROOT / CONFIG["deploy_path"], extra)


# publishconf.py needs both, and the site's domain if any; a production
# build for a local address (SITEURL, and the form's endpoint) overrides
# them, so these only get it past publishconf.py's checks.
PRODUCTION_PLACEHOLDERS = {"SITE_URL": "https://clinic.example", "CALLBACK_ENDPOINT": "https://forms.example/f/clinic",
                           "SITE_DOMAIN": ""}


def serve_production_build(c, port, extra=""):
    """Build the production site (publishconf.py: its policy, no drafts)
    for http://127.0.0.1:<port>, into a folder of its own, and serve it
    there as GitHub Pages would (the site's 404 page for a missing address)
    until Ctrl-C. The form posts to a local receiver (port + 1), which
    prints each request. output/ and a running `make serve` are left alone.
    """
    from tornado import web
    from tornado.ioloop import IOLoop

    from tools.callback_receiver import CallbackReceiver

    from .preview_server import site_files_handler

    host, port = CONFIG["host"], int(port)
    base = f"http://{host}:{port}"
    folder = ROOT / CONFIG["production_preview_path"]
    site = web.Application([(r"/(.*)", site_files_handler(), {"path": str(folder), "default_filename": "index.html"})])
    # Bound before the build: a port in use is said at once, and the address
    # the pages name is the one served.
    try:
        site.listen(port, address=host)
        receiver = CallbackReceiver(port=port + 1, echo=True).start()
    except OSError as error:
        refuse("invoke preview --serve: " + str(editor_messages()._e(
            "port {port} or {next_port} is in use ({said}); choose another with --port.", port=port,
            next_port=port + 1, said=one_line(error))))
    try:
        _e = editor_messages()._e
        print(_e("Building the production site for {address} into {folder}/", address=base,
                 folder=shown_path(folder)), flush=True)
        local = settings_overrides(SITEURL=base, ABSOLUTE_SITEURL=base, CALLBACK_ENDPOINT=receiver.url)
        build_site(c, CONFIG["settings_publish"], folder, f"{local} {extra}",
                   run_pelican=functools.partial(run_command, env=dict(os.environ, **PRODUCTION_PLACEHOLDERS)))
        print(_e("Serving the production site at {address}/ (Ctrl+C to stop)", address=base), flush=True)
        print(_e("Call-back form requests go to {address} and are printed here.", address=receiver.url), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            IOLoop.current().start()
    finally:
        receiver.stop()


@task(help={"extra": "more options for pelican",
            "serve": "build for http://127.0.0.1:8010 into output-production/ instead, and serve it there "
                     "(beside a running `make serve`)",
            "port": "with --serve: the port to serve on (8010); the form's receiver takes the next one"})
def preview(c, extra="", serve=False, port=CONFIG["production_preview_port"]):
    """Build the production site (publishconf.py) into output/; --serve: look at it locally.

    With --serve, the production build (its policy, no drafts) is made for
    a local address, so that every link stays local and search works, into
    output-production/, and served there until Ctrl-C; SITE_URL and
    CALLBACK_ENDPOINT are not needed (the form posts to a local receiver).
    """
    if serve:
        serve_production_build(c, port, extra)
        return
    build_site(c, CONFIG["settings_publish"], ROOT / CONFIG["deploy_path"], extra)
