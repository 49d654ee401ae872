"""Tasks for building, previewing, testing and translating the site.

Run them as `.venv/bin/invoke <task>` (the Makefile does this for you);
`invoke --list` shows them all. Extra Pelican options pass through where a
task says so.
"""

import io
import json
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from invoke import task
from invoke.exceptions import UnexpectedExit

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


def pelican_command(settings_file, output_path, extra="", content_path=None):
    """The pelican command line that builds the site (content/, or
    `content_path`) into `output_path`."""
    content_path = shlex.quote(str(content_path or CONFIG["content_path"]))
    return (
        f"{shlex.quote(sys.executable)} -m pelican {content_path} "
        f"--settings {settings_file} --output {shlex.quote(str(output_path))} "
        f"--fatal warnings --delete-output-directory {extra}"
    )


def settings_overrides(**settings):
    """Pelican options that override settings (any JSON value) for one build."""
    pairs = " ".join(
        shlex.quote(f"{name}={json.dumps(value)}") for name, value in settings.items()
    )
    return f"--extra-settings {pairs}"


def build_site(c, settings_file, output_path, extra=""):
    """Build into a fresh folder beside `output_path`, then swap it in.

    A failed build leaves `output_path` exactly as it was: visitors of the
    preview, and the publish step, never see a half-written site.
    """
    output_path = Path(output_path).resolve()
    output_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=output_path.parent))
    try:
        c.run(pelican_command(settings_file, staging, extra), pty=False)
        if output_path.exists():
            retired = Path(tempfile.mkdtemp(prefix=".old-", dir=output_path.parent))
            output_path.rename(retired / "site")
            shutil.rmtree(retired)
        staging.rename(output_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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


@task(help={"port": "port to serve on (8000)", "output": "folder to build into (output)"})
def livereload(c, port=CONFIG["port"], output=CONFIG["deploy_path"]):
    """Build, serve at http://127.0.0.1:8000 and rebuild on every change.

    The browser reloads by itself after each rebuild. A failed rebuild is
    reported here and the last good site stays served. Beside the site, a
    local receiver (port + 1) takes the call-back form's requests and prints
    them here.
    """
    from livereload import Server

    from tools.callback_receiver import CallbackReceiver

    output_path = ROOT / output
    site_url = f"http://{CONFIG['host']}:{port}"
    # The form on the preview posts here, and the receiver prints each request.
    receiver = CallbackReceiver(port=int(port) + 1, echo=True).start()
    overrides = settings_overrides(CALLBACK_ENDPOINT=receiver.url, ABSOLUTE_SITEURL=site_url)

    def rebuild():
        try:
            build_site(c, CONFIG["settings_base"], output_path, overrides)
        except UnexpectedExit:
            print("\nThe build failed (see above); still serving the last good site.\n")

    rebuild()
    load_reload_client_as_external_script(port)
    server = Server()
    watched = [
        CONFIG["settings_base"],
        f"{CONFIG['content_path']}/**/*",
        f"{CONFIG['theme_path']}/**/*",
        "plugins/**/*.py",
    ]
    for pattern in watched:
        server.watch(pattern, rebuild)
    # Record every watched file's time now: otherwise livereload's first poll
    # takes them all for new files and reloads the browser for nothing (and
    # then ignores a real edit within its 3-second pause between reloads).
    server.watcher.examine()
    print(f"Serving the site at {site_url}/ (Ctrl+C to stop)", flush=True)
    print(f"Call-back form requests go to {receiver.url} and are printed here.", flush=True)
    server.serve(
        host=CONFIG["host"], port=int(port), root=str(output_path), open_url_delay=None
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
        result = c.run(pelican_command(CONFIG["settings_base"], scratch, overrides), warn=True, pty=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if result.exited:
        sys.exit(1)


@task(help={"json": "print the report as JSON (for CI's job summary)"})
def report(c, json=False):
    """Every article: languages, author, reviewer, review dates, translations, warnings."""
    import json as json_module

    scratch = Path(tempfile.mkdtemp(prefix=".report-", dir=ROOT))
    try:
        data_path = scratch / "report.json"
        overrides = settings_overrides(CONTENT_CHECK_ONLY=True, CONTENT_REPORT_JSON=str(data_path))
        result = c.run(pelican_command(CONFIG["settings_base"], scratch / "output", overrides), warn=True, pty=False, hide=True)
        if not data_path.exists():  # the content could not be read at all
            print(result.stderr, file=sys.stderr, end="")
            sys.exit(1)
        data = json_module.loads(data_path.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if json:
        print(json_module.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_content_report(data)
    if result.exited:
        print(result.stderr, file=sys.stderr, end="")
        sys.exit(1)


def print_content_report(data):
    """The content report as text, an article a block, a language a line."""
    print(f"Content report, {data['date']}: {len(data['articles'])} articles.\n")
    for row in data["articles"]:
        print(row["slug"] + (f"  (missing: {', '.join(row['missing'])})" if row["missing"] else ""))
        for lang, entry in row["languages"].items():
            if entry is None:
                print(f"  {lang}  MISSING")
                continue
            translation = entry["translation"]
            cells = [
                lang,
                "DRAFT" if entry["status"] == "draft" else entry["status"],
                f"author: {', '.join(entry['authors']) or '-'}",
                f"reviewer: {entry['reviewer'] or '-'}",
                f"reviewed: {entry['reviewed'] or '-'}",
                f"next review: {entry['review_due'] or '-'} ({entry['review_state'].upper() if entry['review_state'] in ('overdue', 'due-soon') else entry['review_state']})",
                f"translation: {translation['state'].upper() if translation['state'] == 'stale' else translation['state']}",
            ]
            print("  " + "  ".join(cells))
            for claim in entry["claims"]:
                if claim["acknowledged"]:
                    print(f"      checked phrase: “{claim['phrase']}”")
            for warning in entry["warnings"]:
                print(f"      line {warning['line']}: {warning['message']}")
        print()


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
        if not slug or len(slug) > contract.SLUG_MAX_LENGTH:
            problem = "gives no address" if not slug else f"gives an address of {len(slug)} characters"
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
    translated_from = None
    original = folder / f"{settings['DEFAULT_LANG']}.md"
    if translation_of and lang != settings["DEFAULT_LANG"] and original.is_file():
        # Which version of the original this translation starts from, so the
        # content report can tell when the original changes after it.
        from clinic.reader import open_source
        from clinic.report import Report

        source = open_source(original.resolve(), dict(settings, PATH=str((ROOT / settings["PATH"]).resolve())), Report())
        translated_from = source.text_version if source else None
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(contract.new_article(title, datetime.date.today().isoformat(), translated_from), encoding="utf-8")
    print(f"Wrote {path.relative_to(ROOT)} (a draft). Fill in every {contract.UNFINISHED}, then remove “Status: draft” to publish.")


# The tests (pytest marker) that check a finished production build; `invoke
# publish` runs them against the folder it is about to push.
PUBLISH_CHECKS_MARKER = "published_output"


@task(
    help={
        "remote": "the git remote to push to (origin)",
        "branch": "the branch that hosts the site (gh-pages)",
        "dry_run": "do everything but the push, and say what would change",
        "allow_warnings": "publish even with content warnings (errors always stop)",
    }
)
def publish(c, remote="origin", branch="gh-pages", dry_run=False, allow_warnings=False):
    """Build the production site, check it, and only then push it to gh-pages.

    Needs SITE_URL and CALLBACK_ENDPOINT (and SITE_DOMAIN for a CNAME file)
    in the environment. Any failure stops before the push: the branch is
    left exactly as it was.
    """
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / CONFIG["settings_publish"]))
    staging = Path(tempfile.mkdtemp(prefix="clinic-site-publish-"))
    try:
        print(f"1/3 Building the production site into {staging}")
        strict = settings_overrides(CONTENT_CHECK_STRICT=not allow_warnings)
        c.run(pelican_command(CONFIG["settings_publish"], staging, strict), pty=False)
        print("2/3 Checking that exact build")
        c.run(
            f"{shlex.quote(sys.executable)} -m pytest -m {PUBLISH_CHECKS_MARKER} -q",
            env={"SITE_UNDER_TEST": str(staging)},
            pty=False,
        )
        # Written here rather than by ghp-import's --cname/--no-jekyll, so that
        # --dry-run lists them with everything else the push would change.
        if settings.get("SITE_DOMAIN"):
            (staging / "CNAME").write_text(settings["SITE_DOMAIN"] + "\n", encoding="utf-8")
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        fetched = c.run(
            f"git fetch --quiet {shlex.quote(remote)} {shlex.quote(branch)}",
            warn=True,
            hide=True,
        ).ok
        if dry_run:
            print("3/3 Dry run: nothing is pushed.")
            describe_changes(c, staging, "FETCH_HEAD" if fetched else None)
            return
        print(f"3/3 Pushing to {remote} {branch}")
        if fetched:  # continue the branch's history, so the push is a fast-forward
            c.run(f"git branch --force {shlex.quote(branch)} FETCH_HEAD", hide=True)
        c.run(
            f"{shlex.quote(str(Path(sys.executable).parent / 'ghp-import'))} --push "
            f"--remote {shlex.quote(remote)} --branch {shlex.quote(branch)} "
            f"--message {shlex.quote('Publish the site')} {shlex.quote(str(staging))}",
            pty=False,
        )
        print(f"Published to {remote} {branch}.")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def describe_changes(c, folder, published_ref):
    """Print which files a push of `folder` would add, change or remove."""
    published = {}
    if published_ref:
        listing = c.run(f"git ls-tree -r {published_ref}", hide=True).stdout
        for line in listing.splitlines():
            meta, path = line.split("\t", 1)
            published[path] = meta.split()[2]
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    hashes = c.run(
        "git hash-object --stdin-paths", in_stream=io.StringIO("\n".join(str(folder / f) for f in files) + "\n"), hide=True
    ).stdout.split()
    built = dict(zip(files, hashes))
    added = sorted(set(built) - set(published))
    removed = sorted(set(published) - set(built))
    changed = sorted(f for f in set(built) & set(published) if built[f] != published[f])
    print(f"A push would add {len(added)}, change {len(changed)} and remove {len(removed)} files.")
    for label, names in (("add", added), ("change", changed), ("remove", removed)):
        for name in names:
            print(f"  {label}: {name}")


@task(help={"args": "options and test paths for pytest, e.g. '-k hreflang'"})
def test(c, args=""):
    """Run the test suite (pytest)."""
    c.run(f"{shlex.quote(sys.executable)} -m pytest {args}", pty=False)


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
