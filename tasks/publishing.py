"""Publishing: `invoke publish`, and the previews of changes.

Owns the refusals before anything is built (tools, uncommitted sources,
the remote), the production build checked by the tests marked
published_output, and the push of exactly that build to the publish branch
with ghp-import, the branch put back if the push fails or is stopped. Every
failure is one sentence (PublishError).

A preview of a change (`--preview N`) is the same production build for the
address <SITE_URL>/pr-preview/pr-N/ (publishconf.py), checked by the tests
marked preview_output, pushed into that folder of the branch with every
other file of the branch kept; `--remove-preview N` takes that folder out.
ghp-import replaces the whole branch, so both start from the published
branch's files, and a normal publish carries its pr-preview/ folder over.
"""

import os
import shlex
import shutil
import sys
import tarfile
from pathlib import Path

from invoke import task
from invoke.exceptions import UnexpectedExit

from .building import index_for_search, pelican_command, settings_overrides
from .config import CONFIG, ROOT, clinic_plugin, editor_messages, one_line, refuse, shown_path
from .processes import Stopped, run_command, signals_held, staging_folder, stop_on_signals


# The tests (pytest marker) that check a finished production build; `invoke
# publish` runs them against the folder it is about to push.
PUBLISH_CHECKS_MARKER = "published_output"
# The tests that check a finished preview of a change; `invoke publish
# --preview N` runs them against the preview it is about to push.
PREVIEW_CHECKS_MARKER = "preview_output"
# What the published site is made from: `invoke publish` refuses to publish
# while any of it differs from what is committed (unless --allow-dirty).
PUBLISH_SOURCES = ["content", "theme", "plugins", "pelicanconf.py", "publishconf.py", "tasks"]
# How many times a publish pushes again when another push got there first
# (previews and publishes run side by side in CI).
PUSH_ATTEMPTS = 3
# How many uncommitted files a refusal names before it says "and N more".
LISTED_FILES = 10


def _e(text, /, **params):
    """A message to the editor, in their language (plugins/clinic/messages.py)."""
    return editor_messages()._e(text, **params)


def _en(singular, plural, /, **params):
    return editor_messages()._en(singular, plural, **params)


class PublishError(Exception):
    """What stops `invoke publish`; its message is one sentence, what is
    wrong and how to fix it, without the leading "invoke publish: "."""


class Overtaken(PublishError):
    """The push was refused because the branch moved on since it was fetched."""


@task(
    help={
        "remote": "the git remote to push to (origin)",
        "branch": "the branch that hosts the site (gh-pages)",
        "dry_run": "do everything but the push, and say what would change",
        "allow_warnings": "publish even with warnings the publish policy stops on (errors always stop)",
        "allow_dirty": "publish even with uncommitted or untracked files in the site's sources",
        "preview": "publish a preview of this checkout for change N (a pull request's number) "
                   "into pr-preview/pr-N/ of the branch, and leave the rest of the branch as it is",
        "remove_preview": "remove the preview of change N (pr-preview/pr-N/) from the branch",
    }
)
def publish(c, remote="origin", branch="gh-pages", dry_run=False, allow_warnings=False, allow_dirty=False,
            preview="", remove_preview=""):
    """Build the production site, check it, and only then push it to gh-pages.

    Needs SITE_URL and CALLBACK_ENDPOINT (and SITE_DOMAIN for a CNAME file)
    in the environment, and the site's sources committed. Any failure, and
    Ctrl-C or SIGTERM, ends in one sentence: the temporary build is removed,
    and the branch, on the remote and here, stays exactly as it was.
    With --preview N, the same for a preview of change N (no endpoint
    needed: its form sends nothing); with --remove-preview N, that preview
    is removed. The previews on the branch survive a normal publish.
    """
    from pelican.settings import read_settings

    progress = {"pushing": False}
    with stop_on_signals():
        try:
            number, removed = preview_numbers(preview, remove_preview)
            if removed:
                remove_preview_site(removed, remote, branch, dry_run, progress)
                return
            # publishconf.py reads the preview's number from the environment,
            # and so does the build it starts; a normal publish sets it empty,
            # so that one left in the shell cannot turn it into a preview.
            os.environ["PREVIEW_NUMBER"] = str(number or "")
            # publishconf.py checks the addresses; a wrong one ends in its sentence.
            settings = read_settings(str(ROOT / CONFIG["settings_publish"]))
            publish_site(settings, remote, branch, dry_run, allow_warnings, allow_dirty, progress, number)
        except Stopped as stop:
            if progress["pushing"]:
                refuse("invoke publish: " + str(_e(
                    "stopped by {signal} during the push; the local {branch} branch was put back, but {remote} may "
                    "have received the push: see `git ls-remote {remote} {branch}`, and publish again.",
                    signal=str(stop), branch=branch, remote=remote)))
            refuse("invoke publish: " + str(_e(
                "stopped by {signal}; nothing was pushed, the temporary build was removed and the {branch} branch "
                "is as it was.", signal=str(stop), branch=branch)))
        except PublishError as error:
            refuse(f"invoke publish: {error}")
        except Exception as error:  # not foreseen: still one sentence, never a traceback
            where = (_e("while pushing to {remote}", remote=remote) if progress["pushing"]
                     else _e("before the push; nothing was pushed"))
            refuse("invoke publish: " + str(_e(
                "stopped by an unexpected {error} ({said}) {where}, and the local {branch} branch is as it was; "
                "please report it with this sentence.", error=type(error).__name__, said=one_line(error), where=where,
                branch=branch)))


