"""`invoke publish`, to a bare git repository standing in for GitHub."""

import os
import re
import shutil
import signal
import subprocess
import time

import pytest
from fixture_site import ROOT, copy_project, run_invoke

from clinic.messages import _e, _en

# The dry run's labels, and what a failed push leaves, as the editor reads them.
ADD, CHANGE, REMOVE = (_e(label).render("uk") for label in ("add", "change", "remove"))
AFTER_A_FAILED_PUSH = _e("nothing was pushed and the local {branch} branch is as it was", branch="gh-pages")


def unreachable(after):
    return _e("could not reach the git remote {remote} ({git_said}); check its address (git remote -v), your access to "
              "it and the network, then publish again, {after}.", remote="'origin'", git_said=ANY, after=after)

# A warning's label when the publish policy names its kind, as the editor reads it.
STOPS_A_PUBLISH = f"[{_e('warning, stops a publish').render('uk')}]"

ENVIRONMENT = {
    "SITE_URL": "https://clinic.example",
    "CALLBACK_ENDPOINT": "https://forms.example/f/clinic",
    "SITE_DOMAIN": "clinic.example",
}
# A review two years ago: overdue, a kind of warning the publish policy
# (PUBLISH_BLOCKING_WARNINGS) stops on.
OVERDUE_REVIEW = "Reviewer: Test Reviewer, MD\nReviewed: 2024-11-01\n"


def without_review(fields):
    """An article's fields without its Reviewer, Reviewed and Review_due."""
    return "\n".join(line for line in fields.split("\n")
                     if not re.match(r"(reviewer|reviewed|review_due)\s*:", line, re.I))


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A committed copy of the project whose origin is a bare repository.

    Its content is the project's, as it is: under the publish policy it
    publishes (an unreviewed article says so on its page), as CI's publish
    job does.
    """
    copy = copy_project(tmp_path)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(copy, "init", "--quiet", "--initial-branch", "main")
    git(copy, "-c", "user.name=Test", "-c", "user.email=test@example.org", "add", "--all")
    git(copy, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", "site")
    git(copy, "remote", "add", "origin", str(remote))
    # Temporary folders (the publish's staging folder) go here, to be looked at.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Publisher")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "publisher@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Publisher")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "publisher@example.org")
    return copy, remote


def an_article(copy, lang):
    """The folder name of the copy's first article (by name) in `lang`."""
    return sorted(path.parent.name for path in (copy / "content/articles").glob(f"*/index.{lang}.md"))[0]


def commit(copy, message="change"):
    git(copy, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "--quiet", "--all", "-m", message)


def staging_folders(copy):
    """Staging folders of a publish (in TMPDIR) or a build (beside output/) still there."""
    return sorted(copy.parent.glob("tmp/clinic-site-publish-*")) + sorted(copy.glob(".build-*")) + sorted(copy.glob(".old-*"))


# A parameter a test cannot know in advance (what git said): said() takes
# any text in its place.
ANY = "\0"


def said(message, lang="uk"):
    """A pattern for `message` (its identity and parameters) as shown in
    `lang`: the language the tasks speak here, pelicanconf.py's (run_invoke
    ignores an EDITOR_LANGUAGE of the shell)."""
    return re.compile(".*?".join(re.escape(part) for part in message.render(lang).split(ANY)))


