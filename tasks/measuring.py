"""Measurements, never assertions: `invoke bench` and `invoke lighthouse`.

Owns the benchmark (a clean build and edit-to-preview timed on a synthetic
library) and Lighthouse on the production build; both run in a scratch
folder removed afterwards (measure_in_scratch_folder).
"""

import contextlib
import json
import os
import queue
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

from .building import PRODUCTION_PLACEHOLDERS, build_site, index_for_search, pelican_command, settings_overrides
from .config import CONFIG, ROOT, clinic_plugin, editor_messages, one_line, refuse
from .processes import Stopped, run_command, stop_on_signals


# --- The benchmark -------------------------------------------------------------
#
# Speed is measured here, never asserted in a test: timings depend on the
# machine. The suite runs a tiny benchmark only to keep this task working.

# livereload ignores changes for a moment after each rebuild it triggers; an
# edit is saved only after this pause, so each one is seen.
BENCH_EDIT_PAUSE_SECONDS = 3.5
# An edit not visible after this long is reported as such.
BENCH_EDIT_TIMEOUT_SECONDS = 300
# The preview's first, full build of the library: a thousand articles take
# about a minute here; a preview that says nothing for this long is stuck.
BENCH_START_TIMEOUT_SECONDS = 600


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
    # What the preview says once it serves, in the editor's language (it
    # runs with this process's settings and environment).
    serving = str(editor_messages()._e("Serving the site at {address}/ (Ctrl+C to stop)",
                                       address=f"http://{CONFIG['host']}:{port}"))
    try:
        # Read what the preview prints (each rebuild's lines) all along, so it
        # never blocks; wait for it to serve, but not for ever.
        printed = queue.Queue()
        threading.Thread(target=lambda: [*(printed.put(line) for line in preview.stdout), printed.put(None)],
                         daemon=True).start()
        deadline = time.monotonic() + BENCH_START_TIMEOUT_SECONDS
        while True:
            try:
                line = printed.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                refuse(f"invoke bench: the preview did not start serving within {BENCH_START_TIMEOUT_SECONDS} s; "
                       "nothing was measured.")
            if line is None:
                refuse("invoke bench: the preview stopped before serving; nothing was measured.")
            if line.rstrip("\n") == serving:
                break
        timings = []
        for edit in range(edits):
            time.sleep(BENCH_EDIT_PAUSE_SECONDS)
            slug = slug_of(edit * max(1, articles // edits) % articles)
            source = content / "articles" / slug / "index.en.md"  # a translation: no other page goes stale
            marker = f"Bench edit {edit} at {time.time_ns()}."
            source.write_text(source.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            seconds = wait_for_text(folder / "preview" / "en" / slug / "index.html", marker, BENCH_EDIT_TIMEOUT_SECONDS)
            timings.append(seconds)
            shown = f"{seconds:.1f} s" if seconds is not None else f"not visible after {BENCH_EDIT_TIMEOUT_SECONDS} s"
            print(f"Edit {edit + 1} ({slug}/index.en.md): visible in the preview after {shown}", flush=True)
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
        source = folder / f"index.{settings['DEFAULT_LANG']}.md"
        opened = open_source(source.resolve(), reader_settings, Report()) if source.exists() else None
        return opened.field_text("template") if opened else None

    article = next((folder.name for folder in sorted((content / "articles").iterdir()) if folder.is_dir()), None)
    contacts = next((folder.name for folder in sorted((content / "pages").iterdir())
                     if folder.is_dir() and template(folder) == "contacts"), None)
    pages = []
    for lang in settings["LANGUAGES"]:
        if article and (content / "articles" / article / f"index.{lang}.md").exists():
            pages.append((f"{lang} article", url("ARTICLE", article, lang)))
        pages.append((f"{lang} home", addresses.home_path(lang, settings).removesuffix("index.html")))
        if contacts and (content / "pages" / contacts / f"index.{lang}.md").exists():
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
    environment = dict(os.environ, **PRODUCTION_PLACEHOLDERS)
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