def site_settings_module():
    """plugins/clinic/site_settings.py: the preview's number and folder."""
    return clinic_plugin().site_settings


def preview_numbers(preview, remove_preview):
    """(N of --preview, N of --remove-preview), each checked (0: not given)."""
    site_settings = site_settings_module()
    try:
        number = site_settings.preview_number(preview, "--preview")
        removed = site_settings.preview_number(remove_preview, "--remove-preview")
    except site_settings.SettingError as error:
        raise PublishError(_e("{problem}, and publish again.", problem=str(error).rstrip("."))) from None
    if number and removed:
        raise PublishError(_e("--preview and --remove-preview cannot be given together; publish a preview or remove "
                              "one, one at a time."))
    return number, removed


def publish_site(settings, remote, branch, dry_run, allow_warnings, allow_dirty, progress, preview=0):
    """The steps of `invoke publish` (of a preview of change `preview`, if
    not 0); raises PublishError or Stopped."""
    check_publishing_tools()
    check_sources_committed(allow_dirty)
    remote_has_branch = remote_branch_exists(remote, branch)
    what = _e("the preview of change {number}", number=preview) if preview else _e("the production site")
    with staging_folder("clinic-site-publish-") as staging:
        print(_e("1/3 Building {what} for {url}/ into {folder}", what=what, url=settings["SITEURL"], folder=str(staging)),
              flush=True)
        # The publish policy (PUBLISH_BLOCKING_WARNINGS, applied by
        # publishconf.py) decides which warnings stop it; --allow-warnings: none.
        policy = settings_overrides(CONTENT_CHECK_FAIL_ON=[]) if allow_warnings else ""
        if run_command(shlex.split(pelican_command(CONFIG["settings_publish"], staging, policy))).returncode:
            raise PublishError(_e("the production build failed (see the messages above); fix them and publish again, "
                                  "nothing was pushed."))
        try:
            index_for_search(staging)
        except UnexpectedExit:
            raise PublishError(_e("the search index could not be built (see the messages above); nothing was "
                                  "pushed.")) from None
        print(_e("2/3 Checking that exact build"), flush=True)
        environment = dict(
            os.environ,
            SITE_UNDER_TEST=str(staging),
            # The addresses as publishconf.py cleaned them, as the build used
            # them: the live site's (a preview's canonical links name it).
            SITE_URL=settings["ABSOLUTE_SITEURL"],
            CALLBACK_ENDPOINT=settings["CALLBACK_ENDPOINT"],
            PREVIEW_NUMBER=str(preview or ""),
        )
        marker = PREVIEW_CHECKS_MARKER if preview else PUBLISH_CHECKS_MARKER
        checks = [sys.executable, "-m", "pytest", "-m", marker, "-q", "-p", "no:cacheprovider"]
        if run_command(checks + published_output_tests(marker), env=environment).returncode:
            checked = _e("the preview") if preview else _e("the production build")
            raise PublishError(_e("the checks of {checked} failed (see above); fix what they name and publish again, "
                                  "nothing was pushed.", checked=checked))
        previews = site_settings_module()

        def assemble(tree, published):
            """The files the branch is to hold, in `tree`; the commit's message."""
            if preview:
                # The branch as it is, with this preview (new or replacing the last one).
                extract_published(published, tree)
                folder = tree / previews.preview_path(preview)
                shutil.rmtree(folder, ignore_errors=True)
                shutil.copytree(staging, folder)
                if not (tree / ".nojekyll").exists():  # a branch that held nothing yet
                    (tree / ".nojekyll").write_text("", encoding="utf-8")
                return f"Publish the preview of change {preview}"
            # Checked above as built; the previews are carried over only now.
            shutil.copytree(staging, tree, dirs_exist_ok=True)
            # Written here rather than by ghp-import's --cname/--no-jekyll, so that
            # --dry-run lists them with everything else the push would change.
            if settings.get("SITE_DOMAIN"):
                (tree / "CNAME").write_text(settings["SITE_DOMAIN"] + "\n", encoding="utf-8")
            (tree / ".nojekyll").write_text("", encoding="utf-8")
            extract_published(published, tree, previews.PREVIEW_FOLDER)
            return "Publish the site"

        if not push_branch(remote, branch, remote_has_branch, dry_run, progress, assemble, "3/3 "):
            return
        where = f" ({settings['SITEURL']}/)" if preview else ""
        print(_e("Published {what} to {remote} {branch}{where}.", what=what, remote=remote, branch=branch, where=where),
              flush=True)


