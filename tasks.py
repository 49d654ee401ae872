"""Tasks for building, previewing, testing and translating the site.

Run them as `.venv/bin/invoke <task>` (the Makefile does this for you);
`invoke --list` shows them all. Extra Pelican options pass through where a
task says so.
"""

import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from invoke import task
from invoke.exceptions import UnexpectedExit
from invoke.runners import Result

ROOT = Path(__file__).resolve().parent
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
    # Languages with a translation catalogue (English is the catalogue's source).
    "catalogue_languages": ["uk", "ru"],
}


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


# --- Stopping cleanly ---------------------------------------------------------
#
# A build or a publish writes into a staging folder first. Ctrl-C (SIGINT) and
# SIGTERM (CI cancelling a job, `kill`) must not leave that folder behind, nor
# a program still writing into it, nor a moved branch: both signals become
# `Stopped`, an exception, so every `finally` below runs, for either signal.


class Stopped(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM arrived; `str()` is the signal's name."""


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How long a program we started gets to stop after our SIGINT, before SIGKILL.
STOP_GRACE_SECONDS = 10
_held = {"depth": 0, "pending": None}


def _on_stop_signal(signum, frame):
    name = signal.Signals(signum).name
    if _held["depth"]:  # inside signals_held(): raised when it ends
        _held["pending"] = name
        return
    raise Stopped(name)


@contextlib.contextmanager
def stop_on_signals():
    """Within this block, SIGINT and SIGTERM both raise `Stopped`.

    Only the main thread can set signal handlers; elsewhere (a rebuild run
    by the preview server's watcher, say) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    for number in STOP_SIGNALS:
        signal.signal(number, _on_stop_signal)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        _held["pending"] = None


@contextlib.contextmanager
def signals_held():
    """Put off Ctrl-C and SIGTERM until this block ends, so that what it
    does (remove a folder, swap a build in, put a branch back) is never cut
    in half; a signal that came meanwhile raises `Stopped` at its end."""
    _held["depth"] += 1
    try:
        yield
    finally:
        _held["depth"] -= 1
    if not _held["depth"] and _held["pending"]:
        name, _held["pending"] = _held["pending"], None
        raise Stopped(name)


@contextlib.contextmanager
def staging_folder(prefix, parent=None):
    """A fresh folder, removed when the block ends, however it ends."""
    path = None
    try:
        with signals_held():
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        yield path
    finally:
        if path is not None:
            with signals_held():
                shutil.rmtree(path, ignore_errors=True)


def run_command(args, *, env=None, capture=False, input=None, own_group=True):
    """Run one program in ROOT to its end; return its CompletedProcess.

    If we are stopped meanwhile (`Stopped`, or any error), the program is
    stopped too before that goes on: asked first (SIGTERM), killed after
    STOP_GRACE_SECONDS. With `own_group`, it runs in a process group of its
    own, so whatever it starts in turn (the tests' browser and HTML checker)
    is stopped with it, and nothing of it outlives us to write into a folder
    we remove; and Ctrl-C reaches it only through us, once (not as a
    KeyboardInterrupt traceback from Pelican). Programs that may ask for a
    password (git talking to a remote) keep our group and the terminal.
    """
    pipe = subprocess.PIPE if capture else None
    if input is not None:
        stdin = subprocess.PIPE
    else:
        stdin = subprocess.DEVNULL if own_group else None
    process = None
    try:
        with signals_held():
            process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdin=stdin,
                stdout=pipe,
                stderr=pipe,
                text=True,
                process_group=0 if own_group else None,
            )
        stdout, stderr = process.communicate(input)
    except BaseException:
        if process is not None:
            with signals_held():
                _stop_process(process, own_group)
        raise
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def _stop_process(process, own_group):
    def send(number):
        try:
            if own_group:
                os.killpg(process.pid, number)
            elif process.poll() is None:
                process.send_signal(number)
        except (ProcessLookupError, PermissionError):
            pass

    if process.poll() is None:
        send(signal.SIGTERM)
        try:
            process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    send(signal.SIGKILL)  # whatever is left of it
    process.wait()


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
            print(
                f"Stopped ({stop}): the unfinished build was removed and "
                f"{shown_path(output_path)}/ is as it was.",
                file=sys.stderr,
                flush=True,
            )
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


def run_commands(commands, at_once):
    """Run the programs, `at_once` at a time, each in a process group of its
    own (as run_command); return their exit codes in order. If we are
    stopped meanwhile, those still running are stopped first."""
    waiting = list(enumerate(commands))
    running = {}
    codes = [None] * len(commands)
    try:
        while waiting or running:
            while waiting and len(running) < at_once:
                number, args = waiting.pop(0)
                with signals_held():
                    running[number] = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.DEVNULL, process_group=0)
            # Polled, not os.wait(): the preview has other children (its
            # forked Pelicans) whose end is theirs to collect.
            time.sleep(0.02)
            for number, process in list(running.items()):
                if process.poll() is not None:
                    codes[number] = process.returncode
                    del running[number]
    except BaseException:
        with signals_held():
            for process in running.values():
                _stop_process(process, own_group=True)
        raise
    return codes


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


def shown_path(path):
    """`path` relative to the project when it is inside it."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


@task
def clean(c):
    """Remove the built site."""
    shutil.rmtree(ROOT / CONFIG["deploy_path"], ignore_errors=True)


@task(help={"extra": "more options for pelican, e.g. '--debug'"})
def build(c, extra=""):
    """Build the local-preview site into output/."""
    build_site(c, CONFIG["settings_base"], ROOT / CONFIG["deploy_path"], extra)


@task(help={"extra": "more options for pelican"})
def preview(c, extra=""):
    """Build the production site (publishconf.py) into output/."""
    build_site(c, CONFIG["settings_publish"], ROOT / CONFIG["deploy_path"], extra)


def load_reload_client_as_external_script(port):
    """Make livereload add its browser client as <script src>, not inline.

    livereload injects an inline <script> into every page it serves, which
    our Content-Security-Policy (the same in the preview as in production)
    rightly blocks, so the browser would never reload. Same client, same
    place, loaded from the server's own /livereload.js instead.
    """
    import livereload.server

    tag = f'<script src="/livereload.js?port={int(port)}"></script>'.encode()

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        head_end = livereload.server.HEAD_END
        if "html" in headers.get("Content-Type", "") and head_end in chunk:
            chunk = chunk.replace(head_end, tag + head_end, 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(tag))
        return status_code, headers, chunk

    livereload.server.LiveScriptInjector.transform_first_chunk = transform_first_chunk


def file_event_watcher():
    """livereload's file watcher, told of changes by the operating system
    (watchfiles: inotify on Linux, FSEvents on macOS) instead of looking at
    every watched file every 0.8 s: an edit starts building within a few
    hundredths of a second, and a library of thousands of files is not
    scanned over and over. The builds run in the watcher's own thread, so
    the server goes on answering meanwhile; when one is done, the browsers
    are told to reload.

    livereload's Watcher keeps the tasks (`watch`: a file or folder, and what
    to run when something in it changes); livereload calls `start` once its
    loop runs (True: do not poll) and `examine` when told of a change."""
    import watchfiles
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class FileEventWatcher(Watcher):
        def start(self, callback):
            loop = IOLoop.current()
            roots = {str(Path(path).resolve()): task["func"] for path, task in self._tasks.items()}

            def run():
                for changes in watchfiles.watch(*roots, step=20):
                    paths = sorted({path for _, path in changes})
                    for root, func in roots.items():
                        if func and any(path == root or path.startswith(root + os.sep) for path in paths):
                            func()
                    self._changes.append((paths[0], None))
                    loop.add_callback(callback)

            threading.Thread(target=run, name="watch", daemon=True).start()
            return True

        def examine(self):
            """The newest change: one reload shows them all."""
            self.filepath = self._changes[-1][0] if self._changes else None
            self._changes.clear()
            return self.filepath, None

    return FileEventWatcher()


class Preview:
    """What `make serve` builds after each change, and how soon.

    The first build, and a change to the theme, build the whole site (into
    a fresh folder, copied into the served one file by file when it is done:
    update_folder). An edit to content shows in
    two steps: first only the edited files' pages are written into the
    served folder, once every check has passed (seconds, even at a thousand
    articles); then the whole site is built again in the background, for
    the lists, feeds and neighbours the edit may change. A newer edit stops
    that background build and starts its own.

    Pelican runs forked from this process, which has already imported what
    a build needs and keeps every content file read and checked
    (plugins/clinic/rendering.py), so that only the edited files are read
    again. A change to the plugins or the settings needs a fresh Python:
    those builds run as a new process, and the quick first step stays off
    until `make serve` is restarted.
    """

    def __init__(self, content, output_path, overrides=None):
        self.content = Path(content).resolve()
        self.output_path = Path(output_path).resolve()
        self.overrides = dict(overrides or {})  # settings for every build (settings_overrides)
        self.quick = hasattr(os, "fork")  # Linux, macOS: not Windows
        self.settings = None
        self.seen = {}
        self.lock = threading.Lock()  # one update of the served folder at a time
        self.edits = 0  # how many edits so far: a background build of an older one is not swapped in
        self.running = set()  # forked Pelicans still running
        self.background = None

    # --- Steps ---------------------------------------------------------------

    def start(self):
        """Import and read everything once, then build the whole site."""
        if self.quick:
            from pelican.settings import read_settings

            clinic_plugin()
            import clinic.rendering

            self.rendering = clinic.rendering
            self.settings = read_settings(str(ROOT / CONFIG["settings_base"]), override={"PATH": str(self.content)})
            self.rendering.examine_all(self.settings)
        self.seen = self.content_files()
        self.build_everything()

    def content_changed(self):
        """An edit under content/: its pages first, then the whole site."""
        now = self.content_files()
        edited = sorted(path for path, stamp in now.items() if self.seen.get(path) != stamp)
        removed = set(self.seen) - set(now)
        self.seen = now
        if not self.quick or not edited or removed or not all(path.endswith(".md") for path in edited):
            return self.build_everything()  # a photo may be in any page: the whole site
        started = time.perf_counter()
        self.stop_background()
        self.settings.pop("_CLINIC_BUILD", None)  # a fresh day for the review checks
        self.rendering.examine_all(self.settings)  # the edited files only
        with self.lock:
            self.edits += 1
            extra = settings_overrides(**self.overrides, PREVIEW_CHANGED_SOURCES=edited)
            command = pelican_command(CONFIG["settings_base"], self.output_path, extra, self.content, fresh_output=False)
            if self.run_forked(shlex.split(command)).returncode:
                print("\nThe build failed (see above); still serving the last good site.\n", flush=True)
                return
        names = ", ".join(shown_path(path) for path in edited)
        print(f"Updated the page of {names} in {time.perf_counter() - started:.1f} s; "
              "building the rest of the site in the background.", flush=True)
        self.background = threading.Thread(target=self.build_everything, args=(self.edits,), daemon=True)
        self.background.start()

    def code_changed(self):
        """Plugins or settings changed: this process's copy is out of date."""
        if self.quick:
            print("The plugins or settings changed: every build is now a full one. "
                  "Restart `make serve` for quick previews of edits again.", flush=True)
        self.quick = False
        self.build_everything()

    def build_everything(self, edit=None):
        """The whole site, into a fresh folder swapped in when done; in the
        background after an edit (`edit`: which one), not swapped in once a
        newer edit came."""
        if edit is None:
            self.stop_background()

        @contextlib.contextmanager
        def only_if_current():
            with self.lock:
                yield edit is None or edit == self.edits

        try:
            build_site(None, CONFIG["settings_base"], self.output_path, settings_overrides(**self.overrides),
                       content_path=self.content, run_pelican=self.run_forked if self.quick else None,
                       swap_guard=only_if_current, in_place=True)
        except UnexpectedExit:
            if edit is None or edit == self.edits:
                print("\nThe build failed (see above); still serving the last good site.\n", flush=True)

    def stop_background(self):
        if self.background is not None and self.background.is_alive():
            for pid in list(self.running):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            self.background.join()
        self.background = None

    # --- Helpers ----------------------------------------------------------

    def content_files(self):
        """{path: (modification time, size)} of every file under content/."""
        stamps = {}
        for path in self.content.rglob("*"):
            with contextlib.suppress(OSError):
                if path.is_file():
                    stat = path.stat()
                    stamps[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return stamps

    def run_forked(self, args):
        """Run `python -m pelican …` (args as pelican_command makes them) in
        a fork of this process; its CompletedProcess."""
        pelican_args = args[3:]  # after: python -m pelican
        pid = os.fork()
        if pid == 0:  # the child: Pelican's command line, then exit
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.chdir(ROOT)  # as run_command runs Pelican
                from pelican import main

                main(pelican_args)
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
                if isinstance(stop.code, str):
                    print(stop.code, file=sys.stderr)
            except KeyboardInterrupt:
                code = 130
            except BaseException:  # noqa: BLE001 - shown as Pelican would show it, then exit
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.running.add(pid)
        try:
            _, status = os.waitpid(pid, 0)
        finally:
            self.running.discard(pid)
        return subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status))


@task(help={"port": "port to serve on (8000)", "output": "folder to build into (output)",
            "content": "the content folder to build (content)"})
def livereload(c, port=CONFIG["port"], output=CONFIG["deploy_path"], content=CONFIG["content_path"]):
    """Build, serve at http://127.0.0.1:8000 and rebuild on every change.

    The browser reloads by itself after each rebuild: an edited article's
    page first, the rest of the site a moment later (see Preview). A failed
    rebuild is reported here and the last good site stays served. Beside the
    site, a local receiver (port + 1) takes the call-back form's requests
    and prints them here.
    """
    from livereload import Server

    from tools.callback_receiver import CallbackReceiver

    site_url = f"http://{CONFIG['host']}:{port}"
    # The form on the preview posts here, and the receiver prints each request.
    receiver = CallbackReceiver(port=int(port) + 1, echo=True).start()
    preview = Preview(content, ROOT / output, {"CALLBACK_ENDPOINT": receiver.url, "ABSOLUTE_SITEURL": site_url})
    preview.start()
    load_reload_client_as_external_script(port)
    server = Server(watcher=file_event_watcher())
    server.watch(str(Path(content).resolve()), preview.content_changed)
    server.watch(str(ROOT / CONFIG["theme_path"]), preview.build_everything)
    for path in [ROOT / CONFIG["settings_base"], ROOT / "plugins"]:
        server.watch(str(path), preview.code_changed)
    print(f"Serving the site at {site_url}/ (Ctrl+C to stop)", flush=True)
    print(f"Call-back form requests go to {receiver.url} and are printed here.", flush=True)
    server.serve(
        host=CONFIG["host"], port=int(port), root=str(preview.output_path), open_url_delay=None
    )


def clinic_plugin():
    """Our plugin package, loaded as Pelican loads it (module `clinic`)."""
    from pelican.plugins._utils import load_legacy_plugin

    return load_legacy_plugin("clinic", [str(ROOT / "plugins")])


@task(help={"strict": "treat warnings (no reviewer, long sentences…) as problems too"})
def check(c, strict=False):
    """Check all content without building (fast); exit 1 on a problem."""
    # Pelican reads every file as a build would, the checks run, and it
    # stops before writing anything (CONTENT_CHECK_ONLY).
    scratch = Path(tempfile.mkdtemp(prefix=".check-", dir=ROOT))
    try:
        overrides = settings_overrides(CONTENT_CHECK_ONLY=True, CONTENT_CHECK_STRICT=bool(strict))
        # Pelican speaks to the terminal directly, as in build_site: invoke's
        # c.run decodes its output a thousand bytes at a time, which cuts a
        # letter of the editor's language (two bytes in UTF-8) in half.
        result = run_command(shlex.split(pelican_command(CONFIG["settings_base"], scratch, overrides)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode:
        sys.exit(1)


@task(help={"json": "print the report as JSON (for CI's job summary)"})
def report(c, json=False):
    """Every article: languages, author, reviewer, review dates, translations, warnings.

    In GitHub Actions it also adds the report to the job's summary."""
    import json as json_module
    import os

    content_report = clinic_plugin().content_report
    scratch = Path(tempfile.mkdtemp(prefix=".report-", dir=ROOT))
    try:
        data_path = scratch / "report.json"
        overrides = settings_overrides(CONTENT_CHECK_ONLY=True, CONTENT_REPORT_JSON=str(data_path))
        # (captured whole, not through c.run: see check)
        result = run_command(shlex.split(pelican_command(CONFIG["settings_base"], scratch / "output", overrides)),
                             capture=True)
        if not data_path.exists():  # the content could not be read at all
            print(result.stderr, file=sys.stderr, end="")
            sys.exit(1)
        data = json_module.loads(data_path.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(json_module.dumps(data, ensure_ascii=False, indent=2) if json else content_report.as_text(data))
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(content_report.as_markdown(data))
    if result.returncode:
        print(result.stderr, file=sys.stderr, end="")
        sys.exit(1)


def refuse(message):
    """Stop a task with one sentence (no traceback), exit code 1."""
    print(message, file=sys.stderr)
    sys.exit(1)


@task(
    help={
        "title": "the article's title, in its language",
        "lang": "uk, en or ru (default uk)",
        "translation_of": "the Slug of the article this translates",
        "slug": "the article's address, if the title does not give a good one",
    }
)
def new(c, title, lang="uk", translation_of=None, slug=None):
    """Write a new article (a draft) with every field filled in or marked TODO."""
    import datetime
    import unicodedata

    from pelican.settings import read_settings
    from pelican.utils import slugify

    contract = clinic_plugin().contract
    settings = read_settings(str(ROOT / CONFIG["settings_base"]))
    title = title.strip()
    title_field = contract.FIELDS_BY_KEY["title"]
    if lang not in settings["LANGUAGES"]:
        refuse(f"--lang {lang}: use one of {', '.join(settings['LANGUAGES'])}.")
    if not title or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in title):
        refuse("--title: write the title on one line, as text (no line breaks or control characters).")
    if len(title) > title_field.max_length:
        refuse(f"--title is {len(title)} characters long; the limit is {title_field.max_length}. Shorten it.")
    if translation_of:
        slug = translation_of
        option = "--translation-of"
    elif slug:
        option = "--slug"
    else:
        slug = slugify(title, settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
        option = "--title"
        if not contract.SLUG.fullmatch(slug) or len(slug) > contract.SLUG_MAX_LENGTH:
            problem = "gives no address" if len(slug) <= contract.SLUG_MAX_LENGTH else f"gives an address of {len(slug)} characters"
            refuse(f"--title “{title}” {problem} (the address is made of the title's letters and digits, at most "
                   f"{contract.SLUG_MAX_LENGTH}). Choose one yourself: add --slug neck-pain (small Latin letters, digits, hyphens).")
    if not contract.SLUG.fullmatch(slug) or len(slug) > contract.SLUG_MAX_LENGTH:
        refuse(f"{option} {slug!r}: an address holds only small Latin letters, digits and single hyphens, at most "
               f"{contract.SLUG_MAX_LENGTH} characters, e.g. neck-pain.")
    articles = ROOT / CONFIG["content_path"] / settings["ARTICLE_PATHS"][0]
    folder = articles / slug
    if translation_of and not folder.is_dir():
        refuse(f"--translation-of {translation_of}: there is no {folder.relative_to(ROOT)}/.")
    path = folder / f"{lang}.md"
    if path.exists() or path.is_symlink():
        refuse(f"{path.relative_to(ROOT)} already exists; edit it instead.")
    translated_from, known = None, {}
    original = folder / f"{settings['DEFAULT_LANG']}.md"
    if translation_of and lang != settings["DEFAULT_LANG"] and original.is_file() and not original.is_symlink():
        # Which version of the original this translation starts from, so the
        # content report can tell when the original changes after it; and
        # what the translation shares with it.
        from clinic.reader import open_source
        from clinic.report import Report

        source = open_source(original.resolve(), dict(settings, PATH=str((ROOT / settings["PATH"]).resolve())), Report())
        if source is not None:
            translated_from = source.text_version
            known = translation_fields(source, lang, settings, contract)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(contract.new_article(title, datetime.date.today().isoformat(), translated_from, known),
                    encoding="utf-8")
    print(f"Wrote {path.relative_to(ROOT)} (a draft). Fill in every {contract.UNFINISHED}, then remove “Status: draft” to publish.")


def translation_fields(original, lang, settings, contract):
    """{key: value} a translation into `lang` starts with: the original's
    fields that are the same in every language (contract.Field
    .same_in_every_language), and its topic's name in `lang` (TOPICS)."""
    known = {field.key: original.field_text(field.key) for field in contract.fields_for(contract.ARTICLE)
             if field.same_in_every_language and original.field_text(field.key)}
    category = original.field_text("category")
    names = next((names for names in settings.get("TOPICS", {}).values()
                  if names.get(settings["DEFAULT_LANG"]) == category and lang in names), None)
    if names is not None:
        known["category"] = names[lang]
    if "picture" in known:
        # The same photo, described in this language (a Picture needs one).
        known["picture_alt"] = f"{contract.UNFINISHED}: what the picture shows, in this language"
    return known


# The tests (pytest marker) that check a finished production build; `invoke
# publish` runs them against the folder it is about to push.
PUBLISH_CHECKS_MARKER = "published_output"
# What the published site is made from: `invoke publish` refuses to publish
# while any of it differs from what is committed (unless --allow-dirty).
PUBLISH_SOURCES = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py", "tasks.py"]
# How many uncommitted files a refusal names before it says "and N more".
LISTED_FILES = 10


class PublishError(Exception):
    """What stops `invoke publish`; its message is one sentence, what is
    wrong and how to fix it, without the leading "invoke publish: "."""


@task(
    help={
        "remote": "the git remote to push to (origin)",
        "branch": "the branch that hosts the site (gh-pages)",
        "dry_run": "do everything but the push, and say what would change",
        "allow_warnings": "publish even with warnings the publish policy stops on (errors always stop)",
        "allow_dirty": "publish even with uncommitted or untracked files in the site's sources",
    }
)
def publish(c, remote="origin", branch="gh-pages", dry_run=False, allow_warnings=False, allow_dirty=False):
    """Build the production site, check it, and only then push it to gh-pages.

    Needs SITE_URL and CALLBACK_ENDPOINT (and SITE_DOMAIN for a CNAME file)
    in the environment, and the site's sources committed. Any failure, and
    Ctrl-C or SIGTERM, ends in one sentence: the temporary build is removed,
    and the branch, on the remote and here, stays exactly as it was.
    """
    from pelican.settings import read_settings

    progress = {"pushing": False}
    with stop_on_signals():
        try:
            # publishconf.py checks the addresses; a wrong one ends in its sentence.
            settings = read_settings(str(ROOT / CONFIG["settings_publish"]))
            publish_site(settings, remote, branch, dry_run, allow_warnings, allow_dirty, progress)
        except Stopped as stop:
            if progress["pushing"]:
                refuse(
                    f"invoke publish: stopped by {stop} during the push; the local {branch} branch was put back, "
                    f"but {remote} may have received the push: see `git ls-remote {remote} {branch}`, and publish again."
                )
            refuse(
                f"invoke publish: stopped by {stop}; nothing was pushed, the temporary build was removed "
                f"and the {branch} branch is as it was."
            )
        except PublishError as error:
            refuse(f"invoke publish: {error}")
        except Exception as error:  # not foreseen: still one sentence, never a traceback
            where = f"while pushing to {remote}" if progress["pushing"] else "before the push; nothing was pushed"
            refuse(
                f"invoke publish: stopped by an unexpected {type(error).__name__} ({one_line(error)}) {where}, "
                f"and the local {branch} branch is as it was; please report it with this sentence."
            )


def publish_site(settings, remote, branch, dry_run, allow_warnings, allow_dirty, progress):
    """The steps of `invoke publish`; raises PublishError or Stopped."""
    check_publishing_tools()
    check_sources_committed(allow_dirty)
    remote_has_branch = remote_branch_exists(remote, branch)
    with staging_folder("clinic-site-publish-") as staging:
        print(f"1/3 Building the production site into {staging}", flush=True)
        # The publish policy (PUBLISH_BLOCKING_WARNINGS, applied by
        # publishconf.py) decides which warnings stop it; --allow-warnings: none.
        policy = settings_overrides(CONTENT_CHECK_FAIL_ON=[]) if allow_warnings else ""
        if run_command(shlex.split(pelican_command(CONFIG["settings_publish"], staging, policy))).returncode:
            raise PublishError("the production build failed (see the messages above); fix them and publish again, nothing was pushed.")
        try:
            index_for_search(staging)
        except UnexpectedExit:
            raise PublishError("the search index could not be built (see the messages above); nothing was pushed.") from None
        print("2/3 Checking that exact build", flush=True)
        environment = dict(
            os.environ,
            SITE_UNDER_TEST=str(staging),
            # The addresses as publishconf.py cleaned them, as the build used them.
            SITE_URL=settings["SITEURL"],
            CALLBACK_ENDPOINT=settings["CALLBACK_ENDPOINT"],
        )
        checks = [sys.executable, "-m", "pytest", "-m", PUBLISH_CHECKS_MARKER, "-q", "-p", "no:cacheprovider"]
        if run_command(checks + published_output_tests(), env=environment).returncode:
            raise PublishError("the checks of the production build failed (see above); fix what they name and publish again, nothing was pushed.")
        # Written here rather than by ghp-import's --cname/--no-jekyll, so that
        # --dry-run lists them with everything else the push would change.
        if settings.get("SITE_DOMAIN"):
            (staging / "CNAME").write_text(settings["SITE_DOMAIN"] + "\n", encoding="utf-8")
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        published = fetch_published_branch(remote, branch) if remote_has_branch else None
        if dry_run:
            print("3/3 Dry run: nothing is pushed.", flush=True)
            describe_changes(None, staging, published)
            return
        print(f"3/3 Pushing to {remote} {branch}", flush=True)
        push_site(staging, remote, branch, published, progress)
        print(f"Published to {remote} {branch}.", flush=True)


def published_output_tests():
    """The test files that hold checks of a production build.

    Only these are collected, so that a test file that has nothing to say
    about the built site (and may be half-way through a change) cannot stop
    a publish.
    """
    files = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("test_*.py")
        if f"mark.{PUBLISH_CHECKS_MARKER}" in path.read_text(encoding="utf-8")
    )
    if not files:
        raise PublishError(f"no test under tests/ is marked {PUBLISH_CHECKS_MARKER}, so the build cannot be checked; restore them and publish again.")
    return files


def one_line(error):
    """An exception's message on one line, not too long."""
    text = " ".join(str(error).split()) or "no message"
    return text if len(text) <= 200 else text[:199] + "…"


def git(*args, capture=True):
    """Run git in ROOT (in our process group: it may ask for a password)."""
    return run_command(["git", *args], capture=capture, own_group=False)


def git_says(result):
    """git's own explanation of a failure, on one line (its last fatal/error line)."""
    lines = [line.strip() for line in (result.stderr or "").splitlines() if line.strip()]
    for prefix in ("fatal:", "error:"):
        found = [line for line in lines if line.startswith(prefix)]
        if found:
            return one_line(found[0])
    return one_line(lines[-1]) if lines else f"exit code {result.returncode}"


def ghp_import_path():
    return Path(sys.executable).parent / "ghp-import"


def check_publishing_tools():
    """git and ghp-import are there, and ROOT is in a git repository."""
    if not shutil.which("git"):
        raise PublishError("git is not installed; install it (e.g. apt-get install git) and publish again.")
    if not ghp_import_path().exists():
        raise PublishError(
            f"ghp-import is not installed in {shown_path(ghp_import_path().parent.parent)}; "
            "run make publish (it installs requirements.txt), or .venv/bin/pip install -r requirements.txt, and publish again."
        )
    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode or inside.stdout.strip() != "true":
        raise PublishError(
            f"{ROOT} is not in a git repository ({git_says(inside)}); publishing pushes a git branch, "
            "so publish from a clone of the site's repository."
        )


def check_sources_committed(allow_dirty):
    """Refuse to publish files that are not committed (unless allow_dirty)."""
    status = git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *PUBLISH_SOURCES)
    if status.returncode:
        raise PublishError(f"git status failed ({git_says(status)}); fix the repository and publish again.")
    top = Path(git("rev-parse", "--show-toplevel").stdout.strip() or ROOT)
    entries = status.stdout.split("\0")
    dirty = []
    while entries:
        entry = entries.pop(0)
        if not entry:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            entries.pop(0)  # the name it had before
        what = (
            "untracked" if code == "??"
            else "deleted" if "D" in code
            else "renamed" if "R" in code
            else "new" if "A" in code
            else "changed"
        )
        dirty.append(f"{shown_path(top / path)} ({what})")
    if not dirty:
        return
    if allow_dirty:
        print(f"Publishing {len(dirty)} uncommitted file(s) on purpose (--allow-dirty): {', '.join(dirty)}", flush=True)
        return
    listed = ", ".join(dirty[:LISTED_FILES]) + (f" and {len(dirty) - LISTED_FILES} more" if len(dirty) > LISTED_FILES else "")
    count = f"{len(dirty)} file{'s' if len(dirty) > 1 else ''} of the site's sources {'are' if len(dirty) > 1 else 'is'}"
    raise PublishError(
        f"{count} not committed: {listed}; commit them (or stash them) so that what is published is what is in git, "
        "or add --allow-dirty to publish them as they are on purpose."
    )


def remote_branch_exists(remote, branch):
    """Whether `remote` has `branch`; PublishError if it cannot be reached."""
    if git("remote", "get-url", remote).returncode:
        raise PublishError(
            f"this repository has no git remote named {remote!r}; add it (git remote add {remote} <address>) "
            "or name another with --remote (git remote -v lists them)."
        )
    found = git("ls-remote", "--exit-code", "--heads", remote, f"refs/heads/{branch}")
    if found.returncode in (0, 2):  # 2: reachable, but no such branch yet
        return found.returncode == 0
    raise PublishError(unreachable(remote, found))


def unreachable(remote, result):
    return (
        f"could not reach the git remote {remote!r} ({git_says(result)}); check its address (git remote -v), "
        "your access to it and the network, then publish again, nothing was pushed."
    )


def fetch_published_branch(remote, branch):
    """Fetch the published branch; return its commit."""
    tracking = f"refs/remotes/{remote}/{branch}"
    fetched = git("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{tracking}")
    if fetched.returncode:
        raise PublishError(unreachable(remote, fetched))
    return git("rev-parse", "--verify", tracking).stdout.strip()


def push_site(staging, remote, branch, published, progress):
    """Commit `staging` onto the local branch (ghp-import), push it; if the
    push fails or is stopped, put the local branch back where it was."""
    ref = f"refs/heads/{branch}"
    before = git("rev-parse", "--verify", "--quiet", ref).stdout.strip() or None
    current = git("symbolic-ref", "--quiet", "HEAD").stdout.strip()
    if current == ref:
        raise PublishError(f"the checked-out branch is {branch}, which publishing rewrites; switch to your work branch (git switch main) and publish again.")
    done = False
    try:
        with signals_held():
            if published:  # continue the published history, so the push is a fast-forward
                moved = git("update-ref", ref, published)
                if moved.returncode:
                    raise PublishError(f"git could not move the local {branch} branch ({git_says(moved)}); nothing was pushed.")
        imported = run_command(
            [str(ghp_import_path()), "--remote", remote, "--branch", branch, "--message", "Publish the site", str(staging)],
            capture=True,
        )
        if imported.returncode:
            raise PublishError(
                f"ghp-import could not commit the site to the local {branch} branch ({git_says(imported)}); "
                "nothing was pushed and the branch is as it was."
            )
        progress["pushing"] = True
        pushed = git("push", "--porcelain", remote, f"{ref}:{ref}")
        if pushed.returncode:
            raise PublishError(push_failure(remote, branch, pushed))
        progress["pushing"] = False
        done = True
    finally:
        if not done:
            with signals_held():
                if before:
                    git("update-ref", ref, before)
                else:
                    git("update-ref", "-d", ref)


def push_failure(remote, branch, result):
    """One sentence for a push that failed: refused, or remote unreachable."""
    after = f"nothing was pushed and the local {branch} branch is as it was"
    refusals = [line.split("\t")[-1] for line in (result.stdout or "").splitlines() if line.startswith("!")]
    remote_lines = [line[len("remote:"):].strip() for line in (result.stderr or "").splitlines() if line.startswith("remote:")]
    remote_says = next((line for line in remote_lines if line), "")
    if not refusals:
        return unreachable(remote, result).replace("nothing was pushed", after)
    refusal = one_line(refusals[0])
    if "[remote rejected]" in refusal:
        detail = refusal + (f": {one_line(remote_says)}" if remote_says else "")
        return (
            f"{remote} refused the push to {branch} ({detail}); check that you may push to that branch "
            f"(branch protection, hooks, access rights) and publish again, {after}."
        )
    return (
        f"{remote} refused the push to {branch} because its {branch} moved on while this publish ran ({refusal}); "
        f"publish again to build on top of it, {after}."
    )


def describe_changes(c, folder, published_ref):
    """Print which files a push of `folder` would add, change or remove
    (compared with the commit `published_ref`, or with nothing if None)."""
    published = {}
    if published_ref:
        listing = git("ls-tree", "-r", "-z", published_ref)
        if listing.returncode:
            raise PublishError(f"git could not list the published branch ({git_says(listing)}); nothing was pushed.")
        for line in listing.stdout.split("\0"):
            if line:
                meta, path = line.split("\t", 1)
                published[path] = meta.split()[2]
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    hashed = run_command(
        ["git", "hash-object", "--stdin-paths"],
        input="".join(f"{folder / f}\n" for f in files),
        capture=True,
    )
    if hashed.returncode:
        raise PublishError(f"git could not hash the built files ({git_says(hashed)}); nothing was pushed.")
    built = dict(zip(files, hashed.stdout.split()))
    added = sorted(set(built) - set(published))
    removed = sorted(set(published) - set(built))
    changed = sorted(f for f in set(built) & set(published) if built[f] != published[f])
    print(f"A push would add {len(added)}, change {len(changed)} and remove {len(removed)} files.")
    for label, names in (("add", added), ("change", changed), ("remove", removed)):
        for name in names:
            print(f"  {label}: {name}")


@task(help={
    "args": "options and test paths for pytest, e.g. '-k hreflang'",
    "workers": "how many pytest processes share the tests (pytest-xdist): auto, one per core; 0 for one process",
})
def test(c, args="", workers="auto"):
    """Run the test suite (pytest), on every core.

    Most of the suite's time is builds, Chromium and Java, which leave a core
    idle in one process; worksteal balances the few long tests (publishing,
    the property test) against the many short ones.
    """
    parallel = f"--numprocesses {shlex.quote(str(workers))} --dist worksteal" if str(workers) != "0" else ""
    c.run(f"{shlex.quote(sys.executable)} -m pytest {parallel} {args}", pty=False)


@task
def translations(c):
    """Extract the theme's strings and update each language's catalogue.

    Then translate the new or changed entries in
    theme/translations/<lang>/LC_MESSAGES/messages.po; the build compiles the
    catalogues itself.
    """
    catalogues = Path(CONFIG["theme_path"]) / "translations"
    template = catalogues / "messages.pot"
    pybabel = shlex.quote(str(Path(sys.executable).parent / "pybabel"))
    c.run(
        f"{pybabel} extract --mapping-file babel.cfg --no-location "
        f"--sort-output --omit-header --output-file {template} {CONFIG['theme_path']}"
    )
    for lang in CONFIG["catalogue_languages"]:
        po_file = catalogues / lang / "LC_MESSAGES" / "messages.po"
        where = f"--input-file {template} --output-dir {catalogues} --locale {lang}"
        if po_file.exists():
            c.run(f"{pybabel} update --no-fuzzy-matching --ignore-obsolete {where}")
        else:
            c.run(f"{pybabel} init {where}")


# --- The benchmark -------------------------------------------------------------
#
# Speed is measured here, never asserted in a test: timings depend on the
# machine. The suite runs a tiny benchmark only to keep this task working.

# livereload ignores changes for a moment after each rebuild it triggers; an
# edit is saved only after this pause, so each one is seen.
BENCH_EDIT_PAUSE_SECONDS = 3.5
# An edit not visible after this long is reported as such.
BENCH_EDIT_TIMEOUT_SECONDS = 300


def free_port_pair():
    """A free port whose next port is free too (the preview's form receiver)."""
    import socket

    for _ in range(50):
        with socket.socket() as first, socket.socket() as second:
            first.bind((CONFIG["host"], 0))
            port = first.getsockname()[1]
            try:
                second.bind((CONFIG["host"], port + 1))
            except OSError:
                continue
            return port
    raise OSError("no two free ports in a row")


def children_usage():
    """CPU seconds and peak memory (bytes) of the programs we ran and waited for."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024  # Linux: kilobytes


def wait_for_text(path, text, timeout):
    """Seconds until the file at `path` holds `text` (None: not within `timeout`)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if text in path.read_text(encoding="utf-8"):
                return time.perf_counter() - start
        except FileNotFoundError:  # the preview swaps its folder in
            pass
        time.sleep(0.02)
    return None


@task(help={
    "articles": "how many articles, each in uk, en and ru (1000)",
    "edits": "how many edits to time in the running preview (5)",
    "keep": "keep the synthetic library and its builds, and say where",
})
def bench(c, articles=1000, edits=5, keep=False):
    """Time a clean build and edit-to-preview on a synthetic library.

    Writes N articles × 3 languages (tools/synthetic_corpus.py) into a
    temporary folder, builds it once as `invoke build` does, then starts the
    preview on it (`invoke livereload`), saves a change to one article at a
    time and times until the changed page is on disk.
    """
    measure_in_scratch_folder("bench", keep, lambda folder: run_bench(folder, int(articles), int(edits)))


def measure_in_scratch_folder(name, keep, measure):
    """Run `measure(folder)` in a new temporary folder, removed after it
    (unless `keep`); a stop (Ctrl-C, SIGTERM) is one sentence, not a traceback."""
    folder = Path(tempfile.mkdtemp(prefix=f"clinic-{name}-"))
    with stop_on_signals():
        try:
            measure(folder)
        except Stopped as stop:
            refuse(f"invoke {name}: stopped by {stop}; nothing more was measured.")
        finally:
            if keep:
                print(f"Kept {folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)


def run_bench(folder, articles, edits):
    import statistics

    from pelican.settings import read_settings

    clinic_plugin()  # the content contract, for the library's fields
    from tools.synthetic_corpus import LANGS, slug_of, write_corpus

    settings = read_settings(str(ROOT / CONFIG["settings_base"]))
    content = write_corpus(folder / "content", articles, ROOT / CONFIG["content_path"], settings)
    pages = articles * len(LANGS)
    print(f"Synthetic library: {articles} articles × {len(LANGS)} languages ({pages} article pages), in {folder}")

    cpu_before, _ = children_usage()
    started = time.perf_counter()
    built = run_command(shlex.split(pelican_command(CONFIG["settings_base"], folder / "output", "", content)), capture=True)
    pelican_wall = time.perf_counter() - started
    if built.returncode:
        print(built.stdout + built.stderr, file=sys.stderr)
        refuse("invoke bench: the synthetic library did not build (see above); nothing was measured.")
    index_for_search(folder / "output")  # part of every build, as in build_site
    wall = time.perf_counter() - started
    cpu_after, peak = children_usage()
    print(f"Clean build: {wall:.1f} s wall (Pelican {pelican_wall:.1f} s, search index {wall - pelican_wall:.1f} s), "
          f"{cpu_after - cpu_before:.1f} s CPU, peak memory {peak / 2**20:.0f} MB; "
          f"{1000 * wall / pages:.1f} ms per article page")
    if not edits:
        return

    port = free_port_pair()
    preview = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--port", str(port),
         "--output", str(folder / "preview"), "--content", str(content)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        for line in preview.stdout:
            if line.startswith("Serving the site"):
                break
        else:
            refuse("invoke bench: the preview stopped before serving; nothing was measured.")
        # Drain what the preview prints (each rebuild's lines), so it never blocks.
        threading.Thread(target=lambda: [None for _ in preview.stdout], daemon=True).start()
        timings = []
        for edit in range(edits):
            time.sleep(BENCH_EDIT_PAUSE_SECONDS)
            slug = slug_of(edit * max(1, articles // edits) % articles)
            source = content / "articles" / slug / "en.md"  # a translation: no other page goes stale
            marker = f"Bench edit {edit} at {time.time_ns()}."
            source.write_text(source.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            seconds = wait_for_text(folder / "preview" / "en" / slug / "index.html", marker, BENCH_EDIT_TIMEOUT_SECONDS)
            timings.append(seconds)
            shown = f"{seconds:.1f} s" if seconds is not None else f"not visible after {BENCH_EDIT_TIMEOUT_SECONDS} s"
            print(f"Edit {edit + 1} ({slug}/en.md): visible in the preview after {shown}", flush=True)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(preview.pid, signal.SIGTERM)
        preview.wait()
    seen = [seconds for seconds in timings if seconds is not None]
    if seen:
        print(f"Edit to preview: median {statistics.median(seen):.1f} s over {len(seen)} edits")
    if len(seen) < len(timings):
        refuse(f"invoke bench: {len(timings) - len(seen)} of {len(timings)} edits never reached the preview.")


# --- Lighthouse ------------------------------------------------------------------
#
# Measured here, never asserted in a test (as the benchmark): Lighthouse's
# numbers move with the machine. Lighthouse comes pinned from npm, in a
# package of its own (tools/lighthouse/package.json: its 200 packages would
# add half a minute to every `make test`), installed on first use, and
# drives Debian's Chromium: nothing downloads a browser.

LIGHTHOUSE_PACKAGE = ROOT / "tools" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_PACKAGE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE_CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                           "--disable-component-update --disable-sync --no-first-run")
LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# publishconf.py needs both; the site is then built for, and served at, a
# local address (SITEURL), so these only fill the policy and the form.
LIGHTHOUSE_PLACEHOLDERS = {"SITE_URL": "https://clinic.example", "CALLBACK_ENDPOINT": "https://forms.example/f/clinic",
                           "SITE_DOMAIN": ""}


def lighthouse_pages(settings):
    """[(name, path)]: in each language, the first article (by its folder's
    name), the home page and the contacts page (the page whose Template is
    `contacts`), as paths under the site's root."""
    addresses = clinic_plugin().addresses
    content = ROOT / CONFIG["content_path"]

    def url(kind, slug, lang):
        key = f"{kind}_URL" if lang == settings["DEFAULT_LANG"] else f"{kind}_LANG_URL"
        return settings[key].format(slug=slug, lang=lang)

    from clinic.reader import open_source
    from clinic.report import Report

    reader_settings = dict(settings, PATH=str(content.resolve()))

    def template(folder):  # the page's Template field, as the reader reads its default-language file
        source = folder / f"{settings['DEFAULT_LANG']}.md"
        opened = open_source(source.resolve(), reader_settings, Report()) if source.exists() else None
        return opened.field_text("template") if opened else None

    article = next((folder.name for folder in sorted((content / "articles").iterdir()) if folder.is_dir()), None)
    contacts = next((folder.name for folder in sorted((content / "pages").iterdir())
                     if folder.is_dir() and template(folder) == "contacts"), None)
    pages = []
    for lang in settings["LANGUAGES"]:
        if article and (content / "articles" / article / f"{lang}.md").exists():
            pages.append((f"{lang} article", url("ARTICLE", article, lang)))
        pages.append((f"{lang} home", addresses.home_path(lang, settings).removesuffix("index.html")))
        if contacts and (content / "pages" / contacts / f"{lang}.md").exists():
            pages.append((f"{lang} contacts", url("PAGE", contacts, lang)))
    return pages


@task(help={"runs": "Lighthouse runs per page; the table shows their median (3)",
            "keep": "keep the build and the JSON reports, and say where",
            "gzip": "serve the files gzip-compressed, as GitHub Pages does (default: uncompressed, as the "
                    "peers were measured)"})
def lighthouse(c, runs=3, keep=False, gzip=False):
    """Lighthouse (mobile, simulated throttling) on the production build.

    Builds the site with publishconf.py for a local address, serves it on
    127.0.0.1 (uncompressed, or with --gzip as GitHub Pages serves it), and
    runs Lighthouse `runs` times on the article, home and contacts pages of
    every language, with Debian's Chromium. Prints each page's four category
    scores, its LCP, transfer size and requests (medians of the runs).
    """
    if not os.access(CHROMIUM, os.X_OK):
        refuse(f"invoke lighthouse: {CHROMIUM} is missing; install Debian's chromium (sudo apt-get install chromium).")
    if not LIGHTHOUSE.exists():
        print("Installing Lighthouse (tools/lighthouse/package-lock.json) …", flush=True)
        installed = run_command(["npm", "--prefix", str(LIGHTHOUSE_PACKAGE), "ci", "--ignore-scripts", "--no-audit",
                                 "--no-fund"], capture=True)
        if installed.returncode or not LIGHTHOUSE.exists():
            refuse(f"invoke lighthouse: npm could not install Lighthouse in tools/lighthouse/ "
                   f"({one_line(installed.stderr or installed.stdout)}).")
    measure_in_scratch_folder("lighthouse", keep, lambda folder: run_lighthouse(c, folder, int(runs), gzip))


def run_lighthouse(c, folder, runs, compress=False):
    import functools
    import gzip
    import http.server
    import io
    import statistics

    from pelican.settings import read_settings

    class QuietFiles(http.server.SimpleHTTPRequestHandler):
        """Serves the folder as it is (gzip-compressed with `compress`, each
        file on its own, as GitHub Pages does), with no log lines."""

        def log_message(self, format, *args):
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            path = path / "index.html" if path.is_dir() else path
            if not compress or not path.is_file():
                return super().send_head()
            data = gzip.compress(path.read_bytes(), compresslevel=9)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)

    pages = lighthouse_pages(read_settings(str(ROOT / CONFIG["settings_base"])))
    site = folder / "site"
    # Bound before the build, so the address the pages name is the one served.
    server = http.server.ThreadingHTTPServer((CONFIG["host"], 0), functools.partial(QuietFiles, directory=str(site)))
    base = f"http://{CONFIG['host']}:{server.server_port}"
    environment = dict(os.environ, **LIGHTHOUSE_PLACEHOLDERS)
    print(f"Building the production site for {base} into {site}", flush=True)
    build_site(c, CONFIG["settings_publish"], site, settings_overrides(SITEURL=base, ABSOLUTE_SITEURL=base),
               run_pelican=functools.partial(run_command, env=environment))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rows = []
    try:
        for name, path in pages:
            reports = []
            for run in range(runs):
                output = folder / f"{name.replace(' ', '-')}-{run + 1}.json"
                command = [str(LIGHTHOUSE), f"{base}/{path}", "--quiet", "--output=json", f"--output-path={output}",
                           "--form-factor=mobile", "--throttling-method=simulate", "--no-enable-error-reporting",
                           f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
                           f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}"]
                result = run_command(command, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture=True)
                report = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
                error = (report.get("runtimeError") or {}).get("message")
                if result.returncode or not report or error:
                    said = error or (result.stderr.strip().splitlines() or ["no message"])[-1]
                    refuse(f"invoke lighthouse: Lighthouse failed on {base}/{path} ({one_line(said)}).")
                reports.append(report)
                print(f"{name}: run {run + 1} of {runs} done", flush=True)
            rows.append((name, path, reports))
    finally:
        server.shutdown()
        server.server_close()

    def median(values):
        return statistics.median(values)

    header = (f"{'page':<14} {'perf':>4} {'a11y':>4} {'b-p':>4} {'seo':>4} {'LCP s':>6} {'TBT ms':>6} {'bytes':>8} "
              f"{'req':>4}  address")
    print(f"\nLighthouse {rows[0][2][0]['lighthouseVersion']}, mobile, simulated throttling, median of {runs} runs; "
          "b-p: best practices; TBT counts this machine's own load; bytes: transferred, "
          + ("gzip-compressed" if compress else "uncompressed"))
    print(header)
    for name, path, reports in rows:
        scores = [median([100 * report["categories"][category]["score"] for report in reports])
                  for category in LIGHTHOUSE_CATEGORIES]
        lcp = median([report["audits"]["largest-contentful-paint"]["numericValue"] for report in reports]) / 1000
        blocking = median([report["audits"]["total-blocking-time"]["numericValue"] for report in reports])
        transfer = median([report["audits"]["total-byte-weight"]["numericValue"] for report in reports])
        requests = median([len(report["audits"]["network-requests"]["details"]["items"]) for report in reports])
        print(f"{name:<14} " + " ".join(f"{score:>4.0f}" for score in scores)
              + f" {lcp:>6.2f} {blocking:>6.0f} {transfer:>8.0f} {requests:>4.0f}  /{path}")
