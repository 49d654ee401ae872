"""Previews of a change: `invoke publish --preview N` and `--remove-preview N`
to a bare git repository standing in for GitHub, and the preview's pages.

One preview is published for the whole module (the `published` fixture):
change 7 of a committed copy of the project, onto a publish branch that
already holds a stand-in of the live site. The tests marked preview_output
check the preview's pages; `invoke publish --preview N` runs exactly those
on the preview it is about to push (SITE_UNDER_TEST, PREVIEW_NUMBER).

What they expect comes from the settings, the theme's catalogues and the
content as built, never from today's articles.
"""

import base64
import functools
import hashlib
import http.server
import json
import os
import subprocess
import tarfile
import threading
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from clinic import site_settings
from clinic.messages import _e
from clinic.sitemap import robots_txt
from conftest import LANGS, PUBLISHED_SITE_URL, ROOT, QuietHandler, parse_pages

# The address the live site is built for, as tests/test_publish.py's.
ENVIRONMENT = {
    "SITE_URL": "https://clinic.example",
    "CALLBACK_ENDPOINT": "https://forms.example/f/clinic",
    "SITE_DOMAIN": "clinic.example",
}
NUMBER = 7
# What the live site's branch holds before the preview (a stand-in: the
# preview must leave each of these files exactly as it is).
LIVE_FILES = {"index.html": "<!DOCTYPE html><title>live</title>\n", "CNAME": "clinic.example\n", ".nojekyll": "",
              "pr-preview/pr-3/index.html": "<!DOCTYPE html><title>change 3</title>\n"}

# `invoke publish --preview N` runs the preview_output tests on its build.
CHECKING_A_PUBLISH = bool(os.environ.get("SITE_UNDER_TEST") and os.environ.get("PREVIEW_NUMBER"))


def git(cwd, *args, **options):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, **options).stdout


def invoke(copy, *args, env=None):
    """Run `invoke` in the copy, with the live site's addresses."""
    environment = dict(os.environ, **ENVIRONMENT, **(env or {}))
    if copy != ROOT:  # the publish's staging folders go beside the copy, to be looked at
        (copy.parent / "tmp").mkdir(exist_ok=True)
        environment["TMPDIR"] = str(copy.parent / "tmp")
    for name in ("SITE_UNDER_TEST", "PREVIEW_NUMBER"):
        environment.pop(name, None)
    return subprocess.run([str(ROOT / ".venv/bin/invoke"), *args], cwd=copy, capture_output=True, text=True,
                          env=environment)


def branch_files(remote, branch="gh-pages"):
    return sorted(git(remote, "ls-tree", "-r", "--name-only", branch).split())


def branch_file(remote, path, branch="gh-pages"):
    return git(remote, "show", f"{branch}:{path}")


def branch_head(remote, branch="gh-pages"):
    return git(remote, "rev-parse", branch).strip()


def extract_branch(remote, folder, branch="gh-pages"):
    """The branch's files, written into `folder`."""
    archive = folder.parent / "branch.tar"
    git(remote, "archive", "--format=tar", "-o", str(archive), branch)
    with tarfile.open(archive) as files:
        files.extractall(folder, filter="data")
    return folder


def said(text, /, **params):
    """A message of the tasks, as they print it here: in the editor's
    language, pelicanconf.py's (Ukrainian)."""
    return _e(text, **params).render("uk")


