"""The Nu HTML Checker (vnu) reports no error on any built page."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def run_vnu(paths):
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `make test` (it runs `npm ci`).")
    if not shutil.which("java"):
        pytest.fail("java is missing: run `make test` (it installs a Java runtime).")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    return json.loads(result.stderr)["messages"]


@pytest.mark.parametrize("build", ["site", pytest.param("published_site", marks=pytest.mark.published_output)])
def test_every_page_has_zero_errors(request, build):
    site = request.getfixturevalue(build)  # the preview and the production build
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 15
    messages = run_vnu(pages)
    errors = [
        f"{m['url'].split(str(site))[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)


@pytest.mark.published_output
def test_the_checker_reports_a_broken_page(tmp_path):
    # Guards the test above: a checker that reports nothing proves nothing.
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></span>", encoding="utf-8")
    messages = run_vnu([broken])
    assert any(m["type"] == "error" for m in messages)