def remove_preview_site(number, remote, branch, dry_run, progress):
    """The steps of `invoke publish --remove-preview N`: the branch as it
    is, without pr-preview/pr-N/. Nothing is built, so nothing of this
    checkout is needed but git; a preview that is not there is said so."""
    check_publishing_tools()
    folder = site_settings_module().preview_path(number)
    missing = _e("There is no preview of change {number} ({folder}/) on {remote} {branch}; nothing to remove.",
                 number=number, folder=folder, remote=remote, branch=branch)

    def assemble(tree, published):
        """The branch as it is without the preview (None: it is not there)."""
        if not published or not tree_has(published, folder):
            return None
        extract_published(published, tree)
        shutil.rmtree(tree / folder)
        previews = tree / site_settings_module().PREVIEW_FOLDER
        if not any(previews.iterdir()):
            previews.rmdir()
        return f"Remove the preview of change {number}"

    pushed = push_branch(remote, branch, remote_branch_exists(remote, branch), dry_run, progress, assemble, "",
                         nothing_to_do=missing)
    if not pushed:
        return
    print(_e("Removed the preview of change {number} ({folder}/) from {remote} {branch}.", number=number, folder=folder,
             remote=remote, branch=branch), flush=True)


def push_branch(remote, branch, remote_has_branch, dry_run, progress, assemble, step, nothing_to_do=None):
    """Fetch the published branch, let `assemble(tree, published commit)`
    write into `tree` every file the branch is to hold (it returns the
    commit's message, or None when there is nothing to do: `nothing_to_do`
    is printed), and push that. If another push (a publish, or another
    change's preview) got there first, do it again on top of that one, up
    to PUSH_ATTEMPTS times: the build needs no redoing, and nothing the
    other push brought is lost. Returns whether it pushed."""
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        has_branch = remote_has_branch if attempt == 1 else remote_branch_exists(remote, branch)
        published = fetch_published_branch(remote, branch) if has_branch else None
        with staging_folder("clinic-site-branch-") as tree:
            message = assemble(tree, published)
            if message is None:
                print(nothing_to_do, flush=True)
                return False
            if dry_run:
                print(step + str(_e("Dry run: nothing is pushed.")), flush=True)
                describe_changes(None, tree, published)
                return False
            print(step + str(_e("Pushing to {remote} {branch}: {message}", remote=remote, branch=branch, message=message)),
                  flush=True)
            try:
                push_site(tree, remote, branch, published, progress, message)
                return True
            except Overtaken:
                if attempt == PUSH_ATTEMPTS:
                    raise
                print(_e("{remote} {branch} moved on meanwhile; pushing again on top of it.", remote=remote, branch=branch),
                      flush=True)


def tree_has(commit, path):
    """Whether the commit `commit` holds the folder or file `path`."""
    return bool(git("ls-tree", "--name-only", commit, "--", path).stdout.strip())


def extract_published(published, folder, path=None):
    """Write the files of the commit `published` (only `path`, if given)
    into `folder`; nothing if there is no such commit or path."""
    if not published or (path and not tree_has(published, path)):
        return
    archive = folder.parent / f"{folder.name}.tar"
    try:
        made = git("archive", "--format=tar", "-o", str(archive), published, *([path] if path else []))
        if made.returncode:
            raise PublishError(_e("git could not read the published branch ({git_said}); nothing was pushed.",
                                  git_said=git_says(made)))
        with tarfile.open(archive) as files:
            # Only plain files and folders inside `folder` (the "data" filter).
            files.extractall(folder, filter="data")
    finally:
        archive.unlink(missing_ok=True)


