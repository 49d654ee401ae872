"""The Nu HTML Checker (vnu) reports no error on any built page."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
# A short run of the checker: the JIT's first tier only (C2 would spend more
# CPU compiling than a few hundred pages give back: half the CPU time here),
# with the thread stack the checker then needs (it says so when short).
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss16m", "-XX:+UseSerialGC"]


def run_vnu(paths):
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `make test` (it runs `npm ci`).")
    if not shutil.which("java"):
        pytest.fail("java is missing: run `make test` (it installs a Java runtime).")
    result = subprocess.run(
        ["java", *JAVA_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    return json.loads(result.stderr)["messages"]


def is_error(message):
    return message["type"] == "error" or message.get("subType") == "fatal"


@pytest.mark.parametrize("build", ["site", pytest.param("published_site", marks=pytest.mark.published_output)])
def test_every_page_has_zero_errors(request, build, tmp_path):
    site = request.getfixturevalue(build)  # the preview and the production build
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 15
    # A broken page goes along, in the same run of the checker: one that
    # reports nothing would prove nothing.
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></span>", encoding="utf-8")
    messages = run_vnu(pages + [broken])
    assert any(is_error(m) and m["url"].endswith("/broken.html") for m in messages)
    errors = [
        f"{m['url'].split(str(site))[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if is_error(m) and not m["url"].endswith("/broken.html")
    ]
    assert not errors, "\n".join(errors)
