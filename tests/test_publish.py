"""`invoke publish`, to a bare git repository standing in for GitHub."""

import os
import subprocess

import pytest
from fixture_site import ROOT, copy_project, run_invoke

ENVIRONMENT = {
    "SITE_URL": "https://clinic.example",
    "CALLBACK_ENDPOINT": "https://forms.example/f/clinic",
    "SITE_DOMAIN": "clinic.example",
}
REVIEW = "Reviewer: Test Reviewer, MD\nReviewed: 2026-11-01\n"


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A committed copy of the project whose origin is a bare repository.

    Its articles carry review information, so strict publishing accepts
    them (the real articles have no reviewer yet).
    """
    copy = copy_project(tmp_path)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    for article in (copy / "content/articles/lumbar-pain").glob("*.md"):
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("\nSummary:", f"\n{REVIEW}Summary:", 1), encoding="utf-8")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(copy, "init", "--quiet", "--initial-branch", "main")
    git(copy, "-c", "user.name=Test", "-c", "user.email=test@example.org", "add", "--all")
    git(copy, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", "site")
    git(copy, "remote", "add", "origin", str(remote))
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Publisher")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "publisher@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Publisher")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "publisher@example.org")
    return copy, remote


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
    assert "2/3 Checking that exact build" in published.stdout
    files = branch_files(remote)
    # The same site, built independently, plus what GitHub Pages needs.
    expected_build = tmp_path / "expected"
    built = run_invoke(copy, "preview")  # publishconf.py into output/
    assert built.returncode == 0, built.stderr
    expected = sorted(p.relative_to(copy / "output").as_posix() for p in (copy / "output").rglob("*") if p.is_file())
    assert files == sorted(expected + [".nojekyll", "CNAME"])
    assert git(remote, "show", "gh-pages:CNAME").strip() == "clinic.example"
    for name in ("index.html", "en/lumbar-pain/index.html", "sitemap.xml", "_headers"):
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
    article = copy / "content/articles/lumbar-pain/en.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Lang: en", "Lang: english"), encoding="utf-8")
    refused = run_invoke(copy, "publish")
    assert refused.returncode == 1
    assert "Lang is “english”" in refused.stderr
    assert "Traceback" not in refused.stdout + refused.stderr
    assert branch_head(remote) == before


def test_content_warnings_stop_a_publish_unless_allowed(project):
    copy, remote = project
    article = copy / "content/articles/lumbar-pain/uk.md"
    article.write_text(article.read_text(encoding="utf-8").replace(REVIEW, ""), encoding="utf-8")
    refused = run_invoke(copy, "publish")
    assert refused.returncode == 1
    assert "no specialist has reviewed this article yet" in refused.stderr
    assert branch_head(remote) is None
    allowed = run_invoke(copy, "publish", "--allow-warnings")
    assert allowed.returncode == 0, allowed.stderr
    assert "index.html" in branch_files(remote)


def test_a_build_that_fails_its_checks_is_not_pushed(project):
    copy, remote = project
    # A page with an HTML error: Pelican builds it, the HTML checker refuses it.
    page = copy / "content/pages/privacy/en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<div><span>broken</div>\n", encoding="utf-8")
    refused = run_invoke(copy, "publish")
    assert refused.returncode == 1
    assert "failed" in refused.stdout
    assert branch_head(remote) is None


def test_dry_run_says_what_would_change_and_pushes_nothing(project):
    copy, remote = project
    first = run_invoke(copy, "publish", "--dry-run")
    assert first.returncode == 0, first.stderr
    assert branch_head(remote) is None
    assert "add: .nojekyll" in first.stdout and "add: en/lumbar-pain/index.html" in first.stdout
    assert run_invoke(copy, "publish").returncode == 0
    before = branch_head(remote)
    page = copy / "content/pages/contacts/en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    second = run_invoke(copy, "publish", "--dry-run")
    assert second.returncode == 0, second.stderr
    assert "change: en/contacts/index.html" in second.stdout
    assert "add: " not in second.stdout and "remove: " not in second.stdout
    assert branch_head(remote) == before


def test_publish_needs_the_production_settings(project, monkeypatch):
    copy, remote = project
    monkeypatch.delenv("CALLBACK_ENDPOINT")
    refused = run_invoke(copy, "publish")
    assert refused.returncode == 1
    assert "set the environment variable CALLBACK_ENDPOINT to an https:// address" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert branch_head(remote) is None
    assert os.environ.get("SITE_URL") == "https://clinic.example"
