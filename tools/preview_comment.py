"""Keep one comment on a pull request up to date with its preview's address.

Run by CI (.github/workflows/publish.yml) after `invoke publish --preview N`
("published") and after `invoke publish --remove-preview N` ("removed"):

    python3 tools/preview_comment.py published 7

It finds its own comment among the pull request's comments by a hidden
marker (COMMENT_MARKER) and edits it, or writes it the first time, so the
pull request carries one comment however many times it is updated. The
preview's address is built from SITE_URL as the site builds it
(plugins/clinic/site_settings.py: site_url, preview_path).

It runs with the project's virtual environment (the job has just made it
to publish the preview): the comment is for the editors, so it is written
from the editor's messages (plugins/clinic/messages.py), in the editor's
language (EDITOR_LANGUAGE in pelicanconf.py, or in the environment). It
talks to GitHub with the standard library only. It reads from the environment what GitHub Actions
sets: GITHUB_TOKEN (the workflow's token, never printed), GITHUB_REPOSITORY
(owner/name), GITHUB_API_URL (https://api.github.com unless GitHub
Enterprise), and SITE_URL. The token is sent only to an https:// API (or to
http://127.0.0.1, the tests' stand-in). Any failure is one sentence on
stderr, exit code 1.
"""

import functools
import importlib.util
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

from pelican.settings import read_settings

# How our comment is told from everyone else's: invisible in the rendered
# comment, and written only by the workflow's bot.
COMMENT_MARKER = "<!-- pr-preview -->"
BOT_TYPE = "Bot"
# Comments fetched per request (GitHub's maximum); then the next page.
PAGE_SIZE = 100
STATES = ("published", "removed")
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 30


class CommentError(Exception):
    """What stops the script; its message is one sentence."""


@functools.cache
def site_settings():
    """plugins/clinic/site_settings.py, loaded from its file (plain Python),
    once: its SettingError is then one class."""
    path = ROOT / "plugins" / "clinic" / "site_settings.py"
    spec = importlib.util.spec_from_file_location("clinic_site_settings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def preview_address(site_url, number):
    """The address of change `number`'s preview, e.g.
    https://clinic.example/pr-preview/pr-7/."""
    settings = site_settings()
    try:
        return f"{settings.site_url(site_url)}/{settings.preview_path(number)}/"
    except settings.SettingError as error:
        raise CommentError(str(error)) from None


def comment_body(state, number, address):
    """The comment's Markdown: the marker, then what there is to know, in
    the editor's language."""
    _e = site_settings().messages._e
    if state == "published":
        text = _e("**Preview of this change:** {address}\n\nEvery page of it is marked as a preview, its call-back "
                  "form sends nothing, and search engines do not index it. It is updated on every push to this pull "
                  "request and removed when the pull request is closed.", address=address)
    else:
        text = _e("The preview of this change ({address}) was removed when the pull request was closed.",
                  address=address)
    return f"{COMMENT_MARKER}\n{text}\n"


class GitHub:
    """The few calls of GitHub's REST API this needs, with the token."""

    def __init__(self, api_url, repository, token):
        api_url = api_url.rstrip("/")
        if not (api_url.startswith("https://") or api_url.startswith("http://127.0.0.1:")):
            raise CommentError(f"GITHUB_API_URL is {api_url!r}, which is not an https:// address; "
                               "the token is sent only over https, so set it to GitHub's API address.")
        if repository.count("/") != 1 or not all(repository.split("/")):
            raise CommentError(f"GITHUB_REPOSITORY is {repository!r}, not owner/name; run this in GitHub Actions, "
                               "which sets it.")
        if not token:
            raise CommentError("GITHUB_TOKEN is not set; give the step `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`.")
        self.api_url, self.repository, self.token = api_url, repository, token

    def request(self, method, path, data=None):
        request = urllib.request.Request(
            f"{self.api_url}/repos/{self.repository}{path}",
            method=method,
            data=None if data is None else json.dumps(data).encode("utf-8"),
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self.token}",
                "X-GitHub-Api-Version": "2022-11-28",
                "Content-Type": "application/json",
                "User-Agent": "clinic-site-preview-comment",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return json.loads(response.read().decode("utf-8") or "null")
        except urllib.error.HTTPError as error:
            said = error.read().decode("utf-8", "replace")
            try:
                said = json.loads(said).get("message", said)
            except (ValueError, AttributeError):
                pass
            raise CommentError(f"GitHub answered {method} {path} with {error.code} ({' '.join(str(said).split())[:200]}); "
                               "check the job's permissions (pull-requests: write).") from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise CommentError(f"GitHub's API could not be reached for {method} {path} ({error}); "
                               "run the job again.") from None

    def our_comment(self, number):
        """The id of our comment on pull request `number`, or None."""
        page = 1
        while True:
            comments = self.request("GET", f"/issues/{number}/comments?per_page={PAGE_SIZE}&page={page}")
            for comment in comments:
                if (comment.get("body") or "").startswith(COMMENT_MARKER) and \
                        (comment.get("user") or {}).get("type") == BOT_TYPE:
                    return comment["id"]
            if len(comments) < PAGE_SIZE:
                return None
            page += 1

    def write_comment(self, number, body):
        """Edit our comment, or write it if there is none yet; return its id."""
        existing = self.our_comment(number)
        if existing is None:
            return self.request("POST", f"/issues/{number}/comments", {"body": body})["id"]
        return self.request("PATCH", f"/issues/comments/{existing}", {"body": body})["id"]


def main(arguments, environment):
    if len(arguments) != 2 or arguments[0] not in STATES:
        raise CommentError(f"usage: preview_comment.py {'|'.join(STATES)} <pull request number>")
    state, number_text = arguments
    settings = site_settings()
    try:
        settings.messages.use_language(read_settings(str(ROOT / "pelicanconf.py")), environment)
    except settings.messages.UnknownLanguage as error:
        raise CommentError(str(error)) from None
    try:
        number = settings.preview_number(number_text, "PR_NUMBER")
    except settings.SettingError as error:
        raise CommentError(str(error)) from None
    if not number:
        raise CommentError("the pull request number is empty; give the pull request's number, e.g. 7.")
    address = preview_address(environment.get("SITE_URL", ""), number)
    github = GitHub(environment.get("GITHUB_API_URL", "https://api.github.com"),
                    environment.get("GITHUB_REPOSITORY", ""), environment.get("GITHUB_TOKEN", ""))
    github.write_comment(number, comment_body(state, number, address))
    print(f"The pull request's comment says the preview is {state}: {address}")


if __name__ == "__main__":
    try:
        main(sys.argv[1:], os.environ)
    except CommentError as error:
        print(f"preview_comment.py: {error}", file=sys.stderr)
        sys.exit(1)