def assert_one_sentence(result, message, *expected):
    """Refused: exit 1, one line on stderr (after whatever the build printed),
    no traceback: `message`, in the editor's language, holding `expected`."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("invoke publish: ") and last.endswith("."), result.stderr
    assert said(message).fullmatch(last.removeprefix("invoke publish: ")), last
    for text in expected:
        assert text in last, last
    return last


def branch_files(remote, branch="gh-pages"):
    listing = git(remote, "ls-tree", "-r", "--name-only", branch)
    return sorted(listing.split())


def branch_head(remote, branch="gh-pages"):
    result = subprocess.run(["git", "rev-parse", "--verify", "--quiet", branch], cwd=remote, capture_output=True, text=True)
    return result.stdout.strip() or None


def test_publish_pushes_exactly_the_checked_build(project, tmp_path):
    copy, remote = project
    published = run_invoke(copy, "publish")
    assert published.returncode == 0, published.stdout + published.stderr
    assert _e("2/3 Checking that exact build").render("uk") in published.stdout.splitlines()
    files = branch_files(remote)
    # The same site, built independently, plus what GitHub Pages needs.
    expected_build = tmp_path / "expected"
    built = run_invoke(copy, "preview")  # publishconf.py into output/
    assert built.returncode == 0, built.stderr
    expected = sorted(p.relative_to(copy / "output").as_posix() for p in (copy / "output").rglob("*") if p.is_file())
    assert files == sorted(expected + [".nojekyll", "CNAME"])
    assert git(remote, "show", "gh-pages:CNAME").strip() == "clinic.example"
    for name in ("index.html", f"en/{an_article(copy, 'en')}/index.html", "sitemap.xml", "_headers"):
        assert git(remote, "show", f"gh-pages:{name}") == (copy / "output" / name).read_text(encoding="utf-8")
    assert not expected_build.exists()
    # A second publish continues the branch's history.
    first = branch_head(remote)
    again = run_invoke(copy, "publish")
    assert again.returncode == 0, again.stderr
    assert git(remote, "rev-parse", "gh-pages~1").strip() == first


def test_a_broken_article_is_refused_and_the_branch_is_unchanged(project):
    copy, remote = project
    assert run_invoke(copy, "publish").returncode == 0
    before = branch_head(remote)
    article = copy / "content/articles" / an_article(copy, "en") / "index.en.md"
    text = article.read_text(encoding="utf-8")
    broken = text.replace("Lang: en\n", "Lang: english\n") if "Lang: en\n" in text else "Lang: english\n" + text
    article.write_text(broken, encoding="utf-8")
    commit(copy, "break an article")
    refused = run_invoke(copy, "publish")
    assert refused.returncode == 1
    # Which message, with which parameters, in the editor's language (Ukrainian).
    assert _e("Lang is “{value}”, but the file is index.{path_lang}.md. Make them agree: rename the file to index.{value}.md "
              "or write “Lang: {path_lang}”.", value="english", path_lang="en").render("uk") in refused.stderr
    assert_one_sentence(refused, _e("the production build failed (see the messages above); fix them and publish "
                                    "again, nothing was pushed."))
    assert branch_head(remote) == before
    assert not staging_folders(copy)


def test_a_warning_the_policy_names_stops_a_publish_unless_allowed(project):
    copy, remote = project
    article = sorted((copy / "content/articles").glob("*/index.uk.md"))[0]
    head, body = article.read_text(encoding="utf-8").split("\n\n", 1)
    head = without_review(head)  # the article may already have a review: this one replaces it
    article.write_text(head + "\n" + OVERDUE_REVIEW + "\n" + body, encoding="utf-8")
    # Not committed: published as it is, on purpose.
    refused = run_invoke(copy, "publish", "--allow-dirty")
    assert refused.returncode == 1
    assert _e("the review was due on {due}: ask the reviewer to check the article again, then update Reviewed.",
              due="2025-11-01").render("uk") in refused.stderr
    assert STOPS_A_PUBLISH in refused.stderr
    assert branch_head(remote) is None
    allowed = run_invoke(copy, "publish", "--allow-warnings", "--allow-dirty")
    assert allowed.returncode == 0, allowed.stderr
    relative = article.relative_to(copy).as_posix()
    assert _en("Publishing {count} uncommitted file on purpose (--allow-dirty): {files}",
               "Publishing {count} uncommitted files on purpose (--allow-dirty): {files}", count=1,
               files=f"{relative} ({_e('changed').render('uk')})").render("uk") in allowed.stdout.splitlines()
    assert "index.html" in branch_files(remote)


def test_warnings_the_policy_does_not_name_do_not_stop_a_publish(project):
    copy, remote = project
    article = sorted((copy / "content/articles").glob("*/index.en.md"))[0]
    long_sentence = "This sentence " + "goes on and on " * 10 + "until nobody in pain can follow it.\n"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + long_sentence, encoding="utf-8")
    commit(copy)
    published = run_invoke(copy, "publish")
    assert published.returncode == 0, published.stdout + published.stderr
    words = long_sentence.split()
    assert _en("a sentence of {count} word (“{start} …”): sentences over {limit} words are hard to read in pain and "
               "on a phone. Consider splitting it.", "a sentence of {count} words (“{start} …”): sentences over "
               "{limit} words are hard to read in pain and on a phone. Consider splitting it.", count=len(words),
               start=" ".join(words[:6]), limit=25).render("uk") in published.stderr  # said, not blocking
    assert STOPS_A_PUBLISH not in published.stderr
    assert "index.html" in branch_files(remote)


def test_a_build_that_fails_its_checks_is_not_pushed(project):
    copy, remote = project
    # A theme with an HTML error: Pelican builds it, the HTML checker refuses it.
    footer = copy / "theme/templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("</footer>", "<div><span>broken</div>\n</footer>", 1), encoding="utf-8")
    commit(copy, "break the footer")
    refused = run_invoke(copy, "publish")
    assert "failed" in refused.stdout
    assert_one_sentence(refused, _e("the checks of {checked} failed (see above); fix what they name and publish "
                                    "again, nothing was pushed.", checked=_e("the production build")))
    assert branch_head(remote) is None
    assert not staging_folders(copy)


def test_dry_run_says_what_would_change_and_pushes_nothing(project):
    copy, remote = project
    first = run_invoke(copy, "publish", "--dry-run")
    assert first.returncode == 0, first.stderr
    assert branch_head(remote) is None
    assert f"  {ADD}: .nojekyll" in first.stdout.splitlines()
    assert f"  {ADD}: en/{an_article(copy, 'en')}/index.html" in first.stdout.splitlines()
    assert run_invoke(copy, "publish").returncode == 0
    before = branch_head(remote)
    page = copy / "content/pages/contacts/index.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    commit(copy, "one more sentence")
    second = run_invoke(copy, "publish", "--dry-run")
    assert second.returncode == 0, second.stderr
    assert f"  {CHANGE}: en/contacts/index.html" in second.stdout.splitlines()
    # Only the search index gains and loses files: its file names are hashes
    # of what they hold, and the English index holds the changed page.
    from clinic.addresses import SEARCH_FOLDER

    added_or_removed = [line.split(": ", 1)[1] for line in second.stdout.splitlines()
                        if line.strip().startswith((f"{ADD}: ", f"{REMOVE}: "))]
    assert added_or_removed and all(path.startswith(SEARCH_FOLDER) for path in added_or_removed), second.stdout
    assert branch_head(remote) == before


def test_publish_needs_the_production_settings(project, monkeypatch):
    copy, remote = project
    monkeypatch.delenv("CALLBACK_ENDPOINT")
    refused = run_invoke(copy, "publish")
    assert refused.returncode == 1
    assert said(_e("set the environment variable {name} to an https:// address ({state}), e.g. {example} invoke "
                   "preview.", name="CALLBACK_ENDPOINT", state=ANY, example=ANY)).search(refused.stderr), refused.stderr
    assert "Traceback" not in refused.stderr
    assert branch_head(remote) is None
    assert os.environ.get("SITE_URL") == "https://clinic.example"


def test_uncommitted_sources_are_named_and_refused(project):
    copy, remote = project
    page = copy / "content/pages/contacts/index.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNot committed.\n", encoding="utf-8")
    (copy / "theme/css/new part.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    deleted = f"content/articles/{an_article(copy, 'ru')}/index.ru.md"
    (copy / deleted).unlink()
    # Neither ignored files nor files outside the site's sources count.
    (copy / "plugins/clinic/__pycache__").mkdir(exist_ok=True)
    (copy / "plugins/clinic/__pycache__/x.cpython-311.pyc").write_bytes(b"")
    (copy / "notes.txt").write_text("my notes\n", encoding="utf-8")
    refused = run_invoke(copy, "publish")
    last = assert_one_sentence(
        refused,
        _en("{count} file of the site's sources is not committed: {files}; commit it (or stash it) so that what is "
            "published is what is in git, or add --allow-dirty to publish it as it is on purpose.",
            "{count} files of the site's sources are not committed: {files}; commit them (or stash them) so that what "
            "is published is what is in git, or add --allow-dirty to publish them as they are on purpose.",
            count=3, files=ANY),
        f"{deleted} ({_e('deleted').render('uk')})",
        f"content/pages/contacts/index.en.md ({_e('changed').render('uk')})",
        f"theme/css/new part.css ({_e('untracked').render('uk')})",
    )
    assert "pyc" not in last and "notes.txt" not in last
    assert "1/3" not in refused.stdout  # refused before building anything
    assert branch_head(remote) is None
    git(copy, "stash", "--include-untracked", "--quiet")
    # Only the ignored file and the notes outside the sources are left.
    dry = run_invoke(copy, "publish", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr


def test_publish_outside_a_git_repository_says_so(project, monkeypatch):
    copy, remote = project
    shutil.rmtree(copy / ".git")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(copy.parent))
    refused = run_invoke(copy, "publish")
    assert_one_sentence(refused, _e("{folder} is not in a git repository ({git_said}); publishing pushes a git branch, "
                                    "so publish from a clone of the site's repository.", folder=ANY, git_said=ANY))


def test_a_missing_remote_is_one_sentence(project):
    copy, remote = project
    refused = run_invoke(copy, "publish", "--remote", "upstream")
    assert_one_sentence(refused, _e("this repository has no git remote named {quoted}; add it (git remote add {remote} "
                                    "<address>) or name another with --remote (git remote -v lists them).",
                                    quoted="'upstream'", remote="upstream"))


@pytest.mark.parametrize("local_branch_before", [False, True], ids=["no-local-branch", "local-branch"])
def test_a_refused_push_leaves_both_branches_as_they_were(project, local_branch_before):
    copy, remote = project
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'publishing is closed today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    if local_branch_before:
        git(copy, "branch", "gh-pages", "main")
    before = branch_head(copy)
    refused = run_invoke(copy, "publish")
    assert_one_sentence(
        refused,
        _e("{remote} refused the push to {branch} ({detail}); check that you may push to that branch (branch "
           "protection, hooks, access rights) and publish again, {after}.", remote="origin", branch="gh-pages",
           detail=ANY, after=AFTER_A_FAILED_PUSH),
        "pre-receive hook declined",
        "publishing is closed today",
    )
    assert branch_head(remote) is None
    assert branch_head(copy) == before  # put back, or still absent
    assert not staging_folders(copy)


def test_an_unreachable_remote_is_one_sentence_and_changes_nothing(project, tmp_path):
    copy, remote = project
    git(copy, "branch", "gh-pages", "main")
    before = branch_head(copy)
    # Cannot be reached at all: stops before building.
    git(copy, "remote", "set-url", "origin", str(tmp_path / "missing.git"))
    refused = run_invoke(copy, "publish")
    assert_one_sentence(refused, unreachable(_e("nothing was pushed")), "missing.git")
    assert "1/3" not in refused.stdout
    # Reached for reading, not for the push: the local branch, which
    # ghp-import moved, is put back.
    git(copy, "remote", "set-url", "origin", str(remote))
    git(copy, "remote", "set-url", "--push", "origin", str(tmp_path / "missing.git"))
    refused = run_invoke(copy, "publish")
    assert "3/3 " + _e("Pushing to {remote} {branch}: {message}", remote="origin", branch="gh-pages",
                       message="Publish the site").render("uk") in refused.stdout
    assert_one_sentence(refused, unreachable(AFTER_A_FAILED_PUSH))
    assert branch_head(copy) == before
    assert branch_head(remote) is None
    assert not staging_folders(copy)


def test_a_push_overtaken_by_another_says_publish_again():
    from tasks.publishing import push_failure

    overtaken = subprocess.CompletedProcess(
        [], 1, "To x\n!\trefs/heads/gh-pages:refs/heads/gh-pages\t[rejected] (fetch first)\nDone\n", "error: failed to push\n"
    )
    message = push_failure("origin", "gh-pages", overtaken)
    assert message == _e("{remote} refused the push to {branch} because its {branch} moved on while this publish ran "
                         "({refusal}); publish again to build on top of it, {after}.", remote="origin",
                         branch="gh-pages", refusal="[rejected] (fetch first)", after=AFTER_A_FAILED_PUSH)


SLOW_BUILD_PLUGIN = """
import os
import re
import time
from pathlib import Path