def published_output_tests(marker=PUBLISH_CHECKS_MARKER):
    """The test files that hold checks of a production build.

    Only these are collected, so that a test file that has nothing to say
    about the built site (and may be half-way through a change) cannot stop
    a publish.
    """
    files = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("test_*.py")
        if f"mark.{marker}" in path.read_text(encoding="utf-8")
    )
    if not files:
        raise PublishError(_e("no test under tests/ is marked {marker}, so the build cannot be checked; restore them "
                              "and publish again.", marker=marker))
    return files


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
        raise PublishError(_e("git is not installed; install it (e.g. apt-get install git) and publish again."))
    if not ghp_import_path().exists():
        raise PublishError(_e(
            "ghp-import is not installed in {folder}; run make publish (it installs requirements.txt), or "
            ".venv/bin/pip install -r requirements.txt, and publish again.",
            folder=shown_path(ghp_import_path().parent.parent)))
    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode or inside.stdout.strip() != "true":
        raise PublishError(_e(
            "{folder} is not in a git repository ({git_said}); publishing pushes a git branch, so publish from a "
            "clone of the site's repository.", folder=str(ROOT), git_said=git_says(inside)))


def check_sources_committed(allow_dirty):
    """Refuse to publish files that are not committed (unless allow_dirty)."""
    status = git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *PUBLISH_SOURCES)
    if status.returncode:
        raise PublishError(_e("git status failed ({git_said}); fix the repository and publish again.",
                              git_said=git_says(status)))
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
            _e("untracked") if code == "??"
            else _e("deleted") if "D" in code
            else _e("renamed") if "R" in code
            else _e("new") if "A" in code
            else _e("changed")
        )
        dirty.append(f"{shown_path(top / path)} ({what})")
    if not dirty:
        return
    if allow_dirty:
        print(_en("Publishing {count} uncommitted file on purpose (--allow-dirty): {files}",
                  "Publishing {count} uncommitted files on purpose (--allow-dirty): {files}", count=len(dirty),
                  files=", ".join(dirty)), flush=True)
        return
    listed = ", ".join(dirty[:LISTED_FILES])
    if len(dirty) > LISTED_FILES:
        listed = str(_e("{files} and {more} more", files=listed, more=len(dirty) - LISTED_FILES))
    raise PublishError(_en(
        "{count} file of the site's sources is not committed: {files}; commit it (or stash it) so that what is "
        "published is what is in git, or add --allow-dirty to publish it as it is on purpose.",
        "{count} files of the site's sources are not committed: {files}; commit them (or stash them) so that what is "
        "published is what is in git, or add --allow-dirty to publish them as they are on purpose.",
        count=len(dirty), files=listed))


def remote_branch_exists(remote, branch):
    """Whether `remote` has `branch`; PublishError if it cannot be reached."""
    if git("remote", "get-url", remote).returncode:
        raise PublishError(_e(
            "this repository has no git remote named {quoted}; add it (git remote add {remote} <address>) or name "
            "another with --remote (git remote -v lists them).", quoted=repr(remote), remote=remote))
    found = git("ls-remote", "--exit-code", "--heads", remote, f"refs/heads/{branch}")
    if found.returncode in (0, 2):  # 2: reachable, but no such branch yet
        return found.returncode == 0
    raise PublishError(unreachable(remote, found))


def unreachable(remote, result, after=None):
    return _e("could not reach the git remote {remote} ({git_said}); check its address (git remote -v), your access "
              "to it and the network, then publish again, {after}.", remote=repr(remote), git_said=git_says(result),
              after=after or _e("nothing was pushed"))


def fetch_published_branch(remote, branch):
    """Fetch the published branch; return its commit."""
    tracking = f"refs/remotes/{remote}/{branch}"
    fetched = git("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{tracking}")
    if fetched.returncode:
        raise PublishError(unreachable(remote, fetched))
    return git("rev-parse", "--verify", tracking).stdout.strip()