def one_sentence(result, *expected):
    """Refused: exit 1, its last line one sentence, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("invoke publish: ") and last.endswith("."), result.stderr
    for text in expected:
        assert text in last, last
    return last


def a_project(tmp_path):
    """A committed copy of the project, its origin a bare repository whose
    gh-pages branch holds LIVE_FILES."""
    from fixture_site import copy_project

    copy = copy_project(tmp_path)
    remote = tmp_path / "remote.git"
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(copy, "init", "--quiet", "--initial-branch", "main")
    git(copy, *identity, "add", "--all")
    git(copy, *identity, "commit", "--quiet", "-m", "site")
    git(copy, "remote", "add", "origin", str(remote))
    live = tmp_path / "live"
    for name, text in LIVE_FILES.items():
        (live / name).parent.mkdir(parents=True, exist_ok=True)
        (live / name).write_text(text, encoding="utf-8")
    git(live, "init", "--quiet", "--initial-branch", "gh-pages")
    git(live, *identity, "add", "--all")
    git(live, *identity, "commit", "--quiet", "-m", "the live site")
    git(live, "push", "--quiet", str(remote), "gh-pages")
    return copy, remote


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Change 7 published as a preview onto a branch holding a live site."""
    if CHECKING_A_PUBLISH:
        pytest.skip("`invoke publish --preview` checks its own build here, it does not publish one")
    tmp_path = tmp_path_factory.mktemp("previews")
    copy, remote = a_project(tmp_path)
    before = branch_head(remote)
    result = invoke(copy, "publish", "--preview", str(NUMBER))
    assert result.returncode == 0, result.stdout + result.stderr
    tree = extract_branch(remote, tmp_path / "branch")
    return SimpleNamespace(copy=copy, remote=remote, before=before, result=result, tree=tree)


@pytest.fixture(scope="module")
def preview(request):
    """The preview under test: {folder, number, live (the live site's
    address), url (the preview's)}."""
    if CHECKING_A_PUBLISH:
        folder, number = Path(os.environ["SITE_UNDER_TEST"]), int(os.environ["PREVIEW_NUMBER"])
        live = os.environ["SITE_URL"].strip().rstrip("/")
    else:
        published = request.getfixturevalue("published")
        number, live = NUMBER, ENVIRONMENT["SITE_URL"]
        folder = published.tree / site_settings.preview_path(number)
    return SimpleNamespace(folder=folder, number=number, live=live,
                           url=f"{live}/{site_settings.preview_path(number)}")


@pytest.fixture(scope="module")
def preview_pages(preview):
    return parse_pages(preview.folder)


def page_address(path):
    """A page's address relative to the site, from its file's path."""
    return path.removesuffix("index.html")


def theme_text(lang, message, **values):
    """A theme string in `lang`, from the theme's catalogues (English is
    their source)."""
    text = message
    if lang != "en":
        catalogue_path = ROOT / "theme/translations" / lang / "LC_MESSAGES/messages.po"
        with catalogue_path.open("rb") as catalogue_file:
            text = read_po(catalogue_file)[message].string
        assert text, f"{message!r} has no {lang} translation"
    return text % values if values else text


def addresses_in(soup):
    """(tag, attribute, address) of every address a page refers to."""
    for tag in soup.find_all(True):
        for name in ("href", "src", "action", "poster", "data-script", "data-index"):
            if tag.get(name) is not None:
                yield tag, name, tag[name]
        for candidate in (tag.get("srcset") or "").split(","):
            if candidate.strip():
                yield tag, "srcset", candidate.split()[0]


def names_the_live_page(tag):
    """The tags that name a page's live address on purpose: the canonical
    and hreflang links, and the banner's link to the live page."""
    if tag.name == "link" and ("canonical" in tag.get("rel", []) or tag.get("hreflang")):
        return True
    return tag.name == "a" and "mc-preview-banner__link" in tag.get("class", [])


# --- the preview's pages (also run by `invoke publish --preview N`) ---------------------------


@pytest.mark.preview_output
def test_every_page_of_the_preview_is_noindex(preview_pages):
    assert len(preview_pages) >= len(LANGS) * 5
    for path, soup in preview_pages.items():
        assert soup.find("meta", attrs={"name": "robots", "content": "noindex"}), path


@pytest.mark.preview_output
def test_every_page_has_the_banner_in_its_language_with_a_link_to_the_live_page(preview, preview_pages):
    for path, soup in preview_pages.items():
        lang = soup.html["lang"]
        banners = soup.select(".mc-preview-banner")
        assert len(banners) == 1, path
        banner = banners[0]
        name = theme_text(lang, "Preview of change %(number)s", number=preview.number)
        assert banner.name == "section" and banner["aria-label"] == name, path  # a region, named
        text = " ".join(banner.get_text().split())
        assert name in text and theme_text(lang, "This is not the clinic's site: this page shows a change "
                                                 "that is not published yet.") in text, path
        link = banner.select_one("a.mc-preview-banner__link")
        assert link.get_text(strip=True) == theme_text(lang, "Open this page on the live site"), path
        assert link["href"] == f"{preview.live}/{page_address(path)}", path
        assert banner.find_parent("main") is None, path  # before the content, not in it