from pelican import signals


def wait(pelican):
    Path(os.environ["BUILD_STARTED"]).write_text(pelican.output_path, encoding="utf-8")
    time.sleep(60)


def register():
    signals.initialized.connect(wait)
"""


def start_a_slow_build(copy, tmp_path, *args):
    """Run `invoke *args` with a Pelican that, once started, waits a minute;
    return the process once Pelican is running (building into staging)."""
    plugins = tmp_path / "slow-plugin"
    plugins.mkdir()
    (plugins / "slow_build.py").write_text(SLOW_BUILD_PLUGIN, encoding="utf-8")
    settings = copy / "pelicanconf.py"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + f"\nPLUGIN_PATHS = PLUGIN_PATHS + [{str(plugins)!r}]\nPLUGINS = PLUGINS + ['slow_build']\n",
        encoding="utf-8",
    )
    commit(copy, "a slow build")
    started = tmp_path / "build-started"
    running = run_invoke(
        copy, *args, env=dict(os.environ, BUILD_STARTED=str(started)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not started.exists():
        if running.poll() is not None or time.monotonic() > deadline:
            running.kill()
            pytest.fail("the build did not start: " + "".join(running.communicate()))
        time.sleep(0.05)
    assert staging_folders(copy), "Pelican is building, into a staging folder"
    return running


def stop_and_wait(running, stop):
    try:
        running.send_signal(stop)
        return running.communicate(timeout=60)
    finally:
        if running.poll() is None:
            running.kill()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_publish_removes_its_build_and_pushes_nothing(project, tmp_path, stop):
    copy, remote = project
    running = start_a_slow_build(copy, tmp_path, "publish")
    stdout, stderr = stop_and_wait(running, stop)
    assert running.returncode == 1, stdout + stderr
    assert said(_e("1/3 Building {what} for {url}/ into {folder}", what=_e("the production site"), url=ANY,
                   folder=ANY)).search(stdout)
    assert "Traceback" not in stdout + stderr
    assert stderr.strip().splitlines()[-1] == "invoke publish: " + _e(
        "stopped by {signal}; nothing was pushed, the temporary build was removed and the {branch} branch is as it "
        "was.", signal=stop.name, branch="gh-pages").render("uk")
    assert not staging_folders(copy)
    assert branch_head(remote) is None and branch_head(copy) is None


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_build_removes_its_staging_folder_and_keeps_the_last_site(project, tmp_path, stop):
    copy, remote = project
    (copy / "output").mkdir()
    (copy / "output/index.html").write_text("the last good site", encoding="utf-8")
    running = start_a_slow_build(copy, tmp_path, "build")
    stdout, stderr = stop_and_wait(running, stop)
    assert running.returncode == 1, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert stderr.strip().splitlines()[-1] == _e(
        "Stopped ({signal}): the unfinished build was removed and {folder}/ is as it was.", signal=stop.name,
        folder="output").render("uk")
    assert not staging_folders(copy)
    assert sorted(p.name for p in (copy / "output").iterdir()) == ["index.html"]
    assert (copy / "output/index.html").read_text(encoding="utf-8") == "the last good site"


def test_a_missing_ghp_import_is_one_sentence(monkeypatch, tmp_path):
    from tasks import publishing

    monkeypatch.setattr(publishing, "ghp_import_path", lambda: tmp_path / "bin/ghp-import")
    with pytest.raises(publishing.PublishError) as refused:
        publishing.check_publishing_tools()
    assert refused.value.args[0] == _e(
        "ghp-import is not installed in {folder}; run make publish (it installs requirements.txt), or "
        ".venv/bin/pip install -r requirements.txt, and publish again.", folder=str(tmp_path))


def test_an_unforeseen_error_is_still_one_sentence(monkeypatch, capsys):
    from tasks import publishing

    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)

    def fail(*args):
        raise RuntimeError("something broke\nin two lines")

    monkeypatch.setattr(publishing, "publish_site", fail)
    with pytest.raises(SystemExit) as stopped:
        publishing.publish.body(None)
    assert stopped.value.code == 1
    error = capsys.readouterr().err
    assert error.splitlines() == ["invoke publish: " + str(_e(
        "stopped by an unexpected {error} ({said}) {where}, and the local {branch} branch is as it was; please report "
        "it with this sentence.", error="RuntimeError", said="something broke in two lines",
        where=_e("before the push; nothing was pushed"), branch="gh-pages"))]
