"""`invoke bench` keeps working: a tiny run, and the library it writes.

No timing is asserted (speed is the benchmark's business, and depends on the
machine): the run must finish, measure what it says, and see every edit in
the preview; the synthetic library must be valid content that builds
without a problem or a warning, the same bytes every time.
"""

import os
import re
import subprocess
import sys

from fixture_site import ROOT, run_invoke
from pelican.settings import read_settings

from conftest import CONTENT_PATH
from tools.synthetic_corpus import LANGS, write_corpus

NUMBER = r"[0-9]+(?:\.[0-9]+)?"


def test_a_small_benchmark_builds_and_times_every_edit():
    run = run_invoke(ROOT, "bench", "--articles", "30", "--edits", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "Synthetic library: 30 articles × 3 languages (90 article pages)" in out
    assert re.search(rf"^Clean build: {NUMBER} s wall \(Pelican {NUMBER} s, search index {NUMBER} s\), {NUMBER} s CPU, "
                     rf"peak memory {NUMBER} MB; {NUMBER} ms per article page$",
                     out, re.M), out
    edits = re.findall(rf"^Edit [0-9]+ \(bench-article-[0-9]+/en\.md\): visible in the preview after {NUMBER} s$", out, re.M)
    assert len(edits) == 2, out
    assert re.search(rf"^Edit to preview: median {NUMBER} s over 2 edits$", out, re.M), out
    # It cleans up after itself.
    folder = re.search(r"in (/\S+clinic-bench-\S+)$", out, re.M).group(1)
    assert not os.path.exists(folder)


def test_the_synthetic_library_is_valid_content_and_the_same_every_time(tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    first = write_corpus(tmp_path / "first", 6, CONTENT_PATH, settings)
    second = write_corpus(tmp_path / "second", 6, CONTENT_PATH, settings)
    files = sorted(path.relative_to(first) for path in first.rglob("*.md"))
    assert files == sorted(path.relative_to(second) for path in second.rglob("*.md"))
    assert all((first / path).read_bytes() == (second / path).read_bytes() for path in files)
    assert len([path for path in files if path.parts[0] == "articles"]) == 6 * len(LANGS)
    built = subprocess.run(
        [sys.executable, "-m", "pelican", str(first), "--settings", str(ROOT / "pelicanconf.py"),
         "--output", str(tmp_path / "output"), "--fatal", "warnings"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr, built.stderr
    # About 1,000 words an article, with links between articles.
    text = (first / "articles/bench-article-00001/index.uk.md").read_text(encoding="utf-8")
    assert 900 <= len(text.split("\n\n", 1)[1].split()) <= 1300
    assert "{filename}../bench-article-" in text and "!!! note" in text and "|---|---|" in text