@pytest.mark.preview_output
def test_every_link_of_the_preview_resolves_inside_it(preview, preview_pages):
    """Every address on the site's host that a page refers to (links,
    scripts, images, feeds, the language switcher, the search index) is a
    file of the preview; only the canonical, hreflang and banner links name
    the live site, and only the live page itself."""
    host = urlsplit(preview.live).netloc
    resolved = 0
    for path, soup in preview_pages.items():
        here = f"{preview.url}/{page_address(path)}"
        for tag, name, address in addresses_in(soup):
            absolute = urljoin(here, address)
            parts = urlsplit(absolute)
            if parts.scheme in ("tel", "mailto", "data") or (address.startswith("#")):
                continue
            if parts.netloc != host:
                assert parts.scheme == "https", (path, address)  # another site's page: not ours to resolve
                continue
            if names_the_live_page(tag):
                assert not absolute.startswith(preview.url + "/"), (path, tag)
                assert absolute.startswith(preview.live + "/"), (path, tag)
                continue
            assert absolute.startswith(preview.url + "/"), f"{path}: {name}={address} leaves the preview"
            target = preview.folder / unquote(absolute[len(preview.url) + 1:].split("#")[0])
            if name == "data-index":  # the search index's folder
                target = target / "pagefind.js"
            elif not target.is_file():
                target = target / "index.html"
            assert target.is_file(), f"{path}: {name}={address} leads to no file of the preview"
            resolved += 1
    assert resolved > len(preview_pages) * 10


@pytest.mark.preview_output
def test_canonical_open_graph_and_json_ld_name_the_live_page(preview, preview_pages):
    canonical_pages = 0
    for path, soup in preview_pages.items():
        for script in soup.find_all("script", type="application/ld+json"):
            data = json.loads(script.string)
            assert site_settings.PREVIEW_FOLDER not in json.dumps(data), path
        canonical = soup.find("link", rel="canonical")
        if canonical is None:
            continue
        canonical_pages += 1
        assert canonical["href"] == f"{preview.live}/{page_address(path)}", path
        assert soup.find("meta", property="og:url")["content"] == canonical["href"], path
        for link in soup.find_all("link", hreflang=True):
            assert link["href"].startswith(preview.live + "/"), path
            assert not link["href"].startswith(preview.url + "/"), path
    assert canonical_pages >= len(LANGS) * 3


def policy_directives(soup):
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.preview_output
def test_no_form_sends_and_the_policy_names_no_endpoint(preview_pages):
    forms = 0
    for path, soup in preview_pages.items():
        directives = policy_directives(soup)
        # As strict as the live site's: the same directives, nothing inline
        # but by hash, and no origin but the site's own (no endpoint).
        assert set(directives) == {"default-src", "script-src", "style-src", "img-src", "connect-src",
                                   "form-action", "object-src", "base-uri"}, path
        assert directives["connect-src"] == directives["form-action"] == directives["default-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"], path
        assert not [value for values in directives.values() for value in values
                    if value in ("'unsafe-inline'", "'unsafe-eval'", "*") or "://" in value], path
        # The preview's own stylesheet, by its hash (CSP level 2), and nothing else.
        style = soup.head.style.string.encode("utf-8")
        assert directives["style-src"] == [f"'sha256-{base64.b64encode(hashlib.sha256(style).digest()).decode()}'"]
        for form in soup.select("form.mc-callback__form"):
            forms += 1
            lang = soup.html["lang"]
            assert not form.get("action") and not form.get("data-script"), path
            assert all(button.has_attr("disabled") for button in form.select("button[type=submit]")), path
            sentence = form.select_one(".mc-callback__preview")
            assert " ".join(sentence.get_text().split()) == theme_text(
                lang, "Sending is off in this preview: the form sends nothing to the clinic."), path
    assert forms >= len(LANGS)