def push_site(staging, remote, branch, published, progress, message="Publish the site"):
    """Commit `staging` onto the local branch (ghp-import), push it; if the
    push fails or is stopped, put the local branch back where it was."""
    ref = f"refs/heads/{branch}"
    before = git("rev-parse", "--verify", "--quiet", ref).stdout.strip() or None
    current = git("symbolic-ref", "--quiet", "HEAD").stdout.strip()
    if current == ref:
        raise PublishError(_e("the checked-out branch is {branch}, which publishing rewrites; switch to your work "
                              "branch (git switch main) and publish again.", branch=branch))
    done = False
    try:
        with signals_held():
            if published:  # continue the published history, so the push is a fast-forward
                moved = git("update-ref", ref, published)
                if moved.returncode:
                    raise PublishError(_e("git could not move the local {branch} branch ({git_said}); nothing was "
                                          "pushed.", branch=branch, git_said=git_says(moved)))
        imported = run_command(
            [str(ghp_import_path()), "--remote", remote, "--branch", branch, "--message", message, str(staging)],
            capture=True,
        )
        if imported.returncode:
            raise PublishError(_e(
                "ghp-import could not commit the site to the local {branch} branch ({git_said}); nothing was pushed "
                "and the branch is as it was.", branch=branch, git_said=git_says(imported)))
        progress["pushing"] = True
        pushed = git("push", "--porcelain", remote, f"{ref}:{ref}")
        if pushed.returncode:
            progress["pushing"] = False  # refused: the remote is as it was
            raise (Overtaken if overtaken(pushed) else PublishError)(push_failure(remote, branch, pushed))
        progress["pushing"] = False
        done = True
    finally:
        if not done:
            with signals_held():
                if before:
                    git("update-ref", ref, before)
                else:
                    git("update-ref", "-d", ref)


def refused_refs(result):
    """The refs a `git push --porcelain` refused, with git's reason."""
    return [line.split("\t")[-1] for line in (result.stdout or "").splitlines() if line.startswith("!")]


# What a remote says when another push moved the branch while ours was on
# its way (git's own words, and GitHub's), as opposed to refusing it by its
# rules (branch protection, hooks, access rights).
RACE_REFUSALS = ("cannot lock ref", "incorrect old value", "failed to update ref")


def overtaken(result):
    """Whether a failed push was refused only because the branch moved on:
    before it started (not a fast-forward, said by git here) or while it
    was on its way (said by the remote)."""
    refusals = refused_refs(result)
    if not refusals:
        return False
    if "[remote rejected]" not in refusals[0]:
        return True
    said = (refusals[0] + " " + (result.stderr or "")).lower()
    return any(words in said for words in RACE_REFUSALS)


def push_failure(remote, branch, result):
    """One sentence for a push that failed: refused, or remote unreachable."""
    after = _e("nothing was pushed and the local {branch} branch is as it was", branch=branch)
    refusals = refused_refs(result)
    remote_lines = [line[len("remote:"):].strip() for line in (result.stderr or "").splitlines() if line.startswith("remote:")]
    remote_says = next((line for line in remote_lines if line), "")
    if not refusals:
        return unreachable(remote, result, after)
    refusal = one_line(refusals[0])
    if "[remote rejected]" in refusal:
        detail = refusal + (f": {one_line(remote_says)}" if remote_says else "")
        return _e("{remote} refused the push to {branch} ({detail}); check that you may push to that branch (branch "
                  "protection, hooks, access rights) and publish again, {after}.", remote=remote, branch=branch,
                  detail=detail, after=after)
    return _e("{remote} refused the push to {branch} because its {branch} moved on while this publish ran ({refusal}); "
              "publish again to build on top of it, {after}.", remote=remote, branch=branch, refusal=refusal,
              after=after)


def describe_changes(c, folder, published_ref):
    """Print which files a push of `folder` would add, change or remove
    (compared with the commit `published_ref`, or with nothing if None)."""
    published = {}
    if published_ref:
        listing = git("ls-tree", "-r", "-z", published_ref)
        if listing.returncode:
            raise PublishError(_e("git could not list the published branch ({git_said}); nothing was pushed.",
                                  git_said=git_says(listing)))
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
        raise PublishError(_e("git could not hash the built files ({git_said}); nothing was pushed.",
                              git_said=git_says(hashed)))
    built = dict(zip(files, hashed.stdout.split()))
    added = sorted(set(built) - set(published))
    removed = sorted(set(published) - set(built))
    changed = sorted(f for f in set(built) & set(published) if built[f] != published[f])
    print(_e("A push would add {added}, change {changed} and remove {removed} files.", added=len(added),
             changed=len(changed), removed=len(removed)))
    for label, names in ((_e("add"), added), (_e("change"), changed), (_e("remove"), removed)):
        for name in names:
            print(f"  {label}: {name}")
