"""The local preview: `invoke livereload` (`make serve`).

Owns the server that rebuilds on every change and reloads the browser
(livereload, with its client loaded as an external script for our CSP and
a file watcher told of changes by the operating system; a missing address
answered with the site's own 404 page), Preview, which decides what each
change rebuilds and how soon, keeping what each build prints for the
browser (what a failed build shows there: preview_problems.py).
"""

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from invoke import task
from invoke.exceptions import UnexpectedExit

from .building import build_site, pelican_command, settings_overrides
from .config import CONFIG, ROOT, clinic_plugin, editor_messages, shown_path
from .preview_problems import NO_SITE_PAGE, PREVIEW_FILES_PATH, failed_build_shown, problems_handlers
from .processes import run_command


def _e(text, /, **params):
    """One of the editor's messages (plugins/clinic/messages.py), in the
    editor's language: what `make serve` says is for the editor."""
    return editor_messages()._e(text, **params)


def load_reload_client_as_external_script(port):
    """Make livereload add its browser client as <script src>, not inline,
    and with it the script that shows a failed build's problems.

    livereload injects an inline <script> into every page it serves, which
    our Content-Security-Policy (the same in the preview as in production)
    rightly blocks, so the browser would never reload. Same client, same
    place, loaded from the server's own /livereload.js instead; the problems'
    script comes from the preview server's own path too ('self' allows both).

    The web editor's page (admin/) gets neither: saving there in its
    local-repository mode writes content/, and the rebuild that follows
    must reload the site's pages, not the editor in the middle of its work.
    """
    import livereload.server

    tag = (f'<script src="/livereload.js?port={int(port)}"></script>'
           f'<script src="{PREVIEW_FILES_PATH}problems.js" defer></script>').encode()
    editor_path = f"/{clinic_plugin().addresses.ADMIN_FOLDER}"
    injector = livereload.server.LiveScriptInjector

    def remember_path(self, request):
        web_output_transform_init(self, request)
        self.path = request.path

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        head_end = livereload.server.HEAD_END
        if getattr(self, "path", "").startswith(editor_path):
            return status_code, headers, chunk
        if "html" in headers.get("Content-Type", "") and head_end in chunk:
            chunk = chunk.replace(head_end, tag + head_end, 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(tag))
        return status_code, headers, chunk

    web_output_transform_init = livereload.server.web.OutputTransform.__init__
    injector.__init__ = remember_path
    injector.transform_first_chunk = transform_first_chunk


# What GitHub Pages serves, with status 404, for any address the site does not
# have: the one page at the site's root (plugins/clinic/languages.py writes it
# in every language, and it picks the address's).
HOST_NOT_FOUND_PAGE = "404.html"


def site_files_handler():
    """livereload's file handler, answering a missing address as GitHub Pages
    does: status 404 and the site's own /404.html (Tornado's own answer is a
    bare "404: Not Found", so the preview would never show the site's page).
    livereload adds its reload script to it as to any page. While there is
    no site at all (its first build failed), every address gets a page that
    shows the problems (NO_SITE_PAGE), and reloads into the site once built."""
    from livereload.handlers import StaticFileHandler

    class SiteFilesHandler(StaticFileHandler):
        def write_error(self, status_code, **kwargs):
            page = Path(self.root) / HOST_NOT_FOUND_PAGE
            if status_code != 404:
                return super().write_error(status_code, **kwargs)
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish((page if page.is_file() else NO_SITE_PAGE).read_bytes())

    return SiteFilesHandler