@pytest.mark.preview_output
def test_the_feeds_of_the_preview_lead_to_its_own_pages(preview, preview_pages):
    feeds = {link["href"] for soup in preview_pages.values()
             for link in soup.find_all("link", rel="alternate", type="application/atom+xml")}
    assert feeds
    atom = "{http://www.w3.org/2005/Atom}"
    for address in feeds:
        assert address.startswith(preview.url + "/"), address
        root = ElementTree.parse(preview.folder / address[len(preview.url) + 1:]).getroot()
        links = [link.get("href") for link in root.iter(f"{atom}link")]
        assert any(link.get("rel") == "self" and link.get("href") == address for link in root.iter(f"{atom}link"))
        for link in links:
            assert link.startswith(preview.url + "/"), (address, link)
            target = preview.folder / link[len(preview.url) + 1:]
            assert target.is_file() or (target / "index.html").is_file(), (address, link)


@pytest.mark.preview_output
def test_a_preview_has_no_sitemap_and_no_robots_txt(preview):
    assert not (preview.folder / "sitemap.xml").exists()
    assert not (preview.folder / "robots.txt").exists()


@pytest.mark.published_output
def test_the_live_robots_txt_keeps_crawlers_out_of_the_previews(published_site):
    """At the site's own path: a project site at /repo/ keeps out /repo/pr-preview/."""
    site_path = urlsplit(PUBLISHED_SITE_URL).path.rstrip("/")
    robots = (published_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Disallow: {site_path}/{site_settings.PREVIEW_FOLDER}/" in robots


# --- publishing and removing previews ---------------------------------------------------------


def test_a_preview_goes_into_its_folder_and_leaves_the_rest_of_the_branch(published):
    # (the tasks speak the editor's language: pelicanconf.py's, Ukrainian; invoke() passes no EDITOR_LANGUAGE)
    assert said("Published {what} to {remote} {branch}{where}.", what=_e("the preview of change {number}", number=NUMBER),
                remote="origin", branch="gh-pages",
                where=f" ({PUBLISHED_SITE_URL}/{site_settings.preview_path(NUMBER)}/)") in published.result.stdout
    files = branch_files(published.remote)
    folder = site_settings.preview_path(NUMBER)
    assert [name for name in files if not name.startswith(folder + "/")] == sorted(LIVE_FILES)
    for name, text in LIVE_FILES.items():
        assert branch_file(published.remote, name) == text
    assert f"{folder}/index.html" in files and f"{folder}/en/index.html" in files
    assert git(published.remote, "rev-parse", "gh-pages~1").strip() == published.before


def test_a_publish_keeps_the_previews_and_the_live_robots_txt_keeps_crawlers_out(published):
    copy, remote = published.copy, published.remote
    result = invoke(copy, "publish")
    assert result.returncode == 0, result.stdout + result.stderr
    files = branch_files(remote)
    previews = sorted(name for name in files if name.startswith(site_settings.PREVIEW_FOLDER + "/"))
    assert previews == sorted(p.relative_to(published.tree).as_posix()
                              for p in (published.tree / site_settings.PREVIEW_FOLDER).rglob("*") if p.is_file())
    # The rest is the new live site, not the stand-in.
    assert branch_file(remote, "index.html") != LIVE_FILES["index.html"]
    assert "sitemap.xml" in files
    assert f"Disallow: /{site_settings.PREVIEW_FOLDER}/" in branch_file(remote, "robots.txt").splitlines()
    sitemap = branch_file(remote, "sitemap.xml")
    assert f"/{site_settings.PREVIEW_FOLDER}/" not in sitemap


def test_removing_a_preview_removes_its_folder_only(published):
    copy, remote = published.copy, published.remote
    before, head = branch_files(remote), branch_head(remote)
    folder = site_settings.preview_path(NUMBER) + "/"
    dry = invoke(copy, "publish", "--remove-preview", str(NUMBER), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"  {said('remove')}: {folder}index.html" in dry.stdout.splitlines()
    assert f"  {said('add')}: " not in dry.stdout
    assert branch_head(remote) == head
    result = invoke(copy, "publish", "--remove-preview", str(NUMBER))
    assert result.returncode == 0, result.stdout + result.stderr
    assert said("Removed the preview of change {number} ({folder}/) from {remote} {branch}.", number=NUMBER,
                folder=folder.rstrip("/"), remote="origin", branch="gh-pages") in result.stdout
    assert branch_files(remote) == [name for name in before if not name.startswith(folder)]
    assert "pr-preview/pr-3/index.html" in branch_files(remote)
    head = branch_head(remote)
    again = invoke(copy, "publish", "--remove-preview", str(NUMBER))
    assert again.returncode == 0, again.stderr
    assert said("There is no preview of change {number} ({folder}/) on {remote} {branch}; nothing to remove.",
                number=NUMBER, folder=folder.rstrip("/"), remote="origin", branch="gh-pages") in again.stdout
    assert branch_head(remote) == head


def test_a_preview_whose_checks_fail_pushes_nothing(published):
    copy, remote = published.copy, published.remote
    (copy / "tests/test_zz_failing_preview_check.py").write_text(
        "import pytest\n\n\n@pytest.mark.preview_output\ndef test_fails():\n    assert False\n", encoding="utf-8")
    git(copy, "add", "--all")
    git(copy, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", "a failing check")
    try:
        head = branch_head(remote)
        refused = invoke(copy, "publish", "--preview", "8")
        one_sentence(refused, said("the checks of {checked} failed (see above); fix what they name and publish "
                                   "again, nothing was pushed.", checked=_e("the preview")))
        assert branch_head(remote) == head
        assert not list((copy.parent / "tmp").glob("clinic-site-*"))  # the staging folders are gone
    finally:  # the module's other tests publish from this copy
        git(copy, "reset", "--quiet", "--hard", "HEAD~1")


OVERTAKING_HOOK = """#!/bin/sh
# Once: while this push is on its way, someone else publishes first.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
[ -e "$0.done" ] && exit 0
touch "$0.done"
other=$(mktemp -d)
git clone --quiet --branch gh-pages "{remote}" "$other/clone"
cd "$other/clone" && echo other > other-publish.txt && git add other-publish.txt &&
  git -c user.name=Other -c user.email=other@example.org commit --quiet -m "another publish" &&
  git push --quiet origin gh-pages
"""


def test_a_preview_overtaken_by_another_push_goes_on_top_of_it(published):
    copy, remote = published.copy, published.remote
    hook = copy / ".git/hooks/pre-push"
    hook.write_text(OVERTAKING_HOOK.format(remote=remote), encoding="utf-8")
    hook.chmod(0o755)
    try:
        before = branch_files(remote)
        result = invoke(copy, "publish", "--preview", "9")
        assert result.returncode == 0, result.stdout + result.stderr
        assert said("{remote} {branch} moved on meanwhile; pushing again on top of it.", remote="origin",
                    branch="gh-pages") in result.stdout
        assert hook.with_name("pre-push.done").exists()  # the other push did happen
        files = branch_files(remote)
        assert "other-publish.txt" in files  # nothing the other push brought is lost
        assert set(before) <= set(files)
        assert any(name.startswith(site_settings.preview_path(9) + "/") for name in files)
        assert git(remote, "log", "--format=%s", "-2", "gh-pages").split("\n")[:2] == [
            "Publish the preview of change 9", "another publish"]
    finally:
        hook.unlink()
        hook.with_name("pre-push.done").unlink(missing_ok=True)


@pytest.mark.parametrize("option", ["--preview", "--remove-preview"])
@pytest.mark.parametrize("value", ["0", "-7", "07", "../7"])
def test_a_number_that_is_not_a_change_is_refused_in_one_sentence(option, value):
    result = invoke(ROOT, "publish", option, value)
    one_sentence(result, said("{name} is {value}, which {problem}; {advice}.", name=option, value=repr(value),
                              problem=_e("is not a positive whole number"),
                              advice=_e("give the number of the change (the pull request's number), e.g. 7")).rstrip("."))


def test_robots_txt_keeps_crawlers_out_of_the_previews_at_the_sites_path():
    for site, disallowed in [("https://clinic.example", "/pr-preview/"),
                             ("https://user.github.io/repo", "/repo/pr-preview/")]:
        robots = robots_txt({"SITEURL": site, "ABSOLUTE_SITEURL": site})
        assert f"Disallow: {disallowed}" in robots.splitlines()
        assert f"Sitemap: {site}/sitemap.xml" in robots.splitlines()


# --- the preview in a browser and the HTML checker ---------------------------------------------


@pytest.fixture(scope="module")
def branch_server(published):
    """The published branch served on localhost (GitHub Pages' stand-in)."""
    handler = functools.partial(QuietHandler, directory=str(published.tree))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def live_host(page, branch_server):
    """The tab answers the live site's address (https://clinic.example)
    from the branch served on localhost: the preview's own absolute
    addresses load, under the page's real origin and policy."""
    live = ENVIRONMENT["SITE_URL"]
    page.route(f"{live}/**", lambda route: route.fulfill(
        response=route.fetch(url=branch_server + route.request.url[len(live):])))
    return f"{live}/{site_settings.preview_path(NUMBER)}"


def article_paths(articles):
    """{lang: an article's path in the preview} (the first of each language)."""
    paths = {}
    for _, lang, entry in sorted(articles, key=lambda row: row[0]):
        paths.setdefault(lang, entry["url"])
    return paths


def test_preview_pages_with_the_banner_pass_the_html_checker(published, articles, tmp_path):
    from test_html_checker import is_error, run_vnu

    folder = published.tree / site_settings.preview_path(NUMBER)
    pages = [folder / "index.html", folder / "404.html"] + [folder / path / "index.html"
                                                              for path in article_paths(articles).values()]
    broken = tmp_path / "broken.html"  # a page the checker must refuse: proof that it ran
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></span>", encoding="utf-8")
    messages = run_vnu(pages + [broken])
    assert any(is_error(m) and m["url"].endswith("/broken.html") for m in messages)
    errors = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in messages
              if is_error(m) and not m["url"].endswith("/broken.html")]
    assert errors == []


@pytest.mark.parametrize("lang, width", [(lang, 390) for lang in LANGS] + [("uk", 1280)])
def test_a_preview_article_has_no_axe_violation_and_the_banner_covers_nothing(page, live_host, articles, lang, width):
    from test_accessibility import axe_violations, describe

    path = article_paths(articles).get(lang)
    if path is None:
        pytest.skip(f"the content has no {lang} article")
    page.set_viewport_size({"width": width, "height": 900})
    assert page.goto(f"{live_host}/{path}").ok
    banner = page.locator(".mc-preview-banner")
    assert page.get_by_role("region", name=theme_text(lang, "Preview of change %(number)s", number=NUMBER)).count() == 1
    assert banner.evaluate("e => getComputedStyle(e).position") == "static"  # in the flow: it covers nothing
    box, main = banner.bounding_box(), page.locator("main").bounding_box()
    assert box["width"] <= width and box["y"] + box["height"] <= main["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    violations = axe_violations(page)["violations"]
    assert violations == [], describe(violations)


def test_search_works_under_the_preview_path(page, live_host, articles):
    from test_search import longest_word, search

    _, lang, entry = sorted(articles, key=lambda row: row[0])[0]
    from clinic.addresses import search_url
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    found = search(page, live_host, search_url(lang, settings), longest_word(entry["title"]))
    preview_path = urlsplit(live_host).path
    assert f"{preview_path}/{entry['url']}" in found, found
    assert all(path.startswith(preview_path + "/") for path in found), found


def test_a_preview_number_is_a_positive_whole_number_and_nothing_else():
    assert site_settings.preview_number("7") == 7 and site_settings.preview_number(" 12\n") == 12
    assert site_settings.preview_number("") == 0  # not a preview
    assert site_settings.preview_path(7) == f"{site_settings.PREVIEW_FOLDER}/pr-7"
    for value in ["0", "-1", "07", "1.5", "7a", "1 2", "../7", "7/", "٧", True, None, 7.0]:
        with pytest.raises(site_settings.SettingError, match="PREVIEW_NUMBER"):
            site_settings.preview_number(value)