def copy_output(source, destination, kept):
    """Copy what a build prints (file descriptor `source`) to ours
    (`destination`) as it comes, and keep a copy in the list `kept`."""
    with contextlib.suppress(OSError):
        while chunk := os.read(source, 65536):
            kept.append(chunk)
            view = memoryview(chunk)
            while view:
                view = view[os.write(destination, view):]
    os.close(source)


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
    loop runs (True: do not poll) and `examine` when told of a change.
    `reload_browsers` reloads them from any thread (a build in the
    background), once the server runs."""
    import watchfiles
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class FileEventWatcher(Watcher):
        loop = None

        def reload_browsers(self):
            # Run on the server's loop; livereload's own reload after the
            # same change then comes too soon after it and is skipped.
            if self.loop is not None:
                self.loop.add_callback(LiveReloadHandler.reload_waiters, "*")

        def start(self, callback):
            self.loop = loop = IOLoop.current()
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

    What each build prints goes to the terminal and is kept: while the
    last build failed, `failure` holds what the browser shows of it
    (failed_build_shown), and `failure_changed` is called when a build
    fails or succeeds unlike the one before (the server reloads the
    browsers then, even after a build in the background).
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
        self.stopping = False  # the background build is being stopped: its end is no failure
        self.failure = None  # while the last build failed: what the browser shows of it
        self.failure_changed = lambda: None

    # --- Steps ---------------------------------------------------------------

    def start(self):
        """Import and read everything once, then build the whole site."""
        if self.quick:
            clinic_plugin()
            import clinic.clinic_data
            import clinic.rendering

            self.rendering = clinic.rendering
            self.clinic_data = clinic.clinic_data
            self.settings = self.read_settings()
            self.rendering.examine_all(self.settings)
        self.seen = self.content_files()
        self.build_everything()

    def read_settings(self):
        """The settings, as a build of the content folder reads them (its
        clinic's facts: clinic_data.apply)."""
        from pelican.settings import read_settings

        settings = read_settings(str(ROOT / CONFIG["settings_base"]), override={"PATH": str(self.content)})
        self.clinic_data.apply(settings)
        return settings

    def content_changed(self):
        """An edit under content/: its pages first, then the whole site.
        An edit of the clinic's facts (content/clinic.yaml) is an edit of
        the settings: read again, and the whole site built."""
        now = self.content_files()
        edited = sorted(path for path, stamp in now.items() if self.seen.get(path) != stamp)
        removed = set(self.seen) - set(now)
        self.seen = now
        if self.quick and self.clinic_data.source_of(self.settings).resolve() in {
                Path(path).resolve() for path in [*edited, *removed]}:
            self.settings = self.read_settings()
            self.rendering.examine_all(self.settings)  # against the new topics, before the build forks
            return self.build_everything()
        if not self.quick or not edited or removed or not all(path.endswith(".md") for path in edited):
            return self.build_everything()  # a photo may be in any page: the whole site
        if not self.output_path.is_dir():
            return self.build_everything()  # no site yet (its first build failed): the edited pages alone are none
        started = time.perf_counter()
        self.stop_background()
        self.settings.pop("_CLINIC_BUILD", None)  # a fresh day for the review checks
        self.rendering.examine_all(self.settings)  # the edited files only
        with self.lock:
            self.edits += 1
            extra = settings_overrides(**self.overrides, PREVIEW_CHANGED_SOURCES=edited)
            command = pelican_command(CONFIG["settings_base"], self.output_path, extra, self.content, fresh_output=False)
            ran = self.run_forked(shlex.split(command))
            if ran.returncode:
                print(f"\n{_e('The build failed (see above); still serving the last good site.')}\n", flush=True)
                self.record(failed_output=ran.stdout)
                return
            self.record()
        names = ", ".join(shown_path(path) for path in edited)
        print(_e("Updated the page of {names} in {seconds} s; building the rest of the site in the background.",
                 names=names, seconds=f"{time.perf_counter() - started:.1f}"), flush=True)
        self.background = threading.Thread(target=self.build_everything, args=(self.edits,), daemon=True)
        self.background.start()

    def code_changed(self):
        """Plugins or settings changed: this process's copy is out of date."""
        if self.quick:
            print(_e("The plugins or settings changed: every build is now a full one. Restart `make serve` for "
                     "quick previews of edits again."), flush=True)
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

        printed = []

        def run_pelican(args):
            ran = self.run_forked(args) if self.quick else self.run_in_new_python(args)
            printed.append(ran.stdout)
            return ran

        try:
            build_site(None, CONFIG["settings_base"], self.output_path, settings_overrides(**self.overrides),
                       content_path=self.content, run_pelican=run_pelican,
                       swap_guard=only_if_current, in_place=True)
        except UnexpectedExit:
            # A background build stopped for a newer edit did not fail.
            if edit is None or (edit == self.edits and not self.stopping):
                print(f"\n{_e('The build failed (see above); still serving the last good site.')}\n", flush=True)
                self.record(failed_output="".join(printed))
            return
        if edit is None or edit == self.edits:
            self.record()

    def record(self, failed_output=None):
        """Remember how the last build ended (`failed_output`: what a failed
        one printed) and tell `failure_changed` when that is news."""
        failure = None if failed_output is None else failed_build_shown(failed_output)
        changed, self.failure = failure != self.failure, failure
        if changed:
            self.failure_changed()

    def stop_background(self):
        if self.background is not None and self.background.is_alive():
            self.stopping = True
            try:
                for pid in list(self.running):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGTERM)
                self.background.join()
            finally:
                self.stopping = False
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

    def run_in_new_python(self, args):
        """Run `python -m pelican …` as a program of its own; its
        CompletedProcess, with what it printed (shown here when it ends)."""
        ran = run_command(args, capture=True)
        for text, stream in ((ran.stdout, sys.stdout), (ran.stderr, sys.stderr)):
            stream.write(text)
            stream.flush()
        return subprocess.CompletedProcess(args, ran.returncode, ran.stdout + ran.stderr)

    def run_forked(self, args):
        """Run `python -m pelican …` (args as pelican_command makes them) in
        a fork of this process; its CompletedProcess, with what it printed
        (`stdout`: its stdout and stderr, each copied to ours as it comes)."""
        pelican_args = args[3:]  # after: python -m pelican
        # Where our stdout and stderr write (1 and 2, unless redirected, as
        # pytest's capture does), flushed so the child starts with nothing.
        ours = []
        for stream, usual in [(sys.stdout, 1), (sys.stderr, 2)]:
            stream.flush()
            try:
                ours.append(stream.fileno())
            except (OSError, ValueError, AttributeError):
                ours.append(usual)
        pipes = [os.pipe(), os.pipe()]  # for its stdout, its stderr
        pid = os.fork()
        if pid == 0:  # the child: Pelican's command line, then exit
            code = 1
            try:
                for (read_end, write_end), usual, own in zip(pipes, (1, 2), ours):
                    os.close(read_end)
                    for number in {usual, own}:
                        os.dup2(write_end, number)
                    os.close(write_end)
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
        kept = [], []
        copies = []
        for (read_end, write_end), chunks, own in zip(pipes, kept, ours):
            os.close(write_end)
            copies.append(threading.Thread(target=copy_output, args=(read_end, own, chunks), daemon=True))
            copies[-1].start()
        try:
            _, status = os.waitpid(pid, 0)
        finally:
            self.running.discard(pid)
        for copy in copies:
            # Pelican's own workers end with it; one that outlived it would
            # hold the pipe open, and is not waited for.
            copy.join(timeout=5)
        printed = b"".join(chunk for chunks in kept for chunk in list(chunks)).decode("utf-8", "replace")
        return subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), printed)


def preview_server(preview):
    """livereload's server, with the preview's own files beside the site's
    (preview_problems.problems_handlers), and the browsers reloaded when a
    build fails, or succeeds after one that failed."""
    from livereload import Server

    watcher = file_event_watcher()
    preview.failure_changed = watcher.reload_browsers
    own_handlers = problems_handlers(lambda: preview.failure)

    class PreviewServer(Server):
        def get_web_handlers(self, script):
            return [*own_handlers, *super().get_web_handlers(script)]

    server = PreviewServer(watcher=watcher)
    server.SFH = site_files_handler()  # a missing address gets the site's 404 page
    return server


@task(help={"port": "port to serve on (8000)", "output": "folder to build into (output)",
            "content": "the content folder to build (content)"})
def livereload(c, port=CONFIG["port"], output=CONFIG["deploy_path"], content=CONFIG["content_path"]):
    """Build, serve at http://127.0.0.1:8000 and rebuild on every change.

    The browser reloads by itself after each rebuild: an edited article's
    page first, the rest of the site a moment later (see Preview). A failed
    rebuild is reported here, and in every open page, over the last good
    site, which stays served until a save fixes it. Beside the
    site, a local receiver (port + 1) takes the call-back form's requests
    and prints them here.
    """
    from tools.callback_receiver import CallbackReceiver

    site_url = f"http://{CONFIG['host']}:{port}"
    # The form on the preview posts here, and the receiver prints each request.
    receiver = CallbackReceiver(port=int(port) + 1, echo=True).start()
    preview = Preview(content, ROOT / output, {"CALLBACK_ENDPOINT": receiver.url, "ABSOLUTE_SITEURL": site_url})
    preview.start()
    load_reload_client_as_external_script(port)
    server = preview_server(preview)
    server.watch(str(Path(content).resolve()), preview.content_changed)
    server.watch(str(ROOT / CONFIG["theme_path"]), preview.build_everything)
    for path in [ROOT / CONFIG["settings_base"], ROOT / "plugins"]:
        server.watch(str(path), preview.code_changed)
    print(_e("Serving the site at {address}/ (Ctrl+C to stop)", address=site_url), flush=True)
    print(_e("Call-back form requests go to {address} and are printed here.", address=receiver.url), flush=True)
    server.serve(
        host=CONFIG["host"], port=int(port), root=str(preview.output_path), open_url_delay=None
    )
